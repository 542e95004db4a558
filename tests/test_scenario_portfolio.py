"""New buildings, open years and disposal plans from scenario config (scenario_portfolio)."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from hmn_bygg.config import apply_overrides, load_model
from hmn_bygg.core.errors import InputError
from hmn_bygg.stock import plan as sp
from tests.conftest import tiny_register

BASE = apply_overrides(load_model(), {"model.plan_start": 2019})  # decisions from 2019


def _model(**overrides):
    return apply_overrides(BASE, {"model.end_year": 2030, **overrides})


def test_new_buildings_are_the_union_and_absent_ones_never_open():
    other = {
        "building_id": "X-NEW",
        "name": "Nybygg",
        "hf": "STO",
        "site": "Øya",
        "use": "office",
        "floor_area_m2": 1000,
        "replacement_value_nok_per_m2": 40000,
        "open_year": 2027,
        "source": "assumption: test",
    }
    first = _model()
    extra = [*first.portfolio.new_buildings.model_dump()["value"], other]
    second = _model(**{"portfolio.new_buildings": extra})
    scen = {"a": first, "b": second}
    reg = sp.with_new_buildings(tiny_register(), scen)
    ids = reg["building"].values.tolist()
    assert ids[-3:] == ["HMR-SNR-HJELSET", "HMR-SNR-DMS", "X-NEW"]
    opens = sp.open_years(reg, scen)
    assert np.isnan(opens[:, :4]).all()  # the original stock
    assert opens[0, -1] == np.inf and opens[1, -1] == 2027
    assert (opens[:, -3] == 2025).all()  # opens with SNR
    # adding again changes nothing
    assert sp.with_new_buildings(reg, scen).sizes["building"] == reg.sizes["building"]


def test_the_register_with_new_buildings_is_kept_until_the_register_or_buildings_change():
    register = tiny_register()
    scen = {"a": _model()}
    first = sp.with_new_buildings(register, scen)
    again = sp.with_new_buildings(register, scen)
    assert again is not first  # a copy: a caller's new variables stay its own
    xr.testing.assert_identical(again, first)
    again["extra"] = again["floor_area"] * 0
    assert "extra" not in sp.with_new_buildings(register, scen)
    register["floor_area"] = register["floor_area"] * 2  # a replaced variable
    doubled = sp.with_new_buildings(register, scen)
    n = register.sizes["building"]
    np.testing.assert_array_equal(
        doubled["floor_area"].values[:n], 2 * first["floor_area"].values[:n]
    )
    register.attrs["sources"] = ["other.csv"]
    assert sp.with_new_buildings(register, scen).attrs["sources"] == ["other.csv"]
    later = _model(**{"portfolio.new_buildings": []})
    assert sp.with_new_buildings(register, {"a": later}).sizes["building"] == n


def test_new_buildings_follow_their_project():
    m = _model(**{"finance.projects.snr.open_year": 2023})
    rows = sp.new_building_rows(m)
    assert rows["open_year"].tolist() == [2023, 2023]


def test_disposal_precedence_and_rules_never_postpone():
    reg = tiny_register()  # A Molde, B Kristiansund (planned 2022), C Levanger housing, D Øya
    m = _model(
        **{
            "portfolio.disposals.rules": [
                {"min_grade": 0.0, "year": 2028, "kind": "demolition"},
            ],
            "portfolio.disposals.by_site": {"Levanger": 2026},
            "portfolio.disposals.by_building": {"D": {"year": 2029, "kind": "sale"}},
        }
    )
    plan = sp.disposal_plan(reg, {"s": m})
    assert plan.year[0].tolist() == [2028, 2022, 2026, 2029]
    assert plan.kind[0].tolist() == ["demolition", "demolition", "sale", "sale"]
    assert plan.sale_price[0, 2] == m.portfolio.sale_price_nok_per_m2.value["housing"]


def test_rule_filters_by_use_and_grade():
    reg = tiny_register()
    m = _model(
        **{"portfolio.disposals.rules": [{"use": "somatic", "min_grade": 2.0, "year": 2027}]}
    )
    plan = sp.disposal_plan(reg, {"s": m})
    # A (grade ~2) and B (planned 2022 already) are somatic and poor; D is somatic but good
    assert plan.year[0, 0] == 2027 and plan.year[0, 1] == 2022
    assert np.isnan(plan.year[0, 2]) and np.isnan(plan.year[0, 3])


def test_unknown_site_or_building_is_an_input_error():
    m = _model(
        **{
            "portfolio.disposals.by_site": {"Atlantis": 2026},
            "portfolio.disposals.by_building": {"NOPE": 2026},
        }
    )
    with pytest.raises(InputError) as err:
        sp.disposal_plan(tiny_register(), {"s": m})
    text = str(err.value)
    assert "Atlantis" in text and "NOPE" in text


def test_planned_only_rule_moves_only_planned_disposals():
    reg = tiny_register()
    rule = {"min_grade": 0, "year": 2020, "planned_only": True}
    plan = sp.disposal_plan(reg, {"s": _model(**{"portfolio.disposals.rules": [rule]})})
    assert plan.year[0, 1] == 2020  # B was planned for 2022
    assert np.isnan(plan.year[0, [0, 2, 3]]).all()


def test_disposals_after_a_project_opening_follow_its_year():
    reg = tiny_register()  # A Molde (HMR), B Kristiansund (HMR, planned 2022), C Levanger, D Øya
    tied = {
        "portfolio.disposals.by_site": {"Molde": {"after_opening": "snr", "years_after": 2}},
        "portfolio.disposals.rules": [
            {"site": "Kristiansund", "min_grade": 0, "after_opening": "snr", "years_after": 0}
        ],
    }
    on_time = _model(**tied)
    late = _model(**tied, **{"finance.projects.snr.open_year": 2027})
    plan = sp.disposal_plan(reg, {"on_time": on_time, "late": late})
    assert plan.year[:, 0].tolist() == [2027, 2029]  # SNR opens 2025 or 2027, plus two years
    # a rule only brings a disposal forward: B stays at its planned 2022
    assert plan.year[:, 1].tolist() == [2022, 2022]


@pytest.mark.parametrize(
    ("at", "fragment"),
    [
        ({"after_opening": "snr", "year": 2026}, "exactly one of year and after_opening"),
        ({"years_after": 1}, "exactly one of year and after_opening"),
        ({"after_opening": "nosuch"}, "not in finance.projects"),
        ({"after_opening": "snr", "years_after": -1}, ">= 0"),
    ],
)
def test_disposal_times_are_checked(at, fragment):
    with pytest.raises(InputError) as info:
        _model(**{"portfolio.disposals.by_site": {"Molde": at}})
    assert fragment in str(info.value)
    assert "portfolio.disposals.by_site" in str(info.value)


def test_a_disposal_delay_moves_every_disposal_and_keeps_no_disposal():
    reg = tiny_register()  # B Kristiansund planned 2022, the others never
    rules = [{"site": "Levanger", "min_grade": 0, "year": 2027}]
    on_time = _model(**{"portfolio.disposals.rules": rules})
    late = _model(**{"portfolio.disposals.rules": rules, "portfolio.disposals.delay_years": 2})
    plan = sp.disposal_plan(reg, {"on_time": on_time, "late": late})
    np.testing.assert_array_equal(plan.year[1], plan.year[0] + 2)  # NaN stays NaN
    assert plan.year[1, 1] == 2024 and plan.year[1, 2] == 2029 and np.isnan(plan.year[1, 0])


def test_a_negative_delay_brings_disposals_forward_to_the_plan_year_or_the_opening_at_most():
    """Negative ``delay_years`` (the what-if page's disposal shift, issue 22): every disposal
    comes earlier, but never before the plan year, never before the project a disposal waits
    for opens, and a disposal already in the history years is not moved."""
    reg = tiny_register()  # A Molde, B Kristiansund (planned 2022), C Levanger, D Øya
    base = apply_overrides(BASE, {"model.plan_start": 2024, "model.end_year": 2035})
    plan = {
        "portfolio.disposals.by_site": {
            "Molde": {"after_opening": "snr", "years_after": 1},  # SNR opens 2025: 2026
            "Levanger": 2030,
        },
        "portfolio.disposals.by_building": {"D": 2025},
    }
    on_time = apply_overrides(base, plan)
    for shift, expected in ((-2, [2025, 2022, 2028, 2024]), (-10, [2025, 2022, 2024, 2024]),
                            (3, [2029, 2025, 2033, 2028])):  # fmt: skip
        moved = apply_overrides(on_time, {"portfolio.disposals.delay_years": shift})
        years = sp.disposal_plan(reg, {"a": on_time, "b": moved}).year
        assert years[0].tolist() == [2026, 2022, 2030, 2025]
        assert years[1].tolist() == expected, shift
    with pytest.raises(InputError, match="delay_years"):
        apply_overrides(on_time, {"portfolio.disposals.delay_years": -11})
