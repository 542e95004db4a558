"""Price basis (issue 16 item 3): price years, the index, nominal and real kroner."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from hmn_bygg.config import apply_overrides, load_model
from hmn_bygg.core.errors import InputError
from hmn_bygg.engine.run import run_models
from hmn_bygg.finance.price_basis import (
    apply_price_basis,
    factor,
    flat_index,
    load_price_index,
    parse_basis,
)
from tests.conftest import tiny_register

INDEX = load_price_index()
MONEY = (
    "liquidity",
    "operating_result",
    "investment_total",
    "loan_balance",
    "maintenance_spend",
    "credit_limit",
    "liquidity_opening",
    "liquidity_headroom",
    "investment_room",
    "liquidity_revaluation",
    "credit_limit_region",
    "liquidity_region",
)


@settings(max_examples=60, deadline=None)
@given(
    series=st.sampled_from(["construction", "deflator"]),
    p=st.integers(2015, 2045),
    q=st.integers(2015, 2045),
    amount=st.floats(-1e4, 1e4, allow_nan=False),
)
def test_converting_there_and_back_is_the_identity(series, p, q, amount):
    years = np.array([q])
    there = amount * factor(INDEX, series, p, years)[0]
    back = there * factor(INDEX, series, q, np.array([p]))[0]
    assert back == pytest.approx(amount, rel=1e-12, abs=1e-9)


def test_showing_results_real_and_back_is_the_identity():
    years = np.arange(2018, 2031)
    ds = xr.Dataset({"liquidity": ("year", np.linspace(-50, 900, years.size))}, {"year": years})
    ds["liquidity"].attrs["units"] = "MNOK"
    real = apply_price_basis(ds, "real:2026", INDEX)
    d = INDEX.values("deflator", years)
    back = real["liquidity"] * d / INDEX.values("deflator", np.array([2026]))[0]
    np.testing.assert_allclose(back, ds["liquidity"], rtol=1e-12)
    assert real.attrs["price_basis"] == "faste 2026-kroner (real:2026)"
    assert real["liquidity"].sel(year=2026) == pytest.approx(float(ds["liquidity"].sel(year=2026)))


def _run(index: str, prices: str) -> xr.Dataset:
    model = apply_overrides(
        load_model(),
        {"model.end_year": 2030, "model.price_index": index, "model.price_basis": prices},
    )
    return run_models({"s": model}, tiny_register())


def test_zero_inflation_gives_the_same_results_in_every_basis(tmp_path):
    flat = tmp_path / "flat.yaml"
    import yaml

    flat.write_text(yaml.safe_dump(flat_index(2000, 2100).model_dump()), encoding="utf-8")
    none = _run("none", "nominal")
    for prices in ("nominal", "real:2026"):
        other = _run(str(flat), prices)
        for name in MONEY:
            np.testing.assert_array_equal(other[name].to_numpy(), none[name].to_numpy())
        assert not other["liquidity_revaluation"].any()


def test_inflation_raises_nominal_money_and_real_2026_equals_nominal_in_2026():
    nominal, real = _run("price_index.yaml", "nominal"), _run("price_index.yaml", "real:2026")
    assert nominal.attrs["price_basis"].startswith("løpende")
    a = nominal["maintenance_spend"].sel(year=2026)
    np.testing.assert_allclose(a, real["maintenance_spend"].sel(year=2026))
    later = nominal["maintenance_spend"].sel(year=2030).sum()
    assert float(later) > float(real["maintenance_spend"].sel(year=2030).sum())


def test_unknown_basis_is_refused():
    with pytest.raises(InputError, match="nominal or real:YYYY"):
        parse_basis("real2026")


def test_a_money_parameter_without_price_year_is_refused(tmp_path, monkeypatch):
    from tests.test_cli_errors import invoke

    model = load_model()
    monkeypatch.setenv("HMN_BYGG_DATA_ROOTS", str(model.register_paths()[0].parent))
    text = model.file.read_text(encoding="utf-8")
    text = text.replace("../data/building_register", str(model.register_paths()[0]))
    text = text.replace("    unit: MNOK/year\n    price_year: 2018\n", "    unit: MNOK/year\n", 1)
    path = tmp_path / "hmn.yaml"
    path.write_text(text, encoding="utf-8")
    (tmp_path / "scenarios.yaml").write_text("overrides: {}\nscenarios: {s: []}\n", "utf-8")
    out = invoke(["config", "check", str(path), "--lang", "en"])
    assert "needs its price_year" in out and "maintenance.budget_mnok" in out and "row" in out


def test_every_money_parameter_in_models_states_its_price_year():
    import yaml

    from hmn_bygg.config.units import is_money_unit
    from hmn_bygg.core.paths import models_dir

    found: list[tuple[str, object]] = []

    def walk(node, path):
        if isinstance(node, dict):
            if "unit" in node and "value" in node and is_money_unit(str(node["unit"])):
                found.append((path, node.get("price_year")))
            for key, value in node.items():
                walk(value, f"{path}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{path}[{i}]")

    walk(yaml.safe_load((models_dir() / "hmn.yaml").read_text(encoding="utf-8")), "hmn")
    assert len(found) > 25
    assert [p for p, year in found if year is None] == []


def test_the_dashboard_switch_reprices_and_back():
    from hmn_bygg.finance.price_basis import reprice

    real = _run("price_index.yaml", "real:2026")
    nominal = reprice(real, "nominal", INDEX)
    direct = _run("price_index.yaml", "nominal")
    np.testing.assert_allclose(nominal["liquidity"], direct["liquidity"], rtol=1e-12)
    back = reprice(nominal, "real:2026", INDEX)
    np.testing.assert_allclose(back["liquidity"], real["liquidity"], rtol=1e-12)
    assert back.attrs["price_basis"] == real.attrs["price_basis"]


@pytest.fixture(scope="module")
def both_views() -> tuple[xr.Dataset, xr.Dataset]:
    return _run("price_index.yaml", "nominal"), _run("price_index.yaml", "real:2026")


def test_real_view_shows_the_credit_line_in_the_same_kroner_as_liquidity(both_views):
    nominal, real = both_views
    assert "year" in real["credit_limit"].dims
    line = nominal["credit_limit"]
    assert float(abs(line - line.isel(year=0)).max()) == 0  # a fixed nominal line ...
    assert float(real["credit_limit"].sel(year=2030).max()) < float(line.sel(year=2030).max())
    for name in ("liquidity", "liquidity_headroom", "investment_room"):  # ... beside liquidity
        a = nominal[name] / nominal["credit_limit"]
        b = real[name] / real["credit_limit"]
        np.testing.assert_allclose(b.to_numpy(), a.to_numpy(), rtol=1e-12, err_msg=name)
    np.testing.assert_array_equal(real["credit_breach"], nominal["credit_breach"])


def test_real_view_keeps_the_cash_identity_with_the_price_change_on_liquidity(both_views):
    from hmn_bygg.finance.cash_identity import check_cash_identity

    nominal, real = both_views
    assert check_cash_identity(real) == [] and check_cash_identity(real, suffix="_region") == []
    opening = real["liquidity_opening"].isel(year=slice(1, None)).to_numpy()
    np.testing.assert_array_equal(opening, real["liquidity"].isel(year=slice(None, -1)).to_numpy())
    assert not nominal["liquidity_revaluation"].any()
    # prices rise: positive liquidity loses real value during a year
    positive = real["liquidity_opening"].sel(year=slice(2020, None)) > 1
    assert bool((real["liquidity_revaluation"].where(positive) < 0).sum() > 0)
    assert bool((real["liquidity_revaluation"].where(positive) <= 0).where(positive, True).all())


def test_a_planted_deflation_error_breaks_the_real_identity(both_views):
    from hmn_bygg.finance.cash_identity import check_cash_identity

    _, real = both_views
    wrong = real.copy()
    wrong["liquidity_revaluation"] = real["liquidity_revaluation"] * 0.5
    assert any(m.startswith("liquidity ") for m in check_cash_identity(wrong))


def test_record_views_follow_the_price_basis():
    from hmn_bygg.config import load_scenarios
    from hmn_bygg.report.validation import plan_vs_outcome, validation_table

    scenarios = load_scenarios(None, None, ["today", "plan_2018"])
    ds = run_models(scenarios, prices="nominal")
    real_ds = run_models(scenarios, prices="real:2026")
    nominal = validation_table(ds, scenarios["today"])
    real = validation_table(ds, scenarios["today"], prices="real:2026")
    money = nominal["unit"].str.startswith("MNOK")
    ratio = real.loc[money, "public"] / nominal.loc[money, "public"]
    d = INDEX.values("deflator", np.array([*nominal.loc[money, "year"], 2026]))
    np.testing.assert_allclose(ratio, d[-1] / d[:-1], rtol=1e-12)
    np.testing.assert_allclose(real.loc[~money, "public"], nominal.loc[~money, "public"])
    assert list(real["within"]) == list(nominal["within"])
    pvo = plan_vs_outcome(ds, scenarios["plan_2018"], scenarios["today"], prices="real:2026")
    row = pvo.set_index("key").loc["liquidity_2030"]
    shown = real_ds["liquidity_region"].sel(year=2030)
    assert row["outcome"] == pytest.approx(float(shown.sel(scenario="today")), rel=1e-12)
    assert row["plan"] == pytest.approx(float(shown.sel(scenario="plan_2018")), rel=1e-12)
    assert "2026" in row["unit"]


def test_capacity_in_fixed_prices_is_the_investment_room_of_that_view(both_views):
    from hmn_bygg.finance.investment_room import capacity

    model = apply_overrides(
        load_model(),
        {"model.end_year": 2030, "model.price_index": "price_index.yaml"},
    )
    for ds in both_views:
        room = float(ds["investment_room"].sel(scenario="s", hf="STO", year=2028))
        got = capacity(ds, model, scenario="s", hf="STO", year=2028)
        assert got == pytest.approx(room, rel=1e-9), ds.attrs["prices"]


def test_a_credit_line_in_fixed_prices_grows_with_the_deflator():
    model = apply_overrides(
        load_model(),
        {
            "model.end_year": 2030,
            "model.price_basis": "nominal",
            "finance.credit_limit_mnok": {
                "value": {"HMR": 500, "HNT": 250, "STO": 800},
                "price_year": 2026,
            },
        },
    )
    ds = run_models({"s": model}, tiny_register())
    line = ds["credit_limit"].sel(scenario="s", hf="HMR")
    f = factor(INDEX, "deflator", 2026, ds["year"].to_numpy())
    np.testing.assert_allclose(line, 500 * f, rtol=1e-12)
    real = run_models({"s": model}, tiny_register(), prices="real:2026")
    np.testing.assert_allclose(real["credit_limit"].sel(scenario="s", hf="HMR"), 500.0)
