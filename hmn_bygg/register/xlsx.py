"""Reading Excel workbooks (``.xlsx``/``.xlsm``) for the register: saved values, nothing guessed.

Workbooks are read with openpyxl in read-only mode with ``data_only=True``: a cell gives the
value Excel saved with it, never a formula. Two things would then read as an empty cell and,
in an optional column, silently become a default value:

- a **formula without a saved result** (a workbook written by a program, not saved by Excel):
  such cells are passed on as :class:`~hmn_bygg.register.table.UncachedFormula` and reported;
- a **merged cell**: only its first cell holds the value. The merged ranges are passed on in
  :attr:`RawTable.merged <hmn_bygg.register.table.RawTable>` and reported where they cover a
  column the register uses.

Before openpyxl parses anything, the workbook's unpacked size is checked against
:attr:`hmn_bygg.core.limits.Limits.max_xlsx_unpacked_bytes` (a "zip bomb" guard), and the rows of a
sheet are counted as they are read and refused beyond
:attr:`~hmn_bygg.core.limits.Limits.max_part_rows`. The file is only opened for reading.
"""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hmn_bygg.core.errors import Problem
from hmn_bygg.core.limits import LIMITS, Limits, row_count_problem
from hmn_bygg.register.table import (
    HEADER_SEARCH_ROWS,
    RawTable,
    empty_problem,
    table_from_rows,
)
from hmn_bygg.register.xlsx_stream import scan_sheet, sheet_rows


def _unreadable(name: str, err: BaseException) -> Problem:
    return Problem(
        name,
        "cannot read the file as an Excel workbook",
        expected="an .xlsx workbook saved by Excel (or a CSV file)",
        found=f"{type(err).__name__}: {err}"[:200],
    )


def _scan(path: Path, limits: Limits) -> tuple[dict[str, tuple[bool, list[str]]], list[Problem]]:
    """Check the unpacked size and scan each worksheet's XML (before openpyxl parses it)."""
    name = str(path)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            unpacked = sum(i.file_size for i in infos)
            if unpacked > limits.max_xlsx_unpacked_bytes:
                gb = limits.max_xlsx_unpacked_bytes / 2**30
                problem = Problem(
                    name,
                    "the workbook unpacks to more data than a register can hold",
                    expected=f"at most {gb:g} GB unpacked: save the register sheets alone, "
                    "or export them as CSV",
                    found=f"{unpacked / 2**30:.1f} GB",
                )
                return {}, [problem]
            scans = {
                i.filename: scan_sheet(zf, i.filename)
                for i in infos
                if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")
            }
    except Exception as err:  # a broken zip in any of its many ways
        return {}, [_unreadable(name, err)]
    return scans, []


def _ranges(refs: list[str]) -> list[tuple[int, int, int, int]]:
    from openpyxl.utils import range_boundaries

    out = []
    for ref in refs:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        out.append((min_row, min_col - 1, max_row, max_col - 1))
    return out


def _open(path: Path, data_only: bool) -> Any:
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # styles, data validation: harmless to a reader
        return openpyxl.load_workbook(path, read_only=True, data_only=data_only)


def read_xlsx(
    path: Path, is_heading: Callable[[str], bool], limits: Limits = LIMITS
) -> tuple[list[RawTable], list[str], list[Problem]]:
    """Read every sheet of a workbook that holds a table.

    Parameters
    ----------
    path : pathlib.Path
        The workbook, named as the user gave it.
    is_heading : callable
        Tells whether a cell text is a known heading.
    limits : hmn_bygg.core.limits.Limits
        Unpacked size and row limits.

    Returns
    -------
    tables : list of RawTable
        One per sheet with a table and data rows; ``merged`` holds the sheet's merged ranges.
    notes : list of str
        Sheets skipped because none of their headings is known.
    problems : list of Problem
        An unreadable or too large workbook, too many rows, sheets without data rows.
    """
    name = str(path)
    scans, problems = _scan(path, limits)
    if problems:
        return [], [], problems
    tables: list[RawTable] = []
    books: list[Any] = []
    limit = limits.max_part_rows + HEADER_SEARCH_ROWS
    try:
        book = _open(path, data_only=True)
        books.append(book)
        formula_book = None
        if any(has for has, _ in scans.values()):
            formula_book = _open(path, data_only=False)
            books.append(formula_book)
        for sheet in book.worksheets:
            if not hasattr(sheet, "iter_rows"):  # chart sheets
                continue
            member = str(getattr(sheet, "_worksheet_path", "")).lstrip("/")
            has_formula, merges = scans.get(member, (True, []))
            formula_sheet = None
            if has_formula and formula_book is not None:
                formula_sheet = formula_book[sheet.title]
                formula_sheet.reset_dimensions()
            sheet.reset_dimensions()
            label = f"{name}, sheet '{sheet.title}'"
            over: list[int] = []
            table = table_from_rows(
                label, sheet_rows(sheet, formula_sheet, limit, over), is_heading
            )
            if over:
                too_many = row_count_problem(label, over[0], limit, "rows", at_least=True)
                return [], [], [too_many] if too_many is not None else []
            if table is not None:
                table.merged = _ranges(merges)
                tables.append(table)
    except Exception as err:  # zip, XML or openpyxl errors: all mean "not a readable workbook"
        return [], [], [_unreadable(name, err)]
    finally:
        for b in books:
            b.close()
    if not tables:
        return [], [], [empty_problem(name, "no sheet with any cells")]
    known = [t for t in tables if sum(map(is_heading, t.headings)) >= 1]
    notes = []
    if known and len(known) < len(tables):
        skipped = [t.file for t in tables if t not in known]
        notes = [f"skipped (no known headings): {', '.join(skipped)}"]
        tables = known
    found = "a heading row but no data rows"
    problems = [empty_problem(t.file, found) for t in tables if not t.rows]
    return [t for t in tables if t.rows], notes, problems


def merged_problems(raw: RawTable) -> list[Problem]:
    """Report merged workbook cells that cover a used column below the headings.

    Only the first cell of a merged range holds its value; the others read as empty and
    would silently take a default. Merged title lines above the headings are harmless.
    """
    used = {i: name for name, i in raw.columns.items()}
    problems = []
    for first_row, first_col, last_row, last_col in raw.merged:
        hidden = [
            i
            for i in range(first_col, last_col + 1)
            if i in used and (i > first_col or last_row > max(first_row, raw.header_row))
        ]
        if not hidden or last_row <= raw.header_row:
            continue
        problems.append(
            Problem(
                raw.file,
                "merged cells in the table: only the first cell holds the value",
                row=max(first_row, raw.header_row + 1),
                column=raw.headings[hidden[0]],
                expected="one value in every cell: unmerge the cells and fill each row "
                "(Excel: Merge & Center > Unmerge Cells, then fill down)",
                found=f"rows {first_row}–{last_row} merged"
                if last_row > first_row
                else f"row {first_row}, columns merged",
            )
        )
    return problems
