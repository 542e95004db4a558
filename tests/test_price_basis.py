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
MONEY = ("liquidity", "operating_result", "investment_total", "loan_balance", "maintenance_spend")


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
    out = invoke(["config", "check", str(path)])
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
