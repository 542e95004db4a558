"""Flows spread by age: a year's flow lands as shares over the following years.

A loan's repayments are its drawdowns spread by the repayment kernel (the share of 1 NOK repaid
at each year of age), its balance the drawdowns spread by the balance left at each age, and
depreciation the capitalised amounts spread by a boxcar over the asset's life
(:mod:`hmn_bygg.finance.loans`, :mod:`hmn_bygg.finance.depreciation`). On labelled data
:func:`convolve_by_age` is one matrix product over the years; on arrays of many rows, each
with its own kernel (Monte Carlo draws with their own rates), :func:`by_age` spreads them in
compiled code. Years are consecutive integers on a ``year`` coordinate.
"""

from __future__ import annotations

import numba
import numpy as np
import xarray as xr

SOURCE_DIM = "_source_year"


def check_years(flow: xr.DataArray, dim: str = "year") -> np.ndarray:
    if dim not in flow.dims:
        raise ValueError(f"the input needs a {dim!r} dimension, found dims {flow.dims}")
    years = np.asarray(flow[dim].values)
    if years.size > 1 and not np.all(np.diff(years) == 1):
        raise ValueError(f"{dim!r} must hold consecutive whole years, found {years.tolist()}")
    return years


def age_matrix(years: np.ndarray, dim: str = "year") -> xr.DataArray:
    """Return the age ``t - s`` of a flow from year ``s`` seen in year ``t``.

    Parameters
    ----------
    years : numpy.ndarray
        Consecutive model years.
    dim : str
        Name of the target year dimension.

    Returns
    -------
    xr.DataArray
        Integer ages, dims ``(dim, "_source_year")`` (negative above the diagonal).
    """
    years = np.asarray(years)
    age = years[:, None] - years[None, :]
    return xr.DataArray(age, dims=(dim, SOURCE_DIM), coords={dim: years, SOURCE_DIM: years})


def age_weights(kernel: np.ndarray, n_years: int) -> np.ndarray:
    """Return the matrix ``W[t, s] = k[t - s]`` (0 outside the kernel) over ``n_years`` years.

    Parameters
    ----------
    kernel : numpy.ndarray
        ``k[a]``, the share of a flow that lands ``a`` years later (1-D), or kernels
        ``(..., age)``.
    n_years : int
        Number of consecutive years.

    Returns
    -------
    numpy.ndarray
        ``(..., n_years, n_years)`` weights; ``flow @ W.T`` convolves a flow ``(..., year)``.
    """
    k = np.asarray(kernel, dtype=float)
    inside = min(k.shape[-1], n_years)
    # k after n - 1 zeros: W[t, s] = padded[t - s + n - 1], a sliding window read backwards
    padded = np.zeros((*k.shape[:-1], 2 * n_years - 1))
    padded[..., n_years - 1 : n_years - 1 + inside] = k[..., :inside]
    window = np.lib.stride_tricks.sliding_window_view(padded, n_years, axis=-1)
    return np.ascontiguousarray(window[..., ::-1])


def convolve_by_age(
    flow: xr.DataArray, kernel: np.ndarray | xr.DataArray, dim: str = "year"
) -> xr.DataArray:
    """Spread each year's flow over the following years by a kernel of age.

    Parameters
    ----------
    flow : xr.DataArray
        Flow per year (e.g. drawdown [MNOK]), dims ``(..., year)``.
    kernel : numpy.ndarray or xr.DataArray
        ``k[a]``, the share of a flow that lands ``a`` years later (1-D array); or a DataArray
        with dims ``(year, "_source_year", ...)`` giving the weight from source year to year
        directly (see :func:`age_matrix`).
    dim : str
        The year dimension.

    Returns
    -------
    xr.DataArray
        :math:`y_t = \\sum_{s \\le t} x_s \\, k_{t-s}`, same dims as ``flow`` (plus any extra
        dims of a DataArray kernel).
    """
    years = check_years(flow, dim)
    if isinstance(kernel, xr.DataArray):
        weights = kernel
    else:
        weights = xr.DataArray(
            age_weights(kernel, years.size),
            dims=(dim, SOURCE_DIM),
            coords={dim: years, SOURCE_DIM: years},
        )
    source = flow.rename({dim: SOURCE_DIM})
    out = xr.dot(source, weights, dim=SOURCE_DIM)
    order = [d for d in flow.dims if d in out.dims] + [d for d in out.dims if d not in flow.dims]
    return out.transpose(*order)


def by_age(flow: np.ndarray, kernels: np.ndarray, which: np.ndarray) -> np.ndarray:
    """Spread flows by age, each row by its own kernel (compiled).

    Parameters
    ----------
    flow : numpy.ndarray
        Finite flows per year ``(N, M, Y)`` [MNOK].
    kernels : numpy.ndarray
        Finite ``(U, A)``: kernel ``u`` is the share of a flow that lands ``a`` years later [-].
    which : numpy.ndarray
        ``(N,)`` integers in ``[0, U)``: the kernel of each row.

    Returns
    -------
    numpy.ndarray
        ``y[n, m, t] = Σ_{s ≤ t} flow[n, m, s] · kernels[which[n], t − s]`` (0 beyond the
        kernel's ages) [MNOK], ``(N, M, Y)``; each sum in year order, years without a flow
        passed over.

    Raises
    ------
    ValueError
        When the shapes do not fit, ``which`` names no kernel, or a number is not finite.
    """
    flow = np.ascontiguousarray(flow, dtype=float)
    kernels = np.ascontiguousarray(kernels, dtype=float)
    which = np.asarray(which)
    if flow.ndim != 3 or kernels.ndim != 2 or which.shape != flow.shape[:1]:
        raise ValueError(
            f"by_age: flow (N, M, Y), kernels (U, A) and which (N,) expected, found "
            f"{flow.shape}, {kernels.shape} and {which.shape}"
        )
    if which.size and (
        which.dtype.kind not in "iu" or which.min() < 0 or which.max() >= len(kernels)
    ):
        raise ValueError(f"by_age: which must index the {len(kernels)} kernels")
    if not (np.isfinite(flow).all() and np.isfinite(kernels).all()):
        raise ValueError("by_age: flows and kernels must be finite")
    return _by_age(flow, kernels, np.ascontiguousarray(which, dtype=np.int64))


@numba.njit(cache=True, nogil=True)
def _by_age(flow, kernels, which):
    """Compiled loop of :func:`by_age` (arguments checked there)."""
    n_n, n_m, n_y = flow.shape
    n_a = kernels.shape[1]
    out = np.zeros((n_n, n_m, n_y))
    for n in range(n_n):
        k = kernels[which[n]]
        for m in range(n_m):
            for s in range(n_y):
                x = flow[n, m, s]
                if x == 0.0:  # adds nothing (finite kernels)
                    continue
                for t in range(s, min(n_y, s + n_a)):
                    out[n, m, t] += x * k[t - s]
    return out
