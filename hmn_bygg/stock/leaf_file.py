"""Small option files whose every key is a leaf ``{value, unit, source}``, read and checked.

``models/disposal_score.yaml`` (:mod:`hmn_bygg.stock.disposal_score`) and
``models/solve_plan.yaml`` (:mod:`hmn_bygg.solve.plan_options`) hold a flat mapping of option
names to leaves like the model file's. :func:`read_leaf_values` reads such a file and checks
every key in one pass: unknown and missing keys, a leaf without ``value`` or ``source``, a
number out of its range, a value not among its choices, a list of uses that is no list; each
problem names the file, the key and the line of the bad value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hmn_bygg.config.yaml_files import display_name, read_yaml
from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.messages import Msg

__all__ = ["LeafKeys", "read_leaf_values"]


@dataclass(frozen=True)
class LeafKeys:
    """The keys a leaf file must set, and what each ``value`` may be.

    Attributes
    ----------
    numbers : mapping of str to (float, float)
        Keys whose value is a number, with its smallest and largest allowed value.
    integers : frozenset of str
        Those of ``numbers`` that are read as ``int``.
    choices : mapping of str to tuple of str
        Keys whose value is one of a few words.
    use_lists : frozenset of str
        Keys whose value is a list of uses (texts).
    """

    numbers: Mapping[str, tuple[float, float]]
    integers: frozenset[str] = frozenset()
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    use_lists: frozenset[str] = frozenset()

    def names(self) -> list[str]:
        """Every key, in the order given."""
        return [*self.numbers, *self.choices, *self.use_lists]


def read_leaf_values(
    path: Path, keys: LeafKeys, *, unreadable: Msg, invalid: Msg
) -> dict[str, object]:
    """Read a leaf file and return ``{key: value}`` for every key of ``keys``.

    Parameters
    ----------
    path : Path
        The file.
    keys : LeafKeys
        The keys it must set and their allowed values.
    unreadable : Msg
        Title of the error when the file cannot be read (missing, not YAML).
    invalid : Msg
        Title of the error when keys or values are wrong.

    Returns
    -------
    dict of str to object
        Numbers as ``float`` (``int`` for :attr:`LeafKeys.integers`), choices as ``str``, use
        lists as ``tuple`` of ``str``.

    Raises
    ------
    InputError
        Listing every problem, each naming the file, the key and its line.
    """
    data, lines, problems = read_yaml(path)
    if problems:
        raise InputError(problems, title=unreadable)
    name = display_name(path)
    if not isinstance(data, dict):
        found = type(data).__name__
        raise InputError([Problem(name, Msg("stock.leaf_file_not_a_mapping"), found=found)],
                         title=invalid)  # fmt: skip
    values: dict[str, object] = {}
    known = keys.names()
    for key, leaf in data.items():
        row = lines.get((str(key),))
        if key not in known:
            problems.append(Problem(name, Msg("stock.unknown_key"), row, str(key),
                                    Msg("stock.one_of", choices=known), str(key)))  # fmt: skip
        elif not isinstance(leaf, dict) or "value" not in leaf or not leaf.get("source"):
            problems.append(Problem(name, Msg("stock.leaf_needs_value_and_source"), row, key,
                                    None, str(leaf)))  # fmt: skip
        else:
            row = lines.get((key, "value"), row)
            problem = _value_problem(keys, key, leaf["value"])
            if problem is None:
                values[key] = _value(keys, key, leaf["value"])
            else:
                message, expected = problem
                problems.append(Problem(name, message, row, key, expected, str(leaf["value"])))
    for key in (k for k in known if k not in data):
        problems.append(Problem(name, Msg("stock.missing_key"), None, key, Msg("stock.a_leaf")))
    if problems:
        raise InputError(problems, title=invalid)
    return values


def _value_problem(keys: LeafKeys, key: str, value: object) -> tuple[Msg, Msg | None] | None:
    """Return (message, expected) when ``value`` is not allowed for ``key``, else None."""
    if key in keys.choices:
        if value not in keys.choices[key]:
            choices = Msg("stock.one_of", choices=list(keys.choices[key]))
            return Msg("stock.unknown_choice", key=key), choices
        return None
    if key in keys.use_lists:
        if not isinstance(value, list) or not all(isinstance(u, str) for u in value):
            return Msg("stock.expected_list_of_uses"), None
        return None
    lo, hi = keys.numbers[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or not lo <= value <= hi:
        return Msg("stock.value_out_of_range"), Msg("stock.a_number_from_to", lo=lo, hi=hi)
    return None


def _value(keys: LeafKeys, key: str, value: Any) -> object:
    """The checked value as the reader returns it."""
    if key in keys.use_lists:
        return tuple(value)
    if key in keys.numbers:
        return int(value) if key in keys.integers else float(value)
    return value
