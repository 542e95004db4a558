"""The water-filling allocation against a brute-force bisection on the ceiling."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from hmn_bygg.maintenance import allocate_budget, group_sum, lowering_fraction
from hmn_bygg.waterfill import Blocks, PartBottoms, fill


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


@given(st.data(), st.integers(1, 5), st.integers(1, 3), st.sampled_from([0.0, 1.0]))
def test_per_part_bottoms_give_the_general_ceiling(data, n_buildings, n_groups, result):
    # worst-first: the scale depends on the part only, so the lower break points r·κ take one
    # value per part; the faster search must find the same fractions as the general one
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    n_parts, rows = 3, 4
    group = np.sort(rng.integers(0, n_groups, size=n_buildings))
    buildings, _ = Blocks.of(group, n_groups)
    items = buildings.repeat(n_parts)
    grade = rng.choice([0.0, 0.5, 1.0, 1.7, 2.0, 2.6, 3.0], size=(rows, n_buildings * n_parts))
    kappa = rng.choice([0.6, 1.0, 1.2], size=(rows, n_parts))
    scale = np.repeat(kappa[:, None, :], n_buildings, axis=1).reshape(rows, -1)
    res = np.full((rows, 1), result)
    cost = np.where(grade > result, rng.uniform(0.1, 10.0, size=grade.shape), 0.0)
    budget = rng.uniform(0.0, 30.0, size=(rows, n_groups))
    general, spent_g = fill(grade, scale, res, res * scale, cost, budget, items)
    parts = PartBottoms(buildings, res * kappa, np.ones(rows, bool))
    grouped, spent_p = fill(grade, scale, res, res * scale, cost, budget, items, parts)
    np.testing.assert_allclose(grouped, general, atol=1e-9)
    np.testing.assert_allclose(spent_p, spent_g, rtol=1e-12)
    np.testing.assert_allclose(spent_g, items.sums(general * cost), rtol=1e-9, atol=1e-9)
