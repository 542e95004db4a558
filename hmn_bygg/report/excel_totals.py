"""Totals in the results workbook as Excel formulas over the year cells they add up.

A finance reader clicks a region total and sees ``=SUM(F2,F3,F4)``: the HF rows it adds.
A total is written as a formula only where the model's region figure *is* the sum of the HF
rows above it (to about 1e-9 MNOK in every year); elsewhere (VTTG and FCI are weighted means,
some region totals carry regional items of the RHF) the model's value is written, so the
workbook never shows a number the model does not have.

Such formulas have no saved result until Excel (or LibreOffice) opens and saves the
workbook; :func:`hmn_bygg.report.excel_read.read_sheet` computes them when reading back.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from openpyxl.utils import get_column_letter

__all__ = ["sum_formula", "total_rows"]

TOLERANCE = 1e-9
"""Largest difference [in the row's unit] for a total to be written as the sum of its parts."""


def total_rows(
    rows: Sequence[Sequence[object]], entity_col: int, key_cols: Sequence[int], hfs: Sequence[str],
    first_value_col: int, n_values: int, region: str = "Region",
) -> dict[int, list[int]]:  # fmt: skip
    """Return the rows whose values are the sum of other rows: ``{row index: [part indices]}``.

    Parameters
    ----------
    rows : sequence of rows
        The table's rows (0-based indices; the sheet row is index + 2).
    entity_col : int
        0-based column of the entity (HF code or ``region``).
    key_cols : sequence of int
        0-based columns that together name one variable of one scenario.
    hfs : sequence of str
        The HF codes whose rows add up to the region.
    first_value_col, n_values : int
        Where the year values start (0-based) and how many there are.
    region : str
        The entity of a total row.

    Returns
    -------
    dict of int to list of int
        For each region row equal (within :data:`TOLERANCE`) to the sum of its HF rows, the
        indices of those rows.
    """
    groups: dict[tuple[object, ...], dict[str, int]] = {}
    for i, row in enumerate(rows):
        groups.setdefault(tuple(row[c] for c in key_cols), {})[str(row[entity_col])] = i
    out: dict[int, list[int]] = {}
    span = slice(first_value_col, first_value_col + n_values)
    for members in groups.values():
        parts = [members[h] for h in hfs if h in members]
        if region not in members or len(parts) < 2:
            continue
        total = _numbers(rows[members[region]][span])
        values = np.array([_numbers(rows[p][span]) for p in parts])
        if np.isnan(total).any() or np.isnan(values).any():
            continue
        if np.allclose(values.sum(axis=0), total, rtol=0.0, atol=TOLERANCE):
            out[members[region]] = parts
    return out


def _numbers(cells: Sequence[object]) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in cells], dtype=float)


def sum_formula(column: int, sheet_rows: Sequence[int]) -> str:
    """Return ``=SUM(F2:F4)`` for consecutive rows, else ``=SUM(F2,F9,F16)`` (1-based)."""
    letter = get_column_letter(column)
    ordered = sorted(sheet_rows)
    if ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"=SUM({letter}{ordered[0]}:{letter}{ordered[-1]})"
    return "=SUM(" + ",".join(f"{letter}{r}" for r in ordered) + ")"
