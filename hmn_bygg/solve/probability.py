"""Inverse questions with a probability: the budget and the investment room over Monte Carlo draws.

- :func:`solve_budget_probability` (``hmn-bygg solve budget --probability P``): the smallest
  constant annual maintenance budget that meets the grade goal in at least a share ``P`` of the
  draws. Every candidate budget runs the same draws (the same seed: common random numbers, see
  :mod:`hmn_bygg.risk.inputs`), and in each draw more money never gives a worse grade (the
  maintenance policies are monotone in money), so the share of draws that meet the goal never
  falls as the budget rises and bisection on the budget finds the smallest one.
- :func:`hmn_bygg.solve.probable_capacity.capacity_probability` (``hmn-bygg solve capacity
  --probability P``): the same for the investment room (its own module).

Every answer states the share of draws reached and its binomial Monte Carlo standard error
(:func:`hmn_bygg.core.sampling.standard_error`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np
import xarray as xr

from hmn_bygg.config import Model, apply_overrides, hf_codes
from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.messages import Msg
from hmn_bygg.core.sampling import standard_error
from hmn_bygg.engine.run import model_years, register_for
from hmn_bygg.solve.budget import (
    Goal,
    area_shares,
    budget_overrides,
    check_question,
    today_budget,
)

Ensemble = Callable[..., xr.Dataset]
"""The Monte Carlo engine the solvers call: :func:`hmn_bygg.risk.ensemble.run_ensemble`, with
the signature ``(scenarios, register, draws, seed, *, book, quiet) -> Dataset``. ``risk`` and
``solve`` are sibling stages (``tests/test_architecture.py``: neither imports the other), so the
caller (the CLI, a test) hands it in."""

__all__ = ["Ensemble", "ProbableBudget", "check_probability", "solve_budget_probability"]


@dataclass(frozen=True)
class ProbableBudget:
    """The smallest budget that meets a grade goal with at least a given probability.

    Attributes
    ----------
    entity, goal, target, by, from_year, cap_mnok, today_mnok
        As in :class:`hmn_bygg.solve.budget.BudgetSolution`.
    probability : float
        The share of draws asked for [fraction].
    draws, seed : int
        The Monte Carlo draws every candidate ran.
    budget_mnok : float or None
        Smallest multiple of the tolerance [MNOK/yr] (or ``cap_mnok``) that, as a constant
        annual budget, meets the goal in at least ``probability`` of the draws; ``None`` when
        ``cap_mnok`` does not.
    achieved : float
        Share of draws meeting the goal with ``budget_mnok`` (with ``cap_mnok`` when none).
    achieved_se : float
        Its binomial Monte Carlo standard error ``√(p (1 − p) / draws)`` [fraction].
    candidates : list of [float, float]
        Every budget tried [MNOK/yr] and its share of draws, in the order tried.
    overrides : dict
        The overrides that set the budget (empty when none).
    """

    entity: str
    goal: str
    target: float
    by: int
    from_year: int
    probability: float
    draws: int
    seed: int
    budget_mnok: float | None
    achieved: float
    achieved_se: float
    cap_mnok: float
    today_mnok: float
    candidates: list = field(default_factory=list)
    overrides: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        """Return the answer as plain data (for JSON)."""
        return asdict(self)


def check_probability(probability: float, option: str = "--probability") -> Problem | None:
    """Return a Problem when a probability is not strictly between 0 and 1 (else None)."""
    p = float(probability)
    if math.isfinite(p) and 0.0 < p < 1.0:
        return None
    return Problem(
        option, Msg("solve.out_of_range"), expected=Msg("solve.a_probability"),
        found=f"{probability:g}",
    )  # fmt: skip


def solve_budget_probability(
    model: Model,
    *,
    probability: float,
    target: float | None = None,
    by: int = 2035,
    entity: str = "region",
    goal: Goal = "target",
    from_year: int | None = None,
    cap_mnok: float = 3000.0,
    tolerance_mnok: float = 0.5,
    draws: int = 1000,
    seed: int = 2018,
    register: xr.Dataset | None = None,
    ensemble: Ensemble,
) -> ProbableBudget:
    """Find the smallest constant annual budget that meets a grade goal with probability ``P``.

    Parameters
    ----------
    model : Model
        The scenario; its ``uncertainty:`` declarations give the draws.
    probability : float
        Share of draws that must meet the goal [fraction], strictly between 0 and 1.
    target, by, entity, goal, from_year, cap_mnok, tolerance_mnok, register
        As in :func:`hmn_bygg.solve.budget.solve_budget`.
    draws : int
        Monte Carlo draws per candidate budget.
    seed : int
        Seed of the draws; the same for every candidate (common random numbers).
    ensemble : callable
        The Monte Carlo engine, :func:`hmn_bygg.risk.ensemble.run_ensemble` (or a partial of
        it with a ``scheduler``); see :data:`Ensemble`.

    Returns
    -------
    ProbableBudget

    Raises
    ------
    InputError
        For a bad question (as :func:`~hmn_bygg.solve.budget.solve_budget`) or a probability
        outside (0, 1).

    Notes
    -----
    Goal ``target``: VTTG in ``by`` at or below the target in a draw. Goal ``hold``: in a draw,
    VTTG never above that draw's grade in the first year, up to ``by``. The share ``P(b)`` of
    draws meeting the goal never falls as ``b`` rises (same draws, monotone policy), so
    bisection over the multiples of ``tolerance_mnok`` up to ``cap_mnok`` gives exactly the
    smallest of them with ``P(b) ≥ probability`` (``2 + ⌈log2(cap / tolerance)⌉`` ensembles,
    15 for the defaults); ``tests/test_solve_probability.py`` checks it against a brute-force
    search over every budget of the grid.
    """
    problem = check_probability(probability)
    if problem is not None:
        raise InputError([problem], title=Msg("solve.budget_question_invalid"))
    years = model_years(model)
    start = int(years[0])
    from_year = check_question(model, target=target, by=by, entity=entity, from_year=from_year)
    target = float(model.model.targets.vttg_target.value) if target is None else float(target)
    reg = register if register is not None else register_for({"m": model})
    share = area_shares(reg)
    n_hf = len(hf_codes())
    tried: dict[float, float] = {}

    def met_share(budget: float) -> float:
        if budget in tried:
            return tried[budget]
        over = budget_overrides(model, np.full(n_hf, budget), from_year, entity, share)
        one = {"b": apply_overrides(model, over, file="solve")}
        ens = ensemble(one, reg, draws, seed, book=False, quiet=True)
        v = ens["vttg_region"] if entity == "region" else ens["vttg"].sel(hf=entity)
        v = v.isel(scenario=0)
        if goal == "hold":
            window = v.sel(year=years[(years > start) & (years <= by)])
            ok = (window <= v.isel(year=0) + 1e-12).all("year")
        else:
            ok = v.sel(year=by) <= target + 1e-12
        tried[budget] = float(ok.astype(float).mean("draw"))
        return tried[budget]

    today = today_budget(model, reg, from_year, entity, share)
    stated = target

    def answer(budget: float | None, achieved: float) -> ProbableBudget:
        chosen = (
            {}
            if budget is None
            else budget_overrides(model, np.full(n_hf, budget), from_year, entity, share)
        )
        se = float(standard_error(achieved, draws))
        return ProbableBudget(entity, goal, stated, by, from_year, float(probability), int(draws),
                              int(seed), budget, achieved, se, float(cap_mnok), today,
                              [[b, p] for b, p in tried.items()], chosen)  # fmt: skip

    def grid(k: int) -> float:  # the budgets tried: multiples of the tolerance, and the cap
        return min(round(k * tolerance_mnok, 9), float(cap_mnok))

    lo, hi = 0, math.ceil(cap_mnok / tolerance_mnok - 1e-9)
    if met_share(grid(hi)) < probability:
        return answer(None, tried[grid(hi)])
    if met_share(grid(lo)) >= probability:
        return answer(0.0, tried[grid(lo)])
    while hi - lo > 1:  # P(grid(lo)) < probability <= P(grid(hi))
        mid = (lo + hi) // 2
        if met_share(grid(mid)) >= probability:
            hi = mid
        else:
            lo = mid
    return answer(grid(hi), tried[grid(hi)])
