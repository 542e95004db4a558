"""Summaries of a Monte Carlo ensemble: quantile bands, target probabilities, a tornado table.

All functions take the Dataset of :func:`hmn_bygg.risk.ensemble.run_ensemble` (dims ``scenario``,
``draw``, ``year``, ``hf``), in memory or opened lazily from a store.

Probabilities are shares of draws: ``P̂ = (number of draws where the event holds) / D``, with a
sampling standard error ``√(P̂ (1 − P̂) / D)`` (±0,005 at ``D = 10 000``). "Reached by year
``t``" is cumulative: the target is met in at least one year ``≤ t``.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
import xarray as xr
from scipy.stats import rankdata

from hmn_bygg.core.targets import target_area, target_vttg
from hmn_bygg.core.variables import annotate

BAND_VARS: tuple[str, ...] = (
    "vttg",
    "vttg_region",
    "area",
    "area_region",
    "upgrade_need",
    "upgrade_need_region",
    "maintenance_spend",
    "liquidity",
    "liquidity_region",
    "loan_balance",
    "loan_balance_region",
)
"""Variables that get quantile bands when the ensemble has them."""


def reached_by(met: xr.DataArray) -> xr.DataArray:
    """Return whether an event has held in any year up to and including each year.

    Parameters
    ----------
    met : xr.DataArray
        Boolean, with a ``year`` dim.

    Returns
    -------
    xr.DataArray
        Boolean, same dims: ``reached[t] = any(met[y] for y ≤ t)``.

    Examples
    --------
    >>> m = xr.DataArray([False, True, False], dims="year", coords={"year": [1, 2, 3]})
    >>> reached_by(m).values.tolist()
    [False, True, True]
    """
    return met.astype(int).cumsum("year") > 0


def _whole_draws(da: xr.DataArray) -> xr.DataArray:
    return da.chunk({"draw": -1}) if da.chunks is not None else da


def summarize(ens: xr.Dataset, quantiles: Sequence[float] = (0.1, 0.5, 0.9)) -> xr.Dataset:
    """Return quantile bands and target probabilities of an ensemble.

    Parameters
    ----------
    ens : xr.Dataset
        From :func:`hmn_bygg.risk.ensemble.run_ensemble`.
    quantiles : sequence of float
        Quantiles for the bands [fraction], e.g. p10, p50, p90.

    Returns
    -------
    xr.Dataset
        - every :data:`BAND_VARS` variable the ensemble has, with a ``quantile`` dim instead of
          ``draw`` (linear interpolation between order statistics);
        - ``vttg_target_probability`` (scenario, year, hf) and ``..._region`` (scenario, year):
          share of draws whose VTTG is at or below ``attrs["vttg_target"]`` (1,2) in some year
          up to that year;
        - ``area_target_probability_region`` (scenario, year): the same for the floor area at or
          below ``attrs["area_target_m2"]`` (650 000 m²);
        - with the long-term budget booked: ``liquidity_breach_probability`` (scenario, year,
          hf): share of draws whose liquidity is below minus the credit line that year, and
          ``liquidity_negative_probability``: below zero.
    """
    q = [float(x) for x in quantiles]
    out: dict[str, xr.DataArray] = {}
    for name in (v for v in BAND_VARS if v in ens):
        with warnings.catch_warnings():  # an HF with no building in service: NaN band
            warnings.filterwarnings("ignore", "All-NaN slice", RuntimeWarning)
            band = _whole_draws(ens[name]).quantile(q, dim="draw").compute()
        out[name] = band.transpose("quantile", ...)
    target = target_vttg(ens)
    area_target = target_area(ens)
    if "vttg" in ens:
        out["vttg_target_probability"] = reached_by(ens["vttg"] <= target).mean("draw")
    if "vttg_region" in ens:
        out["vttg_target_probability_region"] = reached_by(ens["vttg_region"] <= target).mean(
            "draw"
        )
    if "area_region" in ens:
        out["area_target_probability_region"] = reached_by(ens["area_region"] <= area_target).mean(
            "draw"
        )
    if "credit_breach" in ens:
        out["liquidity_breach_probability"] = ens["credit_breach"].astype(float).mean("draw")
    if "liquidity_negative" in ens:
        out["liquidity_negative_probability"] = ens["liquidity_negative"].astype(float).mean("draw")
    ds = xr.Dataset(out).compute()
    ds.attrs.update(
        {k: v for k, v in ens.attrs.items() if k in ("seed", "vttg_target", "area_target_m2")}
    )
    ds.attrs["draws"] = int(ens.sizes["draw"])
    ds.attrs["price_basis"] = ens.attrs.get("price_basis", "")
    return annotate(ds)


def rank_correlation(x: np.ndarray, y: np.ndarray) -> float:
    """Return Spearman's rank correlation of two samples (NaN pairs dropped; NaN if constant).

    Examples
    --------
    >>> round(rank_correlation(np.array([1.0, 2, 3, 4]), np.array([10.0, 20, 15, 40])), 6)
    0.8
    """
    keep = ~(np.isnan(x) | np.isnan(y))
    x, y = x[keep], y[keep]
    if x.size < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return float("nan")
    rx, ry = rankdata(x), rankdata(y)
    return float(np.corrcoef(rx, ry)[0, 1])


def tornado(
    ens_inputs: xr.DataArray, outputs: xr.DataArray, year: int, tail: float = 0.1
) -> pd.DataFrame:
    """Rank the uncertain inputs by how much of the spread of an output they drive.

    Parameters
    ----------
    ens_inputs : xr.DataArray
        Draws of the inputs, dims ``(draw, input)`` and optionally ``scenario``
        (``ens["uncertain_input"]``).
    outputs : xr.DataArray
        The output, dims ``(draw, year)`` and optionally ``scenario`` (e.g.
        ``ens["vttg_region"]``, or ``ens["liquidity"].sel(hf="HMR")``).
    year : int
        The year the output is read in.
    tail : float
        Share of draws in each tail for the swing [fraction]; 0,1 compares the lowest and the
        highest tenth of each input.

    Returns
    -------
    pandas.DataFrame
        One row per scenario and input, sorted by ``abs_rank_correlation`` (largest first)
        within each scenario: ``rank_correlation`` (Spearman, output vs input draw over all
        draws), ``low`` and ``high`` (mean output among the draws with the input in its lowest
        and highest ``tail``), ``swing = high − low`` (output units).

    Notes
    -----
    Both measures come from the one ensemble (no extra runs): the rank correlation says how
    monotonically an input drives the output with every other input varying too; the swing
    reads as the bar of a tornado chart. Inputs that never vary get NaN and sort last.
    """
    y_all = outputs.sel(year=year)
    x_all = ens_inputs
    if "scenario" not in x_all.dims:
        x_all, y_all = x_all.expand_dims(scenario=["-"]), y_all.expand_dims(scenario=["-"])
    rows = []
    for scenario in x_all["scenario"].to_numpy():
        y = np.asarray(y_all.sel(scenario=scenario).transpose("draw").to_numpy(), dtype=float)
        x_s = x_all.sel(scenario=scenario).transpose("draw", "input")
        for name in x_s["input"].to_numpy():
            x = np.asarray(x_s.sel(input=name).to_numpy(), dtype=float)
            rho = rank_correlation(x, y)
            low = high = float("nan")
            if np.isfinite(rho):
                lo_cut, hi_cut = np.nanquantile(x, [tail, 1.0 - tail])
                low = float(np.nanmean(y[x <= lo_cut]))
                high = float(np.nanmean(y[x >= hi_cut]))
            rows.append(
                {
                    "scenario": str(scenario),
                    "input": str(name),
                    "rank_correlation": rho,
                    "abs_rank_correlation": abs(rho),
                    "low": low,
                    "high": high,
                    "swing": high - low,
                }
            )
    df = pd.DataFrame(rows)
    if df.empty:
        return df
    df = df.sort_values(
        ["scenario", "abs_rank_correlation"], ascending=[True, False], na_position="last"
    )
    return df.reset_index(drop=True)
