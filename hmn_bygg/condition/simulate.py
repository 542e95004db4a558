"""The one year loop: every scenario in one pass, results as one xarray Dataset.

Each year (after the first, which is the register's surveyed state) the step is:

1. **wear**: every part of a building in service ages one year (deterministic curve or Markov
   chain, per scenario; see :mod:`hmn_bygg.condition.wear`);
2. **maintenance**: each HF's budget is spent on its parts by the scenario's policy (see
   :mod:`hmn_bygg.condition.maintenance`); buildings due for disposal within the horizon get
   nothing;
3. **record** the per-HF aggregates (VTTG, upgrade need, spending) and, in a full run, the
   grades of every part.

Buildings enter the stock in their open year (at TG0) and leave it in their disposal year;
aggregates (VTTG, area, upgrade need, FCI) count only buildings in service. All step functions
are pure and vectorized over rows (scenarios, or scenario × draw in an ensemble), buildings and
parts; this module owns the only loop over years.

Speed
-----
The loop works on rows of ``building × part`` items ordered so that each HF is one contiguous
block (HF sums are ``np.add.reduceat``), in blocks of :data:`ROW_BLOCK` rows so that the working
arrays stay in the CPU cache. Everything that does not depend on the grades (areas, weights,
cost coefficients, which buildings are in service) is computed once before the loop, and once
for all rows when the rows share it (the draws of one scenario usually do; in service once per
distinct set of open and disposal years, kept: :mod:`hmn_bygg.condition.in_service`).
When every row wears linearly and a measure brings a part to TG1, the whole loop runs in one
compiled kernel (:mod:`hmn_bygg.condition.year_kernel`), bit for bit the steps below. The
aggregates are linear in the grades given those coefficients: the VTTG numerator of an HF is
``Σ_i c_i g_i`` with ``c_i = w_b s_i / Σ_p s_bp`` (building weight times the part's share of the
building's cost), the upgrade need ``Σ_i a_i clip(g_i − 1, 0, 1) + b_i clip(g_i − 2, 0, 1)``.
Every operation works row by row, so a row gives the same bits whatever rows it runs with
(scenarios together equal scenarios alone; a Monte Carlo draw does not depend on its chunk).
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
import xarray as xr

from hmn_bygg.condition import maintenance
from hmn_bygg.condition import wear as condition
from hmn_bygg.condition.grade_sums import (
    apply_and_sums,
    need_and_vttg_sums,
    need_per_item,
    wear_and_need,
)
from hmn_bygg.condition.in_service import block_totals, service_rows
from hmn_bygg.condition.inputs import ConditionInputs
from hmn_bygg.condition.results import per_building_results, result_dataset
from hmn_bygg.condition.waterfill import Blocks, fill
from hmn_bygg.condition.year_kernel import run_linear

_FUSED = True
"""Run the usual case through the one compiled kernel (:mod:`hmn_bygg.condition.year_kernel`);
the tests set it off to compare with the general path, bit for bit."""

ROW_BLOCK = 64
"""Rows simulated together: few enough that the work arrays stay near the CPU (``64 × 1 764``
floats are 0,9 MB), many enough that the cost of each NumPy call is spread over many rows."""


def _group_index(labels: np.ndarray, hfs: tuple[str, ...]) -> np.ndarray:
    lookup = {h: i for i, h in enumerate(hfs)}
    unknown = sorted({str(v) for v in labels} - set(lookup))
    if unknown:
        raise ValueError(f"buildings belong to HFs {unknown} that the model does not know {hfs}")
    return np.array([lookup[str(v)] for v in labels], dtype=int)


def _shared(x: np.ndarray) -> np.ndarray:
    """Return ``x[:1]`` when every row of ``x`` equals the first (NaN equal to NaN), else ``x``."""
    if x.shape[0] <= 1:
        return x
    first = x[:1]
    same = x == first
    if x.dtype.kind == "f":
        same |= np.isnan(x) & np.isnan(first)
    return first if bool(same.all()) else x


class Layout:
    """What does not depend on the rows: the register in HF order (built once per ensemble)."""

    def __init__(self, register: xr.Dataset, inputs: ConditionInputs) -> None:
        n_h = len(inputs.hfs)
        reg = register.variables  # read as arrays: no DataArray built per read
        # buildings in HF order, so that each HF is one contiguous block (undone on output)
        self.buildings, self.order = Blocks.of(_group_index(reg["hf"].to_numpy(), inputs.hfs), n_h)
        grade0 = reg["condition_grade"].to_numpy().astype(float)[self.order]  # (B, P)
        self.n_b, self.n_p = grade0.shape
        self.items = self.buildings.repeat(self.n_p)
        self.known = ~np.isnan(grade0)
        self.known_f = self.known.astype(float)  # 1/0: the same products as the mask, faster
        # unknown parts: 0 inside, NaN outside
        self.grade0 = np.clip(np.where(self.known, grade0, 0.0), 0.0, condition.MAX_GRADE)
        self.share = reg["cost_share"].to_numpy().astype(float)[self.order]  # (B, P)
        self.share_known = np.where(self.known, self.share, 0.0)
        total = self.share_known.sum(-1)
        self.graded = total > 0  # a building with no graded part has no grade
        with np.errstate(invalid="ignore", divide="ignore"):
            self.vshare = np.where(self.graded[:, None], self.share_known / total[:, None], 0.0)
        self.area = reg["floor_area"].to_numpy().astype(float)[self.order]  # (B,)
        self.value_per_m2 = reg["replacement_value"].to_numpy().astype(float)[self.order]
        self.service_memo: dict[Hashable, tuple] = {}  # see in_service.service_rows

    def items_of(self, per_building: np.ndarray) -> np.ndarray:
        """Repeat a per-building array ``(..., B)`` on its parts: ``(..., B · P)`` floats."""
        return np.repeat(per_building.astype(float), self.n_p, axis=-1)


class _Masked:
    """A per-item coefficient ``(R, N)`` times a per-building 0/1 mask of the year ``(R, Y, B)``.

    Precomputed for every year when both are shared by all rows (a few kB); otherwise formed
    each year (one pass), so that memory stays ``rows × items``.
    """

    def __init__(self, lay: Layout, base: np.ndarray, mask: np.ndarray) -> None:
        self.lay, self.base, self.mask = lay, base, mask
        self.pre = None
        if base.shape[0] == 1 and mask.shape[0] == 1:
            self.pre = base[:, None, :] * lay.items_of(mask)
        self.last: tuple[int, np.ndarray] | None = None

    def at(self, t: int) -> np.ndarray:
        """Return the coefficient of year index ``t``, ``(R|1, N)`` (do not write to it)."""
        if self.pre is not None:
            return self.pre[:, t]
        if self.last is not None and np.array_equal(self.mask[:, self.last[0]], self.mask[:, t]):
            return self.last[1]  # the same buildings as last time: the same coefficient
        out = np.multiply(self.base, self.lay.items_of(self.mask[:, t]))
        self.last = (t, out)
        return out


def simulate(
    register: xr.Dataset, inputs: ConditionInputs, *, aggregates_only: bool = False
) -> xr.Dataset:
    """Run every scenario over the years and return the results.

    Parameters
    ----------
    register : xr.Dataset
        The building register (see :mod:`hmn_bygg.register.model`), including any new
        buildings the scenarios open (their ``open_year`` in ``inputs``).
    inputs : ConditionInputs
        Stacked scenario parameters.
    aggregates_only : bool
        Keep only the per-HF and regional aggregates (dims ``scenario``, ``year``, ``hf``) and
        no per-building or per-part variable: what a Monte Carlo ensemble keeps, at a fraction
        of the memory. The aggregates are the same, bit for bit, as those of a full run.

    Returns
    -------
    xr.Dataset
        Dims ``scenario``, ``year``, ``building``, ``part``, ``hf``; variables described in the
        glossary (``hmn_bygg/glossary/condition.yaml``).
    """
    lay = Layout(register, inputs)
    if aggregates_only:
        return result_dataset(register, inputs, simulate_totals(inputs, lay), {})
    parts = _run_blocks(lay, inputs, keep_grades=True)
    totals = _joined([p[0] for p in parts])
    grades = _concat([p[1] for p in parts if p[1] is not None])  # (S, Y, N)
    active = np.concatenate([p[2] for p in parts])  # (S, Y, B)
    per_building = per_building_results(
        lay.buildings, lay.known, lay.share_known, lay.area, inputs, grades, active, totals
    )
    inverse = np.argsort(lay.order)
    per_building = {k: x[:, :, inverse] for k, x in per_building.items()}
    return result_dataset(register, inputs, totals, per_building)


def simulate_totals(inputs: ConditionInputs, layout: Layout) -> dict[str, np.ndarray]:
    """The aggregates of :func:`simulate` with ``aggregates_only=True`` as arrays, no Dataset.

    Parameters
    ----------
    inputs : ConditionInputs
        Stacked scenario parameters (rows ``R``).
    layout : Layout
        ``Layout(register, inputs)`` of the register the rows run on.

    Returns
    -------
    dict of str to numpy.ndarray
        Per-HF ``(R, Y, H)`` and regional ``(R, Y)`` aggregates by their names in
        :data:`hmn_bygg.condition.results.RESULT_DIMS`, the bits of the Dataset's variables.
    """
    return _joined([p[0] for p in _run_blocks(layout, inputs, keep_grades=False)])


def _run_blocks(
    lay: Layout, inputs: ConditionInputs, keep_grades: bool
) -> list[tuple[dict[str, np.ndarray], np.ndarray | None, np.ndarray]]:
    """Run the rows in blocks of :data:`ROW_BLOCK`; each block's :meth:`_Block.run`."""
    n_s = len(inputs.scenarios)
    return [
        _Block(lay, inputs.select(list(range(a, min(a + ROW_BLOCK, n_s))))).run(keep_grades)
        for a in range(0, n_s, ROW_BLOCK)
    ]


def _concat(arrays: list[np.ndarray]) -> np.ndarray:  # one block's arrays are its own
    return arrays[0] if len(arrays) == 1 else np.concatenate(arrays)


def _joined(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    return {k: _concat([p[k] for p in parts]) for k in parts[0]}


class _Block:
    """Up to :data:`ROW_BLOCK` rows: coefficients fixed over the years, then the year loop."""

    def __init__(self, lay: Layout, inputs: ConditionInputs) -> None:
        self.lay, self.inputs = lay, inputs
        years = np.asarray(inputs.years)
        n_r, n_b, n_p = len(inputs.scenarios), lay.n_b, lay.n_p
        self.n_r = n_r
        # which buildings are in service, wear and may get money: once when the rows agree
        open_year = _shared(inputs.open_year[:, lay.order])
        disposal = _shared(inputs.disposal_year[:, lay.order])
        horizon = _shared(inputs.disposal_horizon[:, None, None])
        # building weights in the VTTG
        value_weighted = _shared((inputs.weighting == "value")[:, None])
        weight_b = _shared(np.where(value_weighted, lay.area * lay.value_per_m2, lay.area))
        # in service and the aggregates that do not depend on the grades (see in_service)
        per_b = (lay.area, lay.value_per_m2, lay.graded)
        act, self.elig, self.wearing, self.fixed = service_rows(
            open_year, disposal, horizon, years, lay.buildings, per_b, weight_b, lay.service_memo
        )
        self.active_full = np.broadcast_to(act, (n_r, *act.shape[1:]))
        self.new = ~np.isnan(open_year)  # a new building opens at TG0

        # per-item coefficients (R|1, N)
        def per_item(per_part: np.ndarray, per_b: np.ndarray = lay.area) -> np.ndarray:
            x = per_b[..., :, None] * _shared(per_part)[:, None, :] * lay.known_f / 1e6
            return _shared(x.reshape(x.shape[0], -1))

        should, must = inputs.should_nok_per_m2, inputs.must_nok_per_m2
        a1, a2 = per_item(should), per_item(must - should)
        # upgrade need coefficients; the compiled passes apply the year's building mask
        # (in service for the need, eligible for money for the cost) as they go
        self.a1, self.a2, self.act = a1, a2, act
        self.vttg_c = _shared((weight_b[:, :, None] * lay.vshare).reshape(weight_b.shape[0], -1))

        self.result = _shared(inputs.result_grade[:, None])  # (R|1, 1)
        self.general_result = bool((inputs.result_grade != 1.0).any())
        if self.general_result:
            # cost from grade g: need(g) + (A0 · min(g, 1) − C(r)), C(r) = A0 · min(r, 1) + need(r)
            self.a0 = per_item(inputs.renew_nok_per_m2)
            r = self.result
            at_r = self.a0 * np.minimum(r, 1.0) + (
                a1 * np.clip(r - 1.0, 0.0, 1.0) + a2 * np.clip(r - 2.0, 0.0, 1.0)
            )
            self.cost_at_result = _shared(at_r)

        # wear: linear rows add 3/L a year; other shapes and Markov rows are worn apart
        factor = inputs.wear_rate_factor
        self.life = inputs.part_life[:, None, :] / np.maximum(factor, 1e-12)[:, None, None]
        self.no_wear = (factor <= 0)[:, None, None]
        self.markov = np.flatnonzero(inputs.wear_model == "markov")
        self.curved = np.flatnonzero((inputs.wear_shape != 1.0) & (inputs.wear_model != "markov"))
        linear = ((inputs.wear_shape == 1.0) & (inputs.wear_model != "markov"))[:, None, None]
        with np.errstate(divide="ignore"):
            inc = condition.MAX_GRADE / self.life * (linear & ~self.no_wear)
        inc = np.broadcast_to(inc, (n_r, n_b, n_p)) * lay.known_f
        self.wear_inc = _Masked(lay, _shared(inc.reshape(n_r, -1)), self.wearing)

        # priority scale κ and the lower break points r·κ (fixed over the years)
        renew = inputs.renew_nok_per_m2[:, None, :]
        should_n, must_n = should[:, None, :], must[:, None, :]
        worst_first = inputs.policy == "worst_first"
        per_grade = (
            condition.renewal_cost_curve(np.full(1, 3.0), renew, should_n, must_n) / 3.0
        )  # (R, 1, P) average NOK/m² per grade step
        worst = maintenance.scale_worst_first(inputs.risk_weight)  # (R, P)
        one = _shared(worst)
        if worst_first.all() and one.shape[0] == 1:  # rows alike: one row, not R compared
            self.scale = np.broadcast_to(one[:, None, :], (1, n_b, n_p)).reshape(1, -1)
        else:
            scale = np.broadcast_to(worst[:, None, :], (n_r, n_b, n_p))
            if not worst_first.all():
                best = maintenance.scale_best_value(
                    lay.share, weight_b[:, :, None], lay.area[:, None], per_grade
                )
                scale = np.where(worst_first[:, None, None], scale, best)
            self.scale = _shared(scale.reshape(n_r, -1))
        self.bottom = _shared(self.result * self.scale)
        budget = np.swapaxes(inputs.budget_mnok, 1, 2).copy()  # (R, Y, H)
        self.budget_hy = inputs.budget_mnok
        budget[:, 0, :] = 0.0  # the first year is the surveyed state: no money is spent in it
        self.budget = budget

    def run(self, keep_grades: bool) -> tuple[dict[str, np.ndarray], np.ndarray | None, np.ndarray]:
        """Run the years; return the aggregates, the grades ``(R, Y, N)`` and in-service."""
        lay, inputs = self.lay, self.inputs
        n_r, n_y, n_h = self.n_r, len(inputs.years), len(inputs.hfs)
        n_b, n_p = lay.n_b, lay.n_p
        grade = np.where(self.new[:, :, None], 0.0, lay.grade0)
        grade = np.broadcast_to(grade, (n_r, n_b, n_p)).reshape(n_r, -1).copy()
        dist = matrix = None
        if len(self.markov):
            g3 = grade[self.markov].reshape(-1, n_b, n_p)
            dist = condition.distribution_from_grade(g3)
            matrix = condition.markov_matrix(self.life[self.markov])
            state = np.clip(np.round(inputs.result_grade[self.markov]).astype(int), 0, 3)
            result_dist = np.eye(condition.N_STATES)[state][:, None, None, :]
        grades = np.empty((n_r, n_y, n_b * n_p)) if keep_grades else None
        linear_only = not len(self.curved) and dist is None
        if _FUSED and linear_only and not self.general_result:  # the usual case
            coef = {"a1": self.a1, "a2": self.a2, "weight": self.vttg_c, "scale": self.scale}
            coef |= {"bottom": self.bottom, "result": self.result}
            need, vttg_num, spend = run_linear(
                grade, self.wear_inc.base, self.wearing, self.elig, self.act, coef,
                self.budget_hy, lay.items.edges, condition.MAX_GRADE, grades,
            )  # fmt: skip
            totals = block_totals(self.fixed, need, vttg_num, spend, self.budget)
            return totals, grades, self.active_full
        need, vttg_num = np.empty((n_r, n_y, n_h)), np.empty((n_r, n_y, n_h))
        spend = np.zeros((n_r, n_y, n_h))
        tmp, cost, frac = (np.empty_like(grade) for _ in range(3))
        start = np.full(self.budget_hy.shape[:2], np.nan)  # each search starts at last year's
        edges = lay.items.edges

        def record(t: int) -> None:
            need[:, t], vttg_num[:, t] = need_and_vttg_sums(
                grade, self.a1, self.a2, self.vttg_c, self.act[:, t], edges
            )
            if grades is not None:
                grades[:, t] = grade

        record(0)
        for t in range(1, n_y):
            # wear, then the MNOK to bring each part from its grade to the result grade where
            # money may go: one compiled pass when every row wears linearly
            if linear_only:
                wear_and_need(
                    grade, self.wear_inc.base, self.wearing[:, t], self.a1, self.a2,
                    self.elig[:, t], condition.MAX_GRADE, cost,
                )  # fmt: skip
            else:
                grade += self.wear_inc.at(t)  # linear rows; 0 for the others
                np.minimum(grade, condition.MAX_GRADE, out=grade)
                self._wear_apart(t, grade, dist, matrix)
                need_per_item(grade, self.a1, self.a2, self.elig[:, t], cost)
            if self.general_result:
                elig = lay.items_of(self.elig[:, t])
                np.minimum(grade, 1.0, out=tmp)
                tmp *= self.a0
                tmp -= self.cost_at_result
                tmp *= elig
                cost += tmp
                np.maximum(cost, 0.0, out=cost)
            budget_t = self.budget_hy[:, :, t]
            _, spent = fill(grade, self.scale, self.bottom, cost, budget_t, lay.items, frac, start)
            spend[:, t] = np.minimum(spent, budget_t)
            # the measures (frac is 0 wherever g ≤ r) and the year's sums, in one pass
            need[:, t], vttg_num[:, t] = apply_and_sums(
                grade, self.result, frac, self.a1, self.a2, self.vttg_c, self.act[:, t], edges
            )
            if grades is not None:
                grades[:, t] = grade
            if dist is not None:
                share = frac[self.markov].reshape(-1, n_b, n_p)[..., None]
                dist = (1.0 - share) * dist + share * result_dist

        totals = block_totals(self.fixed, need, vttg_num, spend, self.budget)
        return totals, grades, self.active_full

    def _wear_apart(
        self,
        t: int,
        grade: np.ndarray,
        dist: np.ndarray | None,
        matrix: np.ndarray | None,
    ) -> None:
        """Wear the rows with a curved wear shape or a Markov chain (in place)."""
        n_b, n_p = self.lay.n_b, self.lay.n_p
        wearing = np.broadcast_to(self.wearing[:, t], (self.n_r, n_b))[:, :, None]
        if len(self.curved):
            rows = self.curved
            g3 = grade[rows].reshape(-1, n_b, n_p)
            worn = condition.wear_deterministic(
                g3, self.life[rows], self.inputs.wear_shape[rows][:, None, None]
            )
            keep = wearing[rows] & ~self.no_wear[rows]
            grade[rows] = np.where(keep, worn, g3).reshape(len(rows), -1)
        if dist is not None:
            assert matrix is not None  # set with dist for the Markov rows
            rows = self.markov
            keep = (wearing[rows] & ~self.no_wear[rows])[..., None]
            dist[...] = np.where(keep, condition.wear_markov(dist, matrix), dist)
            worn = condition.grade_from_distribution(dist)
            grade[rows] = np.where(keep[..., 0], worn, grade[rows].reshape(-1, n_b, n_p)).reshape(
                len(rows), -1
            )
