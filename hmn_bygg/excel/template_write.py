"""Writing the assumptions workbook (see :mod:`hmn_bygg.excel.template` for the layout)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

import hmn_bygg
from hmn_bygg.config import Model, as_year_array
from hmn_bygg.excel.layout import (
    ABOUT,
    GREY,
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
    set_widths,
    write_header,
    write_key_values,
)
from hmn_bygg.io import write_atomic

__all__ = ["write_template"]


def _write_row(ws: Worksheet, r: int, row: TemplateRow, years: list[int]) -> None:
    fmt = number_format(row.unit)
    first_year = 4
    ws.cell(row=r, column=1, value=row.key)
    ws.cell(row=r, column=2, value=row.unit)
    value_cell = ws.cell(row=r, column=3)
    if row.kind == "value":
        value_cell.value = row.value
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
        cell = ws.cell(row=r, column=first_year + j, value=v)
        cell.number_format = fmt
        if row.kind == "value":
            cell.fill = GREY
    n = first_year + len(years)
    ws.cell(row=r, column=n, value=row.source).alignment = WRAP
    ws.cell(row=r, column=n + 1, value=row.description).alignment = WRAP


def write_template(model: Model, target: str | Path, *, scenario: str | None = None) -> Path:
    """Write the assumptions workbook of a model, filled with its current values (atomically).

    Parameters
    ----------
    model : Model
        The model or scenario whose values fill the workbook.
    target : str or Path
        The ``.xlsx`` file.
    scenario : str, optional
        Scenario name, stated on the ``Les meg`` sheet.

    Returns
    -------
    pathlib.Path
        ``target``.
    """
    rows, yaml_only = template_rows(model)
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
            _write_row(ws, r, row, years)
        set_widths(ws, [46, 11, 12, *([9] * len(years)), 50, 60])
        finish_table(ws, len(headings(years)), "D2")
    now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    info = [
        ("Modell", str(model.file or "(ikke fra fil)")),
        ("Scenario", scenario or "(grunnmodellen)"),
        ("Modellversjon", f"hmn_bygg {hmn_bygg.__version__}"),
        ("Prisgrunnlag", model.model.price_basis),
        ("Skrevet", now),
        (
            "Slik fyller du ut",
            "Én rad per parameter (punktnøkkel i kolonne A). Tall som varierer over år står i "
            "årskolonnene: hver utfylt celle gjelder fra sitt år, en tom celle gjentar cellen "
            "til venstre. Andre parametre har verdien i 'Verdi' (grå årsceller skal stå tomme). "
            "Endre 'Kilde' når du endrer en verdi. Les inn med "
            "'hmn-bygg run --ltb fil.xlsx'.",
        ),
        (
            "Tallformat",
            "Formatene er nøytrale (#,##0.0): norsk Excel viser 1 234,5. Skriv tall som tall.",
        ),
        *[(f"Ark: {name}", text) for name, _, text in TEMPLATE_SHEETS],
        ("Bare i YAML", "\n".join(yaml_only) or "(ingen)"),
    ]
    write_key_values(about, info, "hmn_bygg: forutsetninger (LTB)")
    return write_atomic(target, wb.save)
