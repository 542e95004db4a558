"""Reading a topic sheet of an exported results workbook back into a table (tests, users)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl.utils import get_column_letter

from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.excel.workbook_read import read_workbook

__all__ = ["read_sheet"]


def read_sheet(path: str | Path, sheet: str) -> pd.DataFrame:
    """Read a topic sheet of an exported workbook back into a table.

    Parameters
    ----------
    path : str or Path
        The workbook (read with the checks and limits of
        :func:`hmn_bygg.excel.workbook_read.read_workbook`).
    sheet : str
        Sheet name, e.g. ``"Tilstand"``.

    Returns
    -------
    pandas.DataFrame
        Columns ``Scenario``, ``Foretak``, ``Størrelse``, ``Enhet``, ``Variabel`` and one
        column per year (int); empty cells are NaN.

    Raises
    ------
    hmn_bygg.core.errors.InputError
        When the file is not a readable workbook, the sheet is missing or empty, or a year
        cell holds anything but a number.
    """
    file = str(path)
    book = read_workbook(path, [sheet])
    cells = book.sheets.get(sheet)
    if cells is None or not cells.rows.get(1):
        problem = Problem(file, "sheet is missing" if cells is None else "the sheet is empty",
                          None, sheet, f"a sheet named '{sheet}' with a heading row",
                          ", ".join(book.sheetnames))  # fmt: skip
        raise InputError([problem], title=f"The workbook {file} cannot be read")
    head = cells.rows[1]
    rows = [cells.rows[r] + [None] * (len(head) - len(cells.rows[r])) for r in sorted(cells.rows)]
    frame = pd.DataFrame(rows[1:], columns=head)
    years = [c for c in frame.columns if isinstance(c, int)]
    problems = [
        Problem(file, "not a number", r, f"{sheet}!{get_column_letter(c)}{r}", "a number", str(v))
        for r in sorted(cells.rows)[1:]
        for c, v in enumerate(cells.rows[r], start=1)
        if head[c - 1] in years and v is not None and not _is_number(v)
    ]
    if problems:
        raise InputError(problems, title=f"The workbook {file} has problems")
    frame[years] = frame[years].astype(float)
    return frame


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
