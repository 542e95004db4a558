"""Which buildings are in service each year, and the aggregates that depend on nothing else.

Per row (a scenario, or scenario × draw) and year, a building is *in service* between its open
and disposal years, *eligible* for maintenance money when in service and not due for disposal
within the row's horizon, and *wearing* when in service this year and the last. From these
follow, per HF and for the region, the area, the replacement value and the VTTG weight of the
graded buildings in service: the aggregates of :func:`hmn_bygg.condition.simulate.simulate` that
do not depend on the grades.

In a Monte Carlo ensemble every draw may move open and disposal years, but by whole years: the
rows of a block share a few distinct sets of years. Everything here is computed once per
distinct row and then indexed, bit for bit what computing every row gives. A regional sum is
NumPy's pairwise sum over the row's own buildings, whatever other rows share its block: a
draw's regional sums do not depend on its chunk, the scheduler or the machine's cores, and
equal those of a run of that draw's inputs alone.

A block whose rows differ keeps what it works out per distinct row in a memo
(:func:`service_rows`), by the row's exact open and disposal years, horizon, years and weights:
the next blocks of an ensemble (with the same few sets of years) look it up.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable

import numpy as np

from hmn_bygg.condition.waterfill import Blocks
from hmn_bygg.stock.portfolio import in_service_array as in_service


def distinct_rows(*arrays: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Return the first row of each distinct row of ``arrays`` side by side, and the inverse.

    Rows are compared by their bytes (NaN equals NaN, and NaN differs from ±inf).

    Parameters
    ----------
    *arrays : numpy.ndarray
        Arrays ``(R|1, ...)`` (rows of one broadcast to ``R``).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray) or None
        Row index of each distinct row ``(U,)`` in order of first appearance, and the distinct
        row of every row ``(R,)``; None when every array has one row.
    """
    n_r = max(a.shape[0] for a in arrays)
    if n_r == 1:
        return None
    keys = np.concatenate(
        [
            np.ascontiguousarray(np.broadcast_to(a, (n_r, *a.shape[1:])))
            .reshape(n_r, -1)
            .view(np.uint8)
            for a in arrays
        ],
        axis=1,
    )
    seen: dict[bytes, int] = {}
    inverse = np.array([seen.setdefault(row.tobytes(), len(seen)) for row in keys])
    first = np.unique(inverse, return_index=True)[1]
    return first, inverse


def _rows(a: np.ndarray, first: np.ndarray) -> np.ndarray:
    return a if a.shape[0] == 1 else a[first]


def _spread(a: np.ndarray, inverse: np.ndarray, distinct: int) -> np.ndarray:
    """``a`` of the distinct rows on every row; one distinct row stays one row."""
    return a[:1] if distinct == 1 else a[inverse]


def service_masks(
    open_year: np.ndarray, disposal: np.ndarray, horizon: np.ndarray, years: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return in service, eligible for money and wearing, each ``(R|1, Y, B)`` (bool).

    Parameters
    ----------
    open_year, disposal : numpy.ndarray
        Open and disposal year of each building [year], NaN for none, ``(R|1, B)``.
    horizon : numpy.ndarray
        No money within this many years of a disposal [years], ``(R|1, 1, 1)``.
    years : numpy.ndarray
        The simulated years ``(Y,)``.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray, numpy.ndarray)
        ``act``, ``elig`` and ``wearing``; one row when every input has one row.
    """
    found = distinct_rows(open_year, disposal, horizon)
    if found is None:
        return _masks(open_year, disposal, horizon, years)
    first, inverse = found
    masks = _masks(_rows(open_year, first), _rows(disposal, first), _rows(horizon, first), years)
    # every row, even when one is distinct: per-row masks mean per-row sums (service_sums)
    return masks[0][inverse], masks[1][inverse], masks[2][inverse]


def _masks(
    open_year: np.ndarray, disposal: np.ndarray, horizon: np.ndarray, years: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    act = in_service(open_year, disposal, years)  # (R|1, Y, B)
    horizon_ok = np.isnan(disposal)[:, None, :] | (
        disposal[:, None, :] - years[None, :, None] > horizon
    )
    wearing = np.zeros_like(act)
    wearing[:, 1:] = act[:, 1:] & act[:, :-1]
    return act, act & horizon_ok, wearing


def service_sums(
    buildings: Blocks,
    area: np.ndarray,
    value_per_m2: np.ndarray,
    graded: np.ndarray,
    weight_b: np.ndarray,
    act: np.ndarray,
) -> dict[str, np.ndarray]:
    """Return the aggregates of the buildings in service, per row and year.

    Parameters
    ----------
    buildings : Blocks
        The HF blocks of the building axis.
    area, value_per_m2 : numpy.ndarray
        Floor area [m²] and replacement value [NOK/m²] per building ``(B,)``.
    graded : numpy.ndarray
        Whether a building has a graded part ``(B,)`` (bool).
    weight_b : numpy.ndarray
        Weight of each building in the VTTG [m² or NOK] ``(R|1, B)``.
    act : numpy.ndarray
        In service ``(R|1, Y, B)`` (bool).

    Returns
    -------
    dict of str to numpy.ndarray
        ``area`` [m²], ``replacement_value_total`` [MNOK] and ``vttg_den`` (the VTTG
        denominator) per HF ``(R|1, Y, H)``, and their regional sums ``area_region``,
        ``value_region``, ``vttg_den_region`` ``(R|1, Y)``.
    """

    per_building = (area, value_per_m2, graded)
    if act.shape[0] == 1 or weight_b.shape[0] > 1:  # one row for all, or rows with own weights
        return _sums(buildings, per_building, weight_b, act)
    first, inverse = distinct_rows(act) or (np.zeros(1, int), np.zeros(act.shape[0], int))
    once = _sums(buildings, per_building, weight_b, act[first])  # per distinct row
    return {k: _spread(v, inverse, len(first)) for k, v in once.items()}


def _sums(
    buildings: Blocks,
    per_building: tuple[np.ndarray, np.ndarray, np.ndarray],
    weight_b: np.ndarray,
    act: np.ndarray,
) -> dict[str, np.ndarray]:
    """:func:`service_sums` of ``act``; a regional sum is NumPy's pairwise sum of each row's
    own buildings (:func:`_total`), whatever the other rows."""
    by_hf = buildings.sums
    area, value_per_m2, graded = per_building
    area_in = area * act  # (R|1, Y, B)
    value_mnok = area_in * value_per_m2 / 1e6
    w = weight_b[:, None, :] * act * graded
    return {
        "area": by_hf(area_in),
        "area_region": _total(area_in),
        "replacement_value_total": by_hf(value_mnok),
        "value_region": _total(value_mnok),
        "vttg_den": by_hf(w),
        "vttg_den_region": _total(w),
    }


MEMO_ROWS = 256
"""Distinct rows a :func:`service_rows` memo keeps (a few kB each); past it the oldest go, a
quarter of them at least."""
_MEMO_LOCK = threading.Lock()


def service_rows(
    open_year: np.ndarray,
    disposal: np.ndarray,
    horizon: np.ndarray,
    years: np.ndarray,
    buildings: Blocks,
    per_building: tuple[np.ndarray, np.ndarray, np.ndarray],
    weight_b: np.ndarray,
    memo: dict[Hashable, tuple] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """:func:`service_masks` and then :func:`service_sums` of its in-service mask, bit for bit,
    with what a distinct row gives kept in ``memo`` when the rows differ.

    Parameters
    ----------
    open_year, disposal, horizon, years : numpy.ndarray
        As :func:`service_masks`.
    buildings : Blocks
        The HF blocks of the building axis.
    per_building : (numpy.ndarray, numpy.ndarray, numpy.ndarray)
        Floor area [m²], replacement value [NOK/m²] and whether graded, per building ``(B,)``:
        the same for every call with one ``memo``.
    weight_b : numpy.ndarray
        As :func:`service_sums`.
    memo : dict, optional
        Per distinct row (its exact years, horizon and weights) its masks and sums; at most
        :data:`MEMO_ROWS` entries. The values are shared: not to be changed in place.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray, numpy.ndarray, dict of str to numpy.ndarray)
        ``act``, ``elig``, ``wearing`` and the sums of :func:`service_sums`.
    """
    found = distinct_rows(open_year, disposal, horizon)
    if memo is None or found is None or weight_b.shape[0] > 1:
        act, elig, wearing = service_masks(open_year, disposal, horizon, years)
        return act, elig, wearing, service_sums(buildings, *per_building, weight_b, act)
    first, inverse = found
    rows = [_rows(a, first) for a in (open_year, disposal, horizon)]
    common = (years.dtype.str, years.tobytes(), weight_b.dtype.str, weight_b.tobytes())
    keys = [
        (*common, *((a.dtype.str, a[min(u, len(a) - 1)].tobytes()) for a in rows))
        for u in range(len(first))
    ]
    found_rows = [memo.get(key) for key in keys]
    new = [u for u, row in enumerate(found_rows) if row is None]
    if new:  # per row as service_masks and service_sums give it when the rows differ
        at = np.asarray(new)
        masks = _masks(_rows(rows[0], at), _rows(rows[1], at), _rows(rows[2], at), years)
        sums = _sums(buildings, per_building, weight_b, masks[0])
        made: dict[Hashable, tuple] = {
            keys[u]: (*(m[i].copy() for m in masks), {k: v[i].copy() for k, v in sums.items()})
            for i, u in enumerate(new)
        }
        for u in new:
            found_rows[u] = made[keys[u]]
        with _MEMO_LOCK:
            over = len(memo) + len(new) - MEMO_ROWS
            if over > 0:  # the oldest go: a quarter at least, as many as needed at most
                for old in list(memo)[: max(over, MEMO_ROWS // 4)]:
                    memo.pop(old, None)
            memo.update(made)
    got = [r for r in found_rows if r is not None]  # every row, now
    act, elig, wearing = (np.stack([r[j] for r in got])[inverse] for j in range(3))
    fixed = {k: np.stack([r[3][k] for r in got]) for k in got[0][3]}
    return act, elig, wearing, {k: _spread(v, inverse, len(first)) for k, v in fixed.items()}


def _total(x: np.ndarray) -> np.ndarray:
    """Sum over buildings, row by row, as NumPy sums one contiguous row (pairwise): the same
    bits for a row whatever rows lie beside it."""
    return np.ascontiguousarray(x).sum(-1)


def block_totals(
    fixed: dict[str, np.ndarray],
    need: np.ndarray,
    vttg_num: np.ndarray,
    spend: np.ndarray,
    budget: np.ndarray,
) -> dict[str, np.ndarray]:
    """Return the aggregates of a block of rows from its year sums and the fixed sums.

    Parameters
    ----------
    fixed : dict of str to numpy.ndarray
        The sums of :func:`service_sums` (or :func:`service_rows`) of the rows.
    need, vttg_num, spend : numpy.ndarray
        Upgrade need [MNOK], VTTG numerator and maintenance spend [MNOK] per HF ``(R, Y, H)``.
    budget : numpy.ndarray
        Maintenance budget [MNOK] ``(R, Y, H)``.

    Returns
    -------
    dict of str to numpy.ndarray
        The aggregates of :func:`hmn_bygg.condition.simulate.simulate_totals`.
    """
    n_r, n_y, n_h = need.shape
    f = fixed
    with np.errstate(invalid="ignore", divide="ignore"):
        totals = {
            "vttg": vttg_num / f["vttg_den"],
            "vttg_region": vttg_num.sum(-1) / f["vttg_den_region"],
            "fci": need / f["replacement_value_total"],
            "fci_region": need.sum(-1) / f["value_region"],
        }
    shape = (n_r, n_y, n_h)
    totals |= {
        "area": np.broadcast_to(f["area"], shape).copy(),
        "area_region": np.broadcast_to(f["area_region"], shape[:2]).copy(),
        "upgrade_need": need,
        "upgrade_need_region": need.sum(-1),
        "replacement_value_total": np.broadcast_to(f["replacement_value_total"], shape).copy(),
        "maintenance_budget": budget,
        "maintenance_spend": spend,
        "maintenance_unspent": budget - spend,
        "maintenance_spend_region": spend.sum(-1),
    }
    return totals
