"""The water-filling allocation against a brute-force bisection on the ceiling."""

from __future__ import annotations

import numpy as np
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
def test_selection_search_on_many_items_spends_the_budget_and_matches_bisection(
    data, n, n_groups, result, layout
):
    # the selection search folds items into running sums as the bracket shrinks; items in
    # sorted order, reversed order or with many equal break points must not trip it up
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
    live = (cost > 0) & (grade * scale > res * scale)
    affordable = items.sums(cost * live)
    np.testing.assert_allclose(spent, np.minimum(budget, affordable), rtol=1e-12)
    np.testing.assert_allclose(items.sums(frac * cost), spent, rtol=1e-9, atol=1e-9)
    member = np.eye(n_groups)[group]
    reference = _bisect(grade, scale, res, cost * live, member, budget) * live
    np.testing.assert_allclose(frac, reference, atol=1e-6)
    # a row gives the same bits alone as with the others
    alone, _ = fill(grade[1:2], scale[:1], res[1:2] * scale[:1], cost[1:2], budget[1:2], items)
    assert np.array_equal(alone[0], frac[1])
