"""Read model and scenario files into validated, frozen models (the schema: config.schema).

Files (YAML, read with ``yaml.safe_load``; never written)::

    # models/hmn.yaml: the base model, one key per section
    maintenance:
      budget_mnok: {value: {HMR: 60, HNT: 25, STO: 90}, unit: MNOK/year, source: "..."}

    # models/scenarios.yaml: named overrides and scenarios (lists of override names)
    overrides:
      maintenance_catch_up:
        maintenance.extra_budget_mnok: {from: 2020, value: 210, source: "..."}
    scenarios:
      today: []                         # the base model
      catch_up: [maintenance_catch_up]

Every problem found (YAML syntax, missing file, unknown or overlapping keys, wrong types,
values out of range, numbers that are not finite, missing sources, unknown override or scenario
names, register paths outside the allowed folders) is collected and raised as one
:class:`hmn_bygg.core.errors.InputError`; each :class:`~hmn_bygg.core.errors.Problem` names the
file,
the line (``row``) and the dotted key (``column``).

Safety
------
YAML is read with PyYAML's safe loader only: tags that would build Python objects
(``!!python/object/apply:os.system``) are refused. Files over
:attr:`hmn_bygg.core.limits.Limits.max_yaml_bytes`, nested deeper than
:attr:`~hmn_bygg.core.limits.Limits.max_yaml_depth` or expanding (through aliases) to more than
:attr:`~hmn_bygg.core.limits.Limits.max_yaml_nodes` nodes are refused before anything walks them.
Register paths (``model.register``) must lie inside an allowed root, see
:func:`hmn_bygg.config.register_roots.allowed_roots` and
:func:`hmn_bygg.config.register_roots.checked_register_paths` (re-exported here).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from hmn_bygg.config.keys import describe_errors, hint, non_finite
from hmn_bygg.config.labels import brief_problems, label_problems
from hmn_bygg.config.overrides import apply_overrides, overlapping, try_overrides
from hmn_bygg.config.plan_year import disposal_year_problems
from hmn_bygg.config.provenance import Origin, record_model, record_overrides
from hmn_bygg.config.register_roots import (
    allowed_roots,
    checked_register_paths,
    register_path_problems,
)
from hmn_bygg.config.sections import Model
from hmn_bygg.config.yaml_files import (
    Lines,
    PathLike,
    default_model_path,
    display_name,
    line_of,
    read_yaml,
)
from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.limits import (
    LIMITS,
    Limits,
)
from hmn_bygg.core.messages import Msg
from hmn_bygg.core.paths import models_dir

SCENARIO_FILE_KEYS = ("overrides", "scenarios", "labels", "brief")
__all__ = [
    "allowed_roots",
    "checked_register_paths",
    "default_model_path",
    "load_model",
    "load_scenarios",
    "read_yaml",
    "register_path_problems",
]


def _value_problems(
    model: Model, name: str, roots: Sequence[PathLike] | None, lines: Lines, row: int | None
) -> list[Problem]:
    """Non-finite numbers (also from texts such as 'nan') and register paths of a model."""
    problems = [
        Problem(name, e.message, row or line_of(lines, e.path), e.key, e.expected, e.found)
        for e in non_finite(model.model_dump(by_alias=True))
    ]
    return problems + register_path_problems(model, roots, file=name, row=row)


def load_model(
    path: PathLike | None = None,
    *,
    allowed_roots: Sequence[PathLike] | None = None,
    limits: Limits = LIMITS,
) -> Model:
    """Read and validate a model file.

    Parameters
    ----------
    path : path-like, optional
        The model file; default ``models/hmn.yaml`` (:func:`default_model_path`).
    allowed_roots : sequence of path-like, optional
        Folders besides the model's project where its register may lie (see
        :func:`allowed_roots`).
    limits : hmn_bygg.core.limits.Limits
        YAML size, depth and alias-expansion limits.

    Returns
    -------
    Model
        Frozen; ``model.file`` is the resolved path.

    Raises
    ------
    hmn_bygg.core.errors.InputError
        Every problem in the file at once.
    """
    path = Path(path) if path is not None else default_model_path()
    name = display_name(path)
    data, lines, problems = read_yaml(path, limits)
    if not problems and not isinstance(data, Mapping):
        problems.append(Problem(name, Msg("config.model_not_mapping"), found=type(data).__name__))
    if not problems:
        problems = [
            Problem(name, e.message, line_of(lines, e.path), e.key, e.expected, e.found)
            for e in non_finite(data)
        ]
        try:
            model = Model.model_validate(data)
        except ValidationError as err:
            said = {p.column for p in problems}  # a non-finite number is reported once
            problems += [
                Problem(name, e.message, line_of(lines, e.path), e.key, e.expected, e.found)
                for e in describe_errors(err)
                if e.key not in said
            ]
    if not problems:
        record_model(model, path, lines)
        row = line_of(lines, ("model", "register"))
        problems = _value_problems(model, name, allowed_roots, lines, row)
        problems += [
            Problem(name, msg, line_of(lines, tuple(key.split("."))), key, expected, found)
            for key, msg, expected, found in disposal_year_problems(model)
        ]
    if problems:
        raise InputError(problems, title=Msg("config.model_file_has_problems", file=name))
    return model


def _parse_scenario_file(
    data: Any, name: str, lines: Lines
) -> tuple[dict[str, dict[str, Any]], dict[str, list[str]], list[Problem]]:
    problems: list[Problem] = []
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        problems.append(Problem(name, Msg("config.scenario_file_not_mapping")))
        return {}, {}, problems
    for key in data:
        if key not in SCENARIO_FILE_KEYS:
            unknown = Msg("config.unknown_key", hint=hint(str(key), SCENARIO_FILE_KEYS))
            row = line_of(lines, (str(key),))
            problems.append(Problem(name, unknown, row=row, column=str(key)))
    overrides: dict[str, dict[str, Any]] = {}
    raw = data.get("overrides") or {}
    if not isinstance(raw, Mapping):
        problems.append(Problem(name, Msg("config.overrides_not_mapping"), column="overrides"))
        raw = {}
    for oname, mapping in raw.items():
        if mapping is None:
            mapping = {}
        if not isinstance(mapping, Mapping):
            problems.append(
                Problem(
                    name,
                    Msg("config.override_not_mapping", name=str(oname)),
                    row=line_of(lines, ("overrides", str(oname))),
                    column=str(oname),
                    found=str(mapping),
                )
            )
            continue
        overrides[str(oname)] = {str(k): v for k, v in mapping.items()}
    scenarios: dict[str, list[str]] = {}
    raw = data.get("scenarios") or {}
    if not isinstance(raw, Mapping):
        problems.append(Problem(name, Msg("config.scenarios_not_mapping"), column="scenarios"))
        raw = {}
    for sname, names in raw.items():
        names = [] if names is None else names
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            problems.append(
                Problem(
                    name,
                    Msg("config.scenario_not_list", name=str(sname)),
                    row=line_of(lines, ("scenarios", str(sname))),
                    column=str(sname),
                    expected=Msg("config.name_list"),
                    found=str(names),
                )
            )
            continue
        scenarios[str(sname)] = names
    return overrides, scenarios, problems


def _scenario_problems(
    sname: str, onames: list[str], overrides: dict[str, dict[str, Any]], name: str, lines: Lines
) -> list[Problem]:
    problems: list[Problem] = []
    known: list[str] = []
    for i, oname in enumerate(onames):
        row = line_of(lines, ("scenarios", sname, str(i)))
        if oname not in overrides:
            msg = Msg("config.unknown_override", scenario=sname, name=oname,
                      hint=hint(oname, overrides))  # fmt: skip
            problems.append(Problem(name, msg, row=row, column=sname))
        elif oname in known:
            msg = Msg("config.override_twice", scenario=sname, name=oname)
            problems.append(Problem(name, msg, row=row, column=sname))
        else:
            for other in known:
                for key in overrides[oname]:
                    for other_key in overrides[other]:
                        if overlapping(key, other_key):
                            msg = Msg("config.both_set", scenario=sname, first=other, second=oname,
                                      key=key) if key == other_key else Msg(
                                "config.both_set_two", scenario=sname, first=other, second=oname,
                                key=other_key, other_key=key)  # fmt: skip
                            problems.append(Problem(name, msg, row=row, column=key))
            known.append(oname)
    return problems


def _override_line(lines: Lines, base: tuple[str, ...], at: tuple[str, ...]) -> int | None:
    """Line of the value an override problem is about: the deepest of ``base`` + ``at``.

    The value may be written bare (``key: 80``) or in a form (``key: {value: 80}``); ``at``
    names a year or table entry below the key when the problem is there.
    """
    best: tuple[int, int | None] = (0, line_of(lines, base))
    for path in ((*base, *at), (*base, "value", *at)):
        for end in range(len(path), len(base), -1):
            if path[:end] in lines:
                best = max(best, (end, lines[path[:end]]), key=lambda b: b[0])
                break
    return best[1]


def load_scenarios(
    model_path: PathLike | None = None,
    scenarios_path: PathLike | None = None,
    names: Sequence[str] | None = None,
    *,
    allowed_roots: Sequence[PathLike] | None = None,
    limits: Limits = LIMITS,
    plan_start: int | None = None,
) -> dict[str, Model]:
    """Read the base model and its scenarios; resolve and validate every scenario.

    Parameters
    ----------
    model_path : path-like, optional
        Base model; default ``models/hmn.yaml``.
    scenarios_path : path-like, optional
        Scenario file; default ``scenarios.yaml`` next to the model file.
    names : sequence of str, optional
        Scenarios to return, in this order; default all, in file order.
    allowed_roots : sequence of path-like, optional
        As for :func:`load_model`; also applies to overrides of ``model.register``.
    limits : hmn_bygg.core.limits.Limits
        As for :func:`load_model`.
    plan_start : int, optional
        First plan year [year] instead of the model's ``model.plan_start`` (``--plan-start``);
        the overrides are checked against it.

    Returns
    -------
    dict of str to Model
        Scenario name -> fully resolved, validated, frozen model.

    Raises
    ------
    hmn_bygg.core.errors.InputError
        Every problem at once. The whole scenario file is checked even when ``names`` picks a
        few scenarios: each override alone against the base model, overlapping keys within a
        scenario, unknown override names, and unknown names asked for.
    """
    base = load_model(model_path, allowed_roots=allowed_roots, limits=limits)
    if plan_start is not None:
        base = apply_overrides(base, {"model.plan_start": int(plan_start)}, file="--plan-start")
    folder = base.file.parent if base.file is not None else models_dir()
    path = Path(scenarios_path) if scenarios_path is not None else folder / "scenarios.yaml"
    name = display_name(path)
    data, lines, problems = read_yaml(path, limits)
    title = Msg("config.scenario_file_has_problems", file=name)
    if problems:
        raise InputError(problems, title=title)
    overrides, scenarios, problems = _parse_scenario_file(data, name, lines)
    bad: set[str] = set()
    for oname, mapping in overrides.items():
        changed, found = try_overrides(base, mapping)
        if changed is not None:
            row = line_of(lines, ("overrides", oname))
            extra = _value_problems(changed, name, allowed_roots, lines, row)
            problems += [
                replace(p, message=Msg("config.in_override", name=oname, message=p.message))
                for p in extra
            ]
            bad.update([oname] if extra else [])
        for p in found:
            row = _override_line(lines, ("overrides", oname, p.key), p.at)
            msg = Msg("config.in_override", name=oname, message=p.message)
            problems.append(Problem(name, msg, row, p.key, p.expected, p.found))
        if found:
            bad.add(oname)
    for sname, onames in scenarios.items():
        problems += _scenario_problems(sname, onames, overrides, name, lines)
    raw_brief = data.get("brief") if isinstance(data, Mapping) else None
    problems += brief_problems(raw_brief, scenarios, name, lines)[1]
    problems += label_problems(data.get("labels") if isinstance(data, Mapping) else None,
                               scenarios, name, lines)[1]  # fmt: skip
    wanted = list(scenarios) if names is None else list(names)
    unknown = [s for s in wanted if s not in scenarios]
    if unknown and not problems:  # the file is fine: the name asked for is not in it
        raise InputError(
            [Problem(name, Msg("config.no_scenario_available", name=s, hint=hint(s, scenarios),
                               available=list(scenarios))) for s in unknown],
            title=Msg("config.no_scenario_title", names=[repr(s) for s in unknown]),
        )  # fmt: skip
    for sname in unknown:
        msg = Msg("config.no_scenario", name=sname, hint=hint(sname, scenarios))
        available = Msg("config.available", names=list(scenarios))
        problems.append(Problem(name, msg, expected=available))
    if problems:
        raise InputError(problems, title=title)
    result: dict[str, Model] = {}
    for sname in wanted:
        merged: dict[str, Any] = {}
        origins: dict[str, Origin] = {}
        for oname in scenarios[sname]:
            merged.update(overrides[oname])
            origins |= {k: (name, lines, ("overrides", oname, k)) for k in overrides[oname]}
        model, found = try_overrides(base, merged)
        if model is not None:
            record_overrides(model, origins)
        for p in found:
            row = line_of(lines, ("scenarios", sname))
            msg = Msg("config.in_scenario", name=sname, message=p.message)
            problems.append(Problem(name, msg, row, p.key, p.expected, p.found))
        if model is not None:
            result[sname] = model
    if problems:
        raise InputError(problems, title=title)
    return result
