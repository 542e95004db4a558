"""Drawn models: a scenario with some parameters moved by one Monte Carlo draw each.

:func:`perturb_model` copies the nodes on the way to each changed parameter (no re-validation),
:func:`perturb_models` does it for many draws of the same parameters, looking the way up once.
How the draws are made is in :mod:`hmn_bygg.risk.inputs`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from pydantic import BaseModel

from hmn_bygg.config import Model
from hmn_bygg.finance.rows import shift

__all__ = ["perturb_model", "perturb_models"]


def _shift(value: Any, x: float, effect: str) -> Any:
    """Apply one draw to a leaf value: every number in a scalar, table or year path
    (:func:`hmn_bygg.finance.rows.shift`)."""
    if isinstance(value, Mapping):
        return type(value)((k, _shift(v, x, effect)) for k, v in value.items())  # type: ignore[call-arg]
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    whole = isinstance(value, int)  # the rule of the booking's arrays, on one number
    new = float(shift(value, x, effect == "multiply", whole))
    return round(new) if whole else new


def perturb_model(model: Model, changes: Mapping[str, tuple[float, str]]) -> Model:
    """Return a copy of ``model`` with drawn changes to some parameters (no re-validation).

    Parameters
    ----------
    model : Model
        A validated scenario.
    changes : mapping of str to (float, str)
        Dotted key → ``(draw, effect)``; ``effect`` is ``"multiply"`` or ``"add"``.

    Returns
    -------
    Model
        The changed model (shallow copies of the nodes on the way to each key, so it can run
        per draw; :func:`perturb_models` for many draws of the same keys).
    """
    x = np.array([[float(v) for v, _ in changes.values()]])
    return perturb_models(model, list(changes), [e for _, e in changes.values()], x)[0]


def perturb_models(
    model: Model, keys: Sequence[str], effects: Sequence[str], draws: np.ndarray
) -> list[Model]:
    """Return :func:`perturb_model` of ``model`` for each row of ``draws``.

    Parameters
    ----------
    model : Model
        A validated scenario.
    keys : sequence of str
        Dotted keys of the parameters that change.
    effects : sequence of str
        ``"multiply"`` or ``"add"``, per key.
    draws : numpy.ndarray
        ``(D, K)``: row ``d`` changes key ``k`` by ``draws[d, k]``.

    Returns
    -------
    list of Model
        One model per row. The way to each key is looked up once for all rows; a row then
        only copies the nodes on the way.
    """
    # the keys as a tree, so that every node on the way is copied once per row
    tree: dict[str, Any] = {}
    for k, key in enumerate(keys):
        *heads, leaf = key.split(".")
        branch = tree
        for head in heads:
            branch = branch.setdefault(head, {})
        branch[leaf] = k

    def resolve(node: Any, branch: dict[str, Any]) -> tuple:
        """(node, is a mapping, [(head, child, column or sub-plan)]) of the unchanged model."""
        steps = []
        for head, sub in branch.items():
            child = _child(node, head)
            steps.append((head, child, sub if isinstance(sub, int) else resolve(child, sub)))
        return node, isinstance(node, Mapping), steps

    def rebuild(plan: tuple, row: np.ndarray) -> Any:
        node, mapping, steps = plan
        new = {}
        for head, child, sub in steps:
            if isinstance(sub, int):  # a leaf: its value moves by the draw
                value = _shift(child.value, float(row[sub]), effects[sub])
                new[head] = _copy(child, {"value": value})
            else:
                new[head] = rebuild(sub, row)
        if mapping:
            return type(node)({**node, **new})
        return _copy(node, new)

    if not tree:
        return [model for _ in range(len(draws))]
    plan = resolve(model, tree)
    out = []
    for row in draws:
        one = rebuild(plan, row)
        one._file = model.file
        out.append(one)
    return out


def _copy(node: BaseModel, update: dict[str, Any]) -> Any:
    """``node.model_copy(update=update)`` for fields, without its generic overhead (a third
    of the time: the Monte Carlo rows copy a few dozen nodes each); the same attributes as
    pydantic's own shallow copy (``__dict__``, ``__pydantic_extra__``,
    ``__pydantic_fields_set__``, ``__pydantic_private__``)."""
    cls = type(node)
    new = cls.__new__(cls)
    state = node.__dict__.copy()
    state.update(update)
    extra, private = node.__pydantic_extra__, node.__pydantic_private__
    object.__setattr__(new, "__dict__", state)
    object.__setattr__(new, "__pydantic_extra__", None if extra is None else dict(extra))
    object.__setattr__(new, "__pydantic_fields_set__", node.__pydantic_fields_set__ | update.keys())
    object.__setattr__(new, "__pydantic_private__", None if private is None else dict(private))
    return new


def _child(node: Any, head: str) -> Any:
    """The child ``head`` of a config node (a mapping's entry or a model's field)."""
    return node[head] if isinstance(node, Mapping) else getattr(node, head)
