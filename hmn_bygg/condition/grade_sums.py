"""Compiled passes of the year loop over the grades: upgrade need per part, sums per HF.

The upgrade need of a part at grade ``g`` is ``a₁ clip(g − 1, 0, 1) + a₂ max(g − 2, 0)``
[MNOK] (the ``should`` cost per m² times its area for the step from TG1 to TG2, and the extra
``must`` cost from TG2 to TG3; see :mod:`hmn_bygg.condition.simulate`), and the VTTG numerator of
an HF is
``Σ c_i g_i``. In NumPy each is several passes over ``rows × items`` arrays; here each is one.
Coefficients may have one row shared by every row of the grades (shape ``(1, N)``), and are
multiplied on the fly by the year's 0/1 mask of buildings ``(R, B)`` or ``(1, B)`` (items are
``building × part``, building-major), so no masked copy of a coefficient is ever formed. Rows are
computed on their own, so a row gives the same bits whatever rows it runs with.
"""

from __future__ import annotations

import numba
import numpy as np


def need_per_item(
    grade: np.ndarray, a1: np.ndarray, a2: np.ndarray, mask: np.ndarray, out: np.ndarray
) -> None:
    """Write the upgrade need of every item of the masked buildings [MNOK] into ``out``.

    Parameters
    ----------
    grade : numpy.ndarray
        Grades [TG 0–3], shape ``(R, N)``.
    a1, a2 : numpy.ndarray
        Cost of the step TG1→TG2 and the extra cost of TG2→TG3 [MNOK], ``(R, N)`` or ``(1, N)``.
    mask : numpy.ndarray
        Which buildings count (bool or 0/1), ``(R, B)`` or ``(1, B)``; ``N`` is a multiple of
        ``B`` (the parts of each building).
    out : numpy.ndarray
        Output ``(R, N)``: zero for items of buildings outside the mask.
    """
    none = np.zeros((1, 1))
    _wear_and_need(grade, none, mask[:, :1], a1, a2, mask, 0.0, out, False)


def need_and_vttg_sums(
    grade: np.ndarray,
    a1: np.ndarray,
    a2: np.ndarray,
    weight: np.ndarray,
    mask: np.ndarray,
    edges: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Return per HF the upgrade need [MNOK] and the VTTG numerator ``Σ c_i g_i``.

    Parameters
    ----------
    grade : numpy.ndarray
        Grades [TG 0–3], shape ``(R, N)``, items in HF blocks.
    a1, a2 : numpy.ndarray
        As in :func:`need_per_item`.
    weight : numpy.ndarray
        VTTG weight ``c_i`` of each item [m² or NOK], ``(R, N)`` or ``(1, N)``.
    mask : numpy.ndarray
        Which buildings count (in service), ``(R, B)`` or ``(1, B)``.
    edges : numpy.ndarray
        Item index where each HF block starts, and the total, ``(H + 1,)`` int64 (at building
        boundaries).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Upgrade need and VTTG numerator per row and HF, each ``(R, H)``.
    """
    need = np.empty((grade.shape[0], len(edges) - 1))
    vttg = np.empty_like(need)
    none = np.zeros((1, 1))
    _apply_and_sums(grade, none, none, a1, a2, weight, mask, edges, need, vttg, False)
    return need, vttg


@numba.njit(cache=True, nogil=True, inline="always")
def _need(g, a1, a2):
    """The upgrade need of one part at grade ``g`` [MNOK] (see the module notes)."""
    return a1 * min(max(g - 1.0, 0.0), 1.0) + a2 * max(g - 2.0, 0.0)


def wear_and_need(
    grade: np.ndarray,
    inc: np.ndarray,
    wearing: np.ndarray,
    a1: np.ndarray,
    a2: np.ndarray,
    mask: np.ndarray,
    max_grade: float,
    out: np.ndarray,
) -> None:
    """Wear every part linearly and write its upgrade need, in one pass (both in place).

    ``grade = min(grade + inc · wearing, max_grade)``, then :func:`need_per_item` of the new
    grade into ``out``: the same numbers, bit for bit, as the NumPy steps, in one pass.

    Parameters
    ----------
    grade : numpy.ndarray
        Grades [TG 0–3] ``(R, N)``, changed in place.
    inc : numpy.ndarray
        Linear wear a year [TG/yr] ``(R, N)`` or ``(1, N)``.
    wearing : numpy.ndarray
        Which buildings wear this year ``(R, B)`` or ``(1, B)`` (bool).
    a1, a2, mask, out
        As in :func:`need_per_item`.
    max_grade : float
        The worst grade [TG].
    """
    _wear_and_need(grade, inc, wearing, a1, a2, mask, max_grade, out, True)


def apply_and_sums(
    grade: np.ndarray,
    result: np.ndarray,
    frac: np.ndarray,
    a1: np.ndarray,
    a2: np.ndarray,
    weight: np.ndarray,
    mask: np.ndarray,
    edges: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Apply the measures, ``grade -= (grade − result) · frac`` in place, and return
    :func:`need_and_vttg_sums` of the new grades, in one pass.

    Parameters
    ----------
    grade : numpy.ndarray
        Grades [TG 0–3] ``(R, N)``, changed in place.
    result : numpy.ndarray
        The grade a measure leaves [TG] ``(R, 1)`` or ``(1, 1)``.
    frac : numpy.ndarray
        Renewed fraction of each item [0–1] ``(R, N)``.
    a1, a2, weight, mask, edges
        As in :func:`need_and_vttg_sums`.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Upgrade need [MNOK] and VTTG numerator per row and HF, each ``(R, H)``.
    """
    need = np.empty((grade.shape[0], len(edges) - 1))
    vttg = np.empty_like(need)
    _apply_and_sums(grade, result, frac, a1, a2, weight, mask, edges, need, vttg, True)
    return need, vttg


@numba.njit(cache=True, nogil=True)
def _wear_and_need(grade, inc, wearing, a1, a2, mask, max_grade, out, wear):
    """Upgrade need per item into ``out``; first, with ``wear``, the linear wear (in place)."""
    n_r, n = grade.shape
    n_b = mask.shape[1]
    n_p = n // n_b
    for r in range(n_r):
        ri = r if inc.shape[0] > 1 else 0
        rw = r if wearing.shape[0] > 1 else 0
        ra = r if a1.shape[0] > 1 else 0
        rb = r if a2.shape[0] > 1 else 0
        rm = r if mask.shape[0] > 1 else 0
        for b in range(n_b):
            w = 1.0 if wear and wearing[rw, b] else 0.0
            m = 1.0 if mask[rm, b] else 0.0
            for i in range(b * n_p, (b + 1) * n_p):
                g = grade[r, i]
                if wear:
                    g = min(g + inc[ri, i] * w, max_grade)
                    grade[r, i] = g
                out[r, i] = _need(g, a1[ra, i] * m, a2[rb, i] * m)


@numba.njit(cache=True, nogil=True)
def _apply_and_sums(grade, result, frac, a1, a2, weight, mask, edges, need, vttg, apply):
    """Need and VTTG sums per HF; first, with ``apply``, the measures (in place)."""
    n_r, n = grade.shape
    n_p = n // mask.shape[1]
    for r in range(n_r):
        rr = r if result.shape[0] > 1 else 0
        ra = r if a1.shape[0] > 1 else 0
        rb = r if a2.shape[0] > 1 else 0
        rw = r if weight.shape[0] > 1 else 0
        rm = r if mask.shape[0] > 1 else 0
        res = result[rr, 0] if apply else 0.0
        for h in range(len(edges) - 1):
            x = v = 0.0
            for b in range(edges[h] // n_p, edges[h + 1] // n_p):
                m = 1.0 if mask[rm, b] else 0.0
                for i in range(b * n_p, (b + 1) * n_p):
                    g = grade[r, i]
                    if apply:
                        g = g - (g - res) * frac[r, i]
                        grade[r, i] = g
                    x += _need(g, a1[ra, i] * m, a2[rb, i] * m)
                    v += g * (weight[rw, i] * m)
            need[r, h] = x
            vttg[r, h] = v
