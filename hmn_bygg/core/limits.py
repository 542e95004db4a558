"""The stated limits of hmn_bygg as data, and the checks that apply them before parsing.

Every reader refuses inputs beyond these limits up front, with a
:class:`~hmn_bygg.core.errors.Problem` that says what to do, instead of running out of memory or
time halfway. The values are generous for Helse Midt-Norge (about 1 000 buildings and 6 000 part
rows today) and small enough that a refused file is a mistake or an attack, not a register.

Public API: :class:`Limits`, :data:`LIMITS` (the defaults), :func:`file_size_problem`,
:func:`row_count_problem`, :func:`yaml_too_deep`, :func:`yaml_expansion_problem`,
:func:`estimate_result_bytes`, :func:`result_size_problem`, :func:`draws_problem`.

Memory limits for Monte Carlo draws
-----------------------------------
:attr:`Limits.max_result_bytes` bounds the size of a results Dataset in memory;
:func:`estimate_result_bytes` estimates it from the sizes of the run and
:func:`result_size_problem` turns an estimate over the limit into a Problem. The risk module
(draws) should call :func:`result_size_problem` before simulating and raise an
:class:`~hmn_bygg.core.errors.InputError` with it; add further memory limits for draws as fields
of :class:`Limits` in the section marked "Monte Carlo".
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from hmn_bygg.core.errors import Problem
from hmn_bygg.core.messages import Msg, Text

MB = 1024 * 1024
GB = 1024 * MB


@dataclass(frozen=True)
class Limits:
    """The limits every reader and run applies (see the module docstring).

    Attributes
    ----------
    max_register_file_bytes : int
        Largest register file (CSV or XLSX) read [bytes]; 200 MB, about 100 times the
        largest plausible national register.
    max_xlsx_unpacked_bytes : int
        Largest total unpacked size of the parts of an XLSX workbook [bytes]; 1 GB. Guards
        against "zip bombs": a small file that unpacks to gigabytes.
    max_buildings : int
        Most rows in all buildings tables together; 200 000.
    max_part_rows : int
        Most rows in all parts tables together; 2 000 000 (about 6 parts per building). Also
        the most lines a CSV file may have, checked before it is parsed.
    max_cell_chars : int
        Longest cell text [characters]; 10 000. Longer cells are a sign of a broken quote
        that swallowed the rest of the file.
    max_abs_number : float
        Largest magnitude of a number in a register cell; 1e12. Larger numbers (and ``inf``,
        ``nan``) are refused instead of overflowing sums.
    max_yaml_bytes : int
        Largest model or scenario file [bytes]; 2 MB (``models/hmn.yaml`` is about 20 kB).
    max_yaml_nodes : int
        Most YAML nodes after alias expansion; 200 000. Refuses "billion laughs" files whose
        aliases expand exponentially, before anything walks the expanded tree.
    max_yaml_depth : int
        Deepest nesting of mappings and lists in a YAML file; 50.
    max_result_bytes : int
        Largest results Dataset a run may build in memory [bytes]; 4 GB
        (see :func:`estimate_result_bytes`).
    max_draws : int
        Most Monte Carlo draws per scenario in one run; 1 000 000 (about five hours on two
        cores at the measured speed, and p10/p90 bands settle to within a hundredth of a
        grade long before: 10 000 draws are plenty for a board).
    max_workbook_bytes : int
        Largest LTB assumptions workbook (``hmn-bygg run --ltb``) [bytes]; 20 MB (the
        template is about 50 kB). :attr:`max_cell_chars` and :attr:`max_abs_number` apply
        to its cells too.
    max_workbook_unpacked_bytes : int
        Largest total unpacked size of the parts of an assumptions workbook [bytes]; 100 MB.
    max_workbook_rows : int
        Last row that may hold anything on a sheet of an assumptions workbook; 10 000 (the
        template has a few hundred rows).
    """

    # Register files (hmn_bygg.register.load)
    max_register_file_bytes: int = 200 * MB
    max_xlsx_unpacked_bytes: int = 1 * GB
    max_buildings: int = 200_000
    max_part_rows: int = 2_000_000
    max_cell_chars: int = 10_000
    max_abs_number: float = 1e12
    # Model and scenario files (hmn_bygg.config.loader)
    max_yaml_bytes: int = 2 * MB
    max_yaml_nodes: int = 200_000
    max_yaml_depth: int = 50
    # Runs; Monte Carlo
    max_result_bytes: int = 4 * GB
    max_draws: int = 1_000_000
    # LTB assumptions workbooks (hmn_bygg.excel.template)
    max_workbook_bytes: int = 20 * MB
    max_workbook_unpacked_bytes: int = 100 * MB
    max_workbook_rows: int = 10_000


LIMITS = Limits()
"""The limits in force unless a caller passes its own :class:`Limits`."""

YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""PyYAML's safe loader (the libyaml one when available): plain data only, no Python objects.
Its composer recurses, so :func:`yaml_too_deep` must pass before it composes a file."""
_STARTS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_ENDS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _size(n_bytes: float) -> dict[str, Any]:
    """Return a size as the fields ``size`` (one decimal) and ``unit`` (GB, MB or kB)."""
    for unit, scale in (("GB", GB), ("MB", MB)):
        if n_bytes >= scale:
            return {"size": round(n_bytes / scale, 1), "unit": unit}
    return {"size": round(n_bytes / 1024, 1), "unit": "kB"}


def _size_text(n_bytes: float) -> str:
    """A size as the file system names it (``201.0 MB``), for the ``found`` of a problem."""
    shown = _size(n_bytes)
    return f"{shown['size']:.1f} {shown['unit']}"


def file_size_problem(path: str | os.PathLike[str], limit: int, what: Text) -> Problem | None:
    """Return a Problem when a file is larger than ``limit``, else None (before reading it).

    Parameters
    ----------
    path : path-like
        The file, named as the user gave it.
    limit : int
        Largest size allowed [bytes].
    what : Msg or str
        What the file should be, e.g. "a register file" (a :class:`Msg`, so that the problem
        reads in the user's language).

    Returns
    -------
    Problem or None
    """
    size = Path(path).stat().st_size
    if size <= limit:
        return None
    return Problem(
        str(path),
        Msg("core.file_too_large", what=what),
        expected=Msg("core.at_most_size", **_size(limit)),
        found=_size_text(size),
    )


def row_count_problem(
    file: str, n_rows: int, limit: int, what: Text, *, at_least: bool = False
) -> Problem | None:
    """Return a Problem when a table has more than ``limit`` rows, else None.

    Parameters
    ----------
    file : str
        The file (and sheet) as the user reads it.
    n_rows : int
        Rows found (or an upper bound, e.g. the number of lines).
    limit : int
        Most rows allowed.
    what : Msg or str
        What the rows are, e.g. "buildings" or "lines" (a :class:`Msg`, so that the problem
        reads in the user's language).
    at_least : bool
        Whether reading stopped at ``n_rows`` (the file has at least that many).

    Returns
    -------
    Problem or None
    """
    if n_rows <= limit:
        return None
    return Problem(
        file,
        Msg("core.too_many_rows", what=what),
        expected=Msg("core.at_most_rows", limit=limit, what=what),
        found=("more than " if at_least else "") + f"{n_rows - at_least:,}".replace(",", " "),
    )


# Variables of a results Dataset by the dims they span (see the glossary); used by
# estimate_result_bytes. Counted generously: intermediate arrays during a run come on top.
_VARS_BUILDING_PART = 2  # condition_grade and a working copy
_VARS_BUILDING = 6  # building_grade, in_service, upgrade_need_building, ...
_VARS_HF = 16  # vttg, area, upgrade needs, fci, budgets, LTB lines, ...
_N_HF = 3
_BYTES_PER_VALUE = 8


def estimate_result_bytes(n_rows: int, n_years: int, n_buildings: int, n_parts: int) -> int:
    """Estimate the memory a run's results take [bytes].

    Parameters
    ----------
    n_rows : int
        Rows along the leading dims: scenarios × draws (1 draw for a deterministic run).
    n_years : int
        Simulated years.
    n_buildings : int
        Buildings, including planned new buildings.
    n_parts : int
        Building parts (6 NS 3451 main groups).

    Returns
    -------
    int
        Estimated bytes.

    Notes
    -----
    With :math:`R` rows, :math:`Y` years, :math:`B` buildings, :math:`P` parts and 8-byte
    values, the estimate is

    .. math:: 8\\,R\\,Y\\,(2\\,B\\,P + 6\\,B + 16 \\cdot 3)

    The per-(building, part) arrays dominate: 100 draws of 30 years over 1 000 buildings and
    6 parts take about 0.3 GB.

    Examples
    --------
    >>> estimate_result_bytes(1, 28, 1000, 6)
    4042752
    """
    per_year = _VARS_BUILDING_PART * n_buildings * n_parts + _VARS_BUILDING * n_buildings
    per_year += _VARS_HF * _N_HF
    return _BYTES_PER_VALUE * n_rows * n_years * per_year


def result_size_problem(
    n_rows: int,
    n_years: int,
    n_buildings: int,
    n_parts: int,
    limits: Limits = LIMITS,
    file: str = "run",
) -> Problem | None:
    """Return a Problem when a run's results would exceed :attr:`Limits.max_result_bytes`.

    Parameters
    ----------
    n_rows, n_years, n_buildings, n_parts : int
        As for :func:`estimate_result_bytes`.
    limits : Limits
        The limits in force.
    file : str
        What to name in the Problem (e.g. the model file).

    Returns
    -------
    Problem or None
    """
    need = estimate_result_bytes(n_rows, n_years, n_buildings, n_parts)
    if need <= limits.max_result_bytes:
        return None
    per_row = max(1, need // max(n_rows, 1))
    fit = max(1, math.floor(limits.max_result_bytes / per_row))
    return Problem(
        file,
        Msg("core.results_too_large", rows=n_rows, **_size(need)),
        expected=Msg("core.at_most_results", fit=fit, **_size(limits.max_result_bytes)),
    )


def draws_problem(draws: int, limits: Limits = LIMITS) -> Problem | None:
    """Return a Problem when a run asks for more Monte Carlo draws than :attr:`Limits.max_draws`.

    Parameters
    ----------
    draws : int
        Draws per scenario asked for.
    limits : Limits
        The limits in force.

    Returns
    -------
    Problem or None
    """
    if draws <= limits.max_draws:
        return None
    return Problem(
        "--draws",
        Msg("core.too_many_draws"),
        expected=Msg("core.at_most_draws", limit=limits.max_draws),
        found=f"{draws:,}".replace(",", " "),
    )


def yaml_too_deep(text: str, limits: Limits = LIMITS) -> int | None:
    """Return the line of the first mapping or list nested deeper than allowed, or None.

    Parameters
    ----------
    text : str
        YAML text.
    limits : Limits
        :attr:`Limits.max_yaml_depth` applies.

    Returns
    -------
    int or None
        1-based line. Found from the parser's events (an iterative parser), so even a file
        of a million ``[`` is measured without recursion.

    Raises
    ------
    yaml.YAMLError
        On a syntax error met before the limit.
    """
    depth = 0
    try:
        for event in yaml.parse(text, Loader=YAML_LOADER):  # an iterative parser: no recursion
            if isinstance(event, _STARTS):
                depth += 1
                if depth > limits.max_yaml_depth:
                    return event.start_mark.line + 1
            elif isinstance(event, _ENDS):
                depth -= 1
    except yaml.YAMLError as err:
        # Newer PyYAML scanners stop very deep flow nesting themselves while looking ahead.
        if "nesting depth" not in str(err):
            raise
        mark = getattr(err, "problem_mark", None)
        return mark.line + 1 if mark is not None else 1
    return None


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def yaml_expansion_problem(root: yaml.Node, limits: Limits = LIMITS) -> Msg | None:
    """Say why a composed YAML node graph is refused, or return None when it is fine.

    Parameters
    ----------
    root : yaml.Node
        From ``loader.get_single_node()`` (aliases are shared nodes, not yet expanded).
    limits : Limits
        :attr:`Limits.max_yaml_nodes` and :attr:`Limits.max_yaml_depth` apply to the tree
        the aliases would expand to.

    Returns
    -------
    Msg or None
        A cycle, too many nodes or too deep nesting once aliases expand.

    Notes
    -----
    Each node is visited once (sizes and depths are memoised), so a "billion laughs" file is
    measured in time proportional to its length, not to its expansion.
    """
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            kids = _children(node)
            size[key] = 1 + sum(size[id(k)] for k in kids)
            depth[key] = 1 + max((depth[id(k)] for k in kids), default=0)
            on_path.discard(key)
            if size[key] > limits.max_yaml_nodes:
                return Msg("core.aliases_too_many_nodes", limit=limits.max_yaml_nodes)
            if depth[key] > limits.max_yaml_depth:
                return Msg("core.aliases_too_deep", limit=limits.max_yaml_depth)
            continue
        if key in size:
            continue
        if key in on_path:
            return Msg("core.alias_cycle")
        on_path.add(key)
        stack.append((node, True))
        stack += [(k, False) for k in _children(node) if id(k) not in size]
    return None
