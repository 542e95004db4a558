"""Straight-line depreciation of capitalised investment, and net present value of options.

Depreciation spreads each year's capitalised amount over its life [years] from the year after
(``start_lag``); :func:`npv_compare` ranks investment options by NPV (numpy-financial). All
amounts MNOK at the caller's price basis.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy_financial as npf
import pandas as pd
import xarray as xr

from hmn_bygg.core.variables import annotate
from hmn_bygg.finance.by_age import age_matrix, by_age, convolve_by_age


def _check(life: np.ndarray, start_lag: int) -> None:
    """Refuse a life that is not finite and positive [years], or a negative lag [years]."""
    if not bool(((life > 0) & np.isfinite(life)).all()):
        raise ValueError("life_years must be finite and > 0")
    if int(start_lag) < 0:
        raise ValueError(f"start_lag must be >= 0 years, found {start_lag!r}")


def _boxcar(life, age):
    """Share of an amount written off at ``age`` years past the lag, life ``life`` [years]."""
    return np.clip(life - age, 0.0, 1.0) / life


def depreciation_arrays(
    capitalised: np.ndarray, life_years: np.ndarray, start_lag: int = 1
) -> np.ndarray:
    """Return :func:`depreciation` on NumPy arrays, ``year`` last.

    Parameters
    ----------
    capitalised : numpy.ndarray
        Amount capitalised per year [MNOK], shape ``(..., year)`` over consecutive years.
    life_years : numpy.ndarray
        Depreciation period [years], > 0, shape of ``capitalised`` without ``year`` or
        broadcastable to it (e.g. ``(scenario, project, 1)`` for ``(scenario, project, hf)``).
    start_lag : int
        Years from capitalisation to the first depreciation [years].

    Returns
    -------
    numpy.ndarray
        Depreciation per year [MNOK/yr], shape of ``capitalised``.
    """
    life = np.asarray(life_years, dtype=float)
    _check(life, start_lag)
    capitalised = np.asarray(capitalised, dtype=float)
    n = capitalised.shape[-1]
    # one kernel of age per distinct life (asset classes: a few), not one per row
    lives, which = np.unique(np.broadcast_to(life, capitalised.shape[:-1]), return_inverse=True)
    age = np.arange(n) - int(start_lag)
    kernels = np.where(age >= 0, _boxcar(lives[:, None], age.astype(float)), 0.0)
    out = by_age(capitalised.reshape(-1, 1, n), kernels, which.reshape(-1))
    return out.reshape(capitalised.shape)


def depreciation(
    capitalised: xr.DataArray, life_years: float | xr.DataArray, start_lag: int = 1
) -> xr.DataArray:
    """Return straight-line depreciation of amounts capitalised per year.

    Parameters
    ----------
    capitalised : xr.DataArray
        Amount capitalised (activated) per year [MNOK], dims ``(..., year)``.
    life_years : float or xr.DataArray
        Depreciation period [years], > 0; may be fractional; a DataArray over e.g.
        ``asset_class`` (building ~40–50, ICT ~10, medtech ~10, from the model files) broadcasts
        against ``capitalised``.
    start_lag : int
        Years from capitalisation to the first depreciation [years]; 1 = from the next year.

    Returns
    -------
    xr.DataArray
        Depreciation per year [MNOK/yr], dims of ``capitalised`` (and of ``life_years``).

    Notes
    -----
    A boxcar kernel of height :math:`1/L` and width :math:`L` starting at age :math:`\\ell`:

    .. math::

        D_t = \\sum_{s} C_s \\, \\frac{\\min(1, \\max(0, L - (t - s - \\ell)))}{L}
        \\quad (t - s \\ge \\ell)

    so every amount is written off in full (a fractional last year when :math:`L` is not whole).
    Write-offs after the last model year are not shown.

    Examples
    --------
    >>> c = xr.DataArray([10.0, 0, 0, 0], dims="year", coords={"year": [2025, 2026, 2027, 2028]})
    >>> depreciation(c, 2.5).values.tolist()
    [0.0, 4.0, 4.0, 2.0]
    """
    life = xr.DataArray(life_years) if not isinstance(life_years, xr.DataArray) else life_years
    _check(np.asarray(life), start_lag)
    years = np.asarray(capitalised["year"].values)
    age = age_matrix(years) - int(start_lag)
    kernel = _boxcar(life, age).where(age >= 0, 0.0)
    out = convolve_by_age(capitalised.astype(float), kernel).rename("depreciation")
    return annotate(out.to_dataset())["depreciation"]


def npv_compare(
    options: Mapping[str, Mapping[int, float] | pd.Series | xr.DataArray],
    discount_rate: float,
    base_year: int | None = None,
) -> pd.DataFrame:
    """Compare options by the net present value of their cash flows.

    Parameters
    ----------
    options : mapping
        Option name -> cash flow by year [MNOK] (income positive, costs negative), as
        ``{year: amount}``, a pandas Series indexed by year, or a DataArray over ``year``.
    discount_rate : float
        Yearly discount rate [fraction] (e.g. 0.04, the state's real rate for long projects).
    base_year : int, optional
        Year discounted to (year 0); default the earliest year of any option.

    Returns
    -------
    pandas.DataFrame
        One row per option, best first: ``npv`` [MNOK], ``undiscounted`` [MNOK],
        ``npv_behind_best`` [MNOK, <= 0], ``first_year``, ``last_year``.

    Notes
    -----
    Year 0 convention: the flow in ``base_year`` is not discounted; a flow in year
    :math:`y` is divided by :math:`(1 + \\rho)^{y - y_0}` (flows at year end, as in
    ``numpy_financial.npv``): :math:`NPV = \\sum_y CF_y / (1+\\rho)^{y-y_0}`.

    Examples
    --------
    Upgrade a building for 100 now and save 8 a year, or sell it for 20 and rent at 6 a year:

    >>> years = range(2026, 2046)
    >>> upgrade = {2026: -100.0} | {y: 8.0 for y in years if y > 2026}
    >>> rent = {2026: 20.0} | {y: -6.0 for y in years if y > 2026}
    >>> table = npv_compare({"upgrade": upgrade, "dispose and rent": rent}, 0.04)
    >>> table.index.tolist(), table["npv"].round(1).tolist()
    (['upgrade', 'dispose and rent'], [5.1, -58.8])
    """
    series = {}
    for name, flows in options.items():
        if isinstance(flows, xr.DataArray):
            flows = flows.to_series()
        s = pd.Series(flows, dtype=float)
        s.index = s.index.astype(int)
        series[name] = s.groupby(level=0).sum()
    first = min(int(s.index.min()) for s in series.values())
    y0 = first if base_year is None else int(base_year)
    if y0 > first:
        raise ValueError(f"base_year {y0} is after the first cash flow ({first})")
    last = max(int(s.index.max()) for s in series.values())
    span = np.arange(y0, last + 1)
    rows = {}
    for name, s in series.items():
        values = s.reindex(span, fill_value=0.0).to_numpy()
        rows[name] = {
            "npv": float(npf.npv(discount_rate, values)),
            "undiscounted": float(values.sum()),
            "first_year": int(s.index.min()),
            "last_year": int(s.index.max()),
        }
    table = pd.DataFrame.from_dict(rows, orient="index").sort_values("npv", ascending=False)
    table.insert(1, "npv_behind_best", table["npv"] - table["npv"].max())
    table.attrs.update(discount_rate=discount_rate, base_year=y0, units="MNOK")
    return table
