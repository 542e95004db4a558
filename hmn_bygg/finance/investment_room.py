"""Investment room: how much more an HF can commit without breaking its credit line.

:func:`capacity` answers for one HF, scenario and start year (``hmn-bygg ltb capacity``);
:func:`investment_room` answers for every HF, scenario and plan year at once and is booked
into the results as ``investment_room``. Both reuse
:func:`hmn_bygg.finance.capacity.carrying_capacity`: the largest extra amount, paid in cash in
the start year, that keeps liquidity at or above ``-credit_limit`` in that year and every later
one. No decision acts before the plan year, so neither answers for a history year.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import numpy as np
import xarray as xr

from hmn_bygg.config import Model
from hmn_bygg.config.plan_year import plan_start_problem
from hmn_bygg.core.errors import InputError
from hmn_bygg.core.messages import Msg
from hmn_bygg.finance.capacity import InvestmentTerms, capacity_arrays, carrying_capacity
from hmn_bygg.finance.price_basis import index_for, parse_basis, reprice

__all__ = ["capacities", "capacity", "investment_room", "terms_of"]


def terms_of(model: Model, loan_share: float = 0.0) -> InvestmentTerms:
    """Return the terms of an extra building investment under the model's state-loan rules.

    Parameters
    ----------
    model : Model
        The scenario: its state-loan terms and the building life apply.
    loan_share : float
        Share financed by a state loan [fraction]; 0 = cash.
    """
    rules = model.finance.state_loan
    return InvestmentTerms(
        loan_share=loan_share,
        loan_rate=float(rules.rate.value),
        loan_term_years=int(rules.term_years.value),
        loan_kind=rules.kind.value,
        grace_years=int(rules.grace_years.value),
        interest_on_drawdown=float(rules.interest_on_drawdown.value),
        life_years=float(model.finance.asset_life_years.value["building"]),
    )


def capacity(
    ds: xr.Dataset,
    model: Model,
    *,
    scenario: str,
    hf: str,
    year: int,
    loan_share: float = 0.0,
) -> float:
    """Return the largest extra investment an HF can start in a year without breaching its
    credit line in any later year of the horizon [MNOK].

    Parameters
    ----------
    ds : xr.Dataset
        A booked result (:func:`book`).
    model : Model
        The scenario's model (its loan terms and building life apply).
    scenario, hf : str
        Which scenario and HF.
    year : int
        Year the extra spending starts (paid in full that year).
    loan_share : float
        Share financed by a state loan on the model's terms [fraction]; 0 = cash.

    Returns
    -------
    float
        :func:`hmn_bygg.finance.capacity.carrying_capacity` of the scenario's liquidity, worked
        out in nominal kroner (the loan terms are nominal) and shown in the price basis of
        ``ds`` (``attrs["prices"]``; fixed prices: the start year's kroner deflated); ``inf``
        when the investment never lowers liquidity within the horizon.

    Raises
    ------
    InputError
        When ``year`` lies before the plan year (``model.plan_start``).
    """
    one = capacities(ds.sel(scenario=[scenario]), model, hf=hf, year=year, loan_share=loan_share)
    return float(one.isel(scenario=0))


def capacities(
    ds: xr.Dataset, model: Model, *, hf: str, year: int, loan_share: float = 0.0
) -> xr.DataArray:
    """Return :func:`capacity` for every scenario of ``ds`` at once (e.g. the draws of an
    ensemble laid out as scenarios, all on the terms of ``model``) [MNOK], dim ``scenario``.

    Raises
    ------
    InputError
        When ``year`` lies before the plan year (``model.plan_start``).
    """
    early = plan_start_problem(model, year, "--year")
    if early is not None:
        raise InputError([early], title=Msg("finance.no_capacity"))
    terms = terms_of(model, loan_share)
    prices = str(ds.attrs.get("prices", "nominal"))
    one = ds[["liquidity", "credit_limit"]].sel(hf=[hf])
    index = index_for(model)
    if prices != "nominal":  # the loan and cash terms are nominal: solve in nominal kroner
        one = reprice(one.assign_attrs(prices=prices), "nominal", index)
    liquidity = one["liquidity"].isel(hf=0)
    credit = one["credit_limit"].isel(hf=0)
    value = carrying_capacity(liquidity, credit, int(year), terms)
    kind, basis = parse_basis(prices)
    if kind == "real":  # nominal kroner of the start year, shown in the results' basis
        assert basis is not None  # parse_basis gives a real basis its year
        d = index.values("deflator", np.array([int(year), int(basis)]))
        value = value * float(d[1] / d[0])
    return value.drop_vars("hf", errors="ignore")


def _cash_terms(terms: InvestmentTerms) -> InvestmentTerms:
    """Return ``terms`` with the loan terms reset when nothing is borrowed (``loan_share`` 0).

    A loan of zero gives zero repayment and interest on any terms, so the liquidity response
    is the same, bit for bit; scenarios that differ only in their loan rate (Monte Carlo draws
    of ``finance.state_loan.rate``) then share one response.
    """
    if terms.loan_share > 0.0:
        return terms
    return replace(
        terms,
        loan_rate=0.0,
        loan_term_years=25,
        loan_kind="serial",
        grace_years=0,
        interest_on_drawdown=0.0,
    )


def investment_room(
    liquidity: np.ndarray,
    credit_limit: np.ndarray,
    years: np.ndarray,
    scenarios: Mapping[str, Model],
) -> np.ndarray:
    """Return each HF's investment room in every plan year of every scenario [MNOK].

    Parameters
    ----------
    liquidity : numpy.ndarray
        Closing liquidity of booked results ``(S, H, Y)`` [MNOK, nominal].
    credit_limit : numpy.ndarray
        The credit lines ``(S, H, Y)`` [MNOK, nominal].
    years : numpy.ndarray
        The years ``(Y,)``.
    scenarios : mapping of str to Model
        The scenarios, in the order of the first axis.

    Returns
    -------
    numpy.ndarray
        ``investment_room`` ``(S, H, Y)`` [MNOK]: the extra amount the HF could pay in cash in
        that year without its liquidity going below ``-credit_limit`` in that or any later
        model year (:func:`~hmn_bygg.finance.capacity.capacity_arrays`); 0 when the plan
        already breaks the line then or later; NaN in history years (before
        ``model.plan_start``) and ``inf`` never (a cash investment always lowers liquidity).
    """
    # scenarios that share the terms and the plan year share one call (a Monte Carlo chunk's
    # draws usually do): capacity_arrays works element by element along its leading dims,
    # so a scenario gives the same bits alone or in a group
    groups: dict[tuple, list[int]] = {}
    for i, model in enumerate(scenarios.values()):
        key = (_cash_terms(terms_of(model)), int(model.model.first_plan_year))
        groups.setdefault(key, []).append(i)
    room = np.full(liquidity.shape, np.nan)
    for (terms, plan), rows in groups.items():
        starts = np.flatnonzero(years >= plan)
        at = np.asarray(rows)
        cap = capacity_arrays(
            liquidity[at] + credit_limit[at], years, [int(y) for y in years[starts]], terms
        )  # (rows, H, T)
        room[np.ix_(at, np.arange(np.shape(room)[1]), starts)] = cap
    room[~np.isfinite(room)] = np.nan
    return room
