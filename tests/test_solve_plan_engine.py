"""`solve plan` on the bundled model, checked by the engine; and its input errors."""

from __future__ import annotations

import numpy as np
import pytest

from hmn_bygg.config import apply_overrides, load_scenarios
from hmn_bygg.engine.run import register_for
from hmn_bygg.solve.plan_model import Targets
from hmn_bygg.solve.plan_options import load_plan_options
from hmn_bygg.solve.plan_verify import solve_verified
from tests.cli_invoke import invoke


def test_targets_before_the_plan_year_are_refused_before_any_work():
    code, text = invoke(["solve", "plan", "--by", "2020", "--area-by", "1999"])
    assert code == 1 and "Traceback" not in text
    assert "--by" in text and "--area-by" in text


@pytest.mark.slow
def test_bundled_plan_is_checked_by_the_engine_and_says_what_cannot_be_met():
    every = load_scenarios(None, None, None)
    model = every["today"]
    register = register_for({"today": model})
    goal = Targets(1.2, 2035, 650000.0, 2032, float(model.finance.discount_rate.value))
    sol, check, errors = solve_verified(model, goal, load_plan_options(), rounds=1,
                                        register=register)  # fmt: skip
    assert sol.status == "ok" and sol.mip_gap is not None and sol.mip_gap <= 0.01
    # HMR is below its line in 2027 whatever the plan does: a shortfall, not a fake plan
    short = {(s["constraint"], s["hf"], s["year"]) for s in sol.shortfalls}
    assert ("credit line", "HMR", 2027) in short and not sol.feasible
    # the optimiser's cash is conservative: the engine's liquidity is never further below
    # the line than the optimiser said
    for b in check["liquidity_breaches"]:
        assert b["below_mnok"] <= b["stated_mnok"] + 1.0, b
    # every decision is in the plan year or later, history unchanged
    plan = int(model.model.first_plan_year)
    years = sol.overrides["portfolio.disposals.by_building"]["value"].values()
    assert min(years) >= plan
    planned = apply_overrides(model, sol.overrides, file="test")
    for hf in ("HMR", "HNT", "STO"):
        old = model.maintenance.budget_mnok.value[hf]
        path = planned.maintenance.budget_mnok.value[hf]
        assert all(v == old for y, v in path.items() if y < plan)
    assert len(errors) == 1 and 0 <= errors[0] < 1.0
    assert np.isfinite(check["present_cost"]["plan"]["mnok"])


def test_plan_as_override_block_loads_back_and_keeps_history():
    import yaml

    from hmn_bygg.solve.plan_override import overrides_yaml, plan_overrides

    model = load_scenarios(None, None, ["today"])["today"]
    years = np.arange(2027, 2046)
    budget = np.full((3, years.size), 150.0)
    over = plan_overrides(model, years, budget, {"HMR-0008": 2028}, source="test plan")
    text = overrides_yaml("best_plan", over)
    block = yaml.safe_load(text)["best_plan"]
    planned = apply_overrides(model, block, file="scenarios.yaml")
    path = planned.maintenance.budget_mnok.value["HMR"]
    assert path[2027] == 150.0 and all(y >= 2027 for y, v in path.items() if v == 150.0)
    assert planned.portfolio.disposals.by_building.value["HMR-0008"] is not None
    assert planned.maintenance.extra_budget_mnok.value[2027] == 0.0
