"""The validation table and the plan-vs-outcome view (issue 16 items 2 and 8)."""

from __future__ import annotations

import numpy as np
import pytest

from hmn_bygg.config import load_scenarios
from hmn_bygg.core.errors import InputError
from hmn_bygg.engine.run import run_models
from hmn_bygg.finance.actuals import Actuals, load_actuals
from hmn_bygg.report.validation import plan_vs_outcome, validation_table


@pytest.fixture(scope="module")
def bundled():
    scenarios = load_scenarios(None, None, ["today", "plan_2018"])
    return scenarios, run_models(scenarios, prices="nominal")


def test_history_years_are_within_the_stated_tolerance(bundled):
    scenarios, ds = bundled
    table = validation_table(ds, scenarios["today"])
    checked = table[table["check"] & table["history"]]
    assert len(checked) >= 15
    outside = checked[checked["within"] != True]  # noqa: E712
    assert outside.empty, outside[["id", "public", "model", "tolerance"]].to_string()


def test_record_figures_named_by_the_issue_hold(bundled):
    _, ds = bundled
    today = ds.sel(scenario="today")
    # Helseplattformen draws a state loan
    hp = today["loan_drawdown_by_project"].sel(project="helseplattformen").sum()
    assert float(hp) > 0.6 * 3485
    # SNR's spending by the end of 2020 is near the record (about 600 MNOK)
    spent = today["investment"].sel(project="snr", year=slice(None, 2020)).sum()
    assert float(spent) == pytest.approx(600, rel=0.05)
    # HMR's own equity in SNR is not a grant: HMR gets no support, and what the loan does not
    # cover of SNR comes out of HMR's cash
    assert float(today["hf_support"].sel(hf="HMR").sum()) == 0.0
    own = (
        today["investment"].sel(project="snr", hf="HMR").sum()
        - today["loan_drawdown_by_project"].sel(project="snr", hf="HMR").sum()
    )
    assert float(own) > 1000


LOW, HIGH = -1550.0, 5250.0  # MNOK in 2018 kroner: docs/model.md "A plausible band"


def test_regional_liquidity_after_2030_stays_in_the_band():
    scenarios = load_scenarios()
    ds = run_models(scenarios, prices="real:2018")
    liq = ds["liquidity_region"].sel(year=slice(2031, None))
    assert float(liq.min()) >= LOW and float(liq.max()) <= HIGH, liq.max("year").to_series()


def test_plan_vs_outcome_names_snr_and_helseplattformen(bundled):
    scenarios, ds = bundled
    table = plan_vs_outcome(ds, scenarios["plan_2018"], scenarios["today"]).set_index("item")
    assert table.loc["SNR: åpningsår", "difference"] == 2
    assert table.loc["Helseplattformen: driftskostnad", "outcome"] == 800


def test_actuals_errors_name_file_line_and_key(tmp_path):
    path = tmp_path / "actuals.yaml"
    path.write_text(
        "rows:\n  - {id: a, what: operating_result, hf: HMR, year: 2019, value: 1,\n"
        "     unit: MNOK, kind: actual, source: abc}\n"
        "  - {id: b, what: open_year, hf: XYZ, year: 2019, value: 1, unit: year,\n"
        "     kind: actual, source: abc, project: snr}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        load_actuals(path)
    text = str(err.value)
    assert "row 2" in text and "price_year" in text
    assert "rows.1.hf" in text and "XYZ" in text


def test_no_actuals_means_every_history_year_is_simulated():
    assert Actuals().rows == ()
    scenarios = load_scenarios(None, None, ["today"])
    ds = run_models(scenarios)
    assert bool(ds["actual_result"].sel(year=2020, hf="HMR").item())
    assert not bool(ds["actual_result"].sel(year=2030).any())
    assert np.isnan(ds["investment_room"].sel(year=2026)).all()


def test_dashboard_panel_shows_room_validation_and_plan():
    from hmn_bygg.dashboard.record import record_panel
    from hmn_bygg.dashboard.state import SessionState

    panel = record_panel(SessionState())
    assert panel is not None and len(panel) == 8
