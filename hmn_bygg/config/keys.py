"""Dotted keys of a model (``maintenance.budget_mnok.HMR``), readable validation errors, and the
checks on values pydantic lets through: numbers that are not finite (:func:`non_finite`).
Register paths outside the allowed folders are checked in :mod:`hmn_bygg.config.register_roots`.

The key index is derived from the section classes: every parameter leaf, every entry of a
per-part or per-HF table, and every plain setting has one dotted key. The same keys name
overrides, ``hmn-bygg config show --key`` and the ``column`` of a
:class:`~hmn_bygg.core.errors.Problem`.
"""

from __future__ import annotations

import difflib
import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from hmn_bygg.config.params import LOC_TAGS, Param, Shape
from hmn_bygg.config.region import hf_codes
from hmn_bygg.config.sections import Model
from hmn_bygg.core.limits import LIMITS

PathLike = str | os.PathLike[str]

SOURCE_EXPECTED = (
    "a source: a seed document and section, a public report, or 'assumption: <reason>'"
)
LEAF_KEYS = ("value", "unit", "source")


@dataclass(frozen=True)
class KeyInfo:
    """What a dotted key points at.

    Parameters
    ----------
    key : str
        The dotted key, e.g. ``maintenance.budget_mnok.HMR``.
    path : tuple of str
        Keys from the top of the file to the leaf or setting (without ``value``).
    kind : {"leaf", "entry", "setting"}
        A whole parameter, one entry of a parameter's table, or a plain setting.
    entry : str or None
        Table code for ``kind="entry"``.
    timed : bool
        Whether the value (or entry, or every entry of a table) may be a year path, so
        ``{from: ..}`` overrides apply.
    unit : str or None
        Unit of a parameter.
    description : str
        The field's description.
    """

    key: str
    path: tuple[str, ...]
    kind: Literal["leaf", "entry", "setting"]
    entry: str | None = None
    timed: bool = False
    unit: str | None = None
    description: str = ""


def _walk(cls: type[BaseModel], prefix: tuple[str, ...]) -> Iterable[KeyInfo]:
    for name, field in cls.model_fields.items():
        name = field.alias or name
        path = (*prefix, name)
        key = ".".join(path)
        ann = field.annotation
        description = field.description or ""
        if isinstance(ann, type) and issubclass(ann, Param):
            extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
            unit = extra.get("unit")
            unit = unit if isinstance(unit, str) else None
            shape = next(
                (m for m in ann.model_fields["value"].metadata if isinstance(m, Shape)), None
            )
            timed = shape is not None and (shape.kind == "timed" or shape.entries_timed)
            yield KeyInfo(key, path, "leaf", None, timed, unit, description)
            if shape is not None and shape.kind == "table":
                for code in shape.codes():
                    yield KeyInfo(
                        f"{key}.{code}", path, "entry", code, shape.entries_timed, unit, description
                    )
        elif isinstance(ann, type) and issubclass(ann, BaseModel):
            yield from _walk(ann, path)
        else:
            yield KeyInfo(key, path, "setting", description=description)


def key_index(model_cls: type[BaseModel] = Model) -> dict[str, KeyInfo]:
    """Return every valid dotted key of ``model_cls`` and what it points at (cached per class
    and region: the per-HF entries are the region's codes, :func:`~.region.hf_codes`)."""
    return _key_index(model_cls, hf_codes())


@cache
def _key_index(model_cls: type[BaseModel], region: tuple[str, ...]) -> dict[str, KeyInfo]:
    return {info.key: info for info in _walk(model_cls, ())}


def valid_keys(model_cls: type[BaseModel] = Model) -> list[str]:
    """Return the dotted keys that overrides and ``config show --key`` accept, in file order."""
    return list(key_index(model_cls))


@cache
def _file_paths(model_cls: type[BaseModel], region: tuple[str, ...]) -> tuple[str, ...]:
    """Every dotted path that may appear in a model file (for did-you-mean hints)."""
    paths: set[str] = set()
    for info in key_index(model_cls).values():
        for i in range(1, len(info.path) + 1):
            paths.add(".".join(info.path[:i]))
        if info.kind == "leaf":
            paths.update(f"{info.key}.{k}" for k in LEAF_KEYS)
    return tuple(sorted(paths))


def did_you_mean(key: str, candidates: Iterable[str]) -> str:
    """Return ``"; did you mean 'x.y.z'?"`` for the closest candidate, or ``""``.

    Parameters
    ----------
    key : str
        What the user wrote.
    candidates : iterable of str
        Valid keys.
    """
    candidates = list(candidates)
    tails = [c for c in candidates if c.endswith("." + key)]
    if len(tails) == 1:
        return f"; did you mean '{tails[0]}'?"
    close = difflib.get_close_matches(key, candidates, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


@dataclass(frozen=True)
class ErrorInfo:
    """One validation error in the terms of a model file.

    ``path`` is the location in the file (with ``value``/``unit``/``source``), ``key`` the
    dotted parameter key (without them, except for unit/source errors).
    """

    path: tuple[str, ...]
    key: str
    message: str
    expected: str | None = None
    found: str | None = None


def _show(value: Any, limit: int = 80) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _key_of(path: tuple[str, ...], index: dict[str, KeyInfo]) -> str:
    """Drop the ``value`` slot after a leaf: ``a.b.value.HMR`` -> ``a.b.HMR``."""
    out: list[str] = []
    for i, part in enumerate(path):
        prefix = ".".join(path[:i])
        if part == "value" and prefix in index and index[prefix].kind == "leaf":
            continue
        out.append(part)
    return ".".join(out)


def _nearest(key: str, index: dict[str, KeyInfo]) -> KeyInfo | None:
    """The key itself or its nearest parent in the index (``a.b.2020`` -> ``a.b``)."""
    parts = key.split(".")
    for end in range(len(parts), 0, -1):
        info = index.get(".".join(parts[:end]))
        if info is not None:
            return info
    return None


def describe_errors(err: ValidationError, model_cls: type[BaseModel] = Model) -> list[ErrorInfo]:
    """Translate a pydantic error into :class:`ErrorInfo` items with keys, hints and ranges.

    Parameters
    ----------
    err : pydantic.ValidationError
        Raised while validating a model.
    model_cls : type
        The model class that was validated.

    Returns
    -------
    list of ErrorInfo
        One per error, in pydantic's order.
    """
    index = key_index(model_cls)
    infos: list[ErrorInfo] = []
    for e in err.errors(include_url=False):
        path = tuple(str(p) for p in e["loc"] if p not in LOC_TAGS)
        key = _key_of(path, index)
        kind, ctx, found = e["type"], e.get("ctx") or {}, e.get("input")
        info = _nearest(key, index)
        message, expected, shown = e["msg"], None, _show(found)
        if kind == "missing":
            shown = None
            if path and path[-1] == "source":
                message, expected = "parameter has no source", SOURCE_EXPECTED
            elif path and path[-1] == "unit":
                parent = index.get(".".join(path[:-1]))
                message = "parameter has no unit"
                expected = f"'{parent.unit}'" if parent and parent.unit else None
            else:
                message = "required key is missing"
                if info is not None and info.key == key and info.kind == "leaf":
                    expected = (
                        f"{{value: ..., unit: {info.unit}, source: ...}} ({info.description})"
                    )
                elif info is not None and info.key == key:
                    expected = info.description or None
        elif kind == "extra_forbidden":
            message = "unknown key" + did_you_mean(key, _file_paths(model_cls, hf_codes()))
            shown = None
        elif kind == "string_too_short" and path and path[-1] == "source":
            message, expected = "parameter has an empty source", SOURCE_EXPECTED
        elif kind == "value_error" and path and path[-1] == "source":
            message, expected = e["msg"].removeprefix("Value error, "), SOURCE_EXPECTED
        elif (
            kind in ("model_type", "model_attributes_type") and info is not None and info.key == key
        ):
            if info.kind == "leaf":
                message = "a parameter must be written as {value: ..., unit: ..., source: ...}"
                expected = f"{{value: ..., unit: {info.unit}, source: ...}}"
            else:
                message = "expected a mapping of keys"
        elif kind == "unit_mismatch":
            message, expected = "wrong unit", f"'{ctx['expected']}'"
            shown, path, key = str(ctx["found"]), (*path, "unit"), key + ".unit"
        elif kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
            symbol = {"greater_than_equal": ">=", "greater_than": ">"}.get(kind)
            symbol = symbol or {"less_than_equal": "<=", "less_than": "<"}[kind]
            bound = next(iter(ctx.values()))
            bound = int(bound) if isinstance(bound, float) and bound.is_integer() else bound
            message, expected = "value out of range", f"a value {symbol} {bound}"
            if info is not None and info.unit:
                expected += f" [{info.unit}]"
        elif kind == "literal_error":
            message, expected = "not one of the allowed values", ctx.get("expected")
        elif kind == "unknown_hf":
            message, expected = e["msg"], ctx.get("expected")
        elif kind.endswith(("_parsing", "_type")):
            message = "wrong type: " + e["msg"][0].lower() + e["msg"][1:]
        elif kind == "value_error":
            message = e["msg"].removeprefix("Value error, ")
        infos.append(ErrorInfo(path, key, message, expected, shown))
    return infos


def non_finite(data: Any, model_cls: type[BaseModel] = Model) -> list[ErrorInfo]:
    """Find numbers that are not finite (``.nan``, ``.inf``, ``1.0e+400``) in a model's data.

    Pydantic accepts ``nan`` and ``inf`` for a ``float`` (and ``inf`` passes ``ge=0``), so a
    model file could state an infinite budget without complaint. Every parameter and setting
    must be a finite number, and no larger in size than
    :attr:`hmn_bygg.core.limits.Limits.max_abs_number` (``1e300`` MNOK is a typo, not a plan).

    Parameters
    ----------
    data : Any
        Parsed YAML data, or a model's ``model_dump(by_alias=True)``; mappings, lists and
        tuples are searched.
    model_cls : type
        The model class, for the dotted keys.

    Returns
    -------
    list of ErrorInfo
        One per non-finite or too large number, with its location in the file and its dotted
        key.
    """
    index = key_index(model_cls)
    infos: list[ErrorInfo] = []
    stack: list[tuple[tuple[str, ...], Any]] = [((), data)]
    seen: set[int] = set()
    while stack:
        path, node = stack.pop()
        if isinstance(node, Mapping | list | tuple):
            if id(node) in seen:  # shared by YAML aliases: searched once
                continue
            seen.add(id(node))
            items = node.items() if isinstance(node, Mapping) else enumerate(node)
            stack += [((*path, str(k)), v) for k, v in items]
        elif isinstance(node, float) and not math.isfinite(node):
            infos.append(
                ErrorInfo(
                    path,
                    _key_of(path, index),
                    "not a finite number",
                    "a finite number (not .nan, .inf or a number too large for a float)",
                    str(node),
                )
            )
        elif (
            isinstance(node, int | float)
            and not isinstance(node, bool)
            and abs(node) > LIMITS.max_abs_number
        ):
            infos.append(
                ErrorInfo(
                    path,
                    _key_of(path, index),
                    "number too large",
                    f"a number of at most {LIMITS.max_abs_number:.0e} in size",
                    str(node),
                )
            )
    return sorted(infos, key=lambda i: i.path)
