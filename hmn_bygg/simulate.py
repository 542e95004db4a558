"""The one year loop: every scenario in one pass, results as one xarray Dataset.

Each year (after the first, which is the register's surveyed state) the step is:

1. **wear**: every part of a building in service ages one year (deterministic curve or Markov
   chain, per scenario; see :mod:`hmn_bygg.condition`);
2. **maintenance**: each HF's budget is spent on its parts by the scenario's policy (see
   :mod:`hmn_bygg.maintenance`); buildings due for disposal within the horizon get nothing;
3. **record** grades, upgrade need and spending.

Buildings enter the stock in their open year (at TG0) and leave it in their disposal year;
aggregates (VTTG, area, upgrade need, FCI) count only buildings in service. The aggregation
runs after the loop over all years at once. All step functions are pure and vectorized over
scenarios, buildings and parts; this module owns the only loop over years.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from hmn_bygg import condition, maintenance
from hmn_bygg.inputs import ConditionInputs
from hmn_bygg.maintenance import group_sum
from hmn_bygg.variables import annotate


def in_service(open_year: np.ndarray, disposal_year: np.ndarray, years: np.ndarray) -> np.ndarray:
    """Return whether each building is in the stock in each year.

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


def _group_index(labels: np.ndarray, hfs: tuple[str, ...]) -> np.ndarray:
    lookup = {h: i for i, h in enumerate(hfs)}
    unknown = sorted({str(v) for v in labels} - set(lookup))
    if unknown:
        raise ValueError(f"buildings belong to HFs {unknown} that the model does not know {hfs}")
    return np.array([lookup[str(v)] for v in labels], dtype=int)


def simulate(register: xr.Dataset, inputs: ConditionInputs) -> xr.Dataset:
    """Run every scenario over the years and return the results.

    Parameters
    ----------
    register : xr.Dataset
        The building register (see :mod:`hmn_bygg.register_model`), including any new
        buildings the scenarios open (their ``open_year`` in ``inputs``).
    inputs : ConditionInputs
        Stacked scenario parameters.

    Returns
    -------
    xr.Dataset
        Dims ``scenario``, ``year``, ``building``, ``part``, ``hf``; variables described in the
        glossary (``hmn_bygg/glossary/condition.yaml``).
    """
    years = np.asarray(inputs.years)
    n_s, n_y = len(inputs.scenarios), len(years)
    grade0 = register["condition_grade"].to_numpy().astype(float)  # (B, P)
    share = register["cost_share"].to_numpy().astype(float)  # (B, P)
    area = register["floor_area"].to_numpy().astype(float)  # (B,)
    value_per_m2 = register["replacement_value"].to_numpy().astype(float)  # (B,)
    n_b, n_p = grade0.shape
    group = _group_index(register["hf"].to_numpy(), inputs.hfs)
    n_h = len(inputs.hfs)
    member = np.eye(n_h)[group]  # (B, H)

    active = in_service(inputs.open_year, inputs.disposal_year, years)  # (S, Y, B)
    value_weighted = (inputs.weighting == "value")[:, None]
    weight_b = np.where(value_weighted, area * value_per_m2, area)[:, :, None]  # (S, B, 1)
    life = inputs.part_life[:, None, :] / np.maximum(inputs.wear_rate_factor, 1e-12)[:, None, None]
    no_wear = (inputs.wear_rate_factor <= 0)[:, None, None]
    shape = inputs.wear_shape[:, None, None]
    markov = inputs.wear_model == "markov"
    result = inputs.result_grade[:, None, None]
    should_norm = inputs.should_nok_per_m2[:, None, :]
    must_norm = inputs.must_nok_per_m2[:, None, :]
    renew = inputs.renew_nok_per_m2[:, None, :]
    cost_at_result = condition.renewal_cost_curve(result, renew, should_norm, must_norm)
    worst_first = (inputs.policy == "worst_first")[:, None, None]
    per_grade = (
        condition.renewal_cost_curve(np.full(1, 3.0), renew, should_norm, must_norm) / 3.0
    )  # (S, 1, P) average NOK/m² per grade step
    scale = np.where(
        worst_first,
        np.broadcast_to(
            maintenance.scale_worst_first(inputs.risk_weight)[:, None, :], (n_s, n_b, n_p)
        ),
        maintenance.scale_best_value(share, weight_b, area[:, None], per_grade),
    )
    item_member = np.repeat(member, n_p, axis=0)  # (B·P, H)

    grade = np.broadcast_to(grade0, (n_s, n_b, n_p)).copy()
    new = ~np.isnan(inputs.open_year)[:, :, None]
    grade = np.where(new, 0.0, grade)  # a new building opens at TG0
    dist = condition.distribution_from_grade(grade) if markov.any() else None
    matrix = condition.markov_matrix(life) if markov.any() else None
    result_state = np.clip(np.round(inputs.result_grade).astype(int), 0, 3)
    result_dist = np.eye(condition.N_STATES)[result_state][:, None, None, :]

    grades = np.empty((n_s, n_y, n_b, n_p))
    spend = np.zeros((n_s, n_y, n_h))
    grades[:, 0] = grade
    for t in range(1, n_y):
        year = years[t]
        # a building opened this year starts at TG0; one in service since last year wears
        wearing = (active[:, t, :] & active[:, t - 1, :])[:, :, None] & ~no_wear
        worn = condition.wear_deterministic(grade, life, shape)
        if dist is not None:
            dist_worn = condition.wear_markov(dist, matrix)
            dist = np.where(wearing[..., None] & markov[:, None, None, None], dist_worn, dist)
            worn = np.where(markov[:, None, None], condition.grade_from_distribution(dist), worn)
        grade = np.where(wearing, worn, grade)

        area_now = area * active[:, t, :]  # (S, B)
        cost = (
            (condition.renewal_cost_curve(grade, renew, should_norm, must_norm) - cost_at_result)
            * area_now[:, :, None]
            / 1e6
        ).clip(0.0)  # MNOK to bring each part from its grade to the result grade
        horizon_ok = np.isnan(inputs.disposal_year) | (
            inputs.disposal_year - year > inputs.disposal_horizon[:, None]
        )
        eligible = (active[:, t, :] & horizon_ok)[:, :, None] & (cost > 0)
        frac = maintenance.allocate_budget(
            grade.reshape(n_s, -1),
            scale.reshape(n_s, -1),
            inputs.result_grade[:, None],
            cost.reshape(n_s, -1),
            eligible.reshape(n_s, -1),
            item_member,
            inputs.budget_mnok[:, :, t],
        ).reshape(n_s, n_b, n_p)
        spent_items = (frac * cost).sum(axis=2)  # (S, B)
        spend[:, t, :] = np.minimum(group_sum(spent_items, member), inputs.budget_mnok[:, :, t])
        grade = maintenance.apply_measures(grade, frac, result)
        if dist is not None:
            dist = (1.0 - frac[..., None]) * dist + frac[..., None] * result_dist
        grades[:, t] = grade

    return _assemble(register, inputs, grades, spend, active, weight_b)


def _assemble(
    register: xr.Dataset,
    inputs: ConditionInputs,
    grades: np.ndarray,
    spend: np.ndarray,
    active: np.ndarray,
    weight_b: np.ndarray,
) -> xr.Dataset:
    """Aggregate the recorded grades over all years at once and build the Dataset."""
    share = register["cost_share"].to_numpy().astype(float)
    area = register["floor_area"].to_numpy().astype(float)
    value_per_m2 = register["replacement_value"].to_numpy().astype(float)
    hfs = list(inputs.hfs)
    member = (register["hf"].to_numpy().astype(str)[:, None] == np.array(hfs)[None, :]).astype(
        float
    )  # (B, H)

    known = ~np.isnan(grades)
    share_known = np.where(known, share, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        bgrade = (np.nan_to_num(grades) * share_known).sum(-1) / share_known.sum(-1)  # (S,Y,B)
    area_in = area * active  # (S, Y, B)
    w = weight_b[:, None, :, 0] * active * ~np.isnan(bgrade)
    bg0 = np.nan_to_num(bgrade)
    with np.errstate(invalid="ignore", divide="ignore"):
        vttg = group_sum(bg0 * w, member) / group_sum(w, member)
        vttg_region = (bg0 * w).sum(-1) / w.sum(-1)

    should_norm = inputs.should_nok_per_m2[:, None, None, :]
    must_norm = inputs.must_nok_per_m2[:, None, None, :]
    should, must = condition.upgrade_need(grades, area_in[..., None], should_norm, must_norm)
    need_b = (should + must).sum(-1)  # (S, Y, B)
    value_mnok = area_in * value_per_m2 / 1e6  # (S, Y, B)
    budget = np.swapaxes(inputs.budget_mnok, 1, 2)  # (S, Y, H)
    budget = budget.copy()
    budget[:, 0, :] = 0.0  # the first year is the surveyed state: no money is spent in it

    def by_hf(x: np.ndarray) -> np.ndarray:
        return group_sum(x, member)

    with np.errstate(invalid="ignore", divide="ignore"):
        fci = by_hf(need_b) / by_hf(value_mnok)
        fci_region = need_b.sum(-1) / value_mnok.sum(-1)
    sy = ("scenario", "year")
    syh = ("scenario", "year", "hf")
    ds = xr.Dataset(
        {
            "condition_grade": (("scenario", "year", "building", "part"), grades),
            "building_grade": (("scenario", "year", "building"), bgrade),
            "in_service": (("scenario", "year", "building"), active),
            "upgrade_need_building": (("scenario", "year", "building"), need_b),
            "vttg": (syh, vttg),
            "vttg_region": (sy, vttg_region),
            "area": (syh, by_hf(area_in)),
            "area_region": (sy, area_in.sum(-1)),
            "upgrade_need": (syh, by_hf(need_b)),
            "upgrade_need_should": (syh, by_hf(should.sum(-1))),
            "upgrade_need_must": (syh, by_hf(must.sum(-1))),
            "upgrade_need_region": (sy, need_b.sum(-1)),
            "replacement_value_total": (syh, by_hf(value_mnok)),
            "fci": (syh, fci),
            "fci_region": (sy, fci_region),
            "maintenance_budget": (syh, budget),
            "maintenance_spend": (syh, spend),
            "maintenance_unspent": (syh, budget - spend),
            "maintenance_spend_region": (sy, spend.sum(-1)),
        },
        coords={
            "scenario": list(inputs.scenarios),
            "year": np.asarray(inputs.years, dtype=int),
            "building": register["building"].to_numpy(),
            "part": register["part"].to_numpy(),
            "hf": hfs,
            "building_hf": ("building", register["hf"].to_numpy()),
        },
    )
    ds.attrs["price_basis"] = inputs.price_basis
    return annotate(ds)
