"""One chunk of a Monte Carlo ensemble: draws → stacked rows → simulation → aggregates.

:class:`EnsemblePlan` holds what every chunk task needs (small enough to ship to every dask
worker once); :meth:`EnsemblePlan.run_chunk` draws the chunk's inputs
(:mod:`hmn_bygg.risk.inputs`), stacks ``scenario × draw`` rows of
:class:`~hmn_bygg.condition.inputs.ConditionInputs`, applies the draws to the arrays they act on
(:data:`ARRAY_TARGETS`) and to the buildings' open and disposal years, runs
:func:`hmn_bygg.condition.simulate.simulate_totals` (the layout of the register built once per
plan) and, when asked, books the long-term budget of all its draws at once
(:mod:`hmn_bygg.risk.booking`). How the chunks are scheduled is in :mod:`hmn_bygg.risk.ensemble`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import xarray as xr

from hmn_bygg.condition.inputs import ConditionInputs
from hmn_bygg.condition.results import RESULT_DIMS, result_dataset
from hmn_bygg.condition.simulate import Layout, simulate_totals
from hmn_bygg.config import Model, hf_codes
from hmn_bygg.config.year_arrays import hf_year_values
from hmn_bygg.finance.rows import Rows
from hmn_bygg.risk.booking import (
    AGGREGATES,
    DISPOSAL_DELAY,
    book_aggregates,
    booking_disposals,
    booking_rows,
    moves_the_stock,
)
from hmn_bygg.risk.inputs import UncertainInput, draw_inputs
from hmn_bygg.risk.perturb import perturb_model

__all__ = [
    "AGGREGATES",
    "ARRAY_TARGETS",
    "DISPOSAL_DELAY",
    "EnsemblePlan",
    "apply_draws",
    "base_budgets",
    "book_aggregates",
    "stack_inputs",
]

ARRAY_TARGETS: dict[str, str] = {
    "condition.wear_rate_factor": "wear_rate_factor",
    "condition.wear_shape": "wear_shape",
    "condition.part_life_years": "part_life",
    "upgrade_cost.must_nok_per_m2": "must_nok_per_m2",
    "upgrade_cost.should_nok_per_m2": "should_nok_per_m2",
    "upgrade_cost.renew_tg1_nok_per_m2": "renew_nok_per_m2",
    "maintenance.budget_mnok": "budget_mnok",
}
"""Uncertain parameters that act on the condition inputs, by dotted key → input field."""


def stack_inputs(inputs: ConditionInputs, draws: int, start: int = 0) -> ConditionInputs:
    """Repeat each scenario's row ``draws`` times: rows ``scenario × draw``, scenario-major.

    Parameters
    ----------
    inputs : ConditionInputs
        One row per scenario.
    draws : int
        Draws per scenario.
    start : int
        Index of the first draw (for the row names ``<scenario>#<draw>``).

    Returns
    -------
    ConditionInputs
        ``S · draws`` rows; row ``s · draws + d`` is scenario ``s``, draw ``start + d``.
    """
    rows = np.repeat(np.arange(len(inputs.scenarios)), draws)
    names = [f"{s}#{start + d}" for s in inputs.scenarios for d in range(draws)]
    return inputs.select(rows.tolist(), names)


def apply_draws(
    rows: ConditionInputs,
    inputs: Sequence[UncertainInput],
    draws: np.ndarray,
    base_budget: np.ndarray,
) -> ConditionInputs:
    """Apply the draws of the inputs that act on the condition model to stacked rows.

    Parameters
    ----------
    rows : ConditionInputs
        ``S · D`` rows from :func:`stack_inputs`.
    inputs : sequence of UncertainInput
        The uncertain inputs (those not in :data:`ARRAY_TARGETS` are ignored here).
    draws : numpy.ndarray
        ``(S, D, K)`` from :func:`draw_inputs`.
    base_budget : numpy.ndarray
        Each scenario's HF budget without the regional extra [MNOK] ``(S, H, Y)``; a budget
        draw acts on this part only.

    Returns
    -------
    ConditionInputs
        The perturbed rows.
    """
    n_d = draws.shape[1]
    changes: dict[str, np.ndarray] = {}
    for k, item in enumerate(inputs):
        name = ARRAY_TARGETS.get(item.key)
        if name is None:
            continue
        field = changes.get(name, getattr(rows, name)).astype(float)
        for s, spec in enumerate(item.specs):
            if spec is None:
                continue
            x = draws[s, :, k].reshape((n_d,) + (1,) * (field.ndim - 1))
            block = slice(s * n_d, (s + 1) * n_d)
            if name == "budget_mnok":
                base = base_budget[s][None]
                delta = (x - 1.0) * base if spec.effect == "multiply" else x + 0.0 * base
                field[block] = np.maximum(field[block] + delta, 0.0)
            elif spec.effect == "multiply":
                field[block] = np.maximum(field[block] * x, 0.0)
            else:
                field[block] = np.maximum(field[block] + x, 0.0)
        changes[name] = field
    return replace(rows, **changes)  # type: ignore[arg-type]


def base_budgets(scenarios: Mapping[str, Model], years: np.ndarray) -> np.ndarray:
    """Return each scenario's HF maintenance budget without the regional extra [MNOK]."""
    hfs = hf_codes()
    return np.stack(
        [hf_year_values(m.maintenance.budget_mnok, hfs, years) for m in scenarios.values()]
    )


@dataclass(frozen=True)
class EnsemblePlan:
    """Everything a chunk task needs; small enough to ship to every worker once.

    Parameters
    ----------
    register : xr.Dataset
        The register with every scenario's new buildings.
    inputs : ConditionInputs
        One row per scenario, as :func:`hmn_bygg.engine.run.run_models` builds them.
    models : tuple of Model
        The scenarios, in the order of ``inputs.scenarios``.
    uncertain : tuple of UncertainInput
        The uncertain inputs.
    base_budget : numpy.ndarray
        HF budgets without the regional extra [MNOK] ``(S, H, Y)``.
    seed : int
        Seed of the run.
    book : bool
        Whether to book the long-term budget per draw (:func:`hmn_bygg.finance.ltb.book`).
    attrs : dict
        Attributes of the result.
    memo : dict
        What a chunk works out per distinct set of drawn open years (open years, disposal
        plans), kept for the next chunks of this process: the sets repeat across chunks and do
        not depend on which draw hit them, so every chunk gives the same numbers with or
        without it. Also the :class:`~hmn_bygg.condition.simulate.Layout` of the register
        (key ``("layout",)``), the same for every chunk.
    """

    register: xr.Dataset
    inputs: ConditionInputs
    models: tuple[Model, ...]
    uncertain: tuple[UncertainInput, ...]
    base_budget: np.ndarray
    seed: int
    book: bool
    attrs: dict[str, Any]
    memo: dict[tuple, Any] = field(default_factory=dict, compare=False, repr=False)

    def _on_models(self, s: int) -> list[int]:
        """The uncertain inputs declared in scenario ``s`` that act on its model (not on the
        condition arrays), by index."""
        return [
            k
            for k, u in enumerate(self.uncertain)
            if u.key not in ARRAY_TARGETS and u.specs[s] is not None
        ]

    def _portfolio_years(
        self, rows: ConditionInputs, x: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Open and disposal years per row, for rows whose draw moves buildings in or out.

        New buildings open with their project and disposals tied to a project's opening
        (``after_opening``) follow it: both are recomputed once per distinct set of drawn open
        years of a scenario (open years are whole years: a chunk has few such sets). A drawn
        disposal delay then moves every disposal of the row by whole years, for all rows at
        once.
        """
        from hmn_bygg.stock import plan as scenario_portfolio

        opens, disposals = rows.open_year.copy(), rows.disposal_year.copy()
        n_d = x.shape[1]
        for s, model in enumerate(self.models):
            moving = [
                k
                for k, u in enumerate(self.uncertain)
                if u.key not in ARRAY_TARGETS and u.specs[s] is not None and moves_the_stock(u.key)
            ]
            opened = [k for k in moving if self.uncertain[k].key != DISPOSAL_DELAY]
            delayed = [k for k in moving if self.uncertain[k].key == DISPOSAL_DELAY]
            if opened:
                sets, which = np.unique(x[s][:, opened], axis=0, return_inverse=True)
                which = which.reshape(-1)
                for c, drawn in enumerate(sets):
                    changes = {
                        self.uncertain[k].key: (v, self.uncertain[k].specs[s].effect)  # type: ignore[union-attr]
                        for k, v in zip(opened, drawn, strict=True)
                    }
                    key = ("open", s, tuple(drawn.tolist()))
                    if key not in self.memo:
                        one = {"row": perturb_model(model, changes)}
                        tied = _has_tied_disposals(one["row"])
                        self.memo[key] = (
                            scenario_portfolio.open_years(self.register, one)[0],
                            scenario_portfolio.disposal_plan(self.register, one).year[0]
                            if tied
                            else None,
                        )
                    opened_at, disposed_at = self.memo[key]
                    hit = s * n_d + np.flatnonzero(which == c)
                    opens[hit] = opened_at
                    if disposed_at is not None:
                        disposals[hit] = disposed_at
            if delayed:  # NaN (no disposal) stays NaN
                disposals[s * n_d : (s + 1) * n_d] += x[s, :, delayed[0]][:, None]
        return opens, disposals

    def run_chunk(self, start: int, stop: int) -> xr.Dataset:
        """Simulate draws ``start .. stop - 1`` of every scenario; dims (scenario, draw, ...)."""
        return self.dataset([self.run_chunk_arrays(start, stop)])

    def run_chunk_arrays(self, start: int, stop: int) -> ChunkArrays:
        """:meth:`run_chunk` as arrays, no Dataset built: ``name → (dims, values)`` of the kept
        :data:`AGGREGATES` and ``uncertain_input``, dims ``(scenario, draw, ...)``, and
        ``draw`` (the draw indices); :meth:`dataset` joins chunks into the Dataset."""
        return self.book_chunk(self.condition_chunk(start, stop))

    def condition_chunk(self, start: int, stop: int) -> Simulated:
        """The first half of :meth:`run_chunk_arrays`: the draws and the condition model
        (mostly the compiled year loop, which releases the GIL)."""
        n_s, n_d = len(self.inputs.scenarios), stop - start
        x = draw_inputs(self.uncertain, n_s, self.seed, start, stop, self.memo)
        rows = stack_inputs(self.inputs, n_d, start)
        rows = apply_draws(rows, self.uncertain, x, self.base_budget)
        opens, disposals = self._portfolio_years(rows, x)
        rows = replace(rows, open_year=opens, disposal_year=disposals)
        totals = simulate_totals(rows, self._layout())
        # booking reads the condition results as a Dataset; without it the arrays are kept
        res = result_dataset(self.register, rows, totals, {}) if self.book else totals
        return Simulated(start, stop, x, rows.scenarios, res)

    def _layout(self) -> Layout:
        """The register's :class:`~hmn_bygg.condition.simulate.Layout`, built once (in
        :attr:`memo`; two threads may both build it, the same)."""
        key = ("layout",)
        if key not in self.memo:
            self.memo[key] = Layout(self.register, self.inputs)
        return self.memo[key]

    def book_chunk(self, sim: Simulated) -> ChunkArrays:
        """The second half of :meth:`run_chunk_arrays`: the long-term budget booked on the
        condition results (when :attr:`book`), and the arrays kept."""
        n_s, n_d, x, res = len(self.inputs.scenarios), sim.stop - sim.start, sim.x, sim.result
        if isinstance(res, dict):  # the arrays of simulate_totals
            fields = {name: (RESULT_DIMS[name], values) for name, values in res.items()}
        else:
            fields = {
                str(name): (tuple(str(d) for d in var.dims), var.to_numpy())
                for name, var in ((n, res.variables[n]) for n in res.data_vars)
            }
        if self.book:
            assert isinstance(res, xr.Dataset)  # condition_chunk builds it to book
            booked = booking_rows(self, sim.names, x)
            plan = booking_disposals(self, x) if isinstance(booked, Rows) else None
            fields = book_aggregates(res, booked, self.register, plan)
        out: ChunkArrays = {}
        for name in (v for v in AGGREGATES if v in fields):
            dims, values = fields[name]
            other = [d for d in dims if d != "scenario"]
            data = np.moveaxis(values, dims.index("scenario"), 0)
            out[name] = (("scenario", "draw", *other), data.reshape(n_s, n_d, *data.shape[1:]))
        out["uncertain_input"] = (("scenario", "draw", "input"), x)
        out["draw"] = (("draw",), np.arange(sim.start, sim.stop))
        return out

    def dataset(self, chunks: Sequence[ChunkArrays]) -> xr.Dataset:
        """The Dataset of consecutive chunks of :meth:`run_chunk_arrays`, joined along
        ``draw`` (one copy of each variable; the same Dataset as one chunk of all draws)."""
        first = chunks[0]

        def joined(name: str) -> np.ndarray:
            if len(chunks) == 1:
                return first[name][1]
            axis = first[name][0].index("draw")
            return np.concatenate([c[name][1] for c in chunks], axis=axis)

        ds = xr.Dataset(
            {name: (dims, joined(name)) for name, (dims, _) in first.items() if name != "draw"},
            coords={
                "scenario": list(self.inputs.scenarios),
                "draw": joined("draw"),
                "year": np.asarray(self.inputs.years, dtype=int),
                "hf": list(self.inputs.hfs),
                "input": [u.key for u in self.uncertain],
            },
        )
        ds.attrs.update(self.attrs)
        return ds


ChunkArrays = dict[str, tuple[tuple[str, ...], np.ndarray]]
"""What :meth:`EnsemblePlan.run_chunk_arrays` returns: ``name → (dims, values)``."""


@dataclass(frozen=True)
class Simulated:
    """A chunk between :meth:`EnsemblePlan.condition_chunk` and
    :meth:`EnsemblePlan.book_chunk`: draws ``start .. stop - 1``, their inputs' draws ``x``
    ``(S, D, K)``, the row names and the condition results (a Dataset when the plan books the
    budget, else the arrays of :func:`~hmn_bygg.condition.simulate.simulate_totals`)."""

    start: int
    stop: int
    x: np.ndarray
    names: tuple[str, ...]
    result: xr.Dataset | dict[str, np.ndarray]


def _has_tied_disposals(model: Model) -> bool:
    """Whether any disposal of ``model`` follows a project's opening (``after_opening``)."""
    return any(at.after_opening is not None for *_, at in model.portfolio.disposals.timed())
