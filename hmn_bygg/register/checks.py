"""Checking register tables against ``hmn_bygg/register/columns.csv``, collecting every problem.

What a column may hold comes from the column table (read through
:func:`hmn_bygg.register.model.columns_table`), never from code: its type (``str``, ``float``,
``int``), whether it is required, its bounds and the headings accepted for it. Two reading
rules turn the table's bounds into checks:

- a ``float`` column with ``min`` 0 and no ``max`` must be positive (> 0): an area or a
  replacement value of 0 is a mistake, while a grade or a share of 0 is not;
- a ``year`` column with no ``max`` may not lie in the future (after the current year).

Health trusts and uses are read through ``models/organisation.csv`` (codes, names, aliases);
part codes through ``models/parts.csv``. The column definitions and heading matching are in
:mod:`hmn_bygg.register.columns`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from functools import cache
from typing import Any

import pandas as pd

from hmn_bygg.core import paths
from hmn_bygg.core.errors import Problem
from hmn_bygg.core.limits import LIMITS, Limits
from hmn_bygg.register.columns import ColumnSpec, specs
from hmn_bygg.register.model import part_table
from hmn_bygg.register.table import RawTable, UncachedFormula, cell_text, norm_key, parse_number


@cache
def organisation_lookup(kind: str) -> dict[str, str]:
    """Return folded code, name or alias -> code for ``kind`` ``"hf"`` or ``"use"``."""
    table = pd.read_csv(paths.models_dir() / "organisation.csv", dtype=str, keep_default_na=False)
    lookup = {}
    for _, r in table[table["kind"] == kind].iterrows():
        for text in (r["code"], r["name_nb"], r["name_en"], *r["aliases"].split("|")):
            if text.strip():
                lookup[norm_key(text)] = r["code"]
    return lookup


def _hf_expected() -> str:
    table = pd.read_csv(paths.models_dir() / "organisation.csv", dtype=str, keep_default_na=False)
    hfs = table[table["kind"] == "hf"]
    known = ", ".join(f"{r['code']} ({r['name_nb']})" for _, r in hfs.iterrows())
    return f"one of {known}, or an alias in models/organisation.csv"


def part_code(value: Any) -> str | None:
    """Return the NS 3451 main group of a cell (``3``, ``"3.0"``, ``"3 VVS"``, ``"Elkraft"``)."""
    text = cell_text(value)
    codes = list(part_table().index)
    match = re.fullmatch(r"(\d+)(?:[.,]0+)?(?:\s+\D.*)?", text)
    if match and match.group(1) in codes:
        return match.group(1)
    names = {norm_key(n): c for c in codes for n in part_table().loc[c, ["name_nb", "name_en"]]}
    return names.get(norm_key(text))


def convert_rows(
    raw: RawTable,
    required: set[str],
    this_year: int,
    unknown_uses: dict[str, int],
    limits: Limits = LIMITS,
) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Turn a matched table's rows into records of clean values, reporting every bad cell.

    Parameters
    ----------
    raw : RawTable
        A table with ``kind`` and ``columns`` set.
    required : set of str
        Columns whose cells may not be empty.
    this_year : int
        The current year [year], the latest allowed in year columns without a ``max``.
    unknown_uses : dict
        Filled with uses not in ``models/organisation.csv`` (read as ``"other"``) and counts.
    limits : hmn_bygg.core.limits.Limits
        Longest cell text and largest number accepted.

    Returns
    -------
    records : list of dict
        One per row: our column names -> values (text, float, or None when empty or bad),
        plus ``_file`` and ``_row`` (spreadsheet row).
    problems : list of Problem
    """
    records, problems = [], []
    table_specs = specs(raw.kind)
    for row, cells in raw.rows:
        record: dict[str, Any] = {"_file": raw.file, "_row": row}
        for name, i in raw.columns.items():
            spec = table_specs[name]
            value = cells[i] if i < len(cells) else None
            heading = raw.headings[i]

            def problem(
                message: str, expected: str, found: Any, heading: str = heading, row: int = row
            ) -> None:
                problems.append(
                    Problem(raw.file, message, row, heading, expected, cell_text(found))
                )

            if isinstance(value, UncachedFormula):
                record[name] = None
                problem(
                    "a formula without a saved result (the workbook was not saved by Excel)",
                    "a value: open the file in Excel and save it, or replace formulas by values",
                    value,
                )
                continue
            if not cell_text(value):
                record[name] = None
                if name in required:
                    problem("missing value in a required column", _expected(spec, this_year), "")
                continue
            if isinstance(value, str) and len(value) > limits.max_cell_chars:
                record[name] = None
                problem(
                    "the cell is far too long (a quote left open?)",
                    f"at most {limits.max_cell_chars} characters",
                    f"{len(value)} characters: {value[:40]}",
                )
                continue
            if spec.numeric:
                record[name] = _number(spec, value, raw.decimal, this_year, problem, limits)
            else:
                record[name] = _text(spec, value, unknown_uses, problem)
        records.append(record)
    return records, problems


def _expected(spec: ColumnSpec, this_year: int) -> str:
    if spec.numeric:
        return spec.expected(this_year)
    if spec.name == "hf":
        return _hf_expected()
    if spec.name == "part":
        return "an NS 3451 main group: " + ", ".join(part_table().index)
    return "a value"


def _number(
    spec: ColumnSpec, value: Any, decimal: str, this_year: int, problem, limits: Limits
) -> float | None:
    expected = spec.expected(this_year)
    if isinstance(value, dt.date | dt.datetime) and spec.unit == "year":
        number: float | None = float(value.year)
    else:
        text = value
        if isinstance(value, str) and spec.unit.startswith("TG"):
            text = re.sub(r"^\s*TG\s*", "", value, flags=re.IGNORECASE)
        try:
            number = parse_number(text, decimal)
        except ValueError:
            problem("not a number", expected, value)
            return None
    if number is None:
        return None
    if abs(number) > limits.max_abs_number:
        problem("implausibly large number", f"{expected}, at most {limits.max_abs_number:g}", value)
        return None
    if spec.type == "int" and not number.is_integer():
        problem("not a whole number", expected, value)
        return None
    if spec.positive and number <= 0:
        problem("not positive", expected, value)
        return None
    if spec.lo is not None and number < spec.lo:
        problem(
            "implausibly early year" if spec.unit == "year" else "below the minimum",
            expected,
            value,
        )
        return None
    if spec.hi is not None and number > spec.hi:
        problem("above the maximum", expected, value)
        return None
    if spec.not_future and number > this_year:
        problem("year in the future", expected, value)
        return None
    return number


def _text(spec: ColumnSpec, value: Any, unknown_uses: dict[str, int], problem) -> str | None:
    text = cell_text(value)
    if spec.name == "hf":
        code = organisation_lookup("hf").get(norm_key(text))
        if code is None:
            problem("unknown health trust (HF)", _hf_expected(), value)
        return code
    if spec.name == "use":
        code = organisation_lookup("use").get(norm_key(text))
        if code is None:
            unknown_uses[text] = unknown_uses.get(text, 0) + 1
            return "other"
        return code
    if spec.name == "part":
        code = part_code(value)
        if code is None:
            problem("unknown building part", _expected(spec, 0), value)
        return code
    return text


def cross_check(
    buildings: list[dict[str, Any]],
    parts: list[dict[str, Any]],
    headings: Mapping[str, Mapping[str, str]],
    *,
    have_buildings: bool,
) -> list[Problem]:
    """Check the tables against each other, reporting every problem.

    Parameters
    ----------
    buildings, parts : list of dict
        Records from :func:`convert_rows` (all files of each kind, in reading order).
    headings : mapping
        File -> our column name -> the heading as written there.
    have_buildings : bool
        Whether any buildings table was read; without one, part rows cannot be matched.

    Returns
    -------
    list of Problem
        Duplicate building ids, duplicate (building, part) rows, part rows for unknown
        buildings, and buildings whose cost shares do not sum to a positive number.
    """
    problems: list[Problem] = []

    def heading(record: dict[str, Any], name: str) -> str | None:
        return headings[record["_file"]].get(name)

    def where(first: dict[str, Any], record: dict[str, Any]) -> str:
        same = first["_file"] == record["_file"]
        return f"row {first['_row']}" if same else f"{first['_file']}, row {first['_row']}"

    seen: dict[str, dict[str, Any]] = {}
    for rec in buildings:
        bid = rec.get("building_id")
        if bid is None:
            continue
        if bid in seen:
            problems.append(
                Problem(
                    rec["_file"],
                    f"duplicate building id (first at {where(seen[bid], rec)})",
                    row=rec["_row"],
                    column=heading(rec, "building_id"),
                    expected="each building id once",
                    found=bid,
                )
            )
        else:
            seen[bid] = rec
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    default = part_table()["default_cost_share"].astype(float)
    shares: dict[str, list[float]] = {}
    first_part: dict[str, dict[str, Any]] = {}
    for rec in parts:
        bid, code = rec.get("building_id"), rec.get("part")
        if bid is None:
            continue
        if have_buildings and bid not in seen:
            problems.append(
                Problem(
                    rec["_file"],
                    "part row for a building not in the buildings table",
                    row=rec["_row"],
                    column=heading(rec, "building_id"),
                    expected="a building id from the buildings table",
                    found=bid,
                )
            )
        if code is None:
            continue
        if (bid, code) in pairs:
            problems.append(
                Problem(
                    rec["_file"],
                    f"duplicate row for building {bid}, part {code} "
                    f"(first at {where(pairs[bid, code], rec)})",
                    row=rec["_row"],
                    column=heading(rec, "part"),
                    expected="one row per building and part",
                    found=code,
                )
            )
            continue
        pairs[bid, code] = rec
        share = rec.get("cost_share")
        shares.setdefault(bid, []).append(default[code] if share is None else share)
        first_part.setdefault(bid, rec)
    for bid, values in shares.items():
        if sum(values) <= 0:
            rec = first_part[bid]
            problems.append(
                Problem(
                    rec["_file"],
                    f"the cost shares of building {bid} do not sum to a positive number",
                    row=rec["_row"],
                    column=heading(rec, "cost_share"),
                    expected="shares with a positive sum",
                    found=" + ".join(f"{v:g}" for v in values),
                )
            )
    return problems
