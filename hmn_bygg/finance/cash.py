"""Money: cash flow and liquidity per HF, credit-line breaches, region totals.

All amounts are MNOK at the model's price basis; every function broadcasts over any leading
dims (``scenario``, ``hf``, ``draw``, ...) and needs a ``year`` coordinate of consecutive years.
Loans, depreciation and NPV (:mod:`hmn_bygg.finance.loans`) are re-exported here; the checks of
the identities are in :mod:`hmn_bygg.finance.cash_identity`.
The cash-flow bridge follows the money rules of the domain brief: cash from operations is the
operating result plus depreciation; investments are paid from it, from loans and from sale
proceeds; liquidity carries over from year to year; the operating credit (driftskreditt) lets
liquidity fall to ``-credit_limit`` and no further.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import xarray as xr

from hmn_bygg.core.variables import annotate
from hmn_bygg.finance.depreciation import depreciation, npv_compare
from hmn_bygg.finance.loans import loan_flows, repayment_kernel

__all__ = [
    "cash_flow",
    "depreciation",
    "loan_flows",
    "npv_compare",
    "region_total",
    "repayment_kernel",
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
IDENTITY_OUTPUTS = (
    "operating_result",
    "cash_from_operations",
    "net_cash_flow",
    "liquidity_opening",
    "liquidity",
)

Amount = xr.DataArray | float


def _as_array(value: Amount) -> xr.DataArray:
    return value if isinstance(value, xr.DataArray) else xr.DataArray(float(value))


def bridge(items: Mapping) -> tuple:
    """Return operating result, cash from operations and net cash flow of the items.

    Works alike on NumPy arrays and DataArrays (one formula for :func:`cash_flow`,
    :func:`cash_flow_arrays` and :func:`check_cash_identity`); amounts [MNOK/yr].
    """
    operating = items["operating_result_before"]
    for name in CREDIT_ITEMS:
        operating = operating + items[name]
    for name in COST_ITEMS:
        operating = operating - items[name]
    from_operations = operating + items["depreciation"]
    flows = [items[name] for name in FLOW_ITEMS]
    net = from_operations - flows[0] + flows[1] - flows[2] + flows[3]
    return operating, from_operations, net


def cash_flow_arrays(
    items: Mapping[str, np.ndarray],
    opening_liquidity: np.ndarray,
    credit_limit: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Return the :func:`cash_flow` bridge on NumPy arrays (no checks, no coordinates).

    Parameters
    ----------
    items : mapping of str to numpy.ndarray
        Every name of ``INPUT_ITEMS`` [MNOK/yr], all of one shape ``(..., year)``; they are
        returned in the order given.
    opening_liquidity : numpy.ndarray
        Liquidity at the start of the first year [MNOK], shape ``(...)``.
    credit_limit : numpy.ndarray, optional
        Operating credit line [MNOK], shape ``(...)``.

    Returns
    -------
    dict of str to numpy.ndarray
        ``items`` followed by the outputs of :func:`cash_flow` in its order [MNOK/yr or MNOK].
    """
    operating, from_operations, net = bridge(items)
    closing = opening_liquidity[..., None] + np.cumsum(net, axis=-1)
    opening = np.concatenate(
        [np.broadcast_to(opening_liquidity[..., None], net[..., :1].shape), closing[..., :-1]],
        axis=-1,
    )
    out = dict(items)
    out.update(
        operating_result=operating,
        cash_from_operations=from_operations,
        net_cash_flow=net,
        liquidity_opening=opening,
        liquidity=closing,
    )
    if credit_limit is not None:
        out["credit_limit"] = credit_limit
        out["liquidity_headroom"] = closing + credit_limit[..., None]
    return out


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
        Loan paid out and principal repaid [MNOK/yr] (:func:`hmn_bygg.finance.loans.loan_flows`).
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

    operating, from_operations, net = bridge(items)
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
