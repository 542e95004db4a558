"""The year loop of the usual case in one compiled kernel: wear, allocation, measures, sums.

When every row wears linearly and a measure brings a part to TG1 (the bundled model, and every
draw of its ensembles), a row-year is two passes over the row's items, HF block by HF block:

1. **wear and price**: each part of a building in service ages (``g = min(g + inc, 3)``), its
   cost to the result grade is priced (:func:`hmn_bygg.condition.grade_sums.need_per_item`)
   and, when it may get money, marked live for the water-filling
   (:func:`hmn_bygg.condition.waterfill.fill`) with the range of the live items' break
   points; the HF's ceiling ``τ`` follows (:func:`hmn_bygg.condition.ceiling.search`,
   started at the row's ceiling of the year before);
2. **measures and sums**: building by building, the renewed fraction of each part is applied
   (``g −= (g − r) · f``) and the HF's upgrade need and VTTG numerator add the items in order.

A building that neither wears nor may get money keeps its grades, and one out of service adds
``+0.0`` to the sums: when every coefficient is finite (checked once per call) both are passed
over, which changes no bit.

The loop over years runs inside the kernel, row by row, so a row's grades stay in the CPU's
nearest cache for all its years; no cost or fraction array is ever written. Every number is
formed by the same expression, in the same order, as the NumPy-and-kernels steps of
:meth:`hmn_bygg.condition.simulate._Block.run` (the general path, which the other cases still
take): the results are the same bit for bit, and a row gives the same bits whatever rows it
runs with.

Many rows (the draws of an ensemble) run through :mod:`hmn_bygg.condition.lane_kernel`, the
same steps with the rows as SIMD lanes, whole groups of
:data:`~hmn_bygg.condition.lane_kernel.LANES` rows at a time; the rest run here, row by row.
"""

from __future__ import annotations

import numba
import numpy as np

from hmn_bygg.condition.ceiling import search_row, search_state
from hmn_bygg.condition.grade_sums import _need
from hmn_bygg.condition.lane_kernel import LANES, run_lanes
from hmn_bygg.condition.waterfill import fraction, price

_LANES = True
"""Run whole groups of :data:`~hmn_bygg.condition.lane_kernel.LANES` rows through the lane kernel
(:mod:`hmn_bygg.condition.lane_kernel`) and the rest through the row kernel; the tests set it
off to compare with the row kernel alone."""


def run_linear(
    grade: np.ndarray,
    inc: np.ndarray,
    wearing: np.ndarray,
    elig: np.ndarray,
    act: np.ndarray,
    coef: dict[str, np.ndarray],
    budget: np.ndarray,
    edges: np.ndarray,
    max_grade: float,
    grades: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Run every year of rows that wear linearly; return need, VTTG numerator and spending.

    Parameters
    ----------
    grade : numpy.ndarray
        Grades in the first year [TG 0–3] ``(R, N)``, items ``building × part`` in HF blocks;
        changed in place to the grades of the last year.
    inc : numpy.ndarray
        Linear wear a year [TG/yr] ``(R, N)`` or ``(1, N)``.
    wearing, elig, act : numpy.ndarray
        Per year and building ``(R|1, Y, B)`` (bool): which buildings wear, which may get money
        and which are in service (count in the sums).
    coef : dict of str to numpy.ndarray
        Per item, ``(R, N)`` or ``(1, N)`` [MNOK unless said]: ``a1``, ``a2`` (cost of the
        step TG1→TG2, extra cost of TG2→TG3), ``scale`` (priority scale ``κ`` [-]),
        ``bottom`` (``r · κ`` [-]), ``weight`` (VTTG weight [m² or NOK]); and ``result``, the
        grade a measure leaves [TG], ``(R|1, 1)``.
    budget : numpy.ndarray
        Budget per row, HF and year [MNOK] ``(R, H, Y)``; the first year's is not spent.
    edges : numpy.ndarray
        Item index where each HF block starts, and the total, ``(H + 1,)`` int64 (at building
        boundaries).
    max_grade : float
        The worst grade [TG].
    grades : numpy.ndarray, optional
        ``(R, Y, N)``: filled with every year's grades when given.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray, numpy.ndarray)
        Upgrade need [MNOK], VTTG numerator ``Σ c_i g_i`` and money spent [MNOK] per row,
        year and HF, each ``(R, Y, H)`` (nothing is spent in the first year).
    """
    n_r, n_y, n_h = grade.shape[0], act.shape[1], len(edges) - 1
    need = np.empty((n_r, n_y, n_h))
    vttg = np.empty_like(need)
    spend = np.zeros_like(need)
    keep = grades is not None
    names = ("a1", "a2", "weight", "scale", "bottom")
    per_item = [np.ascontiguousarray(a, dtype=float) for a in [inc, *(coef[k] for k in names)]]
    result = np.ascontiguousarray(coef["result"], dtype=float)
    masks = [np.ascontiguousarray(m) for m in (wearing, elig, act)]
    budget = np.ascontiguousarray(budget, dtype=float)
    if not (np.isfinite(budget).all() and (budget >= 0.0).all()):  # the kernels assume it
        raise ValueError("maintenance budgets must be finite and not negative [MNOK]")
    skip = _all_finite(*per_item, result)
    # whole groups of lanes through the lane kernel, the rest row by row: the same bits
    n_lanes = n_r // LANES * LANES if _LANES else 0
    for lanes, rows in ((True, slice(0, n_lanes)), (False, slice(n_lanes, n_r))):
        if rows.start == rows.stop:
            continue
        inc_r, *coefs = (_rows(a, rows, lanes) for a in per_item)
        (run_lanes if lanes else _run_rows)(
            grade[rows], inc_r, *(_rows(m, rows) for m in masks), *coefs, _rows(result, rows),
            budget[rows], edges, float(max_grade), need[rows], vttg[rows], spend[rows],
            grades[rows] if grades is not None else np.empty((1, 1, 1)), keep, skip,
        )  # fmt: skip
    return need, vttg, spend


def _rows(a: np.ndarray, rows: slice, flat: bool = False) -> np.ndarray:
    """The ``rows`` of a per-row array, or its one shared row (1-D when ``flat``: the lane
    kernel takes a coefficient shared by every row so)."""
    if a.shape[0] > 1:
        return a[rows]
    return a[0] if flat else a


def _all_finite(*arrays: np.ndarray) -> bool:
    """Whether every number is finite: then a building that neither wears nor may get money
    keeps its grades, and one out of service adds nothing to the sums (``x + 0.0``), so the
    kernel may pass over them."""
    return all(bool(np.isfinite(a).all()) for a in arrays)


@numba.njit(cache=True, nogil=True)
def _run_rows(
    grade, inc, wearing, elig, act, a1, a2, weight, scale, bottom, result, budget, edges,
    max_grade, need, vttg, spend, grades, keep, skip,
):  # fmt: skip
    """Compiled kernel of :func:`run_linear`: row by row, year by year, HF block by block."""
    n_r, n = grade.shape
    n_y, n_b = act.shape[1], act.shape[2]
    n_p = n // n_b
    n_h = len(edges) - 1
    inv_gap = np.zeros((n, 1))  # 1 / (π − b) where live, else 0
    cost = np.zeros((n, 1))  # cost to the result grade [MNOK]
    one = search_state(1)  # the water-filling search's state
    start = np.empty(n_h)  # the row's last ceiling per HF: where its search starts
    for r in range(n_r):
        g_r = grade[r]
        g_1 = g_r.reshape((n, 1))
        inc_r = inc[r if inc.shape[0] > 1 else 0]
        wear_r = wearing[r if wearing.shape[0] > 1 else 0]
        elig_r = elig[r if elig.shape[0] > 1 else 0]
        act_r = act[r if act.shape[0] > 1 else 0]
        a1_r = a1[r if a1.shape[0] > 1 else 0]
        a2_r = a2[r if a2.shape[0] > 1 else 0]
        w_r = weight[r if weight.shape[0] > 1 else 0]
        k_r = scale[r if scale.shape[0] > 1 else 0]
        b_r = bottom[r if bottom.shape[0] > 1 else 0]
        res = result[r if result.shape[0] > 1 else 0, 0]
        start[:] = np.nan
        for h in range(n_h):  # the surveyed year: sums only
            x = v = 0.0
            for b in range(edges[h] // n_p, edges[h + 1] // n_p):
                on = act_r[0, b]
                m = 1.0 if on else 0.0
                for i in range(b * n_p, (b + 1) * n_p):
                    g = g_r[i]
                    if keep:
                        grades[r, 0, i] = g
                    if on or not skip:
                        x += _need(g, a1_r[i] * m, a2_r[i] * m)
                        v += g * (w_r[i] * m)
                    g_r[i] = g + 0.0  # -0.0 as +0.0, as the first year's wear leaves it
            need[r, 0, h] = x
            vttg[r, 0, h] = v
        for t in range(1, n_y):
            for h in range(n_h):
                i0, i1 = edges[h], edges[h + 1]
                # 1. wear, and price the items money may go to
                total = 0.0
                lo, hi = np.inf, -np.inf
                for b in range(i0 // n_p, i1 // n_p):
                    wb, eb = wear_r[t, b], elig_r[t, b]
                    if skip and not (wb or eb):  # nothing changes and nothing is priced
                        inv_gap[b * n_p : (b + 1) * n_p] = 0.0
                        continue
                    w = 1.0 if wb else 0.0
                    me = 1.0 if eb else 0.0
                    for i in range(b * n_p, (b + 1) * n_p):
                        g = min(g_r[i] + inc_r[i] * w, max_grade)
                        g_r[i] = g
                        c = _need(g, a1_r[i] * me, a2_r[i] * me)
                        cost[i, 0] = c
                        inv_gap[i, 0], total, lo, hi = price(g * k_r[i], b_r[i], c, total, lo, hi)
                b_h = budget[r, h, t]
                paid_all = total <= b_h  # the budget pays for every measure
                tau = search_row(g_1, inv_gap, cost, k_r, b_r, i0, i1, total, lo, hi, b_h, one,
                                 start[h : h + 1])  # fmt: skip
                spend[r, t, h] = min(total if paid_all else b_h, b_h)
                # 2. the measures, then the year's sums (in item order), building by building
                x = v = 0.0
                for b in range(i0 // n_p, i1 // n_p):
                    eb, on = elig_r[t, b], act_r[t, b]
                    if eb or not skip:
                        if paid_all:
                            for i in range(b * n_p, (b + 1) * n_p):
                                g = g_r[i]
                                f = 1.0 if inv_gap[i, 0] > 0.0 else 0.0
                                g_r[i] = g - (g - res) * f
                        else:
                            for i in range(b * n_p, (b + 1) * n_p):
                                g = g_r[i]
                                f = fraction(g * k_r[i], tau, inv_gap[i, 0])
                                g_r[i] = g - (g - res) * f
                    if on or not skip:
                        m = 1.0 if on else 0.0
                        for i in range(b * n_p, (b + 1) * n_p):
                            g = g_r[i]
                            x += _need(g, a1_r[i] * m, a2_r[i] * m)
                            v += g * (w_r[i] * m)
                need[r, t, h] = x
                vttg[r, t, h] = v
                if keep:
                    grades[r, t, i0:i1] = g_r[i0:i1]
