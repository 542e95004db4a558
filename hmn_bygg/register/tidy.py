"""What the register reader leaves out, and says so: extra sheets, total rows, idle mappings.

Real exports carry more than the register: a workbook may hold the table twice (a copy, an
archive sheet), an export ends with "Sum" rows or has a subtotal after each HF, and a heading
mapping written for another export matches nothing. Each is handled here without a silently
wrong number:

- :func:`choose_sheets`: of a workbook's sheets holding the same kind of table, the first
  visible one is read and named in the notes; the others are listed as not read;
- :func:`drop_total_rows`: total and subtotal rows ("Sum", "Sum HF", "Totalt", "Total",
  "I alt", "Delsum") are skipped and listed in the notes, not refused as buildings without
  an id;
- :func:`idle_mapping_problems`: a mapping that matches no heading of any file is an error.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from hmn_bygg.core.errors import Problem
from hmn_bygg.core.messages import Msg
from hmn_bygg.register.table import RawTable, cell_text, norm_key

__all__ = ["choose_sheets", "drop_total_rows", "idle_mapping_problems", "is_total_label"]

_TOTAL = re.compile(r"^(?:sum|sums|summa|total|totalt|totals|i alt|delsum|subtotal|samlet)\b")


def is_total_label(text: object) -> bool:
    """Return whether a cell reads like the label of a total or subtotal row.

    Examples
    --------
    >>> [is_total_label(t) for t in ("Sum", "Sum HF", "Totalt", "I alt", "Summertun", "B12")]
    [True, True, True, True, False, False]
    """
    return _TOTAL.match(norm_key(text)) is not None


def _workbook(raw: RawTable) -> str:
    return raw.file.removesuffix(f" [{raw.sheet}]") if raw.sheet is not None else raw.file


def choose_sheets(tables: list[RawTable]) -> tuple[list[RawTable], list[Msg]]:
    """Keep the first sheet of each kind of table per workbook; name it and those left out.

    Parameters
    ----------
    tables : list of RawTable
        Classified tables (``kind`` set), in file and sheet order.

    Returns
    -------
    tables : list of RawTable
        The tables to read: every CSV table, and per workbook the first sheet of each kind.
    notes : list of str
        Which sheet each workbook's table is read from, the sheets not read, and the notes
        the reader kept for the tables that are read (hidden rows, links).
    """
    kept: list[RawTable] = []
    first: dict[tuple[str, str], RawTable] = {}
    others: dict[tuple[str, str], list[str]] = {}
    for raw in tables:
        if raw.sheet is None:
            kept.append(raw)
            continue
        key = (_workbook(raw), raw.kind)
        if key in first:
            others.setdefault(key, []).append(raw.sheet)
            continue
        first[key] = raw
        kept.append(raw)
    notes: list[Msg] = []
    for (book, kind), raw in first.items():
        table = _THE_TABLE[kind]
        note = Msg("register.table_from_sheet", book=book, table=table, sheet=raw.sheet)
        if (book, kind) in others:
            listed = ", ".join(f"'{s}'" for s in others[(book, kind)])
            note = Msg("register.table_from_sheet_others", book=book, table=table,
                       sheet=raw.sheet, others=listed, a_table=_A_TABLE[kind])  # fmt: skip
        notes.append(note)
    for raw in kept:
        notes += raw.notes
    return kept, notes


_THE_TABLE = {"buildings": Msg("register.buildings_table"), "parts": Msg("register.parts_table")}
_A_TABLE = {"buildings": Msg("register.a_buildings_table"), "parts": Msg("register.a_parts_table")}


def drop_total_rows(raw: RawTable) -> Msg | None:
    """Remove total and subtotal rows from a table; return the note listing them.

    A row is a total row when its first non-empty cell reads like a total ("Sum HF",
    "Totalt") and its building id cell is empty or is that same label.

    Parameters
    ----------
    raw : RawTable
        A table whose columns are matched (``columns`` set).

    Returns
    -------
    Msg or None
        ``"<file>: total rows skipped: row 12 ('Sum HF'), row 40 ('Totalt')"``, or None.
    """
    id_col = raw.columns.get("building_id")
    dropped: list[tuple[int, str]] = []
    rows = []
    for number, cells in raw.rows:
        texts = [cell_text(c) for c in cells]
        label = next((t for t in texts if t), "")
        bid = texts[id_col] if id_col is not None and id_col < len(texts) else ""
        if is_total_label(label) and (not bid or bid == label):
            dropped.append((number, label))
        else:
            rows.append((number, cells))
    if not dropped:
        return None
    raw.rows = rows
    skipped = [Msg("register.total_row", row=str(n), label=label[:40]) for n, label in dropped[:10]]
    more = len(dropped) - 10
    shown = Msg("register.and_more", items=skipped, more=more) if more > 0 else skipped
    return Msg("register.total_rows_skipped", file=raw.label, rows=shown)


def idle_mapping_problems(
    name: str, lookup: Mapping[str, str], tables: list[RawTable]
) -> list[Problem]:
    """Return a Problem when a heading mapping matches no heading of any table read.

    Parameters
    ----------
    name : str
        The mapping file (or ``"mapping"`` for one given as a dict).
    lookup : mapping of str to str
        Folded heading -> our column (:func:`hmn_bygg.register.load.load_mapping`).
    tables : list of RawTable
        The tables read.
    """
    if not lookup or not tables:
        return []
    headings = [h for t in tables for h in t.headings if h]
    if any(norm_key(h) in lookup for h in headings):
        return []
    return [
        Problem(
            name,
            Msg("register.mapping_matches_nothing"),
            expected=Msg("register.their_headings", headings=[f"'{h}'" for h in headings[:6]]),
            found=", ".join(list(lookup)[:6]),
        )
    ]
