"""Reading a topic sheet of an exported results workbook back into a table (tests, users)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries

from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.messages import Msg
from hmn_bygg.excel.workbook_read import read_workbook
from hmn_bygg.register.table import UncachedFormula

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
        Columns ``Scenario``, ``Foretak``, ``Størrelse``, ``Enhet``, ``Variabel``, one
        column per year (int) and ``Scenariokode``; empty cells are NaN. A total written as a
        formula (``=SUM(F2:F4)``) and never saved by Excel is computed from its cells.

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
        missing = Msg("excel.sheet_missing") if cells is None else Msg("excel.sheet_is_empty")
        problem = Problem(file, missing, None, sheet,
                          Msg("excel.a_sheet_with_headings", name=sheet),
                          ", ".join(book.sheetnames))  # fmt: skip
        raise InputError([problem], title=Msg("excel.workbook_cannot_be_read", file=file))
    head = cells.rows[1]
    rows = [cells.rows[r] + [None] * (len(head) - len(cells.rows[r])) for r in sorted(cells.rows)]
    numbers = sorted(cells.rows)
    rows = _computed(rows, numbers)
    frame = pd.DataFrame(rows[1:], columns=head)
    years = [c for c in frame.columns if isinstance(c, int)]
    problems = [
        Problem(
            file,
            Msg("register.not_a_number"),
            r,
            f"{sheet}!{get_column_letter(c)}{r}",
            Msg("excel.a_number"),
            str(v),
        )
        for r, row in zip(numbers[1:], rows[1:], strict=True)
        for c, v in enumerate(row, start=1)
        if head[c - 1] in years and v is not None and not _is_number(v)
    ]
    if problems:
        raise InputError(problems, title=Msg("excel.workbook_has_problems", file=file))
    frame[years] = frame[years].astype(float)
    return frame


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _computed(rows: list[list[Any]], numbers: list[int]) -> list[list[Any]]:
    """The rows with every formula without a saved result replaced by its value.

    The formulas are Excel's (parsed and computed by the ``formulas`` library) over cells of
    the same sheet that hold values.
    """
    formula_cells = [(i, j) for i, row in enumerate(rows) for j, v in enumerate(row)
                     if isinstance(v, UncachedFormula)]  # fmt: skip
    if not formula_cells:
        return rows
    import formulas  # only a workbook with formulas pays for the import

    at = {n: i for i, n in enumerate(numbers)}

    def value(ref: str) -> Any:
        low_col, low_row, high_col, high_row = range_boundaries(ref)
        block = [[rows[at[r]][c - 1] if r in at else None for c in range(low_col, high_col + 1)]
                 for r in range(low_row, high_row + 1)]  # fmt: skip
        return np.array(block, dtype=object) if ":" in ref else block[0][0]

    out = [list(row) for row in rows]
    for i, j in formula_cells:
        try:
            func = formulas.Parser().ast(str(rows[i][j]))[1].compile()
            result = func(*(value(ref) for ref in func.inputs))
            out[i][j] = float(np.asarray(result, dtype=float).ravel()[0])
        except Exception:
            continue
    return out
