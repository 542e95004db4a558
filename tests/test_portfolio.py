"""Tests of new buildings, service years, area path, disposal cash and the disposal planner."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from hmn_bygg import portfolio, register_model, variables, weighting
from hmn_bygg.errors import InputError

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


def test_area_path_target_and_fdv():
    reg = portfolio.add_buildings(_register(), _new())
    s = portfolio.in_service(reg.open_year, reg.planned_disposal_year, YEARS)
    groups = weighting.membership(reg.hf, "hf")
    path = portfolio.area_path(reg.floor_area, s, groups)
    assert path.area.dims == ("hf", "year")
    assert path.area_region.sel(year=2025) == 20_000.0
    assert path.area_region.sel(year=2027) == 10_000.0
    assert path.area_region.sel(year=2029) == 15_000.0
    assert path.area.sel(hf="HMR", year=2029) == 9_000.0
    reached = portfolio.target_reached(path.area_region, 12_000.0)
    assert float(reached.area_target_year) == 2027.0
    assert float(reached.area_target_gap) == 3_000.0
    never = portfolio.target_reached(path.area_region, 5_000.0)
    assert np.isnan(float(never.area_target_year))
    assert float(never.area_target_gap) == 10_000.0
    fdv = portfolio.fdv_cost(path.area, 500.0)
    assert float(fdv.sel(hf="STO", year=2025)) == pytest.approx(2.5)
    assert fdv.attrs["units"] == "MNOK"


def test_disposal_cash_per_building_and_kind():
    b = {"building": ["x", "y", "z"]}
    area = xr.DataArray([1_000.0, 2_000.0, 500.0], dims="building", coords=b)
    year = xr.DataArray([2026.0, 2027.0, np.nan], dims="building", coords=b)
    kind = xr.DataArray(["sale", "demolition", "sale"], dims="building", coords=b)
    cash = portfolio.disposal_cash(area, year, kind, 8_000.0, 3_000.0, YEARS)
    assert cash.sale_proceeds.dims == ("building", "year")
    assert float(cash.sale_proceeds.sum()) == pytest.approx(8.0)
    assert float(cash.sale_proceeds.sel(building="x", year=2026)) == pytest.approx(8.0)
    assert float(cash.demolition_cost.sel(building="y", year=2027)) == pytest.approx(6.0)
    assert float(cash.demolition_cost.sum()) == pytest.approx(6.0)
    with pytest.raises(ValueError, match="kind"):
        portfolio.disposal_cash(area, year, "gift", 1.0, 1.0, YEARS)


@settings(max_examples=25, deadline=None)
@given(
    area=arrays(float, 6, elements=st.floats(10.0, 50_000.0)),
    opened=arrays(float, 6, elements=st.sampled_from([np.nan, 2026.0, 2030.0])),
    disposed=arrays(float, 6, elements=st.sampled_from([np.nan, 2025.0, 2028.0, 2033.0])),
    extra=st.integers(0, 5),
    when=st.sampled_from([2025.0, 2029.0, 2035.0]),
)
def test_area_balances_and_disposal_never_raises_area(area, opened, disposed, extra, when):
    disposed = np.where(disposed <= np.nan_to_num(opened, nan=0.0), np.nan, disposed)
    b = {"building": list("abcdef")}
    floor_area = xr.DataArray(area, dims="building", coords=b)
    open_year = xr.DataArray(opened, dims="building", coords=b)
    disposal = xr.DataArray(disposed, dims="building", coords=b)
    groups = weighting.membership(xr.DataArray(list("112233"), dims="building", coords=b), "hf")
    s = portfolio.in_service(open_year, disposal, YEARS)
    path = portfolio.area_path(floor_area, s, groups)
    y = xr.DataArray(YEARS, dims="year", coords={"year": YEARS})
    existing = float(floor_area.where(open_year.isnull()).sum())
    openings = (floor_area * (open_year <= y)).sum("building")
    disposals = (floor_area * (disposal <= y)).sum("building")
    np.testing.assert_allclose(path.area_region, existing + openings - disposals, atol=1e-6)
    np.testing.assert_allclose(path.area.sum("hf"), path.area_region, atol=1e-6)

    more = disposal.copy()
    more[extra] = when if np.isnan(disposal[extra]) else min(float(disposal[extra]), when)
    after = portfolio.area_path(floor_area, portfolio.in_service(open_year, more, YEARS), groups)
    assert bool((after.area <= path.area + 1e-9).all())


def test_plan_disposals_prefers_poor_buildings_and_respects_exclusions():
    reg = portfolio.add_buildings(_register(), _new())
    need = xr.DataArray(
        [12_000.0, 9_800.0, 5_000.0, 1_000.0, 9_000.0, 0.0],
        dims="building",
        coords={"building": reg.building.values},
    )
    # area in 2030: B 4000 + C 3000 + D 2000 + E 1000 + SNR 5000 = 15 000 (A is disposed in 2027)
    plan = portfolio.plan_disposals(reg, need, 10_000.0, 2030, pinned={"E"})
    assert plan.attrs["area_before"] == 15_000.0
    assert list(plan.index) == ["B", "C"]  # A planned, E pinned, SNR new
    assert plan["cumulative_area"].tolist() == [4_000.0, 7_000.0]
    assert plan["area_after"].tolist() == [11_000.0, 8_000.0]
    assert plan.loc["B", "reason"] == (
        "TG 2,4, tilpasningsdyktighet 2, oppgraderingsbehov 9 800 kr/m²"
    )
    assert "ikke registrert" in plan.loc["C", "reason"]
    assert plan.attrs["target_reached"]
    assert plan["score"].is_monotonic_decreasing
    # by hand, equal weights: grade / 3, adaptability / 3 (not surveyed: 0) and the need over
    # the largest need among the candidates B, C, D (B's 9 800 kr/m²)
    assert plan.loc["B", "score"] == pytest.approx((2.4 / 3 + 2 / 3 + 9_800 / 9_800) / 3)
    assert plan.loc["C", "score"] == pytest.approx((2.0 / 3 + 0 + 5_000 / 9_800) / 3)
    assert plan.loc["B", "score_upgrade_need"] == pytest.approx(1.0)
    assert plan.loc["C", "score_adaptability"] == 0.0

    by_need = portfolio.plan_disposals(
        reg, need, 13_000.0, 2030, pinned={"B"}, weights={"upgrade_need": 1.0}
    )
    assert list(by_need.index) == ["E", "C"]  # E has the highest need per m²
    # candidates C, D, E: the need over E's 9 000 kr/m², the only weight
    assert by_need["score"].tolist() == pytest.approx([1.0, 5_000 / 9_000])


def test_plan_disposals_says_when_target_is_out_of_reach_or_already_met():
    reg = _register()
    need = xr.DataArray(np.full(5, 5_000.0), dims="building", coords={"building": reg.building})
    plan = portfolio.plan_disposals(reg, need, 1_000.0, 2030, pinned={"D"})
    assert not plan.attrs["target_reached"]
    assert plan.attrs["remaining_gap"] == 1_000.0
    assert "nås ikke" in plan.attrs["message"] and "1 000 m²" in plan.attrs["message"]
    assert set(plan.index) == {"B", "C", "E"}

    done = portfolio.plan_disposals(reg, need, 50_000.0, 2030)
    assert done.empty and done.attrs["target_reached"]
    assert "uten flere avhendinger" in done.attrs["message"]

    with pytest.raises(InputError, match="ZZ"):
        portfolio.plan_disposals(reg, need, 1_000.0, 2030, pinned={"ZZ"})


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
