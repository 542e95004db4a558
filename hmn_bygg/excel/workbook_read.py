"""Opening a workbook a user edited: for reading only, within limits, values as Excel saved them.

:func:`read_workbook` returns the cells of the sheets asked for, or raises an
:class:`~hmn_bygg.core.errors.InputError` that says what to do. Before openpyxl parses anything it
refuses

- a missing or empty file; an old Excel 97-2003 (``.xls``) or an encrypted workbook, told
  apart by their first bytes (both are OLE2 files, not zip files) whatever the file is called;
- a file larger than :attr:`~hmn_bygg.core.limits.Limits.max_workbook_bytes`, or one that unpacks to
  more than :attr:`~hmn_bygg.core.limits.Limits.max_workbook_unpacked_bytes` (a "zip bomb");

and while reading, a sheet with anything below row
:attr:`~hmn_bygg.core.limits.Limits.max_workbook_rows`, and anything openpyxl cannot parse.

A cell holds the value Excel saved with it, never a formula. Two things would read as an empty
cell and are passed on instead, for the caller to report: a formula without a saved result
(a workbook written by a program and never saved by Excel) comes as
:class:`~hmn_bygg.register.table.UncachedFormula`, and the merged ranges of each sheet are
listed (only the first cell of a range holds its value). The XML scan and the row reading are
those of the register reader (:mod:`hmn_bygg.register.xlsx_stream`).
"""

from __future__ import annotations

import contextlib
import os
import warnings
import zipfile
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, BinaryIO

from openpyxl import load_workbook
from openpyxl.utils import range_boundaries

from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.limits import LIMITS, MB, Limits
from hmn_bygg.core.messages import Msg
from hmn_bygg.core.paths import not_a_file
from hmn_bygg.register.table import sheet_label
from hmn_bygg.register.xlsx import sheet_notes
from hmn_bygg.register.xlsx_stream import SheetScan, external_targets, scan_sheet, sheet_rows

__all__ = ["EXCEL_ERRORS", "SheetCells", "WorkbookCells", "read_workbook"]

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""First bytes of an OLE2 compound file: an ``.xls`` workbook, or an encrypted ``.xlsx``."""
EXCEL_ERRORS = frozenset(
    "#NULL! #DIV/0! #VALUE! #REF! #NAME? #NUM! #N/A #GETTING_DATA #SPILL! #CALC! #FIELD! "
    "#BLOCKED! #CONNECT! #BUSY! #UNKNOWN! #EXTERNAL! #PYTHON!".split()
)
"""The error values Excel shows (and saves) in a cell whose formula failed."""
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


@dataclass
class SheetCells:
    """The cells of one sheet.

    Attributes
    ----------
    title : str
        Sheet name.
    rows : dict of int to list
        Spreadsheet row -> its cells from column A (index 0) on, for every row holding
        anything. Rows below the first are cut to the width of the first (the headings).
    merged : list of (int, int, int, int)
        Merged ranges as ``(first row, first column, last row, last column)``, 1-based.
    is_worksheet : bool
        False for a chart sheet (no cells).
    """

    title: str
    rows: dict[int, list[Any]] = field(default_factory=dict)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    is_worksheet: bool = True

    def cell(self, row: int, column: int) -> Any:
        """The value of a cell (1-based row and column), None when empty."""
        cells = self.rows.get(row, ())
        return cells[column - 1] if column <= len(cells) else None


@dataclass
class WorkbookCells:
    """A workbook as read: the names of all its sheets, and the cells of those asked for.

    ``notes`` say what the workbook hides and is read all the same: hidden sheets among those
    asked for, hidden or filtered rows, hidden columns, and cells that link to other
    workbooks (their saved value is read).
    """

    file: str
    sheetnames: list[str]
    sheets: dict[str, SheetCells]
    notes: list[Msg] = field(default_factory=list)


def _mb(n_bytes: float) -> str:
    return f"{n_bytes / MB:.1f} MB"


def _megabytes(n_bytes: float) -> float:
    """A limit in MB for a message (one decimal at most: 20, 2,5)."""
    return round(n_bytes / MB, 1)


def _refuse(file: str, message: Msg, expected: Msg, found: Msg | str | None = None) -> InputError:
    problem = Problem(file, message, expected=expected, found=found)
    return _unreadable(file, problem)


def _unreadable(file: str, problem: Problem) -> InputError:
    return InputError([problem], title=Msg("excel.workbook_cannot_be_read", file=file))


def _check_file(path: Path, file: str, limits: Limits) -> None:
    """Refuse a missing, empty, too large, old-format or encrypted file before parsing it."""
    if not path.is_file():
        raise _unreadable(file, not_a_file(path, file, Msg("excel.an_xlsx_workbook")))
    size = path.stat().st_size
    if size == 0:
        empty, zero = Msg("register.file_is_empty"), Msg("register.zero_bytes")
        raise _refuse(file, empty, Msg("excel.an_xlsx_workbook"), zero)
    if size > limits.max_workbook_bytes:
        raise _refuse(
            file,
            Msg("excel.too_large_for_workbook"),
            Msg("excel.at_most_workbook_size", size=_megabytes(limits.max_workbook_bytes)),
            _mb(size),
        )
    with open(path, "rb") as fh:
        head = fh.read(len(OLE2))
        if head != OLE2:
            return
        encrypted = _ENCRYPTED in fh.read(limits.max_workbook_bytes)
    if encrypted:
        raise _refuse(
            file,
            Msg("excel.encrypted"),
            Msg("excel.no_password"),
        )
    raise _refuse(
        file,
        Msg("excel.old_xls"),
        Msg("excel.save_as_xlsx"),
    )


def _scan(fh: BinaryIO, file: str, limits: Limits) -> tuple[dict[str, SheetScan], dict[str, str]]:
    """Check the unpacked size; return each worksheet's scan and the workbooks linked to."""
    with zipfile.ZipFile(fh) as zf:
        infos = zf.infolist()
        unpacked = sum(i.file_size for i in infos)
        if unpacked > limits.max_workbook_unpacked_bytes:
            raise _refuse(
                file,
                Msg("excel.unpacks_too_much"),
                Msg("excel.at_most_unpacked", size=_megabytes(limits.max_workbook_unpacked_bytes)),
                _mb(unpacked),
            )
        scans = {
            i.filename: scan_sheet(zf, i.filename)
            for i in infos
            if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")
        }
        return scans, external_targets(zf)


def _merged(refs: list[str]) -> list[tuple[int, int, int, int]]:
    out = []
    for ref in refs:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        out.append((min_row, min_col, max_row, max_col))
    return out


def _read_sheet(
    sheet: Any, formula_sheet: Any | None, merges: list[str], file: str, limits: Limits
) -> SheetCells:
    cells = SheetCells(sheet.title, merged=_merged(merges))
    sheet.reset_dimensions()  # a wrong stored size must not pad rows or add empty ones
    if formula_sheet is not None:
        formula_sheet.reset_dimensions()
    over: list[int] = []
    width = 0
    for number, row in sheet_rows(sheet, formula_sheet, limits.max_workbook_rows, over):
        if number == 1:
            width = max((i + 1 for i, v in enumerate(row) if v is not None), default=0)
        else:
            row = row[:width]
        if any(v is not None for v in row):
            cells.rows[number] = row
    if over:
        n = over[0]
        problem = Problem(
            file,
            Msg("excel.too_many_rows"),
            row=n,
            column=f"{sheet.title}!{n}:{n}",
            expected=Msg("excel.nothing_below_row", row=str(limits.max_workbook_rows)),
            found=Msg("excel.something_in_row", row=str(n)),
        )
        raise _unreadable(file, problem)
    return cells


def read_workbook(
    path: str | os.PathLike[str],
    sheets: Collection[str] | None = None,
    *,
    limits: Limits = LIMITS,
    hidden_ok: Collection[str] = (),
) -> WorkbookCells:
    """Read the cells of some sheets of an ``.xlsx`` workbook, refusing what cannot be read.

    Parameters
    ----------
    path : path-like
        The workbook, named as the user gave it. It is only opened for reading.
    sheets : collection of str, optional
        The sheets to read (those present); None reads every sheet.
    limits : hmn_bygg.core.limits.Limits
        File size, unpacked size and row limits.
    hidden_ok : collection of str
        Headings (row 1) of columns the workbook's writer hides itself; no note when they are.

    Returns
    -------
    WorkbookCells

    Raises
    ------
    hmn_bygg.core.errors.InputError
        One problem naming the file (and the sheet and row for too many rows) that says what
        to do: missing, empty, too large, an ``.xls`` or encrypted workbook, a zip bomb, too
        many rows, or not a readable workbook at all.
    """
    file = str(path)
    _check_file(Path(path), file, limits)
    try:
        with contextlib.ExitStack() as stack, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # styles, data validation: harmless to a reader
            fh = stack.enter_context(open(path, "rb"))
            scans, targets = _scan(fh, file, limits)
            fh.seek(0)
            book = load_workbook(fh, read_only=True, data_only=True)
            stack.callback(book.close)
            names = list(book.sheetnames)
            wanted = [n for n in names if sheets is None or n in sheets]
            members = {n: str(getattr(book[n], "_worksheet_path", "")).lstrip("/") for n in wanted}
            formulas = None
            unknown = SheetScan(has_formula=True)
            if any(scans.get(m, unknown).has_formula for m in members.values()):
                formulas = load_workbook(stack.enter_context(open(path, "rb")), read_only=True)
                stack.callback(formulas.close)
            out, notes = {}, []
            for name in wanted:
                sheet = book[name]
                if not hasattr(sheet, "iter_rows"):  # a chart sheet
                    out[name] = SheetCells(name, is_worksheet=False)
                    continue
                scan = scans.get(members[name], unknown)
                with_formula = formulas is not None and scan.has_formula
                formula_sheet = formulas[name] if formulas is not None and with_formula else None
                out[name] = _read_sheet(sheet, formula_sheet, scan.merges, file, limits)
                label = sheet_label(file, name)
                if getattr(sheet, "sheet_state", "visible") != "visible":
                    notes.append(Msg("excel.sheet_hidden_read", label=label))
                heads = out[name].rows.get(1, ())
                shown = [c for c in scan.hidden_columns
                         if c > len(heads) or heads[c - 1] not in hidden_ok]  # fmt: skip
                notes += sheet_notes(label, replace(scan, hidden_columns=shown), targets, below=1)
    except InputError:
        raise
    except Exception as err:  # zip, XML or openpyxl errors: all mean "not a readable workbook"
        raise _refuse(
            file,
            Msg("excel.cannot_read_workbook"),
            Msg("excel.a_saved_workbook"),
            f"{type(err).__name__}: {err}"[:200],
        ) from None
    return WorkbookCells(file, names, out, notes)
