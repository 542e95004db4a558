"""Weighted technical condition grade (VTTG): from parts to buildings to portfolios.

A building's grade is the mean of its parts' grades weighted by each part's share of the
building's cost. A portfolio's grade (per HF or for the region) is the mean of its buildings'
grades weighted by floor area (the default) or by replacement value (area x NOK/m², as
BUILDER does). Every function broadcasts over any extra dimensions (``scenario``, ``year``,
``draw``), so the same code serves the register summary and the simulation.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import xarray as xr

Weighting = Literal["area", "value"]
WEIGHTINGS: tuple[str, ...] = ("area", "value")


def building_grade(condition_grade: xr.DataArray, cost_share: xr.DataArray) -> xr.DataArray:
    """Return each building's grade from its parts' grades.

    Parameters
    ----------
    condition_grade : xr.DataArray
        Part grades [TG 0–3], dims include ``building`` and ``part``.
    cost_share : xr.DataArray
        Each part's share of the building's cost [fraction], dims ``(building, part)``.

    Returns
    -------
    xr.DataArray
        Building grade [TG 0–3], the ``part`` dimension reduced.

    Notes
    -----
    .. math:: g_b = \\sum_p s_{bp} g_{bp} / \\sum_p s_{bp}

    Parts with a missing grade are left out of both sums; a building with no graded part
    has a missing grade.

    Examples
    --------
    >>> g = xr.DataArray([[3.0, 1.0]], dims=("building", "part"))
    >>> s = xr.DataArray([[0.25, 0.75]], dims=("building", "part"))
    >>> float(building_grade(g, s)[0])
    1.5
    """
    grade = xr.apply_ufunc(
        grade_of_parts,
        condition_grade,
        cost_share,
        input_core_dims=[["part"], ["part"]],
        keep_attrs=False,
    )
    return grade.rename(None)


def grade_of_parts(grade: np.ndarray, share: np.ndarray) -> np.ndarray:
    """Return :func:`building_grade` on arrays: NumPy, not xarray (it runs on every model run,
    for the disposal plan).

    Parameters
    ----------
    grade : numpy.ndarray
        Part grades [TG 0–3], ``(..., part)``.
    share : numpy.ndarray
        Each part's share of the building's cost [fraction], broadcast against ``grade``.

    Returns
    -------
    numpy.ndarray
        Building grade [TG 0–3] ``(...,)``; NaN for a building with no graded part.
    """
    share = np.where(np.isnan(grade), np.nan, share)
    total = np.nansum(share, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, np.nansum(grade * share, axis=-1) / total, np.nan)


def building_weight(
    floor_area: xr.DataArray,
    replacement_value: xr.DataArray,
    weighting: Weighting = "area",
) -> xr.DataArray:
    """Return each building's weight in a portfolio grade.

    Parameters
    ----------
    floor_area : xr.DataArray
        Floor area [m²] per building (zero for a building not in service).
    replacement_value : xr.DataArray
        Replacement value [NOK/m²] per building.
    weighting : {"area", "value"}
        ``"area"`` weights by floor area; ``"value"`` by area x replacement value.

    Returns
    -------
    xr.DataArray
        Weight per building [m²] or [NOK].
    """
    if weighting == "area":
        return floor_area
    if weighting == "value":
        return floor_area * replacement_value
    raise ValueError(f"weighting must be one of {WEIGHTINGS}, found {weighting!r}")


def membership(labels: xr.DataArray, dim: str, categories: list[str] | None = None) -> xr.DataArray:
    """Return a 0/1 matrix that maps each building to its group.

    Parameters
    ----------
    labels : xr.DataArray
        Group label per building (e.g. ``hf`` or ``site``), dim ``building``.
    dim : str
        Name of the new group dimension.
    categories : list of str, optional
        Groups in order; default: the sorted distinct labels.

    Returns
    -------
    xr.DataArray
        Float matrix with dims ``(building, dim)``; a row sums to 1.
    """
    values = np.asarray(labels.values).astype(str)
    cats = sorted(set(values)) if categories is None else list(categories)
    matrix = (values[:, None] == np.asarray(cats, dtype=str)[None, :]).astype(float)
    return xr.DataArray(
        matrix,
        dims=(labels.dims[0], dim),
        coords={labels.dims[0]: labels[labels.dims[0]].values, dim: cats},
    )


def weighted_mean_by_group(
    value: xr.DataArray, weight: xr.DataArray, groups: xr.DataArray
) -> xr.DataArray:
    """Return the weighted mean of a per-building value within each group.

    Parameters
    ----------
    value : xr.DataArray
        Value per building (e.g. building grade [TG]), dims include ``building``.
    weight : xr.DataArray
        Weight per building (e.g. floor area [m²]); zero drops a building.
    groups : xr.DataArray
        Membership matrix from :func:`membership`, dims ``(building, group)``.

    Returns
    -------
    xr.DataArray
        Weighted mean per group, ``building`` reduced; NaN where a group has no weight.

    Notes
    -----
    .. math:: G_h = \\sum_b w_b m_{bh} g_b / \\sum_b w_b m_{bh}

    Buildings whose value is missing carry no weight.
    """
    w = weight.where(value.notnull(), 0.0)
    num = xr.dot(value.fillna(0.0) * w, groups, dim="building")
    den = xr.dot(w, groups, dim="building")
    return (num / den).where(den > 0)


def weighted_mean(value: xr.DataArray, weight: xr.DataArray) -> xr.DataArray:
    """Return the weighted mean over all buildings (the region).

    Parameters
    ----------
    value : xr.DataArray
        Value per building, dims include ``building``.
    weight : xr.DataArray
        Weight per building; zero drops a building.

    Returns
    -------
    xr.DataArray
        Weighted mean, ``building`` reduced; NaN when the total weight is zero.
    """
    w = weight.where(value.notnull(), 0.0)
    den = w.sum("building")
    return ((value.fillna(0.0) * w).sum("building") / den).where(den > 0)
