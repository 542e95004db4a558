"""What-ifs kept as scenarios: the user scenarios file, the dashboard's 'Lagre som scenario'
and ``run --ltb --save-scenario`` (issue 22 item 5)."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from cli_invoke import invoke

from hmn_bygg.config import load_scenarios
from hmn_bygg.config.user_scenarios import USER_SCENARIOS_ENV, save_scenario, whatif_overrides
from hmn_bygg.core.errors import InputError
from hmn_bygg.core.paths import models_dir
from hmn_bygg.engine.run import run_models


@pytest.fixture
def user_file(tmp_path, monkeypatch):
    path = tmp_path / "mine" / "scenarios.yaml"
    monkeypatch.setenv(USER_SCENARIOS_ENV, str(path))
    return path


def test_saved_scenario_runs_with_the_bundled_ones_and_names_its_source(user_file):
    changes = {"finance.projects.snr.cost_mnok": 6000.0, "maintenance.policy": "best_value"}
    save_scenario("dyrere_snr", whatif_overrides("catch_up", changes), source="test: a what-if")
    scenarios = load_scenarios(None, user_file)
    assert {"today", "catch_up", "plan_2018", "dyrere_snr"} <= set(scenarios)
    kept = scenarios["dyrere_snr"]
    assert kept.finance.projects.snr.cost_mnok.value == 6000.0
    assert kept.finance.projects.snr.cost_mnok.source == "test: a what-if"
    # catch_up's own extra budget stays under the what-if
    assert (
        kept.maintenance.extra_budget_mnok.value
        == scenarios["catch_up"].maintenance.extra_budget_mnok.value
    )


def test_names_are_never_overwritten_bad_scenarios_and_bundled_folder_refused(user_file):
    save_scenario("a", {"finance.state_loan.rate": 0.03}, source="test")
    before = user_file.read_bytes()
    with pytest.raises(InputError, match="never overwritten"):
        save_scenario("a", {"finance.state_loan.rate": 0.05}, source="test")
    with pytest.raises(InputError, match="out of range"):
        save_scenario("b", {"finance.projects.snr.cost_mnok": -5}, source="test")
    with pytest.raises(InputError, match="not a scenario name"):
        save_scenario("../x", {}, source="test")
    assert user_file.read_bytes() == before
    with pytest.raises(InputError, match="bundled models folder"):
        save_scenario("c", {}, source="test", target=models_dir() / "mine.yaml")
    assert not (models_dir() / "mine.yaml").exists()


def test_concurrent_saves_keep_every_scenario(user_file):
    errors: list[Exception] = []

    def save(i: int) -> None:
        try:
            save_scenario(f"s{i}", {"finance.state_loan.rate": 0.01 * (i + 1)}, source="test")
        except Exception as err:
            errors.append(err)

    threads = [threading.Thread(target=save, args=(i,)) for i in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors
    assert {f"s{i}" for i in range(4)} <= set(load_scenarios(None, user_file))


def test_dashboard_save_gives_the_figures_the_page_showed(user_file):
    from hmn_bygg.dashboard.pages.whatif import WhatIfPage
    from hmn_bygg.dashboard.state import SessionState

    state = SessionState()
    state.scenario = "catch_up"
    page = WhatIfPage(state)
    page.build()
    page.extra.value = 150
    page.sliders["snr_cost"].value = 6500
    shown = state.run_whatif(page.overrides())
    page.keep.name.value = "mitt_scenario"
    assert page.keep.save() == user_file, page.keep.message.object
    assert "mitt_scenario" in page.keep.message.object
    scenarios = load_scenarios(None, user_file, ["mitt_scenario"])
    ran = run_models(scenarios).sel(scenario="mitt_scenario")
    for var in ("vttg_region", "upgrade_need_region", "liquidity_region"):
        np.testing.assert_allclose(ran[var].values, shown[var].squeeze().values, rtol=1e-9)
    # the disposal-shift slider is kept as portfolio.disposals.delay_years (issue 22)
    page.shift.value = 2
    moved = state.run_whatif(page.overrides())
    assert not np.allclose(moved["area_region"].values, shown["area_region"].values)
    page.keep.name.value = "med_flytting"
    assert page.keep.save() == user_file, page.keep.message.object
    kept = load_scenarios(None, user_file, ["med_flytting"])
    assert kept["med_flytting"].portfolio.disposals.delay_years.value == 2
    ran = run_models(kept).sel(scenario="med_flytting")
    for var in ("vttg_region", "area_region", "upgrade_need_region", "liquidity_region"):
        np.testing.assert_allclose(ran[var].values, moved[var].squeeze().values, rtol=1e-9)


def test_run_ltb_save_scenario_keeps_the_workbook(user_file, tmp_path):
    ltb = tmp_path / "ltb.xlsx"
    code, out = invoke(["template", "--xlsx", str(ltb)])
    assert code == 0, out
    code, out = invoke(["run", "--ltb", str(ltb), "--save-scenario", "fra_ltb", "-s", "today",
                        "--quiet", "--years", "2030"])  # fmt: skip
    assert code == 0, out
    assert "fra_ltb" in load_scenarios(None, user_file)
    code, out = invoke(["run", "--save-scenario", "x", "--quiet"])
    assert code != 0 and "--ltb" in out


def test_a_dashboard_on_the_user_file_compares_the_saved_scenario(user_file):
    from hmn_bygg.dashboard.state import SessionState

    save_scenario("rente_3", {"finance.state_loan.rate": 0.03}, source="test: a what-if")
    state = SessionState(scenarios_path=str(user_file))
    assert "rente_3" in state.scenario_names and "today" in state.scenario_names
    assert "rente_3" in [str(s) for s in state.results["scenario"].to_numpy()]
    # the comparison page draws every scenario of state.results; the saved one is run
    ran = run_models(load_scenarios(None, user_file, ["rente_3"])).sel(scenario="rente_3")
    shown = state.results.sel(scenario="rente_3")
    np.testing.assert_allclose(shown["liquidity_region"], ran["liquidity_region"], rtol=1e-9)


# Bokeh's ColumnDataSource.from_df (the comparison's table) calls reset_index(inplace=True)
@pytest.mark.filterwarnings(
    "ignore:The inplace keyword in DataFrame.reset_index:pandas.errors.Pandas4Warning"
)
def test_an_open_session_takes_a_saved_scenario_in_without_redrawing_its_pages(user_file):
    """Issue 22: a scenario saved while a session is open joins its comparison and its
    sidebar list at once (no reload), with the figures a run of it gives; the what-if page
    keeps its settings."""
    from hmn_bygg.dashboard.app import PAGE_KEYS, Dashboard
    from hmn_bygg.dashboard.pages import scenarios as page
    from hmn_bygg.dashboard.saved_watch import SavedWatch
    from hmn_bygg.dashboard.state import SessionState

    state = SessionState()
    dash = Dashboard(state)
    dash.tabs.active = PAGE_KEYS.index("whatif")  # the page a new baseline would redraw
    dash.whatif.extra.value = 70
    comparison = page.build(state)
    choice = comparison[1]
    watch = SavedWatch(state)
    watch.check()  # nothing saved yet: nothing changes
    assert state.saved == 0
    save_scenario("rente_4", {"finance.state_loan.rate": 0.04}, source="test: a what-if")
    watch.check()  # outside a served session the load runs at once
    assert state.saved == 1 and "rente_4" in state.scenario_names
    assert "rente_4" in choice.options.values() and "rente_4" in dash.scenario.options.values()
    assert dash.whatif.extra.value == 70  # the what-if page was not drawn again
    choice.value = ["today", "rente_4"]
    (vttg,) = [
        m
        for m in comparison.get_root().references()
        if m.name == "scenarios-src-vttg_region-rente_4"
    ]
    ran = run_models(load_scenarios(None, user_file, ["rente_4"])).sel(scenario="rente_4")
    np.testing.assert_allclose(vttg.data["y"], ran["vttg_region"].values, rtol=1e-9)
    shown = state.results.sel(scenario="rente_4")
    np.testing.assert_allclose(shown["liquidity_region"], ran["liquidity_region"], rtol=1e-9)
    watch.check()  # the same file again: nothing to do
    assert state.saved == 1


@pytest.mark.filterwarnings(
    "ignore:The inplace keyword in DataFrame.reset_index:pandas.errors.Pandas4Warning"
)
def test_a_user_file_edited_into_an_error_leaves_the_saved_scenarios_out_and_says_so(user_file):
    from hmn_bygg.dashboard.pages import scenarios as page
    from hmn_bygg.dashboard.state import SessionState

    save_scenario("rente_5", {"finance.state_loan.rate": 0.05}, source="test: a what-if")
    text = user_file.read_text(encoding="utf-8").replace("value: 0.05", "value: -0.05")
    user_file.write_text(text, encoding="utf-8")  # edited by hand: out of range
    state = SessionState()
    assert "rente_5" not in state.scenario_names and "today" in state.scenario_names
    assert state.saved_error is not None and "rente_5" in str(state.saved_error)
    warning = page.build(state)[0]
    assert warning.visible and "ble ikke lest" in warning.object
    assert state.saved_error.render("nb") in warning.object  # the error in the page's language
