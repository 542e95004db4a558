"""Benchmark: the Monte Carlo ensemble **with liquidity** on a national-scale register (issue 17).

Target (issue 17): 3 000 buildings × 1 000 draws of one scenario with the long-term budget
booked per draw, through dask: time linear in the number of buildings, peak memory at most
2 GiB. Runs :func:`hmn_bygg.risk.ensemble.run_ensemble` (``book=True``, dask's local threaded
scheduler, draws written chunk by chunk to netCDF with ``store=``) on the bundled register
tiled to each size in ``--buildings`` (:func:`national_scale.tiled_register`, budgets scaled
with the stock as in that benchmark), and writes JSON with wall and CPU time per size, the CPU
time per building relative to the smallest size (1 = linear), the ratio to the floor of
:func:`risk_ensemble.floor_cpu_seconds` measured in the same process for the same size (one
multiply and one add a simulated year over every draw × building-part), peak memory and the
load average.

Usage::

    .venv/bin/python benchmarks/risk_national.py [--buildings 1000 3000] [--draws 1000]
        [--out benchmarks/results/risk_national.json] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from pathlib import Path

from bench_common import machine_figures
from national_scale import tiled_register
from risk_ensemble import floor_cpu_seconds

from hmn_bygg.config import HFS, apply_overrides, load_scenarios
from hmn_bygg.core.io import write_json
from hmn_bygg.engine.run import register_for
from hmn_bygg.risk.ensemble import run_ensemble

TARGET_PEAK_MIB = 2048
"""Issue 17: peak memory of 3 000 buildings × 1 000 draws with liquidity [MiB]."""
LINEAR_WITHIN = 1.25
"""Linear in buildings: CPU per building at the largest size at most this times that at the
smallest [-] (a measure of this benchmark, not of the issue: the machine's noise between two
runs a minute apart is up to about 20 %)."""


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far [MiB] (Linux: ru_maxrss is in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one_size(n_buildings: int, draws: int) -> dict:
    """Wall and CPU time [s] of ``draws`` draws with liquidity on ``n_buildings`` buildings."""
    base = load_scenarios(None, None, ["today"])
    bundled = register_for(base)
    factor = n_buildings / bundled.sizes["building"]
    budget = base["today"].maintenance.budget_mnok.value
    national = {
        "model.plan_start": 2019,
        "maintenance.budget_mnok": {h: float(budget[h]) * factor for h in HFS},
    }
    scenarios = {k: apply_overrides(m, national) for k, m in base.items()}
    register = tiled_register(bundled, n_buildings)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        t0, c0 = time.perf_counter(), time.process_time()
        ens = run_ensemble(
            scenarios, register, draws=draws, seed=2018, store=Path(tmp) / "e", quiet=True
        )
        liquidity = float(ens["liquidity_region"].isel(year=-1).mean())
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        n_years = int(ens.sizes["year"])
        ens.close()
    floor = floor_cpu_seconds(register.sizes["building"] * register.sizes["part"], n_years, draws)
    return {
        "buildings": n_buildings,
        "draws": draws,
        "seconds": wall,
        "cpu_seconds": cpu,
        "cpu_ms_per_draw": 1000 * cpu / draws,
        "floor_cpu_seconds": floor,
        "floor_ratio": cpu / floor,
        "liquidity_region_last_year_mean_mnok": liquidity,
        "load_average_1min_before": load_before,
        "load_average_1min_after": os.getloadavg()[0],
    }


def main() -> None:
    """Run the benchmark and write the JSON figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buildings", type=int, nargs="+", default=[1000, 3000])
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--out", default="benchmarks/results/risk_national.json")
    parser.add_argument(
        "--quick", action="store_true", help="300 and 600 buildings × 16 draws, to *_quick.json"
    )
    args = parser.parse_args()
    if args.quick:
        args.buildings, args.draws = [300, 600], 16
        args.out = args.out.replace(".json", "_quick.json")
    load_before = os.getloadavg()[0]
    one_size(300, 32)  # warm up (compiled kernels)
    sizes = [one_size(n, args.draws) for n in sorted(args.buildings)]
    first = sizes[0]
    for row in sizes:
        row["cpu_per_building_vs_smallest"] = (row["cpu_seconds"] / row["buildings"]) / (
            first["cpu_seconds"] / first["buildings"]
        )
    peak = peak_rss_mib()
    largest = sizes[-1]
    linear = largest["cpu_per_building_vs_smallest"] <= LINEAR_WITHIN
    figures = {
        "what": "Monte Carlo with the long-term budget booked per draw, tiled register, dask "
        "threads with store= (netCDF per chunk)",
        "sizes": sizes,
        "peak_rss_mib": peak,
        "target_peak_mib": TARGET_PEAK_MIB,
        "meets_memory_target": peak <= TARGET_PEAK_MIB,
        "largest": largest,
        "linear_within": LINEAR_WITHIN,
        "meets_linear_target": linear,
        "meets_targets": linear and peak <= TARGET_PEAK_MIB,
        **machine_figures(load_before, os.getloadavg()[0]),
        "command": "python benchmarks/risk_national.py"
        + (
            " --quick"
            if args.quick
            else f" --buildings {' '.join(map(str, args.buildings))} --draws {args.draws}"
        ),
    }
    write_json(figures, Path(args.out))
    print(json.dumps(figures, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
