"""The building stock over time: new buildings, service years, the area target.

A building is *in service* from its open year (inclusive) until its disposal year (exclusive):
disposed of in year ``t`` means not in service in ``t``. Existing buildings have no open year
(NaN); buildings without a planned disposal have a NaN disposal year. Disposal plans that
differ by scenario are arrays ``disposal_year(scenario, building)``, so one call serves every
scenario. The cash of disposals and the disposal planner are in :mod:`hmn_bygg.stock.disposals`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.messages import Msg
from hmn_bygg.core.variables import annotate
from hmn_bygg.register import model as register_model

NEW_BUILDING_COLUMNS = (
    "building_id",
    "name",
    "hf",
    "site",
    "use",
    "floor_area",
    "replacement_value",
    "open_year",
)


def add_buildings(
    register: xr.Dataset, new: pd.DataFrame, *, source: str = "new buildings"
) -> xr.Dataset:
    """Append new buildings (all parts at TG0) to the register.

    Parameters
    ----------
    register : xr.Dataset
        The register (:func:`hmn_bygg.register.model.build_register`), dims ``building, part``.
    new : pandas.DataFrame
        One row per new building with columns ``building_id``, ``name``, ``hf``, ``site``,
        ``use``, ``floor_area`` [m²], ``replacement_value`` [NOK/m²], ``open_year`` [year];
        optionally ``adaptability`` [0–3].
    source : str
        Name of the table in error messages (e.g. the model file).

    Returns
    -------
    xr.Dataset
        The register with the new buildings last; every part at TG0, ``survey_year`` and
        ``built_year`` = ``open_year``, default cost shares (``models/parts.csv``); a new
        per-building variable ``open_year`` [year], NaN for the buildings already there.

    Raises
    ------
    InputError
        Listing every missing column, duplicate id, non-positive area or missing open year.
    """
    problems = [
        Problem(
            source,
            Msg("stock.column_missing"),
            column=c,
            expected=Msg("stock.a_value_per_new_building"),
        )
        for c in NEW_BUILDING_COLUMNS
        if c not in new.columns
    ]
    if problems:
        raise InputError(problems, title=Msg("stock.new_buildings_invalid"))
    existing = set(map(str, register["building"].values))
    seen: set[str] = set()
    for i, row in enumerate(new.itertuples(index=False), start=2):
        bid = str(row.building_id)
        if bid in existing or bid in seen:
            problems.append(
                Problem(
                    source,
                    Msg("stock.id_already_used"),
                    i,
                    "building_id",
                    Msg("stock.a_new_id"),
                    bid,
                )
            )
        seen.add(bid)
        area = pd.to_numeric(pd.Series([row.floor_area]), errors="coerce").iloc[0]
        if not area > 0:
            problems.append(
                Problem(
                    source,
                    Msg("stock.area_not_positive"),
                    i,
                    "floor_area",
                    Msg("stock.positive_m2"),
                    str(area),
                )
            )
        year = pd.to_numeric(pd.Series([row.open_year]), errors="coerce").iloc[0]
        if not np.isfinite(year):
            problems.append(
                Problem(
                    source,
                    Msg("stock.open_year_missing"),
                    i,
                    "open_year",
                    Msg("stock.a_year"),
                    str(row.open_year),
                )
            )
    if problems:
        raise InputError(problems, title=Msg("stock.new_buildings_invalid"))

    table = new.copy()
    table["built_year"] = pd.to_numeric(table["open_year"])
    table["condition_grade"] = 0.0
    table["planned_disposal_year"] = np.nan
    added = register_model.build_register(table)
    added["open_year"] = ("building", table["open_year"].to_numpy(dtype=float))
    base = register.copy()
    if "open_year" not in base:
        base["open_year"] = ("building", np.full(base.sizes["building"], np.nan))
    merged = xr.concat(
        [base, added],
        dim="building",
        data_vars="minimal",
        coords="minimal",
        compat="override",
        join="exact",
    )
    merged.attrs = dict(register.attrs)
    return annotate(merged)


def in_service_array(
    open_year: np.ndarray, disposal_year: np.ndarray, years: np.ndarray
) -> np.ndarray:
    """Return whether each building is in the stock in each year (NumPy; the year loop uses it).

    Parameters
    ----------
    open_year : numpy.ndarray
        Year the building enters [year], NaN = already in the stock, +inf = never; ``(S, B)``.
    disposal_year : numpy.ndarray
        Year the building leaves [year], NaN = never; ``(S, B)``.
    years : numpy.ndarray
        Years ``(Y,)``.

    Returns
    -------
    numpy.ndarray
        Boolean ``(S, Y, B)``: open year ≤ year < disposal year.
    """
    y = years[None, :, None].astype(float)
    opened = np.isnan(open_year)[:, None, :] | (open_year[:, None, :] <= y)
    kept = np.isnan(disposal_year)[:, None, :] | (disposal_year[:, None, :] > y)
    return opened & kept


def in_service(
    open_year: xr.DataArray, disposal_year: xr.DataArray, years: np.ndarray | xr.DataArray
) -> xr.DataArray:
    """Return whether each building is in the stock in each year.

    Parameters
    ----------
    open_year : xr.DataArray
        Year the building enters [year], NaN = already in the stock; dim ``building``.
    disposal_year : xr.DataArray
        Year the building leaves [year], NaN = never; dims ``([scenario,] building)``.
    years : array-like
        Model years.

    Returns
    -------
    xr.DataArray
        Bool ``in_service``, dims ``([scenario,] building, year)``:
        ``open_year <= year < disposal_year``.

    Examples
    --------
    >>> one = lambda v: xr.DataArray([v], dims="building")
    >>> in_service(one(np.nan), one(2026.0), [2025, 2026]).values.tolist()
    [[True, False]]
    """
    years = np.asarray(years)
    disposal_year, open_year = xr.broadcast(disposal_year, open_year)
    lead = [d for d in disposal_year.dims if d != "building"]
    stacked = {"row": lead} if lead else {}
    d2 = disposal_year.stack(stacked) if lead else disposal_year.expand_dims("row")
    o2 = open_year.stack(stacked) if lead else open_year.expand_dims("row")
    d2, o2 = d2.transpose("row", "building"), o2.transpose("row", "building")
    flags = in_service_array(o2.to_numpy().astype(float), d2.to_numpy().astype(float), years)
    out = xr.DataArray(
        flags,
        dims=("row", "year", "building"),
        coords={"row": d2["row"], "year": years, "building": d2["building"]},
    )
    out = out.unstack("row") if lead else out.isel(row=0, drop=True)
    order = [d for d in ("scenario", "draw") if d in out.dims]
    out = out.transpose(*order, ..., "building", "year")
    out.name = "in_service"
    return out


def target_reached(area_region: xr.DataArray, target_m2: float) -> xr.Dataset:
    """Return the first year the region's area is at or below a target, and the gap left.

    Parameters
    ----------
    area_region : xr.DataArray
        Area in service [m²], dims ``(..., year)``.
    target_m2 : float
        Target area [m²] (HMN: 650 000).

    Returns
    -------
    xr.Dataset
        ``area_target_year`` [year], NaN when never reached; ``area_target_gap`` [m²], the area
        above target in the last year (0 when reached).

    Examples
    --------
    >>> a = xr.DataArray([700.0, 660.0], dims="year", coords={"year": [2025, 2026]})
    >>> r = target_reached(a, 650.0)
    >>> float(r.area_target_year), float(r.area_target_gap)
    (nan, 10.0)
    """
    area = area_region.transpose(..., "year")
    first, gap = target_arrays(area.to_numpy(), area["year"].to_numpy(), target_m2)
    lead = area.isel(year=-1, drop=True)
    ds = xr.Dataset(
        {"area_target_year": (lead.dims, first), "area_target_gap": (lead.dims, gap)},
        coords=lead.coords,
    )
    ds.attrs["target_m2"] = float(target_m2)
    return annotate(ds)


def target_arrays(
    area: np.ndarray, years: np.ndarray, target_m2: float
) -> tuple[np.ndarray, np.ndarray]:
    """Return :func:`target_reached` on arrays: the first year ``(...,)`` [year] the area is at
    or below the target (NaN: never) and the gap left in the last year ``(...,)`` [m²].

    Parameters
    ----------
    area : numpy.ndarray
        Area in service [m²] ``(..., Y)``.
    years : numpy.ndarray
        The years ``(Y,)``.
    target_m2 : float
        Target area [m²].
    """
    first = np.where(area <= target_m2, years.astype(float), np.inf).min(axis=-1)
    gap = np.clip(area[..., -1] - target_m2, 0.0, None)
    return np.where(np.isfinite(first), first, np.nan), gap
