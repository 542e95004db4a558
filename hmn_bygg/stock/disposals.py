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

from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.messages import Msg
from hmn_bygg.register import weighting
from hmn_bygg.stock.disposal_score import COMPONENTS, DisposalScore, load_disposal_score
from hmn_bygg.stock.portfolio import in_service


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
    sale, demolition = kinds == "sale", kinds == "demolition"
    if not (sale | demolition).all():
        unknown = sorted(set(kinds[~(sale | demolition)].ravel()))
        raise ValueError(f"kind must be 'sale' or 'demolition', found {unknown}")
    years = np.asarray(years)
    when = np.asarray(disposal_year, dtype=float) - years[0]
    rows, buildings = np.nonzero(np.isin(when, np.arange(years.size)))  # a model year
    mnok = np.asarray(floor_area)[buildings] / 1e6
    out = np.zeros((2, kinds.shape[1], kinds.shape[0], years.size))  # building-major
    at = (buildings, rows, when[rows, buildings].astype(int))
    price = np.asarray(sale_price_nok_per_m2, dtype=float)[rows, buildings]
    cost = np.asarray(demolition_cost_nok_per_m2, dtype=float)[rows]
    out[(0, *at)] = mnok * price * sale[rows, buildings]
    out[(1, *at)] = mnok * cost * demolition[rows, buildings]
    return {
        "sale_proceeds": out[0].transpose(1, 0, 2),
        "demolition_cost": out[1].transpose(1, 0, 2),
    }


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
    protected_uses: set[str] | frozenset[str] = frozenset(),
    net_sale_per_m2: xr.DataArray | None = None,
    score: DisposalScore | None = None,
    min_grade: float = 0.0,
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
        Weights of some score components (:data:`hmn_bygg.stock.disposal_score.COMPONENTS`;
        those not named weigh 0); default the weights of ``score``.
    grade : xr.DataArray, optional
        Building grade [TG] to rank by (e.g. simulated for ``by_year``); default the register's
        grade from its parts (:func:`hmn_bygg.register.weighting.building_grade`).
    protected_uses : set of str
        Uses (register column ``use``) never proposed.
    net_sale_per_m2 : xr.DataArray, optional
        Net cash of disposing of each building [NOK/m²]: sale price, or minus the demolition
        cost; dim ``building``. Without it the component is 0 for every building.
    score : DisposalScore, optional
        Weights and age scale; default ``models/disposal_score.yaml``.
    min_grade : float
        Only buildings at this grade or worse in ``by_year`` are candidates [TG]; 0 = any.

    Returns
    -------
    pandas.DataFrame
        One row per proposed building, in the order chosen: ``building_id`` (index), ``name``,
        ``hf``, ``site``, ``use``, ``floor_area`` [m²], ``grade`` [TG], ``adaptability``,
        ``upgrade_need_per_m2`` [NOK/m²], ``age`` [years], ``net_sale_per_m2`` [NOK/m²], one
        ``score_<component>`` each [0–1], ``score`` [0–1], ``cumulative_area`` [m²],
        ``area_after`` [m²]. ``attrs``: ``target_m2``, ``by_year``, ``area_before`` [m²],
        ``remaining_gap`` [m²], ``target_reached`` (bool), ``weights``, ``protected_uses``.
        The words that explain it are the caller's (``hmn-bygg solve disposals`` says them in
        the user's language).

    Raises
    ------
    InputError
        When a pinned id is not in the register.

    Notes
    -----
    Candidates are buildings in service in ``by_year`` under the current plan, with no planned
    disposal, not new (no ``open_year``), not pinned, of no protected use and at ``min_grade``
    or worse. Score components
    lie in [0, 1]: ``grade / 3``, ``adaptability / 3`` (not surveyed = 0), ``need / max need``
    among the candidates, ``min(age / age_full_years, 1)`` and the net cash per m² scaled from
    the candidates' lowest (0) to their highest (1). The score is their weighted mean
    :math:`\\sum_k w_k c_k / \\sum_k w_k`, with the weights and the age scale of
    ``models/disposal_score.yaml`` (each with its source). Greedy: take candidates by falling
    score (ties: larger area first, then id) until the area in ``by_year`` is at or below the
    target; the last one may overshoot.
    """
    score = score if score is not None else load_disposal_score()
    w = dict(score.weights if weights is None else weights)
    if set(w) - set(COMPONENTS) or sum(w.values()) <= 0 or min(w.values()) < 0:
        raise ValueError(f"weights need keys from {list(COMPONENTS)}, >= 0, sum > 0: {w}")
    if upgrade_need_per_m2.dims != ("building",):
        raise ValueError("upgrade_need_per_m2 must have the single dim 'building'")
    ids = np.asarray(register["building"].values).astype(str)
    need = upgrade_need_per_m2.reindex(building=register["building"].values)
    unknown = sorted(set(pinned) - set(ids))
    if unknown:
        raise InputError(
            [Problem("pinned", Msg("stock.id_not_in_register"), found=b) for b in unknown],
            title=Msg("stock.pinned_invalid"),
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
    uses = np.asarray(register["use"].values).astype(str)
    candidate = active & planned.isnull() & opened.isnull() & ~np.isin(ids, list(pinned))
    candidate = candidate & ~np.isin(uses, list(protected_uses)) & ~(grade < min_grade).values
    net = np.full(ids.size, np.nan)
    if net_sale_per_m2 is not None:
        net = net_sale_per_m2.reindex(building=register["building"].values).values
    table = pd.DataFrame(
        {
            "name": register["name"].values,
            "hf": register["hf"].values,
            "site": register["site"].values,
            "use": uses,
            "floor_area": area.values.astype(float),
            "grade": grade.values.astype(float),
            "adaptability": register["adaptability"].values.astype(float),
            "upgrade_need_per_m2": need.values.astype(float),
            "age": by_year - register["built_year"].values.astype(float),
            "net_sale_per_m2": np.asarray(net, dtype=float),
        },
        index=pd.Index(ids, name="building_id"),
    )[candidate.values]
    for key, value in _components(table, score.age_full_years).items():
        table[f"score_{key}"] = value
    total_w = sum(w.values())
    table["score"] = sum(w.get(k, 0.0) * table[f"score_{k}"] for k in COMPONENTS) / total_w
    table = table.rename_axis("building_id").reset_index()
    table = table.sort_values(
        ["score", "floor_area", "building_id"], ascending=[False, False, True], kind="stable"
    ).set_index("building_id")
    cumulative = table["floor_area"].cumsum()
    needed = int(np.searchsorted(cumulative.to_numpy(), gap - 1e-9)) + 1 if gap > 0 else 0
    chosen = table.iloc[:needed].copy()
    chosen["cumulative_area"] = chosen["floor_area"].cumsum()
    chosen["area_after"] = area_before - chosen["cumulative_area"]
    remaining = max(0.0, gap - float(chosen["floor_area"].sum()))
    chosen.attrs.update(
        target_m2=float(target_m2),
        by_year=int(by_year),
        area_before=area_before,
        remaining_gap=remaining,
        target_reached=remaining == 0,
        weights=w,
        protected_uses=sorted(protected_uses),
        min_grade=float(min_grade),
    )
    return chosen


def _components(table: pd.DataFrame, age_full_years: float) -> dict[str, pd.Series]:
    """The score components of the candidates, each in [0, 1] (see :func:`plan_disposals`)."""

    def scaled(values: pd.Series) -> pd.Series:  # lowest 0, highest 1; all equal: 0
        low, high = values.min(), values.max()
        if not high > low:
            return pd.Series(0.0, index=values.index)
        return ((values - low) / (high - low)).fillna(0.0)

    max_need = table["upgrade_need_per_m2"].max()
    need = table["upgrade_need_per_m2"] / max_need if max_need > 0 else 0.0 * table["grade"]
    return {
        "grade": (table["grade"] / 3.0).fillna(0.0),
        "adaptability": (table["adaptability"] / 3.0).fillna(0.0),
        "upgrade_need": need.fillna(0.0),
        "age": (table["age"] / age_full_years).clip(0.0, 1.0).fillna(0.0),
        "net_sale": scaled(table["net_sale_per_m2"]),
    }
