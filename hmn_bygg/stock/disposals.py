"""Disposals: the cash a disposal brings or costs, and a planner that proposes which buildings
to dispose of so that the region's floor area reaches a target.

Money is MNOK; prices and costs per m² are NOK/m². A building disposed of in year ``t`` is not
in service in ``t`` (see :mod:`hmn_bygg.stock.portfolio`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import xarray as xr

from hmn_bygg.core import fmt
from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.register import weighting
from hmn_bygg.stock.portfolio import in_service

SCORE_WEIGHTS: dict[str, float] = {"grade": 1.0, "adaptability": 1.0, "upgrade_need": 1.0}


def disposal_cash_arrays(
    floor_area: np.ndarray,
    disposal_year: np.ndarray,
    kind: np.ndarray,
    sale_price_nok_per_m2: np.ndarray,
    demolition_cost_nok_per_m2: np.ndarray,
    years: np.ndarray,
) -> dict[str, np.ndarray]:
    """Return sale proceeds and demolition costs in each building's disposal year.

    For rows of scenarios (or Monte Carlo draws) at once, on plain arrays.

    Parameters
    ----------
    floor_area : numpy.ndarray
        Floor area [m²], ``(B,)``.
    disposal_year : numpy.ndarray
        Disposal year [year], NaN = none, ``(S, B)``.
    kind : numpy.ndarray
        ``"sale"`` or ``"demolition"`` (str), ``(S, B)``.
    sale_price_nok_per_m2 : numpy.ndarray
        Net sale price [NOK/m²], ``(S, B)``.
    demolition_cost_nok_per_m2 : numpy.ndarray
        Demolition cost [NOK/m²], ``(S,)``.
    years : numpy.ndarray
        Model years ``(Y,)``.

    Returns
    -------
    dict of str to numpy.ndarray
        ``sale_proceeds`` and ``demolition_cost`` [MNOK/yr], ``(S, B, Y)`` (views of
        building-major arrays); sum over ``B`` (or a product with a membership matrix) for the
        HF.

    Notes
    -----
    :math:`P_{s,b,t} = [t = y_{s,b}][k_{s,b} = \\mathrm{sale}] \\, a_b p_{s,b} / 10^6`,
    likewise for demolition with its cost per m².
    """
    kinds = np.asarray(kind).astype(str)
    unknown = sorted(set(kinds.ravel()) - {"sale", "demolition"})
    if unknown:
        raise ValueError(f"kind must be 'sale' or 'demolition', found {unknown}")
    event = (np.asarray(disposal_year)[:, :, None] == np.asarray(years)).astype(float)
    mnok = (np.asarray(floor_area) / 1e6)[:, None, None] * event.transpose(1, 0, 2)
    price = np.asarray(sale_price_nok_per_m2, dtype=float).T[:, :, None]
    cost = np.asarray(demolition_cost_nok_per_m2, dtype=float)[None, :, None]
    sale = mnok * price * (kinds.T == "sale")[:, :, None]
    demolition = mnok * cost * (kinds.T == "demolition")[:, :, None]
    return {
        "sale_proceeds": sale.transpose(1, 0, 2),
        "demolition_cost": demolition.transpose(1, 0, 2),
    }


def _reason(grade: float, adaptability: float, need: float) -> str:
    adapt = "ikke registrert" if np.isnan(adaptability) else fmt.fmt_number(adaptability)
    need_text = "ukjent" if np.isnan(need) else f"{fmt.fmt_number(round(need, -2))} kr/m²"
    return (
        f"TG {fmt.fmt_number(grade, 1)}, tilpasningsdyktighet {adapt}, "
        f"oppgraderingsbehov {need_text}"
    )


def plan_disposals(
    register: xr.Dataset,
    upgrade_need_per_m2: xr.DataArray,
    target_m2: float,
    by_year: int,
    *,
    disposal_year: xr.DataArray | None = None,
    pinned: set[str] | frozenset[str] = frozenset(),
    weights: Mapping[str, float] | None = None,
    grade: xr.DataArray | None = None,
) -> pd.DataFrame:
    """Propose further buildings to dispose of so that the region's area reaches a target.

    Parameters
    ----------
    register : xr.Dataset
        Register (with ``open_year`` when new buildings were added), dim ``building``.
    upgrade_need_per_m2 : xr.DataArray
        Upgrade need per m² [NOK/m²], dim ``building`` only (one scenario at a time).
    target_m2 : float
        Target floor area [m²] for the region (HMN: 650 000).
    by_year : int
        Year the target is to be met; proposed disposals take effect in that year at the latest.
    disposal_year : xr.DataArray, optional
        The current disposal plan [year, NaN = none], dim ``building``; default the register's
        ``planned_disposal_year``.
    pinned : set of str
        Building ids that must be kept.
    weights : mapping, optional
        Weights of the score components ``grade``, ``adaptability``, ``upgrade_need``; default
        equal.
    grade : xr.DataArray, optional
        Building grade [TG] to rank by (e.g. simulated for ``by_year``); default the register's
        grade from its parts (:func:`hmn_bygg.register.weighting.building_grade`).

    Returns
    -------
    pandas.DataFrame
        One row per proposed building, in the order chosen: ``building_id`` (index), ``name``,
        ``hf``, ``site``, ``floor_area`` [m²], ``grade`` [TG], ``adaptability``,
        ``upgrade_need_per_m2`` [NOK/m²], ``score_grade``, ``score_adaptability``,
        ``score_upgrade_need``, ``score`` [0–1], ``cumulative_area`` [m²], ``area_after`` [m²],
        ``reason`` (bokmål). ``attrs``: ``target_m2``, ``by_year``, ``area_before`` [m²],
        ``remaining_gap`` [m²], ``target_reached`` (bool), ``message`` (bokmål).

    Raises
    ------
    InputError
        When a pinned id is not in the register.

    Notes
    -----
    Candidates are buildings in service in ``by_year`` under the current plan, with no planned
    disposal, not new (no ``open_year``) and not pinned. Score components lie in [0, 1]:
    ``grade / 3``, ``adaptability / 3`` (not surveyed = 0) and ``need / max need`` among the
    candidates. The score is their weighted mean :math:`\\sum_k w_k c_k / \\sum_k w_k`.
    Greedy: take candidates by falling score (ties: larger area first) until the area in
    ``by_year`` is at or below the target; the last one may overshoot.
    """
    w = dict(SCORE_WEIGHTS if weights is None else weights)
    if set(w) - set(SCORE_WEIGHTS) or sum(w.values()) <= 0 or min(w.values()) < 0:
        raise ValueError(f"weights need keys from {sorted(SCORE_WEIGHTS)}, >= 0, sum > 0: {w}")
    if upgrade_need_per_m2.dims != ("building",):
        raise ValueError("upgrade_need_per_m2 must have the single dim 'building'")
    ids = np.asarray(register["building"].values).astype(str)
    need = upgrade_need_per_m2.reindex(building=register["building"].values)
    unknown = sorted(set(pinned) - set(ids))
    if unknown:
        raise InputError(
            [Problem("pinned", "building id not in the register", found=b) for b in unknown],
            title="The pinned buildings have problems",
        )
    planned = register["planned_disposal_year"] if disposal_year is None else disposal_year
    opened = register["open_year"] if "open_year" in register else xr.full_like(planned, np.nan)
    active = in_service(opened, planned, np.array([by_year])).isel(year=0, drop=True)
    area = register["floor_area"]
    area_before = float((area * active).sum())
    gap = area_before - float(target_m2)
    if grade is None:
        grade = weighting.building_grade(register["condition_grade"], register["cost_share"])
    grade = grade.reindex(building=register["building"].values)
    candidate = active & planned.isnull() & opened.isnull() & ~np.isin(ids, list(pinned))
    table = pd.DataFrame(
        {
            "name": register["name"].values,
            "hf": register["hf"].values,
            "site": register["site"].values,
            "floor_area": area.values.astype(float),
            "grade": grade.values.astype(float),
            "adaptability": register["adaptability"].values.astype(float),
            "upgrade_need_per_m2": need.values.astype(float),
        },
        index=pd.Index(ids, name="building_id"),
    )[candidate.values]
    max_need = table["upgrade_need_per_m2"].max()
    table["score_grade"] = (table["grade"] / 3.0).fillna(0.0)
    table["score_adaptability"] = (table["adaptability"] / 3.0).fillna(0.0)
    table["score_upgrade_need"] = (
        (table["upgrade_need_per_m2"] / max_need).fillna(0.0) if max_need > 0 else 0.0
    )
    total_w = sum(w.values())
    table["score"] = sum(w.get(k, 0.0) * table[f"score_{k}"] for k in SCORE_WEIGHTS) / total_w
    table = table.sort_values(["score", "floor_area"], ascending=[False, False], kind="stable")
    cumulative = table["floor_area"].cumsum()
    needed = int(np.searchsorted(cumulative.to_numpy(), gap - 1e-9)) + 1 if gap > 0 else 0
    chosen = table.iloc[:needed].copy()
    chosen["cumulative_area"] = chosen["floor_area"].cumsum()
    chosen["area_after"] = area_before - chosen["cumulative_area"]
    chosen["reason"] = [
        _reason(g, a, n)
        for g, a, n in zip(
            chosen["grade"], chosen["adaptability"], chosen["upgrade_need_per_m2"], strict=True
        )
    ]
    remaining = max(0.0, gap - float(chosen["floor_area"].sum()))
    target_text = f"{fmt.fmt_number(target_m2)} m² innen {by_year}"
    if gap <= 0:
        message = f"Målet {target_text} nås uten flere avhendinger."
    elif remaining > 0:
        message = (
            f"Målet {target_text} nås ikke: selv med alle {len(chosen)} kandidater gjenstår "
            f"{fmt.fmt_number(remaining)} m²."
        )
    else:
        message = (
            f"{len(chosen)} bygg ({fmt.fmt_number(chosen['floor_area'].sum())} m²) foreslås "
            f"avhendet for å nå {target_text}."
        )
    chosen.attrs.update(
        target_m2=float(target_m2),
        by_year=int(by_year),
        area_before=area_before,
        remaining_gap=remaining,
        target_reached=remaining == 0,
        message=message,
    )
    return chosen
