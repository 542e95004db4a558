"""Credit-line breaches: the years an HF's liquidity is below minus its credit limit.

All amounts MNOK; functions broadcast over leading dims and need a ``year`` coordinate.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from hmn_bygg.core.variables import annotate
from hmn_bygg.finance.cash import TOLERANCE_MNOK, Amount
from hmn_bygg.finance.cash import _as_array as as_array

FIRST_YEARS = ("first_year_liquidity_negative", "first_year_credit_breach")
"""The variables of :func:`breach_arrays` that reduce the ``year`` axis (the others keep it)."""


def breach_arrays(
    liquidity: np.ndarray, credit_limit: np.ndarray, years: np.ndarray, tol: float = TOLERANCE_MNOK
) -> dict[str, np.ndarray]:
    """Return :func:`breach_years` on NumPy arrays.

    Parameters
    ----------
    liquidity : numpy.ndarray
        Closing liquidity [MNOK], shape ``(..., year)``.
    credit_limit : numpy.ndarray
        Operating credit line [MNOK], positive, shape ``(...)`` (or scalar), or by year, the
        shape of ``liquidity``.
    years : numpy.ndarray
        The years of the last axis.
    tol : float
        Margin [MNOK] before a value counts as below a bound.

    Returns
    -------
    dict of str to numpy.ndarray
        The four variables of :func:`breach_years`, first years [year] NaN when none.
    """
    negative = liquidity < -tol
    line = np.asarray(credit_limit)
    line = line if line.shape == np.shape(liquidity) else line[..., None]  # by year or fixed
    breach = liquidity < -line - tol
    out = {"liquidity_negative": negative, "credit_breach": breach}
    for name, mask in (("liquidity_negative", negative), ("credit_breach", breach)):
        first = np.where(mask, np.asarray(years, dtype=float), np.inf).min(axis=-1)
        out[f"first_year_{name}"] = np.where(np.isfinite(first), first, np.nan)
    return out


def breach_years(
    liquidity: xr.DataArray, credit_limit: Amount, *, tol: float = TOLERANCE_MNOK
) -> xr.Dataset:
    """Return the years liquidity is negative and the years it breaks the credit line.

    Parameters
    ----------
    liquidity : xr.DataArray
        Closing liquidity [MNOK], dims ``(..., hf, year)``.
    credit_limit : xr.DataArray or float
        Operating credit line [MNOK], positive, dims ``(..., hf)`` or ``(..., hf, year)``.
    tol : float
        Margin [MNOK] before a value counts as below a bound (1 krone by default).

    Returns
    -------
    xr.Dataset
        ``liquidity_negative`` and ``credit_breach`` (bool, dims of ``liquidity``: all such
        years), ``first_year_liquidity_negative`` and ``first_year_credit_breach`` (year, NaN
        when none; ``year`` reduced).

    Examples
    --------
    >>> liq = xr.DataArray([5.0, -3.0, -12.0], dims="year", coords={"year": [2025, 2026, 2027]})
    >>> b = breach_years(liq, 10.0)
    >>> float(b.first_year_liquidity_negative), float(b.first_year_credit_breach)
    (2026.0, 2027.0)
    """
    credit = as_array(credit_limit)
    liq = liquidity.broadcast_like(credit).transpose(..., "year")
    if "year" in credit.dims:  # a line by year (results since the line has a year)
        credit = credit.broadcast_like(liq).transpose(*liq.dims)
    else:
        credit = credit.broadcast_like(liq.isel(year=0, drop=True)).transpose(*liq.dims[:-1])
    out = breach_arrays(liq.to_numpy(), credit.to_numpy(), liq["year"].to_numpy(), tol)
    ds = xr.Dataset(
        {k: (liq.dims[:-1] if k in FIRST_YEARS else liq.dims, v) for k, v in out.items()},
        coords={k: c for k, c in liq.coords.items()},
    )
    order = [d for d in liquidity.dims if d in ds.dims] + [
        d for d in ds.dims if d not in liquidity.dims
    ]
    return annotate(ds.transpose(*order))


def credit_line(ds: xr.Dataset, suffix: str = "") -> xr.DataArray:
    """Return the credit line over the years, as results show it [MNOK at their price basis].

    Parameters
    ----------
    ds : xr.Dataset
        Booked results: ``credit_limit`` (``scenario, year, hf``; results written before the
        line had a ``year`` get it, the same value in every year) and ``year``.
    suffix : str
        ``""`` per HF or ``"_region"``.

    Returns
    -------
    xr.DataArray
        ``credit_limit`` with a ``year`` dim: a fixed nominal line shown in fixed prices falls
        with the value of a krone, like liquidity beside it.
    """
    da = ds["credit_limit" + suffix]
    return da if "year" in da.dims else da.expand_dims(year=ds["year"].to_numpy(), axis=-1)
