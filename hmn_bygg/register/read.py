"""Reading register exports: files and sheets into raw tables of cells, nothing interpreted yet.

The public entry is :mod:`hmn_bygg.register.load`; this module only turns bytes into rows of cells
and knows the quirks of real exports:

- CSV separated by ``,``, ``;`` or tabs (sniffed from the rows themselves);
- UTF-8 with or without a byte-order mark, UTF-16 with a byte-order mark, or Windows-1252
  (UTF-8 is tried first, then Windows-1252); bytes that decode in neither become a
  :class:`~hmn_bygg.core.errors.Problem` naming the row and column, and a file that changes
  encoding part way is refused naming the row and byte offset (:func:`mixed_encoding`);
- Excel workbooks (``.xlsx``/``.xlsm``) via openpyxl, read-only, cached values only (see
  :mod:`hmn_bygg.register.xlsx`: formulas without a saved result and merged cells are found
  and reported, never read as empty);
- title lines above the heading row (the heading row is the first row with at least two known
  headings among the first ten);
- numbers written the Norwegian way (``1 234,5``, no-break spaces) or the English way
  (``1,234.5``), see :func:`parse_number`;
- heading-mapping files (YAML or two-column CSV), see :func:`read_mapping_pairs`.

Files larger than :attr:`hmn_bygg.core.limits.Limits.max_register_file_bytes`, and CSV files with
more lines than :attr:`~hmn_bygg.core.limits.Limits.max_part_rows`, are refused before they are
parsed. Files are only ever opened for reading; nothing is written next to them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from hmn_bygg.core.errors import Problem
from hmn_bygg.core.limits import LIMITS, Limits, file_size_problem, row_count_problem
from hmn_bygg.core.messages import Msg
from hmn_bygg.core.paths import not_a_file
from hmn_bygg.register.table import (
    HEADER_SEARCH_ROWS,
    RawTable,
    empty_problem,
    norm_key,
    table_from_rows,
)

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
SEPARATORS = (";", ",", "\t")
_SNIFF_CHARS = 65_536


def read_file(
    path: Path,
    is_heading: Callable[[str], bool],
    limits: Limits = LIMITS,
    *,
    include_hidden: bool = False,
) -> tuple[list[RawTable], list[Msg], list[Problem]]:
    """Read one file into raw tables, collecting every problem instead of stopping.

    Parameters
    ----------
    path : pathlib.Path
        The file, named as the user gave it.
    is_heading : callable
        Tells whether a cell text is a known heading; used to find the heading row below any
        title lines and to skip workbook sheets that hold no table (notes, charts).
    limits : hmn_bygg.core.limits.Limits
        File size and row limits, checked before parsing.
    include_hidden : bool
        Also read a workbook's hidden sheets (skipped and listed in the notes by default).

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
        return [], [], [not_a_file(path, name, Msg("register.a_register_file"))]
    suffix = path.suffix.lower()
    if suffix == ".xls":
        return [], [], [_unsupported(name, suffix, Msg("register.old_excel"))]
    if suffix not in CSV_SUFFIXES + XLSX_SUFFIXES:
        return [], [], [_unsupported(name, suffix, Msg("register.not_csv_or_workbook"))]
    if path.stat().st_size == 0:
        return [], [], [empty_problem(name, Msg("register.zero_bytes"))]
    too_large = file_size_problem(
        path, limits.max_register_file_bytes, Msg("register.what_a_register_file")
    )
    if too_large is not None:
        return [], [], [too_large]
    if suffix in XLSX_SUFFIXES:
        from hmn_bygg.register.xlsx import read_xlsx

        return read_xlsx(path, is_heading, limits, include_hidden=include_hidden)
    return _read_csv(path, is_heading, limits)


def _unsupported(name: str, suffix: str, why: Msg) -> Problem:
    return Problem(
        name,
        Msg("register.cannot_read_type", why=why),
        expected=Msg("register.csv_or_xlsx"),
        found=suffix,
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


_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def mixed_encoding(name: str, data: bytes) -> Problem | None:
    """Return a Problem when a file's text changes encoding part way (UTF-8, then Windows-1252).

    Such a file comes from joining exports made on different machines. Decoding it all as
    Windows-1252 would turn every UTF-8 letter into two wrong ones (``Ã¸`` for ``ø``) and blame
    the headings or the HF names; the Problem names instead the first row, and the byte offset
    in the file, that is not valid in the encoding the earlier rows are in.

    Parameters
    ----------
    name : str
        The file as the user named it.
    data : bytes
        The whole file.

    Returns
    -------
    Problem or None
        None for a file in one encoding (pure UTF-8, pure Windows-1252, or UTF-16).
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError as err:
        first_bad = err.start
    head = data[:first_bad].removeprefix(b"\xef\xbb\xbf")
    if any(b >= 0x80 for b in head):  # the rows before are UTF-8 with non-ASCII letters
        at = first_bad
        message, expected = Msg("register.mixed_after_utf8"), Msg("register.one_encoding_utf8")
    else:
        m = _UTF8_SEQUENCE.search(data, first_bad)
        if m is None:
            return None  # Windows-1252 throughout
        at = m.start()
        message = Msg("register.mixed_after_cp1252")
        expected = Msg("register.one_encoding_cp1252")
    row = data.count(b"\n", 0, at) + 1
    shown = " ".join(f"0x{b:02X}" for b in data[at : at + 4])
    return Problem(
        name,
        message,
        row=row,
        expected=expected,
        found=Msg("register.byte_offset", offset=str(at), bytes=shown),
    )


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
            Msg("register.cannot_split"),
            row=reader.line_num,
            expected=Msg("register.quotes_in_pairs"),
            found=str(err),
        )
    return records, None


def _read_csv(
    path: Path, is_heading: Callable[[str], bool], limits: Limits = LIMITS
) -> tuple[list[RawTable], list[Msg], list[Problem]]:
    name = str(path)
    with path.open("rb") as f:  # read-only
        data = f.read()
    n_lines = data.count(b"\n") + 1
    too_many = row_count_problem(
        name, n_lines, limits.max_part_rows + HEADER_SEARCH_ROWS, Msg("register.what_lines")
    )
    if too_many is not None:
        return [], [], [too_many]
    mixed = mixed_encoding(name, data)
    if mixed is not None:
        return [], [], [mixed]
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
                    Msg("register.nul_utf16") if utf16 else Msg("register.nul_characters"),
                    row=line,
                    expected=Msg("register.utf8_or_utf16_bom"),
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
        blank = Msg("register.only_blank_lines")
        found = blank if table is None else Msg("register.heading_but_no_data")
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
                Msg("register.undecodable_neither"),
                row=line,
                column=column,
                expected=Msg("register.text_utf8_or_cp1252"),
                found=" ".join(f"0x{b:02X}" for b in raw[:8]),
            )
        )
    if table is None:
        return [], [], problems
    table.decimal = "." if sep == "," else ","
    return [table], [], problems


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
        problem = not_a_file(path, name, Msg("register.a_mapping_file"))
        if str(problem.message).startswith("file not found"):
            message = Msg("register.mapping_not_found", what=problem.message)
            problem = replace(problem, message=message)
        return [], [problem]
    text, bad = decode(path.read_bytes())
    if bad:
        row = bad[0][0]
        problem = Problem(
            name, Msg("register.undecodable"), row=row, expected=Msg("register.utf8_or_cp1252")
        )
        return [], [problem]
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as err:
            not_yaml = Msg("register.not_yaml")
            expected = Msg("register.heading_colon_column")
            return [], [Problem(name, not_yaml, expected=expected, found=str(err))]
        if not isinstance(data, dict) or any(isinstance(v, dict | list) for v in data.values()):
            problem = Problem(
                name,
                Msg("register.mapping_not_pairs"),
                expected=Msg("register.mapping_example"),
                found=type(data).__name__,
            )
            return [], [problem]
        return [(None, str(k), v) for k, v in data.items()], []
    rows = list(csv.reader(io.StringIO(text), delimiter=sniff_separator(text)))
    pairs: list[tuple[int | None, str, Any]] = [
        (i, r[0].strip(), r[1].strip() if len(r) > 1 else "") for i, r in enumerate(rows, 1)
    ]
    pairs = [p for p in pairs if p[1]]
    if pairs and norm_key(pairs[0][2]) not in targets:
        pairs = pairs[1:]  # a header row such as "heading,column"
    return pairs, []
