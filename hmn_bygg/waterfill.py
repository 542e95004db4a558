"""The water-filling search: the ceiling on the priority index that a budget pays for.

:mod:`hmn_bygg.maintenance` states the policies and why a ceiling makes spending monotone in
money; this module finds the ceiling fast, for many rows (scenarios, or scenario × draw) at
once. Items are ``building × part`` ordered so that each HF is one contiguous block
(:class:`Blocks`).

The search
----------
Under a ceiling ``τ`` item ``i`` costs ``c_i · clip((π_i − τ) / (π_i − r κ_i), 0, 1)``: linear in
``τ`` between its lower break point ``r κ_i`` and its index ``π_i = g_i κ_i``. Each HF's cost
``K(τ)`` is therefore piecewise linear and falling, with a break point at every item's top and
bottom (when the scale depends on the part only, as for worst-first, the bottoms take one
value per part: ``P`` points per HF instead of ``N_h``). :func:`ceilings` sorts every HF's
break points in one vectorized sort of packed ``int64`` keys, sums the slopes in blocks of
:data:`SEARCH_BLOCK` points to find the block where ``K`` meets the budget, and solves exactly
on the linear piece inside it. :func:`fill` turns the ceiling into renewed fractions.

Every step works row by row, so a row gives the same bits whatever rows it runs with, and the
work arrays are reused from year to year (:class:`Scratch`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NORMAL_TINY = float(np.finfo(float).tiny)
"""The smallest normal positive float: a divisor that is never zero (and not subnormal, which
would be slow) and that no positive gap of a live item falls below."""


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


@dataclass(frozen=True)
class PartBottoms:
    """Lower break points that depend on the part only (worst-first: ``κ = risk_weight(part)``).

    Then every HF has at most ``P`` distinct lower break points ``r · κ_p`` instead of one per
    item, and the ceiling search sorts ``N_h + P`` points per HF instead of ``2 N_h``.

    Parameters
    ----------
    buildings : Blocks
        The HF blocks of the *building* axis (items are ``building × part``, building-major).
    bottom : numpy.ndarray
        ``r · κ_p`` per row and part, shape ``(S, P)`` (or ``(1, P)`` shared by every row).
    rows : numpy.ndarray
        Boolean ``(S,)``: the rows whose scale depends on the part only; the others use the
        general search.
    """

    buildings: Blocks
    bottom: np.ndarray
    rows: np.ndarray


class Scratch:
    """Work arrays reused from year to year.

    A fresh array of a few hundred kB is mapped from the operating system and faulted in page
    by page on first use; in the year loop that cost more than the arithmetic. Arrays handed
    out are overwritten by the next call that asks for the same name.
    """

    def __init__(self) -> None:
        self._arrays: dict[str, np.ndarray] = {}
        self._layouts: dict[tuple, _Segments] = {}

    def get(self, name: str, shape: tuple[int, ...], dtype: type = float) -> np.ndarray:
        """Return the work array ``name`` of this shape and dtype (contents undefined)."""
        x = self._arrays.get(name)
        if x is None or x.shape != shape or x.dtype != dtype:
            x = self._arrays[name] = np.empty(shape, dtype)
        return x

    def layout(self, widths: list[int], block: int) -> _Segments:
        """Return the (cached) block structure of HF segments of these widths."""
        key = ("_layout", tuple(widths), block)
        if key not in self._layouts:
            self._layouts[key] = _Segments(widths, block)
        return self._layouts[key]

    def zeros(self, shape: tuple[int, ...]) -> np.ndarray:
        """Return a float array of zeros of this shape (never written by the loop)."""
        x = self._arrays.get("_zeros")
        if x is None or x.shape[0] != shape[0] or x.shape[1] < shape[1]:
            x = self._arrays["_zeros"] = np.zeros(shape)
        return x[:, : shape[1]]


class _Segments:
    """HF segments of the sorted break points, each a whole number of search blocks."""

    def __init__(self, widths: list[int], block: int) -> None:
        self.n_blocks = np.array(widths) // block
        self.first = np.cumsum(self.n_blocks) - self.n_blocks  # first block of each HF
        self.starts = np.arange(0, sum(widths), block)
        self.hf_of_block = np.repeat(np.arange(len(widths)), self.n_blocks)
        self.segment = np.repeat(np.arange(len(widths)), widths)


def fill(
    grade: np.ndarray,
    scale: np.ndarray,
    result: np.ndarray,
    bottom: np.ndarray,
    cost: np.ndarray,
    budget: np.ndarray,
    blocks: Blocks,
    parts: PartBottoms | None = None,
    scratch: Scratch | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Water-fill each HF's budget on items ordered in HF blocks (see :func:`allocate_budget`).

    Parameters
    ----------
    grade : numpy.ndarray
        Grades [TG 0–3], finite, shape ``(S, N)``, items in HF blocks.
    scale : numpy.ndarray
        Priority scale ``κ`` ≥ 0, shape ``(S, N)`` (or ``(1, N)`` shared by every row).
    result : numpy.ndarray
        Grade a measure leaves [TG], shape ``(S, 1)``.
    bottom : numpy.ndarray
        Lower break points ``r · κ``, shape ``(S, N)`` or ``(1, N)`` (fixed over the years).
    cost : numpy.ndarray
        Cost of renewing each item whole [MNOK], zero where not eligible, ``(S, N)``.
    budget : numpy.ndarray
        Budget per HF [MNOK], shape ``(S, H)``.
    blocks : Blocks
        The HF blocks of the item axis.
    parts : PartBottoms, optional
        For rows whose scale depends on the part only: the per-part lower break points (a
        faster search, the same ceiling up to rounding).
    scratch : Scratch, optional
        Work arrays to reuse (the year loop passes its own; the returned fractions are one of
        them, valid until the next call).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Renewed fraction of each item in ``[0, 1]``, shape ``(S, N)``, and the money spent
        per HF [MNOK] ``(S, H)``: the budget, or less when it pays for every measure.

    Notes
    -----
    Every step works row by row (elementwise, or along the item axis of one row), so a row
    gives the same bits whatever other rows it runs with. Item ``i`` is renewed by the share
    ``f_i = clip((π_i − τ) / (π_i − r κ_i), 0, 1)`` of the way down to the result grade, and
    ``Σ f_i c_i`` is the budget (up to rounding) wherever the budget does not pay for all.
    """
    sc = scratch if scratch is not None else Scratch()
    shape = grade.shape
    top = np.multiply(grade, scale, out=sc.get("top", shape))  # π_i
    gap = np.subtract(top, bottom, out=sc.get("gap", shape))
    live = np.greater(cost, 0.0, out=sc.get("live", shape, bool))
    live &= np.greater(gap, 0.0, out=sc.get("live_gap", shape, bool))
    np.maximum(gap, NORMAL_TINY, out=gap)  # > 0 everywhere; unchanged where live
    slope = np.multiply(cost, live, out=sc.get("slope", shape))
    total = blocks.sums(slope)  # the cost of everything money can lower
    slope /= gap  # MNOK per unit of index; 0 where not live (its points then do not count)
    paid = total <= budget  # everything paid for: no ceiling
    ceiling = np.full(budget.shape, -np.inf)
    n_s = shape[0]
    grouped = np.zeros(n_s, bool) if parts is None else np.broadcast_to(parts.rows, (n_s,))
    for group in (grouped, ~grouped):
        if not group.any() or paid[group].all():
            continue
        rows = np.flatnonzero(group)
        every = len(rows) == n_s
        t_g, s_g = (top, slope) if every else (top[rows], slope[rows])
        if group is grouped:
            n_p = parts.bottom.shape[-1]
            per_part = -parts.buildings.sums(np.swapaxes(s_g.reshape(len(rows), -1, n_p), 1, 2))
            low = np.broadcast_to(parts.bottom, (n_s, n_p))[rows]
            pieces = [
                (t_g[:, i:j], low, s_g[:, i:j], per_part[:, :, h])
                for h, (i, j) in enumerate(blocks.bounds)
            ]
        else:
            low = np.broadcast_to(bottom, shape)
            neg = np.negative(slope, out=sc.get("neg_slope", shape))
            low, neg = (low, neg) if every else (low[rows], neg[rows])
            pieces = [
                (t_g[:, i:j], low[:, i:j], s_g[:, i:j], neg[:, i:j]) for i, j in blocks.bounds
            ]
        ceiling[rows] = ceilings(pieces, budget[rows], sc)
    ceiling[paid] = -np.inf
    top -= blocks.spread(ceiling)
    with np.errstate(over="ignore", invalid="ignore"):
        top /= gap  # (π − τ) / (π − r κ): the share of the way down to the result grade
    np.clip(top, 0.0, 1.0, out=top)
    top *= live
    return top, np.where(paid, total, budget)


SEARCH_BLOCK = 16
"""Sorted break points per block in the ceiling search: block sums locate the crossing block,
then only that block's points are summed one by one."""


def ceilings(
    pieces: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]],
    budget: np.ndarray,
    scratch: Scratch | None = None,
) -> np.ndarray:
    """Return each HF's ceiling ``τ`` at which its piecewise linear cost ``K(τ)`` meets its budget.

    Parameters
    ----------
    pieces : list of (tops, bottoms, d_top, d_bottom)
        Per HF: the upper break points of ``K`` (items' indices ``π``, ≥ 0), the lower ones
        (≥ 0), and the change of the slope magnitude of ``K`` [MNOK per unit of index] when
        ``τ`` falls below each (``+s`` at a top, ``−s`` at a bottom); each ``(S, ·)``.
    budget : numpy.ndarray
        Budget per HF [MNOK], shape ``(S, H)``.
    scratch : Scratch, optional
        Work arrays to reuse.

    Returns
    -------
    numpy.ndarray
        ``τ`` per row and HF, ``(S, H)``: on the linear segment where ``K`` crosses the budget.

    Notes
    -----
    With an HF's points sorted descending (``v_0 ≥ v_1 ≥ …``) and ``A_k = Σ_{j≤k} d_j`` the
    slope just below ``v_k``, ``K(v_k) = Σ_{j≤k} d_j (v_j − v_k) = T_k − v_k A_k`` with
    ``T_k = Σ_{j≤k} d_j v_j``. Block sums of ``d`` and ``d v`` (:data:`SEARCH_BLOCK` points a
    block) give ``K`` at the end of every block; the crossing block is then summed point by
    point, and ``τ = v_k − (budget − K(v_k)) / A_k`` on the last point ``k`` with
    ``K(v_k) ≤ budget``. All HFs are sorted in one call: the HF is the leading part of the sort
    key, so each HF's points stay in their own segment.
    """
    sc = scratch if scratch is not None else Scratch()
    n_s, n_h = budget.shape
    m = SEARCH_BLOCK
    widths = [max(m, -(-(p[0].shape[1] + p[1].shape[1]) // m) * m) for p in pieces]
    n = sum(widths)
    zeros = sc.zeros((n_s, max(widths)))
    points_in, d_in = [], []
    for (top, low, d_top, d_low), w in zip(pieces, widths, strict=True):
        rest = w - top.shape[1] - low.shape[1]
        points_in += [top, low, zeros[:, :rest]]
        d_in += [d_top, d_low, zeros[:, :rest]]
    points = np.concatenate(points_in, axis=1, out=sc.get("points", (n_s, n)))
    d = np.concatenate(d_in, axis=1, out=sc.get("d", (n_s, n)))
    layout = sc.layout(widths, m)
    flat = _descending_order(points, layout.segment, sc)
    v = np.take(points.ravel(), flat, out=sc.get("v", (n_s, n)), mode="clip")
    at = sc.get("at", (2, n_s, n))  # the slope changes d and d·v, in sorted order
    np.take(d.ravel(), flat, out=at[0], mode="clip")
    np.multiply(at[0], v, out=at[1])
    ends = np.add.reduceat(at, layout.starts, axis=-1)  # (2, S, blocks)
    np.cumsum(ends, axis=-1, out=ends)
    base = np.zeros((2, n_s, n_h))  # running sums restart at each HF's first block
    base[:, :, 1:] = ends[:, :, layout.first[1:] - 1]
    ends -= base[:, :, layout.hf_of_block]  # A and T at the last point of each block
    v_end = v[:, m - 1 :: m]
    k_end = ends[1] - v_end * ends[0]
    within = k_end <= budget[:, layout.hf_of_block]
    count = np.add.reduceat(within, layout.first, axis=-1)
    blk = layout.first + np.minimum(count, layout.n_blocks - 1)  # (S, H): where K crosses
    prev = np.maximum(blk - 1, 0)
    rows = np.arange(n_s)[:, None]
    ends_prev = np.where(blk > layout.first, ends[:, rows, prev], 0.0)  # (2, S, H)
    cols = (rows * n + blk * m)[..., None] + np.arange(m)  # (S, H, m) flat positions
    inside = at.reshape(2, -1)[:, cols]  # (2, S, H, m)
    np.cumsum(inside, axis=-1, out=inside)
    inside += ends_prev[..., None]
    v_in = v.ravel()[cols]
    k_in = inside[1] - v_in * inside[0]
    j = np.count_nonzero(k_in <= budget[..., None], axis=-1)
    found = j > 0  # else: the last point of the block before
    at_j = np.maximum(j - 1, 0)[..., None]
    v_k = np.where(found, np.take_along_axis(v_in, at_j, -1)[..., 0], v_end[rows, prev])
    k_k = np.where(found, np.take_along_axis(k_in, at_j, -1)[..., 0], k_end[rows, prev])
    a_k = np.where(found, np.take_along_axis(inside[0], at_j, -1)[..., 0], ends[0, rows, prev])
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(a_k > 0, v_k - (budget - k_k) / a_k, v_k)


def _descending_order(
    points: np.ndarray, segment: np.ndarray, scratch: Scratch | None = None
) -> np.ndarray:
    """Return per row the positions that sort ``points`` (≥ 0) by segment, then descending.

    Each value's bits, flipped (so that ascending keys are descending values) and less their
    lowest ones, are packed with the segment (high bits) and the position (low bits) into one
    64-bit key; the keys are sorted as ``float64`` (a vectorized sort, no argsort; the packing
    keeps every key a positive normal float, and for those float and integer order agree).
    Values closer than about 2⁻³⁵ relative may come out swapped: harmless, since ``K`` is
    continuous and :func:`ceilings` does not need the order to be exact.

    Parameters
    ----------
    points : numpy.ndarray
        Values ≥ 0, C-contiguous, shape ``(S, M)``.
    segment : numpy.ndarray
        Segment of each column, non-decreasing, shape ``(M,)``.
    scratch : Scratch, optional
        Work arrays to reuse.

    Returns
    -------
    numpy.ndarray
        ``int64`` positions into ``points.ravel()`` (row offsets included), shape of ``points``.
    """
    sc = scratch if scratch is not None else Scratch()
    n_s, n = points.shape
    seg_bits = int(segment[-1] + 1).bit_length() + 1  # holds segment + 1; its top bit stays 0
    shift = max(1, (n - 1).bit_length())
    key = np.bitwise_xor(
        points.view(np.int64), _ALL_BUT_SIGN, out=sc.get("key", (n_s, n), np.int64)
    )
    key >>= seg_bits
    key &= ~np.int64((1 << shift) - 1)
    tag = sc.get(f"tag{n}", (n,), np.int64)  # segment + 1 and position, fixed
    np.bitwise_or((segment.astype(np.int64) + 1) << (63 - seg_bits), np.arange(n), out=tag)
    key |= tag
    key.view(np.float64).sort(axis=-1)
    key &= (1 << shift) - 1
    return np.add(
        key, (np.arange(n_s, dtype=np.int64) * n)[:, None], out=sc.get("flat", key.shape, np.int64)
    )


_ALL_BUT_SIGN = np.int64(0x7FFF_FFFF_FFFF_FFFF)
"""``x ^ _ALL_BUT_SIGN`` flips the 63 value bits of a non-negative float: a descending key."""
