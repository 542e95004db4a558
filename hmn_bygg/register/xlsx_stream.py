"""Streaming reads of xlsx workbooks, shared by the register and the LTB workbook readers.

A workbook read with openpyxl's ``data_only=True`` gives the value Excel saved with each cell;
a formula that was never calculated (a workbook written by a program) reads as empty. These
helpers find such cells and merged ranges in the sheet's XML before openpyxl parses it, and
yield a sheet's rows with uncalculated formulas marked as
:class:`~hmn_bygg.register.table.UncachedFormula`, stopping at a row limit.
"""

from __future__ import annotations

import itertools
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from hmn_bygg.register.table import UncachedFormula

_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([A-Za-z]+\d+(?::[A-Za-z]+\d+)?)\"")
_CHUNK = 1 << 20


def scan_sheet(zf: zipfile.ZipFile, member: str) -> tuple[bool, list[str]]:
    """Return whether a sheet's XML holds a formula, and its merged ranges (``"A2:A5"``).

    Parameters
    ----------
    zf : zipfile.ZipFile
        The open workbook.
    member : str
        The sheet's XML file in it (``xl/worksheets/sheet1.xml``).

    Returns
    -------
    (bool, list of str)
        Whether any cell has a formula, and the merged ranges in order, without repeats.
    """
    has_formula, merges, tail = False, [], b""
    with zf.open(member) as f:
        while chunk := f.read(_CHUNK):
            block = tail + chunk
            has_formula = has_formula or _FORMULA.search(block) is not None
            merges += [m.group(1).decode() for m in _MERGE.finditer(block)]
            tail = block[-256:]
    return has_formula, list(dict.fromkeys(merges))


def formula_text(value: Any) -> str | None:
    """Return the formula of a cell read with ``data_only=False``, or None for a plain value."""
    if isinstance(value, str):
        return value if value.startswith("=") else None
    if type(value).__name__ in ("ArrayFormula", "DataTableFormula"):
        return "=" + str(getattr(value, "text", "") or "")
    return None


def sheet_rows(
    sheet: Any, formula_sheet: Any | None, limit: int, over: list[int]
) -> Iterator[tuple[int, list[Any]]]:
    """Yield ``(row number, cells)`` with uncached formulas marked; stop past ``limit``.

    Parameters
    ----------
    sheet : openpyxl worksheet
        The sheet read with ``data_only=True`` (saved values).
    formula_sheet : openpyxl worksheet or None
        The same sheet read with ``data_only=False`` (formulas), or None when the sheet has
        no formula.
    limit : int
        The last row to yield; the first row past it is appended to ``over`` and ends the
        iteration.
    over : list of int
        Receives the number of the first row past ``limit``, if any.
    """
    values = sheet.iter_rows(values_only=True)
    formulas = formula_sheet.iter_rows(values_only=True) if formula_sheet is not None else ()
    for number, (row, frow) in enumerate(itertools.zip_longest(values, formulas), start=1):
        if number > limit:
            over.append(number)
            return
        cells = list(row or ())
        for i, text in enumerate(frow or ()):
            formula = formula_text(text)
            if formula is not None and (i >= len(cells) or cells[i] in (None, "")):
                cells += [None] * (i + 1 - len(cells))
                cells[i] = UncachedFormula(formula)
        yield number, cells
