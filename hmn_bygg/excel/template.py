"""The assumptions workbook: a model's parameters out to Excel, edited values back as overrides.

Layout of every topic sheet (``Drift``, ``Likviditet``, ``Investeringer``, ``Lån``, ...)::

    Nøkkel                              | Enhet     | Verdi | 2018 | 2019 | ... | Kilde | ...
    finance.credit_limit_mnok.HMR       | MNOK      | 500   |      |      |     | ...   |
    finance.operating_result_before_... | MNOK/year |       | 120  | 130  | ... | ...   |

- one row per dotted config key (:func:`hmn_bygg.config.valid_keys`); a per-HF or per-part
  table has one row per entry (``....HMR``);
- a parameter that may vary by year is written with a value in **every year column**; read
  back, each filled year cell holds from its year on (an empty cell repeats the cell to its
  left), and a value in ``Verdi`` with all year cells empty means one value for every year;
- a spend profile ``{year: share}`` is written in the year columns (empty = 0);
- any other parameter has its value in ``Verdi`` (its year cells are greyed out and must stay
  empty);
- ``Kilde`` is the parameter's source; change it when you change a value (an empty cell keeps
  the source). Entries of one table share one source;
- rows whose key starts with ``#`` and empty rows are ignored; columns are found by heading.

Parameters that are lists or mappings of records (new buildings, disposal rules) are edited
in the YAML model file; the ``Les meg`` sheet lists them. :func:`overrides_from_workbook`
returns only the keys whose value or source differ from the model, so a workbook written
from a scenario and read against the base model gives that scenario's overrides.
"""

from __future__ import annotations

import math
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

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

__all__ = [
    "TEMPLATE_SHEETS",
    "TemplateRow",
    "overrides_from_workbook",
    "template_rows",
    "write_template",
]

_TRUE = {"true", "ja", "yes", "sann", "1", "x"}
_FALSE = {"false", "nei", "no", "usann", "0"}


def _number(value: Any) -> float | None:
    """A cell as a number: numbers as they are, text like ``1 234,5`` parsed; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
        text = text.replace("−", "-").replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


@dataclass
class _Reader:
    file: str
    problems: list[Problem]

    def problem(self, message: str, where: str, row: int | None, expected: str | None = None,
                found: Any = None) -> None:  # fmt: skip
        shown = None if found is None else str(found)
        self.problems.append(Problem(self.file, message, row, where, expected, shown))

    def scalar(self, cell: Any, current: Any, unit: str | None, where: str, row: int) -> Any:
        """Parse a 'Verdi' cell by the type of the current value."""
        unit_text = f" [{unit}]" if unit and unit not in ("-", "1") else ""
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            if current is None:
                return None
            self.problem("the cell is empty", where, row, f"a value{unit_text}")
            return current
        if isinstance(current, bool):
            text = str(cell).strip().lower()
            if isinstance(cell, bool) or text in _TRUE | _FALSE:
                return cell if isinstance(cell, bool) else text in _TRUE
            self.problem("not yes/no", where, row, "ja/nei (TRUE/FALSE)", cell)
            return current
        if isinstance(current, str):
            return str(cell).strip()
        number = _number(cell)
        if number is None:
            self.problem("not a number", where, row, f"a number{unit_text}", cell)
            return current
        if isinstance(current, int) and number.is_integer():
            return int(number)
        return number


def _headers(ws: Worksheet) -> dict[Any, int]:
    out: dict[Any, int] = {}
    for cell in next(ws.iter_rows(min_row=1, max_row=1), ()):
        value = cell.value
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if value is not None:
            out[value.strip() if isinstance(value, str) else value] = cell.column
    return out


def _compact(path: dict[int, float]) -> dict[int, float]:
    """Drop year cells that repeat the previous value: ``{2018: 0, 2019: 0, 2020: 5}`` ->
    ``{2018: 0, 2020: 5}``."""
    out: dict[int, float] = {}
    for year in sorted(path):
        if not out or out[max(out)] != path[year]:
            out[year] = path[year]
    return out


def _read_row(
    reader: _Reader, ws: Worksheet, r: int, row: TemplateRow, cols: dict[Any, int],
    year_cols: dict[int, int],
) -> Any:  # fmt: skip
    """Return the row's value as read (same shape rules as the model)."""
    sheet = ws.title
    vcol = cols[VALUE]
    vcell = ws.cell(row=r, column=vcol).value
    where_v = f"{sheet}!{get_column_letter(vcol)}{r}"
    filled: dict[int, float] = {}
    for year, c in year_cols.items():
        raw = ws.cell(row=r, column=c).value
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        if row.kind == "value":
            reader.problem(
                "this parameter does not vary by year; leave the year cells empty",
                f"{sheet}!{get_column_letter(c)}{r}", r, f"the value in '{VALUE}'", raw,
            )  # fmt: skip
            continue
        number = _number(raw)
        if number is None:
            where = f"{sheet}!{get_column_letter(c)}{r}"
            reader.problem("not a number", where, r, f"a number [{row.unit}]", raw)
            continue
        filled[year] = number
    if row.kind == "value":
        return reader.scalar(vcell, row.value, row.unit, where_v, r)
    has_value = not (vcell is None or (isinstance(vcell, str) and not vcell.strip()))
    if row.kind == "years":
        if has_value:
            reader.problem(
                "give the shares in the year columns, not in 'Verdi'", where_v, r, None, vcell
            )
        return {y: v for y, v in filled.items() if v != 0.0}
    if has_value and filled:
        reader.problem(
            "give either one value in 'Verdi' or values in the year columns, not both",
            where_v, r, "an empty 'Verdi' cell", vcell,
        )  # fmt: skip
    if filled:
        return _compact(filled)
    if has_value:
        return reader.scalar(vcell, 0.0, row.unit, where_v, r)
    reader.problem("no value in 'Verdi' nor in the year columns", where_v, r, "a number")
    return row.value


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


def overrides_from_workbook(path: str | Path, model: Model) -> dict[str, Any]:
    """Read an assumptions workbook and return the overrides that turn ``model`` into it.

    Parameters
    ----------
    path : str or Path
        A workbook written by :func:`write_template` (``hmn-bygg template``) and edited.
    model : Model
        The model the overrides apply to (usually the base model or the scenario run).

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
        Every problem at once, each naming the sheet and cell (``column="Drift!C7"``): a
        missing sheet or column, an unknown key, text in a number cell, year values for a
        parameter that has none, or a value the model rejects (out of range, wrong choice).
    """
    file = str(path)
    reader = _Reader(file, [])
    try:
        wb = load_workbook(path, data_only=True)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as err:  # not a workbook
        raise InputError(
            [Problem(file, "cannot read the workbook", expected="an .xlsx file", found=str(err))],
            title="The assumptions workbook cannot be read",
        ) from None
    rows, _ = template_rows(model)
    by_key = {row.key: row for row in rows}
    needed = list(dict.fromkeys(row.sheet for row in rows))
    for name in needed:
        if name not in wb.sheetnames:
            reader.problem("sheet is missing", name, None, f"sheets {', '.join(needed)}",
                           ", ".join(wb.sheetnames))  # fmt: skip
    values: dict[str, tuple[Any, str | None, str]] = {}
    all_keys = key_index()
    for name in [n for n in wb.sheetnames if n in needed]:
        ws = wb[name]
        cols = _headers(ws)
        missing = [h for h in (KEY, VALUE) if h not in cols]
        for h in missing:
            reader.problem("column is missing", f"{name}!1", 1, f"a column headed '{h}'")
        if missing:
            continue
        year_cols = {h: c for h, c in cols.items() if isinstance(h, int)}
        for r in range(2, ws.max_row + 1):
            raw_key = ws.cell(row=r, column=cols[KEY]).value
            key = str(raw_key).strip() if raw_key is not None else ""
            where = f"{name}!{get_column_letter(cols[KEY])}{r}"
            if not key or key.startswith("#"):
                continue
            row = by_key.get(key)
            if row is None:
                why = (
                    "this key is set in the YAML model file, not in the workbook"
                    if key in all_keys
                    else "unknown key" + did_you_mean(key, by_key)
                )
                reader.problem(why, where, r, None, key)
                continue
            if key in values:
                reader.problem("key given twice", where, r, None, key)
                continue
            new = _read_row(reader, ws, r, row, cols, year_cols)
            source = ws.cell(row=r, column=cols[SOURCE]).value if SOURCE in cols else None
            source = str(source).strip() if source is not None and str(source).strip() else None
            values[key] = (new, source, f"{name}!{get_column_letter(cols[VALUE])}{r}")
    if reader.problems:
        raise InputError(reader.problems, title=f"The workbook {file} has problems")
    return _validated(reader, model, by_key, values)


def _validated(
    reader: _Reader,
    model: Model,
    by_key: dict[str, TemplateRow],
    values: dict[str, tuple[Any, str | None, str]],
) -> dict[str, Any]:
    """Keep the changed keys, check one source per table, and validate with the model."""
    years = list(range(model.model.start_year, model.model.end_year + 1))
    index = key_index()
    overrides: dict[str, Any] = {}
    table_sources: dict[str, tuple[str, str]] = {}
    for key, (new, source, where) in values.items():
        row = by_key[key]
        new_source = source if source is not None and source != (row.source or "") else None
        if _same(row, new, years) and new_source is None:
            continue
        if new_source is not None and index[key].kind == "entry":
            seen = table_sources.setdefault(key.rsplit(".", 1)[0], (new_source, where))
            if seen[0] != new_source:
                reader.problem(
                    "entries of one table share one source; the sources differ",
                    where, _row_of(where), f"the source in {seen[1]}", new_source,
                )  # fmt: skip
        overrides[key] = new if new_source is None else {"value": new, "source": new_source}
    if reader.problems:
        raise InputError(reader.problems, title=f"The workbook {reader.file} has problems")
    try:
        apply_overrides(model, overrides, file=reader.file)
    except InputError as err:
        for p in err.problems:
            where = next(
                (w for k, (_, _, w) in values.items() if p.column and overlapping(k, p.column)),
                None,
            )
            reader.problems.append(
                Problem(reader.file, p.message if where else f"{p.column}: {p.message}",
                        _row_of(where), where, p.expected, p.found)
            )  # fmt: skip
        title = f"The workbook {reader.file} has problems"
        raise InputError(reader.problems, title=title) from None
    return overrides


def _row_of(where: str | None) -> int | None:
    if not where:
        return None
    digits = "".join(ch for ch in where.split("!")[-1] if ch.isdigit())
    return int(digits) if digits else None
