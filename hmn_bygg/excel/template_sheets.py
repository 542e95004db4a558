"""Reading the topic sheets of an assumptions workbook, cell by cell (see
:mod:`hmn_bygg.excel.template` for the layout and the rules a user sees).

:class:`~hmn_bygg.excel.sheet_reader.SheetReader` collects every problem of a workbook, named by
sheet and cell;
:func:`sheet_columns` finds the key, value, year and source columns of a sheet by heading;
:func:`read_sheet` reads its rows into :class:`ReadValues` (value, source and where each key
was read); and :func:`same_value` tells whether a value read equals the model's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from openpyxl.utils import get_column_letter

from hmn_bygg.config import as_year_array, key_index
from hmn_bygg.config.keys import closest
from hmn_bygg.core.messages import Msg
from hmn_bygg.excel.layout import (
    KEY,
    PRICE_YEAR,
    SOURCE,
    VALUE,
    TemplateRow,
)
from hmn_bygg.excel.sheet_reader import SheetReader, Where, is_empty
from hmn_bygg.excel.workbook_read import SheetCells

__all__ = [
    "ReadValues",
    "read_sheet",
    "same_value",
    "sheet_columns",
]

YEARS = range(1900, 2201)
"""Headings read as year columns."""
_MOST_MERGES = 5
"""Merged ranges reported per sheet (the last one says how many more there are)."""


def _heading(value: Any) -> Any:
    """A heading as read: stripped text, or a year as int."""
    if isinstance(value, str):
        text = value.strip()
        return int(text) if text.isdigit() and int(text) in YEARS else text
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and int(value) in YEARS:
            return int(value)
    return value


def sheet_columns(
    reader: SheetReader, sheet: SheetCells, model_years: range
) -> dict[Any, int] | None:
    """Return the columns of a sheet by heading in row 1 (1-based), or None when unreadable.

    Parameters
    ----------
    reader : SheetReader
        Receives the problems (a missing key or value column, a year column twice, ...).
    sheet : SheetCells
        The sheet's cells.
    model_years : range
        The model's years: each needs a column.

    Returns
    -------
    dict or None
        Heading (``Nøkkel``, ``Verdi``, ``Kilde`` or a year as int) -> column number.
    """
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
        reader.problem(Msg("excel.two_columns_same_heading", head=head), where, 1,
                       Msg("excel.each_heading_once"),
                       Msg("excel.columns_letters", letters=letters))  # fmt: skip
        ok = False
    for head in (KEY, VALUE):
        if head not in cols:
            headed = Msg("excel.a_column_headed", head=head)
            if head == KEY:
                headed = Msg("excel.a_key_column_headed", head=head)
            reader.problem(Msg("excel.column_missing"), where, 1, headed)
            ok = False
    missing = [y for y in model_years if y not in cols]
    if missing and ok:
        shown = ", ".join(map(str, missing[:5])) + (" ..." if len(missing) > 5 else "")
        one = Msg("excel.year_column_missing")
        reader.problem(
            one if len(missing) == 1 else Msg("excel.year_columns_missing", n=len(missing)),
            where, 1,
            Msg("excel.a_column_per_year", first=str(model_years[0]), last=str(model_years[-1])),
            shown,
        )  # fmt: skip
        ok = False
    return cols if ok else None


def _merges(reader: SheetReader, sheet: SheetCells, read_cols: set[int]) -> None:
    """Report merged ranges that hide a cell the reader reads (any but their first cell)."""
    hiding = [
        (r0, c0, r1, c1)
        for r0, c0, r1, c1 in sheet.merged
        if any(c0 <= c <= c1 and (r1 > r0 or c > c0) for c in read_cols)
    ]
    for i, (r0, c0, r1, c1) in enumerate(hiding[:_MOST_MERGES], start=1):
        ref = f"{get_column_letter(c0)}{r0}:{get_column_letter(c1)}{r1}"
        more = len(hiding) - i if i == _MOST_MERGES else 0
        merged = Msg("excel.range_merged", ref=ref)
        if more > 0:
            merged = Msg("excel.ranges_merged", ref=ref, more=more)
        reader.problem(Msg("excel.merged_cells"), f"{sheet.title}!{ref}", r0,
                       Msg("excel.unmerge"), merged)  # fmt: skip


def _compact(path: dict[int, float]) -> dict[int, float]:
    """Drop year cells that repeat the previous value: ``{2018: 0, 2019: 0, 2020: 5}`` ->
    ``{2018: 0, 2020: 5}``."""
    out: dict[int, float] = {}
    for year in sorted(path):
        if not out or out[max(out)] != path[year]:
            out[year] = path[year]
    return out


def _read_row(
    reader: SheetReader, sheet: SheetCells, r: int, row: TemplateRow, cols: dict[Any, int],
    year_cols: dict[int, int],
) -> tuple[Any, Where]:  # fmt: skip
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
        if is_empty(raw):
            empty_years.append(year)
            continue
        if not reader.usable(raw, year_where[year], r):
            continue
        if row.kind == "value":
            reader.problem(Msg("excel.not_by_year"), year_where[year], r,
                           Msg("excel.the_value_in", column=VALUE), raw)  # fmt: skip
            continue
        number = reader.number(raw, row.unit, year_where[year], r)
        if number is not None:
            filled[year] = number
    if row.kind == "value":
        value = reader.scalar(vcell, row.value, row.unit, where_v, r) if usable_v else row.value
        return value, Where(r, where_v)
    here = Where(r, where_years, {y: w for y, w in year_where.items()})
    has_value = not is_empty(vcell)
    if row.kind == "years":
        if has_value and usable_v:
            reader.problem(Msg("excel.shares_in_years", column=VALUE), where_v, r, None, vcell)
        return {y: v for y, v in filled.items() if v != 0.0}, here
    if has_value and filled:
        reader.problem(Msg("excel.value_or_years", column=VALUE), where_v, r,
                       Msg("excel.an_empty_cell_in", column=VALUE), vcell)  # fmt: skip
        return row.value, here
    if filled:
        first_year = min(year_cols)
        if first_year in empty_years:
            reader.problem(Msg("excel.first_year_empty"), year_where[first_year], r,
                           Msg("excel.a_number_for_year", year=str(first_year)))  # fmt: skip
        return _compact(filled), here
    if has_value:
        value = reader.scalar(vcell, 0.0, row.unit, where_v, r) if usable_v else row.value
        return value, Where(r, where_v, here.years)
    if len(empty_years) == len(year_cols):
        reader.problem(Msg("excel.no_value", column=VALUE), where_v, r, Msg("excel.a_number"))
    return row.value, here


def same_value(row: TemplateRow, new: Any, years: list[int]) -> bool:
    """Return whether a value read equals the model's value of the row (by year for paths).

    Parameters
    ----------
    row : TemplateRow
        The row as the template writes it (the model's value).
    new : Any
        The value read from the workbook.
    years : list of int
        The model's years, over which year paths are compared.
    """
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
class ReadValues:
    """What the sheets hold: each key's value, source and place; keys a hint pointed to; the
    ``Prisår`` cells that hold anything (cell, where, row; read by
    :mod:`hmn_bygg.excel.price_years`)."""

    values: dict[str, tuple[Any, str | None, Where]] = field(default_factory=dict)
    hinted: set[str] = field(default_factory=set)
    price_cells: dict[str, tuple[Any, str, int]] = field(default_factory=dict)


def read_sheet(
    reader: SheetReader, sheet: SheetCells, cols: dict[Any, int], by_key: dict[str, TemplateRow],
    read: ReadValues,
) -> None:  # fmt: skip
    """Read every row of a sheet into ``read``, reporting what cannot be meant to ``reader``.

    Parameters
    ----------
    reader : SheetReader
        Receives the problems.
    sheet : SheetCells
        The sheet's cells.
    cols : dict
        Its columns (:func:`sheet_columns`).
    by_key : dict of str to TemplateRow
        The template's rows by key.
    read : ReadValues
        Receives each key's value, source and place.
    """
    name = sheet.title
    year_cols = {h: c for h, c in cols.items() if isinstance(h, int)}
    kcol, vcol, scol, pcol = cols[KEY], cols[VALUE], cols.get(SOURCE), cols.get(PRICE_YEAR)
    _merges(reader, sheet, {kcol, vcol, *year_cols.values(), *(c for c in (scol, pcol) if c)})
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
            filled = [c for c in (vcol, *year_cols.values()) if not is_empty(sheet.cell(r, c))]
            if filled:
                at = f"{name}!{get_column_letter(filled[0])}{r}"
                reader.problem(Msg("excel.value_without_key"), at, r,
                               Msg("excel.the_key_in", column=KEY))  # fmt: skip
            continue
        row = by_key.get(key)
        if row is None:
            near = closest(key, by_key)
            why = Msg("excel.unknown_key")
            if near is not None:
                read.hinted.add(near)
                why = Msg("excel.unknown_key_did_you_mean", near=near)
            if key in all_keys:
                why = Msg("excel.key_in_yaml")
            reader.problem(why, where, r, None, key)
            continue
        if key in read.values:
            first = read.values[key][2].key_cell
            reader.problem(Msg("excel.key_twice"), where, r,
                           Msg("excel.each_key_once", first=first), key)  # fmt: skip
            continue
        new, here = _read_row(reader, sheet, r, row, cols, year_cols)
        source = sheet.cell(r, scol) if scol else None
        if scol and not reader.usable(source, f"{name}!{get_column_letter(scol)}{r}", r):
            source = None
        text = str(source).strip() if source is not None else ""
        here.key_cell = where
        read.values[key] = (new, text or None, here)
        if pcol is not None and not is_empty(sheet.cell(r, pcol)):
            at = f"{name}!{get_column_letter(pcol)}{r}"
            read.price_cells[key] = (sheet.cell(r, pcol), at, r)
