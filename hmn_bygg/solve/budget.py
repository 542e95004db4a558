"""Inverse questions: what budget reaches the grade target by a given year?

Because the maintenance policies are monotone in money (see :mod:`hmn_bygg.condition.maintenance`),
"is the target met?" is monotone in the budget, and the smallest budget that meets it can be
found by bracketing. Each round runs a grid of candidate budgets as scenarios of one
simulation (no loop of separate runs) and narrows the bracket to one grid cell.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

import numpy as np
import xarray as xr

from hmn_bygg.config import Model, apply_overrides, hf_codes
from hmn_bygg.config.plan_year import plan_start_problem
from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.messages import Msg
from hmn_bygg.engine.run import model_years, register_for, run_models

Goal = Literal["target", "hold"]
_GRID = 8  # candidate budgets per round: the bracket shrinks ninefold a round


@dataclass(frozen=True)
class BudgetSolution:
    """The answer to one budget question for one HF or the region.

    Attributes
    ----------
    entity : str
        HF code, or ``"region"``.
    goal : str
        ``"target"`` (VTTG at most ``target`` by ``by``) or ``"hold"`` (never above today's).
    target : float
        Grade target [TG] (for ``hold``: today's grade).
    by : int
        Year by which the goal must hold.
    from_year : int
        First year of the constant budget.
    budget_mnok : float or None
        Smallest constant annual budget [MNOK/yr] that meets the goal, rounded up to the
        tolerance; ``None`` when no budget up to ``cap_mnok`` does.
    first_year_met : int or None
        First year the goal is met with that budget (``target`` only).
    vttg_by : float or None
        Grade in year ``by`` with that budget [TG].
    cap_mnok : float
        Largest budget tried [MNOK/yr].
    today_mnok : float
        The scenario's own budget in ``from_year`` [MNOK/yr], for comparison.
    overrides : dict
        The dotted-key overrides that set this budget (as in ``scenarios.yaml``); empty when
        no budget meets the goal.
    """

    entity: str
    goal: str
    target: float
    by: int
    from_year: int
    budget_mnok: float | None
    first_year_met: int | None
    vttg_by: float | None
    cap_mnok: float
    today_mnok: float
    overrides: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        """Return the solution as plain data (for JSON)."""
        return asdict(self)


def budget_overrides(
    model: Model, budget_mnok: np.ndarray, from_year: int, entity: str, area_share: np.ndarray
) -> dict:
    """Return the overrides that set a constant annual budget from ``from_year``.

    Parameters
    ----------
    model : Model
        The scenario the budget replaces money in.
    budget_mnok : numpy.ndarray
        Candidate budget [MNOK/yr]: one value per HF (``entity`` an HF, the others keep their
        budget) or one regional value (``entity == "region"``), shape ``(H,)``.
    from_year : int
        First year of the new budget; before it the scenario's own budget holds.
    entity : str
        HF code or ``"region"``.
    area_share : numpy.ndarray
        Each HF's share of the floor area, used to split a regional budget ``(H,)``.

    Returns
    -------
    dict
        Dotted-key overrides: ``maintenance.budget_mnok`` as year paths and the regional extra
        budget set to zero from ``from_year``.
    """
    paths = {}
    for i, hf in enumerate(hf_codes()):
        if entity not in ("region", hf):
            continue
        value = float(budget_mnok[i] * area_share[i] if entity == "region" else budget_mnok[i])
        paths[hf] = {"from": from_year, "value": value}
    extra = {"from": from_year, "value": 0.0}
    overrides = {f"maintenance.budget_mnok.{hf}": p for hf, p in paths.items()}
    if entity == "region":
        overrides["maintenance.extra_budget_mnok"] = extra
    return overrides


def solve_budget(
    model: Model,
    *,
    target: float | None = None,
    by: int = 2035,
    entity: str = "region",
    goal: Goal = "target",
    from_year: int | None = None,
    cap_mnok: float = 3000.0,
    tolerance_mnok: float = 0.5,
    register: xr.Dataset | None = None,
) -> BudgetSolution:
    """Find the smallest constant annual maintenance budget that meets a grade goal.

    Parameters
    ----------
    model : Model
        The scenario (its other parameters, disposals and new buildings all apply).
    target : float, optional
        VTTG target [TG]; default the model's ``model.targets.vttg_target`` (1,2).
    by : int
        Year by which VTTG must be at or below the target (``goal="target"``), or the last
        year in which it must not exceed today's (``goal="hold"``).
    entity : str
        ``"region"`` (one budget split across HFs by floor area, judged on the regional VTTG)
        or an HF code (that HF's own budget, judged on its VTTG).
    goal : {"target", "hold"}
        Reach ``target`` by ``by``, or hold today's grade in every year up to ``by``.
    from_year : int, optional
        First year of the constant budget (default: the plan year, ``model.plan_start``); an
        earlier year is refused, the years before the plan year being history.
    cap_mnok : float
        Largest budget to try [MNOK/yr]; beyond it the answer is "not reachable".
    tolerance_mnok : float
        Precision of the answer [MNOK/yr]; the budget is rounded up to it.
    register : xr.Dataset, optional
        A register already loaded.

    Returns
    -------
    BudgetSolution
        The budget, the first year the target is met, and the grade in ``by``.

    Raises
    ------
    InputError
        For an unknown HF or years outside the model's horizon.
    """
    years = model_years(model)
    start = int(years[0])
    from_year = check_question(model, target=target, by=by, entity=entity, from_year=from_year)
    hfs = hf_codes()
    target = float(model.model.targets.vttg_target.value) if target is None else float(target)
    reg = register if register is not None else register_for({"m": model})
    share = area_shares(reg)
    window = (years > start) & (years <= by)

    def grades(candidates: list[float]) -> xr.DataArray:
        scen = {
            f"b{i}": apply_overrides(
                model,
                budget_overrides(model, np.full(len(hfs), c), from_year, entity, share),
                file="solve",
            )
            for i, c in enumerate(candidates)
        }
        ds = run_models(scen, reg, book=False)
        v = ds.vttg_region if entity == "region" else ds.vttg.sel(hf=entity)
        return v.assign_coords(scenario=np.asarray(candidates, dtype=float))

    def meets(v: xr.DataArray) -> np.ndarray:
        if goal == "hold":
            today = float(v.isel(year=0, scenario=0))
            return (v.isel(year=np.flatnonzero(window)) <= today + 1e-12).all("year").to_numpy()
        return (v.sel(year=by) <= target + 1e-12).to_numpy()

    lo, hi = 0.0, float(cap_mnok)
    first = grades([lo, hi])
    ok = meets(first)
    today_mnok = today_budget(model, reg, from_year, entity, share)
    if not ok[1]:
        worst = float(first.sel(year=by).isel(scenario=1))
        return BudgetSolution(
            entity, goal, target, by, from_year, None, None, worst, cap_mnok, today_mnok
        )
    if ok[0]:
        hi = 0.0
    while hi - lo > tolerance_mnok:
        grid = list(np.linspace(lo, hi, _GRID + 2)[1:-1])
        good = meets(grades(grid))
        idx = int(np.argmax(good)) if good.any() else None
        hi, lo = (grid[idx], grid[idx - 1] if idx else lo) if idx is not None else (hi, grid[-1])
    budget = float(np.ceil(hi / tolerance_mnok) * tolerance_mnok)
    final = grades([budget]).isel(scenario=0)
    met = (
        final.isel(year=np.flatnonzero(years > start))
        <= (target if goal == "target" else float(final.isel(year=0))) + 1e-12
    )
    first_year = (
        int(met.year.to_numpy()[np.argmax(met.to_numpy())])
        if goal == "target" and bool(met.any())
        else None
    )
    stated = target if goal == "target" else float(final.isel(year=0))
    chosen = budget_overrides(model, np.full(len(hfs), budget), from_year, entity, share)
    return BudgetSolution(entity, goal, stated, by, from_year, budget, first_year,
                          float(final.sel(year=by)), cap_mnok, today_mnok, chosen)  # fmt: skip


def check_question(
    model: Model, *, target: float | None, by: int, entity: str, from_year: int | None
) -> int:
    """Refuse a budget question that cannot be answered; return the first budget year.

    Parameters
    ----------
    model : Model
        The scenario.
    target : float, optional
        VTTG target [TG] (must lie on the grade scale, 0–3).
    by : int
        Target year (inside the model's horizon, after its first year).
    entity : str
        ``"region"`` or an HF code.
    from_year : int, optional
        First year of the constant budget (default the plan year; not before it, not after
        ``by``).

    Returns
    -------
    int
        The first year of the budget.

    Raises
    ------
    InputError
        One problem per bad argument, naming the option.
    """
    years = model_years(model)
    start = int(years[0])
    plan = model.model.first_plan_year
    from_year = plan if from_year is None else int(from_year)
    problems = []
    early = plan_start_problem(model, from_year, "--from", where="solve")
    if early is not None:
        problems.append(early)
    hfs = hf_codes()
    if entity != "region" and entity not in hfs:
        problems.append(
            Problem(
                "solve",
                Msg("solve.unknown_hf"),
                column="--hf",
                expected=Msg("stock.one_of", choices=["region", *hfs]),
                found=entity,
            )
        )
    if not start < by <= years[-1]:
        problems.append(
            Problem("solve", Msg("stock.year_outside_horizon"), column="--by",
                    expected=Msg("stock.years_from_to", first=str(start + 1), last=str(years[-1])),
                    found=str(by))
        )  # fmt: skip
    if early is None and start < by <= years[-1] and not from_year <= by:
        problems.append(
            Problem("solve", Msg("solve.budget_starts_after_target"), column="--from",
                    expected=Msg("stock.years_from_to", first=str(plan), last=str(by)),
                    found=str(from_year))
        )  # fmt: skip
    if target is not None and not 0.0 < float(target) < 3.0:
        problems.append(
            Problem("solve", Msg("solve.target_outside_scale"), column="--target",
                    expected=Msg("solve.a_vttg"), found=str(target))
        )  # fmt: skip
    if problems:
        raise InputError(problems, title=Msg("solve.budget_question_invalid"))
    return from_year


def area_shares(register: xr.Dataset) -> np.ndarray:
    """Return each HF's share of the register's floor area [fraction], in the order of
    :func:`hmn_bygg.config.hf_codes` (a regional budget is split by it)."""
    hf = register["hf"].to_numpy().astype(str)
    area = register["floor_area"].to_numpy()
    return np.array([area[hf == h].sum() for h in hf_codes()]) / area.sum()


def today_budget(
    model: Model, register: xr.Dataset, year: int, entity: str, share: np.ndarray
) -> float:
    """Return the scenario's own budget in ``year`` for the HF or the region [MNOK/yr]."""
    from hmn_bygg.engine.run import hf_budget

    years = model_years(model)
    per_hf = hf_budget(model, register, years)[:, list(years).index(year)]
    return float(per_hf.sum() if entity == "region" else per_hf[hf_codes().index(entity)])
