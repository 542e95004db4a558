"""Tests of loan schedules, depreciation and NPV (hmn_bygg.finance.loans)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from hmn_bygg.finance import by_age, depreciation, loans

YEARS = np.arange(2020, 2100)


def _series(values, years=None) -> xr.DataArray:
    years = YEARS[: len(values)] if years is None else years
    return xr.DataArray(np.asarray(values, dtype=float), dims="year", coords={"year": years})


def _single(amount: float, n_years: int) -> xr.DataArray:
    values = np.zeros(n_years)
    values[0] = amount
    return _series(values)


def test_annuity_matches_textbook_schedule():
    principal, r, n = 1000.0, 0.05, 10
    # textbook annuity: level payment A = P r / (1 - (1 + r)^-n), written out by hand
    payment = principal * r / (1.0 - (1.0 + r) ** -n)
    balance, rows = principal, []
    for _ in range(n):
        interest = r * balance
        repaid = payment - interest
        balance -= repaid
        rows.append((repaid, interest, balance))
    expected = np.array(rows)

    flows = loans.loan_flows(_single(principal, n + 3), r, n, "annuity")
    got = np.column_stack(
        [flows.loan_repayment.values, flows.loan_interest.values, flows.loan_balance.values]
    )
    np.testing.assert_allclose(got[1 : n + 1], expected, atol=1e-9)
    assert got[0].tolist() == [0.0, 0.0, principal]  # drawn at year end: no interest, no repayment
    np.testing.assert_allclose(got[n + 1 :], 0.0, atol=1e-9)
    level = flows.loan_repayment + flows.loan_interest
    np.testing.assert_allclose(level.values[1 : n + 1], payment)


def test_serial_schedule():
    principal, r, n = 900.0, 0.04, 3
    flows = loans.loan_flows(_single(principal, 5), r, n, "serial")
    assert flows.loan_repayment.values.tolist() == pytest.approx([0, 300, 300, 300, 0])
    assert flows.loan_balance.values.tolist() == pytest.approx([900, 600, 300, 0, 0])
    assert flows.loan_interest.values.tolist() == pytest.approx([0, 36, 24, 12, 0])


def test_grace_years_charge_interest_only():
    flows = loans.loan_flows(_single(100.0, 6), 0.1, 2, "serial", grace_years=2)
    assert flows.loan_repayment.values.tolist() == pytest.approx([0, 0, 0, 50, 50, 0])
    assert flows.loan_interest.values.tolist() == pytest.approx([0, 10, 10, 10, 5, 0])


def test_half_year_interest_on_drawdown():
    flows = loans.loan_flows(_single(100.0, 3), 0.1, 2, "serial", interest_on_drawdown=0.5)
    assert flows.loan_interest.values.tolist() == pytest.approx([5, 10, 5])


def test_zero_rate_annuity_is_serial_and_one_year_term_repays_at_once():
    np.testing.assert_allclose(
        loans.repayment_kernel(5, 0.0, "annuity"), loans.repayment_kernel(5, 0.07, "serial")
    )
    assert loans.repayment_kernel(1, 0.03, "annuity").tolist() == [0.0, 1.0]


def test_repayments_after_horizon_stay_in_balance():
    flows = loans.loan_flows(_single(100.0, 3), 0.0, 4, "serial")
    assert float(flows.loan_balance[-1]) == pytest.approx(50.0)
    assert float(flows.loan_repayment.sum()) == pytest.approx(50.0)


def test_leading_dims_broadcast_like_slices():
    rng = np.random.default_rng(1)
    drawdown = xr.DataArray(
        rng.uniform(0, 100, (2, 3, 12)) * (rng.random((2, 3, 12)) < 0.4),
        dims=("scenario", "hf", "year"),
        coords={"scenario": ["a", "b"], "hf": ["HMR", "HNT", "STO"], "year": YEARS[:12]},
    )
    together = loans.loan_flows(drawdown, 0.03, 5, "annuity", 1)
    alone = loans.loan_flows(drawdown.sel(scenario="b", hf="HNT"), 0.03, 5, "annuity", 1)
    xr.testing.assert_allclose(together.sel(scenario="b", hf="HNT"), alone)
    assert together.loan_balance.dims == ("scenario", "hf", "year")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"term_years": 0}, "term_years"),
        ({"term_years": 2.5}, "term_years"),
        ({"kind": "bullet"}, "kind"),
        ({"rate": -0.01}, "rate"),
        ({"grace_years": -1}, "grace_years"),
    ],
)
def test_bad_loan_terms_are_rejected(kwargs, match):
    args = {"term_years": 3, "rate": 0.02, "kind": "annuity", "grace_years": 0} | kwargs
    with pytest.raises(ValueError, match=match):
        loans.repayment_kernel(**args)


def test_bad_drawdowns_are_rejected():
    with pytest.raises(ValueError, match=">= 0"):
        loans.loan_flows(_series([10.0, -1.0]), 0.02, 3)
    with pytest.raises(ValueError, match="consecutive"):
        loans.loan_flows(_series([10.0, 1.0], years=[2020, 2022]), 0.02, 3)


loan_terms = st.tuples(
    st.integers(1, 35),
    st.floats(0.0, 0.15),
    st.sampled_from(["annuity", "serial"]),
    st.integers(0, 3),
)


@settings(max_examples=60, deadline=None)
@given(
    drawdown=arrays(float, 10, elements=st.floats(0.0, 5_000.0)),
    terms=loan_terms,
    phi=st.sampled_from([0.0, 0.5, 1.0]),
)
def test_loans_repay_principal_and_never_go_negative(drawdown, terms, phi):
    term, rate, kind, grace = terms
    horizon = np.zeros(10 + term + grace + 1)
    horizon[:10] = drawdown
    flows = loans.loan_flows(_series(horizon), rate, term, kind, grace, interest_on_drawdown=phi)
    assert float(flows.loan_repayment.sum()) == pytest.approx(drawdown.sum(), abs=1e-6)
    assert float(flows.loan_balance.min()) >= 0.0
    assert float(flows.loan_balance[-1]) == pytest.approx(0.0, abs=1e-6)
    opening = flows.loan_balance.shift(year=1, fill_value=0.0)
    roll = opening + flows.loan_drawdown - flows.loan_repayment - flows.loan_balance
    np.testing.assert_allclose(roll.values, 0.0, atol=1e-6)
    assert float(flows.loan_interest.min()) >= 0.0


@settings(max_examples=40, deadline=None)
@given(term=st.integers(1, 40), rate=st.floats(0.0, 0.2), grace=st.integers(0, 5))
def test_kernel_sums_to_one(term, rate, grace):
    for kind in ("annuity", "serial"):
        kernel = loans.repayment_kernel(term, rate, kind, grace)
        assert kernel.sum() == pytest.approx(1.0)
        assert kernel[: grace + 1].sum() == 0.0
        assert kernel.min() >= 0.0


def test_depreciation_straight_line_with_lag_and_fraction():
    dep = depreciation.depreciation(_series([100.0, 0, 0, 0, 0, 0]), 4.0)
    assert dep.values.tolist() == pytest.approx([0, 25, 25, 25, 25, 0])
    dep = depreciation.depreciation(_series([100.0, 0, 0, 0]), 2.0, start_lag=0)
    assert dep.values.tolist() == pytest.approx([50, 50, 0, 0])
    dep = depreciation.depreciation(_series([10.0, 0, 0, 0]), 2.5)
    assert dep.values.tolist() == pytest.approx([0, 4, 4, 2])


def test_depreciation_by_asset_class():
    life = xr.DataArray([40.0, 10.0], dims="asset_class", coords={"asset_class": ["bygg", "ikt"]})
    cap = xr.DataArray(
        np.zeros((2, 15)),
        dims=("asset_class", "year"),
        coords={"asset_class": ["bygg", "ikt"], "year": YEARS[:15]},
    )
    cap[:, 0] = [400.0, 50.0]
    dep = depreciation.depreciation(cap, life)
    assert dep.sel(asset_class="bygg").values[1:].tolist() == pytest.approx([10.0] * 14)
    assert float(dep.sel(asset_class="ikt").sum()) == pytest.approx(50.0)
    with pytest.raises(ValueError, match="life_years"):
        depreciation.depreciation(cap, 0.0)


@settings(max_examples=40, deadline=None)
@given(
    cap=arrays(float, 8, elements=st.floats(0.0, 1_000.0)),
    life=st.floats(1.0, 30.0),
    lag=st.integers(0, 2),
)
def test_depreciation_writes_off_everything(cap, life, lag):
    horizon = np.zeros(8 + int(np.ceil(life)) + lag + 1)
    horizon[:8] = cap
    dep = depreciation.depreciation(_series(horizon), life, lag)
    assert float(dep.sum()) == pytest.approx(cap.sum(), abs=1e-6)


def test_npv_compare_by_hand_with_year_zero_undiscounted():
    table = depreciation.npv_compare(
        {
            "oppgradere": {2026: -100.0, 2027: 60.0, 2028: 60.0},
            "selge": pd.Series([5.0], index=[2027]),
            "leie": _series([-1.0, -1.0], years=[2026, 2027]),
        },
        0.1,
    )
    assert table.index.tolist() == ["selge", "oppgradere", "leie"]
    assert table.loc["oppgradere", "npv"] == pytest.approx(-100 + 60 / 1.1 + 60 / 1.21)
    assert table.loc["selge", "npv"] == pytest.approx(5 / 1.1)
    assert table.loc["leie", "npv_behind_best"] == pytest.approx(-1 - 1 / 1.1 - 5 / 1.1)
    assert table.loc["oppgradere", "undiscounted"] == pytest.approx(20.0)
    assert table.attrs["base_year"] == 2026


def test_npv_compare_base_year():
    table = depreciation.npv_compare({"a": {2030: 121.0}}, 0.1, base_year=2028)
    assert table.loc["a", "npv"] == pytest.approx(100.0)
    with pytest.raises(ValueError, match="base_year"):
        depreciation.npv_compare({"a": {2030: 121.0}}, 0.1, base_year=2031)


@settings(max_examples=25, deadline=None)
@given(
    arrays(float, (2, 3, 12), elements=st.floats(0, 100)),
    arrays(float, (2, 3), elements=st.floats(0.5, 60)),
    st.integers(0, 2),
)
def test_depreciation_arrays_equal_the_xarray_version(capitalised, life, lag):
    years = np.arange(2025, 2037)
    da = xr.DataArray(capitalised, dims=("s", "p", "year"), coords={"year": years})
    ref = depreciation.depreciation(da, xr.DataArray(life, dims=("s", "p")), start_lag=lag)
    got = depreciation.depreciation_arrays(capitalised, life, start_lag=lag)
    np.testing.assert_allclose(got, ref.transpose("s", "p", "year").to_numpy(), atol=1e-9)


def test_loan_arrays_equal_loan_flows_with_year_first():
    years = np.arange(2025, 2035)
    draws = np.random.default_rng(1).uniform(0, 50, (10, 3))
    da = xr.DataArray(draws, dims=("year", "hf"), coords={"year": years})
    flows = loans.loan_flows(da, 0.04, 5, "annuity", 1, interest_on_drawdown=0.5)
    got = loans.loan_arrays(draws.T, 0.04, 5, "annuity", 1, 0.5)
    for name, values in got.items():
        assert flows[name].dims == ("year", "hf")
        np.testing.assert_allclose(values, flows[name].to_numpy().T, atol=1e-12)


@given(st.integers(1, 6), st.integers(1, 3), st.integers(1, 15), st.integers(0, 2**32 - 1))
def test_loans_on_their_own_schedules_equal_each_loan_alone(n, m, n_years, seed):
    # the compiled spread by age (one kernel per loan, years without a drawdown passed over)
    # gives each loan the flows of loan_arrays on that loan alone
    rng = np.random.default_rng(seed)
    drawdown = rng.uniform(0, 50, (n, m, n_years)) * (rng.random((n, m, n_years)) < 0.5)
    rates = rng.choice([0.0, 0.02, 0.045], n)
    term, grace = int(rng.integers(1, 8)), int(rng.integers(0, 3))
    kernels = loans.repayment_kernels(term, np.unique(rates), "annuity", grace)
    which = np.searchsorted(np.unique(rates), rates)
    got = loans.loan_arrays(
        drawdown, rates[:, None, None], term, "annuity", grace, 0.5,
        kernels=(kernels, loans.remaining_kernel(kernels)), which=which,
    )  # fmt: skip
    for i in range(n):
        alone = loans.loan_arrays(drawdown[i], rates[i], term, "annuity", grace, 0.5)
        for name, values in alone.items():
            np.testing.assert_allclose(got[name][i], values, rtol=1e-12, atol=1e-12)


def test_spread_by_age_and_depreciation_refuse_what_they_cannot_book():
    # a wrong kernel index, a non-finite number or a negative lag is an error, not garbage
    flow, kernels = np.ones((2, 1, 4)), np.array([[0.0, 0.5, 0.5]])
    for which in (np.array([0, 1]), np.array([0, -1]), np.array([0]), np.array([0.0, 0.0])):
        with pytest.raises(ValueError, match=r"which|expected"):
            by_age.by_age(flow, kernels, which)
    with pytest.raises(ValueError, match="finite"):
        by_age.by_age(flow * np.nan, kernels, np.array([0, 0]))
    with pytest.raises(ValueError, match="finite"):
        depreciation.depreciation_arrays(np.ones((1, 4)), np.array([np.nan]))
    with pytest.raises(ValueError, match="start_lag"):
        depreciation.depreciation_arrays(np.ones((1, 4)), np.array([2.0]), start_lag=-1)
    with pytest.raises(ValueError, match="finite"):
        loans.loan_arrays(np.array([1.0, np.nan, 0.0]), 0.03, 2)
    np.testing.assert_allclose(
        by_age.by_age(flow, kernels, np.array([0, 0]))[0, 0], [0.0, 0.5, 1.0, 1.0]
    )
