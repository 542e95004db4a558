"""The ceiling search: where each HF's cost of renewal meets its budget, for many rows at once.

The search
----------
Under a ceiling ``τ`` item ``i`` costs ``c_i · clip((π_i − τ) / (π_i − b_i), 0, 1)``: linear in
``τ`` between its lower break point ``b_i = r κ_i`` and its index ``π_i = g_i κ_i``. Each HF's
cost ``K(τ)`` is therefore piecewise linear, continuous and falling. :func:`search` finds the
``τ`` where ``K`` meets the budget without sorting, in compiled code (numba), by safeguarded
Newton steps on a bracket:

1. the bracket is ``[lo, hi]``, the lowest bottom and the highest top of the live items
   (``c_i > 0``, ``π_i > b_i``): ``K(lo)`` is their total cost, above the budget, ``K(hi) = 0``;
2. one pass over the items at a point ``τ`` gives, in item order, the costs of the items paid
   in full (``b_i ≥ τ``), ``Σ s_i π_i`` and ``Σ s_i`` of the items on their slope
   (``b_i < τ < π_i``, slope ``s_i = c_i / (π_i − b_i)``) and the nearest break points below
   and above ``τ``: ``K`` is linear between those two, and the line's root ``τ'`` is
   ``K``'s root when it falls between them;
3. otherwise the bracket shrinks (to ``τ``, and past the linear piece when ``τ'`` lies beyond
   it) and the next point is ``τ'`` when inside the bracket, else the bracket's midpoint
   (also from the fourth step on whenever a step did not halve the bracket).

The root is the same bits from whatever point the search starts, as long as it is not within
rounding of a break point: the last pass's sums depend only on which items are paid, on their
slope or not reached on the linear piece that holds the root, and are added in item order
(on a break point, the last pass may be on either piece beside it). Some steps end the search
early: a budget of 0 gets the highest top (``K`` is 0 there exactly); a piece where ``K`` is
flat at the budget gets its right end (no item is on its slope: every point of it gives the
same fractions); a piece that spans the bracket but whose line's root falls just outside it by
rounding gets that root clipped to the bracket. A pass at a break point gives ``K`` exactly but
no slope of either side: its Newton step is a guess. An item of infinite cost on its slope
makes ``K`` NaN, which counts as above the budget: such an item is not reached. The year
loop starts each HF's search at its ceiling of the year before (a *warm start*), which leaves
about two passes a search on the bundled ensembles; a first search starts where the line
through ``(lo, K(lo))`` and ``(hi, 0)`` meets the budget.

The passes are loops over the items with the rows innermost (``(item, row)`` arrays), so that
:mod:`hmn_bygg.condition.lane_kernel` runs them for many rows at once as SIMD lanes; a search
of one row forms the same sums by the same additions in one loop over its live items
(:func:`_pass_row`).
"""

from __future__ import annotations

import numba
import numpy as np
from numba.extending import overload


def at(a, i, d):  # pragma: no cover - replaced in compiled code by the overload below
    """Coefficient of item ``i`` in lane ``d``: ``a[i]`` when shared by the lanes (1-D), else
    ``a[i, d]`` (compiled code only)."""
    raise NotImplementedError


@overload(at, inline="always")
def _at_compiled(a, i, d):
    if a.ndim == 1:
        return lambda a, i, d: a[i]
    return lambda a, i, d: a[i, d]


TOTAL, LO, HI, BUDGET, TAU = range(5)
"""Rows of a search's state (:func:`search_state`) that the caller sets (``TAU``: the result)."""
_PAID, _LINEAR, _SLOPE, _BELOW, _ABOVE, _BOT, _TOP, _WIDTH, _DONE = range(5, 14)


@numba.njit(cache=True, nogil=True)
def search_state(width):
    """The state of :func:`search` for ``width`` lanes, ``(14, width)`` floats: per lane the
    total cost of the live items [MNOK] (row ``TOTAL``), their range (``LO``, ``HI``), the
    budget [MNOK] (``BUDGET``), the ceiling found (``TAU``) and the search's work rows (one
    pass's sums, the bracket, its width before the pass, whether the lane is done); compiled
    code only."""
    return np.zeros((14, width))


@numba.njit(cache=True, nogil=True, error_model="numpy")
def search(g, inv_gap, cost, scale, bottom, i0, i1, nd, state, start):
    """Find the ceiling ``τ`` of each of the first ``nd`` lanes on items ``i0 .. i1``.

    Parameters (compiled code only): grades ``g``, ``1 / (π − b)`` (0 where not live) and cost
    to the result grade [MNOK], each ``(N, width)``; the scale ``κ`` and the bottoms ``r κ``,
    ``(N,)`` shared by the lanes or ``(N, width)``; ``state`` (:func:`search_state`) with each
    lane's total cost of the live items, their range and its budget; and ``start``, each
    lane's starting point (NaN for none), to which the ceiling found is written. The ceilings are
    left in ``state[TAU]``; a lane whose budget pays for every measure has none (0, and its
    start is kept).
    """
    st = state
    open_lanes = 0
    for d in range(nd):
        st[TAU, d] = 0.0
        st[_DONE, d] = 1.0
        if st[TOTAL, d] <= st[BUDGET, d]:  # the budget pays for every measure: no ceiling
            continue
        lo, hi = st[LO, d], st[HI, d]
        if st[BUDGET, d] <= 0.0:  # nothing to spend: the highest top, where K is 0 exactly
            st[TAU, d] = start[d] = hi
            continue
        open_lanes += 1
        t0 = start[d]
        if not lo < t0 < hi:  # no start (NaN) or outside the bracket: the line's root
            total = st[TOTAL, d]
            t0 = lo + (total - st[BUDGET, d]) / total * (hi - lo)
            if not lo < t0 < hi:
                t0 = 0.5 * (lo + hi)
        st[TAU, d], st[_BOT, d], st[_TOP, d], st[_WIDTH, d], st[_DONE, d] = t0, lo, hi, hi - lo, 0
    step = 0
    while open_lanes:
        step += 1
        if nd == 1:  # one row: the same sums, in registers, over its live items only
            st[_PAID, 0], st[_LINEAR, 0], st[_SLOPE, 0], st[_BELOW, 0], st[_ABOVE, 0] = _pass_row(
                g, inv_gap, cost, scale, bottom, i0, i1, st[TAU, 0]
            )
        else:
            _pass(g, inv_gap, cost, scale, bottom, i0, i1, nd, st[TAU], st[_PAID], st[_LINEAR],
                  st[_SLOPE], st[_BELOW], st[_ABOVE])  # fmt: skip
        open_lanes = 0
        for d in range(nd):
            if st[_DONE, d]:
                continue
            done, tau, lo, hi, width = _step(
                st[TAU, d], st[_BOT, d], st[_TOP, d], st[_PAID, d], st[_LINEAR, d],
                st[_SLOPE, d], st[_BELOW, d], st[_ABOVE, d], st[BUDGET, d], st[_WIDTH, d], step,
            )  # fmt: skip
            st[TAU, d], st[_BOT, d], st[_TOP, d], st[_WIDTH, d] = tau, lo, hi, width
            if done:
                st[_DONE, d] = 1.0
                start[d] = tau
            else:
                open_lanes += 1


@numba.njit(cache=True, nogil=True, inline="always")
def search_row(g, inv_gap, cost, scale, bottom, i0, i1, total, lo, hi, budget, state, start):
    """:func:`search` for one row: its items ``(N, 1)``, the total cost of its live items
    [MNOK], their range, its budget [MNOK], a :func:`search_state` of width 1 and its start
    ``(1,)``; returns the ceiling (compiled code only)."""
    state[TOTAL, 0], state[LO, 0], state[HI, 0], state[BUDGET, 0] = total, lo, hi, budget
    search(g, inv_gap, cost, scale, bottom, i0, i1, 1, state, start)
    return state[TAU, 0]


@numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _pass_row(g, inv_gap, cost, scale, bottom, i0, i1, t):
    """:func:`_pass` for one lane (column 0), branching instead of selecting: the same sums,
    formed by the same additions in item order (an item that adds nothing is passed over),
    and the same nearest break points; returns them (compiled code only)."""
    paid = linear = slope = 0.0
    below, above = -np.inf, np.inf
    for i in range(i0, i1):
        ig = inv_gap[i, 0]
        if not ig > 0.0:  # not live
            continue
        c = cost[i, 0]
        top = g[i, 0] * at(scale, i, 0)
        bot = at(bottom, i, 0)
        # live means 1 / (π − b) > 0, so b < π (the pricing sets it only for π − b > 0): the
        # branches below then add what _pass's selects add, and give its break points
        if bot >= t:  # paid in full; b < π, so b is its nearest break point above
            paid += c
            above = min(above, bot)
        elif top > t:  # on its slope
            s_i = c * ig
            linear += s_i * top
            slope += s_i
            below, above = max(below, bot), min(above, top)
        elif top == t:
            below, above = max(below, bot), min(above, top)
        else:  # not reached
            below = max(below, top)
    return paid, linear, slope, below, above


@numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _pass(g, inv_gap, cost, scale, bottom, i0, i1, nd, tau, paid, linear, slope, below, above):
    """One pass at each lane's ``τ``: the cost of the items paid in full (``b ≥ τ``),
    ``Σ s π`` and ``Σ s`` of those on their slope (``b < τ < π``), in item order, and the
    nearest break points below and above ``τ`` (``±inf`` when none); items not live count
    nowhere. Branch-free over the lanes, so that it runs as vector instructions."""
    for d in range(nd):
        paid[d] = linear[d] = slope[d] = 0.0
        below[d] = -np.inf
        above[d] = np.inf
    for i in range(i0, i1):
        for d in range(nd):
            ig = inv_gap[i, d]
            live = ig > 0.0
            c = cost[i, d]
            top = g[i, d] * at(scale, i, d)
            bot = at(bottom, i, d)
            s_i = c * ig
            t = tau[d]
            full = live & (bot >= t)
            on = live & (bot < t) & (top > t)
            p0, a0, s0 = paid[d], linear[d], slope[d]
            paid[d] = p0 + c if full else p0
            linear[d] = a0 + s_i * top if on else a0
            slope[d] = s0 + s_i if on else s0
            under = max(bot if live & (bot < t) else -np.inf, top if live & (top < t) else -np.inf)
            over = min(bot if full else np.inf, top if live & (top >= t) else np.inf)
            below[d] = max(below[d], under)
            above[d] = min(above[d], over)


@numba.njit(cache=True, nogil=True, inline="always")
def _step(tau, lo, hi, paid, linear, slope, below, above, budget, width, step):
    """One step of the search from a pass at ``τ`` (see the module notes).

    Returns whether the ceiling is found, the ceiling or the next point, the new bracket and
    its width (compiled code only).
    """
    k = paid + linear - slope * tau  # K(τ), exact also at a break point
    over = not k <= budget  # an item of infinite cost on its slope makes K NaN: too dear
    if over:
        lo = tau
    else:
        hi = tau
    root = np.nan
    if above > tau:  # K is linear on [below, above], which holds τ inside
        if slope > 0.0:
            root = (paid + linear - budget) / slope
            if below <= root <= above:
                return True, root, lo, hi, width
            if below <= lo and above >= hi and root == root:  # the piece spans the bracket
                return True, min(max(root, lo), hi), lo, hi, width
            if over and root > above:
                lo = max(lo, above)
            elif not over and root < below:
                hi = min(hi, below)
        elif k == budget:  # flat at the budget: no item on its slope, the same fractions
            return True, above, lo, hi, width
        elif over:
            lo = max(lo, above)
        else:
            hi = min(hi, below)
    elif slope > 0.0:  # τ is a break point: the slope of neither side, a guess only
        root = (paid + linear - budget) / slope
    mid = 0.5 * (lo + hi)
    if not lo < mid < hi:  # nothing between two neighbouring floats
        return True, hi, lo, hi, width
    new_width = hi - lo
    if lo < root < hi and (step < 4 or new_width <= 0.5 * width):
        return False, root, lo, hi, new_width
    return False, mid, lo, hi, new_width
