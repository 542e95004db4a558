"""Shared look of the workbooks: bold headers, frozen panes, column widths, number formats.

Number formats use Excel's *locale-neutral* codes (``#,##0.0``): Excel shows them with the
reader's separators, i.e. ``1 234,5`` in Norwegian Excel and ``1,234.5`` in English Excel. A
code written with a space and a comma (``# ##0,0``) would not localise and is not used.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")

FORMATS: dict[str, str] = {
    "MNOK": "#,##0.0",
    "MNOK/year": "#,##0.0",
    "m²": "#,##0",
    "NOK/m²": "#,##0",
    "NOK/m²/year": "#,##0",
    "TG 0–3": "0.00",
    "TG": "0.00",
    "fraction": "0.0%",
    "year": "0",
    "years": "0",
}
DEFAULT_FORMAT = "#,##0.0"


def number_format(unit: str | None) -> str:
    """Return the Excel number format for a unit (``MNOK`` -> ``#,##0.0``, ``m²`` -> ``#,##0``).

    Parameters
    ----------
    unit : str or None
        Unit as in the glossary or a model file.

    Returns
    -------
    str
        A locale-neutral Excel format code; ``General`` for unknown or dimensionless units.
    """
    if unit is None:
        return "General"
    return FORMATS.get(unit, "General" if unit in ("1", "-", "bool") else DEFAULT_FORMAT)


def put(ws: Worksheet, row: int, column: int, value: Any) -> Any:
    """Write a value so that reading it back gives exactly that value; return the cell.

    Text stays text even when it starts with ``=`` (never a formula). A float is written with
    all the digits it needs: openpyxl writes 16 significant digits, which changes floats such
    as ``1/6`` in their last bit.
    """
    cell = ws.cell(row=row, column=column)
    if isinstance(value, float) and math.isfinite(value) and float(f"{value:.16g}") != value:
        cell.value = repr(float(value))
        cell.data_type = "n"  # written as the number it spells
        return cell
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def write_header(ws: Worksheet, headings: Sequence[Any], row: int = 1) -> None:
    """Write bold, shaded headings in ``row``."""
    for col, text in enumerate(headings, start=1):
        cell = ws.cell(row=row, column=col, value=text)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL


def set_widths(ws: Worksheet, widths: Iterable[float]) -> None:
    """Set column widths [characters], from column A on."""
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def finish_table(ws: Worksheet, n_cols: int, freeze: str) -> None:
    """Freeze panes at ``freeze`` (e.g. ``"F2"``) and put an autofilter on the table."""
    ws.freeze_panes = freeze
    if ws.max_row > 1:
        ws.auto_filter.ref = f"A1:{get_column_letter(n_cols)}{ws.max_row}"


def write_key_values(ws: Worksheet, rows: Sequence[tuple[str, Any]], title: str) -> None:
    """Write a two-column sheet: a bold title, then ``(label, value)`` rows."""
    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    for i, (label, value) in enumerate(rows, start=3):
        ws.cell(row=i, column=1, value=label).font = HEADER_FONT
        put(ws, i, 2, value).alignment = WRAP
    set_widths(ws, [28, 110])
