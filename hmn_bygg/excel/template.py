"""The assumptions workbook: a model's parameters out to Excel, edited values back as overrides.

Layout of every topic sheet (``Drift``, ``Likviditet``, ``Investeringer``, ``Lån``, ...)::

    Parameter                   | Enhet   | Verdi | 2018 | ... | Prisår  | Kilde | (Nøkkel)
    Driftskredittramme ... – HMR | MNOK    | 500   |      |     | nominal | ...   | finance.c...
    Driftsresultat før ...       | MNOK/år |       | 120  | ... | 2027    | ...   | finance.o...

- ``Parameter`` is the reader's name of the row (in bokmål when ``hmn-bygg template`` writes
  it); the dotted key that the reader goes by is in the hidden column ``Nøkkel`` (and the
  model's English description in the hidden ``Beskrivelse``); ``Parameter`` and ``Enhet`` are
  for people and are not read. A workbook of an older layout, with the keys in a visible
  ``Nøkkel`` column A, reads the same way;
- one row per dotted config key (:func:`hmn_bygg.config.valid_keys`); a per-HF or per-part
  table has one row per entry (``....HMR``); every row must be there, once;
- a parameter that may vary by year is written with a value in **every year column**; read
  back, each filled year cell holds from its year on (an empty cell repeats the cell to its
  left, so the first year cell must be filled), and a value in ``Verdi`` with all year cells
  empty means one value for every year;
- a spend profile ``{year: share}`` is written in the year columns (empty = 0);
- any other parameter has its value in ``Verdi`` (its year cells are greyed out and must stay
  empty);
- ``Kilde`` is the parameter's source; change it when you change a value (an empty cell keeps
  the source). Entries of one table share one source;
- ``Prisår`` is a money parameter's price year (a year or ``nominal``; empty for the others):
  the kroner its amounts are in. Changing it reads the amounts as kroner of the new year;
  entries of one table share one price year (:mod:`hmn_bygg.excel.price_years`);
- rows whose key starts with ``#`` and empty rows are ignored; columns are found by heading in
  row 1 (``Nøkkel``, ``Verdi``, a column for every year of the model; ``Kilde`` and ``Prisår``
  are optional) and other columns are ignored. A workbook without ``Nøkkel`` is refused with
  what to do (unhide the column, or copy the values into a new template).

The ``Utfall`` sheet holds the actuals (``models/actuals.yaml``: HF, year, what, value, unit,
price year, source; :mod:`hmn_bygg.excel.actuals_sheet`). When its rows differ from the
model's actuals, the overrides name the workbook as ``model.actuals``, so that a run with the
workbook books and validates against the rows as edited.

Every cell is read as Excel saved it (see :mod:`hmn_bygg.excel.workbook_read`, and
:mod:`hmn_bygg.excel.template_sheets` for the sheets) and refused,
named as ``Sheet!C7``, when it cannot be meant: text, a date or a yes/no in a number cell; a
number that is not finite or larger than :attr:`hmn_bygg.core.limits.Limits.max_abs_number`; text
longer than :attr:`~hmn_bygg.core.limits.Limits.max_cell_chars`; a formula without a saved result;
an Excel error such as ``#DIV/0!``; merged cells.

Parameters that are lists or mappings of records (new buildings, disposal rules) are edited
in the YAML model file; the ``Les meg`` sheet lists them. :func:`overrides_from_workbook`
returns only the keys whose value, source or price year differ from the model (and
``model.actuals`` when the actuals do), so a workbook written from a scenario and read against
the base model gives that scenario's overrides.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hmn_bygg.config import Model, apply_overrides, key_index
from hmn_bygg.config.keys import closest
from hmn_bygg.config.overrides import overlapping
from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.limits import LIMITS, Limits
from hmn_bygg.core.messages import Msg
from hmn_bygg.excel.actuals_sheet import SHEET as ACTUALS
from hmn_bygg.excel.actuals_sheet import actuals_from_sheet, model_actuals
from hmn_bygg.excel.layout import (
    HIDDEN,
    KEY,
    TEMPLATE_SHEETS,
    TemplateRow,
    template_rows,
)
from hmn_bygg.excel.price_years import fold_price_years, read_price_year
from hmn_bygg.excel.sheet_reader import SheetReader, Where
from hmn_bygg.excel.template_sheets import ReadValues, read_sheet, same_value, sheet_columns
from hmn_bygg.excel.template_write import write_template
from hmn_bygg.excel.workbook_read import read_workbook

__all__ = [
    "TEMPLATE_SHEETS",
    "TemplateRow",
    "overrides_from_workbook",
    "template_rows",
    "write_template",
]


def overrides_from_workbook(
    path: str | Path, model: Model, *, limits: Limits = LIMITS, notes: list[Any] | None = None
) -> dict[str, Any]:
    """Read an assumptions workbook and return the overrides that turn ``model`` into it.

    Parameters
    ----------
    path : str or Path
        A workbook written by :func:`write_template` (``hmn-bygg template``) and edited. It is
        only read, never changed.
    model : Model
        The model the overrides apply to (usually the base model or the scenario run).
    limits : hmn_bygg.core.limits.Limits
        File size, unpacked size, row, text length and number limits.
    notes : list, optional
        Receives warnings (:class:`~hmn_bygg.core.messages.Msg`, to render in the reader's
        language) on what the workbook hides and is read all the same: hidden sheets and
        rows, and cells that link to other workbooks (naming sheet and cell).

    Returns
    -------
    dict of str to Any
        Dotted key -> new value (a year path ``{year: value}`` for values by year), or
        ``{value: ..., source: ...}`` when the source changed; only keys that differ from
        ``model``. Checked with :func:`hmn_bygg.config.apply_overrides`, so the result can
        be applied (or merged into a scenario) without further checks.

    Raises
    ------
    hmn_bygg.core.errors.InputError
        Every problem at once, each naming the sheet and cell (``column="Drift!C7"``), the
        row, what was expected and what was found: a missing sheet, column or row; an
        unknown or repeated key; text, a date, a formula without a saved result or an Excel
        error in a number cell; merged cells; year values for a parameter that has none; a
        value the model rejects (out of range, wrong choice). A file that is not a readable
        workbook, or is too large, is refused before it is parsed.
    """
    file = str(path)
    rows, _ = template_rows(model)
    by_key = {row.key: row for row in rows}
    needed = list(dict.fromkeys(row.sheet for row in rows))
    book = read_workbook(path, [*needed, ACTUALS], limits=limits, hidden_ok=HIDDEN)
    if notes is not None:
        notes += book.notes
    reader = SheetReader(file, limits)
    model_years = range(model.model.start_year, model.model.end_year + 1)
    readable: set[str] = set()
    read = ReadValues()
    for name in needed:
        sheet = book.sheets.get(name)
        if sheet is None:
            folded = {n.strip().casefold(): n for n in book.sheetnames}
            near = closest(name.casefold(), folded)
            missing = Msg("excel.sheet_missing")
            if near is not None:
                missing = Msg("excel.sheet_missing_did_you_mean", near=folded[near])
            reader.problem(missing, name, None, Msg("excel.a_sheet_named", name=name),
                           ", ".join(book.sheetnames))  # fmt: skip
            continue
        if not sheet.is_worksheet:
            reader.problem(Msg("excel.chart_sheet"), name, None, Msg("excel.a_sheet_of_cells"))
            continue
        cols = sheet_columns(reader, sheet, model_years)
        if cols is not None:
            readable.add(name)
            read_sheet(reader, sheet, cols, by_key, read)
    missing_rows(reader, rows, readable, read)
    price_years = {}
    for key, (raw, where, r) in read.price_cells.items():
        year = read_price_year(reader, raw, where, r)
        if year is not None:
            price_years[key] = (year, where, r)
    actuals = None
    if ACTUALS in book.sheets and book.sheets[ACTUALS].is_worksheet:
        actuals = actuals_from_sheet(reader, book.sheets[ACTUALS])
    if reader.problems:
        raise InputError(reader.problems, title=Msg("excel.workbook_has_problems", file=file))
    overrides = _validated(reader, model, by_key, read.values, price_years)
    if actuals is not None and actuals != model_actuals(model):
        # the run reads the actuals from this workbook's sheet (model.actuals names it)
        overrides["model.actuals"] = str(Path(path).resolve())
    return overrides


def _validated(
    reader: SheetReader,
    model: Model,
    by_key: dict[str, TemplateRow],
    values: dict[str, tuple[Any, str | None, Where]],
    price_years: dict[str, tuple[int | str, str, int]],
) -> dict[str, Any]:
    """Keep the changed keys and price years, check one source per table, and validate with
    the model."""
    years = list(range(model.model.start_year, model.model.end_year + 1))
    index = key_index()
    overrides: dict[str, Any] = {}
    table_sources: dict[str, tuple[str, str]] = {}
    for key, (new, source, here) in values.items():
        row = by_key[key]
        same_source = source is None or source.split() == (row.source or "").split()
        new_source = None if same_source else source
        if same_value(row, new, years) and new_source is None:
            continue
        if new_source is not None and index[key].kind == "entry":
            seen = table_sources.setdefault(key.rsplit(".", 1)[0], (new_source, here.cell))
            if seen[0] != new_source:
                reader.problem(
                    Msg("excel.sources_differ"),
                    here.cell, here.row, Msg("excel.the_source_in", cell=seen[1]), new_source,
                )  # fmt: skip
        overrides[key] = new if new_source is None else {"value": new, "source": new_source}
    fold_price_years(reader, by_key, values, price_years, overrides)
    if reader.problems:
        raise InputError(
            reader.problems, title=Msg("excel.workbook_has_problems", file=reader.file)
        )
    try:
        apply_overrides(model, overrides, file=reader.file)
    except InputError as err:
        for p in err.problems:
            column, message = p.column, p.message
            head, colon, rest = str(message).partition(": ")
            if colon and column and head.startswith(column + "."):  # "key.2020: out of range"
                column = head
                message = rest if isinstance(message, str) else message
            place = _place(column, values, overrides)
            if place is None:
                message = Msg("excel.key_problem", key=column, message=message)
            reader.problems.append(
                Problem(reader.file, message, place[1] if place else None,
                        place[0] if place else None, p.expected, p.found)
            )  # fmt: skip
        title = Msg("excel.workbook_has_problems", file=reader.file)
        raise InputError(reader.problems, title=title) from None
    return overrides


def _place(
    column: str | None, values: Mapping[str, tuple[Any, str | None, Where]],
    overrides: Mapping[str, Any],
) -> tuple[str, int] | None:  # fmt: skip
    """The cell (and row) of the key a validation problem names: the year's cell for a year
    of a year path, a changed key before an unchanged one."""
    if not column:
        return None
    keys = [k for k in values if overlapping(k, column)]
    keys.sort(key=lambda k: (k not in overrides, k != column))
    if not keys:
        return None
    key = keys[0]
    here = values[key][2]
    tail = column[len(key) + 1 :] if column.startswith(key + ".") else ""
    if tail.split(".")[0].isdigit() and int(tail.split(".")[0]) in here.years:
        return here.years[int(tail.split(".")[0])], here.row
    return here.cell, here.row


def missing_rows(
    reader: SheetReader, rows: list[TemplateRow], readable: set[str], read: ReadValues
) -> None:
    """Report, per sheet, the template rows that are not in the workbook.

    Parameters
    ----------
    reader : SheetReader
        Receives one problem per sheet, listing the missing keys.
    rows : list of TemplateRow
        Every row the template has.
    readable : set of str
        The sheets whose columns could be read (the others are reported already).
    read : ReadValues
        What was read.
    """
    missing: dict[str, list[str]] = {}
    for row in rows:
        if row.sheet in readable and row.key not in read.values and row.key not in read.hinted:
            missing.setdefault(row.sheet, []).append(row.key)
    for sheet, keys in missing.items():
        shown: Msg | str = ", ".join(keys[:5])
        if len(keys) > 5:
            shown = Msg("excel.keys_and_more", keys=shown, more=len(keys) - 5)
        one = Msg("excel.row_missing")
        reader.problem(one if len(keys) == 1 else Msg("excel.rows_missing", n=len(keys)), sheet,
                       None, Msg("excel.a_row_per_parameter", key=KEY, shown=shown))  # fmt: skip
