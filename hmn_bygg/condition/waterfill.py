"""The water-filling allocation: each HF's budget spent on its items up to a ceiling.

:mod:`hmn_bygg.condition.maintenance` states the policies and why a ceiling makes spending monotone
in money; this module spends the budgets for many rows (scenarios, or scenario × draw) at once.
Items are ``building × part`` ordered so that each HF is one contiguous block (:class:`Blocks`).
Item ``i`` is live when its cost ``c_i > 0`` and its index ``π_i = g_i κ_i`` lies above its
lower break point ``b_i = r κ_i``; :func:`fill` prices the live items, finds each HF's ceiling
``τ`` (:mod:`hmn_bygg.condition.ceiling`) where the budget does not pay for all, and renews the
share ``clip((π_i − τ) / (π_i − b_i), 0, 1)`` of each.

Every row is computed on its own, so a row gives the same bits whatever rows it runs with
(scenarios together equal scenarios alone; a Monte Carlo draw does not depend on its chunk).
"""

from __future__ import annotations

import numba
import numpy as np

from hmn_bygg.condition.ceiling import search_row, search_state


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
    start: np.ndarray | None = None,
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
    start : numpy.ndarray, optional
        Ceiling at which each search starts [-] ``(S, H)``, C-contiguous floats, NaN for
        none; where a budget does not pay for all, the ceiling found is written back (the
        year loop passes the same array every year: a warm start, see the module notes).

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
    if start is None:
        start = np.full(budget.shape, np.nan)
    _fill_rows(
        np.ascontiguousarray(grade, dtype=float),
        np.ascontiguousarray(scale, dtype=float),
        np.ascontiguousarray(bottom, dtype=float),
        np.ascontiguousarray(cost, dtype=float),
        np.ascontiguousarray(budget, dtype=float),
        blocks.edges,
        frac,
        spent,
        start,
    )
    return frac, spent


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _fill_rows(grade, scale, bottom, cost, budget, edges, frac, spent, start):
    """Compiled kernel of :func:`fill`: every row, every HF block (see the module notes)."""
    n_s, n = grade.shape
    inv_gap = np.empty((n, 1))  # 1 / (π − b) where live, else 0
    one = search_state(1)
    for s in range(n_s):
        ks = s if scale.shape[0] > 1 else 0
        kb = s if bottom.shape[0] > 1 else 0
        g_s, c_s = grade[s].reshape((n, 1)), cost[s].reshape((n, 1))
        for h in range(len(edges) - 1):
            i0, i1 = edges[h], edges[h + 1]
            total, lo, hi = 0.0, np.inf, -np.inf
            for i in range(i0, i1):
                inv_gap[i, 0], total, lo, hi = price(
                    grade[s, i] * scale[ks, i], bottom[kb, i], cost[s, i], total, lo, hi
                )
            b_h = budget[s, h]
            if total <= b_h:  # the budget pays for every measure
                spent[s, h] = total
                for i in range(i0, i1):
                    frac[s, i] = 1.0 if inv_gap[i, 0] > 0.0 else 0.0
                continue
            spent[s, h] = b_h
            tau = search_row(g_s, inv_gap, c_s, scale[ks], bottom[kb], i0, i1, total, lo, hi, b_h,
                             one, start[s, h : h + 1])  # fmt: skip
            for i in range(i0, i1):
                frac[s, i] = fraction(grade[s, i] * scale[ks, i], tau, inv_gap[i, 0])


@numba.njit(cache=True, nogil=True, inline="always")
def price(top, bottom, cost, total, lo, hi):
    """Return ``1 / (π − b)`` of an item when live (``c > 0``, ``π > b``; else 0) and the new
    total cost [MNOK] and range ``(lo, hi)`` of the live items' bottoms and tops (compiled code
    only)."""
    gap = top - bottom
    if cost > 0.0 and gap > 0.0:
        return 1.0 / gap, total + cost, min(lo, bottom), max(hi, top)
    return 0.0, total, lo, hi


@numba.njit(cache=True, nogil=True, inline="always")
def fraction(top, tau, inv_gap):
    """The renewed fraction ``clip((π − τ) / (π − b), 0, 1)`` of an item (compiled code only)."""
    return min(max((top - tau) * inv_gap, 0.0), 1.0)
