"""Benchmark: one deterministic scenario over 25 years on the bundled register.

Target (issue 3): under 50 ms per run after import, on a 2-core machine. Measures the
simulation step (``simulate``: the year loop plus aggregation) and the whole ``run_models``
call (config → arrays → simulation, register already loaded), and writes JSON.

Usage::

    .venv/bin/python benchmarks/simulate_speed.py [--repeat 30] \
        [--out benchmarks/results/simulate_speed.json]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from pathlib import Path

import numpy as np

from hmn_bygg.config import load_scenarios
from hmn_bygg.io import write_json
from hmn_bygg.run import build_inputs, register_for, run_models
from hmn_bygg.simulate import simulate


def _times(fn, repeat: int) -> list[float]:
    fn()  # warm up
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def main() -> None:
    """Run the benchmark and write the JSON figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--out", default="benchmarks/results/simulate_speed.json")
    args = parser.parse_args()

    scenarios = load_scenarios(None, None, ["today"])
    model = scenarios["today"]
    register = register_for(scenarios)
    years = model.model.end_year - model.model.start_year
    inputs = build_inputs(register, scenarios)
    t_sim = _times(lambda: simulate(register, inputs), args.repeat)
    t_run = _times(lambda: run_models(scenarios, register), args.repeat)
    n_items = register.sizes["building"] * register.sizes["part"]
    figures = {
        "what": "one deterministic scenario on the bundled register",
        "years_simulated": years,
        "buildings": register.sizes["building"],
        "building_part_years": n_items * years,
        "simulate_median_ms": 1000 * statistics.median(t_sim),
        "simulate_p90_ms": 1000 * float(np.percentile(t_sim, 90)),
        "run_models_median_ms": 1000 * statistics.median(t_run),
        "target_ms": 50,
        "meets_target": statistics.median(t_sim) < 0.050,
        "repeat": args.repeat,
        "machine": f"{platform.machine()}, {platform.python_version()}",
        "command": "python benchmarks/simulate_speed.py",
    }
    write_json(figures, Path(args.out))
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
