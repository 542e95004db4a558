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

from hmn_bygg.config.param_labels import param_label
from hmn_bygg.config.params import LOC_TAGS, Param, Shape
from hmn_bygg.config.region import hf_codes
from hmn_bygg.config.sections import Model
from hmn_bygg.config.validation_errors import SOURCE_EXPECTED, translate
from hmn_bygg.core.limits import LIMITS
from hmn_bygg.core.messages import Msg, Text

PathLike = str | os.PathLike[str]

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


def closest(key: str, candidates: Iterable[str]) -> str | None:
    """The valid key a user most likely meant by ``key``: the only one ending in ``.key``, else
    the closest spelling (:func:`difflib.get_close_matches`), else ``None``."""
    candidates = list(candidates)
    tails = [c for c in candidates if c.endswith("." + key)]
    if len(tails) == 1:
        return tails[0]
    close = difflib.get_close_matches(key, candidates, n=1, cutoff=0.6)
    return close[0] if close else None


def hint(key: str, candidates: Iterable[str]) -> Msg | str:
    """The hint "; did you mean 'x.y.z'?" as a message (``""`` when :func:`closest` finds
    none), for a message field: ``Msg("config.unknown_key", hint=hint(key, keys))``."""
    close = closest(key, candidates)
    return Msg("config.did_you_mean", key=close) if close is not None else ""


@dataclass(frozen=True)
class ErrorInfo:
    """One validation error in the terms of a model file.

    ``path`` is the location in the file (with ``value``/``unit``/``source``), ``key`` the
    dotted parameter key (without them, except for unit/source errors).
    """

    path: tuple[str, ...]
    key: str
    message: Text
    expected: Text | None = None
    found: str | None = None


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


def _described(info: KeyInfo) -> dict[str, str]:
    """A key's description in both languages: its reader's label in bokmål
    (``config/param_labels.yaml``), the field's own description in English."""
    return {
        "nb": param_label(info.key, "nb"),
        "en": info.description or param_label(info.key, "en"),
    }


def describe_errors(err: ValidationError, model_cls: type[BaseModel] = Model) -> list[ErrorInfo]:
    """Translate a pydantic error into :class:`ErrorInfo` items with keys, hints and ranges.

    The kinds of error pydantic knows are said by
    :func:`hmn_bygg.config.validation_errors.translate`; this adds what a model file knows: the
    dotted key, a did-you-mean hint for an unknown key, the unit of a range, and the shape of
    a parameter that is missing or written wrongly.

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
        kind = e["type"]
        info = _nearest(key, index)
        exact = info if info is not None and info.key == key else None
        message, expected, shown = translate(e, info.unit if info is not None else None)
        last = path[-1] if path else ""
        if kind == "missing" and last == "source":
            message, expected = Msg("config.no_source"), SOURCE_EXPECTED
        elif kind == "missing" and last == "unit":
            parent = index.get(".".join(path[:-1]))
            message = Msg("config.no_unit")
            expected = f"'{parent.unit}'" if parent and parent.unit else None
        elif kind == "missing" and exact is not None and exact.kind == "leaf":
            expected = Msg("config.leaf_form_described", unit=str(exact.unit),
                           description=_described(exact))  # fmt: skip
        elif kind == "missing" and exact is not None:
            expected = Msg("config.described", description=_described(exact))
        elif kind == "extra_forbidden":
            message = Msg("config.unknown_key", hint=hint(key, _file_paths(model_cls, hf_codes())))
        elif kind == "string_too_short" and last == "source":
            message, expected = Msg("config.empty_source"), SOURCE_EXPECTED
        elif kind in ("model_type", "model_attributes_type") and exact is not None:
            if exact.kind == "leaf":
                message = Msg("config.leaf_form")
                expected = f"{{value: ..., unit: {exact.unit}, source: ...}}"
            else:
                message, expected = Msg("config.mapping_expected"), None
        elif kind == "unit_mismatch":
            path, key = (*path, "unit"), key + ".unit"
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
                    Msg("config.not_finite"),
                    Msg("config.not_finite_expected"),
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
                    Msg("config.number_too_large"),
                    Msg("config.number_at_most", limit=f"{LIMITS.max_abs_number:.0e}"),
                    str(node),
                )
            )
    return sorted(infos, key=lambda i: i.path)
