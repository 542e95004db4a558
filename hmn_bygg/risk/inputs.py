"""Uncertain inputs → draws: declarations, the copula, reproducible random streams.

Uncertain inputs are declared next to the parameter they vary (``uncertainty:`` on a leaf, see
:data:`hmn_bygg.config.params.Uncertainty`); :func:`hmn_bygg.risk.ensemble.run_ensemble` runs them.

Draws
-----
Every uncertain input ``k`` gets a standard normal ``Z_k`` per draw. Inputs of one ``group``
share a common factor ``F_g`` (a one-factor Gaussian copula):
``Z_k = √c · F_g + √(1 − c) · E_k`` with ``c = 2 sin(π ρ / 6)``, so that the *rank* (Spearman)
correlation of any two inputs of the group is the declared ``ρ`` whatever their marginals.
``U_k = Φ(Z_k)`` then goes through the inverse distribution function of the declaration:

============  ===============================================  ==================
dist          draw ``X``                                       effect (default)
============  ===============================================  ==================
lognormal     ``median · exp(sigma · Z)``                      multiply
normal        ``mean + sd · Z`` (mean 0 for add, 1 for mult.)  add
triangular    inverse CDF on ``[low, high]``, peak ``mode``     multiply
uniform       ``low + U (high − low)``                         multiply
delay_years   ``k`` years with ``P(k) = p[k]``                 add (whole years)
============  ===============================================  ==================

``multiply`` gives ``value · X``, ``add`` gives ``value + X`` (in the parameter's unit); values
that must not be negative (costs, budgets, lives, the wear factor) are clipped at zero. A draw
of zero spread is exactly the neutral element (``1`` or ``0``), so the ensemble then equals the
deterministic run bit for bit.

Reproducibility: the normals of input (or group) ``name`` for draws ``[1024 b, 1024 (b + 1))``
come from ``default_rng(SeedSequence(seed, spawn_key=(crc32(name), b)))``. A draw's numbers
therefore depend only on the seed, the input's name and the draw's index: not on the chunking,
the scheduler, the other inputs or the scenario (all scenarios share the draws: common random
numbers, so scenario differences are not blurred by sampling noise).
"""

from __future__ import annotations

import contextlib
import zlib
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import TypeAdapter
from scipy.special import ndtr

from hmn_bygg.config import Model
from hmn_bygg.config.params import (
    DelayYears,
    Lognormal,
    Normal,
    Param,
    Triangular,
    Uncertainty,
    Uniform,
)
from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.messages import Msg
from hmn_bygg.risk.perturb import perturb_model as perturb_model  # re-exported
from hmn_bygg.risk.perturb import perturb_models as perturb_models  # re-exported

Spec = Lognormal | Normal | Triangular | Uniform | DelayYears
BLOCK = 1024
"""Draws per random block; fixed so that results do not depend on the chunking."""
KEPT_BLOCKS = 256
"""Random blocks a run keeps for its next chunks (:func:`standard_normals`; 2 MB)."""


@dataclass(frozen=True)
class UncertainInput:
    """One uncertain parameter across the scenarios of a run.

    Parameters
    ----------
    key : str
        Dotted key, e.g. ``condition.wear_rate_factor``.
    specs : tuple
        The declaration in each scenario (``None``: fixed in that scenario).
    """

    key: str
    specs: tuple[Spec | None, ...]


def _leaves(node: Any, prefix: str) -> Iterator[tuple[str, Param]]:
    if isinstance(node, Param):
        yield prefix, node
    elif isinstance(node, Mapping):
        for k, v in node.items():
            yield from _leaves(v, f"{prefix}.{k}")
    elif hasattr(type(node), "model_fields"):
        for name in type(node).model_fields:
            yield from _leaves(getattr(node, name), f"{prefix}.{name}" if prefix else name)


def uncertain_inputs(scenarios: Mapping[str, Model]) -> list[UncertainInput]:
    """Return every parameter that carries ``uncertainty:`` in some scenario, by key.

    Parameters
    ----------
    scenarios : mapping of str to Model
        Validated scenarios.

    Returns
    -------
    list of UncertainInput
        Sorted by key; the same key in every scenario shares its draws.

    Raises
    ------
    InputError
        When a correlation group has no ``rho`` or two different ones.
    """
    found: dict[str, list[Spec | None]] = {}
    for s, model in enumerate(scenarios.values()):
        for key, param in _leaves(model, ""):
            if param.uncertainty is not None:
                found.setdefault(key, [None] * len(scenarios))[s] = param.uncertainty
    inputs = [UncertainInput(k, tuple(v)) for k, v in sorted(found.items())]
    group_rho(inputs)
    return inputs


def group_rho(inputs: Sequence[UncertainInput]) -> dict[str, float]:
    """Return the declared rank correlation ``ρ`` of each correlation group.

    Raises
    ------
    InputError
        When a group states no ``rho`` or two different ones.
    """
    rhos: dict[str, set[float]] = {}
    for item in inputs:
        for spec in item.specs:
            if spec is not None and spec.group is not None:
                rhos.setdefault(spec.group, set())
                if spec.rho is not None:
                    rhos[spec.group].add(float(spec.rho))
    problems = [
        Problem(
            "model",
            Msg("risk.one_rho", group=g),
            column="uncertainty.rho",
            expected=Msg("risk.rho_once"),
            found=", ".join(map(str, sorted(r))) or "–",
        )
        for g, r in rhos.items()
        if len(r) != 1
    ]
    if problems:
        raise InputError(problems, title=Msg("risk.uncertainty_problems"))
    return {g: next(iter(r)) for g, r in rhos.items()}


def standard_normals(
    seed: int, name: str, start: int, stop: int, memo: dict[tuple, Any] | None = None
) -> np.ndarray:
    """Return the standard normals of stream ``name`` for draws ``start .. stop - 1``.

    Parameters
    ----------
    seed : int
        Seed of the run.
    name : str
        Stream name (an input key, or ``group:<name>`` for a common factor).
    start, stop : int
        Draw indices.
    memo : dict, optional
        Keeps the last :data:`KEPT_BLOCKS` random blocks made (:data:`BLOCK` normals each)
        for the next calls (the chunks of a run share blocks); the same numbers either way.

    Returns
    -------
    numpy.ndarray
        Shape ``(stop - start,)``; the same numbers for a draw whatever ``start`` and ``stop``.
    """
    tag = zlib.crc32(name.encode("utf-8"))
    kept: OrderedDict[tuple, np.ndarray] = (
        OrderedDict() if memo is None else memo.setdefault(("normals",), OrderedDict())
    )
    out = []
    for b in range(start // BLOCK, (stop - 1) // BLOCK + 1 if stop > start else start // BLOCK):
        z = kept.get((seed, tag, b))
        if z is None:
            rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(tag, b)))
            z = rng.standard_normal(BLOCK)
            kept[(seed, tag, b)] = z
            while len(kept) > KEPT_BLOCKS:  # the oldest first (one C call: thread-safe)
                with contextlib.suppress(KeyError):  # another thread emptied it meanwhile
                    kept.popitem(last=False)
        out.append(z[max(start - b * BLOCK, 0) : min(stop - b * BLOCK, BLOCK)])
    return np.concatenate(out) if out else np.zeros(0)


def quantile_draw(spec: Spec, z: np.ndarray) -> np.ndarray:
    """Map standard normals ``z`` to draws of a declaration (multiplier, shift or years).

    Parameters
    ----------
    spec : Spec
        An uncertainty declaration.
    z : numpy.ndarray
        Standard normals (already correlated).

    Returns
    -------
    numpy.ndarray
        Draws ``X`` (see the module docstring), same shape as ``z``.

    Examples
    --------
    >>> from hmn_bygg.config.params import Uniform
    >>> u = Uniform(dist="uniform", low=1.0, high=1.0, source="assumption: none")
    >>> quantile_draw(u, np.array([-1.0, 2.0])).tolist()
    [1.0, 1.0]
    """
    if isinstance(spec, Lognormal):
        return spec.median * np.exp(spec.sigma * z)
    if isinstance(spec, Normal):
        mean = spec.mean if spec.mean is not None else (0.0 if spec.effect == "add" else 1.0)
        return mean + spec.sd * z
    u = ndtr(z)
    if isinstance(spec, Uniform):
        return spec.low + u * (spec.high - spec.low)
    if isinstance(spec, Triangular):
        lo, mode, hi = spec.low, spec.mode, spec.high
        if hi == lo:
            return np.full_like(u, lo)
        cut = (mode - lo) / (hi - lo)
        left = lo + np.sqrt(u * (hi - lo) * (mode - lo))
        right = hi - np.sqrt((1.0 - u) * (hi - lo) * (hi - mode))
        return np.where(u < cut, left, right)
    cdf = np.cumsum(spec.p)
    return np.minimum(np.searchsorted(cdf, u, side="right"), len(spec.p) - 1).astype(float)


def draw_inputs(
    inputs: Sequence[UncertainInput],
    n_scenarios: int,
    seed: int,
    start: int,
    stop: int,
    memo: dict[tuple, Any] | None = None,
) -> np.ndarray:
    """Return the draws of every uncertain input for draws ``start .. stop - 1``.

    Parameters
    ----------
    inputs : sequence of UncertainInput
        From :func:`uncertain_inputs`.
    n_scenarios : int
        Number of scenarios ``S``.
    seed : int
        Seed of the run.
    start, stop : int
        Draw indices.
    memo : dict, optional
        Random blocks already made (:func:`standard_normals`).

    Returns
    -------
    numpy.ndarray
        ``X`` of shape ``(S, D, K)``; NaN where an input is fixed in a scenario.
    """
    rho = group_rho(inputs)
    factors = {g: standard_normals(seed, f"group:{g}", start, stop, memo) for g in rho}
    out = np.full((n_scenarios, stop - start, len(inputs)), np.nan)
    for k, item in enumerate(inputs):
        own = standard_normals(seed, item.key, start, stop, memo)
        for s, spec in enumerate(item.specs):
            if spec is None:
                continue
            z = own
            if spec.group is not None:
                c = 2.0 * np.sin(np.pi * rho[spec.group] / 6.0)  # Gaussian ρ for rank ρ
                z = np.sqrt(c) * factors[spec.group] + np.sqrt(1.0 - c) * own
            out[s, :, k] = quantile_draw(spec, z)
    return out


def declare(model: Model, declarations: Mapping[str, Mapping[str, Any] | None]) -> Model:
    """Return a copy of ``model`` with ``uncertainty:`` set on some parameters.

    Parameters
    ----------
    model : Model
        A validated scenario.
    declarations : mapping of str to mapping
        Dotted key → declaration as in a model file (``{dist: lognormal, sigma: 0.2,
        source: ...}``), or ``None`` to make the parameter fixed.

    Returns
    -------
    Model
        The new model (declarations validated; values unchanged).

    Examples
    --------
    >>> from hmn_bygg.config import load_model
    >>> m = declare(load_model(), {"condition.wear_rate_factor":
    ...     {"dist": "uniform", "low": 0.8, "high": 1.2, "source": "assumption: ±20 %"}})
    >>> m.condition.wear_rate_factor.uncertainty.high
    1.2
    """
    adapter = TypeAdapter(Uncertainty)

    def rebuild(node: Any, path: list[str], spec: Any) -> Any:
        if not path:
            return node.model_copy(update={"uncertainty": spec})
        head, rest = path[0], path[1:]
        if isinstance(node, Mapping):
            return type(node)({**node, head: rebuild(node[head], rest, spec)})  # type: ignore[call-arg]
        return node.model_copy(update={head: rebuild(getattr(node, head), rest, spec)})

    out = model
    for key, spec in declarations.items():
        value = None if spec is None else adapter.validate_python(dict(spec))
        out = rebuild(out, key.split("."), value)
    out._file = model.file
    return out
