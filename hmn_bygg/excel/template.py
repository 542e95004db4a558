"""The assumptions workbook: a model's parameters out to Excel, edited values back as overrides.

Layout of every topic sheet (``Drift``, ``Likviditet``, ``Investeringer``, ``Lån``, ...)::

    Nøkkel                              | Enhet     | Verdi | 2018 | 2019 | ... | Kilde | ...
    finance.credit_limit_mnok.HMR       | MNOK      | 500   |      |      |     | ...   |
    finance.operating_result_before_... | MNOK/year |       | 120  | 130  | ... | ...   |

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
- rows whose key starts with ``#`` and empty rows are ignored; columns are found by heading in
  row 1 (``Nøkkel``, ``Verdi``, a column for every year of the model; ``Kilde`` is optional)
  and other columns are ignored.

Every cell is read as Excel saved it (see :mod:`hmn_bygg.excel.workbook_read`, and
:mod:`hmn_bygg.excel.template_sheets` for the sheets) and refused,
named as ``Sheet!C7``, when it cannot be meant: text, a date or a yes/no in a number cell; a
number that is not finite or larger than :attr:`hmn_bygg.core.limits.Limits.max_abs_number`; text
longer than :attr:`~hmn_bygg.core.limits.Limits.max_cell_chars`; a formula without a saved result;
an Excel error such as ``#DIV/0!``; merged cells.

Parameters that are lists or mappings of records (new buildings, disposal rules) are edited
in the YAML model file; the ``Les meg`` sheet lists them. :func:`overrides_from_workbook`
returns only the keys whose value or source differ from the model, so a workbook written
from a scenario and read against the base model gives that scenario's overrides.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hmn_bygg.config import Model, apply_overrides, key_index
from hmn_bygg.config.keys import did_you_mean
from hmn_bygg.config.overrides import overlapping
from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.limits import LIMITS, Limits
from hmn_bygg.excel.layout import (
    TEMPLATE_SHEETS,
    TemplateRow,
    template_rows,
)
from hmn_bygg.excel.template_sheets import (
    ReadValues,
    SheetReader,
    Where,
    missing_rows,
    read_sheet,
    same_value,
    sheet_columns,
)
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
    path: str | Path, model: Model, *, limits: Limits = LIMITS, notes: list[str] | None = None
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
    notes : list of str, optional
        Receives warnings on what the workbook hides and is read all the same: hidden sheets
        and rows, and cells that link to other workbooks (naming sheet and cell).

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
    book = read_workbook(path, needed, limits=limits)
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
            near = did_you_mean(name.casefold(), folded)
            hint = f"; did you mean '{folded[near.split(chr(39))[1]]}'?" if near else ""
            reader.problem("sheet is missing" + hint, name, None, f"a sheet named '{name}'",
                           ", ".join(book.sheetnames))  # fmt: skip
            continue
        if not sheet.is_worksheet:
            reader.problem("not a worksheet (a chart sheet)", name, None,
                           "a sheet of cells, as the template has")  # fmt: skip
            continue
        cols = sheet_columns(reader, sheet, model_years)
        if cols is not None:
            readable.add(name)
            read_sheet(reader, sheet, cols, by_key, read)
    missing_rows(reader, rows, readable, read)
    if reader.problems:
        raise InputError(reader.problems, title=f"The workbook {file} has problems")
    return _validated(reader, model, by_key, read.values)


def _validated(
    reader: SheetReader,
    model: Model,
    by_key: dict[str, TemplateRow],
    values: dict[str, tuple[Any, str | None, Where]],
) -> dict[str, Any]:
    """Keep the changed keys, check one source per table, and validate with the model."""
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
                    "entries of one table share one source; the sources differ",
                    here.cell, here.row, f"the source in {seen[1]}", new_source,
                )  # fmt: skip
        overrides[key] = new if new_source is None else {"value": new, "source": new_source}
    if reader.problems:
        raise InputError(reader.problems, title=f"The workbook {reader.file} has problems")
    try:
        apply_overrides(model, overrides, file=reader.file)
    except InputError as err:
        for p in err.problems:
            column, message = p.column, p.message
            head, colon, rest = message.partition(": ")
            if colon and column and head.startswith(column + "."):  # "key.2020: out of range"
                column, message = head, rest
            here = _place(column, values, overrides)
            reader.problems.append(
                Problem(reader.file, message if here else f"{column}: {message}",
                        here[1] if here else None, here[0] if here else None, p.expected,
                        p.found)
            )  # fmt: skip
        title = f"The workbook {reader.file} has problems"
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
