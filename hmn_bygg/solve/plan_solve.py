"""Solve the best plan and check it with the engine.

:func:`solve_plan` measures the coefficients (:mod:`hmn_bygg.solve.plan_data`), solves the
MILP (:mod:`hmn_bygg.solve.plan_model`) with HiGHS, fixes the 0/1 decisions and solves the
linear programme again for shadow prices, and writes the plan as overrides
(:mod:`hmn_bygg.solve.plan_override`). :func:`verify_plan` simulates the plan with the ordinary
engine beside the bundled scenarios and compares.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace

import numpy as np
import xarray as xr

from hmn_bygg.config import Model, apply_overrides
from hmn_bygg.config.plan_year import plan_start_problem
from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.engine.run import model_years, register_for, run_models
from hmn_bygg.solve.plan_data import PlanData, measure_kernel, measure_plan_data
from hmn_bygg.solve.plan_model import Targets, area_in_service, build_plan_model, grade_excess
from hmn_bygg.solve.plan_options import PlanOptions
from hmn_bygg.solve.plan_override import plan_overrides

SLACK_TOL = 1e-6


@dataclass
class PlanSolution:
    """The optimiser's plan and its own numbers (see :func:`solve_plan`)."""

    status: str
    termination: str
    mip_gap: float | None
    cost_mnok: float | None
    years: list[int]
    hfs: list[str]
    budget_mnok: list[list[float]] = field(default_factory=list)
    actions: list[dict] = field(default_factory=list)
    vttg: list[float] = field(default_factory=list)
    area_m2: list[float] = field(default_factory=list)
    liquidity_mnok: list[list[float]] = field(default_factory=list)
    shortfalls: list[dict] = field(default_factory=list)
    shadow_prices: list[dict] = field(default_factory=list)
    overrides: dict = field(default_factory=dict)
    objective: float | None = None
    fixed: dict = field(default_factory=dict, repr=False)

    @property
    def feasible(self) -> bool:
        """Whether the plan meets every constraint without slack."""
        return self.cost_mnok is not None and not self.shortfalls

    def as_dict(self) -> dict:
        """Return the solution as plain data (for JSON)."""
        out = asdict(self) | {"feasible": self.feasible}
        out.pop("fixed")
        return out


def _check(model: Model, targets: Targets) -> None:
    years = model_years(model)
    problems = [
        p
        for p in (
            plan_start_problem(model, targets.by, "--by", where="solve plan"),
            plan_start_problem(model, targets.area_by, "--area-by", where="solve plan"),
        )
        if p is not None
    ]
    for y, opt in ((targets.by, "--by"), (targets.area_by, "--area-by")):
        if not years[0] < y <= years[-1]:
            problems.append(
                Problem(
                    "solve plan",
                    "year outside the model's horizon",
                    column=opt,
                    expected=f"{years[0] + 1}–{years[-1]}",
                    found=str(y),
                )
            )
    if not 0.0 < targets.vttg < 3.0:
        problems.append(
            Problem(
                "solve plan",
                "grade target outside the grade scale",
                column="--target",
                expected="between 0 and 3",
                found=str(targets.vttg),
            )
        )
    if targets.area_m2 is not None and targets.area_m2 <= 0:
        problems.append(
            Problem(
                "solve plan",
                "area target must be positive",
                column="--area",
                expected="m² > 0",
                found=str(targets.area_m2),
            )
        )
    if problems:
        raise InputError(problems, title="The plan question cannot be answered")


def solve_plan(
    model: Model,
    targets: Targets,
    options: PlanOptions,
    *,
    register: xr.Dataset | None = None,
    data: PlanData | None = None,
) -> PlanSolution:
    """Find the cheapest plan of maintenance, upgrades and disposals that meets the targets.

    Parameters
    ----------
    model : Model
        The scenario the plan starts from (decisions from its plan year).
    targets : Targets
        Grade and area targets, their years and the discount rate.
    options : PlanOptions
        Bounds, capacity, penalty, solver time limit and gap.
    register : xr.Dataset, optional
        A register already loaded.
    data : PlanData, optional
        Coefficients already measured (default: measured now with the engine).

    Returns
    -------
    PlanSolution
        Status, gap, present cost, budgets, actions, the linear grade, area and liquidity,
        shortfalls (slack in use: the target cannot be met, and by how much) and shadow
        prices of the credit lines; ``overrides`` writes the plan as a scenario.
    """
    _check(model, targets)
    d = data if data is not None else measure_plan_data(model, options, register)
    sol = optimise(d, targets, options)
    if sol.cost_mnok is not None:
        gone = {a["building"]: a["year"] for a in sol.actions if a["action"] == "dispose"}
        money = np.asarray(sol.budget_mnok) + _upgrade_money(sol.fixed["upgrade"], d)
        sol.overrides = plan_overrides(model, d.years, money, gone)
    return sol


def optimise(d: PlanData, targets: Targets, options: PlanOptions) -> PlanSolution:
    """Solve the plan's MILP on given coefficients, then the LP with the 0/1 decisions fixed.

    Parameters
    ----------
    d : PlanData
        The coefficients.
    targets : Targets
        Grade and area targets and the discount rate.
    options : PlanOptions
        Bounds, capacity, penalty, time limit and gap.

    Returns
    -------
    PlanSolution
        Without ``overrides`` (those need the model, :func:`solve_plan`); ``cost_mnok`` is
        ``None`` when the solver found no solution.
    """
    lm = build_plan_model(d, targets, options)
    status, term = lm.solve(
        solver_name="highs",
        time_limit=options.time_limit_s,
        mip_rel_gap=options.mip_gap,
        log_to_console=False,
        progress=False,
    )
    sol = PlanSolution(str(status), str(term), None, None, [int(y) for y in d.years], list(d.hfs))
    if lm["maint"].solution.isnull().any():
        return sol
    info = lm.solver_model.getInfo()
    sol.mip_gap = float(info.mip_gap) if np.isfinite(info.mip_gap) else None
    sol.fixed = {k: lm[k].solution.round() for k in ("dispose", "upgrade", "regime")}
    slack = sum(float(lm[k].solution.sum()) for k in ("slack_liq", "slack_grade", "slack_area"))
    sol.cost_mnok = float(lm.objective.value) - options.penalty_mnok * slack
    sol.objective = float(lm.objective.value)
    _explain(sol, lm, d, targets)
    sol.budget_mnok = lm["maint"].solution.round(6).to_numpy().tolist()
    lp = build_plan_model(d, targets, options, fixed=sol.fixed)
    if lp.solve(solver_name="highs", log_to_console=False, progress=False)[0] != "ok":
        return sol
    area0 = d.ds["area0"].to_numpy()
    per_unit = {  # the plan's saving per unit of relaxation [MNOK per unit]
        "credit": ("credit line", "MNOK of credit line", lambda v, j: v),
        "grade": ("grade", "0,01 TG of target", lambda v, j: -v * 0.01 * area0[j]),
        "area": ("area", "1 000 m² of target", lambda v, j: -v * 1000.0),
    }
    for name, (label, unit, saving) in per_unit.items():
        if name not in lp.constraints:
            continue
        dual = lp.constraints[name].dual
        values = np.nan_to_num(dual.to_numpy())
        for idx in zip(*np.nonzero(np.abs(values) > 1e-9), strict=True):
            at = {k: dual.coords[k].values[i] for k, i in zip(dual.dims, idx, strict=True)}
            j = int(np.searchsorted(d.years, int(at["year"])))
            sol.shadow_prices.append({
                "constraint": label, "hf": str(at.get("hf", "region")), "year": int(at["year"]),
                "saving_mnok": round(float(saving(values[idx], j)), 6), "per": unit,
            })  # fmt: skip
    return sol


def _upgrade_money(upgrade: xr.DataArray, d: PlanData) -> np.ndarray:
    """Each HF's upgrade cost per plan year [MNOK, budget kroner] ``(H, T)``."""
    up = upgrade.to_numpy() * d.ds["up_cost"].to_numpy()
    hf_of = d.ds["hf_of"].to_numpy()
    return np.stack([up[hf_of == h].sum(axis=0) for h in d.hfs])


def _explain(sol: PlanSolution, lm, d: PlanData, t: Targets) -> None:
    ds = d.ds
    for name, kind in (("dispose", "dispose"), ("upgrade", "upgrade")):
        x = lm[name].solution.to_numpy()
        for b, s in zip(*np.nonzero(x > 0.5), strict=True):
            cash = (
                float(ds["disp_cash"].values[b, s, s])
                if kind == "dispose"
                else -float(ds["up_cost"].values[b, s])
            )
            sol.actions.append(
                {
                    "action": kind,
                    "building": str(d.building[b]),
                    "hf": str(ds["hf_of"].values[b]),
                    "year": int(d.years[s]),
                    "area_m2": float(ds["area"].values[b]),
                    "grade": float(ds["grade0"].values[b, s]),
                    "cash_mnok": round(cash, 3),
                }
            )
    sol.actions.sort(key=lambda a: (a["year"], a["hf"], a["action"], a["building"]))
    excess = _value(grade_excess(lm, d, t.vttg))
    area = _value(area_in_service(lm, d))
    sol.area_m2 = area.round(1).tolist()
    sol.vttg = (excess / area + t.vttg).round(4).tolist()
    sol.liquidity_mnok = lm["liq"].solution.round(3).to_numpy().tolist()
    for i, hf in enumerate(d.hfs):
        for j, y in enumerate(d.years):
            s = float(lm["slack_liq"].solution.values[i, j])
            if s > SLACK_TOL:
                sol.shortfalls.append(
                    {
                        "constraint": "credit line",
                        "hf": hf,
                        "year": int(y),
                        "by": round(s, 3),
                        "unit": "MNOK",
                    }
                )
    above = {"slack_grade": np.asarray(sol.vttg) - t.vttg, "slack_area": area - (t.area_m2 or 0.0)}
    for name, unit in (("slack_grade", "TG"), ("slack_area", "m²")):
        for j, y in enumerate(d.years):
            if float(lm[name].solution.values[j]) > SLACK_TOL:
                sol.shortfalls.append(
                    {
                        "constraint": name.removeprefix("slack_"),
                        "hf": "region",
                        "year": int(y),
                        "by": round(float(above[name][j]), 4),
                        "unit": unit,
                    }
                )


def _value(expr) -> np.ndarray:
    """Return the value of a linear expression at the solution ``(year,)``."""
    return np.asarray(expr.solution.to_numpy(), dtype=float)


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
        line, and the optimiser's stated shortfall); ``targets_met``; ``present_cost`` of the
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
    lm.solve(solver_name="highs", log_to_console=False, progress=False)
    return _value(grade_excess(lm, d, targets.vttg)) / _value(area_in_service(lm, d)) + targets.vttg


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
    (``trust_share`` of each HF's own budget, halved every round). It stops when the simulated
    plan meets the grade target or after ``rounds``. From the third round on the optimiser aims
    below the target by the overshoots the simulation showed so far (a margin for the
    linearisation error). Of the rounds whose simulated plan meets the grade target it returns
    the cheapest, else the last.

    Returns
    -------
    (PlanSolution, dict, list of float)
        The chosen plan, its :func:`verify_plan` check and the grade error of every round
        (largest ``|simulated − linear|`` VTTG over the plan years) [TG].
    """
    reg = register if register is not None else register_for({"m": model})
    d = measure_plan_data(model, options, reg)
    lo0, hi0, b0 = d.ds["lo"], d.ds["hi"], d.ds["budget0"]
    errors: list[float] = []
    done: list[tuple[PlanSolution, dict]] = []
    margin = 0.0
    for k in range(max(1, int(rounds))):
        aim = replace(targets, vttg=targets.vttg - margin)
        sol = solve_plan(model, aim, options, register=reg, data=d)
        if sol.cost_mnok is None:
            return sol, {}, errors
        check = verify_plan(model, sol, targets, others, reg)
        errors.append(check["grade_error"])
        done.append((sol, check))
        late = np.asarray(sol.years) >= targets.by
        over = float(np.max(np.asarray(check["vttg"])[late] - targets.vttg))
        if k == rounds - 1 or over <= 1e-9:
            break
        margin = margin + over if k > 0 else margin
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
    return sol, check, errors


def _grade_met(sol: PlanSolution, check: dict, targets: Targets) -> bool:
    late = np.asarray(sol.years) >= targets.by
    return bool((np.asarray(check["vttg"])[late] <= targets.vttg + 1e-9).all())
