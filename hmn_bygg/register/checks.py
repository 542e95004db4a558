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
from pathlib import Path
from typing import Any

import pandas as pd

from hmn_bygg.core import paths
from hmn_bygg.core.errors import Problem
from hmn_bygg.core.limits import LIMITS, Limits
from hmn_bygg.core.messages import Msg
from hmn_bygg.core.numbers import parse_number
from hmn_bygg.register.columns import ColumnSpec, specs
from hmn_bygg.register.model import part_table
from hmn_bygg.register.table import RawTable, UncachedFormula, cell_text, norm_key


def organisation_lookup(kind: str) -> dict[str, str]:
    """Return folded code, name or alias -> code for ``kind`` ``"hf"`` or ``"use"``.

    Read from the project's ``models/organisation.csv`` (cached per file, so a new
    ``HMN_BYGG_HOME`` reads its own).
    """
    return _organisation_lookup(paths.models_dir() / "organisation.csv", kind)


@cache
def _organisation_lookup(path: Path, kind: str) -> dict[str, str]:
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    lookup = {}
    for _, r in table[table["kind"] == kind].iterrows():
        for text in (r["code"], r["name_nb"], r["name_en"], *r["aliases"].split("|")):
            if text.strip():
                lookup[norm_key(text)] = r["code"]
    return lookup


def _hf_expected() -> Msg:
    table = pd.read_csv(paths.models_dir() / "organisation.csv", dtype=str, keep_default_na=False)
    hfs = table[table["kind"] == "hf"]
    known = ", ".join(f"{r['code']} ({r['name_nb']})" for _, r in hfs.iterrows())
    return Msg("register.hf_expected", known=known)


def part_code(value: Any) -> str | None:
    """Return the NS 3451 main group of a cell (``3``, ``"3.0"``, ``"3 VVS"``, ``"Elkraft"``)."""
    text = cell_text(value)
    codes, names = _part_names()
    match = _PART_CELL.fullmatch(text)
    if match and match.group(1) in codes:
        return match.group(1)
    return names.get(norm_key(text))


_PART_CELL = re.compile(r"(\d+)(?:[.,]0+)?(?:\s+\D.*)?")


@cache
def _part_names() -> tuple[tuple[str, ...], dict[str, str]]:
    """Return the part codes and folded part name -> code (``models/parts.csv``)."""
    table = part_table()
    codes = tuple(table.index)
    return codes, {norm_key(n): c for c in codes for n in table.loc[c, ["name_nb", "name_en"]]}


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
                message: Msg,
                expected: Msg,
                found: Any,
                heading: str = heading,
                row: int = row,
            ) -> None:
                shown = found if isinstance(found, Msg) else cell_text(found)
                problems.append(Problem(raw.file, message, row, heading, expected, shown))

            if isinstance(value, UncachedFormula):
                record[name] = None
                problem(
                    Msg("register.formula_without_result"), Msg("register.a_saved_value"), value
                )
                continue
            if not cell_text(value):
                record[name] = None
                if name in required:
                    problem(Msg("register.missing_value"), _expected(spec, this_year), "")
                continue
            if isinstance(value, str) and len(value) > limits.max_cell_chars:
                record[name] = None
                problem(
                    Msg("register.cell_too_long"),
                    Msg("register.at_most_characters", n=limits.max_cell_chars),
                    Msg("register.characters_start", n=len(value), start=value[:40]),
                )
                continue
            if spec.numeric:
                record[name] = _number(spec, value, raw.decimal, this_year, problem, limits)
            else:
                record[name] = _text(spec, value, unknown_uses, problem)
        records.append(record)
    return records, problems


def _expected(spec: ColumnSpec, this_year: int) -> Msg:
    if spec.numeric:
        return spec.expected(this_year)
    if spec.name == "hf":
        return _hf_expected()
    if spec.name == "part":
        return Msg("register.part_expected", codes=list(part_table().index))
    return Msg("register.a_value")


def _number(
    spec: ColumnSpec, value: Any, decimal: str, this_year: int, problem, limits: Limits
) -> float | None:
    def bad(message: Msg, largest: float | None = None) -> None:
        # What a valid value looks like is written only for a bad cell (most cells are good).
        expected = spec.expected(this_year)
        if largest is not None:
            expected = Msg("register.value_at_most", value=expected, largest=f"{largest:g}")
        problem(message, expected, value)

    if isinstance(value, dt.date | dt.datetime) and spec.unit == "year":
        number: float | None = float(value.year)
    else:
        text = value
        if isinstance(value, str) and spec.unit.startswith("TG"):
            text = _TG_PREFIX.sub("", value)
        try:
            number = parse_number(text, decimal)
        except ValueError:
            bad(Msg("register.not_a_number"))
            return None
    if number is None:
        return None
    if abs(number) > limits.max_abs_number:
        bad(Msg("register.implausibly_large"), limits.max_abs_number)
        return None
    if spec.type == "int" and not number.is_integer():
        bad(Msg("register.not_whole"))
        return None
    if spec.positive and number <= 0:
        bad(Msg("register.not_positive"))
        return None
    if spec.lo is not None and number < spec.lo:
        early = spec.unit == "year"
        bad(Msg("register.implausibly_early_year") if early else Msg("register.below_minimum"))
        return None
    if spec.hi is not None and number > spec.hi:
        bad(Msg("register.above_maximum"))
        return None
    if spec.not_future and number > this_year:
        bad(Msg("register.year_in_future"))
        return None
    return number


_TG_PREFIX = re.compile(r"^\s*TG\s*", flags=re.IGNORECASE)


def _text(spec: ColumnSpec, value: Any, unknown_uses: dict[str, int], problem) -> str | None:
    text = cell_text(value)
    if spec.name == "hf":
        code = organisation_lookup("hf").get(norm_key(text))
        if code is None:
            problem(Msg("register.unknown_hf"), _hf_expected(), value)
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
            problem(Msg("register.unknown_part"), _expected(spec, 0), value)
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

    def where(first: dict[str, Any], record: dict[str, Any]) -> Msg:
        row = str(first["_row"])
        if first["_file"] == record["_file"]:
            return Msg("register.at_row", row=row)
        return Msg("register.at_file_row", file=first["_file"], row=row)

    seen: dict[str, dict[str, Any]] = {}
    for rec in buildings:
        bid = rec.get("building_id")
        if bid is None:
            continue
        if bid in seen:
            problems.append(
                Problem(
                    rec["_file"],
                    Msg("register.duplicate_building", where=where(seen[bid], rec)),
                    row=rec["_row"],
                    column=heading(rec, "building_id"),
                    expected=Msg("register.each_id_once"),
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
                    Msg("register.part_without_building"),
                    row=rec["_row"],
                    column=heading(rec, "building_id"),
                    expected=Msg("register.an_id_from_buildings"),
                    found=bid,
                )
            )
        if code is None:
            continue
        if (bid, code) in pairs:
            problems.append(
                Problem(
                    rec["_file"],
                    Msg(
                        "register.duplicate_part_row",
                        building=bid,
                        part=code,
                        where=where(pairs[bid, code], rec),
                    ),
                    row=rec["_row"],
                    column=heading(rec, "part"),
                    expected=Msg("register.one_row_per_part"),
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
                    Msg("register.shares_not_positive", building=bid),
                    row=rec["_row"],
                    column=heading(rec, "cost_share"),
                    expected=Msg("register.positive_shares"),
                    found=" + ".join(f"{v:g}" for v in values),
                )
            )
    return problems
