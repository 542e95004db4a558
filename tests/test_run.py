"""The bundled scenarios run together: area, grade and each HF's liquidity side by side."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from hmn_bygg.config import load_scenarios
from hmn_bygg.engine.run import hf_budget, model_years, register_for, run_models
from hmn_bygg.finance import ltb
from hmn_bygg.finance.cash_identity import check_cash_identity
from hmn_bygg.stock import plan as scenario_portfolio

FINANCE_VARS = [
    "investment",
    "investment_total",
    "loan_balance",
    "depreciation",
    "fdv_cost",
    "sale_proceeds",
    "operating_result",
    "liquidity",
    "credit_limit",
    "first_year_credit_breach",
    "liquidity_region",
    "disposal_year",
    "area_target_year",
]


@pytest.fixture(scope="module")
def bundled():
    scenarios = load_scenarios()
    register = register_for(scenarios)
    return scenarios, register, run_models(scenarios, register, prices="nominal")


def test_every_bundled_scenario_runs_and_closes(bundled):
    scenarios, _, ds = bundled
    assert list(ds["scenario"].values) == list(scenarios)
    assert {"today", "catch_up", "plan_2018", "faster_disposals", "budget_1_2_by_2035"} <= set(
        scenarios
    )
    assert check_cash_identity(ds) == []
    assert check_cash_identity(ds, suffix="_region") == []
    for name in ("area_region", "vttg_region", "liquidity"):
        assert not bool(ds[name].isnull().any()), name


def test_side_by_side_area_grade_and_liquidity(bundled):
    _, _, ds = bundled
    area = ds["area_region"].sel(year=[2018, 2025, 2026, 2030]).to_pandas()
    # SNR opens 2025 (2023 in plan_2018); Molde and Kristiansund go in 2026 (2024)
    assert area.loc["today", 2025] == pytest.approx(709_719 + 54_500 + 6_750)
    assert area.loc["today", 2030] > 650_000 > area.loc["faster_disposals", 2030]
    assert area.loc["plan_2018", 2025] < area.loc["today", 2025]
    assert float(ds["area_target_year"].sel(scenario="faster_disposals")) <= 2030
    assert np.isnan(float(ds["area_target_year"].sel(scenario="today")))
    vttg = ds["vttg_region"].sel(year=2035)
    assert float(vttg.sel(scenario="catch_up")) < float(vttg.sel(scenario="today"))
    table = ltb.liquidity_summary(ds)
    assert len(table) == ds.sizes["scenario"] * 3
    assert table.loc[("today", "HMR"), "lowest_liquidity"] == pytest.approx(
        float(ds["liquidity"].sel(scenario="today", hf="HMR").min())
    )
    assert table.loc[("today", "HMR"), "loan_balance_2025"] > 0


def test_scenarios_together_equal_alone_for_finance_too(bundled):
    scenarios, register, ds = bundled
    for name in ("plan_2018", "today"):
        alone = run_models({name: scenarios[name]}, register, prices="nominal")
        for var in FINANCE_VARS:
            xr.testing.assert_identical(ds[var].sel(scenario=[name]), alone[var])


def test_new_buildings_do_not_shift_the_budget_split(bundled):
    scenarios, register, _ = bundled
    model = scenarios["catch_up"]
    years = model_years(model)
    extended = scenario_portfolio.with_new_buildings(register, scenarios)
    np.testing.assert_allclose(hf_budget(model, extended, years), hf_budget(model, register, years))


def test_run_models_without_booking(bundled):
    scenarios, register, _ = bundled
    ds = run_models({"today": scenarios["today"]}, register, book=False)
    assert "liquidity" not in ds and "area_region" in ds
    assert "HMR-SNR-HJELSET" in ds["building"].values


def test_run_cli_shows_liquidity_breaches_and_loans(bundled, tmp_path):
    from typer.testing import CliRunner

    from hmn_bygg.cli import app
    from hmn_bygg.report.tables import render_liquidity_lines

    _, _, ds = bundled
    # a credit limit of zero makes every negative year a breach
    tight = ds.copy()
    tight["credit_limit"] = tight["credit_limit"] * 0
    tight["credit_breach"] = tight["liquidity"] < 0
    text = render_liquidity_lines(tight, "today")
    hmr = next(line for line in text.splitlines() if line.strip().startswith("HMR"))
    low = float(ds["liquidity"].sel(scenario="today", hf="HMR").min())
    assert low < 0 and f"{round(low):,}".replace(",", " ").replace("-", "−") in hmr.replace(
        "-", "−"
    )
    neg = ds["liquidity"].sel(scenario="today", hf="HMR") < 0
    years = ds["year"].to_numpy()[neg.to_numpy()].tolist()
    assert years and f"brudd: {years[0]}–" in hmr

    result = CliRunner().invoke(app, ["run", "-s", "today", "--years", "2025"])
    assert result.exit_code == 0, result.output
    assert "Likviditet MNOK" in result.output and "Lånesaldo MNOK" in result.output
    assert "nedre grense" in result.output
