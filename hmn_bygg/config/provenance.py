"""Where a model's values are written: the file and line to blame for a bad value.

A resolved scenario is the base model (``models/hmn.yaml``) with the overrides of a scenario
file applied. A value that later proves wrong (a disposal of a building id the register does
not have, a project year outside the horizon) must be blamed on the file and line where it is
written: the scenario file for a key an override sets, the model file otherwise. The loader
records, on each model, the line map of its model file and, per override key, the file and
the place in it (:func:`record_model`, :func:`record_overrides`); :func:`where` answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from hmn_bygg.config.yaml_files import Lines, display_name, line_of

Model = Any
"""A :class:`hmn_bygg.config.sections.Model` (not imported: sections imports this module)."""

Origin = tuple[str, Lines, tuple[str, ...]]
"""``(file as the user names it, {key path: line} of that file, path of the key in it)``."""

__all__ = ["Origin", "carry", "record_model", "record_overrides", "where"]


def record_model(model: Model, path: Path, lines: Lines) -> None:
    """Remember the model file and its line map on ``model``."""
    model._file = path.resolve()
    model._lines = dict(lines)


def record_overrides(model: Model, origins: Mapping[str, Origin]) -> None:
    """Remember where each override key applied to ``model`` is written."""
    model._origins = {**model._origins, **origins}


def carry(source: Model, target: Model) -> Model:
    """Give ``target`` (a changed copy of ``source``) the provenance of ``source``."""
    target._file = source._file
    target._lines = source._lines
    target._origins = dict(source._origins)
    return target


def _with_value(parts: tuple[str, ...]) -> Iterable[tuple[str, ...]]:
    """Key paths to try in a YAML file: as written, and with a parameter's ``value:`` level."""
    yield parts
    for i in range(len(parts), -1, -1):
        yield (*parts[:i], "value", *parts[i:])


def _line(lines: Lines, prefix: tuple[str, ...], rest: tuple[str, ...]) -> int | None:
    for path in _with_value(rest):
        if (*prefix, *path) in lines:
            return lines[(*prefix, *path)]
    return line_of(lines, (*prefix, *rest))


def where(model: Model, key: str, *sub: Any) -> tuple[str, int | None]:
    """Return the file and line where a model value is written.

    Parameters
    ----------
    model : Model
        A model read by :func:`hmn_bygg.config.load_model` or
        :func:`hmn_bygg.config.load_scenarios` (or derived from one).
    key : str
        Dotted key, e.g. ``portfolio.disposals.by_building``.
    *sub : Any
        Entries below the key, e.g. a building id of ``by_building``.

    Returns
    -------
    (str, int or None)
        The scenario file and the line of the override that sets the key (or an entry of
        it), else the model file and the line of the key there; None when no line is known.
    """
    parts = (*key.split("."), *(str(s) for s in sub))
    for okey, (file, lines, prefix) in model._origins.items():
        kp = tuple(okey.split("."))
        if parts[: len(kp)] == kp:
            return file, _line(lines, prefix, parts[len(kp) :])
        if kp[: len(parts)] == parts:  # the override sets an entry of the key
            return file, line_of(lines, prefix)
    name = display_name(model._file) if model._file is not None else "model"
    row = _line(model._lines, (), parts) if model._lines else None
    return name, row
