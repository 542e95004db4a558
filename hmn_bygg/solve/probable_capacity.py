"""The investment room with a probability: ``hmn-bygg solve capacity --probability P``.

The largest extra investment an HF can pay in a year such that its liquidity stays at or above
minus its credit line in that and every later year in at least a share ``P`` of the Monte Carlo
draws. Liquidity is linear in the amount, so each draw has its own capacity
(:func:`hmn_bygg.finance.investment_room.capacities`, all draws in one call) and the answer is
an order statistic of them (:func:`largest_amount`): no search. The answer states the share of
draws reached and its binomial Monte Carlo standard error.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import xarray as xr

from hmn_bygg.config import Model
from hmn_bygg.core.errors import InputError
from hmn_bygg.core.messages import Msg
from hmn_bygg.core.sampling import standard_error
from hmn_bygg.engine.run import register_for
from hmn_bygg.solve.probability import Ensemble, check_probability

__all__ = ["ProbableCapacity", "capacity_probability", "largest_amount"]


@dataclass(frozen=True)
class ProbableCapacity:
    """The largest extra investment an HF can pay in a year without breaching its credit line
    in at least a given share of the draws.

    Attributes
    ----------
    scenario, hf : str
        Which scenario and HF.
    year : int
        Year the extra amount is paid.
    loan_share : float
        Share financed by a state loan [fraction].
    probability : float
        Share of draws asked for [fraction].
    draws, seed : int
        The Monte Carlo draws.
    capacity_mnok : float or None
        The amount [MNOK in all, at the results' price basis]; ``inf`` when unbounded within
        the horizon; ``None`` when even no extra investment keeps the line in that share of the
        draws.
    achieved : float
        Share of draws that keep the line with that amount (with none, when ``None``).
    achieved_se : float
        Its binomial Monte Carlo standard error [fraction].
    already_breached : float
        Share of draws that breach the line from ``year`` on without any extra investment.
    prices : str
        The price basis of the amount.
    """

    scenario: str
    hf: str
    year: int
    loan_share: float
    probability: float
    draws: int
    seed: int
    capacity_mnok: float | None
    achieved: float
    achieved_se: float
    already_breached: float
    prices: str

    def as_dict(self) -> dict:
        """Return the answer as plain data (for JSON; ``inf`` as None with ``unbounded``)."""
        out = asdict(self)
        unbounded = self.capacity_mnok is not None and math.isinf(self.capacity_mnok)
        out["unbounded"] = unbounded
        if unbounded:
            out["capacity_mnok"] = None
        return out


def largest_amount(capacities: np.ndarray, probability: float) -> tuple[float | None, float]:
    """Return the largest amount that at least a share ``probability`` of the draws can carry.

    Parameters
    ----------
    capacities : numpy.ndarray
        Per draw, the largest amount that keeps the line [MNOK]; ``-inf`` for a draw that
        breaches it even without any amount; ``inf`` for an unbounded one.
    probability : float
        Share of draws [fraction], in (0, 1).

    Returns
    -------
    tuple of (float or None, float)
        The amount ``X*`` (None when even 0 is carried by fewer than that share) and the share
        of draws with capacity ``≥ X*`` (with ``X* = 0`` when None).

    Examples
    --------
    >>> largest_amount(np.array([5.0, 1.0, 3.0, -np.inf]), 0.5)
    (3.0, 0.5)
    """
    c = np.sort(np.asarray(capacities, dtype=float))[::-1]
    k = math.ceil(probability * c.size - 1e-9)
    amount = float(c[max(k, 1) - 1])
    if amount < 0.0:
        return None, float(np.mean(c >= 0.0))
    return amount, float(np.mean(c >= amount))


def capacity_probability(
    model: Model,
    *,
    scenario: str,
    hf: str,
    year: int,
    probability: float,
    loan_share: float = 0.0,
    draws: int = 1000,
    seed: int = 2018,
    register: xr.Dataset | None = None,
    ensemble: Ensemble,
) -> ProbableCapacity:
    """Return the largest extra investment an HF can pay in ``year`` while keeping its credit
    line in every later year in at least a share ``probability`` of the Monte Carlo draws.

    Parameters
    ----------
    model : Model
        The scenario; its ``uncertainty:`` declarations give the draws.
    scenario, hf : str
        The scenario's name and the HF.
    year : int
        Year the extra amount is paid (the plan year or later).
    probability : float
        Share of draws [fraction], strictly between 0 and 1.
    loan_share : float
        Share financed by a state loan on the model's terms [fraction].
    draws, seed : int
        Monte Carlo draws and their seed.
    register : xr.Dataset, optional
        A register already loaded.
    ensemble : callable
        The Monte Carlo engine, as for :func:`solve_budget_probability`.

    Returns
    -------
    ProbableCapacity

    Notes
    -----
    Per draw, :func:`hmn_bygg.finance.investment_room.capacities` gives the draw's capacity
    ``c_d`` (liquidity is linear in the amount); a draw whose liquidity is already below the
    line in ``year`` or later without any extra amount keeps the line for no amount
    (``c_d = −∞``). An amount ``X`` is carried in a share ``#{d: c_d ≥ X} / n`` of the draws,
    so the largest ``X`` carried by at least ``probability`` of them is the
    ``⌈probability · n⌉``-th largest ``c_d`` (:func:`largest_amount`).
    """
    from hmn_bygg.config.plan_year import plan_start_problem
    from hmn_bygg.core.variables import annotate
    from hmn_bygg.finance.investment_room import capacities

    problems = [check_probability(probability), plan_start_problem(model, year, "--year")]
    if any(problems):
        raise InputError([p for p in problems if p], title=Msg("solve.capacity_invalid"))
    reg = register if register is not None else register_for({scenario: model})
    ens = ensemble({scenario: model}, reg, draws, seed, book=True, quiet=True)
    one = ens[["liquidity", "liquidity_headroom", "credit_breach"]].sel(scenario=scenario, hf=hf)
    one = one.compute()
    later = one["credit_breach"].sel(year=one["year"] >= year).any("year").to_numpy()
    liquidity = one["liquidity"].drop_vars(["scenario", "hf"], errors="ignore")
    line = one["liquidity_headroom"].drop_vars(["scenario", "hf"], errors="ignore") - liquidity
    per_draw = annotate(
        xr.Dataset({"liquidity": liquidity, "credit_limit": line})
        .rename(draw="scenario")
        .expand_dims(hf=[hf])
        .transpose("scenario", "year", "hf")
    )
    per_draw.attrs["prices"] = str(model.model.price_basis)
    caps = capacities(per_draw, model, hf=hf, year=year, loan_share=loan_share).to_numpy()
    caps = np.where(later, -np.inf, caps)
    amount, achieved = largest_amount(caps, probability)
    return ProbableCapacity(
        scenario, hf, int(year), float(loan_share), float(probability), int(draws), int(seed),
        amount, achieved, float(standard_error(achieved, draws)), float(np.mean(later)),
        str(model.model.price_basis),
    )  # fmt: skip
