"""Benchmark: a Monte Carlo ensemble of one scenario on the bundled register (issues 5, 17).

Targets (issue 17, 2 cores, quiet machine): 10 000 draws **with the long-term budget booked per
draw** (liquidity for every HF) in at most 5 s wall and 1 GiB, at most 15 times the floor; the
condition model alone for 10 000 draws in at most 2 s wall. The floor is measured in the same
process (:func:`floor_cpu_seconds`): for every simulated year one multiply and one add over all
draws × building-parts, in blocks of 64 draws so that the arrays stay in cache as the engine's
do; every ratio is CPU time over the floor's CPU time for the same draws, so that a loaded
machine stretches both. Each mode runs ``--repeat`` times (3), the modes alternating, and every
figure is the median over the runs, each run's floor measured right after it.

Runs the scenario ``today`` with the bundled model's own ``uncertainty:`` declarations through
:func:`hmn_bygg.risk.ensemble.run_ensemble` on the local threaded scheduler, condition model only
(``book=False``), then with the long-term budget booked per draw (``book=True``), and a
CPU-time profile of one chunk of each by component (:func:`profile_components`); writes JSON.

The machine may be shared: the JSON records the CPU time of the process next to the wall
time, and the load average before and after, so that a wall time stretched by other work shows
as such.

Usage::

    .venv/bin/python benchmarks/risk_ensemble.py [--draws 10000] [--book-draws 10000] [--repeat 3]
        [--quick] [--out benchmarks/results/risk_ensemble.json]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import resource
import statistics
import time
from pathlib import Path

from bench_common import machine_figures

from hmn_bygg.config import load_scenarios
from hmn_bygg.core.io import write_json
from hmn_bygg.engine.run import prepare_inputs, register_for
from hmn_bygg.risk import chunks
from hmn_bygg.risk import ensemble as risk
from hmn_bygg.risk.ensemble import run_ensemble
from hmn_bygg.risk.inputs import uncertain_inputs
from hmn_bygg.risk.summary import summarize

COMPONENTS = {
    # label: (function qualname suffixes whose cumulative time counts, minus these)
    "year loop, compiled: wear, water-filling, measures, sums (lane_kernel.run_lanes, "
    "year_kernel._run_rows)": (
        ["run_lanes", "_run_rows"],
        [],
    ),
    "rest of the year loop: totals; the general path when taken (simulate._Block.run)": (
        ["run@simulate"],
        ["run_lanes", "_run_rows"],
    ),
    "coefficients per block of rows (simulate._Block)": (
        ["__init__@simulate"],
        ["service_rows"],
    ),
    "in service per distinct set of open and disposal years (condition.in_service)": (
        ["service_rows"],
        [],
    ),
    "draws, stacking and result Dataset (risk)": (
        ["run_chunk"],
        ["simulate_totals@simulate"],
    ),
}
"""Components of the per-draw CPU time in the profile."""


BOOK_COMPONENTS = {
    "booking the budget (risk.booking.book_aggregates)": (["book_aggregates@booking"], []),
    "project flows (finance.project_flows)": (["stack_projects"], []),
    "state loans (finance.nominal.project_loans)": (["project_loans"], []),
    "disposal plans of the draws (risk.booking.booking_disposals)": (["booking_disposals"], []),
    "condition (condition.simulate)": (["simulate_totals@simulate"], []),
}
"""Components of the per-draw CPU time of a chunk with the budget booked."""

TARGETS = {
    "with_liquidity_seconds": 5.0,
    "with_liquidity_peak_mib": 1024,
    "with_liquidity_floor_ratio": 15.0,
    "condition_only_seconds": 2.0,
}
"""Issue 17's targets for 10 000 draws (wall [s] on 2 quiet cores, peak memory [MiB], ratio to
the floor [-])."""


def floor_cpu_seconds(n_items: int, n_years: int, draws: int, repeat: int = 3) -> float:
    """CPU time of the floor for ``draws`` draws [s], median of ``repeat`` runs.

    For every simulated year (``n_years - 1``), one multiply and one add over ``64 × n_items``
    floats, for each block of 64 draws (the engine's :data:`ROW_BLOCK`): the least any engine
    that steps every draw's building-parts through the years must do.
    """
    import numpy as np

    from hmn_bygg.condition.simulate import ROW_BLOCK

    rng = np.random.default_rng(0)
    x = rng.random((ROW_BLOCK, n_items))
    a, b = rng.random(n_items) * 0.01 + 1.0, rng.random(n_items) * 0.01
    blocks = -(-draws // ROW_BLOCK)
    out = []
    for _ in range(repeat):
        c0 = time.process_time()
        for _ in range(blocks):
            for _ in range(n_years - 1):
                np.multiply(x, a, out=x)
                np.add(x, b, out=x)
        out.append(time.process_time() - c0)
        x[...] = rng.random(x.shape)
    return float(sorted(out)[len(out) // 2])


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far [MiB] (Linux: ru_maxrss is in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def profile_components(scenarios, register, draws: int, book: bool = False) -> dict:
    """CPU time per draw of each component of one chunk of ``draws`` draws [ms], by cProfile.

    Parameters
    ----------
    scenarios : mapping of str to Model
        The scenarios.
    register : xr.Dataset
        The register.
    draws : int
        Draws in the profiled chunk (one task, in this thread).
    book : bool
        Book the long-term budget per draw (components :data:`BOOK_COMPONENTS`).

    Returns
    -------
    dict
        ``{"draws", "total_ms_per_draw", "components_ms_per_draw": {label: ms}}``; the profiler
        adds its own overhead (a few per cent) to every function call.
    """
    reg, inputs = prepare_inputs(scenarios, register)
    plan = risk.EnsemblePlan(
        reg,
        inputs,
        tuple(scenarios.values()),
        tuple(uncertain_inputs(scenarios)),
        risk.base_budgets(scenarios, inputs.years),
        2018,
        book,
        {},
    )
    plan.run_chunk(0, min(draws, 64))  # warm up
    prof = cProfile.Profile(time.process_time)
    prof.enable()
    plan.run_chunk(0, draws)
    prof.disable()
    stats = pstats.Stats(prof).stats  # {(file, line, name): (cc, nc, tt, ct, callers)}

    def cumulative(name: str) -> float:
        func, _, module = name.partition("@")
        return sum(
            v[3]
            for (file, _, fn), v in stats.items()
            if fn == func and (not module or Path(file).stem == module)
        )

    out = {}
    for label, (plus, minus) in (BOOK_COMPONENTS if book else COMPONENTS).items():
        value = sum(cumulative(n) for n in plus) - sum(cumulative(n) for n in minus)
        out[label] = round(1000 * value / draws, 4)
    total = cumulative("run_chunk")
    return {
        "draws": draws,
        "total_ms_per_draw": round(1000 * total / draws, 4),
        "components_ms_per_draw": out,
    }


def timed_run(
    scenarios, register, draws: int, chunk_draws: int | None, book: bool, n_items: int
) -> tuple:
    """One ensemble of ``draws`` draws and its figures: wall and CPU [s], the floor [s] measured
    right after it (:func:`floor_cpu_seconds`), their ratio and the load average."""
    load = os.getloadavg()[0]
    t0, c0 = time.perf_counter(), time.process_time()
    ens = run_ensemble(
        scenarios,
        register,
        draws=draws,
        seed=2018,
        chunk_draws=chunk_draws,
        book=book,
        quiet=True,
    )
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    load_after = os.getloadavg()[0]
    floor = floor_cpu_seconds(n_items, int(ens.sizes["year"]), draws)
    return ens, {
        "seconds": wall,
        "cpu_seconds": cpu,
        "floor_cpu_seconds": floor,
        "floor_ratio": cpu / floor,
        "load_average_1min_before": load,
        "load_average_1min_after": load_after,
    }


def _medians(runs: list[dict]) -> dict:
    """Median of each figure over ``runs``."""
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def main() -> None:
    """Run the benchmark and write the JSON figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--book-draws", type=int, default=10_000)
    parser.add_argument("--profile-draws", type=int, default=640)
    parser.add_argument("--chunk-draws", type=int, default=None)
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each mode, alternating; medians"
    )
    parser.add_argument("--quick", action="store_true", help="a few draws, for CI")
    parser.add_argument("--out", default="benchmarks/results/risk_ensemble.json")
    args = parser.parse_args()
    if args.quick:
        args.draws, args.book_draws, args.profile_draws, args.repeat = 64, 64, 32, 1
        args.out = args.out.replace(".json", "_quick.json")

    scenarios = load_scenarios(None, None, ["today"])
    register = register_for(scenarios)
    declared = [u.key for u in uncertain_inputs(scenarios)]
    for book in (False, True):  # warm up both modes: compiled code, caches of the process
        run_ensemble(scenarios, register, draws=32, seed=1, book=book, quiet=True)
    rss_before = peak_rss_mib()
    n_items = register.sizes["building"] * register.sizes["part"]

    load_before = os.getloadavg()[0]
    runs: dict[bool, list[dict]] = {False: [], True: []}
    for _ in range(args.repeat):  # the two modes alternate, so that a slow spell hits both
        for book in (False, True):
            draws = args.book_draws if book else args.draws
            ens, figures_run = timed_run(
                scenarios, register, draws, args.chunk_draws, book, n_items
            )
            runs[book].append(figures_run)
            if book:
                booked = ens
            else:
                if not runs[True]:  # before any booked run: the condition model's own peak
                    rss_condition = peak_rss_mib()
                t0 = time.perf_counter()
                summary = summarize(ens)
                t_summary = time.perf_counter() - t0
    load_after = os.getloadavg()[0]
    rss_book = peak_rss_mib()
    condition, book_run = _medians(runs[False]), _medians(runs[True])
    t_condition, c_condition = condition["seconds"], condition["cpu_seconds"]
    t_book, c_book = book_run["seconds"], book_run["cpu_seconds"]
    floor_condition, floor_book = condition["floor_cpu_seconds"], book_run["floor_cpu_seconds"]
    ratio_condition, ratio_book = condition["floor_ratio"], book_run["floor_ratio"]

    profile = profile_components(scenarios, register, args.profile_draws)
    profile_book = profile_components(scenarios, register, args.profile_draws, book=True)

    band = summary["vttg_region"].sel(year=2045).values.ravel()
    years = int(ens.sizes["year"])
    n_b, workers = int(register.sizes["building"]), chunks.scheduler_workers(None)
    largest = {
        "condition_only": chunks.default_chunk_draws(1, years, n_b, args.draws),
        "with_ltb": chunks.default_chunk_draws(1, years, n_b, args.book_draws, book=True),
    }
    figures = {
        "what": "Monte Carlo ensemble of the scenario 'today' on the bundled register",
        "uncertain_inputs": declared,
        "buildings": int(register.sizes["building"]),
        "years": years,
        "draws": args.draws,
        "condition_only_seconds": t_condition,
        "condition_only_cpu_seconds": c_condition,
        "condition_only_ms_per_draw": 1000 * t_condition / args.draws,
        "condition_only_cpu_ms_per_draw": 1000 * c_condition / args.draws,
        "condition_only_floor_ratio": ratio_condition,
        "building_part_years_per_second": args.draws * n_items * (years - 1) / t_condition,
        "summarize_seconds": t_summary,
        "peak_rss_mib": rss_condition,
        "rss_before_run_mib": rss_before,
        "floor_cpu_seconds": floor_condition,
        "floor_cpu_ms_per_2000_draws": 1000 * floor_condition * 2000 / args.draws,
        "floor": "per simulated year one multiply and one add over 64 draws × building-parts, "
        "for each block of 64 draws (CPU time, median of 3, this process)",
        "target_seconds": 10.0,
        "target_peak_mib": 2048,
        "meets_time_target": t_condition < 10.0,
        "meets_memory_target": rss_condition < 2048,
        "targets_issue_17": TARGETS,
        "meets_condition_only_target": t_condition <= TARGETS["condition_only_seconds"],
        "vttg_region_2045_p10_p50_p90": [round(float(x), 4) for x in band],
        "profile_cpu": profile,
        "profile_cpu_with_ltb": profile_book,
        "with_ltb_draws": args.book_draws,
        "with_ltb_seconds": t_book,
        "with_ltb_cpu_seconds": c_book,
        "with_ltb_ms_per_draw": 1000 * t_book / args.book_draws,
        "with_ltb_cpu_ms_per_draw": 1000 * c_book / args.book_draws,
        "with_ltb_floor_cpu_seconds": floor_book,
        "with_ltb_floor_ratio": ratio_book,
        "with_ltb_peak_rss_mib": rss_book,
        "with_ltb_load_average_1min_before": runs[True][0]["load_average_1min_before"],
        "with_ltb_load_average_1min_after": runs[True][-1]["load_average_1min_after"],
        "repeat": args.repeat,
        "median_of": "every figure of a mode (wall, CPU, floor, ratio) is the median over the "
        "runs; the floor is measured right after each run, and each run's ratio is its CPU "
        "time over its own floor",
        "runs_condition_only": runs[False],
        "runs_with_ltb": runs[True],
        "meets_with_liquidity_time_target": args.book_draws >= 10_000
        and t_book <= TARGETS["with_liquidity_seconds"],
        "meets_with_liquidity_memory_target": rss_book <= TARGETS["with_liquidity_peak_mib"],
        "meets_with_liquidity_ratio_target": ratio_book <= TARGETS["with_liquidity_floor_ratio"],
        "with_ltb_liquidity_vars": sorted(v for v in booked.data_vars if "liquidity" in v),
        "scheduler": "threads",
        "chunk_draws": args.chunk_draws or "default",
        "chunk_draws_used": {mode: args.chunk_draws or n for mode, n in largest.items()},
        "chunks_used": {  # the largest first, smaller towards the end (guided_bounds)
            mode: [b - a for a, b in chunks.guided_bounds(n, largest[mode], workers)]
            if not args.chunk_draws
            else "chunk_draws each"
            for mode, n in (("condition_only", args.draws), ("with_ltb", args.book_draws))
        },
        **machine_figures(load_before, load_after),
        "command": "python benchmarks/risk_ensemble.py" + (" --quick" if args.quick else ""),
    }
    write_json(figures, Path(args.out))
    print(json.dumps(figures, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
