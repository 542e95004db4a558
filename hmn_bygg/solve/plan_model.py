"""The best plan as a mixed-integer linear programme (linopy, solved by HiGHS).

Built from :class:`hmn_bygg.solve.plan_data.PlanData` in small functions, one per kind of
variable and constraint, in the style of PyPSA. Decisions (all from the plan year):

- ``maint (hf, start)``: each HF's maintenance budget per year [MNOK, budget kroner];
- ``dispose (building, start)`` and ``upgrade (building, start)``: 0/1, at most one per building;

state: ``liq (hf, year)`` each HF's liquidity [MNOK nominal] under the model's free-cash rule
(``L_t = min(L_{t-1} + net_t, max(L_{t-1}, 0))``, :mod:`hmn_bygg.finance.ordinary`), written
as ``L_t ≤ L_{t-1} + net_t`` and ``L_t ≤ max(L_{t-1}, 0)`` with a 0/1 ``regime`` choosing the
branch of the max. Slacks (``slack_liq``, ``slack_grade`` [0,01 TG], ``slack_area`` [1 000 m²])
at a high cost make every question solvable and say how far a target is out of reach.

The regional grade constraint is written without a ratio: ``Σ a_b g_b(t) − T · Σ a_b ≤ 0``
over the buildings in service, which is linear in the decisions given the coefficients.
"""

from __future__ import annotations

from dataclasses import dataclass

import linopy
import numpy as np
import xarray as xr

from hmn_bygg.solve.plan_data import PlanData
from hmn_bygg.solve.plan_options import PlanOptions

BIG_M = 1e5
"""Big-M of the liquidity regime [MNOK]: above any HF's liquidity swing in the model."""
INTEGERS = ("dispose", "upgrade", "regime")


@dataclass(frozen=True)
class Targets:
    """What the plan must reach.

    Attributes
    ----------
    vttg : float
        Regional VTTG at or below this [TG] ...
    by : int
        ... in every year from this one.
    area_m2 : float or None
        Area in service at or below this [m²] (``None``: no area target) ...
    area_by : int
        ... in every year from this one.
    discount_rate : float
        Real discount rate of the objective [1/yr].
    grade_weight : float
        Objective cost of each 0,01 TG of regional VTTG in each plan year [MNOK]: 0 (default)
        minimises cost only; a positive weight trades money for grade.
    budget_mnok : float or None
        Present value the plan may spend at most [MNOK]; with a large ``grade_weight`` the plan
        then maximises the grade for that budget.
    """

    vttg: float
    by: int
    area_m2: float | None
    area_by: int
    discount_rate: float
    grade_weight: float = 0.0
    budget_mnok: float | None = None


def _eye(years: np.ndarray) -> xr.DataArray:
    return xr.DataArray(np.eye(years.size), coords={"start": years, "year": years})


def _after(years: np.ndarray) -> xr.DataArray:
    s, y = np.meshgrid(years, years, indexing="ij")
    return xr.DataArray((y >= s).astype(float), coords={"start": years, "year": years})


def _member(d: PlanData) -> xr.DataArray:
    hf_of = d.ds["hf_of"].to_numpy()
    m = np.stack([(hf_of == h).astype(float) for h in d.hfs], axis=1)
    return xr.DataArray(m, coords={"building": d.building, "hf": list(d.hfs)})


def _add_decisions(m: linopy.Model, d: PlanData, fixed: dict | None, relax: bool) -> None:
    ds = d.ds
    start = {"start": d.years}
    lo = ds["lo"].rename(year="start").assign_coords(start)
    hi = ds["hi"].rename(year="start").assign_coords(start)
    if fixed is not None and "maint" in fixed:
        lo = hi = fixed["maint"]
    m.add_variables(lower=lo, upper=hi, name="maint")
    for name, ok in (("dispose", ds["can_dispose"]), ("upgrade", ds["can_upgrade"])):
        ub = (ok.astype(float) * xr.ones_like(lo.isel(hf=0, drop=True))).transpose(
            "building", "start"
        )
        if fixed is None or name not in fixed:
            m.add_variables(lower=0 * ub, upper=ub, integer=not relax, name=name)
        else:
            m.add_variables(lower=fixed[name], upper=fixed[name], name=name)


def _add_state(m: linopy.Model, d: PlanData, fixed: dict | None, relax: bool) -> None:
    hy = xr.zeros_like(d.ds["net0"])
    m.add_variables(lower=hy - BIG_M, upper=hy + BIG_M, name="liq")
    if fixed is None or "regime" not in fixed:
        m.add_variables(lower=hy, upper=hy + 1, integer=not relax, name="regime")
    else:
        m.add_variables(lower=fixed["regime"], upper=fixed["regime"], name="regime")
    m.add_variables(lower=hy, name="slack_liq")
    y = xr.zeros_like(d.ds["w0"])
    m.add_variables(lower=y, name="slack_grade")
    m.add_variables(lower=y, name="slack_area")


def cash_change(m: linopy.Model, d: PlanData) -> linopy.LinearExpression:
    """Return the plan's change of each HF's net cash flow [MNOK nominal], dims ``(hf, year)``."""
    ds, eye, member = d.ds, _eye(d.years), _member(d)
    p = ds["p_maint"].rename(year="start").assign_coords(start=d.years)
    base = (ds["budget0"] * ds["p_maint"]).rename(year="start").assign_coords(start=d.years)
    maint = -((m["maint"] * p - base) * eye).sum("start")
    up_cost = ds["up_cost"] * (member * p).sum("hf")
    up = -(m["upgrade"] * (up_cost * member * eye)).sum(["building", "start"])
    disp = (m["dispose"] * (ds["disp_cash"] * member)).sum(["building", "start"])
    return maint + up + disp


def upgrade_gain(d: PlanData) -> xr.DataArray:
    """Return the grade gain each upgrade may count [TG·m²], ``(building, start, year)``.

    The smaller of the building's own gain (all parts to TG1, then wearing) and what the
    engine's maintenance policy makes of the same money in its HF (the engine carries an upgrade
    as HF money, :mod:`hmn_bygg.solve.plan_override`), so the plan never counts more than the
    simulation gives.
    """
    ds = d.ds
    via_engine = ds["kernel"].sel(hf=ds["hf_of"]).drop_vars("hf") * ds["up_cost"]
    return xr.apply_ufunc(np.minimum, ds["up_own"], via_engine.transpose(*ds["up_own"].dims))


def grade_excess(m: linopy.Model, d: PlanData, target: float) -> linopy.LinearExpression:
    """Return ``Σ a_b g_b(t) − target · Σ a_b`` over the buildings in service [TG·m²], dim year."""
    ds = d.ds
    kmat = ds["kernel"]
    b0 = ds["budget0"].rename(year="start").assign_coords(start=d.years)
    gone = ds["area"] * (ds["grade0"] - target) * _after(d.years)
    expr = (
        -(m["maint"] * kmat).sum(["hf", "start"])
        - (m["dispose"] * gone).sum(["building", "start"])
        - (m["upgrade"] * upgrade_gain(d)).sum(["building", "start"])
    )
    return expr + (ds["w0"] - target * ds["area0"] + (kmat * b0).sum(["hf", "start"]))


def area_in_service(m: linopy.Model, d: PlanData) -> linopy.LinearExpression:
    """Return the regional area in service under the plan [m²], dim ``year``."""
    ds = d.ds
    return ds["area0"] - (m["dispose"] * (ds["area"] * _after(d.years))).sum(["building", "start"])


def _add_liquidity(m: linopy.Model, d: PlanData) -> None:
    ds = d.ds
    liq = m["liq"]
    first = xr.DataArray(d.years == d.years[0], coords={"year": d.years})
    prev_const = ds["liq_start"] * first
    prev = liq.shift(year=1).fillna(0)
    m.add_constraints(liq - prev - cash_change(m, d) <= ds["net0"] + prev_const, name="cash")
    m.add_constraints(liq - prev + BIG_M * m["regime"] <= BIG_M + prev_const, name="cap_prev")
    m.add_constraints(liq - BIG_M * m["regime"] <= 0, name="cap_zero")
    m.add_constraints(liq + m["slack_liq"] >= -ds["credit"], name="credit")


def _add_targets(m: linopy.Model, d: PlanData, t: Targets) -> None:
    ds = d.ds
    on = xr.DataArray(d.years >= t.by, coords={"year": d.years})
    excess = grade_excess(m, d, t.vttg) - 0.01 * ds["area0"] * m["slack_grade"]
    m.add_constraints(excess <= 0, name="grade", mask=on)
    m.add_constraints(m["slack_grade"] <= 0, name="grade_off", mask=~on)
    if t.area_m2 is not None:
        on_a = xr.DataArray(d.years >= t.area_by, coords={"year": d.years})
        area = area_in_service(m, d) - 1000.0 * m["slack_area"]
        m.add_constraints(area <= t.area_m2, name="area", mask=on_a)
    m.add_constraints(m["slack_area"] <= 0, name="area_off", mask=~on_a if t.area_m2 else None)


def _add_actions(m: linopy.Model, d: PlanData, options: PlanOptions) -> None:
    once = m["dispose"].sum("start") + m["upgrade"].sum("start")
    m.add_constraints(once <= 1, name="one_action")
    per_hf = (m["upgrade"] * _member(d)).sum("building")
    m.add_constraints(per_hf <= options.upgrades_per_hf_year, name="upgrades_per_year")


def present_cost(m: linopy.Model, d: PlanData, rate: float) -> linopy.LinearExpression:
    """Return the present value of the plan's money [MNOK, price basis, at the plan year].

    Maintenance budgets and upgrades count as spent, disposals' sale proceeds, demolition
    costs and FDV savings with their sign.
    """
    ds = d.ds
    df = xr.DataArray((1 + rate) ** -(d.years - d.years[0]), coords={"year": d.years})
    w = df * ds["to_real"]
    ws = w.rename(year="start")
    p = ds["p_maint"].rename(year="start").assign_coords(start=d.years)
    spend = (m["maint"] * (p * ws)).sum()
    up = (m["upgrade"] * (ds["up_cost"] * (_member(d) * p).sum("hf") * ws)).sum()
    disp = (m["dispose"] * (ds["disp_cash"] * w).sum("year")).sum()
    return spend + up - disp


def build_plan_model(
    d: PlanData,
    targets: Targets,
    options: PlanOptions,
    fixed: dict | None = None,
    *,
    relax: bool = False,
) -> linopy.Model:
    """Return the linopy model of the best plan.

    Parameters
    ----------
    d : PlanData
        Coefficients measured with the engine.
    targets : Targets
        Grade and area targets and the discount rate.
    options : PlanOptions
        Bounds, capacity and the slack penalty.
    fixed : dict, optional
        Values of the 0/1 variables (``dispose``, ``upgrade``, ``regime``): they become fixed
        continuous variables, so the linear programme gives shadow prices; with ``maint`` too
        the model only evaluates a given plan. Variables not named stay free.
    relax : bool
        The linear relaxation: every 0/1 variable continuous in [0, 1] (a lower bound).

    Returns
    -------
    linopy.Model
        Objective: present cost plus ``penalty_mnok`` per unit of slack.
    """
    m = linopy.Model()
    _add_decisions(m, d, fixed, relax)
    _add_state(m, d, fixed, relax)
    _add_liquidity(m, d)
    _add_targets(m, d, targets)
    _add_actions(m, d, options)
    slack = m["slack_liq"].sum() + m["slack_grade"].sum() + m["slack_area"].sum()
    cost = present_cost(m, d, targets.discount_rate)
    if targets.budget_mnok is not None:
        m.add_constraints(cost <= targets.budget_mnok, name="budget")
    objective = cost + options.penalty_mnok * slack
    if targets.grade_weight:
        grade = (grade_excess(m, d, 0.0) / (0.01 * d.ds["area0"])).sum()
        objective = objective + targets.grade_weight * (grade - grade.const)  # no constants
    m.add_objective(objective)
    return m
