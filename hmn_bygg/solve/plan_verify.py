"""The engine's check of a plan, and the rounds of solve, simulate and linearise again.

:func:`verify_plan` simulates a plan (written as overrides) with the ordinary engine beside
other scenarios and compares it with the optimiser's own numbers; :func:`solve_verified` is
the successive linearisation that :command:`hmn-bygg solve plan` runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import numpy as np
import xarray as xr

from hmn_bygg.config import Model, apply_overrides
from hmn_bygg.engine.run import register_for, run_models
from hmn_bygg.solve.plan_data import PlanData, measure_kernel, measure_plan_data
from hmn_bygg.solve.plan_model import Targets, area_in_service, build_plan_model, grade_excess
from hmn_bygg.solve.plan_options import PlanOptions
from hmn_bygg.solve.plan_solve import (
    PlanSolution,
    check_targets,
    expression_value,
    run_highs,
    solve_plan,
)

MARGIN_FROM_ROUND = 3
"""From this round on (0-based), the trust region being narrow, an overshoot of the simulated
grade is taken as linearisation error and the next round aims that much below the target."""


def verify_plan(
    model: Model,
    sol: PlanSolution,
    targets: Targets,
    others: Mapping[str, Model] | None = None,
    register: xr.Dataset | None = None,
) -> dict:
    """Simulate the plan with the engine and compare it with the optimiser's numbers.

    Parameters
    ----------
    model : Model
        The scenario the plan starts from.
    sol : PlanSolution
        The solved plan (its ``overrides`` are applied to ``model``).
    targets : Targets
        The targets to check.
    others : mapping of str to Model, optional
        Scenarios to cost beside the plan (e.g. the bundled ones).
    register : xr.Dataset, optional
        A register already loaded.

    Returns
    -------
    dict
        ``vttg`` and ``area_m2`` simulated per plan year; ``grade_error`` (largest
        ``|simulated − linear|`` VTTG) [TG]; ``liquidity_breaches`` (HF, year, MNOK below the
        line, and the optimiser's stated shortfall); ``targets_met``; ``consistent`` (no HF
        further below its line than the optimiser stated); ``present_cost`` of the
        plan and of each scenario in ``others`` [MNOK], with whether each meets the targets.
    """
    planned = apply_overrides(model, sol.overrides, file="solve plan")
    scen = {"plan": planned} | dict(others or {})
    ds = run_models(scen, register)
    years = np.asarray(sol.years)
    v = ds["vttg_region"].sel(year=years)
    a = ds["area_region"].sel(year=years)
    liq = ds["liquidity"].sel(year=years).transpose("scenario", "hf", "year")
    credit = ds["credit_limit"].sel(year=years).transpose("scenario", "hf", "year")
    stated = {
        (s["hf"], s["year"]): s["by"] for s in sol.shortfalls if s["constraint"] == "credit line"
    }
    below = (-credit - liq).sel(scenario="plan")
    breaches = [
        {
            "hf": str(h),
            "year": int(y),
            "below_mnok": round(float(below.sel(hf=h, year=y)), 1),
            "stated_mnok": stated.get((str(h), int(y)), 0.0),
        }
        for h in below.hf.values
        for y in years
        if float(below.sel(hf=h, year=y)) > 0.5
    ]
    df = (1 + targets.discount_rate) ** -(years - years[0])
    money = (
        ds["maintenance_spend"].sum("hf")
        + ds["demolition_cost"].sum("hf")
        - ds["sale_proceeds"].sum("hf")
        + ds["fdv_cost"].sum("hf")
    ).sel(year=years)
    cost = (money * xr.DataArray(df, coords={"year": years})).sum("year")

    def meets(name: str) -> bool:
        vv, aa = v.sel(scenario=name), a.sel(scenario=name)
        ok = bool((vv.sel(year=years[years >= targets.by]) <= targets.vttg + 1e-9).all())
        if targets.area_m2 is not None:
            ok &= bool(
                (aa.sel(year=years[years >= targets.area_by]) <= targets.area_m2 + 1e-6).all()
            )
        ok &= bool(((liq + credit).sel(scenario=name) >= -0.5).all())
        return ok

    return {
        "vttg": v.sel(scenario="plan").round(4).values.tolist(),
        "area_m2": a.sel(scenario="plan").round(1).values.tolist(),
        "grade_error": float(np.max(np.abs(v.sel(scenario="plan").values - np.asarray(sol.vttg)))),
        "liquidity_breaches": breaches,
        "targets_met": meets("plan"),
        "consistent": all(b["below_mnok"] <= b["stated_mnok"] + 1.0 for b in breaches),
        "present_cost": {
            str(s): {"mnok": round(float(cost.sel(scenario=s)), 1), "meets": meets(str(s))}
            for s in ds.scenario.values
        },
    }


def linear_vttg(d: PlanData, targets: Targets, options: PlanOptions, fixed: dict) -> np.ndarray:
    """Return the regional VTTG the linear model gives for a fixed plan [TG], ``(year,)``.

    ``fixed`` holds ``maint``, ``dispose``, ``upgrade`` and ``regime`` at the plan's values.
    """
    lm = build_plan_model(d, targets, options, fixed=fixed)
    run_highs(lm)
    return (
        expression_value(grade_excess(lm, d, targets.vttg))
        / expression_value(area_in_service(lm, d))
        + targets.vttg
    )


def solve_verified(
    model: Model,
    targets: Targets,
    options: PlanOptions,
    *,
    rounds: int = 6,
    others: Mapping[str, Model] | None = None,
    register: xr.Dataset | None = None,
) -> tuple[PlanSolution, dict, list[float]]:
    """Solve, simulate, linearise again around the plan in a trust region, and solve again.

    A successive linearisation: after each round the grade response to maintenance money is
    measured again with the engine around the plan just found (:func:`measure_kernel`), the
    baseline grade is shifted so that the linear model gives exactly the simulated grade at
    that plan, and the next round's budgets stay within a trust region around it
    (``trust_share`` of each HF's own budget, halved every round); from the third round the
    disposals and upgrades stay as the second round chose them. It stops when the simulated
    plan meets the grade target or after ``rounds``. From round :data:`MARGIN_FROM_ROUND` on
    the optimiser aims below the target by the overshoots the simulation showed so far (a
    margin for the linearisation error). Of the rounds whose simulated plan meets the grade
    target it returns the cheapest, else the last.

    Returns
    -------
    (PlanSolution, dict, list of float)
        The chosen plan, its :func:`verify_plan` check and the grade error of every round
        (largest ``|simulated − linear|`` VTTG over the plan years) [TG].
    """
    check_targets(model, targets)
    reg = register if register is not None else register_for({"m": model})
    d = measure_plan_data(model, options, reg)
    lo0, hi0, b0 = d.ds["lo"], d.ds["hi"], d.ds["budget0"]
    errors: list[float] = []
    done: list[tuple[PlanSolution, dict]] = []
    margin = 0.0
    for k in range(max(1, int(rounds))):
        aim = replace(targets, vttg=targets.vttg - margin)
        hold = {k: done[-1][0].fixed[k] for k in ("dispose", "upgrade")} if k >= 2 else None
        sol = solve_plan(model, aim, options, register=reg, data=d, fixed=hold)
        if sol.cost_mnok is None:
            return sol, {}, errors
        check = verify_plan(model, sol, targets, others, reg)
        errors.append(check["grade_error"])
        done.append((sol, check))
        late = np.asarray(sol.years) >= targets.by
        over = float(np.max(np.asarray(check["vttg"])[late] - targets.vttg))
        if k == rounds - 1 or over <= 1e-9:
            break
        margin = margin + over if k >= MARGIN_FROM_ROUND else margin
        planned = apply_overrides(model, sol.overrides, file="solve plan")
        kernel, _ = measure_kernel(
            planned, reg, d.years, d.ds["pulse"].to_numpy(), options.kernel_step_years
        )
        ds = d.ds.assign(kernel=(("hf", "start", "year"), kernel))
        x = xr.DataArray(np.asarray(sol.budget_mnok), coords=b0.coords)
        width = options.trust_share * b0 * 0.5**k
        ds = ds.assign(lo=np.maximum(lo0, x - width), hi=np.minimum(hi0, x + width))
        d = PlanData(d.years, d.hfs, d.building, ds, d.vttg0)
        fixed = sol.fixed | {"maint": x.rename(year="start")}
        lin = linear_vttg(d, aim, options, fixed)
        shift = (np.asarray(check["vttg"]) - lin) * d.ds["area0"].to_numpy()
        d = PlanData(d.years, d.hfs, d.building, d.ds.assign(w0=d.ds["w0"] + shift), d.vttg0)
    good = [(s, c) for s, c in done if _grade_met(s, c, targets)]
    sol, check = min(good, key=lambda sc: sc[0].cost_mnok or 0.0) if good else done[-1]
    _restate(sol, targets)
    return sol, check, errors


def _restate(sol: PlanSolution, targets: Targets) -> None:
    """State the grade shortfalls against the real target (a round may aim below it)."""
    kept = [s for s in sol.shortfalls if s["constraint"] != "grade"]
    for y, v in zip(sol.years, sol.vttg, strict=True):
        if y >= targets.by and v > targets.vttg + 1e-4:
            kept.append({"constraint": "grade", "hf": "region", "year": int(y),
                         "by": round(v - targets.vttg, 4), "unit": "TG"})  # fmt: skip
    sol.shortfalls = kept


def _grade_met(sol: PlanSolution, check: dict, targets: Targets) -> bool:
    late = np.asarray(sol.years) >= targets.by
    return bool((np.asarray(check["vttg"])[late] <= targets.vttg + 1e-9).all())
