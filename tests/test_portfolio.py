"""Tests of new buildings, service years, area path, disposal cash and the disposal planner."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from conftest import make_inputs, tiny_register
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from hmn_bygg.condition.simulate import simulate
from hmn_bygg.core import variables
from hmn_bygg.core.errors import InputError
from hmn_bygg.register import model as register_model
from hmn_bygg.stock import disposals, portfolio

YEARS = np.arange(2025, 2036)


def _register() -> xr.Dataset:
    b = pd.DataFrame(
        {
            "building_id": ["A", "B", "C", "D", "E"],
            "name": ["Gamle sykehus", "Poliklinikk", "Internat", "Kontor", "Verksted"],
            "hf": ["HMR", "HMR", "STO", "STO", "HNT"],
            "site": ["Molde", "Molde", "Øya", "Øya", "Levanger"],
            "use": ["somatic", "somatic", "housing", "office", "technical"],
            "floor_area": [10_000.0, 4_000.0, 3_000.0, 2_000.0, 1_000.0],
            "built_year": [1960, 1975, 1980, 1990, 2000],
            "adaptability": [3.0, 2.0, np.nan, 1.0, 3.0],
            "planned_disposal_year": [2027.0, np.nan, np.nan, np.nan, np.nan],
            "condition_grade": [2.5, 2.4, 2.0, 1.0, 2.8],
        }
    )
    return register_model.build_register(b)


def _new() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "building_id": ["SNR"],
            "name": ["Sjukehuset Nordmøre og Romsdal"],
            "hf": ["HMR"],
            "site": ["Hjelset"],
            "use": ["somatic"],
            "floor_area": [5_000.0],
            "replacement_value": [70_000.0],
            "open_year": [2029],
        }
    )


def test_add_buildings_appends_new_at_tg0():
    reg = portfolio.add_buildings(_register(), _new())
    assert list(reg.building.values) == ["A", "B", "C", "D", "E", "SNR"]
    snr = reg.sel(building="SNR")
    assert snr.condition_grade.values.tolist() == [0.0] * 6
    assert snr.survey_year.values.tolist() == [2029.0] * 6
    shares = register_model.part_table()["default_cost_share"].to_numpy(dtype=float)
    np.testing.assert_allclose(snr.cost_share.values, shares / shares.sum())
    assert float(snr.open_year) == 2029.0
    assert str(snr.hf.values) == "HMR"
    assert reg.open_year.sel(building="A").isnull()
    assert reg.part_name.dims == ("part",)
    assert reg.open_year.attrs["units"] == "year"
    twice = portfolio.add_buildings(reg, _new().assign(building_id="DMS", open_year=2030))
    assert float(twice.open_year.sel(building="SNR")) == 2029.0


def test_add_buildings_reports_every_problem():
    bad = pd.concat([_new(), _new().assign(floor_area=-1.0, open_year=np.nan)])
    with pytest.raises(InputError) as info:
        portfolio.add_buildings(_register(), bad.assign(building_id=["A", "X"]))
    text = str(info.value)
    assert "row 2, column 'building_id'" in text
    assert "row 3, column 'floor_area'" in text
    assert "row 3, column 'open_year'" in text
    with pytest.raises(InputError, match="open_year"):
        portfolio.add_buildings(_register(), _new().drop(columns="open_year"))


def test_in_service_open_inclusive_disposal_exclusive_and_scenarios():
    b = {"building": ["x", "y"]}
    opened = xr.DataArray([np.nan, 2026.0], dims="building", coords=b)
    disposal = xr.DataArray(
        [[2027.0, np.nan], [np.nan, 2026.0]],
        dims=("scenario", "building"),
        coords={"scenario": ["plan", "alt"], **b},
    )
    s = portfolio.in_service(opened, disposal, [2025, 2026, 2027])
    assert s.dims == ("scenario", "building", "year")
    assert s.sel(scenario="plan").values.tolist() == [[True, True, False], [False, True, True]]
    assert s.sel(scenario="alt").values.tolist() == [[True, True, True], [False, False, False]]


def test_target_reached_gives_the_first_year_and_the_gap():
    y = {"year": YEARS[:5]}
    area = xr.DataArray([20_000.0, 20_000.0, 10_000.0, 10_000.0, 15_000.0], dims="year", coords=y)
    reached = portfolio.target_reached(area, 12_000.0)
    assert float(reached.area_target_year) == 2027.0
    assert float(reached.area_target_gap) == 3_000.0  # the last year is above the target again
    never = portfolio.target_reached(area, 5_000.0)
    assert np.isnan(float(never.area_target_year))
    assert float(never.area_target_gap) == 10_000.0


def test_disposal_cash_per_building_and_kind():
    area = np.array([1_000.0, 2_000.0, 500.0])
    year = np.array([[2026.0, 2027.0, np.nan], [2027.0, np.nan, 2026.0]])
    kind = np.array([["sale", "demolition", "sale"], ["demolition", "sale", "sale"]])
    price = np.full((2, 3), 8_000.0)
    cash = disposals.disposal_cash_arrays(area, year, kind, price, np.array([3e3, 4e3]), YEARS)
    sale, demolition = cash["sale_proceeds"], cash["demolition_cost"]
    assert sale.shape == demolition.shape == (2, 3, len(YEARS))
    t = list(YEARS)
    assert sale[0].sum() == pytest.approx(8.0) and sale[0, 0, t.index(2026)] == pytest.approx(8.0)
    assert demolition[0, 1, t.index(2027)] == pytest.approx(6.0)
    assert demolition[0].sum() == pytest.approx(6.0)
    # the second row: its own years, kinds and demolition cost
    assert sale[1, 2, t.index(2026)] == pytest.approx(4.0) and sale[1].sum() == pytest.approx(4.0)
    assert demolition[1, 0, t.index(2027)] == pytest.approx(4.0)
    with pytest.raises(ValueError, match="kind"):
        disposals.disposal_cash_arrays(
            area, year, np.full((2, 3), "gift"), price, price[:, 0], YEARS
        )


@settings(max_examples=25, deadline=None)
@given(
    opened=arrays(float, 4, elements=st.sampled_from([np.nan, 2020.0, 2024.0])),
    disposed=arrays(float, 4, elements=st.sampled_from([np.nan, 2019.0, 2022.0, 2027.0])),
    extra=st.integers(0, 3),
    when=st.sampled_from([2019.0, 2023.0, 2030.0]),
)
def test_simulated_area_balances_and_a_disposal_never_raises_it(opened, disposed, extra, when):
    """The area per HF is what was there, plus openings, minus disposals, year by year."""
    reg = tiny_register()
    disposed = np.where(disposed <= np.nan_to_num(opened, nan=0.0), np.nan, disposed)
    inputs = make_inputs(reg, 1, open_year=opened[None, :], disposal_year=disposed[None, :])
    area = reg["floor_area"].to_numpy()
    years = inputs.years.astype(float)[:, None]
    there = np.where(np.isnan(opened), 1.0, opened <= years)
    gone = np.where(np.isnan(disposed), 0.0, disposed <= years)
    expected = (area * there * (1 - gone)).sum(axis=1)  # hand-computed, per year
    ds = simulate(reg, inputs)
    np.testing.assert_allclose(ds["area_region"].isel(scenario=0), expected, atol=1e-6)
    np.testing.assert_allclose(ds["area"].sum("hf").isel(scenario=0), expected, atol=1e-6)

    more = disposed.copy()
    more[extra] = when if np.isnan(disposed[extra]) else min(disposed[extra], when)
    fewer = simulate(reg, make_inputs(reg, 1, open_year=opened[None, :], disposal_year=more[None]))
    assert bool((fewer["area"] <= ds["area"] + 1e-9).all())


def test_plan_disposals_prefers_poor_buildings_and_respects_exclusions():
    reg = portfolio.add_buildings(_register(), _new())
    need = xr.DataArray(
        [12_000.0, 9_800.0, 5_000.0, 1_000.0, 9_000.0, 0.0],
        dims="building",
        coords={"building": reg.building.values},
    )
    # area in 2030: B 4000 + C 3000 + D 2000 + E 1000 + SNR 5000 = 15 000 (A is disposed in 2027)
    old = {"grade": 1.0, "adaptability": 1.0, "upgrade_need": 1.0}  # three equal weights
    plan = disposals.plan_disposals(reg, need, 10_000.0, 2030, pinned={"E"}, weights=old)
    assert plan.attrs["area_before"] == 15_000.0
    assert list(plan.index) == ["B", "C"]  # A planned, E pinned, SNR new
    assert plan["cumulative_area"].tolist() == [4_000.0, 7_000.0]
    assert plan["area_after"].tolist() == [11_000.0, 8_000.0]
    b = plan.loc["B"]  # what the command line says of it (tests/test_ltb_cli.py)
    assert (b["grade"], b["adaptability"], b["upgrade_need_per_m2"], b["age"]) == (
        pytest.approx(2.4), 2.0, 9_800.0, 55.0,
    )  # fmt: skip
    assert np.isnan(plan.loc["C", "adaptability"]) and np.isnan(b["net_sale_per_m2"])
    assert plan.attrs["target_reached"]
    assert plan["score"].is_monotonic_decreasing
    # by hand, equal weights: grade / 3, adaptability / 3 (not surveyed: 0) and the need over
    # the largest need among the candidates B, C, D (B's 9 800 kr/m²)
    assert plan.loc["B", "score"] == pytest.approx((2.4 / 3 + 2 / 3 + 9_800 / 9_800) / 3)
    assert plan.loc["C", "score"] == pytest.approx((2.0 / 3 + 0 + 5_000 / 9_800) / 3)
    assert plan.loc["B", "score_upgrade_need"] == pytest.approx(1.0)
    assert plan.loc["C", "score_adaptability"] == 0.0

    by_need = disposals.plan_disposals(
        reg, need, 13_000.0, 2030, pinned={"B"}, weights={"upgrade_need": 1.0}
    )
    assert list(by_need.index) == ["E", "C"]  # E has the highest need per m²
    # candidates C, D, E: the need over E's 9 000 kr/m², the only weight
    assert by_need["score"].tolist() == pytest.approx([1.0, 5_000 / 9_000])


def test_plan_disposals_never_proposes_a_protected_use_and_scores_age_and_sale():
    """The default score (models/disposal_score.yaml): five components, equal weights; a
    protected use is never a candidate, however poor (issue 18: a main somatic block)."""
    reg = _register()
    need = xr.DataArray(
        [12_000.0, 9_800.0, 5_000.0, 1_000.0, 9_000.0], dims="building",
        coords={"building": reg.building.values},
    )  # fmt: skip
    net = xr.DataArray(
        [3_000.0, 3_000.0, 10_000.0, 6_000.0, -2_000.0], dims="building",
        coords={"building": reg.building.values},
    )  # fmt: skip
    kept = disposals.plan_disposals(
        reg, need, 1_000.0, 2030, protected_uses={"somatic"}, net_sale_per_m2=net
    )
    assert set(kept.index) == {"C", "D", "E"} and not kept.attrs["target_reached"]
    assert kept.attrs["protected_uses"] == ["somatic"]
    assert set(kept.attrs["weights"]) == {
        "grade",
        "adaptability",
        "upgrade_need",
        "age",
        "net_sale",
    }
    c = kept.loc["C"]  # housing, 50 years old in 2030, the best sale among C, D, E
    assert c["score_age"] == pytest.approx(1.0) and c["score_net_sale"] == pytest.approx(1.0)
    assert kept.loc["E", "score_net_sale"] == 0.0  # demolished: the lowest net cash
    assert kept.loc["D", "score_net_sale"] == pytest.approx(8_000 / 12_000)
    poor = disposals.plan_disposals(reg, need, 1_000.0, 2030, min_grade=2.3, net_sale_per_m2=net)
    assert set(poor.index) == {"B", "E"} and poor.attrs["min_grade"] == 2.3  # C 2,0, D 1,0 kept
    asked = disposals.plan_disposals(reg, need, 5_000.0, 2030, net_sale_per_m2=net)
    assert "B" in asked.index  # somatic allowed: the poorest building is proposed
    w = asked.attrs["weights"]
    parts = [asked.loc["B", f"score_{k}"] for k in w]
    expected = sum(w[k] * p for k, p in zip(w, parts, strict=True)) / sum(w.values())
    assert asked.loc["B", "score"] == pytest.approx(expected)


def test_plan_disposals_says_when_target_is_out_of_reach_or_already_met():
    reg = _register()
    need = xr.DataArray(np.full(5, 5_000.0), dims="building", coords={"building": reg.building})
    plan = disposals.plan_disposals(reg, need, 1_000.0, 2030, pinned={"D"})
    assert not plan.attrs["target_reached"]
    assert plan.attrs["remaining_gap"] == 1_000.0
    assert set(plan.index) == {"B", "C", "E"}

    done = disposals.plan_disposals(reg, need, 50_000.0, 2030)
    assert done.empty and done.attrs["target_reached"]
    assert done.attrs["area_before"] <= 50_000.0

    with pytest.raises(InputError, match="ZZ"):
        disposals.plan_disposals(reg, need, 1_000.0, 2030, pinned={"ZZ"})


def test_portfolio_variables_are_in_the_glossary():
    table = variables.glossary()
    for name in [
        "open_year",
        "in_service",
        "area",
        "area_region",
        "area_target_year",
        "area_target_gap",
        "sale_proceeds",
        "demolition_cost",
        "fdv_cost",
    ]:
        assert name in table, name
