"""Fused compiled passes of the year step and the loan schedules of many rates (issue 17).

Each fused pass must give, bit for bit, what the NumPy steps it replaces give; the schedules of
many rates at once must equal the one-rate schedule.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from hmn_bygg.condition.grade_sums import (
    apply_and_sums,
    need_and_vttg_sums,
    need_per_item,
    wear_and_need,
)
from hmn_bygg.finance.by_age import age_weights
from hmn_bygg.finance.loans import remaining_kernel, repayment_kernel
from hmn_bygg.finance.loans import repayment_kernels as many_kernels

MAX_GRADE = 3.0


def _case(seed: int, rows: int, shared: bool):
    rng = np.random.default_rng(seed)
    n_b, n_p = 7, 3
    n = n_b * n_p
    k = 1 if shared else rows
    grade = rng.uniform(0.0, 3.0, (rows, n))
    inc = rng.uniform(0.0, 0.4, (k, n))
    a1, a2, weight = (rng.uniform(0.0, 5.0, (k, n)) for _ in range(3))
    wearing, mask = (rng.random((k, n_b)) < 0.7 for _ in range(2))
    edges = np.array([0, 2 * n_p, 5 * n_p, n], dtype=np.int64)
    return grade, inc, wearing, a1, a2, weight, mask, edges, rng


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), rows=st.integers(1, 5), shared=st.booleans())
def test_wear_and_need_is_the_numpy_steps_bit_for_bit(seed, rows, shared):
    grade, inc, wearing, a1, a2, _, mask, _, _ = _case(seed, rows, shared)
    want = grade + inc * np.repeat(wearing.astype(float), 3, axis=-1)
    np.minimum(want, MAX_GRADE, out=want)
    want_cost = np.empty_like(grade)
    need_per_item(want, a1, a2, mask, want_cost)
    cost = np.empty_like(grade)
    wear_and_need(grade, inc, wearing, a1, a2, mask, MAX_GRADE, cost)
    assert np.array_equal(grade, want) and np.array_equal(cost, want_cost)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), rows=st.integers(1, 5), shared=st.booleans())
def test_apply_and_sums_is_the_numpy_steps_bit_for_bit(seed, rows, shared):
    grade, _, _, a1, a2, weight, mask, edges, rng = _case(seed, rows, shared)
    result = rng.uniform(0.0, 1.0, (1 if shared else rows, 1))
    frac = np.clip(rng.uniform(-0.5, 1.5, grade.shape), 0.0, 1.0)
    want = grade.copy()
    tmp = np.subtract(want, result)
    tmp *= frac
    want -= tmp
    need, vttg = need_and_vttg_sums(want, a1, a2, weight, mask, edges)
    got_need, got_vttg = apply_and_sums(grade, result, frac, a1, a2, weight, mask, edges)
    assert np.array_equal(grade, want)
    assert np.array_equal(got_need, need) and np.array_equal(got_vttg, vttg)


@settings(max_examples=30, deadline=None)
@given(
    rates=st.lists(st.floats(0.0, 0.2), min_size=1, max_size=8),
    term=st.integers(1, 40),
    grace=st.integers(0, 3),
    kind=st.sampled_from(["annuity", "serial"]),
)
def test_schedules_of_many_rates_are_the_one_rate_schedules(rates, term, grace, kind):
    kernels = many_kernels(term, np.array(rates), kind, grace)
    weights = age_weights(kernels, 12)
    left = age_weights(remaining_kernel(kernels), 12)
    for i, rate in enumerate(rates):
        one = repayment_kernel(term, rate, kind, grace)
        assert np.array_equal(kernels[i], one)
        assert np.array_equal(weights[i], age_weights(one, 12))
        assert np.array_equal(left[i], age_weights(remaining_kernel(one), 12))
