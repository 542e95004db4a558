"""Booking the long-term budget (LTB) from the simulation results and the model config.

:func:`book` takes the condition results (area and maintenance spend per scenario, year and
HF) and each scenario's ``portfolio`` and ``finance`` sections, and adds, in MNOK at the
model's price basis: investments by project, state loans, depreciation, FDV cost of the area
in service, sale proceeds and demolition costs, project running costs and savings, the
operating result, the cash flow and liquidity against each HF's credit line, and the region
(``_region``: the HFs plus the RHF's own items). The arithmetic lives in
:mod:`hmn_bygg.finance.cash`, :mod:`hmn_bygg.finance.loans` and :mod:`hmn_bygg.stock.portfolio`;
this module only
turns config into arrays and calls them once for all rows: the scenarios, or the Monte Carlo
draws of a chunk as arrays over rows (:class:`~hmn_bygg.finance.rows.Rows`; each leaf is read
once per model, a draw moves it per row). :func:`book_arrays` books on arrays; :func:`book`
builds the results Dataset from them.

Project conventions
-------------------
- spending follows ``spend_profile`` (shares by year) times ``cost_mnok``, split over HFs by
  ``hf_share``;
- a loan-financed project above ``state_loan.min_project_mnok`` draws its loan frame
  (``loan_frame_mnok``, or ``state_loan.share`` in its first spend year times the cost) in
  step with its spending;
- the money spent is capitalised in the open year (and as spent afterwards) and depreciated
  over the life of its asset class from the year after;
- running costs and savings start in the open year; savings rise linearly over
  ``savings_ramp_years``.
Medical equipment (``medtech_reinvestment_mnok``) and the capitalised share of maintenance are
booked as the projects ``medtech`` and ``capitalised_maintenance``.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

import numpy as np
import xarray as xr

from hmn_bygg.config import Model
from hmn_bygg.config.year_arrays import hf_year_values
from hmn_bygg.core.assemble import assemble, variable
from hmn_bygg.core.variables import annotate, annotate_variables
from hmn_bygg.finance import cash as finance
from hmn_bygg.finance.actuals import book_actual_results
from hmn_bygg.finance.breaches import FIRST_YEARS, breach_arrays
from hmn_bygg.finance.cash_identity import check_cash_identity_arrays
from hmn_bygg.finance.depreciation import depreciation_arrays
from hmn_bygg.finance.identity import independent_identity_errors
from hmn_bygg.finance.investment_room import capacity, investment_room
from hmn_bygg.finance.liquidity_summary import liquidity_summary  # re-exported
from hmn_bygg.finance.nominal import (
    nominal_variables,
    per_scenario,
    project_loans,
    regional_flows,
)
from hmn_bygg.finance.npv_choice import npv_upgrade_or_dispose  # re-exported
from hmn_bygg.finance.ordinary import spend_free_cash
from hmn_bygg.finance.price_basis import PriceIndex, basis_label, basis_variables, index_for
from hmn_bygg.finance.project_flows import (  # RECURRING and project_keys re-exported
    RECURRING,
    project_keys,
    stack_projects,
)
from hmn_bygg.finance.rows import Rows
from hmn_bygg.stock import disposals, portfolio
from hmn_bygg.stock import plan as scenario_portfolio

__all__ = [
    "RECURRING",
    "Booked",
    "book",
    "book_arrays",
    "capacity",
    "liquidity_summary",
    "npv_upgrade_or_dispose",
    "project_keys",
]


class CashIdentityError(RuntimeError):
    """The booked cash flow does not close: a bug in the model, not in the user's input."""


def _per_hf(rows: Rows, key: str, hfs, years=None) -> np.ndarray:
    """The leaf at ``key`` of every row per HF ``(R, H)``, or per HF and year ``(R, H, Y)``,
    with the rows' draws applied."""
    if years is None:
        return rows.number(
            key, lambda leaf: np.array([float(leaf.value[h]) for h in hfs]), None, tuple(hfs)
        )
    memo = (tuple(hfs), tuple(years.tolist()))  # what the read selects
    return rows.number(key, lambda leaf: hf_year_values(leaf, hfs, years), None, memo)


def _nominal_per_hf(rows: Rows, key: str, index, hfs, years) -> np.ndarray:
    """:func:`_per_hf` over the years in nominal kroner (deflator) ``(R, H, Y)``."""
    return _per_hf(rows, key, hfs, years) * per_scenario(rows, key, index, "deflator", years)


def book(
    results: xr.Dataset,
    scenarios: Mapping[str, Model] | Rows,
    register: xr.Dataset,
    *,
    room: bool = True,
    disposal_plan: scenario_portfolio.DisposalPlan | None = None,
    prices: str | None = None,
) -> xr.Dataset:
    """Book the long-term budget of every scenario and return it merged with the results.

    Parameters
    ----------
    results : xr.Dataset
        From :func:`hmn_bygg.condition.simulate.simulate` on ``register``: needs ``area``,
        ``area_region`` and ``maintenance_spend`` (dims ``scenario, year, hf``).
    scenarios : mapping of str to Model, or Rows
        The scenarios, in the order of ``results.scenario``; or :class:`Rows` (Monte Carlo
        draws of scenarios as arrays, booked without a model per draw).
    register : xr.Dataset
        The register the results were simulated on (with the new buildings).
    room : bool
        Also work out ``investment_room`` (a Monte Carlo draw does not keep it).
    disposal_plan : DisposalPlan, optional
        Each row's disposals (default :func:`hmn_bygg.stock.plan.disposal_plan` of the rows'
        models; rows that draw open years or the disposal delay must give it); a drawn sale
        price is applied here.
    prices : str, optional
        ``nominal`` or ``real:YYYY``: the money shown in this basis in the same step (as by
        :func:`~hmn_bygg.finance.price_basis.apply_price_basis`); default nominal.

    Returns
    -------
    xr.Dataset
        ``results`` plus, per ``(scenario, year, hf)`` [MNOK/yr or MNOK]: every
        :func:`hmn_bygg.finance.cash.cash_flow` item (``operating_result``, ``liquidity``, ...),
        ``loan_balance``, ``credit_limit`` (the same nominal line in every year),
        ``liquidity_headroom``,
        ``liquidity_negative`` and ``credit_breach`` (bool), ``hf_support``; ``investment``
        per ``(scenario, year, hf, project)``; the first breach years (``scenario, hf``);
        ``<name>_region`` for the region; ``disposal_year`` and ``disposal_kind``
        (``scenario, building``); ``area_target_year`` and ``area_target_gap``
        (``scenario``); the register's ``floor_area`` and coords ``building_use``,
        ``building_site``, ``building_name``, ``project_name``.

    Raises
    ------
    InputError
        When a project spends outside the model years or a disposal override names an unknown
        building or site.
    CashIdentityError
        When the cash-flow bridge or the liquidity roll-forward does not close to 1 krone in
        some scenario, year and HF (a model bug).
    """
    rows = Rows.of_models(scenarios)
    index = index_for(rows.first)
    years = results.variables["year"].to_numpy()
    # every variable a copy (the results Dataset keeps its own), the money ones nominal
    variables = {name: var.copy(deep=False) for name, var in results.variables.items()}
    data = {str(name): variables[name] for name in results.data_vars}
    variables.update(nominal_variables(data, rows, index, years))
    b = book_arrays(variables, rows, register, index, disposal_plan)
    shy = ("scenario", "hf", "year")
    area_region = results.variables["area_region"].transpose(..., "year")
    target = portfolio.target_arrays(
        area_region.to_numpy(), years, float(results.attrs.get("area_target_m2", np.nan))
    )
    order = ("scenario", "year", "hf", "project", "building")
    new: dict[str, xr.Variable] = {}

    def put(name: str, values: np.ndarray, dims: tuple[str, ...]) -> None:
        to = tuple(d for d in order if d in dims)
        new[name] = variable(to, np.transpose(values, [dims.index(d) for d in to]))

    for name, values in b.hf.items():
        put(name, values, shy)
    for name, values in b.breaches.items():
        put(name, values, shy[:-1] if name in FIRST_YEARS else shy)
    for name, values in b.region.items():
        put(f"{name}_region", values, ("scenario", "year"))
    put("disposal_year", b.plan.year, ("scenario", "building"))
    put("disposal_kind", b.plan.kind, ("scenario", "building"))
    for name, values in zip(("area_target_year", "area_target_gap"), target, strict=True):
        new[name] = variable(area_region.dims[:-1], values)
    put("hf_support", b.support, shy)
    put("actual_result", b.actual, shy)
    put("investment", b.flows["spend"], ("scenario", "project", "hf", "year"))
    put("loan_drawdown_by_project", b.flows["drawdown"], ("scenario", "project", "hf", "year"))
    new["floor_area"] = register.variables["floor_area"].copy(deep=False)
    if room:  # from the liquidity alone
        cash = (b.hf["liquidity"], b.hf["credit_limit"], years, rows.scenarios())
        put("investment_room", investment_room(*cash), shy)
    variables.update(new)
    coords = {
        "project": xr.Variable("project", b.keys),
        "project_name": xr.Variable("project", b.project_names),
        "building_use": variable("building", register.variables["use"]),
        "building_site": variable("building", register.variables["site"]),
        "building_name": variable("building", register.variables["name"]),
    }
    variables.update(coords)
    attrs = {**results.attrs, "price_basis": results.attrs.get("price_basis", "")}
    coord_names = {*results.coords, *coords}
    if prices is not None:  # in the basis before the Dataset is built; units mark money
        annotate_variables(variables)
        data = {str(n): v for n, v in variables.items() if n not in coord_names}
        variables.update(basis_variables(data, prices, index, years))
        attrs |= {"prices": prices, "price_basis": basis_label(prices)}
    out = assemble(variables, coord_names, attrs, results.xindexes)
    return annotate(out)


@dataclass(frozen=True)
class Booked:
    """The long-term budget of some rows on arrays (:func:`book_arrays`), nominal [MNOK/yr or
    MNOK]: ``hf`` per ``(row, hf, year)`` by name (the cash-flow bridge, ``loan_balance``,
    ``credit_limit``, ``liquidity_headroom``), ``region`` per ``(row, year)``, ``breaches``
    (:func:`~hmn_bygg.finance.breaches.breach_arrays`), ``support`` and ``actual``
    ``(row, hf, year)``, the projects' ``flows`` ``(row, project, hf, year)`` with their
    ``keys`` and ``project_names``, and the rows' disposal ``plan``."""

    hf: dict[str, np.ndarray]
    region: dict[str, np.ndarray]
    breaches: dict[str, np.ndarray]
    support: np.ndarray
    actual: np.ndarray
    flows: dict[str, np.ndarray]
    keys: list[str]
    project_names: list[str]
    plan: scenario_portfolio.DisposalPlan


def book_arrays(
    results: xr.Dataset | Mapping[Hashable, xr.Variable],
    rows: Rows,
    register: xr.Dataset,
    index: PriceIndex,
    disposal_plan: scenario_portfolio.DisposalPlan | None = None,
) -> Booked:
    """Book the long-term budget of the rows on arrays: :func:`book` without the Dataset.

    Parameters
    ----------
    results : xr.Dataset or mapping of name to xr.Variable
        The condition results of the rows in nominal kroner
        (:func:`hmn_bygg.finance.nominal.nominal_condition`), or their variables (the
        coordinates ``year`` and ``hf`` too; :func:`~hmn_bygg.finance.nominal.nominal_variables`).
    rows : Rows
        The rows (scenarios, or Monte Carlo draws as arrays).
    register : xr.Dataset
        The register with the new buildings.
    index : PriceIndex
        The run's price index.
    disposal_plan : DisposalPlan, optional
        As in :func:`book`.

    Returns
    -------
    Booked

    Raises
    ------
    CashIdentityError
        As in :func:`book`.
    """
    if isinstance(results, xr.Dataset):  # its variables: no DataArray built per read
        results = results.variables
    years = results["year"].to_numpy()
    hfs = [str(h) for h in results["hf"].to_numpy()]
    shy = ("scenario", "hf", "year")
    spend = results["maintenance_spend"].transpose(*shy).to_numpy()
    keys, flows, lives, project_names = stack_projects(rows, hfs, years, spend, index)
    plan = _disposal_plan(register, rows, disposal_plan)
    support = _nominal_per_hf(rows, "finance.hf_support_mnok", index, hfs, years)

    fixed = _fixed_items(results, rows, register, plan, flows, support, index, (years, hfs, spend))
    key = "finance.opening_liquidity_mnok"
    opening = _per_hf(rows, key, hfs) * per_scenario(rows, key, index, "deflator",
                                                     years[:1])[..., 0]  # fmt: skip
    depr = depreciation_arrays(flows["capitalised"], lives[:, :, None], start_lag=1)
    items = _hf_items(fixed, flows, depr)
    actual = book_actual_results(items, rows.groups(), hfs, years)
    ordinary = len(keys) - len(RECURRING)
    if spend_free_cash(items, flows, rows, years, ordinary, opening):
        # the free cash changes the ordinary investment only, and so its depreciation
        depr[:, ordinary] = depreciation_arrays(
            flows["capitalised"][:, ordinary], lives[:, ordinary, None], start_lag=1
        )
        items = _hf_items(fixed, flows, depr)
        actual = book_actual_results(items, rows.groups(), hfs, years)
    loan_balance = items.pop("loan_balance")
    # the credit line in every year, nominal (a line in fixed prices grows with the deflator),
    # so that a view in fixed prices shows it in each year's kroner beside liquidity
    key = "finance.credit_limit_mnok"
    credit = _per_hf(rows, key, hfs)[..., None] * per_scenario(rows, key, index, "deflator",
                                                               years)  # fmt: skip
    hf = {**finance.cash_flow_arrays(items, opening), "loan_balance": loan_balance}
    hf["credit_limit"] = credit
    hf["liquidity_headroom"] = hf["liquidity"] + credit
    regional = regional_flows(rows, np.nansum(support, axis=1), years, index)
    region = {k: v.sum(axis=1) + regional.get(k, 0.0) for k, v in hf.items()}
    coords = {"scenario": np.array(rows.names), "hf": np.array(hfs), "year": years}
    errors = independent_identity_errors(hf, opening, ("HF",))
    errors += check_cash_identity_arrays(hf, shy, coords)
    errors += check_cash_identity_arrays(region, ("scenario", "year"), coords, suffix="_region")
    if errors:
        raise CashIdentityError("the booked cash flow does not close:\n" + "\n".join(errors))
    breaches = breach_arrays(hf["liquidity"], hf["credit_limit"], years)
    return Booked(hf, region, breaches, support, actual, flows, keys, project_names, plan)


def _disposal_plan(
    register: xr.Dataset, rows: Rows, given: scenario_portfolio.DisposalPlan | None
) -> scenario_portfolio.DisposalPlan:
    """Each row's disposal plan (``given``, or worked out once per model), with the rows'
    drawn sale prices [NOK/m²]."""
    if given is None:
        moving = [k for k in rows.keys if k.endswith(".open_year") or k.endswith(".delay_years")]
        if moving:
            raise ValueError(f"rows that draw {moving[0]} need their disposal plan")
        one = scenario_portfolio.disposal_plan(
            register, {str(i): m for i, m in enumerate(rows.models)}
        )
        given = scenario_portfolio.DisposalPlan(
            one.year[rows.of], one.kind[rows.of], one.sale_price[rows.of]
        )
    price = rows.moved("portfolio.sale_price_nok_per_m2", given.sale_price.copy())
    return scenario_portfolio.DisposalPlan(given.year, given.kind, price)


def _fixed_items(results: Mapping, rows: Rows, register, plan, flows, support, index, read) -> dict:
    """The inputs of the HFs' cash-flow bridge ``(S, H, Y)`` [MNOK/yr, nominal] that spending
    free cash does not change (loans, disposals, FDV, results before), and the loan balance
    [MNOK]; the arguments are :func:`book`'s own intermediate results (``read``: the years,
    HFs and maintenance spend ``(S, H, Y)``)."""
    (years, hfs, spend), shy = read, ("scenario", "hf", "year")
    loan = project_loans(np.nan_to_num(flows["drawdown"]), rows, project_keys(rows))
    # only the buildings some row disposes of bring or cost money
    sold = np.flatnonzero(np.isfinite(plan.year).any(axis=0))
    demolition = rows.number("portfolio.demolition_cost_nok_per_m2")
    cash = disposals.disposal_cash_arrays(
        register.variables["floor_area"].to_numpy()[sold],
        plan.year[:, sold],
        plan.kind[:, sold],
        plan.sale_price[:, sold],
        demolition,
        years,
    )
    hf_of = register.variables["hf"].to_numpy()[sold]
    member = (hf_of[None, :] == np.array(hfs)[:, None]).astype(float)
    area = results["area"].transpose(*shy).to_numpy()
    memo = ("fdv_rate", tuple(years.tolist()))
    fdv = rows.per_model(lambda m: scenario_portfolio.fdv_rate({"": m}, years)[0], None, memo)
    fdv_rate = fdv[:, None, :]  # NOK/m²/yr

    def by_hf(name: str, key: str, series) -> np.ndarray:
        f = per_scenario(rows, key, index, series, years)
        return np.einsum("sby,hb->shy", cash[name], member) * f

    fdv_rate = fdv_rate * per_scenario(rows, "portfolio.fdv_nok_per_m2", index, "deflator",
                                       years)  # fmt: skip
    return {
        "operating_result_before": _nominal_per_hf(
            rows, "finance.operating_result_before_mnok", index, hfs, years
        )
        + support,
        "maintenance_spend": spend,
        "fdv_cost": area * fdv_rate / 1e6,  # FDV [NOK/m²] on the area in service, in MNOK
        "existing_depreciation": _nominal_per_hf(
            rows, "finance.existing_depreciation_mnok", index, hfs, years
        ),
        "demolition_cost": by_hf(
            "demolition_cost", "portfolio.demolition_cost_nok_per_m2", "construction"
        ),
        "sale_proceeds": by_hf("sale_proceeds", "portfolio.sale_price_nok_per_m2", "deflator"),
        **loan,
    }


def _hf_items(fixed: dict, flows: dict, new_depr: np.ndarray) -> dict:
    """The inputs of the HFs' cash-flow bridge ``(S, H, Y)`` [MNOK/yr, nominal] in their order,
    plus the loan balance [MNOK]: :func:`_fixed_items`, the projects' ``flows`` and the
    depreciation of what they capitalise ``(S, P, H, Y)``."""
    return {
        # a copy: the published results are booked into it in place
        "operating_result_before": fixed["operating_result_before"].copy(),
        "maintenance_spend": fixed["maintenance_spend"],
        "fdv_cost": fixed["fdv_cost"],
        "project_running_cost": np.nansum(flows["running"], axis=1),
        "project_savings": np.nansum(flows["savings"], axis=1),
        "maintenance_capitalised": flows["spend"][:, -1],
        "depreciation": fixed["existing_depreciation"] + np.nansum(new_depr, axis=1),
        "loan_interest": fixed["loan_interest"],
        "demolition_cost": fixed["demolition_cost"],
        "investment_total": flows["spend"].sum(axis=1),
        "loan_drawdown": fixed["loan_drawdown"],
        "loan_repayment": fixed["loan_repayment"],
        "sale_proceeds": fixed["sale_proceeds"],
        "loan_balance": fixed["loan_balance"],
    }
