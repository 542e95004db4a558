"""Benchmark: a national-scale synthetic register through the Monte Carlo engine (issue 5).

(b) 3 000 buildings × 1 000 draws of one scenario (the bundled model's own uncertainty
    declarations) through dask (local threaded scheduler), draws written chunk by chunk to
    netCDF (``store=``), target under 4 GiB peak memory;
(c) the deterministic single scenario: throughput in building-part-years per second, set
    against a measured floor, one vectorized NumPy pass of wear and upgrade need over an
    array of the same size (years × buildings × parts).

The register is made by tiling the bundled one (``hmn_bygg.register.synth`` is calibrated to the 292
buildings of Tabell 1 and does not scale): copy ``i`` of each building gets the id
``<id>~<i>``, its floor area times U(0.8, 1.2) and its part grades plus U(−0.3, 0.3) (clipped
to 0–3), all from a seeded generator. HF budgets are scaled by the tiling factor so that money
per m² stays as in the bundled model.

Usage::

    .venv/bin/python benchmarks/national_scale.py [--buildings 3000] [--draws 1000] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import xarray as xr
from bench_common import machine_figures

from hmn_bygg.condition import wear as condition
from hmn_bygg.condition.simulate import simulate
from hmn_bygg.config import HFS, apply_overrides, as_part_array, load_scenarios
from hmn_bygg.core.io import write_json
from hmn_bygg.engine.run import prepare_inputs, register_for
from hmn_bygg.risk.ensemble import run_ensemble
from hmn_bygg.risk.inputs import uncertain_inputs
from hmn_bygg.risk.summary import summarize


def tiled_register(register: xr.Dataset, n_buildings: int, seed: int = 2018) -> xr.Dataset:
    """Return ``n_buildings`` buildings made by tiling and perturbing ``register``."""
    rng = np.random.default_rng(seed)
    copies = -(-n_buildings // register.sizes["building"])
    parts = []
    for i in range(copies):
        ids = [f"{b}~{i}" for b in register["building"].values.astype(str)]
        parts.append(register.assign_coords(building=ids))
    big = xr.concat(parts, dim="building", data_vars="minimal", coords="minimal")
    big = big.isel(building=slice(0, n_buildings))
    area = big["floor_area"] * rng.uniform(0.8, 1.2, big.sizes["building"])
    grade = big["condition_grade"] + rng.uniform(-0.3, 0.3, big["condition_grade"].shape)
    big["floor_area"] = area.astype(float)
    big["condition_grade"] = grade.clip(0.0, 3.0).where(big["condition_grade"].notnull())
    return big


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far [MiB]."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _median_time(fn, repeat: int) -> float:
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def throughput(register: xr.Dataset, scenarios, repeat: int) -> dict:
    """Deterministic single scenario vs a one-pass NumPy floor, in building-part-years/s."""
    reg, inputs = prepare_inputs(scenarios, register)
    n_b, n_p, n_y = reg.sizes["building"], reg.sizes["part"], len(inputs.years)
    t_sim = _median_time(lambda: simulate(reg, inputs), repeat)
    model = next(iter(scenarios.values()))
    life = as_part_array(model.condition.part_life_years).to_numpy()
    should = as_part_array(model.upgrade_cost.should_nok_per_m2).to_numpy()
    must = as_part_array(model.upgrade_cost.must_nok_per_m2).to_numpy()
    grade0 = np.nan_to_num(reg["condition_grade"].to_numpy())
    area = reg["floor_area"].to_numpy()[None, :, None]
    steps = np.arange(n_y, dtype=float)[:, None, None]

    def floor() -> float:
        age = condition.effective_age(grade0, life, 1.0)[None] + steps  # (Y, B, P)
        grade = condition.wear_curve(age, life, 1.0)
        s, m = condition.upgrade_need(grade, area, should, must)
        return float((s + m).sum())

    t_floor = _median_time(floor, repeat)
    items = n_b * n_p * (n_y - 1)
    return {
        "buildings": n_b,
        "building_part_years": items,
        "simulate_seconds": t_sim,
        "simulate_bpy_per_second": items / t_sim,
        "numpy_floor_seconds": t_floor,
        "numpy_floor_bpy_per_second": items / t_floor,
        "simulate_vs_floor": t_sim / t_floor,
        "floor": "one vectorized wear-curve + upgrade-need pass over (years, buildings, parts)",
    }


def main() -> None:
    """Run the benchmark and write the JSON figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buildings", type=int, default=3000)
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--chunk-draws", type=int, default=None)
    parser.add_argument("--quick", action="store_true", help="small sizes, for CI")
    parser.add_argument("--out", default="benchmarks/results/national_scale.json")
    args = parser.parse_args()
    repeat = 5
    if args.quick:
        args.buildings, args.draws, repeat = 400, 8, 1
        args.out = args.out.replace(".json", "_quick.json")

    base = load_scenarios(None, None, ["today"])
    bundled = register_for(base)
    factor = args.buildings / bundled.sizes["building"]
    budget = base["today"].maintenance.budget_mnok.value
    scaled = {h: float(budget[h]) * factor for h in HFS}
    # a national model: the budget scaled with the stock in every year, so it plans from the
    # year after the survey (no history years for a decision to change)
    national = {"model.plan_start": 2019, "maintenance.budget_mnok": scaled}
    scenarios = {
        k: apply_overrides(m, national) for k, m in base.items()
    }  # the bundled model's own uncertainty declarations
    register = tiled_register(bundled, args.buildings)

    figures_c = {
        "bundled": throughput(bundled, base, repeat),
        "national": throughput(register, scenarios, repeat),
    }
    rss_before = peak_rss_mib()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        t0, c0 = time.perf_counter(), time.process_time()
        ens = run_ensemble(
            scenarios,
            register,
            draws=args.draws,
            seed=2018,
            chunk_draws=args.chunk_draws,
            store=Path(tmp) / "ensemble",
            book=False,
            quiet=True,
        )
        t_run, c_run = time.perf_counter() - t0, time.process_time() - c0
        load_after = os.getloadavg()[0]
        t0 = time.perf_counter()
        summary = summarize(ens)
        t_sum = time.perf_counter() - t0
        files = len(list((Path(tmp) / "ensemble").glob("part-*.nc")))
        ens.close()
    figures = {
        "what": "tiled national-scale register, one scenario, Monte Carlo through dask",
        "register": "bundled register tiled and perturbed (seed 2018), budgets scaled",
        "buildings": args.buildings,
        "draws": args.draws,
        "years": int(summary.sizes["year"]),
        "uncertain_inputs": [u.key for u in uncertain_inputs(scenarios)],
        "ensemble_seconds": t_run,
        "ensemble_cpu_seconds": c_run,
        "ensemble_ms_per_draw": 1000 * t_run / args.draws,
        "ensemble_cpu_ms_per_draw": 1000 * c_run / args.draws,
        "summarize_seconds": t_sum,
        "chunk_files": files,
        "peak_rss_mib": peak_rss_mib(),
        "rss_before_ensemble_mib": rss_before,
        "target_peak_mib": 4096,
        "meets_memory_target": peak_rss_mib() < 4096,
        "vttg_region_last_year_p10_p50_p90": summary["vttg_region"]
        .isel(year=-1)
        .values.ravel()
        .round(4)
        .tolist(),
        "throughput_deterministic": figures_c,
        "scheduler": "threads, store= (netCDF per chunk)",
        **machine_figures(load_before, load_after),
        "command": "python benchmarks/national_scale.py" + (" --quick" if args.quick else ""),
    }
    write_json(figures, Path(args.out))
    print(json.dumps(figures, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
