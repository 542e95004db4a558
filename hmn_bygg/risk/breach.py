"""Credit-line breach probabilities of an ensemble, with their Monte Carlo standard error.

A breach in a draw and year is ``credit_breach`` of the long-term budget (liquidity below minus
the HF's credit line, :func:`hmn_bygg.finance.breaches.breach_years`). Over ``n`` draws the
probability is the share of draws that breach, ``p̂ = k / n``, and its Monte Carlo standard
error is the binomial one, ``SE = √(p̂ (1 − p̂) / n)``: about ±0,5 percentage points at
``p̂ = 0,5`` and ``n = 10 000``, ±1,6 at ``n = 1 000``. It measures the sampling noise of the
draws only, not the uncertainty of the declared distributions themselves. A share of 0 or 1
has SE 0 (no draw disagrees); read it as "fewer than about 3 in ``n``" (the rule of three).

Two views:

- :func:`yearly`: per scenario, year and HF, from the per-year probability of
  :func:`hmn_bygg.risk.summary.summarize` and the number of draws (no per-draw data needed);
- :func:`any_year`: per scenario and HF, the probability of a breach in at least one year from
  a first year (the plan year) to the end, from the draws (the board's question: "how likely is
  it that an HF breaks its credit line?").
"""

from __future__ import annotations

import pandas as pd
import xarray as xr

from hmn_bygg.core.sampling import standard_error

__all__ = ["any_year", "breach_rows", "standard_error", "yearly"]  # standard_error: core


def yearly(summary: xr.Dataset) -> xr.Dataset | None:
    """Return the probability of a breach per scenario, year and HF with its standard error.

    Parameters
    ----------
    summary : xr.Dataset
        From :func:`hmn_bygg.risk.summary.summarize` (``liquidity_breach_probability`` and
        ``attrs["draws"]``); a summary of one scenario (no ``scenario`` dim) works too.

    Returns
    -------
    xr.Dataset or None
        ``p`` and ``se`` [fraction] with the dims of ``liquidity_breach_probability``;
        ``attrs["draws"]``. ``None`` when the ensemble did not book the budget.
    """
    if "liquidity_breach_probability" not in summary:
        return None
    n = int(summary.attrs["draws"])
    p = summary["liquidity_breach_probability"]
    out = xr.Dataset({"p": p, "se": standard_error(p, n)})
    out.attrs["draws"] = n
    return out


def any_year(ens: xr.Dataset, from_year: int | None = None) -> xr.Dataset | None:
    """Return the probability that an HF breaches its credit line in at least one year.

    Parameters
    ----------
    ens : xr.Dataset
        From :func:`hmn_bygg.risk.ensemble.run_ensemble` with the budget booked
        (``credit_breach`` with dims ``scenario, draw, year, hf``).
    from_year : int, optional
        First year that counts (default the first year of the ensemble); give the plan year to
        leave out the history years.

    Returns
    -------
    xr.Dataset or None
        ``p`` and ``se`` [fraction] (``scenario, hf``); ``attrs["draws"]``,
        ``attrs["from_year"]``, ``attrs["to_year"]`` and the ensemble's ``attrs["seed"]``.
        ``None`` without ``credit_breach``.
    """
    if "credit_breach" not in ens:
        return None
    years = ens["year"].to_numpy()
    first = int(years[0]) if from_year is None else int(from_year)
    window = ens["credit_breach"].sel(year=years[years >= first])
    p = window.any("year").astype(float).mean("draw").compute()
    n = int(ens.sizes["draw"])
    out = xr.Dataset({"p": p, "se": standard_error(p, n)})
    out.attrs.update({"draws": n, "from_year": first, "to_year": int(years[-1])})
    if "seed" in ens.attrs:
        out.attrs["seed"] = int(ens.attrs["seed"])
    return out


def breach_rows(breach: xr.Dataset, years: list[int] | None = None) -> pd.DataFrame:
    """Return yearly breach probabilities as rows (for JSON and tables).

    Parameters
    ----------
    breach : xr.Dataset
        From :func:`yearly` (dims ``scenario, year, hf``).
    years : list of int, optional
        Years to keep (default all).

    Returns
    -------
    pandas.DataFrame
        Columns ``scenario``, ``hf``, ``year``, ``p`` and ``se`` [fraction], sorted by
        scenario (in the order of the ensemble), HF and year.
    """
    ds = breach if years is None else breach.sel(year=list(years))
    if "scenario" not in ds.dims:
        name = str(ds["scenario"].item()) if "scenario" in ds.coords else "-"
        ds = ds.drop_vars("scenario", errors="ignore").expand_dims(scenario=[name])
    frame = ds[["p", "se"]].to_dataframe().reset_index()
    order = {str(s): i for i, s in enumerate(ds["scenario"].to_numpy())}
    frame["scenario"] = frame["scenario"].astype(str)
    frame["hf"] = frame["hf"].astype(str)
    frame["year"] = frame["year"].astype(int)
    frame["_o"] = frame["scenario"].map(order)
    frame = frame.sort_values(["_o", "hf", "year"], kind="stable").drop(columns="_o")
    return frame[["scenario", "hf", "year", "p", "se"]].reset_index(drop=True)
