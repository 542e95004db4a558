"""The water-filling search: the ceiling on the priority index that a budget pays for.

:mod:`hmn_bygg.condition.maintenance` states the policies and why a ceiling makes spending monotone
in
money; this module finds the ceiling fast, for many rows (scenarios, or scenario × draw) at
once. Items are ``building × part`` ordered so that each HF is one contiguous block
(:class:`Blocks`).

The search
----------
Under a ceiling ``τ`` item ``i`` costs ``c_i · clip((π_i − τ) / (π_i − b_i), 0, 1)``: linear in
``τ`` between its lower break point ``b_i = r κ_i`` and its index ``π_i = g_i κ_i``. Each HF's
cost ``K(τ)`` is therefore piecewise linear, continuous and falling. :func:`fill` finds the
``τ`` where ``K`` meets the budget without sorting, in a few passes over each HF's items in
compiled code (numba), row by row:

1. pack the live items (``c_i > 0``, ``π_i > b_i``) and their slopes ``s_i = c_i / (π_i − b_i)``;
2. evaluate ``K`` on a grid of :data:`GRID` equal intervals from the lowest bottom to the
   highest top in one pass (each item adds its cost, or its linear terms ``s_i π_i`` and
   ``s_i``, to the grid points it covers by difference arrays): ``τ`` is in one interval;
3. selection, the linear-time method of the continuous knapsack, on that interval: items with
   no break point strictly inside the bracket are folded into running sums, ``K`` is evaluated
   at a break point inside (median of three), and the bracket shrinks to one side of it;
   when none is left inside, ``K`` is linear there and ``τ`` is solved exactly;
4. the fractions ``clip((π_i − τ) / (π_i − b_i), 0, 1)``.

Every row is computed on its own, so a row gives the same bits whatever rows it runs with
(scenarios together equal scenarios alone; a Monte Carlo draw does not depend on its chunk).
"""

from __future__ import annotations

import numba
import numpy as np


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
        self.edges = np.concatenate([[0], ends]).astype(np.int64)
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


def fill(
    grade: np.ndarray,
    scale: np.ndarray,
    bottom: np.ndarray,
    cost: np.ndarray,
    budget: np.ndarray,
    blocks: Blocks,
    out: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Water-fill each HF's budget on items ordered in HF blocks (see :func:`allocate_budget`).

    Parameters
    ----------
    grade : numpy.ndarray
        Grades [TG 0–3], finite, shape ``(S, N)``, items in HF blocks.
    scale : numpy.ndarray
        Priority scale ``κ`` ≥ 0, shape ``(S, N)`` (or ``(1, N)`` shared by every row).
    bottom : numpy.ndarray
        Lower break points ``r · κ`` (``r`` the grade a measure leaves [TG]), shape ``(S, N)``
        or ``(1, N)``.
    cost : numpy.ndarray
        Cost of renewing each item whole [MNOK], zero where not eligible, ``(S, N)``.
    budget : numpy.ndarray
        Budget per HF [MNOK], ≥ 0, shape ``(S, H)``.
    blocks : Blocks
        The HF blocks of the item axis.
    out : numpy.ndarray, optional
        Array ``(S, N)`` of floats to write the fractions into (the year loop reuses one).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Renewed fraction of each item in ``[0, 1]``, shape ``(S, N)``, and the money spent
        per HF [MNOK] ``(S, H)``: the budget, or less when it pays for every measure.

    Notes
    -----
    Item ``i`` is renewed by the share ``f_i = clip((π_i − τ) / (π_i − b_i), 0, 1)`` of the way
    down to the result grade, and ``Σ f_i c_i`` is the budget (up to rounding, about 10⁻¹²
    relative) wherever the budget does not pay for all. An item is *live* when ``c_i > 0`` and
    ``π_i > b_i``; the others get nothing.
    """
    n_s, n = grade.shape
    frac = np.empty((n_s, n)) if out is None else out
    spent = np.empty(budget.shape)
    _fill_rows(
        np.ascontiguousarray(grade, dtype=float),
        np.ascontiguousarray(scale, dtype=float),
        np.ascontiguousarray(bottom, dtype=float),
        np.ascontiguousarray(cost, dtype=float),
        np.ascontiguousarray(budget, dtype=float),
        blocks.edges,
        frac,
        spent,
    )
    return frac, spent


@numba.njit(cache=True, nogil=True)
def _fill_rows(grade, scale, bottom, cost, budget, edges, frac, spent):
    """Compiled kernel of :func:`fill`: every row, every HF block (see the module notes)."""
    n_s, n = grade.shape
    work = np.empty((4, n))  # the live items' π, b, slope and cost, packed
    inv_gap = np.empty(n)  # 1 / (π − b) where live, else 0
    acc, points = ceiling_scratch(n)
    for s in range(n_s):
        ks = s if scale.shape[0] > 1 else 0
        kb = s if bottom.shape[0] > 1 else 0
        for h in range(len(edges) - 1):
            i0, i1 = edges[h], edges[h + 1]
            total = 0.0
            m = 0
            lo, hi = np.inf, -np.inf
            for i in range(i0, i1):
                c = cost[s, i]
                top, bot = grade[s, i] * scale[ks, i], bottom[kb, i]
                m, total, lo, hi = pack(top, bot, c, i, work, inv_gap, m, total, lo, hi)
            b_h = budget[s, h]
            if total <= b_h:  # the budget pays for every measure
                spent[s, h] = total
                for i in range(i0, i1):
                    frac[s, i] = 1.0 if inv_gap[i] > 0.0 else 0.0
                continue
            spent[s, h] = b_h
            tau = _ceiling(work[0], work[1], work[2], work[3], m, b_h, lo, hi, acc, points)
            for i in range(i0, i1):
                frac[s, i] = fraction(grade[s, i] * scale[ks, i], tau, inv_gap[i])


@numba.njit(cache=True, nogil=True, inline="always")
def pack(top, bottom, cost, i, work, inv_gap, m, total, lo, hi):
    """Pack item ``i`` when live (``c > 0``, ``π > b``) as the ``m``-th of ``work`` (its
    ``π``, ``b``, slope and cost) and set ``inv_gap[i]`` (0 when not live); return the new
    count of packed items, their total cost [MNOK] and the range ``(lo, hi)`` of their
    bottoms and tops (compiled code only)."""
    gap = top - bottom
    if cost > 0.0 and gap > 0.0:
        inv_gap[i] = 1.0 / gap
        work[0, m] = top
        work[1, m] = bottom
        work[2, m] = cost * inv_gap[i]
        work[3, m] = cost
        return m + 1, total + cost, min(lo, bottom), max(hi, top)
    inv_gap[i] = 0.0
    return m, total, lo, hi


@numba.njit(cache=True, nogil=True, inline="always")
def fraction(top, tau, inv_gap):
    """The renewed fraction ``clip((π − τ) / (π − b), 0, 1)`` of an item (compiled code only)."""
    return min(max((top - tau) * inv_gap, 0.0), 1.0)


GRID = 64
"""Intervals of the grid on which :func:`_ceiling` first evaluates ``K`` (in one pass)."""


@numba.njit(cache=True, nogil=True)
def ceiling_scratch(n):
    """Work arrays of :func:`_ceiling` for up to ``n`` items, made once per kernel call: the
    grid's sums ``(3, GRID + 2)`` and the items' grid points ``(2, n)`` int32 (compiled code
    only)."""
    return np.empty((3, GRID + 2)), np.empty((2, n), dtype=np.int32)


@numba.njit(cache=True, nogil=True)
def _ceiling(top, bottom, slope, cost, m, budget, lo, hi, acc, points):
    """Return ``τ`` with ``K(τ) = budget`` for the ``m`` live items packed in the arrays.

    ``K(τ) = Σ c_i clip((π_i − τ) / (π_i − b_i), 0, 1)``: ``K(lo) > budget ≥ 0 = K(hi)`` for
    ``lo`` the lowest bottom and ``hi`` the highest top of the items (found by the caller as it
    packs them). First ``K`` is evaluated on a grid of
    :data:`GRID` equal intervals of ``[lo, hi]`` in one pass (each item adds its cost, or its
    linear terms ``s_i π_i`` and ``s_i``, to the grid points it covers, by difference arrays),
    which brackets ``τ`` in one interval. Then rounds of selection: items with no break point
    strictly inside the bracket are folded into running sums (``paid``: costs of items wholly
    paid for anywhere in it; ``a``, ``s``: ``Σ s_i π_i`` and ``Σ s_i`` of items linear on all of
    it), ``K`` is evaluated at a median-of-three break point inside, and the bracket shrinks to
    one side of it. When no break point is left inside, ``K`` is linear on the bracket and
    ``τ`` is solved exactly. The arrays are reordered in place; ``acc`` and ``points`` are work
    arrays (:func:`ceiling_scratch`).
    """
    width = (hi - lo) / GRID
    # per grid point j: cost of items paid at it, Σ s π and Σ s of items linear at it
    acc[:] = 0.0
    _grid_points(top, bottom, m, lo, width, points)
    one = np.uint64(1)
    for q in range(m):
        # unsigned grid points (no wrap-around of negative indices to test), kept inside the
        # grid (a non-finite break point gives no index outside it), and the item's numbers
        # read before any store (so not read again after it): the same sums
        jb = min(np.uint64(points[0, q]), np.uint64(GRID))
        jt = min(np.uint64(points[1, q]), np.uint64(GRID + 1))
        c, sl = cost[q], slope[q]
        st = sl * top[q]
        acc[0, jb] += c
        if jt > jb + one:
            acc[1, jb + one] += st
            acc[1, jt] -= st
            acc[2, jb + one] += sl
            acc[2, jt] -= sl
    paid_from = 0.0
    for j in range(GRID, -1, -1):  # suffix sums: items whose bottom is at or above g_j
        paid_from += acc[0, j]
        acc[0, j] = paid_from
    first = 0  # the last grid point where K is above the budget
    a_j = s_j = 0.0
    for j in range(GRID + 1):
        a_j += acc[1, j]
        s_j += acc[2, j]
        if acc[0, j] + a_j - s_j * (lo + j * width) > budget:
            first = j
    hi = lo + (first + 1) * width if first < GRID else hi
    lo = lo + first * width
    paid = a = s = 0.0
    while True:
        kept = 0
        for q in range(m):
            t, b = top[q], bottom[q]
            if t <= lo:  # not reached anywhere in the bracket
                continue
            if b >= hi:  # wholly paid for anywhere in the bracket
                paid += cost[q]
            elif b <= lo and t >= hi:  # linear on the whole bracket
                a += slope[q] * t
                s += slope[q]
            else:
                top[kept], bottom[kept], slope[kept], cost[kept] = t, b, slope[q], cost[q]
                kept += 1
        m = kept
        if m == 0:
            break
        pivot = _median3(
            _inside(top, bottom, 0, hi),
            _inside(top, bottom, m // 2, hi),
            _inside(top, bottom, m - 1, hi),
        )
        k = paid + a - s * pivot
        for q in range(m):
            k += min(max(slope[q] * (top[q] - pivot), 0.0), cost[q])
        if k > budget:
            lo = pivot
        else:
            hi = pivot
    if s > 0.0:
        return min(max((paid + a - budget) / s, lo), hi)
    return hi


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _grid_points(top, bottom, m, lo, width, points):
    """Write per item the grid point at or below its bottom into ``points[0]`` and the first
    one at or above its top into ``points[1]`` (int32), in one pass the compiler vectorises
    (compiled code only)."""
    for q in range(m):
        # g_j ≤ b for j ≤ jb, g_j < π for j < jt (up to rounding)
        points[0, q] = np.int32(min((bottom[q] - lo) / width, float(GRID)))
        points[1, q] = np.int32(min(np.ceil((top[q] - lo) / width), float(GRID + 1)))


@numba.njit(cache=True, nogil=True, inline="always")
def _inside(top, bottom, i, hi):
    """Return a break point of active item ``i`` strictly inside the bracket ``(lo, hi)``.

    An active item has ``π_i > lo`` and ``b_i < hi`` and is not linear on the whole bracket, so
    its top is inside when ``π_i < hi``, and else its bottom is (``b_i > lo``).
    """
    return top[i] if top[i] < hi else bottom[i]


@numba.njit(cache=True, nogil=True, inline="always")
def _median3(x, y, z):
    """Return the median of three numbers (the pivot: robust to items in sorted order)."""
    return max(min(x, y), min(max(x, y), z))
