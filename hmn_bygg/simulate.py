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
from hmn_bygg.maintenance import Blocks
from hmn_bygg.variables import annotate

VARIABLES: tuple[str, ...] = (
    "condition_grade",
    "building_grade",
    "in_service",
    "upgrade_need_building",
    "vttg",
    "vttg_region",
    "area",
    "area_region",
    "upgrade_need",
    "upgrade_need_should",
    "upgrade_need_must",
    "upgrade_need_region",
    "replacement_value_total",
    "fci",
    "fci_region",
    "maintenance_budget",
    "maintenance_spend",
    "maintenance_unspent",
    "maintenance_spend_region",
)
"""Result variables in Dataset order; the first four are per building (not ``aggregates_only``)."""


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


def simulate(
    register: xr.Dataset, inputs: ConditionInputs, *, aggregates_only: bool = False
) -> xr.Dataset:
    """Run every scenario over the years and return the results.

    Parameters
    ----------
    register : xr.Dataset
        The building register (see :mod:`hmn_bygg.register_model`), including any new
        buildings the scenarios open (their ``open_year`` in ``inputs``).
    inputs : ConditionInputs
        Stacked scenario parameters.
    aggregates_only : bool
        Keep only the per-HF and regional aggregates (dims ``scenario``, ``year``, ``hf``),
        accumulated year by year, and no per-building or per-part variable: what a Monte
        Carlo ensemble keeps, at a fraction of the memory. The aggregates are the same, bit for
        bit, as those of a full run.

    Returns
    -------
    xr.Dataset
        Dims ``scenario``, ``year``, ``building``, ``part``, ``hf``; variables described in the
        glossary (``hmn_bygg/glossary/condition.yaml``).
    """
    years = np.asarray(inputs.years)
    n_s, n_y = len(inputs.scenarios), len(years)
    n_h = len(inputs.hfs)
    # buildings in HF order, so that each HF is one contiguous block (undone on output)
    blocks, order = Blocks.of(_group_index(register["hf"].to_numpy(), inputs.hfs), n_h)
    grade0 = register["condition_grade"].to_numpy().astype(float)[order]  # (B, P)
    share = register["cost_share"].to_numpy().astype(float)[order]  # (B, P)
    area = register["floor_area"].to_numpy().astype(float)[order]  # (B,)
    value_per_m2 = register["replacement_value"].to_numpy().astype(float)[order]  # (B,)
    open_year, disposal_year = inputs.open_year[:, order], inputs.disposal_year[:, order]
    n_b, n_p = grade0.shape
    items = blocks.repeat(n_p)

    active = in_service(open_year, disposal_year, years)  # (S, Y, B)
    value_weighted = (inputs.weighting == "value")[:, None]
    weight_b = np.where(value_weighted, area * value_per_m2, area)[:, :, None]  # (S, B, 1)
    life = inputs.part_life[:, None, :] / np.maximum(inputs.wear_rate_factor, 1e-12)[:, None, None]
    no_wear = (inputs.wear_rate_factor <= 0)[:, None, None]
    shape = inputs.wear_shape[:, None, None]
    linear = bool((inputs.wear_shape == 1.0).all())
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
    ).reshape(n_s, -1)
    result_items = inputs.result_grade[:, None]
    bottom = result_items * scale  # lower break points r·κ, fixed over the years
    horizon = inputs.disposal_horizon[:, None]
    never_disposed = np.isnan(disposal_year)

    grade = np.broadcast_to(grade0, (n_s, n_b, n_p)).copy()
    new = ~np.isnan(open_year)[:, :, None]
    grade = np.where(new, 0.0, grade)  # a new building opens at TG0
    dist = condition.distribution_from_grade(grade) if markov.any() else None
    matrix = condition.markov_matrix(life) if markov.any() else None
    result_state = np.clip(np.round(inputs.result_grade).astype(int), 0, 3)
    result_dist = np.eye(condition.N_STATES)[result_state][:, None, None, :]

    budget = np.swapaxes(inputs.budget_mnok, 1, 2).copy()  # (S, Y, H)
    budget[:, 0, :] = 0.0  # the first year is the surveyed state: no money is spent in it
    spend = np.zeros((n_s, n_y, n_h))
    agg = _Aggregator(share, area, value_per_m2, weight_b[:, :, 0], inputs, blocks)
    if aggregates_only:
        totals = agg.allocate(n_s, n_y)
        agg.into(totals, 0, grade, active[:, 0, :])
    else:
        grades = np.empty((n_s, n_y, n_b, n_p))
        grades[:, 0] = grade
    for t in range(1, n_y):
        # a building opened this year starts at TG0; one in service since last year wears
        wearing = (active[:, t, :] & active[:, t - 1, :])[:, :, None] & ~no_wear
        worn = (
            _wear_linear(grade, life)
            if linear
            else condition.wear_deterministic(grade, life, shape)
        )
        if dist is not None:
            dist_worn = condition.wear_markov(dist, matrix)
            dist = np.where(wearing[..., None] & markov[:, None, None, None], dist_worn, dist)
            worn = np.where(markov[:, None, None], condition.grade_from_distribution(dist), worn)
        grade = np.where(wearing, worn, grade)

        # MNOK to bring each part from its grade to the result grade, where money may go
        horizon_ok = never_disposed | (disposal_year - years[t] > horizon)
        eligible = active[:, t, :] & horizon_ok  # (S, B)
        cost = condition.renewal_cost_curve(grade, renew, should_norm, must_norm)
        cost -= cost_at_result
        cost *= (area * eligible)[:, :, None]
        cost /= 1e6
        np.maximum(cost, 0.0, out=cost)
        frac = maintenance.allocate_blocks(
            grade.reshape(n_s, -1),
            scale,
            result_items,
            bottom,
            cost.reshape(n_s, -1),
            inputs.budget_mnok[:, :, t],
            items,
        )
        spent = items.sums(frac * cost.reshape(n_s, -1))
        spend[:, t, :] = np.minimum(spent, inputs.budget_mnok[:, :, t])
        frac = frac.reshape(n_s, n_b, n_p)
        grade = maintenance.apply_measures(grade, frac, result)
        if dist is not None:
            dist = (1.0 - frac[..., None]) * dist + frac[..., None] * result_dist
        if aggregates_only:
            agg.into(totals, t, grade, active[:, t, :])
        else:
            grades[:, t] = grade

    money = {
        "maintenance_budget": budget,
        "maintenance_spend": spend,
        "maintenance_unspent": budget - spend,
        "maintenance_spend_region": spend.sum(-1),
    }
    if aggregates_only:
        return _dataset(register, inputs, totals | money, {})
    totals, per_building = agg(grades, active, per_building=True)
    inverse = np.argsort(order)
    per_building["condition_grade"] = grades
    per_building["in_service"] = active
    per_building = {k: x[:, :, inverse] for k, x in per_building.items()}
    return _dataset(register, inputs, totals | money, per_building)


def _wear_linear(grade: np.ndarray, life: np.ndarray) -> np.ndarray:
    """:func:`condition.wear_deterministic` for shape ``k = 1``, bit for bit (no powers)."""
    worn = np.clip(grade, 0.0, condition.MAX_GRADE)
    worn /= condition.MAX_GRADE
    worn *= life
    worn += 1.0
    worn /= life
    np.minimum(worn, 1.0, out=worn)
    worn *= condition.MAX_GRADE
    return np.maximum(worn, grade, out=worn)


class _Aggregator:
    """Per-HF and regional aggregates of the grades (VTTG, area, upgrade need, FCI).

    The same arithmetic serves a whole run at once (``(S, Y, B, P)``) and one year at a time
    (``(S, B, P)``): every sum runs over the last axis row by row, so both give the same bits.
    """

    NAMES = (
        "vttg",
        "vttg_region",
        "area",
        "area_region",
        "upgrade_need",
        "upgrade_need_should",
        "upgrade_need_must",
        "upgrade_need_region",
        "replacement_value_total",
        "fci",
        "fci_region",
    )

    def __init__(
        self,
        share: np.ndarray,
        area: np.ndarray,
        value_per_m2: np.ndarray,
        weight: np.ndarray,
        inputs: ConditionInputs,
        blocks: Blocks,
    ) -> None:
        self.share, self.area, self.value_per_m2, self.weight = share, area, value_per_m2, weight
        self.should, self.must = inputs.should_nok_per_m2, inputs.must_nok_per_m2
        self.blocks = blocks

    def allocate(self, n_s: int, n_y: int) -> dict[str, np.ndarray]:
        """Return empty ``(S, Y, H)`` / ``(S, Y)`` arrays for every aggregate."""
        n_h = len(self.blocks.counts)
        return {
            k: np.empty((n_s, n_y) if k.endswith("_region") else (n_s, n_y, n_h))
            for k in self.NAMES
        }

    def into(
        self, totals: dict[str, np.ndarray], t: int, grade: np.ndarray, active: np.ndarray
    ) -> None:
        """Write the aggregates of one year's grades ``(S, B, P)`` into ``totals[..][:, t]``."""
        for k, x in self(grade, active)[0].items():
            totals[k][:, t] = x

    def __call__(
        self, grade: np.ndarray, active: np.ndarray, per_building: bool = False
    ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        """Return the aggregates of grades ``(S, [Y,] B, P)`` (in service: ``(S, [Y,] B)``)."""
        lead = (slice(None),) + (None,) * (grade.ndim - 3)  # insert the year axis if any
        by_hf = self.blocks.sums
        known = ~np.isnan(grade)
        share_known = np.where(known, self.share, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            bgrade = (np.nan_to_num(grade) * share_known).sum(-1) / share_known.sum(-1)
        area_in = self.area * active  # (S, [Y,] B)
        w = self.weight[lead] * active * ~np.isnan(bgrade)
        bg0 = np.nan_to_num(bgrade) * w
        should_norm = self.should[(*lead, None, slice(None))]
        must_norm = self.must[(*lead, None, slice(None))]
        should, must = condition.upgrade_need(grade, area_in[..., None], should_norm, must_norm)
        need_b = (should + must).sum(-1)  # (S, [Y,] B)
        value_mnok = area_in * self.value_per_m2 / 1e6
        need, value = by_hf(need_b), by_hf(value_mnok)
        need_region, value_region = need_b.sum(-1), value_mnok.sum(-1)
        with np.errstate(invalid="ignore", divide="ignore"):
            out = {
                "vttg": by_hf(bg0) / by_hf(w),
                "vttg_region": bg0.sum(-1) / w.sum(-1),
                "fci": need / value,
                "fci_region": need_region / value_region,
            }
        out |= {
            "area": by_hf(area_in),
            "area_region": area_in.sum(-1),
            "upgrade_need": need,
            "upgrade_need_should": by_hf(should.sum(-1)),
            "upgrade_need_must": by_hf(must.sum(-1)),
            "upgrade_need_region": need_region,
            "replacement_value_total": value,
        }
        extra = {"building_grade": bgrade, "upgrade_need_building": need_b} if per_building else {}
        return out, extra


def _dataset(
    register: xr.Dataset,
    inputs: ConditionInputs,
    totals: dict[str, np.ndarray],
    per_building: dict[str, np.ndarray],
) -> xr.Dataset:
    """Build the result Dataset (per-building variables only when given)."""
    sy, syh, syb = (
        ("scenario", "year"),
        ("scenario", "year", "hf"),
        ("scenario", "year", "building"),
    )
    dims = {"condition_grade": (*syb, "part")}
    arrays = per_building | totals
    data = {
        k: (dims.get(k, syb if k in per_building else sy if k.endswith("_region") else syh), x)
        for k in VARIABLES
        if (x := arrays.get(k)) is not None
    }
    coords = {
        "scenario": list(inputs.scenarios),
        "year": np.asarray(inputs.years, dtype=int),
        "hf": list(inputs.hfs),
    }
    if per_building:
        coords |= {
            "building": register["building"].to_numpy(),
            "part": register["part"].to_numpy(),
            "building_hf": ("building", register["hf"].to_numpy()),
        }
    ds = xr.Dataset(data, coords=coords)
    ds.attrs["price_basis"] = inputs.price_basis
    return annotate(ds)
