"""Overrides: change a validated model by dotted keys, for scenarios and live what-ifs.

Override forms (``key: form``)
------------------------------
- **bare value** ``maintenance.budget_mnok.HMR: 80``: replaces the leaf's ``value`` (or one
  table entry, or a plain setting); unit and source stay as they were;
- ``{value: X, source: "..."}``: replaces value and source (for a table entry, the source of
  the whole table);
- ``{from: 2020, value: 210}`` (optionally with ``source``): the value becomes ``210`` from 2020
  on and **keeps the old value before 2020**. Exactly: the old value is read as a year path
  (a scalar ``s`` is ``{-inf: s}``); its entries before ``from`` are kept, entries at or after
  ``from`` are dropped and ``{from: value}`` is added; if no entry lies before ``from``, the
  old value in year ``from - 1`` is written at ``from - 1``. So the default extra budget 0 with
  ``{from: 2020, value: 210}`` becomes ``{2019: 0, 2020: 210}``: 0 up to 2019, 210 from 2020.
  Only parameters that may vary by year accept ``from``; on a whole per-HF table it applies to
  every entry (or to the entries of a table given as ``value``).

- ``{uncertainty: {dist: ..., source: ...}}`` (alone, or next to ``value``/``source``/``from``):
  declares how uncertain the parameter is in this scenario, as a model file does
  (:data:`hmn_bygg.config.params.Uncertainty`); ``{uncertainty: null}`` makes it fixed. Only a
  whole parameter takes one, not one entry of its table or a plain setting. A bare value keeps
  the parameter's uncertainty from the model (a multiplier then acts on the new value).

A dotted key may reach one entry of a per-part or per-HF table (``condition.part_life_years.3``).
Two keys in one set of overrides may not overlap (the same key, or a table and one of its
entries), so the result never depends on the order of the overrides.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from hmn_bygg.config.keys import (
    KeyInfo,
    describe_errors,
    hint,
    key_index,
    non_finite,
)
from hmn_bygg.config.params import FIRST_YEAR, LAST_YEAR, Param, is_year_path
from hmn_bygg.config.plan_year import plan_year_problems
from hmn_bygg.config.sections import Model
from hmn_bygg.config.validation_errors import SOURCE_EXPECTED
from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.messages import Msg, Text

FORM_KEYS = frozenset({"from", "value", "source", "uncertainty", "price_year"})

_KEEP = object()
"""Marks a part of an override form that was not given (the old value or spread stays)."""


class _FormError(ValueError):
    def __init__(self, message: Msg, expected: Text | None = None, found: Any = None) -> None:
        super().__init__(str(message))
        self.message, self.expected = message, expected
        self.found = None if found is None else str(found)


@dataclass(frozen=True)
class Resolved:
    """A parameter (or table entry, or setting) looked up by dotted key.

    Parameters
    ----------
    key : str
        The dotted key.
    value : Any
        Scalar, year path, table or setting value.
    unit : str or None
        Unit of a parameter (``None`` for settings).
    source : str or None
        Source of a parameter (``None`` for settings).
    description : str
        What the field means.
    """

    key: str
    value: Any
    unit: str | None
    source: str | None
    description: str


def resolve_key(model: Model, key: str) -> Resolved:
    """Look up one dotted key in a model.

    Parameters
    ----------
    model : Model
        A validated model.
    key : str
        E.g. ``maintenance.budget_mnok.HMR`` or ``model.end_year``.

    Returns
    -------
    Resolved

    Raises
    ------
    hmn_bygg.core.errors.InputError
        For an unknown key, with a did-you-mean hint.
    """
    index = key_index()
    info = index.get(key)
    if info is None:
        raise InputError(
            [Problem("model", Msg("config.unknown_key", hint=hint(key, index)), column=key)],
            title=Msg("config.cannot_show_key"),
        )
    node: Any = model
    for name in info.path:
        node = getattr(node, _attribute(type(node), name))
    if isinstance(node, Param):
        value = node.value[info.entry] if info.kind == "entry" else node.value
        return Resolved(key, value, node.unit, node.source, info.description)
    return Resolved(key, node, None, None, info.description)


def _attribute(cls: type, name: str) -> str:
    for attr, field in cls.model_fields.items():  # type: ignore[attr-defined]
        if (field.alias or attr) == name:
            return attr
    return name


def overlapping(a: str, b: str) -> bool:
    """Whether two dotted keys set the same thing (equal, or one inside the other)."""
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def start_from(old: Any, year: int, new: Any) -> dict[int, Any]:
    """Return a year path that keeps ``old`` before ``year`` and is ``new`` from ``year`` on.

    Parameters
    ----------
    old : float or mapping
        The old scalar or year path.
    year : int
        First year of the new value.
    new : float
        The new value.

    Examples
    --------
    >>> start_from(0.0, 2020, 210)
    {2019: 0.0, 2020: 210}
    >>> start_from({2018: 40, 2025: 60, 2030: 70}, 2026, 10)
    {2018: 40, 2025: 60, 2026: 10}
    >>> start_from({2025: 60}, 2020, 10)
    {2019: 60, 2020: 10}
    """
    if isinstance(new, Mapping):
        raise _FormError(Msg("config.from_single_value"), found=new)
    if isinstance(old, Mapping) and is_year_path(old):
        path = {int(y): v for y, v in old.items()}
        kept = {y: v for y, v in sorted(path.items()) if y < year}
        if not kept:
            kept = {year - 1: path[min(path)]}
    else:
        kept = {year - 1: old}
    kept[year] = new
    return kept


def _parse_form(value: Any) -> tuple[Any, int | None, str | None, Any]:
    """Split an override into (new value, from year, new source, new uncertainty).

    The value and the uncertainty are :data:`_KEEP` where the form does not give them.
    """
    if not (isinstance(value, Mapping) and any(k in FORM_KEYS for k in value)):
        return value, None, None, _KEEP
    unknown = [k for k in value if k not in FORM_KEYS]
    if unknown or not ("value" in value or "uncertainty" in value):
        forms = "{value: ...}, {from: <year>, value: ...}, {value: ..., source: ...}"
        last = "{uncertainty: {dist: ..., source: ...}}"
        expected = Msg("config.one_of", items=forms, last=last)
        raise _FormError(Msg("config.form_keys"), expected=expected, found=dict(value))
    start = value.get("from")
    if start is not None:
        if "value" not in value:
            raise _FormError(Msg("config.from_needs_value"), found=dict(value))
        if isinstance(start, str) and start.strip().isdigit():
            start = int(start)
        if isinstance(start, bool) or not isinstance(start, int):
            raise _FormError(Msg("config.from_not_year"), Msg("config.integer_year"), found=start)
        if not FIRST_YEAR <= start <= LAST_YEAR:
            span = Msg("config.year_span", first=str(FIRST_YEAR), last=str(LAST_YEAR))
            raise _FormError(Msg("config.from_out_of_range"), expected=span, found=start)
    source = value.get("source")
    if "source" in value and (not isinstance(source, str) or not source.strip()):
        raise _FormError(Msg("config.override_source_empty"), SOURCE_EXPECTED, found=source)
    spread = value.get("uncertainty", _KEEP)
    if spread is not _KEEP and spread is not None and not isinstance(spread, Mapping):
        raise _FormError(
            Msg("config.uncertainty_form"),
            expected="{dist: lognormal|normal|triangular|uniform|delay_years, ..., source: ...}",
            found=spread,
        )
    return value.get("value", _KEEP), start, source, spread


def _set(data: dict[str, Any], info: KeyInfo, value: Any) -> None:
    """Apply one override to the dumped model ``data`` in place."""
    new, start, source, spread = _parse_form(value)
    parent = data
    for name in info.path[:-1]:
        parent = parent[name]
    name = info.path[-1]
    if info.kind == "setting":
        if start is not None or source is not None or spread is not _KEEP:
            raise _FormError(Msg("config.setting_bare"), found=dict(value))
        parent[name] = new
        return
    if spread is not _KEEP and info.kind == "entry":
        raise _FormError(
            Msg("config.uncertainty_whole"),
            expected=Msg("config.own_key", key=".".join(info.path)),
        )
    if start is not None and not info.timed:
        raise _FormError(Msg("config.from_not_timed"), expected=Msg("config.bare_or_form"))
    leaf = dict(parent[name])
    old = leaf["value"]
    if spread is not _KEEP:
        leaf["uncertainty"] = spread
    if new is _KEEP:
        pass
    elif info.kind == "entry":
        table = dict(old)
        table[info.entry] = new if start is None else start_from(table[info.entry], start, new)
        leaf["value"] = table
    elif start is None:
        leaf["value"] = new
    elif isinstance(old, Mapping) and not is_year_path(old):  # a table of year paths
        table = dict(old)
        items = new.items() if isinstance(new, Mapping) else ((k, new) for k in old)
        for code, entry in items:
            table[code] = start_from(old[code], start, entry) if code in old else entry
        leaf["value"] = table
    else:
        leaf["value"] = start_from(old, start, new)
    if source is not None:
        leaf["source"] = source
    if isinstance(value, Mapping) and "price_year" in value:
        given = value["price_year"]
        if (start is not None or info.kind == "entry") and given != leaf.get("price_year"):
            kept = str(leaf.get("price_year"))
            raise _FormError(
                Msg("config.part_price_year", price_year=kept),
                expected=Msg("config.convert_first", price_year=kept),
                found=given,
            )
        leaf["price_year"] = given
    parent[name] = leaf


@dataclass(frozen=True)
class OverrideProblem:
    """A problem of one override key, before it is placed in a file."""

    key: str
    message: Text
    expected: Text | None = None
    found: str | None = None
    at: tuple[str, ...] = ()  # where below ``key`` (a year or table entry), when known


def try_overrides(
    model: Model, overrides: Mapping[str, Any]
) -> tuple[Model | None, list[OverrideProblem]]:
    """Apply overrides; return the new model or the problems (keyed by override key).

    Parameters
    ----------
    model : Model
        The model to start from.
    overrides : mapping of str to Any
        Dotted key -> override form (see the module docstring).

    Returns
    -------
    (Model or None, list of OverrideProblem)
        The new model when there are no problems.
    """
    index = key_index()
    problems: list[OverrideProblem] = []
    keys = [str(k) for k in overrides]
    for i, key in enumerate(keys):
        if key not in index:
            problems.append(OverrideProblem(key, Msg("config.unknown_key", hint=hint(key, index))))
        for other in keys[:i]:
            if overlapping(key, other):
                problems.append(OverrideProblem(key, Msg("config.overlaps", other=other)))
    if problems:
        return None, problems
    data = model.model_dump()
    starts: dict[str, int] = {}
    for key, value in overrides.items():
        try:
            start = _parse_form(value)[1]
            if start is not None:
                starts[str(key)] = int(start)
            _set(data, index[str(key)], value)
        except _FormError as err:
            problems.append(OverrideProblem(str(key), err.message, err.expected, err.found))
    for e in non_finite(dict(overrides)):  # only the new values: cheap, and said per key
        key = e.path[0] if e.path else "overrides"
        at = tuple(str(x) for x in e.path[1:])
        problems.append(OverrideProblem(key, e.message, e.expected, e.found, at))
    if problems:
        return None, problems
    try:
        result = Model.model_validate(data)
    except ValidationError as err:
        for e in describe_errors(err):
            setter = next((k for k in keys if overlapping(k, e.key)), None)
            message = e.message
            if setter is not None and setter != e.key:
                message = Msg("config.at_key", key=e.key, message=e.message)
            below = e.key[len(setter) + 1 :] if setter and e.key.startswith(setter + ".") else ""
            at = tuple(below.split(".")) if below else ()
            problems.append(OverrideProblem(setter or e.key, message, e.expected, e.found, at))
        return None, problems

    def owner(key: str) -> str:  # the override that set a key
        return next((k for k in keys if overlapping(k, key)), key)

    problems += [OverrideProblem(*p) for p in plan_year_problems(model, result, starts, owner)]
    if problems:
        return None, problems
    from hmn_bygg.config.provenance import carry

    return carry(model, result), []


def apply_overrides(
    model: Model, overrides: Mapping[str, Any], *, file: str = "overrides"
) -> Model:
    """Return a new model with ``overrides`` applied (the model itself is frozen).

    Parameters
    ----------
    model : Model
        A validated model.
    overrides : mapping of str to Any
        Dotted key -> a bare value, ``{value: X, source: "..."}`` or
        ``{from: <year>, value: X[, source: "..."]}``; see the module docstring for the rule.
    file : str
        Name used in error messages.

    Returns
    -------
    Model
        The validated new model (about 0.1 ms for a handful of overrides).

    Raises
    ------
    hmn_bygg.core.errors.InputError
        Unknown keys (with a did-you-mean hint), overlapping keys, malformed forms, wrong types
        or values out of range; a decision (``from:`` a year, a chosen disposal, a decision
        item of :data:`hmn_bygg.config.plan_year.DECISION_KEYS`) before the plan year; all
        problems at once.

    Examples
    --------
    >>> from hmn_bygg.config import load_model
    >>> later = {"from": 2027, "value": 80}  # a decision: from the plan year on
    >>> m = apply_overrides(load_model(), {"maintenance.budget_mnok.HMR": later})
    >>> dict(m.maintenance.budget_mnok.value["HMR"])
    {2026: 100.0, 2027: 80.0}
    """
    result, problems = try_overrides(model, overrides)
    if result is not None:
        from hmn_bygg.config.provenance import record_overrides

        record_overrides(result, {str(k): (file, {}, ()) for k in overrides})
    if result is None:
        raise InputError(
            [
                Problem(file, p.message, column=p.key, expected=p.expected, found=p.found)
                for p in problems
            ],
            title=Msg("config.overrides_have_problems"),
        )
    return result
