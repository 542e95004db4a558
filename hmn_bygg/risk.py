"""Monte Carlo ensembles: uncertain inputs → draws → one simulation per chunk of draws.

Uncertain inputs are declared next to the parameter they vary (``uncertainty:`` on a leaf, see
:data:`hmn_bygg.config.params.Uncertainty`). :func:`run_ensemble` turns them into a ``draw``
dimension of one result Dataset with dims ``(scenario, draw, year, hf)`` for the aggregates
(per-part grades are not kept per draw: they would need ``draws × years × buildings × parts``
numbers).

How draws are made (distributions, the copula, seeds) is in :mod:`hmn_bygg.risk_inputs`.

Chunking
--------
Chunks run along ``draw``: each chunk is a task that generates its own draws, stacks
``scenario × draw`` rows of :class:`~hmn_bygg.inputs.ConditionInputs` and runs them through
:func:`hmn_bygg.simulate.simulate` with ``aggregates_only=True``, whose leading axis is a
generic row: the draws of a chunk go through the year loop together, vectorized, in blocks of
:data:`hmn_bygg.simulate.ROW_BLOCK` rows, and what the draws share is computed once. Buildings
are *not* split: each HF's budget couples all of its buildings every year, so a building chunk
would have to hold whole HFs (three chunks at most here) and would cut nothing off the
per-row work.
Draw chunks are independent, any size works, and the memory of a task is bounded by
``chunk_draws``. With ``store=`` each task writes its draws to one netCDF file and returns only
the path; the result is then opened lazily (``open_mfdataset``), so an ensemble larger than
memory never sits in memory.
"""

from __future__ import annotations

import json
import sys
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import dask
import numpy as np
import xarray as xr

from hmn_bygg.config import HFS, Model, as_hf_year_array
from hmn_bygg.errors import InputError, Problem
from hmn_bygg.inputs import ConditionInputs
from hmn_bygg.io import write_netcdf
from hmn_bygg.risk_inputs import (
    UncertainInput,
    declare,
    draw_inputs,
    perturb_model,
    uncertain_inputs,
)
from hmn_bygg.simulate import simulate
from hmn_bygg.variables import annotate

__all__ = [
    "AGGREGATES",
    "ARRAY_TARGETS",
    "EnsemblePlan",
    "apply_draws",
    "declare",
    "prepare",
    "run_ensemble",
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

AGGREGATES: tuple[str, ...] = (
    "vttg",
    "vttg_region",
    "area",
    "area_region",
    "upgrade_need",
    "upgrade_need_region",
    "fci",
    "fci_region",
    "maintenance_budget",
    "maintenance_spend",
    "maintenance_spend_region",
    "liquidity",
    "liquidity_region",
    "loan_balance",
    "loan_balance_region",
    "liquidity_headroom",
    "credit_breach",
    "liquidity_negative",
)
"""Result variables kept per draw (those the run produces; finance ones once it is booked)."""


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
    stacked = inputs.select(rows.tolist())
    names = tuple(f"{s}#{start + d}" for s in inputs.scenarios for d in range(draws))
    return replace(stacked, scenarios=names)


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
    return replace(rows, **changes)


def base_budgets(scenarios: Mapping[str, Model], years: np.ndarray) -> np.ndarray:
    """Return each scenario's HF maintenance budget without the regional extra [MNOK]."""
    return np.stack(
        [
            as_hf_year_array(m.maintenance.budget_mnok, HFS, years).to_numpy()
            for m in scenarios.values()
        ]
    )


@dataclass(frozen=True)
class EnsemblePlan:
    """Everything a chunk task needs; small enough to ship to every worker once.

    Parameters
    ----------
    register : xr.Dataset
        The register with every scenario's new buildings.
    inputs : ConditionInputs
        One row per scenario, as :func:`hmn_bygg.run.run_models` builds them.
    models : tuple of Model
        The scenarios, in the order of ``inputs.scenarios``.
    uncertain : tuple of UncertainInput
        The uncertain inputs.
    base_budget : numpy.ndarray
        HF budgets without the regional extra [MNOK] ``(S, H, Y)``.
    seed : int
        Seed of the run.
    book : bool
        Whether to book the long-term budget per draw (:func:`hmn_bygg.ltb.book`).
    attrs : dict
        Attributes of the result.
    """

    register: xr.Dataset
    inputs: ConditionInputs
    models: tuple[Model, ...]
    uncertain: tuple[UncertainInput, ...]
    base_budget: np.ndarray
    seed: int
    book: bool
    attrs: dict[str, Any]

    def _changes(self, s: int, x_row: np.ndarray, only_open: bool = False) -> dict:
        return {
            u.key: (x_row[k], u.specs[s].effect)
            for k, u in enumerate(self.uncertain)
            if u.key not in ARRAY_TARGETS
            and u.specs[s] is not None
            and (not only_open or u.key.endswith(".open_year"))
        }

    def _portfolio_years(
        self, rows: ConditionInputs, x: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Open and disposal years per row, for rows whose draw moves a project's open year.

        New buildings open with their project, and disposals tied to a project's opening
        (``after_opening``) follow it; both are recomputed once per distinct set of drawn open
        years.
        """
        from hmn_bygg import scenario_portfolio

        opens, disposals = rows.open_year.copy(), rows.disposal_year.copy()
        cache: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
        n_d = x.shape[1]
        for r in range(opens.shape[0]):
            s, d = divmod(r, n_d)
            changes = self._changes(s, x[s, d], only_open=True)
            if not changes:
                continue
            sig = (s, *sorted((k, float(v)) for k, (v, _) in changes.items()))
            if sig not in cache:
                one = {"row": perturb_model(self.models[s], changes)}
                cache[sig] = (
                    scenario_portfolio.open_years(self.register, one)[0],
                    scenario_portfolio.disposal_plan(self.register, one).year[0],
                )
            opens[r], disposals[r] = cache[sig]
        return opens, disposals

    def run_chunk(self, start: int, stop: int) -> xr.Dataset:
        """Simulate draws ``start .. stop - 1`` of every scenario; dims (scenario, draw, ...)."""
        from hmn_bygg import ltb

        n_s, n_d = len(self.inputs.scenarios), stop - start
        x = draw_inputs(self.uncertain, n_s, self.seed, start, stop)
        rows = stack_inputs(self.inputs, n_d, start)
        rows = apply_draws(rows, self.uncertain, x, self.base_budget)
        opens, disposals = self._portfolio_years(rows, x)
        rows = replace(rows, open_year=opens, disposal_year=disposals)
        res = simulate(self.register, rows, aggregates_only=True)
        res.attrs.update(self.attrs)
        if self.book:
            models = {}
            for r, name in enumerate(rows.scenarios):
                s, d = divmod(r, n_d)
                changes = self._changes(s, x[s, d])
                models[name] = perturb_model(self.models[s], changes) if changes else self.models[s]
            res = ltb.book(res, models, self.register)
        out = {}
        for name in (v for v in AGGREGATES if v in res):
            da = res[name]
            other = [d for d in da.dims if d != "scenario"]
            data = da.transpose("scenario", *other).to_numpy()
            out[name] = (("scenario", "draw", *other), data.reshape(n_s, n_d, *data.shape[1:]))
        out["uncertain_input"] = (("scenario", "draw", "input"), x)
        ds = xr.Dataset(
            out,
            coords={
                "scenario": list(self.inputs.scenarios),
                "draw": np.arange(start, stop),
                "year": res["year"].to_numpy(),
                "hf": res["hf"].to_numpy(),
                "input": [u.key for u in self.uncertain],
            },
        )
        ds.attrs.update(self.attrs)
        return ds


def _chunk_task(plan: EnsemblePlan, start: int, stop: int, path: str | None) -> Any:
    ds = plan.run_chunk(start, stop)
    if path is None:
        return ds
    write_netcdf(ds, path)
    return path


def chunk_bounds(draws: int, chunk_draws: int) -> list[tuple[int, int]]:
    """Return ``[(start, stop), ...]`` covering ``0 .. draws - 1`` in chunks of ``chunk_draws``."""
    step = max(1, int(chunk_draws))
    return [(a, min(a + step, draws)) for a in range(0, draws, step)]


def default_chunk_draws(
    n_scenarios: int, n_years: int, n_buildings: int, draws: int, budget_mb: float = 48.0
) -> int:
    """Draws per chunk: about ``budget_mb`` [MB] of rows per task, and at least eight tasks.

    A task keeps per row its inputs (open and disposal years per building) and aggregates
    (years × HFs × ~20 variables, and the long-term budget's flows); the year loop works on
    blocks of :data:`hmn_bygg.simulate.ROW_BLOCK` rows whatever the chunk.

    Parameters
    ----------
    n_scenarios, n_years, n_buildings, draws : int
        Sizes of the run (draws per scenario).
    budget_mb : float
        Memory per task [MB].

    Returns
    -------
    int
        Draws per chunk, 1–2 048.
    """
    from hmn_bygg.simulate import ROW_BLOCK

    per_draw = n_scenarios * 8 * (n_years * 64 + 4 * n_buildings) / 1e6
    by_memory = int(budget_mb // max(per_draw, 1e-9))
    by_tasks = max(ROW_BLOCK, -(-draws // 8))
    return int(max(1, min(2048, by_memory, by_tasks)))


def prepare(
    scenarios: Mapping[str, Model], register: xr.Dataset | None = None
) -> tuple[xr.Dataset, ConditionInputs]:
    """Return the register with new buildings and the stacked inputs, as ``run_models`` does."""
    from hmn_bygg import scenario_portfolio
    from hmn_bygg.run import build_inputs, register_for

    reg = register if register is not None else register_for(scenarios)
    reg = scenario_portfolio.with_new_buildings(reg, scenarios)
    plan = scenario_portfolio.disposal_plan(reg, scenarios)
    opens = scenario_portfolio.open_years(reg, scenarios)
    return reg, build_inputs(reg, scenarios, disposal_year=plan.year, open_year=opens)


def _check_keys(uncertain: Sequence[UncertainInput]) -> None:
    bad = [
        u.key
        for u in uncertain
        if u.key not in ARRAY_TARGETS and not u.key.startswith(("finance.", "portfolio."))
    ]
    if bad:
        raise InputError(
            [
                Problem(
                    "model",
                    "the Monte Carlo engine cannot vary this parameter",
                    column=key,
                    expected=", ".join(ARRAY_TARGETS) + ", or a finance.* / portfolio.* number",
                )
                for key in bad
            ],
            title="The uncertainty declarations have problems",
        )


def _progress(total: int, quiet: bool) -> Any:
    from tqdm.auto import tqdm

    show = not quiet and sys.stderr.isatty()
    return tqdm(total=total, desc="draws", unit="draw", file=sys.stderr, disable=not show)


def _compute(tasks: list[Any], sizes: list[int], scheduler: Any, quiet: bool) -> list[Any]:
    """Run the chunk tasks on a local scheduler or a dask.distributed cluster."""
    local = {None: "threads", "threads": "threads", "sync": "sync", "synchronous": "sync"}
    local["processes"] = "processes"
    size_of = {str(t.key): n for t, n in zip(tasks, sizes, strict=True)}
    with _progress(sum(sizes), quiet) as bar:
        if isinstance(scheduler, str | None) and scheduler in local:
            from dask.callbacks import Callback

            class _Done(Callback):
                def _posttask(self, key, result, dsk, state, worker_id):
                    bar.update(size_of.get(str(key), 0))

            with _Done():
                return list(dask.compute(*tasks, scheduler=local[scheduler]))
        from distributed import Client, as_completed

        own = isinstance(scheduler, str)
        client = Client(scheduler, set_as_default=False) if own else scheduler
        try:
            futures = client.compute(tasks)
            for future in as_completed(futures, loop=client.loop):
                bar.update(size_of.get(str(future.key), 0))
            return client.gather(futures)
        finally:
            if own:
                client.close()


def run_ensemble(
    scenarios: Mapping[str, Model],
    register: xr.Dataset | None = None,
    draws: int = 1000,
    seed: int = 2018,
    *,
    chunk_draws: int | None = None,
    scheduler: Any = None,
    store: str | Path | None = None,
    book: bool = True,
    quiet: bool = False,
) -> xr.Dataset:
    """Run a Monte Carlo ensemble of every scenario and return the aggregates per draw.

    Parameters
    ----------
    scenarios : mapping of str to Model
        Validated scenarios; their ``uncertainty:`` declarations are the uncertain inputs.
    register : xr.Dataset, optional
        A register already loaded (default: the one the scenarios name).
    draws : int
        Number of draws ``D`` per scenario.
    seed : int
        Seed; the same seed gives the same numbers whatever the chunking and scheduler.
    chunk_draws : int, optional
        Draws per task (default: :func:`default_chunk_draws`).
    scheduler : None, "threads", "sync", "processes", str address or distributed.Client
        Where the tasks run: the local threaded scheduler (default), one thread, local
        processes, or a ``dask.distributed`` scheduler (``"tcp://host:8786"`` or a Client).
    store : str or Path, optional
        A folder: each task writes its draws to ``part-<first>-<last>.nc`` there and the result
        is opened lazily from those files (memory bounded by the chunk, not the ensemble). The
        folder must be reachable from every worker.
    book : bool
        Book the long-term budget per draw (liquidity, loans), as ``run_models`` does.
    quiet : bool
        No progress bar (there is none anyway when stderr is not a terminal).

    Returns
    -------
    xr.Dataset
        Dims ``(scenario, draw, year, hf)``: the :data:`AGGREGATES` the run produces and
        ``uncertain_input(scenario, draw, input)`` (the draw of each uncertain input: a
        multiplier, a shift or years; NaN where fixed in a scenario). ``attrs`` hold the seed,
        the declarations and the targets.

    Raises
    ------
    InputError
        When a declaration names a parameter the engine cannot vary, or a group lacks ``rho``.
    """
    if draws < 1:
        raise ValueError("draws must be at least 1")
    reg, inputs = prepare(scenarios, register)
    uncertain = tuple(uncertain_inputs(scenarios))
    _check_keys(uncertain)
    first = next(iter(scenarios.values()))
    attrs = {
        "seed": int(seed),
        "draws": int(draws),
        "vttg_target": float(first.model.targets.vttg_target.value),
        "area_target_m2": float(first.model.targets.area_target_m2.value),
        "price_basis": inputs.price_basis,
        "uncertain_inputs": json.dumps(
            {u.key: [None if p is None else p.model_dump() for p in u.specs] for u in uncertain},
            ensure_ascii=False,
        ),
        "method": "Monte Carlo, one-factor Gaussian copula per group (hmn_bygg.risk)",
    }
    plan = EnsemblePlan(
        reg,
        inputs,
        tuple(scenarios.values()),
        uncertain,
        base_budgets(scenarios, inputs.years),
        int(seed),
        book,
        attrs,
    )
    step = chunk_draws or default_chunk_draws(
        len(scenarios), len(inputs.years), reg.sizes["building"], draws
    )
    bounds = chunk_bounds(draws, step)
    uid = uuid.uuid4().hex[:12]
    folder = None if store is None else Path(store)
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("part-*.nc"):
            old.unlink()
    plan_d = dask.delayed(plan, name=f"risk-plan-{uid}", traverse=False)
    prefix = f"risk-chunk-{uid}"
    tasks = [
        dask.delayed(_chunk_task, pure=True)(
            plan_d,
            a,
            b,
            None if folder is None else str(folder / f"part-{a:07d}-{b - 1:07d}.nc"),
            dask_key_name=f"{prefix}-{i}",
        )
        for i, (a, b) in enumerate(bounds)
    ]
    parts = _compute(tasks, [b - a for a, b in bounds], scheduler, quiet)
    if folder is None:
        ds = xr.concat(parts, dim="draw", data_vars="all", coords="minimal", compat="override")
    else:
        ds = xr.open_mfdataset(
            sorted(parts),
            combine="nested",
            concat_dim="draw",
            engine="h5netcdf",
            data_vars="all",
            coords="minimal",
            compat="override",
        )
    ds.attrs.update(attrs)
    return annotate(ds)
