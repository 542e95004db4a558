"""The year kernel with draws as SIMD lanes: :func:`~hmn_bygg.condition.year_kernel.run_linear`
for many rows at once, the same numbers bit for bit.

The rows (Monte Carlo draws, or scenarios) are taken :data:`LANES` at a time and laid out with
the row as the innermost, contiguous axis (``(item, lane)``), so that every step that is the
same for all rows (wear, pricing, the live test, the measures, the year's sums) is one loop over
the lanes, which the compiler turns into vector instructions. Each lane keeps its own running
sums (total cost, range of break points, upgrade need, VTTG numerator) and adds its items in
item order, so every row's numbers are formed by the same operations in the same order as when
it runs alone (:func:`hmn_bygg.condition.year_kernel._run_rows`), whatever rows share its
lanes. The water-filling ceiling's passes run over the lanes too
(:func:`hmn_bygg.condition.ceiling.search`): a lane's search takes the steps it takes alone,
and the passes go on until every lane has its ceiling (about two on the bundled ensembles).

What the row kernel does only where needed is done here for every lane and then selected:
``x if live else y`` instead of a branch, a building's wear with ``w = 0`` (``min(g + 0, 3)``
is ``g``: grades are finite, in ``[0, 3]`` and never ``-0.0`` after the first year), the measure
of an item with no money (``g − (g − r) · 0`` is ``g``), an out-of-service building's sums
(``+ 0.0``). A building is passed over only when no lane needs it and every coefficient is
finite (the row kernel's ``skip``).

The vector loops are LLVM's loop vectoriser's (numba cannot mark arrays as not aliasing, so it
checks the arrays' ranges once per loop, an overhead spread over the lanes); divisions follow
the IEEE rules without Python's zero check (``error_model="numpy"``) so that they vectorise, and
no fast-math is used (no contraction to FMA), so each lane's operations are the row kernel's.
"""

from __future__ import annotations

import numba
import numpy as np
from numba.extending import overload

from hmn_bygg.condition.ceiling import BUDGET, HI, LO, TAU, TOTAL, at, search, search_state
from hmn_bygg.condition.grade_sums import _need
from hmn_bygg.condition.waterfill import fraction

LANES = 32
"""Rows run side by side. The compiler's loop over the lanes does 8 float64 a step with AVX-512
(4 with AVX2) after checking once that the arrays do not overlap, and takes its vector path only
for enough lanes: 16 lanes ran scalar and were slower than the row kernel, 64 no faster than 32
(the work arrays of an HF block, ``4 × items × lanes`` floats, then leave the CPU's L2 cache)."""


def _lanes_of(a, d0, nd, width):  # pragma: no cover - replaced by the overload below
    """A coefficient for lanes ``d0 .. d0 + nd``: the shared 1-D array itself, or the rows'
    ``(R, N)`` values transposed to ``(N, width)`` (compiled code only)."""
    raise NotImplementedError


@overload(_lanes_of)
def _lanes_of_compiled(a, d0, nd, width):
    if a.ndim == 1:
        return lambda a, d0, nd, width: a

    def transpose(a, d0, nd, width):
        out = np.zeros((a.shape[1], width))
        for d in range(nd):
            for i in range(a.shape[1]):
                out[i, d] = a[d0 + d, i]
        return out

    return transpose


@numba.njit(cache=True, nogil=True)
def _masks(src, d0, nd, width):
    """A building mask ``(R|1, Y, B)`` of lanes ``d0 .. d0 + nd`` as ``(Y, B, width)`` (lanes
    last), and per year and building whether any lane has it ``(Y, B)``."""
    n_y, n_b = src.shape[1], src.shape[2]
    out = np.zeros((n_y, n_b, width), dtype=np.bool_)
    anyone = np.zeros((n_y, n_b), dtype=np.bool_)
    for d in range(nd):
        r = d0 + d if src.shape[0] > 1 else 0
        for t in range(n_y):
            for b in range(n_b):
                on = src[r, t, b]
                out[t, b, d] = on
                anyone[t, b] |= on
    return out, anyone


@numba.njit(cache=True, nogil=True, error_model="numpy")
def run_lanes(
    grade, inc, wearing, elig, act, a1, a2, weight, scale, bottom, result, budget, edges,
    max_grade, need, vttg, spend, grades, keep, skip,
):  # fmt: skip
    """Compiled kernel: the arguments of :func:`~hmn_bygg.condition.year_kernel._run_rows`,
    except that a coefficient shared by every row (``inc``, ``a1``, ``a2``, ``weight``,
    ``scale``, ``bottom``) is passed 1-D ``(N,)`` and one per row ``(R, N)``.

    HF blocks are independent (each has its own budget, items and sums), so the loop over
    years runs inside the loop over HF blocks: the lanes' work arrays of one block stay in
    the CPU's cache for all the years.
    """
    n_r, n = grade.shape
    n_y, n_b = act.shape[1], act.shape[2]
    n_p = n // n_b
    n_h = len(edges) - 1
    width = LANES
    g_l = np.zeros((n, width))  # grades, item × lane
    ig_l = np.zeros((n, width))  # 1 / (π − b) where live, else 0
    c_l = np.zeros((n, width))  # cost to the result grade
    state = search_state(width)  # the water-filling search's per lane
    total, lo, hi, bud, tau = state[TOTAL], state[LO], state[HI], state[BUDGET], state[TAU]
    x, v, paid = np.zeros(width), np.zeros(width), np.zeros(width)
    res = np.zeros(width)
    start = np.empty((n_h, width))  # each lane's last ceiling per HF: where its search starts
    for d0 in range(0, n_r, width):
        nd = min(width, n_r - d0)
        for i in range(n):
            for d in range(nd):
                g_l[i, d] = grade[d0 + d, i]
        inc_l = _lanes_of(inc, d0, nd, width)
        a1_l, a2_l = _lanes_of(a1, d0, nd, width), _lanes_of(a2, d0, nd, width)
        w_l = _lanes_of(weight, d0, nd, width)
        k_l, b_l = _lanes_of(scale, d0, nd, width), _lanes_of(bottom, d0, nd, width)
        wear_l, wear_any = _masks(wearing, d0, nd, width)
        elig_l, elig_any = _masks(elig, d0, nd, width)
        act_l, on_any = _masks(act, d0, nd, width)
        for d in range(nd):
            res[d] = result[d0 + d if result.shape[0] > 1 else 0, 0]
        if keep:
            for i in range(n):
                for d in range(nd):
                    grades[d0 + d, 0, i] = g_l[i, d]
        start[:] = np.nan
        for h in range(n_h):
            i0, i1 = edges[h], edges[h + 1]
            b0, b1 = i0 // n_p, i1 // n_p
            # the surveyed year: sums only
            x[:] = 0.0
            v[:] = 0.0
            for b in range(b0, b1):
                if on_any[0, b] or not skip:
                    _sums(g_l, a1_l, a2_l, w_l, act_l[0], b, n_p, nd, x, v)
                for i in range(b * n_p, (b + 1) * n_p):
                    for d in range(nd):  # -0.0 as +0.0, as the first year's wear leaves it
                        g_l[i, d] = g_l[i, d] + 0.0
            for d in range(nd):
                need[d0 + d, 0, h] = x[d]
                vttg[d0 + d, 0, h] = v[d]
            for t in range(1, n_y):
                wf, ef = wear_l[t], elig_l[t]
                # 1. wear, price and the live test, every lane; each lane's total and range
                total[:] = 0.0
                lo[:] = np.inf
                hi[:] = -np.inf
                for b in range(b0, b1):
                    if skip and not (wear_any[t, b] or elig_any[t, b]):
                        ig_l[b * n_p : (b + 1) * n_p] = 0.0  # nothing changes nor is priced
                        continue
                    for i in range(b * n_p, (b + 1) * n_p):
                        for d in range(nd):
                            w = 1.0 if wf[b, d] else 0.0
                            g = min(g_l[i, d] + at(inc_l, i, d) * w, max_grade)
                            me = 1.0 if ef[b, d] else 0.0
                            c = _need(g, at(a1_l, i, d) * me, at(a2_l, i, d) * me)
                            top = g * at(k_l, i, d)
                            bot = at(b_l, i, d)
                            gap = top - bot
                            live = (c > 0.0) & (gap > 0.0)
                            g_l[i, d] = g
                            c_l[i, d] = c
                            ig_l[i, d] = 1.0 / gap if live else 0.0
                            t_d, lo_d, hi_d = total[d], lo[d], hi[d]
                            total[d] = t_d + c if live else t_d
                            lo[d] = min(lo_d, bot) if live else lo_d
                            hi[d] = max(hi_d, top) if live else hi_d
                # the ceiling of each lane whose budget does not pay for every measure
                for d in range(nd):
                    b_h = budget[d0 + d, h, t]
                    bud[d] = b_h
                    paid_all = total[d] <= b_h
                    paid[d] = 1.0 if paid_all else 0.0
                    spend[d0 + d, t, h] = min(total[d] if paid_all else b_h, b_h)
                search(g_l, ig_l, c_l, k_l, b_l, i0, i1, nd, state, start[h])
                # 2. the measures, then the year's sums in item order, every lane
                x[:] = 0.0
                v[:] = 0.0
                for b in range(b0, b1):
                    if elig_any[t, b] or not skip:
                        _measures(g_l, ig_l, k_l, tau, paid, res, b, n_p, nd)
                    if on_any[t, b] or not skip:
                        _sums(g_l, a1_l, a2_l, w_l, act_l[t], b, n_p, nd, x, v)
                for d in range(nd):
                    need[d0 + d, t, h] = x[d]
                    vttg[d0 + d, t, h] = v[d]
                if keep:
                    for i in range(i0, i1):
                        for d in range(nd):
                            grades[d0 + d, t, i] = g_l[i, d]
        for i in range(n):
            for d in range(nd):
                grade[d0 + d, i] = g_l[i, d]


@numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _measures(g_l, ig_l, k_l, tau, paid, res, b, n_p, nd):
    """Renew the share ``f`` of each part of building ``b`` in every lane: all of a live part
    where the lane's budget pays for all, else the water-filling fraction (in place)."""
    for i in range(b * n_p, (b + 1) * n_p):
        for d in range(nd):
            g = g_l[i, d]
            ig = ig_l[i, d]
            whole = 1.0 if ig > 0.0 else 0.0
            part = fraction(g * at(k_l, i, d), tau[d], ig)
            g_l[i, d] = g - (g - res[d]) * (whole if paid[d] > 0.0 else part)


@numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _sums(g_l, a1_l, a2_l, w_l, on, b, n_p, nd, x, v):
    """Add building ``b``'s upgrade need and VTTG numerator to each lane's sums, in item order
    (``+ 0.0`` where the lane's building is out of service)."""
    for i in range(b * n_p, (b + 1) * n_p):
        for d in range(nd):
            g = g_l[i, d]
            m = 1.0 if on[b, d] else 0.0
            x[d] += _need(g, at(a1_l, i, d) * m, at(a2_l, i, d) * m)
            v[d] += g * (at(w_l, i, d) * m)
