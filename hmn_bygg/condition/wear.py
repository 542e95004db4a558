"""Condition model: wear of building parts, upgrade need and the facility condition index.

Two documented forms of wear, both calibrated to each part's technical life ``L`` [years]:
the time a part takes to go from TG0 (new) to TG3 (failure) without maintenance.

Deterministic curve
    Grade as a function of age since last renewal, ``g(a) = 3 · min(1, a / L)^k`` with shape
    ``k`` (``k = 1``: linear). A part's current grade gives its effective age
    ``a = L · (g / 3)^(1/k)``; one year of wear adds one year to that age.

Markov chain
    States TG0..TG3; each year a part in state ``i < 3`` moves to ``i + 1`` with probability
    ``p = min(1, 3 / L)`` and otherwise stays; TG3 is absorbing. The expected time from TG0 to
    TG3 is ``3 / p = L``. The deterministic simulation propagates the *distribution* over the
    four states (as Blockbuster does with condition proportions); its grade is the expected
    state. Monte Carlo runs may sample states instead.

Upgrade need (oppgraderingsbehov, multiMap): the cost of bringing a part to TG1. A part at TG2
needs the "should" measure (``should`` [NOK/m²]), a part at TG3 the "must" measure (``must``
[NOK/m²]), both per m² of the building's floor area. A grade between integers is read as a
mixture of its neighbouring states (``g = 2,4`` is 60 % TG2 and 40 % TG3), which is exactly the
expectation under the Markov distribution.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from hmn_bygg.config import PARTS, Model, as_part_array

N_STATES = 4  # TG0..TG3
MAX_GRADE = 3.0


def effective_age(grade: np.ndarray, life: np.ndarray, shape: float | np.ndarray) -> np.ndarray:
    """Return the age since renewal [years] at which the wear curve reaches ``grade``.

    Parameters
    ----------
    grade : numpy.ndarray
        Condition grade [TG 0–3].
    life : numpy.ndarray
        Technical life [years] (TG0 to TG3), broadcast against ``grade``.
    shape : float or numpy.ndarray
        Curve shape ``k`` [-]; ``1`` is linear.

    Returns
    -------
    numpy.ndarray
        Effective age ``a = L · (g / 3)^(1/k)`` [years].

    Examples
    --------
    >>> float(effective_age(np.array(1.5), np.array(60.0), 1.0))
    30.0
    """
    g = np.clip(grade, 0.0, MAX_GRADE)
    return life * (g / MAX_GRADE) ** (1.0 / shape)


def wear_curve(age: np.ndarray, life: np.ndarray, shape: float | np.ndarray) -> np.ndarray:
    """Return the grade [TG 0–3] of a part of the given age since renewal.

    Parameters
    ----------
    age : numpy.ndarray
        Age since last renewal [years], ≥ 0.
    life : numpy.ndarray
        Technical life [years]: the age at which the part reaches TG3.
    shape : float or numpy.ndarray
        Curve shape ``k`` [-].

    Returns
    -------
    numpy.ndarray
        ``g(a) = 3 · min(1, a / L)^k`` [TG].

    Examples
    --------
    A part past its life stays at TG3:

    >>> float(wear_curve(np.array(90.0), np.array(60.0), 1.0))
    3.0
    """
    return MAX_GRADE * np.minimum(1.0, np.maximum(age, 0.0) / life) ** shape


def wear_deterministic(
    grade: np.ndarray, life: np.ndarray, shape: float | np.ndarray, years: float = 1.0
) -> np.ndarray:
    """Return the grades after ``years`` of wear on the deterministic curve.

    Parameters
    ----------
    grade : numpy.ndarray
        Grades now [TG 0–3].
    life : numpy.ndarray
        Technical life [years], broadcast against ``grade``.
    shape : float or numpy.ndarray
        Curve shape ``k`` [-].
    years : float
        Length of the step [years]; ``0`` leaves the grades as they are.

    Returns
    -------
    numpy.ndarray
        ``g(a(g) + years)`` [TG]; never lower than ``grade``, never above 3.
    """
    if years == 0:
        return np.asarray(grade, dtype=float).copy()
    new = wear_curve(effective_age(grade, life, shape) + years, life, shape)
    return np.maximum(new, grade)


def markov_matrix(life: np.ndarray) -> np.ndarray:
    """Return the annual transition matrices of the wear chain.

    Parameters
    ----------
    life : numpy.ndarray
        Technical life [years] per part, shape ``(..., )``.

    Returns
    -------
    numpy.ndarray
        Shape ``(..., 4, 4)``: ``P[..., i, j]`` is the probability of going from TG i to TG j
        in one year; ``P[i, i+1] = p = min(1, 3 / L)``, ``P[i, i] = 1 - p``, TG3 absorbing.

    Examples
    --------
    >>> markov_matrix(np.array(30.0))[0].round(2).tolist()
    [0.9, 0.1, 0.0, 0.0]
    """
    p = np.minimum(1.0, (N_STATES - 1) / np.asarray(life, dtype=float))
    mat = np.zeros((*p.shape, N_STATES, N_STATES))
    for i in range(N_STATES - 1):
        mat[..., i, i] = 1.0 - p
        mat[..., i, i + 1] = p
    mat[..., N_STATES - 1, N_STATES - 1] = 1.0
    return mat


def distribution_from_grade(grade: np.ndarray) -> np.ndarray:
    """Return the state distribution whose expectation is ``grade``.

    A whole grade is one state; a grade between integers is split between its two
    neighbours (``2,4`` → 60 % TG2, 40 % TG3).

    Parameters
    ----------
    grade : numpy.ndarray
        Grades [TG 0–3]; NaN gives a NaN distribution.

    Returns
    -------
    numpy.ndarray
        Shape ``(*grade.shape, 4)``, rows summing to 1.
    """
    g = np.clip(np.asarray(grade, dtype=float), 0.0, MAX_GRADE)
    lower = np.clip(np.floor(np.nan_to_num(g)), 0, N_STATES - 2).astype(int)
    frac = g - lower
    dist = np.zeros((*g.shape, N_STATES))
    np.put_along_axis(dist, lower[..., None], (1.0 - frac)[..., None], axis=-1)
    np.put_along_axis(dist, lower[..., None] + 1, frac[..., None], axis=-1)
    return np.where(np.isnan(g)[..., None], np.nan, dist)


def wear_markov(dist: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """Return the state distribution after one year of wear.

    Parameters
    ----------
    dist : numpy.ndarray
        Distribution over TG0..TG3, shape ``(..., 4)``.
    matrix : numpy.ndarray
        Transition matrices from :func:`markov_matrix`, broadcast against ``dist[..., None]``.

    Returns
    -------
    numpy.ndarray
        ``dist · P``, shape ``(..., 4)``.
    """
    return np.einsum("...i,...ij->...j", dist, matrix)


def grade_from_distribution(dist: np.ndarray) -> np.ndarray:
    """Return the expected grade ``Σ_i i · p_i`` [TG] of a state distribution ``(..., 4)``."""
    return dist @ np.arange(N_STATES, dtype=float)


def state_weights(grade: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the weights of TG2 and TG3 in a grade read as a mixture of neighbouring states.

    Parameters
    ----------
    grade : numpy.ndarray
        Grades [TG 0–3].

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        ``(w2, w3)`` with ``w3 = clip(g − 2, 0, 1)`` and ``w2 = clip(g − 1, 0, 1) − w3``.

    Examples
    --------
    >>> [round(float(w), 2) for w in state_weights(np.array(2.4))]
    [0.6, 0.4]
    """
    g = np.nan_to_num(np.asarray(grade, dtype=float))
    w3 = np.clip(g - 2.0, 0.0, 1.0)
    w2 = np.clip(g - 1.0, 0.0, 1.0) - w3
    return w2, w3


def upgrade_need(
    grade: np.ndarray,
    floor_area: np.ndarray,
    should_nok_per_m2: np.ndarray,
    must_nok_per_m2: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Return the upgrade need of each part, split into "should" (TG2) and "must" (TG3).

    Parameters
    ----------
    grade : numpy.ndarray
        Part grades [TG 0–3], shape ``(..., building, part)``.
    floor_area : numpy.ndarray
        Floor area [m²] per building, shape ``(..., building, 1)`` (zero when not in service).
    should_nok_per_m2, must_nok_per_m2 : numpy.ndarray
        Cost norms [NOK/m²] per part to bring a TG2 (TG3) part to TG1, broadcast on ``part``.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        ``(should, must)`` [MNOK], each ``w · norm · area / 10⁶`` with the state weights of
        :func:`state_weights`. Never negative.

    Examples
    --------
    A part at TG1 or better needs nothing:

    >>> one = np.array([1.0])
    >>> s, m = upgrade_need(one, 1000 * one, 400 * one, 900 * one)
    >>> float(s[0] + m[0])
    0.0
    """
    w2, w3 = state_weights(grade)
    should = w2 * should_nok_per_m2 * floor_area / 1e6
    must = w3 * must_nok_per_m2 * floor_area / 1e6
    return should, must


def renewal_cost_curve(
    grade: np.ndarray,
    renew_nok_per_m2: np.ndarray,
    should_nok_per_m2: np.ndarray,
    must_nok_per_m2: np.ndarray,
) -> np.ndarray:
    """Return the cost [NOK/m²] of renewing a part from ``grade`` to TG0.

    The curve is piecewise linear through ``C(0) = 0``, ``C(1) = c₁`` (renewing a TG1 part),
    ``C(2) = c₁ + should`` and ``C(3) = c₁ + must``, so that ``C(g) − C(1)`` is exactly the
    upgrade need of :func:`upgrade_need` for ``g ≥ 1``.

    Parameters
    ----------
    grade : numpy.ndarray
        Grades [TG 0–3].
    renew_nok_per_m2 : numpy.ndarray
        Cost of renewing a TG1 part to TG0, ``c₁`` [NOK/m²], broadcast on ``part``.
    should_nok_per_m2, must_nok_per_m2 : numpy.ndarray
        Upgrade cost norms TG2→TG1 and TG3→TG1 [NOK/m²], broadcast on ``part``.

    Returns
    -------
    numpy.ndarray
        ``C(g)`` [NOK/m²].

    Examples
    --------
    >>> float(renewal_cost_curve(np.array(2.5), np.array(100.0), np.array(400.0), np.array(900.0)))
    750.0
    """
    g = np.clip(np.nan_to_num(np.asarray(grade, dtype=float)), 0.0, MAX_GRADE)
    w2, w3 = state_weights(g)  # TG2/TG3 shares; the TG1 share needs c₁ only
    return np.minimum(g, 1.0) * renew_nok_per_m2 + w2 * should_nok_per_m2 + w3 * must_nok_per_m2


def register_upgrade_need(register: xr.Dataset, model: Model) -> xr.DataArray:
    """Return each building's upgrade need today under the model's cost norms [MNOK].

    Parameters
    ----------
    register : xr.Dataset
        The register.
    model : Model
        Supplies ``upgrade_cost.should_nok_per_m2`` and ``must_nok_per_m2``.

    Returns
    -------
    xr.DataArray
        Upgrade need per building [MNOK], dim ``building``.
    """
    should = as_part_array(model.upgrade_cost.should_nok_per_m2, PARTS).to_numpy()
    must = as_part_array(model.upgrade_cost.must_nok_per_m2, PARTS).to_numpy()
    area = register["floor_area"].to_numpy()[:, None]
    s, m = upgrade_need(register["condition_grade"].to_numpy(), area, should, must)
    return xr.DataArray(
        (s + m).sum(axis=1),
        dims="building",
        coords={"building": register["building"].to_numpy()},
        attrs={"units": "MNOK"},
    )
