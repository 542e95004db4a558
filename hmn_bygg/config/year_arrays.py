"""Evaluating parameters over the model years and codes: scalars, year paths and tables.

A year path ``{2018: 40, 2025: 60}`` holds each value from its year on (before the first year,
the first value); a table holds one entry per HF or part.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import xarray as xr

from hmn_bygg.config.params import PARTS, Param, is_year_path
from hmn_bygg.config.region import hf_codes

__all__ = ["as_hf_year_array", "as_part_array", "as_year_array", "hf_year_values"]


def _values(param: Any) -> Any:
    return param.value if isinstance(param, Param) else param


def as_year_array(param: Any, years: Sequence[int] | np.ndarray) -> np.ndarray:
    """Evaluate a scalar or year path over ``years``.

    Parameters
    ----------
    param : Param or float or mapping
        A leaf or its value: a number, or a year path ``{year: value}``.
    years : array_like of int
        Calendar years, dims ``(year,)``.

    Returns
    -------
    numpy.ndarray of float
        The value in each year, in the parameter's unit.

    Notes
    -----
    For a path with years :math:`y_1 < \\dots < y_n` and values :math:`v_i`, the value in year
    :math:`t` is :math:`v_i` with :math:`i = \\max\\{i : y_i \\le t\\}`, and :math:`v_1` when
    :math:`t < y_1` (the first value also holds before its year).

    Examples
    --------
    >>> as_year_array({2018: 40, 2025: 60}, [2017, 2018, 2024, 2025, 2030]).tolist()
    [40.0, 40.0, 40.0, 60.0, 60.0]
    >>> as_year_array(5, [2018, 2019]).tolist()
    [5.0, 5.0]
    """
    value = _values(param)
    years = np.asarray(years, dtype=int)
    if isinstance(value, Mapping):
        if not is_year_path(value):
            raise TypeError("a table is not a year path; use as_hf_year_array or as_part_array")
        path_years = np.array(sorted(int(y) for y in value), dtype=int)
        by_year = {int(y): v for y, v in value.items()}
        path_values = np.array([by_year[y] for y in path_years], dtype=float)
        index = np.searchsorted(path_years, years, side="right") - 1
        return path_values[np.clip(index, 0, None)]
    return np.full(years.shape, float(value))


def as_hf_year_array(
    param: Any, hfs: Sequence[str] | None = None, years: Sequence[int] | np.ndarray = ()
) -> xr.DataArray:
    """Evaluate a per-HF table (entries scalars or year paths), a scalar or a path by HF and year.

    Parameters
    ----------
    param : Param or value
        A per-HF table ``{HMR: ..., HNT: ..., STO: ...}``, or one scalar / year path that holds
        for every HF.
    hfs : sequence of str, optional
        HF codes, dims ``(hf,)``; default the region's (:func:`hmn_bygg.config.region.hf_codes`).
    years : array_like of int
        Calendar years, dims ``(year,)``.

    Returns
    -------
    xarray.DataArray
        dims ``(hf, year)``, float, in the parameter's unit.

    Examples
    --------
    >>> a = as_hf_year_array({"HMR": 60, "HNT": {2018: 25, 2020: 30}, "STO": 90},
    ...                      ["HMR", "HNT"], [2018, 2020])
    >>> a.values.tolist()
    [[60.0, 60.0], [25.0, 30.0]]
    """
    hfs = hf_codes() if hfs is None else hfs
    years = np.asarray(years, dtype=int)
    data = hf_year_values(param, hfs, years)
    return xr.DataArray(data, dims=("hf", "year"), coords={"hf": list(hfs), "year": years})


def hf_year_values(param: Any, hfs: Sequence[str], years: Sequence[int] | np.ndarray) -> np.ndarray:
    """Return :func:`as_hf_year_array`'s numbers without the DataArray, ``(H, Y)`` (for code
    that reads many leaves and needs only the arrays)."""
    value = _values(param)
    years = np.asarray(years, dtype=int)
    if isinstance(value, Mapping) and not is_year_path(value):
        missing = [h for h in hfs if h not in value]
        if missing:
            raise KeyError(f"per-HF table lacks {missing}")
        rows = [as_year_array(value[h], years) for h in hfs]
    else:
        rows = [as_year_array(value, years)] * len(hfs)
    return np.array(rows, dtype=float).reshape(len(hfs), len(years))


def as_part_array(param: Any, parts: Sequence[str] = PARTS) -> xr.DataArray:
    """Evaluate a per-part table (or one scalar for all parts) as an array over parts.

    Parameters
    ----------
    param : Param or value
        A table ``{"2": ..., .., "7": ...}`` of numbers, or one number.
    parts : sequence of str
        NS 3451 part codes, dims ``(part,)``.

    Returns
    -------
    xarray.DataArray
        dims ``(part,)``, float, in the parameter's unit.

    Examples
    --------
    >>> as_part_array({"2": 60, "3": 35}, ["2", "3"]).values.tolist()
    [60.0, 35.0]
    """
    value = _values(param)
    if isinstance(value, Mapping):
        data = [float(value[p]) for p in parts]
    else:
        data = [float(value)] * len(parts)
    return xr.DataArray(np.array(data, dtype=float), dims="part", coords={"part": list(parts)})
