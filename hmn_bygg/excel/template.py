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

Every cell is read as Excel saved it (see :mod:`hmn_bygg.excel.workbook_read`) and refused,
named as ``Sheet!C7``, when it cannot be meant: text, a date or a yes/no in a number cell; a
number that is not finite or larger than :attr:`hmn_bygg.limits.Limits.max_abs_number`; text
longer than :attr:`~hmn_bygg.limits.Limits.max_cell_chars`; a formula without a saved result;
an Excel error such as ``#DIV/0!``; merged cells.

Parameters that are lists or mappings of records (new buildings, disposal rules) are edited
in the YAML model file; the ``Les meg`` sheet lists them. :func:`overrides_from_workbook`
returns only the keys whose value or source differ from the model, so a workbook written
from a scenario and read against the base model gives that scenario's overrides.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from openpyxl.utils import get_column_letter

from hmn_bygg.config import Model, apply_overrides, as_year_array, key_index
from hmn_bygg.config.keys import did_you_mean
from hmn_bygg.config.overrides import overlapping
from hmn_bygg.errors import InputError, Problem
from hmn_bygg.excel.layout import (
    KEY,
    SOURCE,
    TEMPLATE_SHEETS,
    VALUE,
    TemplateRow,
    template_rows,
)
from hmn_bygg.excel.template_write import write_template
from hmn_bygg.excel.workbook_read import EXCEL_ERRORS, SheetCells, read_workbook
from hmn_bygg.limits import LIMITS, Limits
from hmn_bygg.register_read import UncachedFormula

__all__ = [
    "TEMPLATE_SHEETS",
    "TemplateRow",
    "overrides_from_workbook",
    "template_rows",
    "write_template",
]

_TRUE = {"true", "ja", "yes", "sann", "1", "x"}
_FALSE = {"false", "nei", "no", "usann", "0"}
YEARS = range(1900, 2201)
"""Headings read as year columns."""
_DATES = (dt.datetime, dt.date, dt.time, dt.timedelta)
_MOST_MERGES = 5
"""Merged ranges reported per sheet (the last one says how many more there are)."""


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _shown(found: Any) -> str | None:
    """A cell as a problem shows it: at most 100 characters."""
    if found is None:
        return None
    text = str(found)
    return text if len(text) <= 100 else f"{text[:60]}… ({len(text)} characters)"


@dataclass
class _Where:
    """Where a key's value was read: its row, the cell (or cells) and each year's cell."""

    row: int
    cell: str
    years: dict[int, str] = field(default_factory=dict)
    key_cell: str = ""


@dataclass
class _Reader:
    file: str
    limits: Limits
    problems: list[Problem] = field(default_factory=list)

    def problem(self, message: str, where: str, row: int | None, expected: str | None = None,
                found: Any = None) -> None:  # fmt: skip
        self.problems.append(Problem(self.file, message, row, where, expected, _shown(found)))

    def usable(self, cell: Any, where: str, row: int) -> bool:
        """Whether a cell can be read at all; if not, say why."""
        if isinstance(cell, UncachedFormula):
            self.problem(
                "a formula without a saved result",
                where, row,
                "a value: open the workbook in Excel and save it (Excel saves the results of "
                "formulas), or type the value",
                cell,
            )  # fmt: skip
            return False
        if isinstance(cell, str) and cell.strip() in EXCEL_ERRORS:
            self.problem("an Excel error value", where, row,
                         "a value: correct the formula or type the value", cell)  # fmt: skip
            return False
        if isinstance(cell, str) and len(cell) > self.limits.max_cell_chars:
            self.problem("the cell text is far too long", where, row,
                         f"at most {self.limits.max_cell_chars} characters", cell)  # fmt: skip
            return False
        return True

    def number(self, cell: Any, unit: str | None, where: str, row: int) -> float | None:
        """A number cell as a float; None (and a problem) when it holds anything else.

        Numbers as they are; text like ``1 234,5`` or ``-5`` parsed. Not finite and
        implausibly large numbers are refused, and so are yes/no, dates and times.
        """
        unit_text = f" [{unit}]" if unit and unit not in ("-", "1") else ""
        expected = f"a number{unit_text}"
        number: float | None = None
        if isinstance(cell, int | float) and not isinstance(cell, bool):
            number = float(cell)
        elif isinstance(cell, str):
            text = cell.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
            text = text.replace("−", "-").replace(",", ".")
            try:
                number = float(text)
            except ValueError:
                number = None
        if number is None:
            if isinstance(cell, _DATES):
                expected += " (the cell holds a date or a time: format it as a number)"
            self.problem("not a number", where, row, expected, cell)
            return None
        if not math.isfinite(number):
            self.problem("not a finite number", where, row, expected, cell)
            return None
        if abs(number) > self.limits.max_abs_number:
            self.problem("implausibly large number", where, row,
                         f"{expected}, at most {self.limits.max_abs_number:g}", cell)  # fmt: skip
            return None
        return number

    def scalar(self, cell: Any, current: Any, unit: str | None, where: str, row: int) -> Any:
        """Parse a 'Verdi' cell by the type of the current value."""
        if _empty(cell):
            if current is None:
                return None
            unit_text = f" [{unit}]" if unit and unit not in ("-", "1") else ""
            self.problem("the cell is empty", where, row, f"a value{unit_text}")
            return current
        if isinstance(current, bool):
            if isinstance(cell, bool):
                return cell
            if isinstance(cell, int | float) and cell in (0, 1):
                return bool(cell)
            text = str(cell).strip().lower()
            if text in _TRUE | _FALSE:
                return text in _TRUE
            self.problem("not yes/no", where, row, "ja/nei (TRUE/FALSE)", cell)
            return current
        if isinstance(current, str):
            return str(cell).strip()
        number = self.number(cell, unit, where, row)
        if number is None:
            return current
        if isinstance(current, int) and number.is_integer():
            return int(number)
        return number


def _heading(value: Any) -> Any:
    """A heading as read: stripped text, or a year as int."""
    if isinstance(value, str):
        text = value.strip()
        return int(text) if text.isdigit() and int(text) in YEARS else text
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and int(value) in YEARS:
            return int(value)
    return value


def _columns(reader: _Reader, sheet: SheetCells, model_years: range) -> dict[Any, int] | None:
    """Find the columns by heading in row 1; None (and problems) when they cannot be read."""
    name, where = sheet.title, f"{sheet.title}!1:1"
    cols: dict[Any, int] = {}
    twice: dict[Any, list[int]] = {}
    for c, raw in enumerate(sheet.rows.get(1, ()), start=1):
        if raw is None:
            continue
        if not reader.usable(raw, f"{name}!{get_column_letter(c)}1", 1):
            continue
        head = _heading(raw)
        if head in cols and (head in (KEY, VALUE, SOURCE) or isinstance(head, int)):
            twice.setdefault(head, [cols[head]]).append(c)
        cols.setdefault(head, c)
    ok = True
    for head, at in twice.items():
        letters = ", ".join(get_column_letter(c) for c in at)
        reader.problem(f"two columns have the heading '{head}'", where, 1,
                       "each heading once", f"columns {letters}")  # fmt: skip
        ok = False
    for head in (KEY, VALUE):
        if head not in cols:
            reader.problem("column is missing", where, 1, f"a column headed '{head}' in row 1")
            ok = False
    missing = [y for y in model_years if y not in cols]
    if missing and ok:
        shown = ", ".join(map(str, missing[:5])) + (" ..." if len(missing) > 5 else "")
        reader.problem(
            "the column of a year is missing" if len(missing) == 1 else
            f"the columns of {len(missing)} years are missing",
            where, 1, f"a column headed with each year {model_years[0]}–{model_years[-1]}",
            shown,
        )  # fmt: skip
        ok = False
    return cols if ok else None


def _merges(reader: _Reader, sheet: SheetCells, read_cols: set[int]) -> None:
    """Report merged ranges that hide a cell the reader reads (any but their first cell)."""
    hiding = [
        (r0, c0, r1, c1)
        for r0, c0, r1, c1 in sheet.merged
        if any(c0 <= c <= c1 and (r1 > r0 or c > c0) for c in read_cols)
    ]
    for i, (r0, c0, r1, c1) in enumerate(hiding[:_MOST_MERGES], start=1):
        ref = f"{get_column_letter(c0)}{r0}:{get_column_letter(c1)}{r1}"
        more = len(hiding) - i if i == _MOST_MERGES else 0
        reader.problem(
            "merged cells: only the first cell holds the value, the others read as empty",
            f"{sheet.title}!{ref}", r0,
            "one value in each cell: unmerge the cells (Excel: Merge & Center > Unmerge "
            "Cells) and fill them",
            f"{ref} merged" + (f" (and {more} more merged ranges)" if more > 0 else ""),
        )  # fmt: skip


def _compact(path: dict[int, float]) -> dict[int, float]:
    """Drop year cells that repeat the previous value: ``{2018: 0, 2019: 0, 2020: 5}`` ->
    ``{2018: 0, 2020: 5}``."""
    out: dict[int, float] = {}
    for year in sorted(path):
        if not out or out[max(out)] != path[year]:
            out[year] = path[year]
    return out


def _read_row(
    reader: _Reader, sheet: SheetCells, r: int, row: TemplateRow, cols: dict[Any, int],
    year_cols: dict[int, int],
) -> tuple[Any, _Where]:  # fmt: skip
    """Return the row's value as read (same shape rules as the model), and where it was."""
    name = sheet.title
    vcol = cols[VALUE]
    vcell = sheet.cell(r, vcol)
    where_v = f"{name}!{get_column_letter(vcol)}{r}"
    year_where = {y: f"{name}!{get_column_letter(c)}{r}" for y, c in year_cols.items()}
    first, last = min(year_cols.values()), max(year_cols.values())
    where_years = f"{name}!{get_column_letter(first)}{r}:{get_column_letter(last)}{r}"
    usable_v = reader.usable(vcell, where_v, r)
    filled: dict[int, float] = {}
    empty_years: list[int] = []
    for year, c in sorted(year_cols.items()):
        raw = sheet.cell(r, c)
        if _empty(raw):
            empty_years.append(year)
            continue
        if not reader.usable(raw, year_where[year], r):
            continue
        if row.kind == "value":
            reader.problem(
                "this parameter does not vary by year; leave the year cells empty",
                year_where[year], r, f"the value in '{VALUE}'", raw,
            )  # fmt: skip
            continue
        number = reader.number(raw, row.unit, year_where[year], r)
        if number is not None:
            filled[year] = number
    if row.kind == "value":
        value = reader.scalar(vcell, row.value, row.unit, where_v, r) if usable_v else row.value
        return value, _Where(r, where_v)
    here = _Where(r, where_years, {y: w for y, w in year_where.items()})
    has_value = not _empty(vcell)
    if row.kind == "years":
        if has_value and usable_v:
            reader.problem(
                "give the shares in the year columns, not in 'Verdi'", where_v, r, None, vcell
            )
        return {y: v for y, v in filled.items() if v != 0.0}, here
    if has_value and filled:
        reader.problem(
            "give either one value in 'Verdi' or values in the year columns, not both",
            where_v, r, "an empty 'Verdi' cell", vcell,
        )  # fmt: skip
        return row.value, here
    if filled:
        first_year = min(year_cols)
        if first_year in empty_years:
            reader.problem(
                "the first year cell is empty", year_where[first_year], r,
                f"a number for {first_year} (an empty cell repeats the cell to its left; the "
                "first has none)",
            )  # fmt: skip
        return _compact(filled), here
    if has_value:
        value = reader.scalar(vcell, 0.0, row.unit, where_v, r) if usable_v else row.value
        return value, _Where(r, where_v, here.years)
    if len(empty_years) == len(year_cols):
        reader.problem("no value in 'Verdi' nor in the year columns", where_v, r, "a number")
    return row.value, here


def _same(row: TemplateRow, new: Any, years: list[int]) -> bool:
    if row.kind == "timed":
        return bool(np.array_equal(as_year_array(row.value, years), as_year_array(new, years)))
    if row.kind == "years":
        old = {int(y): float(v) for y, v in row.value.items() if float(v) != 0.0}
        return old == {int(y): float(v) for y, v in new.items()}
    return (type(new) is type(row.value) and new == row.value) or (
        isinstance(new, float | int)
        and not isinstance(new, bool)
        and isinstance(row.value, float | int)
        and not isinstance(row.value, bool)
        and float(new) == float(row.value)
    )


@dataclass
class _Read:
    """What the sheets hold: each key's value, source and place; keys a hint pointed to."""

    values: dict[str, tuple[Any, str | None, _Where]] = field(default_factory=dict)
    hinted: set[str] = field(default_factory=set)


def _read_sheet(
    reader: _Reader, sheet: SheetCells, cols: dict[Any, int], by_key: dict[str, TemplateRow],
    read: _Read,
) -> None:  # fmt: skip
    name = sheet.title
    year_cols = {h: c for h, c in cols.items() if isinstance(h, int)}
    kcol, vcol, scol = cols[KEY], cols[VALUE], cols.get(SOURCE)
    _merges(reader, sheet, {kcol, vcol, *year_cols.values(), *([scol] if scol else [])})
    all_keys = key_index()
    for r in sorted(sheet.rows):
        if r == 1:
            continue
        raw_key = sheet.cell(r, kcol)
        where = f"{name}!{get_column_letter(kcol)}{r}"
        if not reader.usable(raw_key, where, r):
            continue
        key = "" if raw_key is None else str(raw_key).strip()
        if key.startswith("#"):
            continue
        if not key:
            filled = [c for c in (vcol, *year_cols.values()) if not _empty(sheet.cell(r, c))]
            if filled:
                at = f"{name}!{get_column_letter(filled[0])}{r}"
                reader.problem("a value without a key", at, r,
                               f"the parameter's key in column '{KEY}'")  # fmt: skip
            continue
        row = by_key.get(key)
        if row is None:
            hint = did_you_mean(key, by_key)
            if hint:
                read.hinted.add(hint.split("'")[1])
            why = (
                "this key is set in the YAML model file, not in the workbook"
                if key in all_keys
                else "unknown key" + hint
            )
            reader.problem(why, where, r, None, key)
            continue
        if key in read.values:
            first = read.values[key][2].key_cell
            reader.problem("key given twice", where, r, f"each key once (it is also in {first})",
                           key)  # fmt: skip
            continue
        new, here = _read_row(reader, sheet, r, row, cols, year_cols)
        source = sheet.cell(r, scol) if scol else None
        if scol and not reader.usable(source, f"{name}!{get_column_letter(scol)}{r}", r):
            source = None
        text = str(source).strip() if source is not None else ""
        here.key_cell = where
        read.values[key] = (new, text or None, here)


def _missing_rows(
    reader: _Reader, rows: list[TemplateRow], readable: set[str], read: _Read
) -> None:
    """Report, per sheet, the template rows that are not in the workbook."""
    missing: dict[str, list[str]] = {}
    for row in rows:
        if row.sheet in readable and row.key not in read.values and row.key not in read.hinted:
            missing.setdefault(row.sheet, []).append(row.key)
    for sheet, keys in missing.items():
        shown = ", ".join(keys[:5]) + (f" and {len(keys) - 5} more" if len(keys) > 5 else "")
        reader.problem(
            "the row of a parameter is missing" if len(keys) == 1 else
            f"the rows of {len(keys)} parameters are missing",
            sheet, None,
            f"a row for each parameter, with its key in column '{KEY}': add {shown} (copy "
            "the rows from a new template: hmn-bygg template --xlsx FILE)",
        )  # fmt: skip


def overrides_from_workbook(
    path: str | Path, model: Model, *, limits: Limits = LIMITS
) -> dict[str, Any]:
    """Read an assumptions workbook and return the overrides that turn ``model`` into it.

    Parameters
    ----------
    path : str or Path
        A workbook written by :func:`write_template` (``hmn-bygg template``) and edited. It is
        only read, never changed.
    model : Model
        The model the overrides apply to (usually the base model or the scenario run).
    limits : hmn_bygg.limits.Limits
        File size, unpacked size, row, text length and number limits.

    Returns
    -------
    dict of str to Any
        Dotted key -> new value (a year path ``{year: value}`` for values by year), or
        ``{value: ..., source: ...}`` when the source changed; only keys that differ from
        ``model``. Checked with :func:`hmn_bygg.config.apply_overrides`, so the result can
        be applied (or merged into a scenario) without further checks.

    Raises
    ------
    hmn_bygg.errors.InputError
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
    reader = _Reader(file, limits)
    model_years = range(model.model.start_year, model.model.end_year + 1)
    readable: set[str] = set()
    read = _Read()
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
        cols = _columns(reader, sheet, model_years)
        if cols is not None:
            readable.add(name)
            _read_sheet(reader, sheet, cols, by_key, read)
    _missing_rows(reader, rows, readable, read)
    if reader.problems:
        raise InputError(reader.problems, title=f"The workbook {file} has problems")
    return _validated(reader, model, by_key, read.values)


def _validated(
    reader: _Reader,
    model: Model,
    by_key: dict[str, TemplateRow],
    values: dict[str, tuple[Any, str | None, _Where]],
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
        if _same(row, new, years) and new_source is None:
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
    column: str | None, values: Mapping[str, tuple[Any, str | None, _Where]],
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
