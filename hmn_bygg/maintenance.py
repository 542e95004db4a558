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
    absorbed by scaling the fractions so the budget is never exceeded. This wrapper orders the
    items by HF and calls :func:`allocate_blocks`, which the year loop uses directly.

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
    blocks, order = Blocks.of(member.argmax(axis=1), member.shape[1])
    scale_o = np.broadcast_to(scale, grade.shape)[:, order]
    result = np.broadcast_to(result, (grade.shape[0], 1))
    cost = np.where(eligible, full_cost, 0.0)[:, order]
    frac_o = allocate_blocks(
        grade[:, order], scale_o, result, result * scale_o, cost, budget, blocks
    )
    frac = np.empty_like(frac_o)
    frac[:, order] = frac_o
    return frac


class Blocks:
    """Items ordered so that each group (HF) is one contiguous block of the last axis.

    Sums per group are then ``np.add.reduceat`` on contiguous slices: each row is summed by
    the same loop whatever the number of rows, so rows run together give bit for bit what they
    give alone.

    Parameters
    ----------
    counts : numpy.ndarray
        Number of items in each group, in group order, shape ``(H,)``.
    """

    def __init__(self, counts: np.ndarray) -> None:
        self.counts = np.asarray(counts, dtype=int)
        ends = np.cumsum(self.counts)
        self.starts = ends - self.counts
        self.bounds = list(zip(self.starts.tolist(), ends.tolist(), strict=True))
        self._nonempty = np.flatnonzero(self.counts > 0)
        self._at = self.starts[self._nonempty]

    @classmethod
    def of(cls, group: np.ndarray, n_groups: int) -> tuple[Blocks, np.ndarray]:
        """Return the blocks of ``group`` labels and the (stable) order that makes them.

        Parameters
        ----------
        group : numpy.ndarray
            Group index of each item, shape ``(N,)``.
        n_groups : int
            Number of groups ``H``.

        Returns
        -------
        (Blocks, numpy.ndarray)
            The blocks and the permutation ``order`` with ``group[order]`` sorted.
        """
        group = np.asarray(group, dtype=int)
        return cls(np.bincount(group, minlength=n_groups)), np.argsort(group, kind="stable")

    def repeat(self, times: int) -> Blocks:
        """Return the blocks of an axis where every item is repeated ``times`` times."""
        return Blocks(self.counts * times)

    def sums(self, values: np.ndarray) -> np.ndarray:
        """Return per-group sums over the last axis, shape ``(..., H)`` (zero when empty)."""
        out = np.zeros((*values.shape[:-1], len(self.counts)))
        if len(self._at):
            out[..., self._nonempty] = np.add.reduceat(values, self._at, axis=-1)
        return out

    def spread(self, per_group: np.ndarray) -> np.ndarray:
        """Return each group's value on each of its items, ``(..., H)`` → ``(..., N)``."""
        return np.repeat(per_group, self.counts, axis=-1)


def allocate_blocks(
    grade: np.ndarray,
    scale: np.ndarray,
    result: np.ndarray,
    bottom: np.ndarray,
    cost: np.ndarray,
    budget: np.ndarray,
    blocks: Blocks,
) -> np.ndarray:
    """Water-fill each HF's budget on items ordered in HF blocks (see :func:`allocate_budget`).

    Parameters
    ----------
    grade : numpy.ndarray
        Grades [TG 0–3], shape ``(S, N)``, items in HF blocks.
    scale : numpy.ndarray
        Priority scale ``κ``, shape ``(S, N)``.
    result : numpy.ndarray
        Grade a measure leaves [TG], shape ``(S, 1)``.
    bottom : numpy.ndarray
        Lower break points ``r · κ``, shape ``(S, N)`` (fixed over the years).
    cost : numpy.ndarray
        Cost of renewing each item whole [MNOK], zero where not eligible, ``(S, N)``.
    budget : numpy.ndarray
        Budget per HF [MNOK], shape ``(S, H)``.
    blocks : Blocks
        The HF blocks of the item axis.

    Returns
    -------
    numpy.ndarray
        Renewed fraction of each item in ``[0, 1]``, shape ``(S, N)``.
    """
    top = grade * scale  # π_i
    live = (cost > 0) & (top > bottom)
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = np.where(live, cost / (top - bottom), 0.0)  # MNOK per unit of index
    tops = np.where(live, top, 0.0)
    bottoms = np.where(live, bottom, 0.0)
    total = blocks.sums(cost)
    paid = total <= budget  # everything paid for: no ceiling
    ceiling = np.full(budget.shape, -np.inf)
    for h, (a, b) in enumerate(blocks.bounds):
        if a < b and not paid[:, h].all():
            ceiling[:, h] = _ceiling(tops[:, a:b], bottoms[:, a:b], slope[:, a:b], budget[:, h])
    ceiling[paid] = -np.inf
    with np.errstate(divide="ignore", invalid="ignore"):
        target = np.maximum(blocks.spread(ceiling) / scale, result)  # κ > 0 where live
        frac = (grade - target) / (grade - result)
    np.clip(frac, 0.0, 1.0, out=frac)
    frac = np.where(live, frac, 0.0)
    spent = blocks.sums(frac * cost)
    with np.errstate(divide="ignore", invalid="ignore"):
        shrink = np.where(spent > budget, budget / spent, 1.0)
    if (shrink != 1.0).any():
        frac *= blocks.spread(shrink)
    return frac


def _ceiling(
    tops: np.ndarray, bottoms: np.ndarray, slope: np.ndarray, budget: np.ndarray
) -> np.ndarray:
    """Return the ceiling ``τ`` at which one HF's cost ``K(τ)`` meets its budget, ``(S,)``."""
    points = np.concatenate([tops, bottoms], axis=1)
    order, v = _descending_order(points)
    d = np.take_along_axis(np.concatenate([slope, -slope], axis=1), order, axis=-1)
    active = np.cumsum(d, axis=-1)  # slope magnitude just below each break point
    increments = np.empty_like(v)
    np.subtract(v[:, :-1], v[:, 1:], out=increments[:, :-1])
    increments[:, -1] = 0.0
    increments *= active
    np.maximum(increments, 0.0, out=increments)
    k_at = np.empty_like(v)  # K at each break point (from the top)
    k_at[:, 0] = 0.0
    np.cumsum(increments[:, :-1], axis=-1, out=k_at[:, 1:])
    n_within = np.count_nonzero(k_at <= budget[:, None], axis=-1)
    pick = np.maximum(n_within - 1, 0)[:, None]
    v_k = np.take_along_axis(v, pick, axis=-1)[:, 0]
    k_k = np.take_along_axis(k_at, pick, axis=-1)[:, 0]
    a_k = np.take_along_axis(active, pick, axis=-1)[:, 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(a_k > 0, v_k - (budget - k_k) / a_k, v_k)


def _descending_order(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return per row the order that sorts ``points`` (≥ 0) descending (ties by position), and
    the sorted values.

    The same order as a stable descending argsort, found faster: each value's bits, truncated
    by as many low bits as a position needs, are packed with its position into one ``int64``
    key and the keys are sorted. Truncation can swap values closer than about 2⁻⁴⁰ relative;
    rows where the packed order is not exactly descending are sorted again by argsort.
    """
    n = points.shape[-1]
    shift = max(1, (n - 1).bit_length())
    key = np.ascontiguousarray(points).view(np.int64) >> shift
    np.subtract((1 << (63 - shift)) - 1, key, out=key)  # ascending key = descending value
    key <<= shift
    key |= np.arange(n, dtype=np.int64)
    key.sort(axis=-1)
    key &= (1 << shift) - 1
    v = np.take_along_axis(points, key, axis=-1)
    bad = (v[:, 1:] > v[:, :-1]).any(axis=-1) | np.signbit(v).any(axis=-1)
    if bad.any():
        key[bad] = np.argsort(-points[bad], axis=-1, kind="stable")
        v[bad] = np.take_along_axis(points[bad], key[bad], axis=-1)
    return key, v


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
