"""Reading and checking building-register exports: CSV or Excel in, the register Dataset out.

A register is a buildings table (one row per building) and, optionally, a parts table (one row
per building and NS 3451 part, with the part's condition grade). Without a parts table the
buildings table must give one overall grade per building, which every part then takes
(``attrs["grade_origin"] == "building"``). The columns, their types, bounds and the Norwegian
headings accepted for them are defined in ``hmn_bygg/register/columns.csv``; the format is
documented in ``data/building_register/README.md``, whose column tables
:func:`format_table_markdown` renders.

Public API: :func:`load_register`, :func:`check_register`, :func:`describe_register`,
:func:`format_table_markdown`, :func:`render_readme_tables`.

Files are opened read-only and nothing is written next to them. Every problem is collected
first and raised as one :class:`~hmn_bygg.core.errors.InputError`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import xarray as xr

from hmn_bygg.core import paths as project_paths
from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.fmt import Lang
from hmn_bygg.core.limits import LIMITS, Limits, row_count_problem
from hmn_bygg.core.messages import Msg
from hmn_bygg.register.checks import convert_rows, cross_check
from hmn_bygg.register.columns import (
    TABLES,
    all_column_names,
    classify,
    heading_lookup,
    match_columns,
    missing_columns,
    specs,
)
from hmn_bygg.register.docs_tables import format_table_markdown, render_readme_tables
from hmn_bygg.register.model import build_register, part_table
from hmn_bygg.register.read import CSV_SUFFIXES, XLSX_SUFFIXES, read_file, read_mapping_pairs
from hmn_bygg.register.table import RawTable, norm_key
from hmn_bygg.register.tidy import choose_sheets, drop_total_rows, idle_mapping_problems
from hmn_bygg.register.xlsx import merged_problems

__all__ = [
    "Problem",
    "check_register",
    "describe_register",
    "format_table_markdown",
    "load_mapping",
    "load_register",
    "render_readme_tables",
]

PathArg = Sequence[str | Path] | str | Path | None
MappingArg = str | Path | Mapping[str, str | None] | None


def load_register(
    paths: PathArg = None,
    *,
    mapping: MappingArg = None,
    default_replacement_value: float = 65_000.0,
    limits: Limits = LIMITS,
    include_hidden: bool = False,
) -> xr.Dataset:
    """Read a building register from CSV or Excel exports.

    Parameters
    ----------
    paths : path or sequence of paths, optional
        Files (``.csv``, ``.xlsx``) or folders (their ``buildings.*`` and ``parts.*`` files).
        Which table a file or sheet holds is decided by its headings: a building-part column
        (``part``, ``Bygningsdel``, ...) makes it a parts table. Several buildings tables
        (e.g. one per HF) are read as one. None reads the bundled, synthetic register in
        :func:`hmn_bygg.core.paths.register_dir`.
    mapping : path or mapping, optional
        Extra headings: a YAML file ``{their heading: our column}``, a two-column CSV file
        (their heading, our column) or a dict. An empty target ignores the heading.
    default_replacement_value : float
        Replacement value [NOK/m²] for buildings whose register gives none.
    limits : hmn_bygg.core.limits.Limits
        File size, row count, cell length and number limits (default
        :data:`hmn_bygg.core.limits.LIMITS`); files beyond them are refused before parsing.
    include_hidden : bool
        Also read the hidden sheets of workbooks (by default skipped and listed in the notes).

    Returns
    -------
    xr.Dataset
        The register (see :mod:`hmn_bygg.register.model`); ``attrs`` also hold ``notes``
        (what the reader assumed or left out: uses read as "other", hidden sheets, the sheet
        each table is read from, hidden rows, links to other workbooks, total rows skipped)
        and ``part_rows`` (the number of part rows read).

    Raises
    ------
    hmn_bygg.core.errors.InputError
        With every problem found in the files and the mapping.
    """
    result = _read(paths, mapping, limits, include_hidden)
    if result.problems:
        raise InputError(result.problems, title=Msg("register.register_has_problems"))
    buildings = _frame(result.buildings, ["building_id", *specs("buildings")])
    if "use" in buildings:
        buildings["use"] = buildings["use"].fillna("other")
    parts = _frame(result.parts, list(specs("parts"))) if result.have_parts else None
    ds = build_register(
        buildings,
        parts,
        default_replacement_value=default_replacement_value,
        sources=result.sources,
    )
    ds.attrs["notes"] = result.notes
    ds.attrs["part_rows"] = result.part_rows
    return ds


def check_register(
    paths: PathArg = None,
    *,
    mapping: MappingArg = None,
    limits: Limits = LIMITS,
    include_hidden: bool = False,
) -> list[Problem]:
    """Return every problem in a register export (an empty list when it can be read).

    Parameters
    ----------
    paths : path or sequence of paths, optional
        As for :func:`load_register`.
    mapping : path or mapping, optional
        As for :func:`load_register`.
    limits : hmn_bygg.core.limits.Limits
        As for :func:`load_register`.
    include_hidden : bool
        As for :func:`load_register`.

    Returns
    -------
    list of Problem
        Each names the file, the spreadsheet row (headings = row 1), the heading as written,
        what was expected and what was found.
    """
    return _read(paths, mapping, limits, include_hidden).problems


def describe_register(ds: xr.Dataset, lang: Lang = "en") -> str:
    """Return a one-line account of a register, as ``hmn-bygg register check`` prints it.

    Parameters
    ----------
    ds : xr.Dataset
        A register from :func:`load_register`.
    lang : {"en", "nb"}
        Language of the line.

    Returns
    -------
    str
        ``"3 buildings, 18 part rows (grades per part)"``, or says that the register gave one
        grade per building.
    """
    per_building = ds.attrs.get("grade_origin") == "building"
    how = Msg("register.grade_per_building") if per_building else Msg("register.grades_per_part")
    n, rows = int(ds.sizes["building"]), int(ds.attrs.get("part_rows", 0))
    return Msg("register.register_counts", n=n, rows=rows, how=how).render(lang)


def load_mapping(mapping: MappingArg) -> tuple[dict[str, str], list[Problem]]:
    """Read a heading mapping and check that it names only our columns.

    Parameters
    ----------
    mapping : path or mapping, optional
        YAML (``{their heading: our column}``), two-column CSV (a header row is optional) or
        a dict. Column names are matched ignoring case; an empty target ignores the heading.

    Returns
    -------
    lookup : dict
        Folded heading (:func:`hmn_bygg.register.table.norm_key`) -> our column name, or
        ``""`` to ignore it.
    problems : list of Problem
        An unreadable file, or targets that are not columns of the register.
    """
    if mapping is None:
        return {}, []
    targets = {norm_key(n): n for n in all_column_names()}
    pairs: list[tuple[int | None, str, Any]]
    if isinstance(mapping, Mapping):
        name, pairs = "mapping", [(None, str(k), v) for k, v in mapping.items()]
    else:
        name = str(mapping)
        pairs, problems = read_mapping_pairs(Path(mapping), list(targets))
        if problems:
            return {}, problems
    lookup, problems = {}, []
    for row, heading, target in pairs:
        key = norm_key(target or "")
        if key and key not in targets:
            problems.append(
                Problem(
                    name,
                    Msg("register.unknown_mapping_column"),
                    row=row,
                    column=heading,
                    expected=Msg("register.mapping_targets", names=list(targets.values())),
                    found=str(target),
                )
            )
        lookup[norm_key(heading)] = targets.get(key, "")
    return lookup, problems


@dataclass
class _Result:
    buildings: list[dict[str, Any]] = field(default_factory=list)
    parts: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Msg] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    have_parts: bool = False
    part_rows: int = 0


def _files(paths: PathArg) -> tuple[list[Path], list[Problem]]:
    if paths is None:
        paths = [project_paths.register_dir()]
    elif isinstance(paths, str | Path):
        paths = [paths]
    files, problems = [], []
    if not paths:
        none = Msg("register.no_register_files")
        problems.append(Problem("", none, expected=Msg("register.a_file")))
    for given in paths:
        path = Path(given)
        if not path.is_dir():
            files.append(path)
            continue
        found = sorted(
            f
            for f in path.iterdir()
            if f.is_file()
            and f.stem.lower() in TABLES
            and f.suffix.lower() in CSV_SUFFIXES + XLSX_SUFFIXES
        )
        if not found:
            names = ", ".join(sorted(f.name for f in path.iterdir()))
            problems.append(
                Problem(
                    str(path),
                    Msg("register.no_files_in_folder"),
                    expected=Msg("register.register_file_names"),
                    found=names or Msg("register.an_empty_folder"),
                )
            )
        files += found
    return files, problems


def _too_many_rows(tables: list[RawTable], limits: Limits) -> list[Problem]:
    """Refuse tables with more rows than the limits allow, before any cell is converted."""
    problems = []
    for kind, limit in (("buildings", limits.max_buildings), ("parts", limits.max_part_rows)):
        of_kind = [t for t in tables if t.kind == kind]
        n_rows = sum(len(t.rows) for t in of_kind)
        what = (
            Msg("register.what_buildings")
            if kind == "buildings"
            else Msg("register.what_part_rows")
        )
        problem = row_count_problem(", ".join(t.file for t in of_kind), n_rows, limit, what)
        problems += [problem] if problem is not None else []
    return problems


def _read(
    paths: PathArg, mapping: MappingArg, limits: Limits = LIMITS, include_hidden: bool = False
) -> _Result:
    """Read, classify, convert and check every table; collect problems and notes."""
    result = _Result()
    lookup, result.problems = load_mapping(mapping)
    files, problems = _files(paths)
    result.problems += problems

    def is_heading(text: str) -> bool:
        key = norm_key(text)
        return bool(key) and (key in lookup or any(key in heading_lookup(t) for t in TABLES))

    tables: list[RawTable] = []
    for path in files:
        found, notes, problems = read_file(path, is_heading, limits, include_hidden=include_hidden)
        tables += found
        result.notes += notes
        result.problems += problems
        result.sources.append(str(path))
    if mapping is not None:
        name = "mapping" if isinstance(mapping, Mapping) else str(mapping)
        result.problems += idle_mapping_problems(name, lookup, tables)
    for raw in tables:
        raw.kind = classify(raw, lookup)
    tables, notes = choose_sheets(tables)
    result.notes += notes
    for raw in tables:
        result.problems += match_columns(raw, lookup)
        totals = drop_total_rows(raw)
        result.notes += [totals] if totals is not None else []
        result.problems += merged_problems(raw)
        ignored = [h for i, h in enumerate(raw.headings) if h and i not in raw.columns.values()]
        if ignored:
            result.notes.append(Msg("register.headings_not_used", file=raw.label, headings=ignored))
    too_many = _too_many_rows(tables, limits)
    if too_many:
        result.problems += too_many
        return result
    have_buildings = any(t.kind == "buildings" for t in tables)
    result.have_parts = any(t.kind == "parts" for t in tables)
    if tables and not have_buildings:
        result.problems.append(
            Problem(
                ", ".join(t.file for t in tables),
                Msg("register.no_buildings_table"),
                expected=Msg("register.buildings_table_headings"),
                found=Msg("register.only_parts_tables"),
            )
        )
    this_year = dt.date.today().year
    unknown_uses: dict[str, int] = {}
    headings: dict[str, dict[str, str]] = {}
    for raw in tables:
        required = {n for n, s in specs(raw.kind).items() if s.required}
        if raw.kind == "buildings" and not result.have_parts:
            required.add("condition_grade")  # the only grade there is
        result.problems += missing_columns(raw, required)
        records, problems = convert_rows(raw, required, this_year, unknown_uses, limits)
        result.problems += problems
        (result.buildings if raw.kind == "buildings" else result.parts).extend(records)
        headings[raw.file] = {n: raw.headings[i] for n, i in raw.columns.items()}
    result.part_rows = len(result.parts)
    result.problems += cross_check(
        result.buildings, result.parts, headings, have_buildings=have_buildings
    )
    if unknown_uses:
        uses = [Msg("register.use_count", use=u, n=n) for u, n in sorted(unknown_uses.items())]
        result.notes.append(Msg("register.unknown_uses", uses=uses))
    if result.have_parts and have_buildings:
        _fill_from_overall_grade(result, headings)
    return result


def _fill_from_overall_grade(result: _Result, headings: dict[str, dict[str, str]]) -> None:
    """Give parts without a row the building's overall grade; report buildings with neither."""
    codes = list(part_table().index)
    given: dict[Any, set[Any]] = {}
    for rec in result.parts:
        given.setdefault(rec.get("building_id"), set()).add(rec.get("part"))
    filled, ungraded_parts = 0, 0
    for rec in result.buildings:
        bid = rec.get("building_id")
        missing = [c for c in codes if c not in given.get(bid, set())]
        if bid is None or not missing:
            continue
        grade = rec.get("condition_grade")
        if grade is not None:
            result.parts += [
                {"building_id": bid, "part": c, "condition_grade": grade} for c in missing
            ]
            filled += 1
        elif len(missing) == len(codes):
            result.problems.append(
                Problem(
                    rec["_file"],
                    Msg("register.no_grade", building=bid),
                    row=rec["_row"],
                    column=headings[rec["_file"]].get("building_id"),
                    expected=Msg("register.grade_sources"),
                    found=Msg("register.no_parts_no_grade"),
                )
            )
        else:
            ungraded_parts += 1
    if filled:
        result.notes.append(Msg("register.parts_take_overall_grade", n=filled))
    if ungraded_parts:
        result.notes.append(Msg("register.parts_without_grade", n=ungraded_parts))


def _frame(records: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    rows = [{k: v for k, v in r.items() if not k.startswith("_")} for r in records]
    frame = pd.DataFrame(rows)
    keep = [c for c in dict.fromkeys(columns) if c in frame]
    return frame[keep]
