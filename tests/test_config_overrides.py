"""Overrides and scenario files: forms, the 'from' rule, errors, order independence, speed."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hmn_bygg.config import apply_overrides, load_model, load_scenarios, resolve_key, start_from
from hmn_bygg.core.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures" / "config"
BASE = load_model(FIXTURES / "model.yaml")


def override_problems(overrides: dict) -> list:
    with pytest.raises(InputError) as info:
        apply_overrides(BASE, overrides)
    return info.value.problems


def scenario_problems(scenarios: str, names=None) -> list:
    with pytest.raises(InputError) as info:
        load_scenarios(FIXTURES / "model.yaml", FIXTURES / scenarios, names)
    return info.value.problems


def test_bare_value_replaces_value_and_keeps_unit_and_source():
    m = apply_overrides(BASE, {"condition.wear_shape": 2})
    assert m.condition.wear_shape.value == 2.0
    assert m.condition.wear_shape.source == BASE.condition.wear_shape.source
    assert BASE.condition.wear_shape.value == 1.0  # the base is untouched


def test_value_and_source_form():
    m = apply_overrides(BASE, {"condition.wear_shape": {"value": 2, "source": "assumption: x"}})
    assert (m.condition.wear_shape.value, m.condition.wear_shape.source) == (2.0, "assumption: x")


def test_dotted_key_reaches_a_table_entry():
    m = apply_overrides(
        BASE, {"maintenance.budget_mnok.HMR": 80, "condition.part_life_years.3": 40}
    )
    assert dict(m.maintenance.budget_mnok.value) == {
        "HMR": 80,
        "HNT": {2018: 25, 2025: 30},
        "STO": 90,
    }
    assert m.condition.part_life_years.value["3"] == 40


def test_from_keeps_the_old_value_before_the_year():
    m = apply_overrides(BASE, {"maintenance.extra_budget_mnok": {"from": 2027, "value": 210}})
    assert dict(m.maintenance.extra_budget_mnok.value) == {2026: 0, 2027: 210}
    m = apply_overrides(BASE, {"maintenance.budget_mnok.HNT": {"from": 2030, "value": 50}})
    assert dict(m.maintenance.budget_mnok.value["HNT"]) == {2018: 25, 2025: 30, 2030: 50}
    m = apply_overrides(BASE, {"maintenance.budget_mnok.HNT": {"from": 2020, "value": 50}})
    assert dict(m.maintenance.budget_mnok.value["HNT"]) == {2018: 25, 2020: 50}


def test_from_on_a_whole_hf_table_applies_to_every_entry():
    m = apply_overrides(BASE, {"maintenance.budget_mnok": {"from": 2030, "value": 100}})
    value = m.maintenance.budget_mnok.value
    assert dict(value["HMR"]) == {2029: 60, 2030: 100}
    assert dict(value["HNT"]) == {2018: 25, 2025: 30, 2030: 100}


def test_start_from_rule():
    assert start_from(5.0, 2020, 7) == {2019: 5.0, 2020: 7}
    assert start_from({2025: 60, 2030: 70}, 2020, 10) == {2019: 60, 2020: 10}
    assert start_from({2018: 1, 2022: 2, 2030: 3}, 2025, 9) == {2018: 1, 2022: 2, 2025: 9}


def test_setting_override():
    m = apply_overrides(BASE, {"model.end_year": 2050, "model.register": "elsewhere"})
    assert m.model.end_year == 2050
    assert m.model.register_path == "elsewhere"
    assert m.file == BASE.file


def test_scenario_with_no_overrides_is_the_base():
    scenarios = load_scenarios(FIXTURES / "model.yaml", FIXTURES / "scenarios.yaml")
    assert scenarios["base"] == BASE


def test_unknown_key_has_did_you_mean():
    (p,) = override_problems({"maintenance.extra_budget": 1})
    assert p.column == "maintenance.extra_budget"
    assert "did you mean 'maintenance.extra_budget_mnok'?" in str(p.message)
    (p,) = override_problems({"wear_shape": 1})
    assert "did you mean 'condition.wear_shape'?" in str(p.message)


EXTRA, SHAPE = "maintenance.extra_budget_mnok", "condition.wear_shape"


@pytest.mark.parametrize(
    ("overrides", "column", "fragment"),
    [
        ({SHAPE: "fast"}, SHAPE, "wrong type"),
        ({SHAPE: 9}, SHAPE, "out of range"),
        ({"maintenance.policy": "random"}, "maintenance.policy", "allowed values"),
        ({"maintenance.budget_mnok.HMR": -1}, "maintenance.budget_mnok.HMR", "out of range"),
        ({EXTRA: {"from": 2020}}, EXTRA, "'value'"),
        ({EXTRA: {"from": "x", "value": 1}}, EXTRA, "year"),
        ({EXTRA: {"from": 2020, "value": {2030: 1}}}, EXTRA, "single value"),
        ({SHAPE: {"value": 2, "source": " "}}, SHAPE, "source"),
        ({SHAPE: {"from": 2020, "value": 2}}, SHAPE, "by year"),
        ({"model.end_year": {"value": 2050, "source": "x"}}, "model.end_year", "setting"),
        ({"model.end_year": 2000}, "model.end_year", "after start_year"),
        ({"model.end_year": {"uncertainty": None}}, "model.end_year", "setting"),
        ({EXTRA: {"source": "assumption: x"}}, EXTRA, "'uncertainty'"),
        ({EXTRA: {"from": 2020, "uncertainty": None}}, EXTRA, "needs a 'value'"),
        ({SHAPE: {"uncertainty": "big"}}, SHAPE, "distribution or null"),
        ({SHAPE: {"uncertainty": {"dist": "lognormal", "sigma": 0.1}}}, SHAPE, "source"),
        (
            {SHAPE: {"uncertainty": {"dist": "lognormal", "sigma": -1, "source": "a"}}},
            SHAPE,
            ">= 0",
        ),
        (
            {"maintenance.budget_mnok.HMR": {"uncertainty": None}},
            "maintenance.budget_mnok.HMR",
            "whole parameter",
        ),
    ],
)
def test_override_errors(overrides, column, fragment):
    (p,) = override_problems(overrides)
    assert p.column == column
    assert fragment in str(p)


LOGNORMAL = {"dist": "lognormal", "sigma": 0.2, "source": "assumption: test spread"}


def test_uncertainty_form_declares_keeps_or_removes_a_spread():
    declared = apply_overrides(BASE, {SHAPE: {"uncertainty": LOGNORMAL}})
    leaf = declared.condition.wear_shape
    assert leaf.value == BASE.condition.wear_shape.value  # the value stays
    assert leaf.uncertainty.dist == "lognormal" and leaf.uncertainty.sigma == 0.2
    both = apply_overrides(BASE, {SHAPE: {"value": 1.5, "source": "x", "uncertainty": LOGNORMAL}})
    assert (both.condition.wear_shape.value, both.condition.wear_shape.source) == (1.5, "x")
    assert both.condition.wear_shape.uncertainty == leaf.uncertainty
    # a bare value keeps the declared spread; null removes it
    kept = apply_overrides(declared, {SHAPE: 1.5})
    assert kept.condition.wear_shape.uncertainty == leaf.uncertainty
    assert (
        apply_overrides(declared, {SHAPE: {"uncertainty": None}}).condition.wear_shape.uncertainty
        is None
    )


def test_overlapping_keys_in_one_set_of_overrides():
    (p,) = override_problems({"maintenance.budget_mnok": {"HMR": 1, "HNT": 2, "STO": 3},
                              "maintenance.budget_mnok.HMR": 4})  # fmt: skip
    assert "overlaps" in str(p.message)


def test_scenario_unknown_override_key():
    (p,) = scenario_problems("scenarios_unknown_key.yaml")
    assert p.file.endswith("scenarios_unknown_key.yaml")
    assert (p.column, p.row) == ("maintenance.extra_budget", 3)
    assert "override 'typo'" in str(p.message)
    assert "did you mean 'maintenance.extra_budget_mnok'?" in str(p.message)


def test_scenario_conflicts_name_both_overrides_and_the_key():
    same, overlap = scenario_problems("scenarios_conflict.yaml")
    assert "'more_hmr' and 'less_hmr'" in str(same.message)
    assert same.column == "maintenance.budget_mnok.HMR"
    assert "scenario 'same_key'" in str(same.message)
    assert "'all_hf' and 'more_hmr'" in str(overlap.message)


def test_scenario_names_unknown_override():
    (p,) = scenario_problems("scenarios_unknown_override.yaml")
    assert "unknown override 'catchup'" in str(p.message)
    assert "did you mean 'catch_up'?" in str(p.message)
    assert p.row == 5


def test_unknown_scenario_asked_for():
    (p,) = scenario_problems("scenarios.yaml", names=["catchup"])
    assert "no scenario named 'catchup'" in str(p.message)
    assert "did you mean 'catch_up'?" in str(p.message)


def test_bad_override_values_are_all_reported_with_lines():
    problems = scenario_problems("scenarios_bad_values.yaml")
    assert [(p.row, p.column) for p in problems] == [
        (3, "maintenance.extra_budget_mnok"),
        (5, "condition.wear_shape"),
        (7, "condition.wear_shape"),
        (9, "condition.part_life_years.2"),
    ]
    assert "override 'negative'" in str(problems[0].message)
    assert "out of range" in str(problems[0].message)
    assert "source" in str(problems[2].message)


def test_scenario_file_syntax_error_and_missing_file():
    (p,) = scenario_problems("scenarios_syntax.yaml")
    assert "YAML syntax error" in str(p.message) and p.row == 4
    (p,) = scenario_problems("no_such_scenarios.yaml")
    assert str(p.message) == "file not found"


POOL = {
    "condition.wear_shape": st.floats(0.3, 5.0),
    "condition.wear_model": st.sampled_from(["deterministic", "markov"]),
    "condition.part_life_years.3": st.floats(1, 100),
    "condition.markov_seed": st.integers(0, 10_000),
    "upgrade_cost.must_nok_per_m2.2": st.floats(0, 10_000),
    "maintenance.budget_mnok.HMR": st.floats(0, 500),
    "maintenance.budget_mnok.STO": st.fixed_dictionaries(
        {"from": st.integers(2027, 2060), "value": st.floats(0, 500)}
    ),
    "maintenance.extra_budget_mnok": st.fixed_dictionaries(
        {"from": st.integers(2027, 2060), "value": st.floats(0, 500), "source": st.just("a")}
    ),
    "maintenance.policy": st.sampled_from(["worst_first", "best_value"]),
    "maintenance.result_grade": st.fixed_dictionaries(
        {"value": st.floats(0, 1), "source": st.text(min_size=1).map(lambda s: f"assumption: {s}")}
    ),
    "model.end_year": st.integers(2030, 2100),
}


@st.composite
def override_sets(draw):
    keys = draw(st.lists(st.sampled_from(sorted(POOL)), unique=True))
    overrides = {k: draw(POOL[k]) for k in keys}
    order = draw(st.permutations(keys))
    return overrides, order


@settings(max_examples=60, deadline=None)
@given(override_sets())
def test_non_conflicting_overrides_commute(case):
    overrides, order = case
    together = apply_overrides(BASE, overrides)
    reordered = apply_overrides(BASE, {k: overrides[k] for k in order})
    one_by_one = BASE
    for key in order:
        one_by_one = apply_overrides(one_by_one, {key: overrides[key]})
    assert together == reordered == one_by_one
    for key in overrides:
        assert resolve_key(together, key) == resolve_key(one_by_one, key)


@pytest.mark.parametrize("value", [float("inf"), float("nan"), 1e300, -1e15])
def test_overrides_refuse_numbers_that_are_not_finite_or_absurd(value):
    from hmn_bygg.config import load_scenarios

    model = load_scenarios(None, None, ["today"])["today"]
    with pytest.raises(InputError) as caught:
        apply_overrides(model, {"finance.credit_limit_mnok.HMR": value})
    (problem,) = caught.value.problems
    assert problem.column == "finance.credit_limit_mnok.HMR"
    assert str(problem.message) in ("not a finite number", "number too large")
