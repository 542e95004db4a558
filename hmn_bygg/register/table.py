"""Raw tables of cells as the readers return them, and the cell parsing they share.

CSV (:mod:`hmn_bygg.register.read`) and workbook (:mod:`hmn_bygg.register.xlsx`) readers both
produce :class:`RawTable`; :class:`UncachedFormula` marks a workbook cell whose formula has no
saved result; numbers are read by :func:`hmn_bygg.core.numbers.parse_number`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from hmn_bygg.core.errors import Problem
from hmn_bygg.core.messages import Msg

HEADER_SEARCH_ROWS = 10


class UncachedFormula(str):
    """A workbook cell holding a formula without a saved result (the text is the formula).

    openpyxl reads such a cell as empty; the reader passes this marker on instead, so that
    the checks report it rather than take a default for it.
    """


@dataclass
class RawTable:
    """One table as read from a CSV file or a worksheet: headings and rows of cells.

    Attributes
    ----------
    file : str
        Where the table came from as a user reads it: the path as given, plus the sheet name
        for a workbook in brackets, the same in either language (``"register.xlsx [Bygg]"``).
    headings : list of str
        The headings as written (stripped), one per column.
    header_row : int
        Spreadsheet row of the headings (1 unless title lines precede them).
    rows : list of (int, list)
        ``(spreadsheet row, cells)`` for every non-blank row below the headings. Cells are
        text (CSV) or the workbook's values (text, int, float, datetime, None, or
        :class:`UncachedFormula`).
    decimal : str
        The decimal mark to assume for text numbers: ``","`` for semicolon- or tab-separated
        CSV and for workbooks, ``"."`` for comma-separated CSV.
    kind : str
        ``"buildings"`` or ``"parts"`` once classified by its headings.
    columns : dict
        Our column name -> index into ``headings``/cells, once the headings are matched.
    merged : list of (int, int, int, int)
        Merged cell ranges of a worksheet as ``(first row, first column index, last row,
        last column index)``; column indices 0-based like ``cells``.
    sheet : str or None
        The worksheet's name, None for a CSV file.
    notes : list of str
        What the reader saw and reports without refusing (hidden rows, links), for the
        register's notes once the table is used.
    """

    file: str
    headings: list[str]
    header_row: int
    rows: list[tuple[int, list[Any]]]
    decimal: str = ","
    kind: str = ""
    columns: dict[str, int] = field(default_factory=dict)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    sheet: str | None = None
    notes: list[Msg] = field(default_factory=list)

    @property
    def label(self) -> Msg | str:
        """Where the table came from, for a note: :attr:`file`, with the sheet in the reader's
        language (``"register.xlsx, ark 'Bygg'"``)."""
        return sheet_label(self.file, self.sheet)


def sheet_label(file: str, sheet: str | None) -> Msg | str:
    """A file, or a workbook's sheet (``"b.xlsx, ark 'Bygg'"``), as a note names it.

    ``file`` may already end in the ``" [<sheet>]"`` of :attr:`RawTable.file`.
    """
    if sheet is None:
        return file
    book = file.removesuffix(f" [{sheet}]")
    return Msg("register.in_sheet", file=book, sheet=sheet)


def norm_key(text: object) -> str:
    """Return text folded for matching: case, accents, punctuation and spacing ignored.

    Examples
    --------
    >>> norm_key("  Byggeår ")
    'byggear'
    >>> norm_key("BTA (m²)") == norm_key("bta m2")
    True
    >>> norm_key("St. Olavs  Hospital") == norm_key("st olavs hospital")
    True
    """
    return _norm_text(text if isinstance(text, str) else str(text))


@lru_cache(maxsize=8192)
def _norm_text(text: str) -> str:
    # Registers repeat the same few texts (HF names, uses, part names, headings) thousands
    # of times: fold each once.
    s = unicodedata.normalize("NFKD", text.casefold())
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.replace("ø", "o").replace("æ", "ae").replace("ß", "ss")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", s).split())


def cell_text(value: Any) -> str:
    """Return a cell as stripped text; whole numbers from a workbook lose their ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float) and value == value and value.is_integer():
        return str(int(value))
    return str(value).strip()


def empty_problem(name: str, found: Msg) -> Problem:
    """Return the Problem for a file or sheet without data rows (``found`` says what it has)."""
    return Problem(
        name,
        Msg("register.file_is_empty"),
        expected=Msg("register.heading_and_data_row"),
        found=found,
    )


def table_from_rows(
    file: str, rows: Iterable[tuple[int, list[Any]]], is_heading: Callable[[str], bool]
) -> RawTable | None:
    """Return the table in rows of cells, or None when every row is blank.

    The heading row is the first non-blank row with two known headings among the first ten
    (else the first non-blank row); the data are the non-blank rows below it.
    """
    non_blank = ((n, cells) for n, cells in rows if any(cell_text(c) for c in cells))
    head: list[tuple[int, list[Any]]] = []
    for item in non_blank:
        head.append(item)
        if len(head) == HEADER_SEARCH_ROWS:
            break
    if not head:
        return None
    at = next(
        (i for i, (_, c) in enumerate(head) if sum(is_heading(cell_text(x)) for x in c) >= 2), 0
    )
    header_row, cells = head[at]
    headings = [cell_text(c) for c in cells]
    while headings and not headings[-1]:
        headings.pop()
    data = [*head[at + 1 :], *non_blank]
    return RawTable(file=file, headings=headings, header_row=header_row, rows=data)
