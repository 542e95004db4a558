"""Streaming reads of xlsx workbooks, shared by the register and the LTB workbook readers.

A workbook read with openpyxl's ``data_only=True`` gives the value Excel saved with each cell;
a formula that was never calculated (a workbook written by a program) reads as empty. These
helpers find such cells and merged ranges in the sheet's XML before openpyxl parses it, and
yield a sheet's rows with uncalculated formulas marked as
:class:`~hmn_bygg.register.table.UncachedFormula`, stopping at a row limit. The same scan
finds what a read-only reader cannot see: hidden and filtered rows, hidden columns, and cells
whose formula links to another workbook (:class:`SheetScan`).
"""

from __future__ import annotations

import html
import itertools
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from hmn_bygg.core.messages import Msg
from hmn_bygg.register.table import UncachedFormula

_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([A-Za-z]+\d+(?::[A-Za-z]+\d+)?)\"")
_ROW = re.compile(rb"<(?:\w+:)?row\s([^>]*)>")
_COL = re.compile(rb"<(?:\w+:)?col\s([^>]*?)/?>")
_FILTER = re.compile(
    rb"<(?:\w+:)?autoFilter\s[^>]*?ref=\"([^\"]+)\"[^>]*?>\s*<(?:\w+:)?filterColumn"
)
_CELL_FORMULA = re.compile(
    rb"<(?:\w+:)?c\s[^>]*?r=\"([A-Z]+\d+)\"[^>]*>\s*<(?:\w+:)?f(?:\s[^>]*)?>([^<]*)</"
)
_EXTERNAL = re.compile(r"\[[^\]]+\][^!\[\]]*!")
"""A reference into another workbook: ``[1]Ark1!A1``, ``'[Budsjett.xlsx]Drift'!B2``."""
_CHUNK = 1 << 20


def _attr(attrs: bytes, name: bytes) -> str | None:
    m = re.search(rb"\b" + name + rb"=\"([^\"]*)\"", attrs)
    return m.group(1).decode() if m else None


def _true(value: str | None) -> bool:
    return value in ("1", "true")


@dataclass
class SheetScan:
    """What a sheet's XML holds that openpyxl's read-only reader does not tell.

    Attributes
    ----------
    has_formula : bool
        Whether any cell has a formula.
    merges : list of str
        Merged ranges (``"A2:A5"``) in order, without repeats.
    hidden_rows : list of int
        Spreadsheet rows hidden by hand or by a filter.
    hidden_columns : list of int
        1-based columns that are hidden.
    autofilter : str or None
        The range of the sheet's filter (``"A1:G40"``), when it filters on some column (a
        filter with no criteria hides nothing).
    external : list of (str, str)
        ``(cell, formula)`` of cells whose formula refers to another workbook.
    """

    has_formula: bool = False
    merges: list[str] = field(default_factory=list)
    hidden_rows: list[int] = field(default_factory=list)
    hidden_columns: list[int] = field(default_factory=list)
    autofilter: str | None = None
    external: list[tuple[str, str]] = field(default_factory=list)


def scan_sheet(zf: zipfile.ZipFile, member: str) -> SheetScan:
    """Scan a sheet's XML for formulas, merged ranges, hidden rows and columns, links.

    Parameters
    ----------
    zf : zipfile.ZipFile
        The open workbook.
    member : str
        The sheet's XML file in it (``xl/worksheets/sheet1.xml``).

    Returns
    -------
    SheetScan
    """
    scan, tail = SheetScan(), b""
    rows: set[int] = set()
    cols: set[int] = set()
    external: dict[str, str] = {}
    with zf.open(member) as f:
        while chunk := f.read(_CHUNK):
            block = tail + chunk
            scan.has_formula = scan.has_formula or _FORMULA.search(block) is not None
            scan.merges += [m.group(1).decode() for m in _MERGE.finditer(block)]
            for m in _ROW.finditer(block):
                number = _attr(m.group(1), b"r")
                if _true(_attr(m.group(1), b"hidden")) and number and number.isdigit():
                    rows.add(int(number))
            for m in _COL.finditer(block):
                low, high = _attr(m.group(1), b"min"), _attr(m.group(1), b"max")
                if _true(_attr(m.group(1), b"hidden")) and low and high:
                    cols.update(range(int(low), min(int(high), 16_384) + 1))
            if (found := _FILTER.search(block)) is not None:
                scan.autofilter = found.group(1).decode()
            for m in _CELL_FORMULA.finditer(block):
                text = html.unescape(m.group(2).decode("utf-8", "replace"))
                if _EXTERNAL.search(text):
                    external.setdefault(m.group(1).decode(), "=" + text)
            tail = block[-4096:]
    scan.merges = list(dict.fromkeys(scan.merges))
    scan.hidden_rows, scan.hidden_columns = sorted(rows), sorted(cols)
    scan.external = list(external.items())
    return scan


def external_targets(zf: zipfile.ZipFile) -> dict[str, str]:
    """Return the workbooks an ``.xlsx`` links to: ``{"1": "Budsjett 2019.xlsx"}``.

    Excel writes ``[1]`` in a formula for the first ``xl/externalLinks/externalLink1.xml``;
    the file it points to is in that part's relationships.
    """
    out = {}
    for name in zf.namelist():
        m = re.fullmatch(r"xl/externalLinks/_rels/externalLink(\d+)\.xml\.rels", name)
        if m is None:
            continue
        target = re.search(rb"Target=\"([^\"]*)\"", zf.read(name)[:65_536])
        if target is not None:
            out[m.group(1)] = html.unescape(target.group(1).decode("utf-8", "replace"))
    return out


def link_note(label: Msg | str, cell: str, formula: str, targets: dict[str, str]) -> Msg:
    """Return the warning for a cell that links to another workbook."""
    m = re.search(r"\[(\d+)\]", formula)
    if m and m.group(1) in targets:
        return Msg("register.link_to_named_workbook", label=label, cell=cell,
                   target=targets[m.group(1)], formula=formula[:80])  # fmt: skip
    return Msg("register.link_to_workbook", label=label, cell=cell, formula=formula[:80])


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
