"""The coefficients of the best plan, measured with the engine.

Every number the optimiser uses comes from the ordinary engine (:func:`run_models`) on the
scenario the plan starts from, so the plan sees the same model the simulation will:

- a *baseline* run with ``finance.ordinary_investment_rule: plan`` gives each HF's net cash flow
  before the free-cash rule (the plan applies that rule itself, as a constraint), its liquidity
  before the plan year, each building's grade and upgrade need, and the area;
- one *pulse* run per HF (a year's budget more in the plan year) gives the grade response to
  maintenance money, per MNOK and year after the pulse (the linearisation; its error is
  measured against the simulated plan);
- sale prices, demolition costs and FDV rates come from the model through the stock plan and
  the price index, as the long-term budget books them.

Money is nominal MNOK for cash; the objective uses the results' price basis.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr

from hmn_bygg.config import Model, apply_overrides, as_hf_year_array, as_year_array, hf_codes
from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.messages import Msg
from hmn_bygg.engine.run import hf_budget, model_years, register_for, run_models
from hmn_bygg.finance.price_basis import factor, index_for, parse_basis
from hmn_bygg.solve.plan_options import PlanOptions
from hmn_bygg.stock import plan as stock_plan


@dataclass(frozen=True)
class PlanData:
    """Coefficients of the plan model; dims named, years are plan years.

    Attributes
    ----------
    years : numpy.ndarray
        Plan years ``(T,)``.
    hfs : tuple of str
        HF codes.
    building : numpy.ndarray
        Candidate buildings (may be upgraded or disposed of) ``(B,)``.
    ds : xr.Dataset
        ``liq_start (hf)`` liquidity at the end of the year before the plan [MNOK nominal];
        ``net0 (hf, year)`` net cash flow before the free-cash rule [MNOK nominal];
        ``credit (hf)`` credit line [MNOK nominal]; ``budget0, lo, hi (hf, year)`` maintenance
        budget and its bounds [MNOK, budget kroner]; ``p_maint (hf, year)`` nominal per budget
        krone; ``to_real (year)`` price-basis kroner per nominal krone; ``w0 (year)`` baseline
        ``Σ area · grade`` [TG·m²]; ``area0 (year)`` baseline area [m²]; ``kernel (hf, start,
        year)`` grade-area removed per MNOK of budget [TG·m²/MNOK]; per building ``hf``, ``area``,
        ``grade0 (building, year)``, ``up_cost (building, start)`` [MNOK budget kroner],
        ``up_own (building, start, year)`` the building's own gain from an upgrade [TG·m²];
        ``pulse (hf)`` the pulse size [MNOK]; ``disp_cash (building, start, year)`` [MNOK
        nominal]; ``can_dispose``, ``can_upgrade (building)``.
    vttg0 : xr.DataArray
        The baseline regional grade (the engine's) [TG], dim ``year``.
    """

    years: np.ndarray
    hfs: tuple[str, ...]
    building: np.ndarray
    ds: xr.Dataset
    vttg0: xr.DataArray


def measure_plan_data(
    model: Model, options: PlanOptions, register: xr.Dataset | None = None
) -> PlanData:
    """Run the engine on ``model`` (baseline and pulses) and return the plan's coefficients.

    Parameters
    ----------
    model : Model
        The scenario the plan starts from.
    options : PlanOptions
        Bounds and pulse size.
    register : xr.Dataset, optional
        A register already loaded.

    Returns
    -------
    PlanData
        The coefficients (see :class:`PlanData`).
    """
    m = model.maintenance
    if m.budget_mnok.price_year != model.upgrade_cost.must_nok_per_m2.price_year:
        where = model.where("maintenance.budget_mnok")
        raise InputError(
            [Problem(where[0], Msg("solve.budget_price_year"), row=where[1],
                     column="maintenance.budget_mnok",
                     expected=str(model.upgrade_cost.must_nok_per_m2.price_year),
                     found=str(m.budget_mnok.price_year))],
            title=Msg("solve.plan_question_invalid"),
        )  # fmt: skip
    reg = register if register is not None else register_for({"m": model})
    all_years = model_years(model)
    plan = int(model.model.first_plan_year)
    years = all_years[all_years >= plan]
    hfs = tuple(hf_codes())
    base = apply_overrides(model, {"finance.ordinary_investment_rule": "plan"}, file="solve plan")
    budget = hf_budget(model, reg, all_years)  # (H, Y) in the norms' kroner
    sizes = options.pulse_share * budget[:, all_years == plan][:, 0]
    kernel, res = measure_kernel(base, reg, years, sizes, options.kernel_step_years)
    booked = run_models({"base": base}, reg, prices="nominal").isel(scenario=0)
    full = stock_plan.with_new_buildings(reg, {"m": model})
    area_b = full["floor_area"].to_numpy().astype(float)
    grade = res["building_grade"].fillna(0.0)
    insvc = res["in_service"].astype(float)
    w = (grade * insvc * xr.DataArray(area_b, dims="building")).sum("building")
    b0 = res
    hf_of = full["hf"].to_numpy().astype(str)
    use = full["use"].to_numpy().astype(str)
    ids = full["building"].to_numpy().astype(str)
    planned = booked["disposal_year"].to_numpy().astype(float)
    opens = b0["in_service"].sel(year=plan).to_numpy().astype(bool)
    pinned = set(model.portfolio.pinned.value)
    old = np.isnan(full["open_year"].to_numpy()) if "open_year" in full else np.ones(ids.size, bool)
    free = opens & np.isnan(planned) & old & ~np.isin(ids, list(pinned))
    g0 = grade.sel(year=years).transpose("building", "year").to_numpy()
    poor = g0[:, 0] >= options.dispose_min_grade
    can_dispose = free & poor & ~np.isin(use, list(options.protected_uses))
    need = b0["upgrade_need_building"].sel(year=years - 1).transpose("building", "year").to_numpy()
    can_upgrade = free & (need.max(axis=1) > 0.0)
    index = index_for(model)
    basis = parse_basis(model.model.price_basis)[1] or plan
    real = 1.0 / factor(index, "deflator", basis, years)
    defl = factor(index, "deflator", model.portfolio.sale_price_nok_per_m2.price_year, years)
    cons = factor(
        index, "construction", model.portfolio.demolition_cost_nok_per_m2.price_year, years
    )
    fdv_defl = factor(index, "deflator", model.portfolio.fdv_nok_per_m2.price_year, years)
    fdv = as_year_array(model.portfolio.fdv_nok_per_m2, years) * fdv_defl  # NOK/m²/yr nominal
    kinds = _kinds(model, full, ids[can_dispose], plan)
    price = np.zeros(ids.size)
    sale = model.portfolio.sale_price_nok_per_m2.value
    for j, b in enumerate(np.flatnonzero(can_dispose)):
        price[b] = sale.get(use[b], 0.0) if kinds[j] == "sale" else -1.0
    start, yr = np.meshgrid(years, years, indexing="ij")  # (start, year)
    after = (yr >= start).astype(float)
    event = (yr == start).astype(float)
    proceeds = np.where(
        price[:, None] >= 0.0,
        price[:, None] * defl[None, :],
        -float(model.portfolio.demolition_cost_nok_per_m2.value) * cons[None, :],
    )  # NOK/m² nominal, (B, start)
    disp_cash = (
        area_b[:, None, None]
        / 1e6
        * (proceeds[:, :, None] * event[None] + fdv[None, None, :] * after[None])
    )
    rate = _wear_rate(model, full)  # TG/yr per building
    g_up = 1.0 + rate[:, None, None] * (yr - start)[None]
    own = area_b[:, None, None] * np.clip(g0[:, None, :] - g_up, 0.0, None) * after[None]
    ptab = booked["maintenance_budget"].sel(year=years).transpose("hf", "year").to_numpy()
    b_fixed = budget[:, all_years >= plan]
    p_maint = np.divide(
        ptab,
        res["maintenance_budget"].sel(year=years).transpose("hf", "year").to_numpy(),
        out=np.ones_like(ptab),
        where=b_fixed > 0,
    )
    liq = booked["liquidity"].transpose("hf", "year")
    c = {"hf": list(hfs), "year": years, "building": ids, "start": years}
    ds = xr.Dataset(
        {
            "liq_start": ("hf", liq.sel(year=plan - 1).to_numpy()),
            "net0": (
                ("hf", "year"),
                booked["net_cash_flow"].sel(year=years).transpose("hf", "year").to_numpy(),
            ),
            "credit": ("hf", booked["credit_limit"].sel(year=plan).to_numpy()),
            "budget0": (("hf", "year"), b_fixed),
            "lo": (("hf", "year"), b_fixed * options.maintenance_low_share),
            "hi": (("hf", "year"), b_fixed * options.maintenance_high_share),
            "p_maint": (("hf", "year"), p_maint),
            "to_real": ("year", real),
            "w0": ("year", w.sel(year=years).to_numpy()),
            "area0": ("year", b0["area_region"].sel(year=years).to_numpy()),
            "kernel": (("hf", "start", "year"), kernel),
            "hf_of": ("building", hf_of),
            "area": ("building", area_b),
            "grade0": (("building", "year"), g0),
            "up_cost": (("building", "start"), need),
            "up_own": (("building", "start", "year"), own),
            "pulse": ("hf", sizes),
            "disp_cash": (("building", "start", "year"), disp_cash),
            "can_dispose": ("building", can_dispose),
            "can_upgrade": ("building", can_upgrade),
        },
        coords=c,
    )
    return PlanData(years, hfs, ids, ds, b0["vttg_region"].sel(year=years))


def measure_kernel(
    scenario: Model,
    register: xr.Dataset,
    years: np.ndarray,
    sizes: np.ndarray,
    step: int,
) -> tuple[np.ndarray, xr.Dataset]:
    """Measure the grade response to maintenance money with the engine, around a scenario.

    One engine run holds the scenario and one pulse scenario per measured start year (every
    ``step`` years from the first plan year): every HF gets ``sizes`` more budget in that year
    only. An HF's money is spent on its own buildings, so one pulse serves all HFs.

    Parameters
    ----------
    scenario : Model
        The scenario to linearise around (the baseline, or a plan).
    register : xr.Dataset
        The register.
    years : numpy.ndarray
        Plan years ``(T,)``.
    sizes : numpy.ndarray
        Pulse per HF [MNOK, budget kroner] ``(H,)``.
    step : int
        Years between measured start years; a start year between two uses the earlier one.

    Returns
    -------
    (numpy.ndarray, xr.Dataset)
        ``K[h, s, t]``: ``Σ area · grade`` of HF ``h`` lowered in year ``t`` per MNOK spent in
        year ``s`` [TG·m²/MNOK], zero for ``t < s``, ``(H, T, T)``; and the engine's results of
        the scenario itself (``scenario="base"``, condition only).
    """
    hfs = hf_codes()
    all_years = model_years(scenario)
    paths = as_hf_year_array(scenario.maintenance.budget_mnok, hfs, all_years).to_numpy()
    starts = years[:: max(1, int(step))]
    scen = {"base": scenario}
    for s in starts:
        over = {
            f"maintenance.budget_mnok.{hf}": {
                "value": budget_path(
                    paths[i], all_years, {int(s): paths[i][all_years == s][0] + float(sizes[i])}
                )
            }
            for i, hf in enumerate(hfs)
        }
        scen[f"pulse_{s}"] = apply_overrides(scenario, over, file="solve plan")
    res = run_models(scen, register, book=False)
    w = (res["vttg"] * res["area"]).sel(year=years).transpose("scenario", "hf", "year")
    spent = res["maintenance_budget"].sel(year=years).transpose("scenario", "hf", "year")
    measured = np.zeros((len(hfs), starts.size, years.size))
    for j, s in enumerate(starts):
        drop = (w.sel(scenario="base") - w.sel(scenario=f"pulse_{s}")).to_numpy()
        money = (spent.sel(scenario=f"pulse_{s}") - spent.sel(scenario="base")).sel(year=s)
        measured[:, j] = drop / np.maximum(money.to_numpy(), 1e-9)[:, None]
    measured = np.clip(np.nan_to_num(measured), 0.0, None)
    n_t = years.size
    kernel = np.zeros((len(hfs), n_t, n_t))
    for a, s in enumerate(years):
        j = int(np.searchsorted(starts, s, side="right") - 1)
        first = int(starts[j] - years[0])
        kernel[:, a, a:] = measured[:, j, first : first + n_t - a]
    return kernel, res.sel(scenario="base")


def budget_path(path: np.ndarray, years: np.ndarray, new: dict[int, float]) -> dict[int, float]:
    """Return a year path (``{year: value}``, each value holding from its year) for a budget.

    ``path`` is the old budget per year ``(Y,)``; ``new`` replaces single years. Consecutive
    equal values are written once.
    """
    values = np.array([new.get(int(y), float(v)) for y, v in zip(years, path, strict=True)])
    out: dict[int, float] = {}
    for i, (y, v) in enumerate(zip(years, values, strict=True)):
        if i == 0 or not np.isclose(v, values[i - 1], rtol=0, atol=1e-9):
            out[int(y)] = round(float(v), 6)
    return out


def _kinds(model: Model, full: xr.Dataset, ids: np.ndarray, year: int) -> list[str]:
    """How each building would leave (sale or demolition), as the stock plan decides it."""
    if ids.size == 0:
        return []
    probe = apply_overrides(
        model,
        {"portfolio.disposals.by_building": {"value": {str(b): year for b in ids}}},
        file="solve plan",
    )
    kinds = stock_plan.disposal_plan(full, {"p": probe}).kind[0]
    order = {b: i for i, b in enumerate(full["building"].to_numpy().astype(str))}
    return [str(kinds[order[str(b)]]) for b in ids]


def _wear_rate(model: Model, full: xr.Dataset) -> np.ndarray:
    """Each building's cost-share-weighted wear rate with the deterministic curve [TG/yr]."""
    from hmn_bygg.config import PARTS, as_part_array

    life = as_part_array(model.condition.part_life_years, PARTS).to_numpy()
    f = float(model.condition.wear_rate_factor.value)
    share = full["cost_share"].transpose("building", "part").to_numpy()
    return np.nansum(share * (3.0 * f / life)[None, :], axis=1)
