"""Spending a maintenance budget on building parts.

Each year every HF has a budget [MNOK]. Money goes to the parts of its buildings that are in
service and not due for disposal within the configured horizon. A measure renews a fraction
``f`` of a part at ``f`` times the cost of renewing it whole, and moves its grade the same
fraction of the way to the result grade (``g' = g − f (g − r)``); so a budget can be spent
exactly and the grade of a part is the expected grade of a mixture of renewed and old parts.

Policies (water-filling)
------------------------
Each policy gives every part a priority index ``π = g · κ`` with a per-part scale ``κ`` that does
not depend on the money. Money lowers a common ceiling ``τ`` on the index: every part whose
index is above ``τ`` is brought down to grade ``τ / κ`` (never below the result grade), and
``τ`` is the lowest level the HF's budget can pay for.

``worst_first``
    ``κ = risk_weight(part)``: the index is the part's risk, grade times consequence; the worst
    parts get money first, and the ceiling on risk falls as the budget grows.
``best_value``
    ``κ = cost_share · building_weight / (area · c̄)`` with ``c̄`` the part's average renewal
    cost per grade step [NOK/m²]: money goes first where a grade step moves the portfolio
    grade (VTTG) most per krone.

Why water-filling: with a ceiling the policy is *monotone*. If one scenario's parts are each no
worse than another's and it has at least as much money, it can pay for the other's ceiling, so
its own ceiling is no higher and every part ends no worse. Wear keeps that order, so by
induction more money never gives a worse grade for any part, any building or the VTTG in any
year. A plain "sort and fund" ranking does not have this property.
"""

from __future__ import annotations

import numpy as np

POLICIES: tuple[str, ...] = ("worst_first", "best_value")


def lowering_fraction(
    grade: np.ndarray, scale: np.ndarray, result: np.ndarray, ceiling: np.ndarray
) -> np.ndarray:
    """Return the fraction of each part to renew so that its index is at most ``ceiling``.

    Parameters
    ----------
    grade : numpy.ndarray
        Grades [TG 0–3].
    scale : numpy.ndarray
        Priority scale ``κ`` per part (index ``π = g · κ``); zero means never funded.
    result : numpy.ndarray
        Grade a measure leaves [TG].
    ceiling : numpy.ndarray
        Ceiling ``τ`` on the index, broadcast against ``grade``.

    Returns
    -------
    numpy.ndarray
        ``f = clip((g − max(τ/κ, r)) / (g − r), 0, 1)``; zero where ``g ≤ r`` or ``κ = 0``.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        cap = np.where(scale > 0, ceiling / scale, np.inf)  # -inf ceiling: down to r
        target = np.maximum(cap, result)
        frac = np.where(grade > result, (grade - target) / (grade - result), 0.0)
    return np.clip(np.nan_to_num(frac), 0.0, 1.0)


def allocate_budget(
    grade: np.ndarray,
    scale: np.ndarray,
    result: np.ndarray,
    full_cost: np.ndarray,
    eligible: np.ndarray,
    member: np.ndarray,
    budget: np.ndarray,
) -> np.ndarray:
    """Lower each HF's priority ceiling as far as its budget pays for.

    Parameters
    ----------
    grade : numpy.ndarray
        Grades [TG 0–3], shape ``(S, N)`` (``N`` = building x part items).
    scale : numpy.ndarray
        Priority scale ``κ`` per item, shape ``(S, N)``.
    result : numpy.ndarray
        Grade a measure leaves [TG], shape ``(S, 1)``.
    full_cost : numpy.ndarray
        Cost of renewing each item whole from its grade to ``result`` [MNOK], ``(S, N)``.
    eligible : numpy.ndarray
        Whether an item may get money, shape ``(S, N)``.
    member : numpy.ndarray
        0/1 matrix item → HF, shape ``(N, H)``; each item in exactly one HF.
    budget : numpy.ndarray
        Budget per HF [MNOK], shape ``(S, H)``.

    Returns
    -------
    numpy.ndarray
        Renewed fraction of each item in ``[0, 1]``, shape ``(S, N)``; the cost
        ``Σ f · full_cost`` per HF never exceeds its budget.

    Notes
    -----
    Item ``i`` costs ``c_i (g_i − max(τ/κ_i, r)) / (g_i − r)`` under ceiling ``τ``: linear in
    ``τ`` between its break points ``r κ_i`` (whole cost) and ``π_i = g_i κ_i`` (nothing). The
    total ``K(τ)`` is therefore piecewise linear and falling. Sorting every item's two break
    points per HF (descending) and summing the active slopes gives ``K`` at each break point;
    the ceiling is placed exactly on the segment where ``K`` crosses the budget. Rounding is
    absorbed by scaling the fractions so the budget is never exceeded.

    Examples
    --------
    Two parts at TG3 and TG2 with the same scale, renewal costs 3 and 2 MNOK, budget 1:
    the TG3 part is lowered first.

    >>> f = allocate_budget(np.array([[3.0, 2.0]]), np.ones((1, 2)), np.zeros((1, 1)),
    ...                     np.array([[3.0, 2.0]]), np.ones((1, 2), bool), np.ones((2, 1)),
    ...                     np.array([[1.0]]))
    >>> [round(float(x), 3) for x in f[0]]
    [0.333, 0.0]
    """
    item_group = member.argmax(axis=1)  # (N,)
    cost = np.where(eligible, full_cost, 0.0)
    top = grade * scale  # π_i
    bottom = np.broadcast_to(result, grade.shape) * scale  # r κ_i
    live = (cost > 0) & (top > bottom)
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = np.where(live, cost / (top - bottom), 0.0)  # MNOK per unit of index

    # two break points per item: entering at π (slope on), leaving at r·κ (slope off)
    points = np.concatenate([np.where(live, top, 0.0), np.where(live, bottom, 0.0)], axis=1)
    delta = np.concatenate([slope, -slope], axis=1)
    groups = np.broadcast_to(np.concatenate([item_group, item_group]), points.shape)
    order = np.lexsort((-points, groups), axis=-1)
    v = np.take_along_axis(points, order, axis=-1)
    d = np.take_along_axis(delta, order, axis=-1)
    counts = 2 * np.bincount(item_group, minlength=member.shape[1])
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    g_sorted = np.repeat(np.arange(member.shape[1]), counts)  # same for every row

    def cumsum_in_group(x: np.ndarray) -> np.ndarray:
        c = np.cumsum(x, axis=-1)
        before = np.where(starts > 0, c[:, np.maximum(starts - 1, 0)], 0.0)  # (S, H)
        return c - before[:, g_sorted]

    active = cumsum_in_group(d)  # slope magnitude just below each break point
    gap = np.zeros_like(v)
    gap[:, :-1] = v[:, :-1] - v[:, 1:]
    last = np.zeros(v.shape[1], dtype=bool)
    last[(starts + counts - 1)[counts > 0]] = True
    gap[:, last] = 0.0
    increments = np.clip(active * gap, 0.0, None)
    k_at = cumsum_in_group(increments) - increments  # K at each break point (from the top)
    room = budget[:, g_sorted]
    within = k_at <= room
    n_within = np.einsum("sk,kh->sh", within.astype(float), np.eye(member.shape[1])[g_sorted])
    pick = starts[None, :] + np.maximum(n_within.astype(int) - 1, 0)  # (S, H)
    pick = np.minimum(pick, v.shape[1] - 1)  # an HF with no items: any index, unused
    v_k = np.take_along_axis(v, pick, axis=-1)
    k_k = np.take_along_axis(k_at, pick, axis=-1)
    a_k = np.take_along_axis(active, pick, axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ceiling = np.where(a_k > 0, v_k - (budget - k_k) / a_k, v_k)
    total = group_sum(cost, member)
    ceiling = np.where(total <= budget, -np.inf, ceiling)  # everything paid for
    frac = lowering_fraction(grade, scale, result, ceiling[:, item_group]) * live
    spent = group_sum(frac * cost, member)
    with np.errstate(divide="ignore", invalid="ignore"):
        shrink = np.where(spent > budget, budget / spent, 1.0)
    return frac * shrink[:, item_group]


def group_sum(values: np.ndarray, member: np.ndarray) -> np.ndarray:
    """Return per-group sums ``Σ_n values[..., n] · member[n, h]``, row by row.

    Each output row is computed by the same loop whatever the number of rows (no BLAS
    blocking), so scenarios run together give bit-for-bit what they give alone.

    Parameters
    ----------
    values : numpy.ndarray
        Shape ``(..., N)``.
    member : numpy.ndarray
        0/1 matrix, shape ``(N, H)``.

    Returns
    -------
    numpy.ndarray
        Shape ``(..., H)``.
    """
    return np.einsum("...n,nh->...h", values, member, optimize=False)


def scale_worst_first(risk_weight: np.ndarray) -> np.ndarray:
    """Return the worst-first scale ``κ = risk_weight`` (index = grade x consequence).

    Parameters
    ----------
    risk_weight : numpy.ndarray
        Consequence weight per part [-].

    Returns
    -------
    numpy.ndarray
        The scale, unchanged.
    """
    return risk_weight


def scale_best_value(
    cost_share: np.ndarray,
    building_weight: np.ndarray,
    floor_area: np.ndarray,
    cost_per_grade_nok_per_m2: np.ndarray,
) -> np.ndarray:
    """Return the best-value scale: VTTG weight of a grade step per krone it costs.

    Parameters
    ----------
    cost_share : numpy.ndarray
        Part cost share [fraction], shape ``(B, P)``.
    building_weight : numpy.ndarray
        Building weight in the portfolio grade [m² or NOK], shape ``(S, B, 1)``.
    floor_area : numpy.ndarray
        Floor area [m²], shape ``(B, 1)``.
    cost_per_grade_nok_per_m2 : numpy.ndarray
        Average cost of one grade step of the part, ``(C(3) − C(0)) / 3`` [NOK/m²], ``(S, 1, P)``.

    Returns
    -------
    numpy.ndarray
        ``κ = s · w / (A · c̄)``, shape ``(S, B, P)``; normalised so its largest value is 1.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        kappa = cost_share * building_weight / (floor_area * cost_per_grade_nok_per_m2)
    kappa = np.nan_to_num(kappa, posinf=0.0)
    peak = kappa.reshape(kappa.shape[0], -1).max(axis=1)
    return kappa / np.where(peak > 0, peak, 1.0)[:, None, None]


def apply_measures(grade: np.ndarray, fraction: np.ndarray, result_grade: np.ndarray) -> np.ndarray:
    """Return the grades after renewing a fraction of each part.

    Parameters
    ----------
    grade : numpy.ndarray
        Grades before [TG 0–3].
    fraction : numpy.ndarray
        Renewed fraction of each part [0–1].
    result_grade : numpy.ndarray
        Grade a measure leaves [TG], broadcast.

    Returns
    -------
    numpy.ndarray
        ``g − f · max(g − r, 0)``: never worse than before, never better than ``r``.
    """
    return grade - fraction * np.clip(grade - result_grade, 0.0, None)
