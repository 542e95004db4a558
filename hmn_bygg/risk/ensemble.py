"""Monte Carlo ensembles: uncertain inputs → draws → one simulation per chunk of draws.

Uncertain inputs are declared next to the parameter they vary (``uncertainty:`` on a leaf, see
:data:`hmn_bygg.config.params.Uncertainty`). :func:`run_ensemble` turns them into a ``draw``
dimension of one result Dataset with dims ``(scenario, draw, year, hf)`` for the aggregates
(per-part grades are not kept per draw: they would need ``draws × years × buildings × parts``
numbers).

How draws are made (distributions, the copula, seeds) is in :mod:`hmn_bygg.risk.inputs`; what
one chunk task does with them is in :mod:`hmn_bygg.risk.plan`.

Chunking
--------
Chunks run along ``draw``: each chunk is a task that generates its own draws, stacks
``scenario × draw`` rows of :class:`~hmn_bygg.condition.inputs.ConditionInputs` and runs them
through
:func:`hmn_bygg.condition.simulate.simulate_totals` (the aggregates only), whose leading axis is a
generic row: the draws of a chunk go through the year loop together, vectorized, in blocks of
:data:`hmn_bygg.condition.simulate.ROW_BLOCK` rows, and what the draws share is computed once.
Buildings
are *not* split: each HF's budget couples all of its buildings every year, so a building chunk
would have to hold whole HFs (three chunks at most here) and would cut nothing off the
per-row work.
Draw chunks are independent, any size works, and the memory of a task is bounded by
``chunk_draws``. By default the chunks get smaller towards the end
(:func:`~hmn_bygg.risk.chunks.guided_bounds`) and start in draw order, so that the workers
finish within a block of draws of each other; a task returns its arrays and the result Dataset
is built once, from all of them. On this process's threads (the default) the chunks run as a
pipeline: the workers simulate the condition of the chunks in order and one more thread books
their budgets as they come (:func:`_threaded`). With ``store=`` each task writes its draws to
one netCDF file and returns only the path; the result is then opened lazily
(``open_mfdataset``), so an ensemble larger than memory never sits in memory.
"""

from __future__ import annotations

import json
import sys
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import dask
import numpy as np
import xarray as xr

from hmn_bygg.config import Model
from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.io import write_netcdf
from hmn_bygg.core.messages import Msg
from hmn_bygg.core.variables import annotate
from hmn_bygg.engine.run import prepare_inputs
from hmn_bygg.risk.chunks import (
    chunk_bounds,
    default_chunk_draws,
    guided_bounds,
    scheduler_workers,
)
from hmn_bygg.risk.inputs import UncertainInput, declare, uncertain_inputs
from hmn_bygg.risk.plan import (
    AGGREGATES,
    ARRAY_TARGETS,
    ChunkArrays,
    EnsemblePlan,
    apply_draws,
    base_budgets,
    stack_inputs,
)

__all__ = [
    "AGGREGATES",
    "ARRAY_TARGETS",
    "EnsemblePlan",
    "apply_draws",
    "declare",
    "run_ensemble",
    "stack_inputs",
]


def _chunk_task(plan: EnsemblePlan, start: int, stop: int, path: str | None) -> Any:
    arrays = plan.run_chunk_arrays(start, stop)
    if path is None:
        return arrays  # joined into one Dataset at the end (EnsemblePlan.dataset)
    write_netcdf(plan.dataset([arrays]), path)
    return path


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
                    Msg("risk.cannot_vary"),
                    column=key,
                    expected=Msg("risk.can_vary", keys=list(ARRAY_TARGETS)),
                )
                for key in bad
            ],
            title=Msg("risk.uncertainty_problems"),
        )


def _progress(total: int, quiet: bool) -> Any:
    from tqdm.auto import tqdm

    show = not quiet and sys.stderr.isatty()
    return tqdm(total=total, desc="draws", unit="draw", file=sys.stderr, disable=not show)


def _threaded(
    plan: EnsemblePlan, bounds: list[tuple[int, int]], workers: int, quiet: bool
) -> list[ChunkArrays]:
    """Run the chunks on this process's threads, in order, as a pipeline; return the arrays
    of all draws as one chunk.

    ``workers`` threads run the draws and the condition model of the chunks
    (:meth:`EnsemblePlan.condition_chunk`, mostly compiled code that releases the GIL) and
    ``max(1, workers // 2)`` more book them in order as they come
    (:meth:`EnsemblePlan.book_chunk`, NumPy and Python that hold the GIL more) and copy them
    into the arrays of all draws: a worker goes on to its next chunk instead of waiting for
    the GIL to book (on two cores, the bookings never compete with each other for it), and
    nothing is left to join when the last chunk is booked. A worker starts a chunk only while
    fewer than ``2 · workers`` simulated chunks wait to be booked, so memory stays bounded.
    """
    import threading
    from concurrent.futures import ThreadPoolExecutor

    joined: ChunkArrays = {}
    lock = threading.Lock()
    ahead = threading.Semaphore(2 * workers)

    def keep(arrays: ChunkArrays, start: int, stop: int) -> None:
        with lock:
            for name, (dims, values) in arrays.items():
                at = dims.index("draw")
                if name not in joined:
                    shape = (*values.shape[:at], bounds[-1][1], *values.shape[at + 1 :])
                    joined[name] = (dims, np.empty(shape, values.dtype))
                elif joined[name][1].dtype != values.dtype:  # never cast a chunk silently
                    raise TypeError(f"{name}: chunks of dtype {joined[name][1].dtype} and "
                                    f"{values.dtype}")  # fmt: skip
                joined[name][1][(slice(None),) * at + (slice(start, stop),)] = values

    with (
        _progress(bounds[-1][1], quiet) as bar,
        ThreadPoolExecutor(workers, thread_name_prefix="risk-condition") as run,
        ThreadPoolExecutor(max(1, workers // 2), thread_name_prefix="risk-booking") as book,
    ):
        simulated: list[Any] = []
        parts: list[Any] = []

        failed = threading.Event()

        def booked(i: int) -> None:
            try:
                keep(plan.book_chunk(simulated[i].result()), *bounds[i])
            except BaseException:
                failed.set()
                raise
            finally:
                simulated[i] = None  # its memory goes
                ahead.release()
            bar.update(bounds[i][1] - bounds[i][0])

        try:
            for i, (a, b) in enumerate(bounds):  # in order: chunk i never waits for a later one
                ahead.acquire()  # released when a chunk is booked (or fails)
                if failed.is_set():
                    break
                simulated.append(run.submit(plan.condition_chunk, a, b))
                parts.append(book.submit(booked, i))
            for f in parts:
                f.result()
        except BaseException:
            for f in (*simulated, *parts):  # no more chunks after a failed one
                if f is not None:
                    f.cancel()
            raise
    return [joined]


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
        Draws per task (default: :func:`~hmn_bygg.risk.chunks.default_chunk_draws`).
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
    reg, inputs = prepare_inputs(scenarios, register)
    uncertain = tuple(uncertain_inputs(scenarios))
    _check_keys(uncertain)
    first = next(iter(scenarios.values()))
    from hmn_bygg.finance.price_basis import basis_label

    attrs = {
        "seed": int(seed),
        "draws": int(draws),
        "vttg_target": float(first.model.targets.vttg_target.value),
        "area_target_m2": float(first.model.targets.area_target_m2.value),
        "price_basis": basis_label(first.model.price_basis) if book else inputs.price_basis,
        "uncertain_inputs": json.dumps(
            {u.key: [None if p is None else p.model_dump() for p in u.specs] for u in uncertain},
            ensure_ascii=False,
        ),
        "method": "Monte Carlo, one-factor Gaussian copula per group (hmn_bygg.risk.ensemble)",
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
    if chunk_draws:
        bounds = chunk_bounds(draws, chunk_draws)
    else:
        largest = default_chunk_draws(
            len(scenarios), len(inputs.years), reg.sizes["building"], draws, book=book
        )
        bounds = guided_bounds(draws, largest, scheduler_workers(scheduler))
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
            # dask's local scheduler starts independent tasks from the last key in sort
            # order: the first chunk (largest) gets the last key, so the chunks start in order
            dask_key_name=f"{prefix}-{len(bounds) - 1 - i:07d}",
        )
        for i, (a, b) in enumerate(bounds)
    ]
    parts: list[Any]
    if scheduler in (None, "threads") and folder is None and scheduler_workers(scheduler) > 1:
        parts = _threaded(plan, bounds, scheduler_workers(scheduler), quiet)
    else:
        parts = _compute(tasks, [b - a for a, b in bounds], scheduler, quiet)
    if folder is None:
        ds = plan.dataset(parts)
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
