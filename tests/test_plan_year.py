"""The plan year (issue 16 item 1): history before it, decisions from it."""

from __future__ import annotations

import numpy as np
import pytest

from hmn_bygg.config import apply_overrides, load_model, load_scenarios
from hmn_bygg.core.errors import InputError
from hmn_bygg.engine.run import run_models
from hmn_bygg.finance.investment_room import capacity
from hmn_bygg.solve.budget import solve_budget
from tests.conftest import tiny_register


def test_bundled_model_plans_from_2027_and_keeps_the_survey_year():
    model = load_model()
    assert model.model.start_year == 2018
    assert model.model.first_plan_year == 2027


def test_an_override_from_before_the_plan_year_is_refused_with_its_key():
    with pytest.raises(InputError) as err:
        apply_overrides(load_model(), {"maintenance.extra_budget_mnok": {"from": 2020, "value": 9}})
    text = str(err.value)
    assert "maintenance.extra_budget_mnok" in text and "plan year" in text
    assert "from: 2027 or later" in text and "from: 2020" in text


def test_a_scenario_file_with_an_early_decision_names_file_and_line(tmp_path, monkeypatch):
    monkeypatch.setenv("HMN_BYGG_DATA_ROOTS", str(load_model().register_paths()[0].parent))
    src = (load_model().file.parent / "hmn.yaml").read_text(encoding="utf-8")
    (tmp_path / "hmn.yaml").write_text(
        src.replace("../data/building_register", str(load_model().register_paths()[0])),
        encoding="utf-8",
    )
    (tmp_path / "scenarios.yaml").write_text(
        "overrides:\n  early:\n    maintenance.extra_budget_mnok: {from: 2021, value: 50}\n"
        "scenarios:\n  s: [early]\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        load_scenarios(tmp_path / "hmn.yaml")
    text = str(err.value)
    assert "scenarios.yaml, row 3" in text and "plan year" in text


def test_a_disposal_chosen_before_the_plan_year_is_refused():
    with pytest.raises(InputError, match="before the plan year"):
        apply_overrides(load_model(), {"portfolio.disposals.by_site": {"Brøset": 2024}})


def test_plan_start_option_checks_the_scenarios_against_the_new_year():
    assert load_scenarios(None, None, ["today"], plan_start=2025)["today"].model.plan_start == 2025
    with pytest.raises(InputError, match="from: 2030 or later"):  # the whole file is checked
        load_scenarios(None, None, ["today"], plan_start=2030)


def test_solver_refuses_a_start_before_the_plan_year_without_running():
    model = load_scenarios(None, None, ["today"])["today"]
    with pytest.raises(InputError) as err:
        solve_budget(model, target=1.2, by=2035, from_year=2020)
    assert "--from" in str(err.value) and "2027" in str(err.value)


def test_solve_cli_refuses_2020_with_a_message_not_a_traceback():
    from tests.test_cli_errors import invoke

    text = invoke(["solve", "budget", "--target", "1.2", "--from", "2020", "--lang", "en"])
    assert "plan year 2027" in text and "--from" in text


def test_results_mark_history_and_room_only_in_plan_years():
    base = apply_overrides(load_model(), {"model.end_year": 2032, "model.plan_start": 2025})
    ds = run_models({"s": base}, tiny_register())
    history = ds["history"].to_series()
    assert history[history].index.max() == 2024 and not history[2025]
    assert ds.attrs["plan_start"] == 2025 and "simulated" in ds.attrs["condition_basis"]
    room = ds["investment_room"].sel(scenario="s")
    assert np.isnan(room.sel(year=2024)).all() and (room.sel(year=slice(2025, None)) >= 0).all()
    with pytest.raises(InputError, match="plan year"):
        capacity(ds, base, scenario="s", hf="STO", year=2022)


EXTRA, BUDGET = "maintenance.extra_budget_mnok", "maintenance.budget_mnok"
ORDINARY, MEDTECH = "finance.ordinary_investment_mnok", "finance.medtech_reinvestment_mnok"


@pytest.mark.parametrize(
    ("override", "named", "year"),
    [
        ({EXTRA: {2018: 0, 2020: 50}}, EXTRA, 2020),
        ({EXTRA: 50}, EXTRA, 2019),  # maintenance acts from the year after the survey
        ({f"{BUDGET}.HNT": {2018: 40, 2024: 60}}, f"{BUDGET}.HNT", 2024),
        ({f"{ORDINARY}.STO": 300}, f"{ORDINARY}.STO", 2018),
        ({MEDTECH: {"value": {"HMR": 90, "HNT": 45, "STO": 170}, "price_year": 2024}},
         f"{MEDTECH}.HMR", 2018),  # the same numbers in other kroner change history too
    ],
)  # fmt: skip
def test_a_decision_item_changed_in_a_history_year_is_refused(override, named, year):
    with pytest.raises(InputError) as err:
        apply_overrides(load_model(), override)
    text = str(err.value)
    assert f"{named}.{year}: a decision may not change a year before the plan year 2027" in text
    assert "actuals" in text


@pytest.mark.parametrize(
    "override",
    [
        {"maintenance.extra_budget_mnok": {2018: 0, 2027: 210}},  # a year path from the plan year
        {"finance.ordinary_investment_mnok.STO": {"from": 2027, "value": 300}},
        {"maintenance.budget_mnok": {"from": 2030, "value": {"HMR": 1, "HNT": 2, "STO": 3}}},
        {"finance.credit_limit_mnok.HMR": 900},  # not a decision item: any year
        {"finance.projects.snr.spend_profile": {2019: 0.5, 2020: 0.5}},  # projects: the record
    ],
)
def test_decisions_from_the_plan_year_and_other_items_pass(override):
    apply_overrides(load_model(), override)


def test_a_user_disposal_of_a_building_before_the_plan_year_is_refused():
    model = load_model()
    with pytest.raises(InputError) as err:
        apply_overrides(model, {"portfolio.disposals.by_building": {"HMR-001": 2025}})
    assert "portfolio.disposals.by_building" in str(err.value) and "2027 or later" in str(err.value)
    apply_overrides(model, {"portfolio.disposals.by_building": {"HMR-001": 2027}})


def test_a_scenario_year_path_before_the_plan_year_names_file_and_line(tmp_path, monkeypatch):
    monkeypatch.setenv("HMN_BYGG_DATA_ROOTS", str(load_model().register_paths()[0].parent))
    src = (load_model().file.parent / "hmn.yaml").read_text(encoding="utf-8")
    (tmp_path / "hmn.yaml").write_text(
        src.replace("../data/building_register", str(load_model().register_paths()[0])),
        encoding="utf-8",
    )
    (tmp_path / "scenarios.yaml").write_text(
        "overrides:\n  early:\n    finance.ordinary_investment_mnok.HNT: {2018: 95, 2022: 150}\n"
        "scenarios:\n  s: [early]\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        load_scenarios(tmp_path / "hmn.yaml")
    text = str(err.value)
    assert "scenarios.yaml, row 3" in text and "finance.ordinary_investment_mnok.HNT.2022" in text


def test_a_workbook_cell_of_a_decision_in_a_history_year_is_named(tmp_path):
    from openpyxl import load_workbook

    from hmn_bygg.excel import overrides_from_workbook, write_template

    model = load_model()
    wb = load_workbook(write_template(model, tmp_path / "ltb.xlsx"))
    ws = wb["Vedlikehold"]
    r = next(r for r in range(2, ws.max_row + 1)
             if ws.cell(r, 1).value == "maintenance.extra_budget_mnok")  # fmt: skip
    c = next(c.column for c in ws[1] if c.value == 2021)
    ws.cell(r, c, value=75)
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    with pytest.raises(InputError) as err:
        overrides_from_workbook(bad, model)
    (problem,) = err.value.problems
    assert problem.column == f"Vedlikehold!{ws.cell(r, c).coordinate}" and problem.row == r
    assert "plan year 2027" in str(problem.message) and problem.found.startswith("2021: 75")
