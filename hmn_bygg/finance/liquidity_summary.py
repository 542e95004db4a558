"""The liquidity summary table: per scenario and HF, the lowest liquidity, breaches and
balances in chosen years (``hmn-bygg run``, the README and the dashboard)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import xarray as xr

from hmn_bygg.core.fmt import year_spans
from hmn_bygg.finance.breaches import credit_line

__all__ = ["liquidity_summary"]


def liquidity_summary(ds: xr.Dataset, at_years: Sequence[int] = (2025, 2030, 2035)) -> pd.DataFrame:
    """Return one row per scenario and HF: lowest liquidity, breaches, loans and area.

    Parameters
    ----------
    ds : xr.Dataset
        A booked result (:func:`book`).
    at_years : sequence of int
        Years for the loan balance and area columns (those inside the model years).

    Returns
    -------
    pandas.DataFrame
        Index ``(scenario, hf)``; columns ``lowest_liquidity`` [MNOK], ``lowest_year``,
        ``credit_limit`` [MNOK] (in the year of the lowest liquidity, at the price basis of
        ``ds``), ``first_breach_year`` (NaN when none), ``breach_years``
        (text, e.g. ``"2024–2025"``, empty when none), ``loan_balance_<year>`` [MNOK] and
        ``area_<year>`` [m²].
    """
    years = [int(y) for y in at_years if int(y) in set(ds["year"].to_numpy().tolist())]
    liq = ds["liquidity"].transpose("scenario", "hf", "year")
    low_idx = liq.argmin("year")
    credit = credit_line(ds).transpose("scenario", "hf", "year")
    rows = []
    for s in ds["scenario"].to_numpy():
        for h in ds["hf"].to_numpy():
            one = liq.sel(scenario=s, hf=h)
            i = int(low_idx.sel(scenario=s, hf=h))
            breach = ds["credit_breach"].sel(scenario=s, hf=h).transpose("year")
            breach_list = ds["year"].to_numpy()[breach.to_numpy()].astype(int).tolist()
            row = {
                "scenario": str(s),
                "hf": str(h),
                "lowest_liquidity": float(one.isel(year=i)),
                "lowest_year": int(ds["year"][i]),
                "credit_limit": float(credit.sel(scenario=s, hf=h).isel(year=i)),
                "first_breach_year": float(ds["first_year_credit_breach"].sel(scenario=s, hf=h)),
                "breach_years": year_spans(breach_list),
            }
            for y in years:
                row[f"loan_balance_{y}"] = float(ds["loan_balance"].sel(scenario=s, hf=h, year=y))
            for y in years:
                row[f"area_{y}"] = float(ds["area"].sel(scenario=s, hf=h, year=y))
            rows.append(row)
    return pd.DataFrame(rows).set_index(["scenario", "hf"])
