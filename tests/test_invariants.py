"""Invariants of a run over generated registers and scenarios (see ``tests/strategies.py``).

- grades stay within TG 0–3;
- more money never gives a worse regional VTTG;
- area is conserved: the area in use is the floor area of the buildings in service;
- scenarios run together give what each gives alone.

Runs are short (``model.end_year`` = :data:`strategies.END_YEAR`) and skip the long-term
budget (``book=False``) to keep the module fast.
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import registers, scenario_models

from hmn_bygg.config import apply_overrides
from hmn_bygg.engine.run import run_models
from hmn_bygg.stock import plan as scenario_portfolio

PROPERTY = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TOL = 1e-9


@PROPERTY
@given(register=registers(), model=scenario_models())
def test_grades_stay_within_bounds(register, model):
    ds = run_models({"s": model}, register, book=False)
    for name in ("condition_grade", "building_grade", "vttg", "vttg_region"):
        values = ds[name].to_numpy()
        finite = values[~np.isnan(values)]
        assert np.all((finite >= -TOL) & (finite <= 3 + TOL)), name


@PROPERTY
@given(
    register=registers(),
    model=scenario_models(),
    extra=st.integers(0, 200),
    more=st.integers(1, 500),
)
def test_more_money_never_gives_a_worse_vttg(register, model, extra, more):
    less = apply_overrides(model, {"maintenance.extra_budget_mnok": extra})
    richer = apply_overrides(model, {"maintenance.extra_budget_mnok": extra + more})
    ds = run_models({"less": less, "more": richer}, register, book=False)
    low = ds["vttg_region"].sel(scenario="less").to_numpy()
    high = ds["vttg_region"].sel(scenario="more").to_numpy()
    same_nan = np.isnan(low) & np.isnan(high)  # no building in service: no VTTG in either
    assert np.all((high <= low + 1e-6) | same_nan), (low, high)


@PROPERTY
@given(register=registers(), model=scenario_models())
def test_area_is_conserved(register, model):
    ds = run_models({"s": model}, register, book=False)
    in_service = ds["in_service"].astype(float)
    extended = scenario_portfolio.with_new_buildings(register, {"s": model})  # + new buildings
    area = extended["floor_area"].reindex(building=ds["building"])
    expected = (in_service * area).sum("building")
    np.testing.assert_allclose(ds["area_region"], expected, rtol=1e-9)
    np.testing.assert_allclose(ds["area_region"], ds["area"].sum("hf"), rtol=1e-9)


@PROPERTY
@given(register=registers(), first=scenario_models(), second=scenario_models())
def test_scenarios_together_equal_alone(register, first, second):
    together = run_models({"a": first, "b": second}, register, book=False)
    for name, model in (("a", first), ("b", second)):
        alone = run_models({name: model}, register, book=False)
        xr.testing.assert_allclose(
            together.sel(scenario=name, drop=True), alone.sel(scenario=name, drop=True)
        )
