"""Carrying capacity: the largest extra investment an HF can start without breaching its line.

An extra investment of 1 MNOK starting in a year, on given terms (spend profile, loan share,
loan terms, running costs), moves liquidity by a unit response (:func:`unit_response`, built
on :func:`hmn_bygg.finance.cash.cash_flow` and :func:`hmn_bygg.finance.loans.loan_flows`); the
capacity is
the largest multiple of it that keeps liquidity above ``-credit_limit`` in every later year
(:func:`carrying_capacity`). All amounts MNOK at the model's price basis.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import xarray as xr

from hmn_bygg.core.variables import annotate
from hmn_bygg.finance.cash import TOLERANCE_MNOK, Amount, cash_flow
from hmn_bygg.finance.depreciation import depreciation
from hmn_bygg.finance.loans import LoanKind, loan_flows

__all__ = ["InvestmentTerms", "capacity_arrays", "carrying_capacity", "unit_response"]


@dataclass(frozen=True)
class InvestmentTerms:
    """How an extra investment is paid, financed and run (per 1 MNOK of cost).

    Attributes
    ----------
    spend_profile : tuple of float
        Share of the cost paid in the start year, the year after, ... [fraction]; sums to 1.
    loan_share : float
        Share of each year's spend drawn as loan [fraction] (state loans: 0.7; 0.9 from 2025).
    loan_rate, loan_term_years, loan_kind, grace_years, interest_on_drawdown
        Loan terms, see :func:`hmn_bygg.finance.loans.loan_flows`.
    life_years : float or None
        Depreciation period [years]; ``None`` = not depreciated. Affects the result only.
    depreciation_lag : int
        Years from spend to first depreciation [years].
    running_cost_rate : float
        Extra running cost (FDV etc.) per MNOK invested per year [MNOK/yr per MNOK], from the
        year after the last spend year.
    """

    spend_profile: tuple[float, ...] = (1.0,)
    loan_share: float = 0.0
    loan_rate: float = 0.0
    loan_term_years: int = 25
    loan_kind: LoanKind = "serial"
    grace_years: int = 0
    interest_on_drawdown: float = 0.0
    life_years: float | None = None
    depreciation_lag: int = 1
    running_cost_rate: float = 0.0

    def __post_init__(self) -> None:
        if abs(sum(self.spend_profile) - 1.0) > 1e-9 or min(self.spend_profile) < 0:
            raise ValueError(f"spend_profile must be >= 0 and sum to 1: {self.spend_profile}")
        if not 0.0 <= self.loan_share <= 1.0:
            raise ValueError(f"loan_share must be in [0, 1], found {self.loan_share}")


def unit_response(
    years: Sequence[int] | np.ndarray,
    start_year: int | Sequence[int],
    terms: InvestmentTerms = InvestmentTerms(),
) -> xr.Dataset:
    """Return the change in result and liquidity caused by 1 MNOK of extra investment.

    Parameters
    ----------
    years : sequence of int
        Consecutive model years.
    start_year : int or sequence of int
        Year the spending starts; a sequence adds a ``start_year`` dim.
    terms : InvestmentTerms
        Spend profile, loan, depreciation and running cost.

    Returns
    -------
    xr.Dataset
        The :func:`cash_flow` Dataset of the extra investment alone (opening liquidity 0),
        per 1 MNOK [MNOK per MNOK]; ``liquidity`` is the unit response :math:`r_t`; dims
        ``([start_year,] year)``; coord ``start_year``.
    """
    years = np.asarray(years)
    starts = np.atleast_1d(np.asarray(start_year))
    profile = np.asarray(terms.spend_profile, dtype=float)
    age = years[None, :] - starts[:, None]
    inside = (age >= 0) & (age < profile.size)
    coords = {"start_year": starts, "year": years}
    spend = xr.DataArray(
        np.where(inside, profile[np.clip(age, 0, profile.size - 1)], 0.0),
        dims=("start_year", "year"),
        coords=coords,
    )
    loans = loan_flows(
        terms.loan_share * spend,
        terms.loan_rate,
        terms.loan_term_years,
        terms.loan_kind,
        terms.grace_years,
        interest_on_drawdown=terms.interest_on_drawdown,
    )
    depr: Amount = 0.0
    if terms.life_years is not None:
        depr = depreciation(spend, terms.life_years, terms.depreciation_lag)
    running = xr.DataArray(terms.running_cost_rate * (age >= profile.size), coords=coords)
    ds = cash_flow(
        xr.zeros_like(spend),
        0.0,
        investment=spend,
        loan_drawdown=loans.loan_drawdown,
        loan_repayment=loans.loan_repayment,
        loan_interest=loans.loan_interest,
        depreciation=depr,
        project_running_cost=running,
    )
    return ds.squeeze("start_year") if np.ndim(start_year) == 0 else ds


def carrying_capacity(
    liquidity: xr.DataArray,
    credit_limit: Amount,
    start_year: int | Sequence[int],
    terms: InvestmentTerms = InvestmentTerms(),
) -> xr.DataArray:
    """Return the largest extra investment an HF can start without breaking its credit line.

    Parameters
    ----------
    liquidity : xr.DataArray
        Closing liquidity of the plan without the extra investment [MNOK], dims
        ``(..., hf, year)``.
    credit_limit : xr.DataArray or float
        Operating credit line [MNOK], positive, dims ``(..., hf)``.
    start_year : int or sequence of int
        Year the extra spending starts; a sequence adds a ``start_year`` dim.
    terms : InvestmentTerms
        How the investment is paid and financed (cash only by default).

    Returns
    -------
    xr.DataArray
        Capacity :math:`X^*` [MNOK], dims of ``liquidity`` without ``year`` (plus
        ``start_year``); 0 when there is no room; ``inf`` when the investment never lowers
        liquidity (fully loan-financed with repayments beyond the horizon).

    Notes
    -----
    Liquidity is linear in the extra amount :math:`X`: :math:`L_t(X) = L_t + X r_t`, with the
    unit response :math:`r_t` from :func:`unit_response`. The condition
    :math:`L_t(X) \\ge -c` for every :math:`t \\ge` ``start_year`` gives

    .. math::

        X^* = \\max\\Bigl(0, \\min_{t \\ge t_0,\\ r_t < 0} \\frac{L_t + c}{-r_t}\\Bigr)

    and :math:`X^* = 0` when the plan already breaks the line in a year :math:`t \\ge t_0`.
    Years before the start year do not bind. Depreciation does not enter: it lowers the result
    and is added back in cash from operations.

    Examples
    --------
    >>> liq = xr.DataArray([50.0, 40.0, 60.0], dims="year", coords={"year": [2025, 2026, 2027]})
    >>> float(carrying_capacity(liq, 20.0, 2026))
    60.0
    """
    years = tuple(int(y) for y in liquidity["year"].values)
    starts = tuple(int(y) for y in np.atleast_1d(start_year))
    # on arrays (it runs on every booked run): room (..., year)
    order = [d for d in liquidity.dims if d != "year"]
    room = (liquidity + credit_limit).transpose(*order, ..., "year")
    values = capacity_arrays(room.to_numpy(), np.array(years), starts, terms)
    lead = room.isel(year=0, drop=True)
    out = xr.DataArray(
        values,
        dims=(*lead.dims, "start_year"),
        coords={
            **lead.coords,
            "start_year": _response(tuple(years), starts, terms)["start_year"].values,
        },
        name="carrying_capacity",
    )
    if np.ndim(start_year) == 0:
        out = out.squeeze("start_year")
    return annotate(out.to_dataset())["carrying_capacity"]


def capacity_arrays(
    room: np.ndarray, years: np.ndarray, starts: Sequence[int], terms: InvestmentTerms
) -> np.ndarray:
    """Return :func:`carrying_capacity` on arrays [MNOK].

    Parameters
    ----------
    room : numpy.ndarray
        Liquidity plus the credit line [MNOK], ``(..., Y)``.
    years : numpy.ndarray
        The years of the last axis ``(Y,)``.
    starts : sequence of int
        The start years ``(T,)``.
    terms : InvestmentTerms
        How the investment is paid and financed.

    Returns
    -------
    numpy.ndarray
        Capacity :math:`X^*` [MNOK] ``(..., T)``.
    """
    binds, divisor, flat = _bounds(
        tuple(int(y) for y in years), tuple(int(y) for y in starts), terms
    )
    # room (..., start_year, year) against the response (start_year, year)
    r = room[..., None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        bound = np.where(binds, r / divisor, np.nan)
    capacity = np.where(np.isnan(bound), np.inf, bound).min(axis=-1)
    blocked = (flat & (r < -TOLERANCE_MNOK)).any(axis=-1)
    return np.clip(np.where(blocked, 0.0, capacity), 0.0, None)


@lru_cache(maxsize=64)
def _bounds(
    years: tuple[int, ...], starts: tuple[int, ...], terms: InvestmentTerms
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where the unit response ``r`` (``(start_year, year)``, :func:`_response`) binds
    (active years where it falls), ``-r`` where it falls (NaN elsewhere), and the active years
    where it does not fall; kept like the response. Read only."""
    resp = _response(years, starts, terms).transpose("start_year", "year").to_numpy()
    active = np.asarray(years)[None, :] >= np.asarray(starts)[:, None]
    falling = resp < -1e-12
    return active & falling, np.where(falling, -resp, np.nan), active & ~falling


@lru_cache(maxsize=64)
def _response(years: tuple[int, ...], starts: tuple[int, ...], terms: InvestmentTerms):
    """The unit response's liquidity ``(start_year, year)`` [MNOK per MNOK]; kept, as the same
    terms and years come back with every run (what-if, Monte Carlo chunks). Read only."""
    return unit_response(np.array(years), list(starts), terms)["liquidity"]
