"""Tests of the cash flow, liquidity, breaches, carrying capacity and region
(hmn_bygg.finance.cash)."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from hmn_bygg.core import variables
from hmn_bygg.finance import breaches, capacity, depreciation, loans
from hmn_bygg.finance import cash as finance
from hmn_bygg.finance.cash_identity import check_cash_identity, check_cash_identity_arrays
from hmn_bygg.stock import disposals

HFS = ["HMR", "HNT", "STO"]
YEARS = np.arange(2025, 2031)


def _by_hf_year(values) -> xr.DataArray:
    return xr.DataArray(
        np.asarray(values, dtype=float),
        dims=("hf", "year"),
        coords={"hf": HFS, "year": YEARS[: np.shape(values)[1]]},
    )


def _by_hf(values) -> xr.DataArray:
    return xr.DataArray(np.asarray(values, dtype=float), dims="hf", coords={"hf": HFS})


def _example() -> xr.Dataset:
    rng = np.random.default_rng(7)
    shape = (3, len(YEARS))
    investment = xr.DataArray(
        rng.uniform(0, 200, (2, *shape)),
        dims=("project", "hf", "year"),
        coords={"project": ["snr", "hp"], "hf": HFS, "year": YEARS},
    )
    lf = loans.loan_flows(0.7 * investment.sel(project="snr", drop=True), 0.03, 25, "annuity")
    return finance.cash_flow(
        _by_hf_year(rng.uniform(100, 300, shape)),
        _by_hf([500.0, 200.0, 800.0]),
        maintenance_spend=_by_hf_year(rng.uniform(0, 50, shape)),
        fdv_cost=_by_hf_year(rng.uniform(0, 50, shape)),
        project_running_cost=20.0,
        project_savings=_by_hf_year(rng.uniform(0, 30, shape)),
        depreciation=depreciation.depreciation(investment.sum("project"), 40.0),
        loan_interest=lf.loan_interest,
        investment=investment,
        loan_drawdown=lf.loan_drawdown,
        loan_repayment=lf.loan_repayment,
        sale_proceeds=_by_hf_year(rng.uniform(0, 10, shape)),
        demolition_cost=_by_hf_year(rng.uniform(0, 10, shape)),
        credit_limit=_by_hf([300.0, 150.0, 500.0]),
    )


def test_cash_flow_by_hand():
    y = {"year": [2025, 2026]}
    ds = finance.cash_flow(
        xr.DataArray([100.0, 100.0], dims="year", coords=y),
        50.0,
        maintenance_spend=10.0,
        fdv_cost=5.0,
        project_running_cost=3.0,
        project_savings=2.0,
        depreciation=20.0,
        loan_interest=4.0,
        demolition_cost=1.0,
        investment=xr.DataArray([200.0, 0.0], dims="year", coords=y),
        loan_drawdown=xr.DataArray([140.0, 0.0], dims="year", coords=y),
        loan_repayment=xr.DataArray([0.0, 7.0], dims="year", coords=y),
        sale_proceeds=xr.DataArray([0.0, 30.0], dims="year", coords=y),
        credit_limit=25.0,
    )
    # 100 - 10 - 5 - 3 + 2 - 20 - 4 - 1 = 59
    assert ds.operating_result.values.tolist() == [59.0, 59.0]
    assert ds.cash_from_operations.values.tolist() == [79.0, 79.0]
    assert ds.net_cash_flow.values.tolist() == [79 - 200 + 140, 79 - 7 + 30]
    assert ds.liquidity_opening.values.tolist() == [50.0, 69.0]
    assert ds.liquidity.values.tolist() == [69.0, 171.0]
    assert ds.liquidity_headroom.values.tolist() == [94.0, 196.0]
    assert check_cash_identity(ds) == []


def test_cash_flow_sums_projects_and_keeps_dims():
    ds = _example()
    assert "project" not in ds.investment_total.dims
    assert ds.liquidity.dims == ("hf", "year")
    assert ds.liquidity_opening.sel(year=2025).values.tolist() == [500.0, 200.0, 800.0]
    assert check_cash_identity(ds) == []


def test_cash_flow_orders_dims_with_hf_and_year_last():
    scen = xr.DataArray([1.0, 2.0], dims="scenario", coords={"scenario": ["a", "b"]})
    ds = finance.cash_flow(_by_hf_year(np.ones((3, 4))), 0.0, fdv_cost=scen)
    assert ds.liquidity.dims == ("scenario", "hf", "year")
    assert ds.liquidity.sel(scenario="b", hf="HMR").values.tolist() == [-1.0, -2.0, -3.0, -4.0]


def test_check_cash_identity_reports_where_it_breaks():
    ds = _example()
    ds["liquidity"].loc[{"hf": "HNT", "year": 2027}] += 1.0
    messages = check_cash_identity(ds)
    assert any("hf=HNT" in m and "year=2027" in m for m in messages)
    assert any(m.startswith("liquidity_opening") and "year=2028" in m for m in messages)
    ds = _example()
    ds["sale_proceeds"].loc[{"hf": "STO", "year": 2026}] = np.nan
    assert any(m.startswith("net_cash_flow") for m in check_cash_identity(ds))


def test_check_cash_identity_tolerates_one_krone():
    ds = _example()
    ds["liquidity"] = ds["liquidity"] + 5e-7
    assert [m for m in check_cash_identity(ds) if m.startswith("liquidity ")] == []


def test_cash_flow_rejects_mismatched_years():
    base = _by_hf_year(np.ones((3, 3)))
    shifted = base.assign_coords(year=base.year + 1)
    with pytest.raises(ValueError, match="disagree"):
        finance.cash_flow(base, 0.0, fdv_cost=shifted)
    with pytest.raises(ValueError, match="year"):
        finance.cash_flow(base.isel(year=0, drop=True), 0.0)


# A valid cash-flow input: any finite amounts on a (hf, year) grid.
money = arrays(float, (3, 5), elements=st.floats(-1_000.0, 1_000.0))


@settings(max_examples=50, deadline=None)
@given(
    items=st.lists(money, min_size=12, max_size=12),
    opening=arrays(float, 3, elements=st.floats(-500.0, 5_000.0)),
)
def test_cash_identity_closes_for_any_inputs(items, opening):
    names = [
        "maintenance_spend",
        "fdv_cost",
        "project_running_cost",
        "project_savings",
        "depreciation",
        "loan_interest",
        "investment",
        "loan_drawdown",
        "loan_repayment",
        "sale_proceeds",
        "demolition_cost",
    ]
    kwargs = {n: _by_hf_year(v) for n, v in zip(names, items[1:], strict=True)}
    ds = finance.cash_flow(_by_hf_year(items[0]), _by_hf(opening), **kwargs)
    assert check_cash_identity(ds) == []
    region = finance.region_total(ds)
    assert check_cash_identity(region, suffix="_region") == []


@settings(max_examples=50, deadline=None)
@given(
    price=st.floats(0.0, 50_000.0),
    extra=st.floats(0.0, 50_000.0),
    area=arrays(float, 3, elements=st.floats(100.0, 20_000.0)),
    year=arrays(float, 3, elements=st.sampled_from([np.nan, 2025.0, 2027.0, 2030.0])),
)
def test_higher_sale_price_never_lowers_liquidity(price, extra, area, year):
    building = {"building": ["a", "b", "c"]}
    groups = xr.DataArray(np.eye(3), dims=("building", "hf"), coords={**building, "hf": HFS})

    def liquidity(p: float) -> xr.DataArray:
        cash = disposals.disposal_cash_arrays(
            area, year[None], np.full((1, 3), "sale"), np.full((1, 3), p), np.array([1e3]), YEARS
        )
        by_building = xr.DataArray(
            cash["sale_proceeds"][0], dims=("building", "year"), coords={**building, "year": YEARS}
        )
        proceeds = xr.dot(by_building, groups, dim="building")
        return finance.cash_flow(
            _by_hf_year(np.zeros((3, len(YEARS)))), 0.0, sale_proceeds=proceeds
        ).liquidity

    assert bool((liquidity(price + extra) >= liquidity(price) - 1e-9).all())


def test_breach_years_vectorized_and_nan_when_none():
    liq = _by_hf_year([[10, -5, -40, 3], [10, 20, 30, 40], [-1, -300, 0, 0]])
    out = breaches.breach_years(liq, _by_hf([30.0, 30.0, 100.0]))
    assert out.first_year_liquidity_negative.values.tolist() == pytest.approx(
        [2026.0, np.nan, 2025.0], nan_ok=True
    )
    assert out.first_year_credit_breach.values.tolist() == pytest.approx(
        [2027.0, np.nan, 2026.0], nan_ok=True
    )
    assert out.credit_breach.sel(hf="STO").values.tolist() == [False, True, False, False]
    assert out.liquidity_negative.dtype == bool


def test_carrying_capacity_by_hand():
    liq = _by_hf_year([[50, 40, 60], [-10, 100, 100], [0, -30, 10]])
    cap = capacity.carrying_capacity(liq, 20.0, 2026)
    # HMR: min(40 + 20, 60 + 20); HNT: the 2025 dip is before the start; STO: already breached
    assert cap.values.tolist() == [60.0, 120.0, 0.0]
    by_start = capacity.carrying_capacity(liq, 20.0, [2025, 2027])
    assert by_start.sel(hf="HMR").values.tolist() == [60.0, 80.0]
    assert by_start.dims == ("hf", "start_year")


def test_carrying_capacity_loan_financed_without_repayments_in_horizon_is_unbounded():
    terms = capacity.InvestmentTerms(loan_share=1.0, loan_rate=0.0, grace_years=10)
    cap = capacity.carrying_capacity(_by_hf_year(np.ones((3, 4))), 5.0, 2025, terms)
    assert np.isinf(cap.values).all()


def test_unit_response_spreads_spend_and_loan():
    terms = capacity.InvestmentTerms(
        spend_profile=(0.5, 0.5), loan_share=0.8, loan_rate=0.0, loan_term_years=2,
        loan_kind="serial", life_years=10.0, running_cost_rate=0.05,
    )  # fmt: skip
    r = capacity.unit_response(YEARS, 2026, terms)
    assert r.investment_total.values.tolist() == [0, 0.5, 0.5, 0, 0, 0]
    assert r.net_cash_flow.values.tolist() == pytest.approx([0, -0.1, -0.3, -0.45, -0.25, -0.05])
    assert r.operating_result.values.tolist() == pytest.approx([0, 0, -0.05, -0.15, -0.15, -0.15])
    with pytest.raises(ValueError, match="spend_profile"):
        capacity.InvestmentTerms(spend_profile=(0.5, 0.4))


def _liquidity_with(base: xr.Dataset, amount: xr.DataArray, start: int, terms) -> xr.DataArray:
    """Recompute liquidity with an extra investment, independently of the unit response."""
    years = base.year.values
    pattern = np.zeros(len(years))
    for i, share in enumerate(terms.spend_profile):
        if start + i <= years[-1]:
            pattern[start + i - years[0]] += share
    spend = amount * xr.DataArray(pattern, dims="year", coords={"year": years})
    lf = loans.loan_flows(
        terms.loan_share * spend, terms.loan_rate, terms.loan_term_years, terms.loan_kind
    )
    return finance.cash_flow(
        base.operating_result_before,
        base.liquidity_opening.isel(year=0, drop=True),
        investment=base.investment_total + spend,
        loan_drawdown=lf.loan_drawdown,
        loan_repayment=lf.loan_repayment,
        loan_interest=lf.loan_interest,
    ).liquidity


@settings(max_examples=30, deadline=None)
@given(
    result=arrays(float, (3, 8), elements=st.floats(-200.0, 400.0)),
    opening=arrays(float, 3, elements=st.floats(-100.0, 1_000.0)),
    limit=st.floats(0.0, 500.0),
    start_index=st.integers(0, 7),
    loan_share=st.sampled_from([0.0, 0.7, 0.9]),
    rate=st.floats(0.0, 0.08),
    term=st.integers(1, 35),
    kind=st.sampled_from(["annuity", "serial"]),
    profile=st.sampled_from([(1.0,), (0.3, 0.7), (0.2, 0.3, 0.5)]),
)
def test_carrying_capacity_touches_the_limit_and_one_more_breaches(
    result, opening, limit, start_index, loan_share, rate, term, kind, profile
):
    years = np.arange(2025, 2033)
    start = int(years[start_index])
    base = finance.cash_flow(
        xr.DataArray(result, dims=("hf", "year"), coords={"hf": HFS, "year": years}),
        _by_hf(opening),
    )
    terms = capacity.InvestmentTerms(
        spend_profile=profile, loan_share=loan_share, loan_rate=rate, loan_term_years=term,
        loan_kind=kind,
    )  # fmt: skip
    cap = capacity.carrying_capacity(base.liquidity, limit, start, terms)
    assert bool((cap >= 0).all())
    finite = np.isfinite(cap)
    amount = cap.where(finite, 0.0)
    later = base.year >= start
    at_cap = _liquidity_with(base, amount, start, terms).where(later).min("year")
    beyond = _liquidity_with(base, amount + 1.0, start, terms)
    positive = finite & (cap > 0)
    assert bool((at_cap >= -limit - 1e-6).where(positive, True).all())
    np.testing.assert_allclose(at_cap.where(positive, -limit), -limit, atol=1e-6)
    breach = breaches.breach_years(beyond.where(later, 0.0), limit).credit_breach.any("year")
    assert bool(breach.where(finite, True).all())


def test_region_total_with_regional_items_closes():
    ds = _example()
    y = {"year": YEARS}
    rhf = finance.cash_flow(
        xr.DataArray(np.full(len(YEARS), 10.0), dims="year", coords=y),
        100.0,
        investment=xr.DataArray(np.full(len(YEARS), 30.0), dims="year", coords=y),
        credit_limit=0.0,
    )
    region = finance.region_total(ds, rhf)
    expected = ds.liquidity.sum("hf") + rhf.liquidity
    xr.testing.assert_allclose(region.liquidity_region, expected)
    assert check_cash_identity(region, suffix="_region") == []
    assert "hf" not in region.dims
    with pytest.raises(ValueError, match="no_such"):
        finance.region_total(ds, {"no_such": rhf.liquidity})


def test_every_produced_variable_is_in_the_glossary():
    table = variables.glossary()
    ds = _example()
    produced = (
        list(ds.data_vars)
        + list(finance.region_total(ds).data_vars)
        + list(breaches.breach_years(ds.liquidity, ds.credit_limit).data_vars)
        + [capacity.carrying_capacity(ds.liquidity, ds.credit_limit, 2027).name]
        + list(loans.loan_flows(ds.loan_drawdown, 0.03, 25).data_vars)
    )
    missing = sorted(set(produced) - set(table))
    assert missing == []
    assert ds.liquidity.attrs["units"] == "MNOK"


def test_check_cash_identity_arrays_names_the_broken_cell():
    ds = finance.cash_flow(_by_hf_year(np.ones((3, 4))), 0.0)
    arrays = {k: ds[k].to_numpy().copy() for k in ds.data_vars}
    assert check_cash_identity_arrays(arrays, ds["liquidity"].dims, {}) == []
    arrays["liquidity"][1, 2] += 1.0
    messages = check_cash_identity_arrays(arrays, ("hf", "year"), {"year": ds["year"].to_numpy()})
    assert messages and "hf=1" in messages[0] and f"year={int(ds.year[2])}" in messages[0]
    arrays["net_cash_flow"][0, 0] = np.nan
    assert any(
        m.startswith("net_cash_flow")
        for m in check_cash_identity_arrays(arrays, ("hf", "year"), {})
    )
