"""Solve the best plan and check it with the engine.

:func:`solve_plan` measures the coefficients (:mod:`hmn_bygg.solve.plan_data`), solves the
MILP (:mod:`hmn_bygg.solve.plan_model`) with HiGHS, fixes the 0/1 decisions and solves the
linear programme again for shadow prices, and writes the plan as overrides
(:mod:`hmn_bygg.solve.plan_override`). The engine's check is in
:mod:`hmn_bygg.solve.plan_verify`.
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import asdict, dataclass, field

import linopy
import numpy as np
import xarray as xr

from hmn_bygg.config import Model
from hmn_bygg.config.plan_year import plan_start_problem
from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.messages import Msg
from hmn_bygg.engine.run import model_years
from hmn_bygg.solve.plan_data import PlanData, measure_plan_data
from hmn_bygg.solve.plan_model import (
    Targets,
    area_in_service,
    build_plan_model,
    grade_excess,
    present_cost,
)
from hmn_bygg.solve.plan_options import PlanOptions
from hmn_bygg.solve.plan_override import plan_overrides

SLACK_TOL = 1e-6
SLACKS = {"credit": "slack_liq", "grade": "slack_grade", "area": "slack_area"}
_STDOUT_LOCK = threading.Lock()


def run_highs(lm: linopy.Model, **options: float) -> tuple[str, str]:
    """Solve a linopy model with HiGHS, silently; return ``(status, termination)``.

    HiGHS writes its banner to the process's standard output before linopy hands it the
    ``output_flag`` option (ERGO-Code/HiGHS issues 1702 and 2749), which would spoil
    ``--json`` output; file descriptor 1 points to the null device for the call.
    """
    sys.stdout.flush()
    with _STDOUT_LOCK:
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as null:
                os.dup2(null.fileno(), 1)
                status, term = lm.solve(
                    solver_name="highs", output_flag=False, progress=False, **options
                )
        finally:
            os.dup2(saved, 1)
            os.close(saved)
    return str(status), str(term)


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
    method: str = "milp"
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


def check_targets(model: Model, targets: Targets) -> None:
    """Refuse targets before the plan year, outside the horizon or off the scale (InputError)."""
    years = model_years(model)
    problems = [
        p
        for p in (
            plan_start_problem(model, targets.by, "--by", where="solve plan"),
            plan_start_problem(model, targets.area_by, "--area-by", where="solve plan"),
        )
        if p is not None
    ]
    horizon = Msg("stock.years_from_to", first=str(years[0] + 1), last=str(years[-1]))
    for y, opt in ((targets.by, "--by"), (targets.area_by, "--area-by")):
        if not years[0] < y <= years[-1]:
            problems.append(
                Problem(
                    "solve plan",
                    Msg("stock.year_outside_horizon"),
                    column=opt,
                    expected=horizon,
                    found=str(y),
                )
            )
    if not 0.0 < targets.vttg < 3.0:
        problems.append(
            Problem(
                "solve plan",
                Msg("solve.target_outside_scale"),
                column="--target",
                expected=Msg("solve.a_vttg"),
                found=str(targets.vttg),
            )
        )
    if targets.area_m2 is not None and targets.area_m2 <= 0:
        problems.append(
            Problem(
                "solve plan",
                Msg("solve.area_target_not_positive"),
                column="--area",
                expected=Msg("stock.positive_m2"),
                found=str(targets.area_m2),
            )
        )
    if problems:
        raise InputError(problems, title=Msg("solve.plan_question_invalid"))


def solve_plan(
    model: Model,
    targets: Targets,
    options: PlanOptions,
    *,
    register: xr.Dataset | None = None,
    data: PlanData | None = None,
    fixed: dict | None = None,
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
    fixed : dict, optional
        Disposals and upgrades to hold (see :func:`optimise`).

    Returns
    -------
    PlanSolution
        Status, gap, present cost, budgets, actions, the linear grade, area and liquidity,
        shortfalls (slack in use: the target cannot be met, and by how much) and shadow
        prices of the credit lines; ``overrides`` writes the plan as a scenario.
    """
    check_targets(model, targets)
    d = data if data is not None else measure_plan_data(model, options, register)
    sol = optimise(d, targets, options, fixed)
    if sol.cost_mnok is not None:
        gone = {a["building"]: a["year"] for a in sol.actions if a["action"] == "dispose"}
        money = np.asarray(sol.budget_mnok) + _upgrade_money(sol.fixed["upgrade"], d)
        sol.overrides = plan_overrides(model, d.years, money, gone)
    return sol


def optimise(
    d: PlanData, targets: Targets, options: PlanOptions, fixed: dict | None = None
) -> PlanSolution:
    """Solve the plan's MILP on given coefficients, then the LP with the 0/1 decisions fixed.

    Parameters
    ----------
    d : PlanData
        The coefficients.
    targets : Targets
        Grade and area targets and the discount rate.
    options : PlanOptions
        Bounds, capacity, penalty, time limit and gap.
    fixed : dict, optional
        ``dispose`` and ``upgrade`` held at these 0/1 values (only the budgets are chosen).

    Returns
    -------
    PlanSolution
        Without ``overrides`` (those need the model, :func:`solve_plan`); ``cost_mnok`` is
        ``None`` when the solver found no solution.
    """
    rounding = options.decomposition == "relax_round" or (
        options.decomposition == "auto" and d.building.size > options.milp_max_buildings
    )
    bound, pick = None, fixed
    if rounding and pick is None:
        rl = build_plan_model(d, targets, options, relax=True)
        if run_highs(rl, time_limit=options.time_limit_s)[0] == "ok":
            bound, pick = float(rl.objective.value), round_actions(rl, d, options)
    lm = build_plan_model(d, targets, options, fixed=pick)
    status, term = run_highs(lm, time_limit=options.time_limit_s, mip_rel_gap=options.mip_gap)
    sol = PlanSolution(str(status), str(term), None, None, [int(y) for y in d.years], list(d.hfs))
    sol.method = "milp" if pick is None else ("relax_round" if bound is not None else "fixed")
    if lm["maint"].solution.isnull().any():
        return sol
    info = lm.solver_model.getInfo()
    sol.mip_gap = float(info.mip_gap) if np.isfinite(info.mip_gap) else None
    if bound is not None:  # the gap to the relaxation's bound, a true bound on the optimum
        value = float(lm.objective.value)
        sol.mip_gap = max(0.0, (value - bound) / max(abs(value), 1e-9))
    sol.fixed = {k: lm[k].solution.round() for k in ("dispose", "upgrade", "regime")}
    sol.cost_mnok = float(present_cost(lm, d, targets.discount_rate).solution)
    sol.objective = float(lm.objective.value)
    _explain(sol, lm, d, targets)
    sol.budget_mnok = lm["maint"].solution.round(6).to_numpy().tolist()
    lp = build_plan_model(d, targets, options, fixed=sol.fixed)
    if run_highs(lp)[0] != "ok":
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
        slack = lp[SLACKS[name]].solution.broadcast_like(dual).to_numpy()
        live = (np.abs(values) > 1e-9) & (slack <= SLACK_TOL)  # a used slack prices the penalty
        for idx in zip(*np.nonzero(live), strict=True):
            at = {k: dual.coords[k].values[i] for k, i in zip(dual.dims, idx, strict=True)}
            j = int(np.searchsorted(d.years, int(at["year"])))
            sol.shadow_prices.append({
                "constraint": label, "hf": str(at.get("hf", "region")), "year": int(at["year"]),
                "saving_mnok": round(float(saving(values[idx], j)), 6), "per": unit,
            })  # fmt: skip
    return sol


def round_actions(rl: linopy.Model, d: PlanData, options: PlanOptions) -> dict:
    """Round the linear relaxation's disposals and upgrades to a plan (the decomposition).

    Each building takes its largest fractional action if it is at least one half; where more
    upgrades than ``upgrades_per_hf_year`` start in an HF and year, the largest are kept.

    Returns
    -------
    dict
        ``dispose`` and ``upgrade`` as 0/1 arrays ``(building, start)`` to fix.
    """
    disp = np.nan_to_num(rl["dispose"].solution.to_numpy())
    up = np.nan_to_num(rl["upgrade"].solution.to_numpy())
    both = np.concatenate([disp, up], axis=1)
    best = both.argmax(axis=1)
    take = both[np.arange(both.shape[0]), best] >= 0.5
    n_t = d.years.size
    out_d, out_u = np.zeros_like(disp), np.zeros_like(up)
    for b in np.flatnonzero(take):
        (out_d if best[b] < n_t else out_u)[b, best[b] % n_t] = 1.0
    hf_of = d.ds["hf_of"].to_numpy()
    for h in d.hfs:
        for s in range(n_t):
            rows = np.flatnonzero((hf_of == h) & (out_u[:, s] > 0))
            drop = rows[np.argsort(-up[rows, s])][options.upgrades_per_hf_year :]
            out_u[drop, s] = 0.0
    like = rl["dispose"].solution
    return {"dispose": like.copy(data=out_d), "upgrade": like.copy(data=out_u)}


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
    excess = expression_value(grade_excess(lm, d, t.vttg))
    area = expression_value(area_in_service(lm, d))
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


def expression_value(expr) -> np.ndarray:
    """Return the value of a linear expression at the solution ``(year,)``."""
    return np.asarray(expr.solution.to_numpy(), dtype=float)
