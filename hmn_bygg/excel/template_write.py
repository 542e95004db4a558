"""Writing the assumptions workbook (see :mod:`hmn_bygg.excel.template` for the layout)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

import hmn_bygg
from hmn_bygg.config import Model, as_year_array
from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.io import write_atomic
from hmn_bygg.core.limits import LIMITS
from hmn_bygg.core.messages import Msg
from hmn_bygg.excel.actuals_sheet import SHEET, model_actuals, write_actuals_sheet
from hmn_bygg.excel.layout import (
    ABOUT,
    GREY,
    HIDDEN,
    TEMPLATE_SHEETS,
    TemplateRow,
    headings,
    template_rows,
    template_years,
)
from hmn_bygg.excel.style import (
    WRAP,
    finish_table,
    number_format,
    put,
    set_widths,
    write_header,
    write_key_values,
)
from hmn_bygg.excel.workbook_read import EXCEL_ERRORS

__all__ = ["Names", "write_template"]

Names = Callable[[TemplateRow], tuple[str, str]]
"""A row's reader's name and unit as the sheet shows them (``hmn-bygg template`` passes the
Norwegian names of :mod:`hmn_bygg.config.param_labels`)."""


def _plain(row: TemplateRow) -> tuple[str, str]:
    """The dotted key and the model's unit, when no reader's names are given."""
    return row.key, row.unit or ""


_VALUE_MESSAGES = (
    Msg("excel.value_is_error_value"),
    Msg("excel.value_control_character"),
    Msg("excel.value_too_long"),
)
_SOURCE_MESSAGES = (
    Msg("excel.source_is_error_value"),
    Msg("excel.source_control_character"),
    Msg("excel.source_too_long"),
)
"""What cannot be written, for a row's value and for its source: an Excel error value, a
control character, too long a text."""


def _unwritable(model: Model, rows: list[TemplateRow]) -> list[Problem]:
    """Values Excel cannot hold, so that reading the workbook back would not give them."""
    file = str(model.file or "model")
    problems = []

    def problem(key: str, message: Msg, expected: Msg, found: Msg | str) -> None:
        problems.append(Problem(file, message, None, key, expected, found))

    for row in rows:
        numbers = row.value.values() if isinstance(row.value, dict) else [row.value]
        if any(isinstance(v, float) and not math.isfinite(v) for v in numbers):
            problem(row.key, Msg("excel.not_finite"), Msg("excel.a_number"), str(row.value))
        for what, text in ((_VALUE_MESSAGES, row.value), (_SOURCE_MESSAGES, row.source)):
            if not isinstance(text, str):
                continue
            if text.strip() in EXCEL_ERRORS:
                problem(row.key, what[0], Msg("excel.not_an_error_value"), text)
            if ILLEGAL_CHARACTERS_RE.search(text):
                expected = Msg("excel.no_control_characters")
                problem(row.key, what[1], expected, repr(text)[:100])
            if len(text) > LIMITS.max_cell_chars:
                limit = Msg("register.at_most_characters", n=LIMITS.max_cell_chars)
                problem(row.key, what[2], limit, Msg("excel.characters", n=len(text)))
    return problems


def _write_row(ws: Worksheet, r: int, row: TemplateRow, years: list[int], names: Names) -> None:
    fmt = number_format(row.unit)
    first_year = 4
    label, unit = names(row)
    put(ws, r, 1, label).alignment = WRAP
    put(ws, r, 2, unit)
    value_cell = ws.cell(row=r, column=3)
    if row.kind == "value":
        put(ws, r, 3, row.value)
        value_cell.number_format = fmt if isinstance(row.value, float) else "General"
    else:
        value_cell.fill = GREY
    if row.kind == "timed":
        cells = as_year_array(row.value, years).tolist()
    elif row.kind == "years":
        cells = [row.value.get(y) for y in years]
    else:
        cells = [None] * len(years)
    for j, v in enumerate(cells):
        cell = put(ws, r, first_year + j, v)
        cell.number_format = fmt
        if row.kind == "value":
            cell.fill = GREY
    n = first_year + len(years)
    price = put(ws, r, n, row.price_year)  # a year, or "nominal"; grey when not money
    if row.price_year is None:
        price.fill = GREY
    put(ws, r, n + 1, row.source).alignment = WRAP
    put(ws, r, n + 2, row.key)
    put(ws, r, n + 3, row.description).alignment = WRAP


def write_template(
    model: Model, target: str | Path, *, scenario: str | None = None, names: Names | None = None
) -> Path:
    """Write the assumptions workbook of a model, filled with its current values (atomically).

    Parameters
    ----------
    model : Model
        The model or scenario whose values fill the workbook.
    target : str or Path
        The ``.xlsx`` file.
    scenario : str, optional
        Scenario name, stated on the ``Les meg`` sheet.
    names : callable, optional
        A row's reader's name and unit for the ``Parameter`` and ``Enhet`` columns; default
        the dotted key and the model's unit. The dotted key is always in the hidden ``Nøkkel``
        column, which is what :func:`~hmn_bygg.excel.template.overrides_from_workbook` reads.

    Returns
    -------
    pathlib.Path
        ``target``.

    Raises
    ------
    hmn_bygg.core.errors.InputError
        A value or source that would not read back as itself (a control character, text
        longer than :attr:`hmn_bygg.core.limits.Limits.max_cell_chars` or that is an Excel error
        value such as ``#N/A``, a number that is not finite), named by its key; nothing is
        written then.
    """
    rows, yaml_only = template_rows(model)
    problems = _unwritable(model, rows)
    if problems:
        raise InputError(problems, title=Msg("excel.template_cannot_be_written"))
    years = template_years(model, rows)
    wb = Workbook()
    about = wb.active
    about.title = ABOUT
    for name, _, _ in TEMPLATE_SHEETS:
        mine = [row for row in rows if row.sheet == name]
        if not mine:
            continue
        ws = wb.create_sheet(name)
        write_header(ws, headings(years))
        for r, row in enumerate(mine, start=2):
            _write_row(ws, r, row, years, names or _plain)
        set_widths(ws, [46, 11, 12, *([9] * len(years)), 9, 50, 46, 60])
        heads = headings(years)
        for hidden in HIDDEN:
            ws.column_dimensions[get_column_letter(heads.index(hidden) + 1)].hidden = True
        finish_table(ws, len(heads), "D2")
    write_actuals_sheet(wb, model_actuals(model))
    now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    info = [
        ("Modell", model.file.name if model.file is not None else "(ikke fra fil)"),
        ("Scenario", scenario or "(grunnmodellen)"),
        ("Modellversjon", f"hmn_bygg {hmn_bygg.__version__}"),
        ("Prisgrunnlag", model.model.price_basis),
        ("Skrevet", now),
        (
            "Slik fyller du ut",
            "Én rad per parameter, med navnet i kolonne A; den skjulte kolonnen 'Nøkkel' "
            "holder parameterens kode, som innlesingen bruker: la den stå. Tall som varierer "
            "over år står i "
            "årskolonnene: hver utfylt celle gjelder fra sitt år, en tom celle gjentar cellen "
            "til venstre. Andre parametre har verdien i 'Verdi' (grå årsceller skal stå tomme). "
            "Endre 'Kilde' når du endrer en verdi. Beløp står i kronene kolonnen 'Prisår' "
            "sier (et år, eller nominal = løpende kroner); endrer du prisåret, skriv beløpet i "
            "de nye kronene (alle rader i én tabell, f.eks. alle foretak, har samme prisår). "
            "Les inn med 'hmn-bygg run --ltb fil.xlsx'.",
        ),
        (
            "Tallformat",
            "Formatene er nøytrale (#,##0.0): norsk Excel viser 1 234,5. Skriv tall som tall.",
        ),
        *[(f"Ark: {name}", text) for name, _, text in TEMPLATE_SHEETS],
        (
            f"Ark: {SHEET}",
            "Kjente utfall (regnskap, offentlige tall) per foretak og år, som "
            "models/actuals.yaml: driftsresultatene før planåret brukes av modellen, de andre "
            "radene av valideringen. Rett eller legg til rader (Prisår: et år eller nominal; "
            "Kontrolleres: ja/nei); kjøringen med --ltb bruker arket når det avviker fra "
            "modellens utfall.",
        ),
        ("Bare i YAML", "\n".join(yaml_only) or "(ingen)"),
    ]
    write_key_values(about, info, "hmn_bygg: forutsetninger (LTB)")
    return write_atomic(target, wb.save)
