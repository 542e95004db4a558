"""Progress against the plan: each later survey beside what the plan expected, and why.

The plan is a scenario run from the first survey (default ``plan_2018``: the plan as made in
2018). For each later survey year Y, :func:`track_table` sets the surveyed VTTG (region, HF,
site, building) beside the plan's VTTG for Y and splits the difference into causes, one step
at a time, so the causes add up exactly to the difference:

1. ``disposals``: buildings of the first survey follow the later survey (gone or still
   standing) instead of the plan's disposals; plan grades and plan weights;
2. ``new_buildings``: buildings the plan expected that the survey lacks leave, buildings the
   survey has that neither the first survey nor the plan had come in at their surveyed grade;
3. ``area``: weights from the later survey (area changes, e.g. extensions);
4. ``money``: each building's grade moves by the effect of the money actually spent instead of
   the plan's money;
5. ``wear``: the rest, wear faster or slower than the model assumes (and survey noise).

Money and wear are told apart per building with the model's own wear curve
(:func:`hmn_bygg.condition.wear.wear_deterministic`, part lives, wear speed and shape of the
plan scenario): ``g_wear`` is the grade the first survey's parts would have after Y − Y₀ years
of wear with no money. The plan's money effect is ``g_plan − g_wear``. A building without money
recorded (``spent_since_survey_mnok``) has no money effect, so ``g_survey − g_wear`` is its wear
difference; the mean of that per part over those buildings (:func:`wear_difference`) is taken
as the wear difference of the buildings that did get money, whose money effect is the rest.
The buildings the plan itself builds (new projects) have no first-survey grade; their whole
difference counts as wear.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import xarray as xr

from hmn_bygg.condition.wear import wear_deterministic
from hmn_bygg.config import Model
from hmn_bygg.register.snapshots import Snapshot
from hmn_bygg.register.weighting import building_grade, building_weight

CAUSES = ("disposals", "new_buildings", "area", "money", "wear")
"""The causes of a difference between survey and plan, in the order they are applied."""
LEVELS = ("region", "hf", "site", "building")


def wear_only(register: xr.Dataset, model: Model, years: int) -> xr.DataArray:
    """Return the part grades of a survey after ``years`` of the model's wear, no money.

    Parameters
    ----------
    register : xr.Dataset
        A survey (:func:`hmn_bygg.register.load.load_register`).
    model : Model
        Gives ``condition.part_life_years``, ``wear_rate_factor`` and ``wear_shape``.
    years : int
        Years of wear [years].

    Returns
    -------
    xr.DataArray
        Part grades [TG 0–3], dims ``(building, part)``.
    """
    c = model.condition
    lives = c.part_life_years.value
    life = np.array([float(lives[str(p)]) for p in register["part"].values])
    factor = max(float(c.wear_rate_factor.value), 1e-12)
    grade = register["condition_grade"]
    worn = wear_deterministic(grade.values, life / factor, float(c.wear_shape.value), years)
    return grade.copy(data=np.where(np.isnan(grade.values), np.nan, worn))


def wear_difference(later: xr.Dataset, expected: xr.DataArray, unpaid: list[str]) -> pd.Series:
    """Return the mean surveyed minus wear-only grade per part over buildings with no money.

    Parameters
    ----------
    later : xr.Dataset
        The later survey.
    expected : xr.DataArray
        Wear-only part grades (:func:`wear_only`) of the first survey's buildings.
    unpaid : list of str
        Buildings in both surveys with no money recorded.

    Returns
    -------
    pandas.Series
        Grade difference per part [TG] (positive: wore faster than the model), index the
        part codes; 0 where no building could tell.
    """
    if not unpaid:
        return pd.Series(0.0, index=later["part"].values)
    diff = later["condition_grade"].sel(building=unpaid) - expected.sel(building=unpaid)
    return diff.mean("building", skipna=True).fillna(0.0).to_series()


def _building_frame(
    plan: xr.Dataset, model: Model, first: Snapshot, later: Snapshot
) -> pd.DataFrame:
    """One row per building of plan or survey: membership, weights, grades, money, wear."""
    base, sur = first.register, later.register
    weighting = model.model.weighting.value
    y = later.year
    ids = list(dict.fromkeys([*plan["building"].values.tolist(), *sur["building"].values]))
    f = pd.DataFrame(index=pd.Index(ids, name="building"))
    f["in_base"] = f.index.isin(base["building"].values)
    f["in_survey"] = f.index.isin(sur["building"].values)
    f["in_plan"] = plan["in_service"].sel(year=y).to_series().reindex(f.index).fillna(False)
    f["hf"] = plan["building_hf"].to_series().reindex(f.index)
    f["site"] = plan["building_site"].to_series().reindex(f.index)
    f["hf"] = f["hf"].fillna(sur["hf"].to_series()).astype(str)
    f["site"] = f["site"].fillna(sur["site"].to_series()).astype(str)
    f["g_plan"] = plan["building_grade"].sel(year=y).to_series().reindex(f.index)
    g_sur = building_grade(sur["condition_grade"], sur["cost_share"]).to_series()
    f["g_survey"] = g_sur.reindex(f.index)
    w_plan = building_weight(base["floor_area"], base["replacement_value"], weighting)
    w_sur = building_weight(sur["floor_area"], sur["replacement_value"], weighting)
    plan_area = plan["floor_area"].to_series().reindex(f.index)
    f["w_plan"] = (
        w_plan.to_series()
        .reindex(f.index)
        .fillna(plan_area)
        .fillna(w_sur.to_series().reindex(f.index))
    )
    f["w_survey"] = w_sur.to_series().reindex(f.index)
    spent = sur["spent_since_survey_mnok"].to_series() if "spent_since_survey_mnok" in sur else None
    f["spent_mnok"] = spent.reindex(f.index) if spent is not None else np.nan
    both = f.index[f["in_base"] & f["in_survey"]].tolist()
    expected = wear_only(base, model, y - first.year)
    g_wear = building_grade(expected, base["cost_share"]).to_series().reindex(f.index)
    paid = f["spent_mnok"].fillna(0.0) > 0
    unpaid = [b for b in both if not paid[b]]
    delta = wear_difference(sur, expected, unpaid)
    share = base["cost_share"].sel(building=both)
    wear_paid = (share * xr.DataArray(delta.values, dims="part")).sum("part").to_series()
    wear = (f["g_survey"] - g_wear).where(~paid, wear_paid.reindex(f.index))
    plan_new = f["in_survey"] & ~f["in_base"] & f["g_plan"].notna()
    f["wear"] = wear.where(~plan_new, f["g_survey"] - f["g_plan"])
    f["money"] = f["g_survey"] - f["g_plan"] - f["wear"]
    return f


def _mean(grade: pd.Series, weight: pd.Series, member: pd.Series) -> float:
    w = weight.where(member & grade.notna(), 0.0)
    total = float(w.sum())
    return float((grade.fillna(0.0) * w).sum() / total) if total > 0 else float("nan")


def _steps(f: pd.DataFrame) -> list[float]:
    """The VTTG after each step: plan, then each cause applied (the last is the survey)."""
    kept_base = f["in_base"] & f["in_survey"]
    s1 = (f["in_plan"] & ~f["in_base"]) | kept_base
    g_mix = f["g_plan"].fillna(f["g_survey"])
    w_mix = f["w_plan"]
    survey = f["in_survey"]
    with_money = g_mix + f["money"].fillna(0.0)
    return [
        _mean(f["g_plan"], f["w_plan"], f["in_plan"]),
        _mean(f["g_plan"], w_mix, s1),
        _mean(g_mix, w_mix, survey),
        _mean(g_mix, f["w_survey"], survey),
        _mean(with_money, f["w_survey"], survey),
        _mean(f["g_survey"], f["w_survey"], survey),
    ]


def track_table(
    plan: xr.Dataset,
    model: Model,
    snapshots: Sequence[Snapshot],
    *,
    levels: Sequence[str] = ("region", "hf"),
) -> pd.DataFrame:
    """Return each later survey beside the plan's expectation, with the causes.

    Parameters
    ----------
    plan : xr.Dataset
        One scenario's results (no ``scenario`` dim), run from the first survey; money
        (``maintenance_spend``) in nominal kroner.
    model : Model
        That scenario's model (wear settings, weighting).
    snapshots : sequence of Snapshot
        The register's surveys, oldest first; the first is the one the plan ran from.
    levels : sequence of str
        Any of ``region``, ``hf``, ``site``, ``building``.

    Returns
    -------
    pandas.DataFrame
        One row per (survey year, level, entity): ``expected`` (the plan's VTTG) and
        ``surveyed`` [TG], ``difference`` = surveyed − expected, one column per cause in
        :data:`CAUSES` (they add up to the difference), ``plan_spend_mnok`` and
        ``recorded_spend_mnok`` (money on maintenance between the surveys, nominal MNOK; the
        plan's per HF and region only).
    """
    first, rows = snapshots[0], []
    for later in snapshots[1:]:
        if later.year not in plan["year"].values:
            continue
        f = _building_frame(plan, model, first, later)
        span = slice(first.year + 1, later.year)
        spend = plan["maintenance_spend"].sel(year=span).sum("year").to_series()
        for level in levels:
            keys = ["HMN"] if level == "region" else sorted(set(f[level]) if level != "building"
                                                            else f.index)  # fmt: skip
            for key in keys:
                member = (
                    np.ones(len(f), bool) if level == "region"
                    else np.asarray(f.index == key) if level == "building"
                    else (f[level] == key).to_numpy()
                )  # fmt: skip
                v = _steps(f[member])
                row = dict(survey_year=later.year, level=level, entity=key, expected=v[0],
                           surveyed=v[-1], difference=v[-1] - v[0])  # fmt: skip
                row.update({c: b - a for c, a, b in zip(CAUSES, v, v[1:], strict=False)})
                plan_money = spend.sum() if level == "region" else spend.get(key, np.nan)
                row["plan_spend_mnok"] = float(plan_money) if level in ("region", "hf") else np.nan
                row["recorded_spend_mnok"] = float(f["spent_mnok"][member].fillna(0.0).sum())
                rows.append(row)
    return pd.DataFrame(rows)
