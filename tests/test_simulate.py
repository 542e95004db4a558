"""Properties of the condition model and the year loop (issue 3)."""

from __future__ import annotations

import re

import numpy as np
import pytest
import xarray as xr
from conftest import HFS, make_inputs, registers, tiny_register
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hmn_bygg.condition.simulate import simulate

SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _budget(level: float, years: int = 13) -> np.ndarray:
    return np.full((1, len(HFS), years), level)


wear_models = st.sampled_from(["deterministic", "markov"])
policies = st.sampled_from(["worst_first", "best_value"])


@SETTINGS
@given(registers(), st.floats(0, 50), wear_models, policies)
def test_grades_stay_in_bounds_and_need_is_never_negative(reg, level, wear, policy):
    ds = simulate(
        reg,
        make_inputs(
            reg, budget_mnok=_budget(level), wear_model=np.array([wear]), policy=np.array([policy])
        ),
    )
    g = ds.condition_grade.to_numpy()
    assert np.nanmin(g) >= 0.0 and np.nanmax(g) <= 3.0 + 1e-12
    assert (ds.upgrade_need_building >= 0).all()
    assert (ds.upgrade_need_must >= 0).all() and (ds.upgrade_need_should >= 0).all()


@SETTINGS
@given(registers(), st.floats(0, 50), wear_models, policies)
def test_spending_never_exceeds_the_budget(reg, level, wear, policy):
    ds = simulate(
        reg,
        make_inputs(
            reg, budget_mnok=_budget(level), wear_model=np.array([wear]), policy=np.array([policy])
        ),
    )
    assert (ds.maintenance_spend <= ds.maintenance_budget + 1e-9).all()
    assert (ds.maintenance_unspent >= -1e-9).all()


@SETTINGS
@given(registers(), wear_models)
def test_with_no_money_no_grade_improves(reg, wear):
    ds = simulate(reg, make_inputs(reg, budget_mnok=_budget(0.0), wear_model=np.array([wear])))
    g = ds.condition_grade.fillna(0)
    assert (g.diff("year") >= -1e-12).all()


@SETTINGS
@given(registers(), st.floats(0, 100), wear_models)
def test_with_no_wear_and_no_money_nothing_changes(reg, level, wear):
    ds = simulate(
        reg,
        make_inputs(
            reg,
            budget_mnok=_budget(0.0),
            wear_rate_factor=np.zeros(1),
            wear_model=np.array([wear]),
        ),
    )
    g = ds.condition_grade
    np.testing.assert_allclose(g.isel(year=-1).to_numpy(), g.isel(year=0).to_numpy())


@SETTINGS
@given(registers(), st.floats(0, 30), st.floats(0, 30), wear_models, policies)
def test_more_money_never_gives_a_worse_vttg(reg, low, extra, wear, policy):
    budgets = np.concatenate([_budget(low), _budget(low + extra)])
    ds = simulate(
        reg,
        make_inputs(
            reg,
            2,
            budget_mnok=budgets,
            wear_model=np.array([wear] * 2),
            policy=np.array([policy] * 2),
        ),
    )
    rich, poor = ds.vttg_region.isel(scenario=1), ds.vttg_region.isel(scenario=0)
    assert (rich.fillna(0) <= poor.fillna(0) + 1e-9).all()


@SETTINGS
@given(registers(), st.lists(st.floats(0, 40), min_size=3, max_size=3), wear_models)
def test_scenarios_run_together_equal_scenarios_run_alone(reg, levels, wear):
    budgets = np.concatenate([_budget(x) for x in levels])
    policies_ = np.array(["worst_first", "best_value", "worst_first"])
    inputs = make_inputs(
        reg, 3, budget_mnok=budgets, policy=policies_, wear_model=np.array([wear] * 3)
    )
    together = simulate(reg, inputs)
    for i in range(3):
        alone = simulate(reg, inputs.select(i))
        xr.testing.assert_identical(together.isel(scenario=[i]), alone)


def test_grade_worsens_without_money_and_improves_with_enough():
    reg = tiny_register()
    ds = simulate(reg, make_inputs(reg, 2, budget_mnok=np.concatenate([_budget(0), _budget(40)])))
    none, rich = ds.vttg_region.isel(scenario=0), ds.vttg_region.isel(scenario=1)
    assert float(none.isel(year=-1)) > float(none.isel(year=0))
    assert float(rich.isel(year=3)) < float(rich.isel(year=0))


def test_disposed_building_leaves_area_and_gets_no_money():
    reg = tiny_register()
    ds = simulate(reg, make_inputs(reg, budget_mnok=_budget(100.0)))
    b = ds.sel(building="B", scenario="s0")
    assert not bool(b.in_service.sel(year=2022))
    assert float(ds.area_region.sel(year=2022, scenario="s0")) == 35_800 - 5_000
    # due for disposal in 2022 with a 5-year horizon: never repaired
    assert (b.condition_grade.sel(year=slice(2019, 2021)).diff("year") >= 0).all()


def test_new_building_opens_at_tg0():
    reg = tiny_register()
    open_year = np.array([[np.nan, np.nan, np.nan, 2025.0]])
    ds = simulate(reg, make_inputs(reg, open_year=open_year, budget_mnok=_budget(0)))
    d = ds.sel(building="D", scenario="s0")
    assert not bool(d.in_service.sel(year=2024))
    assert (d.condition_grade.sel(year=2025) == 0).all()
    assert float(ds.area.sel(hf="STO", year=2024, scenario="s0")) == 0.0


def test_rows_give_the_same_bits_in_any_block_of_rows(monkeypatch):
    # the year loop runs rows in blocks of ROW_BLOCK; a row must not depend on its block,
    # nor on whether the other rows share its inputs (then coefficients are computed once)
    reg = tiny_register()
    n = 7
    budgets = np.concatenate([_budget(x) for x in np.linspace(0, 30, n)])
    policies_ = np.array(["worst_first", "best_value"] * 3 + ["worst_first"])
    shapes = np.array([1.0] * 5 + [1.5, 1.0])
    wear = np.array(["deterministic"] * 6 + ["markov"])
    inputs = make_inputs(
        reg, n, budget_mnok=budgets, policy=policies_, wear_shape=shapes, wear_model=wear
    )
    whole = simulate(reg, inputs)
    monkeypatch.setattr("hmn_bygg.condition.simulate.ROW_BLOCK", 2)
    xr.testing.assert_identical(simulate(reg, inputs), whole)
    same = make_inputs(reg, 3)  # identical rows: shared coefficients
    alone = simulate(reg, same.select(0))
    xr.testing.assert_identical(simulate(reg, same).isel(scenario=[0]), alone)
    aggregates = simulate(reg, inputs, aggregates_only=True)
    for name in aggregates.data_vars:
        xr.testing.assert_identical(aggregates[name], whole[name])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"policy": np.array(["worst-first"])}, "policy: expected one of"),
        ({"wear_model": np.array(["markv"])}, "wear_model: expected one of"),
        ({"weighting": np.array(["areal"])}, "weighting: expected one of"),
        ({"budget_mnok": np.full((1, 3, 13), -5.0)}, "budget_mnok: expected values >= 0"),
        ({"budget_mnok": np.full((1, 3, 12), 5.0)}, "budget_mnok: expected shape (1, 3, 13)"),
        ({"result_grade": np.array([3.5])}, "result_grade: expected values <= 3"),
        ({"part_life": np.full((1, 6), -1.0)}, "part_life: expected values >= 0"),
    ],
)
def test_inputs_refuse_unknown_labels_wrong_shapes_and_signs(register, change, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        make_inputs(register, 1, **change)


def test_inputs_accept_every_known_label(register):
    inputs = make_inputs(
        register,
        2,
        policy=np.array(["worst_first", "best_value"]),
        wear_model=np.array(["deterministic", "markov"]),
        weighting=np.array(["area", "value"]),
    )
    assert inputs.select(1).policy.tolist() == ["best_value"]


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 9),
    st.lists(st.integers(1, 40), min_size=0, max_size=3),
    st.integers(0, 2**32 - 1),
)
def test_part_sums_give_the_bits_of_numpys_sum(parts, outer, seed):
    from hmn_bygg.condition.results import part_sums

    rng = np.random.default_rng(seed)
    shape = (*outer, parts)
    x = rng.random(shape) * 10.0 ** rng.integers(-8, 8, shape)
    x[rng.random(shape) < 0.2] *= -1.0
    x[rng.random(shape) < 0.2] = -0.0
    x[rng.random(shape) < 0.1] = 0.0
    got, want = part_sums(x), x.sum(-1)
    assert np.asarray(got).tobytes() == np.asarray(want).tobytes()


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 7), st.integers(1, 3), st.integers(1, 5), st.integers(0, 2**32 - 1))
def test_per_building_pass_gives_the_bits_of_the_numpy_steps(parts, rows, buildings, seed):
    from hmn_bygg.condition.results import _per_building, per_building_steps

    rng = np.random.default_rng(seed)
    g = rng.uniform(-0.5, 3.5, (rows, 4, buildings, parts))
    g[rng.random(g.shape) < 0.2] = np.nan
    g[rng.random(g.shape) < 0.1] = rng.choice([0.0, 1.0, 2.0, 3.0, np.inf, -np.inf])
    share = rng.random((buildings, parts)) * (rng.random((buildings, parts)) < 0.8)
    area = rng.uniform(0.0, 1e5, buildings)
    active = rng.random((rows, 4, buildings)) < 0.7
    should, must = rng.uniform(0, 9e3, (rows, parts)), rng.uniform(0, 2e4, (rows, parts))
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        want = per_building_steps(g, share, area, active, should, must)
    got = _per_building(g, share, share.sum(-1), area, active, should, must)
    for a, b in zip(got, want, strict=True):
        assert a.tobytes() == b.tobytes()
