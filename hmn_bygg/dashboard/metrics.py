"""Key figures computed from a results Dataset, for the pages (no Panel, no Bokeh here).

Every function takes the results Dataset (see the glossary) and returns plain numbers,
arrays or DataFrames, so that they are tested without a browser.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
import xarray as xr

from hmn_bygg.core.targets import target_area, target_vttg
from hmn_bygg.finance.breaches import credit_line

Status = Literal["green", "amber", "red"]
TG_EDGES = (0.5, 1.5, 2.5)  # part grades rounded to the nearest TG: TG0 | TG1 | TG2 | TG3
FINANCE_VARS = ("liquidity", "credit_limit", "loan_balance", "net_cash_flow")


def has_finance(ds: xr.Dataset) -> bool:
    """Whether the results hold the long-term budget (liquidity and credit limits)."""
    return all(v in ds for v in ("liquidity", "credit_limit"))


def status_lower_better(value: float, target: float, amber_margin: float) -> Status:
    """Traffic light for a figure that should be at or below ``target``.

    Parameters
    ----------
    value, target : float
        The figure and its target (same unit).
    amber_margin : float
        How far above the target still counts as amber (same unit).

    Returns
    -------
    {"green", "amber", "red"}
        Green at or below the target, amber within the margin above it, else red.
    """
    if not np.isfinite(value):
        return "amber"
    if value <= target + 1e-9:
        return "green"
    return "amber" if value <= target + amber_margin else "red"


def first_year_at_or_below(series: xr.DataArray, target: float) -> int | None:
    """Return the first year a ``(year,)`` series is at or below ``target`` (None if never)."""
    hit = np.flatnonzero(series.transpose("year").to_numpy() <= target + 1e-9)  # NaN: never
    return int(series["year"].to_numpy()[hit[0]]) if hit.size else None


def building_area(ds: xr.Dataset, register: xr.Dataset) -> xr.DataArray:
    """Return each result building's floor area [m²] (new buildings: 0 if unknown)."""
    if "floor_area" in ds:
        return ds["floor_area"].fillna(0.0)
    return register["floor_area"].reindex(building=ds["building"]).fillna(0.0)


def grade_band_shares(ds: xr.Dataset, scenario: str, register: xr.Dataset) -> pd.DataFrame:
    """Return the share of floor area in each condition grade TG0–TG3, per year.

    Parameters
    ----------
    ds : xr.Dataset
        Results with ``condition_grade`` and ``in_service``.
    scenario : str
        Scenario to show.
    register : xr.Dataset
        The register (floor areas and cost shares).

    Returns
    -------
    pandas.DataFrame
        Index year, columns ``TG0`` .. ``TG3``, rows summing to 1.

    Notes
    -----
    Each part of a building in service stands for ``floor_area × cost_share`` of the area;
    its grade is rounded to the nearest whole TG.
    """
    s = ds.sel(scenario=scenario)
    share = register["cost_share"].reindex(building=ds["building"]).fillna(1.0 / ds.sizes["part"])
    weight = building_area(ds, register) * share * s["in_service"]
    band = xr.apply_ufunc(np.digitize, s["condition_grade"], kwargs={"bins": TG_EDGES})
    total = weight.sum(["building", "part"])
    cols = {
        f"TG{k}": (weight.where(band == k, 0.0).sum(["building", "part"]) / total).to_numpy()
        for k in range(4)
    }
    return pd.DataFrame(cols, index=ds["year"].to_numpy())


def area_flows(ds: xr.Dataset, scenario: str, register: xr.Dataset) -> pd.DataFrame:
    """Return floor area opened and disposed of per year [m²] (disposals as positive numbers).

    Returns
    -------
    pandas.DataFrame
        Index year (from the second model year), columns ``opened`` and ``disposed``.
    """
    s = ds.sel(scenario=scenario)
    live = s["in_service"].astype(bool).to_numpy()  # (year, building)
    area = building_area(ds, register).to_numpy()
    gone = (live[:-1] & ~live[1:]) @ area
    new = (~live[:-1] & live[1:]) @ area
    return pd.DataFrame({"opened": new, "disposed": gone}, index=ds["year"].to_numpy()[1:])


@dataclass(frozen=True)
class Waterfall:
    """The steps from today's floor area to the target [m²]."""

    start_year: int
    end_year: int
    start: float
    disposed: float
    opened: float
    end: float
    target: float

    @property
    def gap(self) -> float:
        """Floor area still above the target in the last year [m²] (0 when met)."""
        return max(self.end - self.target, 0.0)


def area_waterfall(ds: xr.Dataset, scenario: str, register: xr.Dataset) -> Waterfall:
    """Return today's area, what disposals and new buildings change, and the gap to target."""
    s = ds.sel(scenario=scenario)
    flows = area_flows(ds, scenario, register)
    years = ds["year"].to_numpy()
    return Waterfall(
        start_year=int(years[0]),
        end_year=int(years[-1]),
        start=float(s["area_region"].isel(year=0)),
        disposed=float(flows["disposed"].sum()),
        opened=float(flows["opened"].sum()),
        end=float(s["area_region"].isel(year=-1)),
        target=target_area(ds),
    )


def worst_buildings(
    ds: xr.Dataset, scenario: str, year: int, register: xr.Dataset, n: int = 15
) -> pd.DataFrame:
    """Return the ``n`` buildings in service with the worst grade in ``year``.

    Returns
    -------
    pandas.DataFrame
        Columns building, name, hf, site, use, floor_area, grade, upgrade_need (MNOK).
    """
    s = ds.sel(scenario=scenario, year=year)
    frame = pd.DataFrame(
        {
            "building": ds["building"].to_numpy().astype(str),
            "grade": s["building_grade"].to_numpy(),
            "upgrade_need": s["upgrade_need_building"].to_numpy(),
            "in_service": s["in_service"].to_numpy().astype(bool),
            "floor_area": building_area(ds, register).to_numpy(),
        }
    )
    info = register[["name", "hf", "site", "use"]].to_dataframe()
    frame = frame.join(info, on="building")
    frame = frame[frame["in_service"]].sort_values("grade", ascending=False).head(n)
    cols = ["building", "name", "hf", "site", "use", "floor_area", "grade", "upgrade_need"]
    return frame[cols].reset_index(drop=True)


@dataclass(frozen=True)
class LiquidityLow:
    """An HF's lowest closing liquidity and the years it breaks its credit line."""

    hf: str
    lowest: float
    year: int
    credit_limit: float
    breach_years: tuple[int, ...]

    @property
    def status(self) -> Status:
        """Green: never negative; amber: negative within the credit line; red: breach."""
        if self.breach_years:
            return "red"
        return "green" if self.lowest >= 0 else "amber"


def liquidity_lows(ds: xr.Dataset, scenario: str) -> list[LiquidityLow]:
    """Return each HF's lowest liquidity [MNOK], its year and its credit-breach years."""
    if not has_finance(ds):
        return []
    s = ds.sel(scenario=scenario)
    lows = []
    for hf in ds["hf"].to_numpy().astype(str):
        liq = s["liquidity"].sel(hf=hf)
        line = credit_line(s).sel(hf=hf).transpose("year").to_numpy()  # at the price basis
        if "credit_breach" in s:
            breach = s["credit_breach"].sel(hf=hf).to_numpy().astype(bool)
        else:
            breach = liq.to_numpy() < -line - 1e-6
        i = int(liq.argmin("year"))
        limit = float(line[i])
        years = ds["year"].to_numpy()
        lows.append(
            LiquidityLow(
                hf=hf,
                lowest=float(liq.isel(year=i)),
                year=int(years[i]),
                credit_limit=limit,
                breach_years=tuple(int(y) for y in years[breach]),
            )
        )
    return lows


def scenario_table(ds: xr.Dataset, names: list[str], mid_year: int = 2030) -> pd.DataFrame:
    """Return the scenarios' key figures side by side (rows: figures, columns: scenarios).

    Returns
    -------
    pandas.DataFrame
        Index: figure keys ``vttg_mid``, ``vttg_end``, ``vttg_year``, ``area_end``,
        ``area_year``, ``need_end`` and, with finances, ``liquidity_min``.
    """
    target = target_vttg(ds)
    area_target = target_area(ds)
    years = ds["year"].to_numpy()
    mid = int(min(max(mid_year, years[0]), years[-1]))
    rows: dict[str, dict[str, float]] = {}
    for name in names:
        s = ds.sel(scenario=name)
        vy = first_year_at_or_below(s["vttg_region"], target)
        ay = first_year_at_or_below(s["area_region"], area_target)
        row = {
            "vttg_mid": float(s["vttg_region"].sel(year=mid)),
            "vttg_end": float(s["vttg_region"].isel(year=-1)),
            "vttg_year": np.nan if vy is None else float(vy),
            "area_end": float(s["area_region"].isel(year=-1)),
            "area_year": np.nan if ay is None else float(ay),
            "need_end": float(s["upgrade_need_region"].isel(year=-1)),
        }
        if "liquidity_region" in s:
            row["liquidity_min"] = float(s["liquidity_region"].min())
        rows[name] = row
    return pd.DataFrame(rows)
