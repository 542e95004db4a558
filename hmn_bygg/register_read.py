"""Reading register exports: files and sheets into raw tables of cells, nothing interpreted yet.

The public entry is :mod:`hmn_bygg.register`; this module only turns bytes into rows of cells
and knows the quirks of real exports:

- CSV separated by ``,``, ``;`` or tabs (sniffed from the rows themselves);
- UTF-8 with or without a byte-order mark, UTF-16 with a byte-order mark, or Windows-1252
  (UTF-8 is tried first, then Windows-1252); bytes that decode in neither become a
  :class:`~hmn_bygg.errors.Problem` naming the row and column;
- Excel workbooks (``.xlsx``/``.xlsm``) via openpyxl, read-only, cached values only (see
  :mod:`hmn_bygg.register_xlsx`: formulas without a saved result and merged cells are found
  and reported, never read as empty);
- title lines above the heading row (the heading row is the first row with at least two known
  headings among the first ten);
- numbers written the Norwegian way (``1 234,5``, no-break spaces) or the English way
  (``1,234.5``), see :func:`parse_number`;
- heading-mapping files (YAML or two-column CSV), see :func:`read_mapping_pairs`.

Files larger than :attr:`hmn_bygg.limits.Limits.max_register_file_bytes`, and CSV files with
more lines than :attr:`~hmn_bygg.limits.Limits.max_part_rows`, are refused before they are
parsed. Files are only ever opened for reading; nothing is written next to them.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from hmn_bygg.errors import Problem
from hmn_bygg.limits import LIMITS, Limits, file_size_problem, row_count_problem

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
SEPARATORS = (";", ",", "\t")
HEADER_SEARCH_ROWS = 10
_SPACES = "\u0020\u00a0\u202f\u2009\u2007"
_SPACE_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:[" + _SPACES + r"]\d{3})+(?:[.,]\d+)?$")
_COMMA_THOUSANDS = re.compile(r"^[+-]?[1-9]\d{0,2}(?:,\d{3})+$")
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")
_SNIFF_CHARS = 65_536


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
        for a workbook (``"register.xlsx, sheet 'Bygg'"``).
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
    """

    file: str
    headings: list[str]
    header_row: int
    rows: list[tuple[int, list[Any]]]
    decimal: str = ","
    kind: str = ""
    columns: dict[str, int] = field(default_factory=dict)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)


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
    s = unicodedata.normalize("NFKD", str(text).casefold())
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.replace("ø", "o").replace("æ", "ae").replace("ß", "ss")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", s).split())


def parse_number(value: Any, decimal: str = ",") -> float | None:
    """Return a cell as a number, or None when it is empty.

    Parameters
    ----------
    value : Any
        Cell value: a number from a workbook, or text such as ``"254 836"``, ``"1 234,5"``,
        ``"1,234.5"``, ``"0,25"``, ``"52 %"`` (read as 0.52) or ``"−3"`` (Unicode minus).
    decimal : {",", "."}
        Decimal mark of the file, used only when a text is ambiguous: ``"1,234"`` is 1.234
        with ``","`` and 1234 with ``"."``. A lone ``.`` is always a decimal point; when both
        marks appear, the last one is the decimal mark; thousands may be grouped by spaces
        or no-break spaces in groups of three.

    Returns
    -------
    float or None
        The number, or None for an empty cell.

    Raises
    ------
    ValueError
        When the cell holds something that is not a number (including true/false), or a
        number that is not finite (``inf``, ``1e309``, a workbook's NaN stays empty).

    Examples
    --------
    >>> parse_number("1 234,5"), parse_number("1,234", "."), parse_number("12 %")
    (1234.5, 1234.0, 0.12)
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        if value != value:
            return None  # NaN is an empty cell
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(value)
        return number
    text = str(value).strip().replace("\u2212", "-")
    if not text:
        return None
    scale = 1.0
    if text.endswith("%"):
        text, scale = text[:-1].rstrip(), 0.01
    if any(c in text for c in _SPACES):
        if not _SPACE_GROUPED.match(text):
            raise ValueError(value)
        text = "".join(c for c in text if c not in _SPACES)
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        if decimal == "." and _COMMA_THOUSANDS.match(text):
            text = text.replace(",", "")
        elif text.count(",") == 1:
            text = text.replace(",", ".")
        else:
            raise ValueError(value)
    if not _PLAIN_NUMBER.match(text):
        raise ValueError(value)
    number = float(text) * scale if scale != 1.0 else float(text)
    if not math.isfinite(number):
        raise ValueError(value)
    return number


def cell_text(value: Any) -> str:
    """Return a cell as stripped text; whole numbers from a workbook lose their ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float) and value == value and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_file(
    path: Path, is_heading: Callable[[str], bool], limits: Limits = LIMITS
) -> tuple[list[RawTable], list[str], list[Problem]]:
    """Read one file into raw tables, collecting every problem instead of stopping.

    Parameters
    ----------
    path : pathlib.Path
        The file, named as the user gave it.
    is_heading : callable
        Tells whether a cell text is a known heading; used to find the heading row below any
        title lines and to skip workbook sheets that hold no table (notes, charts).
    limits : hmn_bygg.limits.Limits
        File size and row limits, checked before parsing.

    Returns
    -------
    tables : list of RawTable
        One for a CSV file; one per sheet holding a table in a workbook.
    notes : list of str
        Sheets skipped and the like, for the Dataset's ``attrs["notes"]``.
    problems : list of Problem
        Missing, empty, too large, unreadable or undecodable files.
    """
    name = str(path)
    if not path.is_file():
        return [], [], [Problem(name, "file not found", expected="an existing file")]
    suffix = path.suffix.lower()
    if suffix == ".xls":
        return [], [], [_unsupported(name, suffix, "old Excel format: save it as .xlsx or CSV")]
    if suffix not in CSV_SUFFIXES + XLSX_SUFFIXES:
        return [], [], [_unsupported(name, suffix, "not a CSV file or an Excel workbook")]
    if path.stat().st_size == 0:
        return [], [], [empty_problem(name, "0 bytes")]
    too_large = file_size_problem(path, limits.max_register_file_bytes, "a register file")
    if too_large is not None:
        return [], [], [too_large]
    if suffix in XLSX_SUFFIXES:
        from hmn_bygg.register_xlsx import read_xlsx

        return read_xlsx(path, is_heading, limits)
    return _read_csv(path, is_heading, limits)


def _unsupported(name: str, suffix: str, why: str) -> Problem:
    return Problem(
        name, f"cannot read this file type ({why})", expected=".csv or .xlsx", found=suffix
    )


def empty_problem(name: str, found: str) -> Problem:
    """Return the Problem for a file or sheet without data rows (``found`` says what it has)."""
    return Problem(
        name,
        "the file is empty",
        expected="a heading row and at least one data row",
        found=found,
    )


def decode(data: bytes) -> tuple[str, list[tuple[int, bytes]]]:
    """Decode file bytes: UTF-8 (BOM optional), UTF-16 with BOM, else Windows-1252.

    Parameters
    ----------
    data : bytes
        The whole file.

    Returns
    -------
    text : str
        The text; undecodable bytes become U+FFFD. Byte-order marks inside the text (left
        by joining several exported files into one) are dropped.
    bad : list of (int, bytes)
        ``(line number, bytes)`` for each line holding bytes valid in neither UTF-8 nor
        Windows-1252 (line 1 is the first line).
    """
    text, bad = _decode(data)
    return text.replace("\ufeff", ""), bad


def _decode(data: bytes) -> tuple[str, list[tuple[int, bytes]]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), []
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), []
        except UnicodeDecodeError:
            pass
    lines, bad = [], []
    for number, raw in enumerate(data.removeprefix(b"\xef\xbb\xbf").split(b"\n"), start=1):
        for encoding in ("utf-8", "cp1252"):
            try:
                lines.append(raw.decode(encoding))
                break
            except UnicodeDecodeError:
                pass
        else:
            lines.append(raw.decode("cp1252", errors="replace"))
            bytes_bad = bytes(b for b in raw if b in (0x81, 0x8D, 0x8F, 0x90, 0x9D))
            bad.append((number, bytes_bad or raw))
    return "\n".join(lines), bad


def sniff_separator(text: str) -> str:
    """Return the separator that splits the first rows into the most, consistent, columns.

    Parameters
    ----------
    text : str
        The decoded file (only its first 64 k characters are looked at).

    Returns
    -------
    str
        ``";"``, ``","`` or ``"\\t"``. Decimal commas inside semicolon-separated rows do not
        fool it: the heading row has none, so only the true separator gives one width for all.
    """
    sample = [line for line in text[:_SNIFF_CHARS].splitlines()[:30] if line.strip()]
    best, best_score = ",", (0, 0)
    for sep in SEPARATORS:
        try:
            widths = [len(row) for row in csv.reader(sample, delimiter=sep)]
        except csv.Error:  # a field over the csv module's size limit: not this separator
            continue
        wide = [w for w in widths if w > 1]  # title lines (one cell) do not count
        if not wide:
            continue
        mode = max(sorted(set(wide)), key=wide.count)
        score = (wide.count(mode), mode)
        if score > best_score:
            best, best_score = sep, score
    return best


def _csv_records(name: str, text: str, sep: str) -> tuple[list[list[str]], Problem | None]:
    """Split CSV text into rows of stripped cells; a Problem for a cell the csv module refuses."""
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    records: list[list[str]] = []
    try:
        for row in reader:
            records.append([cell.strip() for cell in row])
    except csv.Error as err:
        return records, Problem(
            name,
            "cannot split the file into cells: a quote is not closed or a cell is far too long",
            row=reader.line_num,
            expected="quotes in pairs and cells under 100 000 characters",
            found=str(err),
        )
    return records, None


def _read_csv(
    path: Path, is_heading: Callable[[str], bool], limits: Limits = LIMITS
) -> tuple[list[RawTable], list[str], list[Problem]]:
    name = str(path)
    with path.open("rb") as f:  # read-only
        data = f.read()
    n_lines = data.count(b"\n") + 1
    too_many = row_count_problem(name, n_lines, limits.max_part_rows + HEADER_SEARCH_ROWS, "lines")
    if too_many is not None:
        return [], [], [too_many]
    text, bad = decode(data)
    del data
    problems = []
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        utf16 = text.count("\x00") * 3 > len(text)
        return (
            [],
            [],
            [
                Problem(
                    name,
                    "NUL characters in the file"
                    + (": it looks like UTF-16 text without a byte-order mark" if utf16 else ""),
                    row=line,
                    expected="text saved as UTF-8 (or UTF-16 with a byte-order mark); "
                    "in Excel: Save As, CSV UTF-8",
                    found="0x00",
                )
            ],
        )
    sep = sniff_separator(text)
    records, split_problem = _csv_records(name, text, sep)
    if split_problem is not None:
        return [], [], [split_problem]
    table = table_from_rows(name, enumerate(records, start=1), is_heading)
    if table is None or not table.rows:
        found = "only blank lines" if table is None else "a heading row but no data rows"
        problems.append(empty_problem(name, found))
    for line, raw in bad:
        cells = records[line - 1] if line - 1 < len(records) else []
        column = None
        if table is not None:
            hit = [i for i, c in enumerate(cells) if "\ufffd" in c]
            if hit and hit[0] < len(table.headings):
                column = table.headings[hit[0]] or None
        problems.append(
            Problem(
                name,
                "undecodable bytes: the text is neither UTF-8 nor Windows-1252",
                row=line,
                column=column,
                expected="text saved as UTF-8 or Windows-1252",
                found=" ".join(f"0x{b:02X}" for b in raw[:8]),
            )
        )
    if table is None:
        return [], [], problems
    table.decimal = "." if sep == "," else ","
    return [table], [], problems


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


def read_mapping_pairs(
    path: Path, targets: list[str]
) -> tuple[list[tuple[int | None, str, Any]], list[Problem]]:
    """Read a heading-mapping file (YAML or two-column CSV) as ``(row, heading, target)``.

    Parameters
    ----------
    path : pathlib.Path
        ``.yaml``/``.yml`` (``their heading: our column``) or CSV (their heading, our column;
        a first row whose target is not in ``targets`` is taken as a header and skipped).
    targets : list of str
        Folded names of our columns.

    Returns
    -------
    pairs : list of (int or None, str, Any)
        Spreadsheet row (None for YAML), their heading, our column (None or "" = ignore).
    problems : list of Problem
        A missing or unreadable file, invalid YAML or a YAML that is not flat pairs.
    """
    name = str(path)
    if not path.is_file():
        return [], [Problem(name, "mapping file not found", expected="an existing file")]
    text, bad = decode(path.read_bytes())
    if bad:
        row = bad[0][0]
        problem = Problem(name, "undecodable bytes", row=row, expected="UTF-8 or Windows-1252")
        return [], [problem]
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as err:
            return [], [Problem(name, "not valid YAML", expected="heading: column", found=str(err))]
        if not isinstance(data, dict) or any(isinstance(v, dict | list) for v in data.values()):
            problem = Problem(
                name,
                "the mapping must be pairs of their heading and our column",
                expected="lines such as 'Brutto m2: floor_area'",
                found=type(data).__name__,
            )
            return [], [problem]
        return [(None, str(k), v) for k, v in data.items()], []
    rows = list(csv.reader(io.StringIO(text), delimiter=sniff_separator(text)))
    pairs = [(i, r[0].strip(), r[1].strip() if len(r) > 1 else "") for i, r in enumerate(rows, 1)]
    pairs = [p for p in pairs if p[1]]
    if pairs and norm_key(pairs[0][2]) not in targets:
        pairs = pairs[1:]  # a header row such as "heading,column"
    return pairs, []
