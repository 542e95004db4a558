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
from hmn_bygg.core.messages import Msg
from hmn_bygg.register.table import (
    HEADER_SEARCH_ROWS,
    RawTable,
    empty_problem,
    sheet_label,
    table_from_rows,
)
from hmn_bygg.register.xlsx_stream import (
    SheetScan,
    external_targets,
    link_note,
    scan_sheet,
    sheet_rows,
)


def _unreadable(name: str, err: BaseException) -> Problem:
    return Problem(
        name,
        Msg("register.not_a_workbook"),
        expected=Msg("register.a_saved_workbook"),
        found=f"{type(err).__name__}: {err}"[:200],
    )


def _scan(path: Path, limits: Limits) -> tuple[dict[str, SheetScan], dict[str, str], list[Problem]]:
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
                    Msg("register.unpacks_too_much"),
                    expected=Msg("register.at_most_unpacked", size=f"{gb:g}"),
                    found=f"{unpacked / 2**30:.1f} GB",
                )
                return {}, {}, [problem]
            targets = external_targets(zf)
            scans = {
                i.filename: scan_sheet(zf, i.filename)
                for i in infos
                if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")
            }
    except Exception as err:  # a broken zip in any of its many ways
        return {}, {}, [_unreadable(name, err)]
    return scans, targets, []


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


def listed(items: list[Any], most: int = 10) -> Msg | str:
    """The first ``most`` items joined by ", ", and how many more there are."""
    shown = ", ".join(str(i) for i in items[:most])
    return (
        Msg("register.and_more", items=shown, more=len(items) - most)
        if len(items) > most
        else shown
    )


def sheet_notes(
    label: Msg | str, scan: SheetScan, targets: dict[str, str], below: int = 0
) -> list[Msg]:
    """Return notes on what a sheet hides: hidden or filtered rows, hidden columns, links.

    Parameters
    ----------
    label : Msg or str
        The file and sheet as the notes name them (:func:`hmn_bygg.register.table.sheet_label`).
    scan : SheetScan
        The sheet's scan (:func:`hmn_bygg.register.xlsx_stream.scan_sheet`).
    targets : dict of str to str
        The workbooks linked to (:func:`hmn_bygg.register.xlsx_stream.external_targets`).
    below : int
        Only rows below this one count (the heading row of a table).
    """
    from openpyxl.utils import get_column_letter

    notes = []
    hidden = Msg("register.hidden")
    rows = [r for r in scan.hidden_rows if r > below]
    if rows:
        how = Msg("register.filtered_out") if scan.autofilter else hidden
        many = Msg("register.rows_are", rows=listed(rows))
        what = many if len(rows) > 1 else Msg("register.row_is", row=str(rows[0]))
        notes.append(Msg("register.note_hidden", label=label, what=what, how=how))
    if scan.hidden_columns:
        letters = listed([get_column_letter(c) for c in scan.hidden_columns])
        many = Msg("register.columns_are", letters=letters)
        what = many if len(scan.hidden_columns) > 1 else Msg("register.column_is", letters=letters)
        notes.append(Msg("register.note_hidden", label=label, what=what, how=hidden))
    links = [link_note(label, cell, formula, targets) for cell, formula in scan.external[:10]]
    if len(scan.external) > 10:
        links.append(Msg("register.more_links", label=label, n=len(scan.external) - 10))
    return notes + links


def read_xlsx(
    path: Path,
    is_heading: Callable[[str], bool],
    limits: Limits = LIMITS,
    *,
    include_hidden: bool = False,
) -> tuple[list[RawTable], list[Msg], list[Problem]]:
    """Read every visible sheet of a workbook that holds a table.

    Parameters
    ----------
    path : pathlib.Path
        The workbook, named as the user gave it.
    is_heading : callable
        Tells whether a cell text is a known heading.
    limits : hmn_bygg.core.limits.Limits
        Unpacked size and row limits.
    include_hidden : bool
        Also read hidden sheets (skipped and listed in the notes by default).

    Returns
    -------
    tables : list of RawTable
        One per sheet with a table and data rows; ``merged`` holds the sheet's merged ranges,
        ``sheet`` its name.
    notes : list of str
        Hidden sheets skipped, sheets skipped because none of their headings is known,
        hidden or filtered rows and hidden columns, cells that link to other workbooks.
    problems : list of Problem
        An unreadable or too large workbook, too many rows, sheets without data rows.
    """
    name = str(path)
    scans, targets, problems = _scan(path, limits)
    if problems:
        return [], [], problems
    tables: list[RawTable] = []
    notes: list[Msg] = []
    hidden: list[str] = []
    books: list[Any] = []
    limit = limits.max_part_rows + HEADER_SEARCH_ROWS
    try:
        book = _open(path, data_only=True)
        books.append(book)
        formula_book = None
        if any(s.has_formula for s in scans.values()):
            formula_book = _open(path, data_only=False)
            books.append(formula_book)
        for sheet in book.worksheets:
            if not hasattr(sheet, "iter_rows"):  # chart sheets
                continue
            if getattr(sheet, "sheet_state", "visible") != "visible" and not include_hidden:
                hidden.append(sheet.title)
                continue
            member = str(getattr(sheet, "_worksheet_path", "")).lstrip("/")
            scan = scans.get(member, SheetScan(has_formula=True))
            formula_sheet = None
            if scan.has_formula and formula_book is not None:
                formula_sheet = formula_book[sheet.title]
                formula_sheet.reset_dimensions()
            sheet.reset_dimensions()
            label = f"{name} [{sheet.title}]"  # the same in either language
            over: list[int] = []
            table = table_from_rows(
                label, sheet_rows(sheet, formula_sheet, limit, over), is_heading
            )
            if over:
                too_many = row_count_problem(
                    label, over[0], limit, Msg("register.what_rows"), at_least=True
                )
                return [], [], [too_many] if too_many is not None else []
            if table is not None:
                table.merged = _ranges(scan.merges)
                table.sheet = sheet.title
                notes_label = sheet_label(name, sheet.title)
                table.notes = sheet_notes(notes_label, scan, targets, table.header_row)
                tables.append(table)
    except Exception as err:  # zip, XML or openpyxl errors: all mean "not a readable workbook"
        return [], [], [_unreadable(name, err)]
    finally:
        for b in books:
            b.close()
    if targets and not any(s.external for s in scans.values()):
        linked = ", ".join(sorted(set(targets.values())))
        notes.append(Msg("register.unused_links", name=name, linked=linked))
    if hidden:
        sheets = ", ".join(f"'{h}'" for h in hidden)
        notes.append(Msg("register.hidden_sheets_skipped", name=name, sheets=sheets))
    if not tables:
        found = (
            Msg("register.only_hidden_sheets") if hidden else Msg("register.no_sheet_with_cells")
        )
        return [], notes, [empty_problem(name, found)]
    known = [t for t in tables if sum(map(is_heading, t.headings)) >= 1]
    if known and len(known) < len(tables):
        skipped = [t.file for t in tables if t not in known]
        notes.append(Msg("register.sheets_skipped", sheets=skipped))
        tables = known
    found = Msg("register.heading_but_no_data")
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
                Msg("register.merged_cells"),
                row=max(first_row, raw.header_row + 1),
                column=raw.headings[hidden[0]],
                expected=Msg("register.unmerge"),
                found=Msg("register.rows_merged", first=str(first_row), last=str(last_row))
                if last_row > first_row
                else Msg("register.columns_merged", row=str(first_row)),
            )
        )
    return problems
