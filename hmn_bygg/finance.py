"""Money: cash flow and liquidity per HF, credit-line breaches, carrying capacity, region.

All amounts are MNOK at the model's price basis; every function broadcasts over any leading
dims (``scenario``, ``hf``, ``draw``, ...) and needs a ``year`` coordinate of consecutive years.
Loans, depreciation and NPV (:mod:`hmn_bygg.loans`) are re-exported here.
The cash-flow bridge follows the money rules of the domain brief: cash from operations is the
operating result plus depreciation; investments are paid from it, from loans and from sale
proceeds; liquidity carries over from year to year; the operating credit (driftskreditt) lets
liquidity fall to ``-credit_limit`` and no further.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import xarray as xr

from hmn_bygg.loans import LoanKind, depreciation, loan_flows, npv_compare, repayment_kernel
from hmn_bygg.variables import annotate

__all__ = [
    "InvestmentTerms",
    "breach_years",
    "carrying_capacity",
    "cash_flow",
    "check_cash_identity",
    "depreciation",
    "loan_flows",
    "npv_compare",
    "region_total",
    "repayment_kernel",
    "unit_response",
]
TOLERANCE_MNOK = 1e-6  # 1 krone
COST_ITEMS = (
    "maintenance_spend",
    "fdv_cost",
    "project_running_cost",
    "depreciation",
    "loan_interest",
    "demolition_cost",
)
CREDIT_ITEMS = ("project_savings", "maintenance_capitalised")
FLOW_ITEMS = ("investment_total", "loan_drawdown", "loan_repayment", "sale_proceeds")
INPUT_ITEMS = ("operating_result_before", *COST_ITEMS, *CREDIT_ITEMS, *FLOW_ITEMS)

Amount = xr.DataArray | float


def _as_array(value: Amount) -> xr.DataArray:
    return value if isinstance(value, xr.DataArray) else xr.DataArray(float(value))


def cash_flow(
    operating_result_before: xr.DataArray,
    opening_liquidity: Amount,
    *,
    maintenance_spend: Amount = 0.0,
    fdv_cost: Amount = 0.0,
    project_running_cost: Amount = 0.0,
    project_savings: Amount = 0.0,
    maintenance_capitalised: Amount = 0.0,
    depreciation: Amount = 0.0,
    loan_interest: Amount = 0.0,
    investment: Amount = 0.0,
    loan_drawdown: Amount = 0.0,
    loan_repayment: Amount = 0.0,
    sale_proceeds: Amount = 0.0,
    demolition_cost: Amount = 0.0,
    credit_limit: Amount | None = None,
) -> xr.Dataset:
    """Return the cash-flow bridge and liquidity per year (per HF, scenario, draw, ...).

    Parameters
    ----------
    operating_result_before : xr.DataArray
        Operating result before the items below [MNOK/yr], dims ``(..., hf, year)``.
    opening_liquidity : xr.DataArray or float
        Liquidity at the start of the first year [MNOK], dims ``(..., hf)``, no ``year``.
    maintenance_spend, fdv_cost, project_running_cost, depreciation, loan_interest,
    demolition_cost : xr.DataArray or float
        Costs [MNOK/yr], entered as positive amounts.
    project_savings : xr.DataArray or float
        Realised benefits of projects [MNOK/yr], positive.
    maintenance_capitalised : xr.DataArray or float
        The part of ``maintenance_spend`` that is capitalised (an upgrade) [MNOK/yr]: added
        back to the result; pass the same amount inside ``investment`` so the cash still
        leaves (and its depreciation in ``depreciation``).
    investment : xr.DataArray or float
        Investment paid [MNOK/yr]; a ``project`` dim is summed to ``investment_total``.
    loan_drawdown, loan_repayment : xr.DataArray or float
        Loan paid out and principal repaid [MNOK/yr] (:func:`hmn_bygg.loans.loan_flows`).
    sale_proceeds : xr.DataArray or float
        Proceeds from sold buildings [MNOK/yr].
    credit_limit : xr.DataArray or float, optional
        Operating credit line [MNOK], a positive amount per HF.

    Returns
    -------
    xr.Dataset
        Every input item (``investment`` as ``investment_total``), broadcast to common dims
        in the order ``(..., hf, year)``,
        plus ``operating_result``, ``cash_from_operations``, ``net_cash_flow`` [MNOK/yr],
        ``liquidity_opening``, ``liquidity`` (closing) [MNOK]; with ``credit_limit`` given, also
        ``credit_limit`` and ``liquidity_headroom`` [MNOK].

    Raises
    ------
    ValueError
        When inputs disagree on a shared coordinate, or the years are not consecutive.

    Notes
    -----
    .. math::

        OR &= OR_{before} - M + MC - FDV - RC + S - D - I - DC \\\\
        CFO &= OR + D \\\\
        NCF &= CFO - INV + LD - LR + SP \\\\
        L_t &= L_{t-1} + \\mathrm{NCF}_t, \\quad L^{open}_t = L_{t-1}, \\quad L_{-1} = L_0 \\\\
        H_t &= L_t + \\mathrm{credit\\_limit}

    Depreciation lowers the result but not the cash; interest lowers both. Missing values are
    not skipped: a NaN input makes the liquidity of that HF NaN from that year on.

    Examples
    --------
    Cash-financed investment of 30 against a result of 10 a year:

    >>> y = {"year": [2025, 2026]}
    >>> ds = cash_flow(xr.DataArray([10.0, 10.0], dims="year", coords=y), 25.0,
    ...                investment=xr.DataArray([30.0, 0.0], dims="year", coords=y))
    >>> ds.liquidity.values.tolist()
    [5.0, 15.0]
    """
    if "year" not in operating_result_before.dims:
        raise ValueError("operating_result_before needs a 'year' dimension")
    if isinstance(opening_liquidity, xr.DataArray) and "year" in opening_liquidity.dims:
        raise ValueError("opening_liquidity must not have a 'year' dimension")
    if isinstance(investment, xr.DataArray) and "project" in investment.dims:
        investment = investment.sum("project", skipna=False)
    raw = {
        "operating_result_before": operating_result_before,
        "maintenance_spend": maintenance_spend,
        "fdv_cost": fdv_cost,
        "project_running_cost": project_running_cost,
        "project_savings": project_savings,
        "maintenance_capitalised": maintenance_capitalised,
        "depreciation": depreciation,
        "loan_interest": loan_interest,
        "demolition_cost": demolition_cost,
        "investment_total": investment,
        "loan_drawdown": loan_drawdown,
        "loan_repayment": loan_repayment,
        "sale_proceeds": sale_proceeds,
    }
    arrays = {k: _as_array(v).astype(float) for k, v in raw.items()}
    extra = {"opening_liquidity": _as_array(opening_liquidity).astype(float)}
    if credit_limit is not None:
        extra["credit_limit"] = _as_array(credit_limit).astype(float)
    try:
        xr.align(*arrays.values(), *extra.values(), join="exact")
    except ValueError as err:
        raise ValueError(f"cash-flow inputs disagree on a shared coordinate: {err}") from err
    items = dict(zip(arrays, xr.broadcast(*arrays.values()), strict=True))
    dims = items["operating_result_before"].dims  # canonical order: (..., hf, year)
    order = [d for d in dims if d not in ("hf", "year")] + [d for d in ("hf", "year") if d in dims]
    items = {k: v.transpose(*order) for k, v in items.items()}
    years = items["operating_result_before"]["year"]
    if years.size > 1 and not np.all(np.diff(years.values) == 1):
        raise ValueError(f"'year' must hold consecutive years, found {years.values.tolist()}")

    operating = items["operating_result_before"]
    for name in CREDIT_ITEMS:
        operating = operating + items[name]
    for name in COST_ITEMS:
        operating = operating - items[name]
    from_operations = operating + items["depreciation"]
    net = (
        from_operations
        - items["investment_total"]
        + items["loan_drawdown"]
        - items["loan_repayment"]
        + items["sale_proceeds"]
    )
    closing = extra["opening_liquidity"] + net.cumsum("year", skipna=False)
    opening = xr.where(years == years[0], extra["opening_liquidity"], closing.shift(year=1))
    ds = xr.Dataset(items)
    ds["operating_result"] = operating
    ds["cash_from_operations"] = from_operations
    ds["net_cash_flow"] = net
    ds["liquidity_opening"] = opening.transpose(*order)
    ds["liquidity"] = closing.transpose(*order)
    if credit_limit is not None:
        ds["credit_limit"] = extra["credit_limit"]
        ds["liquidity_headroom"] = (closing + extra["credit_limit"]).transpose(*order)
    return annotate(ds)


def _failures(name: str, residual: xr.DataArray, rule: str, tol: float, limit: int) -> list[str]:
    bad = ~(abs(residual) <= tol)  # NaN counts as a failure
    if not bool(bad.any()):
        return []
    if residual.ndim == 0:
        return [f"{name}: {rule} is off by {float(residual):.6g} MNOK"]
    values = residual.to_series()[bad.transpose(*residual.dims).to_series().to_numpy()]
    out = []
    for key, value in values.head(limit).items():
        keys = key if isinstance(key, tuple) else (key,)
        where = ", ".join(f"{d}={k}" for d, k in zip(values.index.names, keys, strict=True))
        out.append(f"{name} ({where}): {rule} is off by {value:.6g} MNOK")
    if len(values) > limit:
        out.append(f"{name}: and {len(values) - limit} more")
    return out


def check_cash_identity(
    ds: xr.Dataset, *, suffix: str = "", tol: float = TOLERANCE_MNOK, limit: int = 20
) -> list[str]:
    """Check that the cash-flow bridge and the liquidity roll-forward close.

    Parameters
    ----------
    ds : xr.Dataset
        A :func:`cash_flow` result (or :func:`region_total` with ``suffix="_region"``).
    suffix : str
        Suffix of the variable names, ``""`` per HF or ``"_region"``.
    tol : float
        Largest accepted residual [MNOK]; default 1e-6 MNOK = 1 krone.
    limit : int
        At most this many messages per rule (then a count of the rest).

    Returns
    -------
    list of str
        One message per year and HF (and other dims) where a rule fails; empty when all close.

    Notes
    -----
    Checks, for every year and every member of the other dims: the formulas for
    ``operating_result``, ``cash_from_operations`` and ``net_cash_flow`` (see
    :func:`cash_flow`), ``liquidity = liquidity_opening + net_cash_flow``, and
    ``liquidity_opening[t] = liquidity[t-1]``. A missing value fails.
    """

    def v(name: str) -> xr.DataArray:
        return ds[name + suffix]

    op = v("operating_result_before")
    for name in CREDIT_ITEMS:
        op = op + v(name)
    for name in COST_ITEMS:
        op = op - v(name)
    flows = v("investment_total"), v("loan_drawdown"), v("loan_repayment"), v("sale_proceeds")
    net = v("cash_from_operations") - flows[0] + flows[1] - flows[2] + flows[3]
    checks = [
        ("operating_result", v("operating_result") - op, "result before - costs + savings"),
        (
            "cash_from_operations",
            v("cash_from_operations") - v("operating_result") - v("depreciation"),
            "operating result + depreciation",
        ),
        ("net_cash_flow", v("net_cash_flow") - net, "cash from operations and financing"),
        (
            "liquidity",
            v("liquidity") - v("liquidity_opening") - v("net_cash_flow"),
            "opening + net cash flow = closing",
        ),
        (
            "liquidity_opening",
            (v("liquidity_opening") - v("liquidity").shift(year=1)).isel(year=slice(1, None)),
            "opening = last year's closing",
        ),
    ]
    messages: list[str] = []
    for name, residual, rule in checks:
        messages += _failures(name + suffix, residual, rule, tol, limit)
    return messages


def _first_year(mask: xr.DataArray) -> xr.DataArray:
    first = xr.where(mask, mask["year"].astype(float), np.inf).min("year")
    return first.where(np.isfinite(first))


def breach_years(
    liquidity: xr.DataArray, credit_limit: Amount, *, tol: float = TOLERANCE_MNOK
) -> xr.Dataset:
    """Return the years liquidity is negative and the years it breaks the credit line.

    Parameters
    ----------
    liquidity : xr.DataArray
        Closing liquidity [MNOK], dims ``(..., hf, year)``.
    credit_limit : xr.DataArray or float
        Operating credit line [MNOK], positive, dims ``(..., hf)``.
    tol : float
        Margin [MNOK] before a value counts as below a bound (1 krone by default).

    Returns
    -------
    xr.Dataset
        ``liquidity_negative`` and ``credit_breach`` (bool, dims of ``liquidity``: all such
        years), ``first_year_liquidity_negative`` and ``first_year_credit_breach`` (year, NaN
        when none; ``year`` reduced).

    Examples
    --------
    >>> liq = xr.DataArray([5.0, -3.0, -12.0], dims="year", coords={"year": [2025, 2026, 2027]})
    >>> b = breach_years(liq, 10.0)
    >>> float(b.first_year_liquidity_negative), float(b.first_year_credit_breach)
    (2026.0, 2027.0)
    """
    negative = liquidity < -tol
    breach = liquidity < -credit_limit - tol
    ds = xr.Dataset(
        {
            "liquidity_negative": negative,
            "credit_breach": breach,
            "first_year_liquidity_negative": _first_year(negative),
            "first_year_credit_breach": _first_year(breach),
        }
    )
    return annotate(ds)


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
        Loan terms, see :func:`hmn_bygg.loans.loan_flows`.
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
    years = liquidity["year"].values
    response = unit_response(years, start_year, terms)["liquidity"]
    room = liquidity + credit_limit
    active = liquidity["year"] >= response["start_year"]
    falling = response < -1e-12
    bound = (room / -response.where(falling)).where(active)
    capacity = bound.fillna(np.inf).min("year")
    blocked = (active & ~falling & (room < -TOLERANCE_MNOK)).any("year")
    capacity = xr.where(blocked, 0.0, capacity).clip(min=0.0)
    order = [d for d in liquidity.dims if d in capacity.dims]
    capacity = capacity.transpose(*order, ...)
    capacity.name = "carrying_capacity"
    return annotate(capacity.to_dataset())["carrying_capacity"]


def region_total(
    ds: xr.Dataset, regional_items: xr.Dataset | Mapping[str, xr.DataArray] | None = None
) -> xr.Dataset:
    """Return the region: every numeric ``hf`` variable summed over ``hf``, plus regional items.

    Parameters
    ----------
    ds : xr.Dataset
        Result per HF (e.g. from :func:`cash_flow`), dims ``(..., hf, year)``.
    regional_items : xr.Dataset or mapping, optional
        Items outside the HFs (e.g. the RHF's own projects) by the same variable names, without
        ``hf``. To keep every identity closed, pass a :func:`cash_flow` result for the RHF.

    Returns
    -------
    xr.Dataset
        ``<name>_region`` for every summed variable [same units]; variables without ``hf``
        and boolean variables are left out.

    Raises
    ------
    ValueError
        When a regional item names a variable that ``ds`` lacks, or has an ``hf`` dim.
    """
    out = {
        f"{name}_region": da.sum("hf", skipna=False)
        for name, da in ds.data_vars.items()
        if "hf" in da.dims and da.dtype.kind in "fiu"
    }
    for name, item in (regional_items or {}).items():
        key = f"{name}_region"
        if key not in out or "hf" in item.dims:
            raise ValueError(f"regional item {name!r} matches no per-HF variable in the results")
        out[key] = xr.align(out[key], item, join="exact")[0] + item
    return annotate(xr.Dataset(out))
