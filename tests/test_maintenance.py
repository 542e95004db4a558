"""The water-filling allocation against a brute-force bisection on the ceiling."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hmn_bygg.condition.maintenance import allocate_budget, group_sum, lowering_fraction
from hmn_bygg.condition.waterfill import Blocks, fill


def _bisect(grade, scale, result, cost, member, budget, steps=200):
    """Reference: the lowest ceiling whose cost fits, by plain bisection per HF."""
    item_group = member.argmax(axis=1)
    lo = np.zeros_like(budget)
    hi = np.full_like(budget, float((grade * scale).max()) + 1.0)

    def total(ceiling):
        f = lowering_fraction(grade, scale, result, ceiling[:, item_group])
        return group_sum(f * cost, member)

    for _ in range(steps):
        mid = 0.5 * (lo + hi)
        fits = total(mid) <= budget
        hi, lo = np.where(fits, mid, hi), np.where(fits, lo, mid)
    return lowering_fraction(grade, scale, result, hi[:, item_group])


def _check_fill(frac, spent, grade, scale, res, cost, budget, items, group):
    """Assert that :func:`fill` spent each HF's budget (or all it could) on the fractions of a
    plain bisection; return what each HF could spend [MNOK]."""
    live = (cost > 0) & (grade * scale > res * scale)
    affordable = items.sums(cost * live)
    np.testing.assert_allclose(spent, np.minimum(budget, affordable), rtol=1e-12)
    np.testing.assert_allclose(items.sums(frac * cost), spent, rtol=1e-9, atol=1e-9)
    member = np.eye(len(items.counts))[group]
    reference = _bisect(grade, scale, res, cost * live, member, budget) * live
    np.testing.assert_allclose(frac, reference, atol=1e-6)
    return affordable


items = st.integers(1, 12)


@given(
    st.data(),
    items,
    st.integers(1, 3),
    st.sampled_from([0.0, 1.0]),
)
def test_exact_allocation_matches_bisection_and_never_overspends(data, n, n_groups, result):
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    grade = rng.choice([0.0, 0.5, 1.0, 1.7, 2.0, 2.6, 3.0], size=(2, n))
    scale = rng.choice([0.0, 0.6, 1.0, 1.2], size=(2, n))
    cost = np.where(grade > result, rng.uniform(0.1, 10.0, size=(2, n)), 0.0)
    member = np.eye(n_groups)[rng.integers(0, n_groups, size=n)]
    budget = rng.uniform(0.0, 30.0, size=(2, n_groups))
    res = np.full((2, 1), result)
    frac = allocate_budget(grade, scale, res, cost, np.ones((2, n), bool), member, budget)
    spent = group_sum(frac * cost, member)
    assert (spent <= budget + 1e-9).all()
    assert ((frac >= 0) & (frac <= 1)).all()
    live = (cost > 0) & (grade * scale > res * scale)
    affordable = group_sum(cost * live, member)
    np.testing.assert_allclose(spent, np.minimum(budget, affordable), atol=1e-7)
    reference = _bisect(grade, scale, res, cost * live, member, budget) * live
    np.testing.assert_allclose(frac, reference, atol=1e-6)


@given(
    st.data(),
    st.integers(1, 400),
    st.integers(1, 3),
    st.sampled_from([0.0, 1.0]),
    st.sampled_from(["random", "sorted", "reversed", "ties"]),
)
def test_the_search_on_many_items_spends_the_budget_and_matches_bisection(
    data, n, n_groups, result, layout
):
    # the search steps from linear piece to linear piece of K; items in sorted order, reversed
    # order or with many equal break points must not trip it up
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    rows = 3
    if layout == "ties":
        grade = rng.choice([1.5, 2.0, 3.0], size=(rows, n))
    else:
        grade = rng.uniform(0.0, 3.0, size=(rows, n))
    if layout != "random":
        grade = np.sort(grade, axis=1)[:, :: 1 if layout == "sorted" else -1]
    group = np.sort(rng.integers(0, n_groups, size=n))
    items, _ = Blocks.of(group, n_groups)
    scale = np.broadcast_to(rng.choice([0.6, 1.0, 1.2], size=(1, n)), (rows, n))
    res = np.full((rows, 1), result)
    cost = np.where(grade > result, rng.uniform(0.1, 10.0, size=grade.shape), 0.0)
    budget = rng.uniform(0.0, 1.2, size=(rows, n_groups)) * items.sums(cost)
    frac, spent = fill(grade, scale[:1], res * scale, cost, budget, items)
    _check_fill(frac, spent, grade, scale, res, cost, budget, items, group)
    # a row gives the same bits alone as with the others
    alone, _ = fill(grade[1:2], scale[:1], res[1:2] * scale[:1], cost[1:2], budget[1:2], items)
    assert np.array_equal(alone[0], frac[1])


def _items(rng, layout, rows, n):
    """Grades of ``rows × n`` items and their scale ``(1, n)``: random, on few values (ties),
    or with break points spread over many orders of magnitude (where a Newton step on a line
    is a poor guess)."""
    if layout == "ties":
        return rng.choice([1.5, 2.0, 3.0], size=(rows, n)), rng.choice([0.6, 1.0], size=(1, n))
    scale = rng.choice([0.6, 1.0, 1.2], size=(1, n))
    if layout == "geometric":
        scale = 2.0 ** rng.integers(-20, 30, size=(1, n)).astype(float)
    return rng.uniform(0.0, 3.0, size=(rows, n)), scale


@given(
    st.data(),
    st.integers(1, 300),
    st.integers(1, 3),
    st.sampled_from(["random", "ties", "geometric"]),
    st.sampled_from(["none", "inside", "break_point", "bracket_end", "outside"]),
)
def test_the_search_from_any_start_spends_the_budget_and_matches_bisection(
    data, n, n_groups, layout, where
):
    # the year loop starts each search at last year's ceiling: wherever that lies (a break
    # point, an end of the bracket, outside it), the search must find the budget's ceiling
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    rows = 3
    grade, scale = _items(rng, layout, rows, n)
    group = np.sort(rng.integers(0, n_groups, size=n))
    items, _ = Blocks.of(group, n_groups)
    res = np.ones((rows, 1))
    cost = np.where(grade > 1.0, rng.uniform(0.1, 10.0, size=grade.shape), 0.0)
    budget = rng.uniform(0.0, 1.2, size=(rows, n_groups)) * items.sums(cost)
    tops = grade * scale
    start = np.full((rows, n_groups), np.nan)
    if where == "inside":
        start = rng.uniform(1.0, 3.6, size=start.shape) * scale.max()
    elif where == "break_point":
        start = tops[:, rng.integers(0, n, size=n_groups)] + 0.0 * start
    elif where == "bracket_end":
        start = np.broadcast_to(tops.max(axis=1, keepdims=True), start.shape).copy()
    elif where == "outside":
        start = rng.choice([-1.0, 10.0, np.inf], size=start.shape)
    given_start = start.copy()
    frac, spent = fill(grade, scale, res * scale, cost, budget, items, start=start)
    affordable = _check_fill(frac, spent, grade, scale, res, cost, budget, items, group)
    # the ceiling found is written back where the budget does not pay for all, else kept
    searched = budget < affordable
    assert np.array_equal(start[~searched], given_start[~searched], equal_nan=True)
    assert np.isfinite(start[searched]).all()
    # and it is the ceiling the fractions came from: searching again from it gives them again
    again, _ = fill(grade, scale, res * scale, cost, budget, items, start=start.copy())
    np.testing.assert_allclose(again, frac, atol=1e-12)


@given(st.data(), st.integers(2, 300))
def test_the_ceiling_has_the_same_bits_from_any_start_off_the_break_points(data, n):
    # the last pass's sums depend only on the linear piece that holds the root: a warm start
    # changes how many passes a search takes, never its bits (random break points, so that
    # neither the root nor a pass's point falls on one)
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    rows = 4
    grade = rng.uniform(0.0, 3.0, size=(rows, n))
    items = Blocks(np.array([n]))
    scale = rng.uniform(0.5, 1.5, size=(1, n))
    res = np.ones((rows, 1))
    cost = np.where(grade > 1.0, rng.uniform(0.1, 10.0, size=grade.shape), 0.0)
    budget = rng.uniform(0.05, 0.95, size=(rows, 1)) * items.sums(cost)
    cold, _ = fill(grade, scale, res * scale, cost, budget, items)
    start = rng.uniform(0.5, 4.5, size=(rows, 1))
    warm, _ = fill(grade, scale, res * scale, cost, budget, items, start=start)
    assert np.array_equal(cold, warm)


@pytest.mark.parametrize("cost", [[1.0, np.inf, 1.0], [np.inf, 1.0, 1.0], [1.0, 1.0, np.inf]])
@pytest.mark.parametrize("budget", [0.0, 0.1, 0.5])
def test_an_infinitely_dear_item_is_not_reached_and_zero_money_renews_nothing(cost, budget):
    # an item of infinite cost on its slope makes K NaN: the search counts it as too dear,
    # so the ceiling stays above it, the same from every start; a budget of 0 renews nothing
    grade = np.array([[2.0, 2.5, 3.0]])
    scale, bottom = np.ones((1, 3)), np.ones((1, 3))
    items = Blocks(np.array([3]))
    fracs = []
    for first in (np.nan, 1.5, 2.2, 2.7):
        start = np.full((1, 1), first)
        frac, _ = fill(
            grade, scale, bottom, np.array([cost]), np.array([[budget]]), items, None, start
        )
        assert np.isfinite(frac).all() and np.isfinite(start).all()
        fracs.append(frac)
    assert all(np.array_equal(f, fracs[0]) for f in fracs)
    assert (fracs[0][np.isinf(cost)[None]] == 0.0).all()
    if budget == 0.0:
        assert (fracs[0] == 0.0).all()
