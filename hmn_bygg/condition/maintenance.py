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

How the ceiling is found, for many scenarios and draws at once, is in
:mod:`hmn_bygg.condition.waterfill`.
"""

from __future__ import annotations

import numpy as np

from hmn_bygg.condition.waterfill import Blocks, fill

POLICIES: tuple[str, ...] = ("worst_first", "best_value")

__all__ = [
    "POLICIES",
    "Blocks",
    "allocate_budget",
    "apply_measures",
    "fill",
    "group_sum",
    "lowering_fraction",
    "scale_best_value",
    "scale_worst_first",
]


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
        ``Σ f · full_cost`` per HF is the budget (up to rounding, about 10⁻¹² relative), or
        less where the budget pays for every measure.

    Notes
    -----
    Item ``i`` costs ``c_i (g_i − max(τ/κ_i, r)) / (g_i − r)`` under ceiling ``τ``: linear in
    ``τ`` between its break points ``r κ_i`` (whole cost) and ``π_i = g_i κ_i`` (nothing). The
    total ``K(τ)`` is therefore piecewise linear and falling; the ceiling is placed on the
    linear piece where ``K`` crosses the budget (see :mod:`hmn_bygg.condition.waterfill`, which the
    year loop calls directly). This wrapper orders the items by HF first.

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
    frac_o, _ = fill(
        np.nan_to_num(grade)[:, order], scale_o, result * scale_o, cost, budget, blocks
    )
    frac = np.empty_like(frac_o)
    frac[:, order] = frac_o
    return frac


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
