"""Booking the long-term budget (hmn_bygg.finance.ltb): identities and properties over small
inputs."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from hmn_bygg.config import apply_overrides, load_model
from hmn_bygg.core.errors import InputError
from hmn_bygg.engine.run import run_models
from hmn_bygg.finance import cash as finance
from hmn_bygg.finance import ltb
from tests.conftest import tiny_register

BASE = apply_overrides(
    load_model(),
    {
        "model.end_year": 2032,
        "model.plan_start": 2019,
        "model.price_basis": "nominal",
        "model.price_index": "none",  # no inflation: the arithmetic of issues 4–15 unchanged
    },
)
# each example runs the whole model (~0.1–0.3 s): a few examples, shrinking on (a failure is
# reported as one small case)
FEW = settings(max_examples=8, deadline=None)
years = st.integers(2019, 2034)  # beyond the last model year = not within the horizon
money = st.floats(0, 2000, allow_nan=False)


def _run(**overrides) -> xr.Dataset:
    return run_models({"s": apply_overrides(BASE, overrides)}, tiny_register())


def _pair(first: dict, second: dict) -> tuple[xr.Dataset, xr.Dataset]:
    """Run two variants together (one call) and return them one by one."""
    scen = {"a": apply_overrides(BASE, first), "b": apply_overrides(BASE, second)}
    ds = run_models(scen, tiny_register())
    return ds.sel(scenario="a", drop=True), ds.sel(scenario="b", drop=True)


@FEW
@given(a=years, b=years, c=years, opened=st.integers(2019, 2032))
def test_area_is_opening_area_plus_openings_minus_disposals(a, b, c, opened):
    reg = tiny_register()
    ds = _run(
        **{
            "portfolio.disposals.by_building": {"A": a, "C": b, "D": c},
            "finance.projects.snr.open_year": opened,
        }
    )
    area = reg["floor_area"].to_series()
    disposal = {"A": a, "B": 2022, "C": b, "D": c}
    for year in ds["year"].values:
        expected = sum(area[k] for k, y in disposal.items() if year < y)
        expected += (54_500 + 6_750) * (year >= opened)
        assert float(ds["area_region"].sel(scenario="s", year=year)) == pytest.approx(expected)


@FEW
@given(
    result=st.floats(-500, 2000),
    price=money,
    demolition=money,
    share=st.floats(0, 1),
    cost=st.floats(0, 8000),
    rate=st.floats(0, 0.08),
    kind=st.sampled_from(["annuity", "serial"]),
)
def test_cash_identity_closes_for_any_valid_inputs(
    result, price, demolition, share, cost, rate, kind
):
    ds = _run(
        **{
            "finance.operating_result_before_mnok.HMR": result,
            "portfolio.sale_price_nok_per_m2": price,
            "portfolio.demolition_cost_nok_per_m2": demolition,
            "finance.capitalised_maintenance_share": share,
            "finance.projects.snr.cost_mnok": cost,
            "finance.projects.snr.loan_frame_mnok": None,
            "finance.state_loan.rate": rate,
            "finance.state_loan.kind": kind,
        }
    )
    assert finance.check_cash_identity(ds) == []
    assert finance.check_cash_identity(ds, suffix="_region") == []
    total = ds["investment"].sum("project")
    xr.testing.assert_allclose(total, ds["investment_total"])


@FEW
@given(frame=st.floats(1, 5000), term=st.integers(1, 7))
def test_integrated_loan_repays_its_principal(frame, term):
    ds = _run(
        **{
            "finance.projects.snr.loan_frame_mnok": frame,
            "finance.projects.snr.loan_term_years": term,
            "finance.projects.alesund_facade_400v.loan_financed": False,
            "finance.projects.helseplattformen.loan_financed": False,
        }
    )
    one = ds.sel(scenario="s", hf="HMR")  # SNR is HMR's only loan
    drawn = float(one["loan_drawdown"].sum())
    assert drawn == pytest.approx(frame)
    repaid = float(one["loan_repayment"].sum())
    left = float(one["loan_balance"].isel(year=-1))
    assert repaid + left == pytest.approx(frame)
    assert left == pytest.approx(0.0, abs=1e-6)  # last drawdown 2025 + 7 years <= 2032


@FEW
@given(year=st.integers(2020, 2032), building=st.sampled_from(["A", "C", "D"]))
def test_disposing_never_raises_the_upgrade_need(year, building):
    keep, dispose = _pair({}, {"portfolio.disposals.by_building": {building: year}})
    after = dispose["year"] >= year
    more = dispose["upgrade_need_region"] - keep["upgrade_need_region"]
    assert float(more.where(after).max()) <= 1e-9


@FEW
@given(low=st.floats(0, 5000), extra=st.floats(0, 5000))
def test_a_higher_sale_price_never_lowers_liquidity(low, extra):
    cheap, dear = _pair(
        {"portfolio.sale_price_nok_per_m2": low}, {"portfolio.sale_price_nok_per_m2": low + extra}
    )
    assert float((dear["liquidity"] - cheap["liquidity"]).min()) >= -1e-9
    assert float((dear["liquidity_region"] - cheap["liquidity_region"]).min()) >= -1e-9


def test_capitalised_maintenance_moves_cost_from_result_to_investment():
    none, half = _pair(
        {"finance.capitalised_maintenance_share": 0.0},
        {"finance.capitalised_maintenance_share": 0.5},
    )
    xr.testing.assert_allclose(none["liquidity"], half["liquidity"])  # cash is cash
    assert float(half["maintenance_capitalised"].sum()) > 0
    assert float((half["operating_result"] - none["operating_result"]).sum()) > 0


def test_spending_outside_the_model_years_is_an_input_error():
    with pytest.raises(InputError, match="outside the model years"):
        _run(**{"finance.projects.snr.spend_profile": {2040: 1.0}})


def test_a_broken_identity_raises(monkeypatch):
    monkeypatch.setattr(
        finance, "check_cash_identity_arrays", lambda *args, **kw: ["liquidity: off"]
    )
    with pytest.raises(ltb.CashIdentityError, match="off"):
        _run()


def test_liquidity_summary_has_one_row_per_scenario_and_hf():
    ds = _run()
    table = ltb.liquidity_summary(ds, at_years=(2025, 2030, 2099))
    assert list(table.index.get_level_values("hf")) == ["HMR", "HNT", "STO"]
    assert {
        "lowest_liquidity",
        "lowest_year",
        "breach_years",
        "loan_balance_2030",
        "area_2025",
    } <= set(table.columns)
    assert "loan_balance_2099" not in table.columns
    hmr = table.loc[("s", "HMR")]
    assert hmr["lowest_liquidity"] == pytest.approx(float(ds["liquidity"].sel(hf="HMR").min()))


def test_npv_upgrade_or_dispose_compares_two_options():
    model = BASE
    ds = run_models({"s": model}, tiny_register())
    table = ltb.npv_upgrade_or_dispose(
        ds, model, "A", scenario="s", year=2026, rent_nok_per_m2=2500, horizon_years=20
    )
    assert set(table.index) == {"upgrade", "dispose and rent"}
    assert table.attrs["discount_rate"] == model.finance.discount_rate.value
    cheap_rent = ltb.npv_upgrade_or_dispose(
        ds, model, "A", scenario="s", year=2026, rent_nok_per_m2=0, horizon_years=20
    )
    assert cheap_rent.index[0] == "dispose and rent"


def test_capacity_is_zero_when_the_plan_breaches_and_grows_with_loans():
    model = BASE
    ds = run_models({"s": model}, tiny_register())
    cash = ltb.capacity(ds, model, scenario="s", hf="STO", year=2026)
    loan = ltb.capacity(ds, model, scenario="s", hf="STO", year=2026, loan_share=0.7)
    assert 0 < cash < loan
    poor = apply_overrides(model, {"finance.operating_result_before_mnok.STO": -500})
    ds = run_models({"s": poor}, tiny_register())
    assert ltb.capacity(ds, poor, scenario="s", hf="STO", year=2026) == 0.0
    assert np.isfinite(cash)
