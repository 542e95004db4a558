"""Benchmark: the best plan's MILP (:func:`hmn_bygg.solve.plan_solve.optimise`) on the bundled
register.

Target (issue 21): the bundled register (292 buildings, 19 plan years) solves to a 1 % gap in
under 60 s on 2 cores. Measures, separately: measuring the coefficients with the engine
(:func:`hmn_bygg.solve.plan_data.measure_plan_data`, one baseline and the pulse scenarios), the
MILP with its LP for shadow prices (``optimise``, the question ``--target 1.2 --by 2035 --area
650000 --area-by 2032``), and as the floor one engine run of the scenario (``run_models``,
condition and booking) in the same process; writes JSON with medians, the MIP gap reached,
CPU time, peak memory and the load average. The full command also runs rounds of
simulate-and-solve again (``hmn-bygg solve plan``); each round costs about one ``optimise``
plus two engine runs.

Usage::

    .venv/bin/python benchmarks/solve_plan.py [--repeat 3] \
        [--out benchmarks/results/solve_plan.json]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import time
from pathlib import Path

from bench_common import machine_figures

from hmn_bygg.config import load_scenarios
from hmn_bygg.core.io import write_json
from hmn_bygg.engine.run import register_for, run_models
from hmn_bygg.solve.plan_data import measure_plan_data
from hmn_bygg.solve.plan_model import Targets
from hmn_bygg.solve.plan_options import load_plan_options
from hmn_bygg.solve.plan_solve import optimise


def timed(fn) -> tuple[float, float, object]:
    """Return wall and CPU seconds of one call, and its result."""
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - w, time.process_time() - c, out


def main() -> None:
    """Run the benchmark and write the JSON figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", default="benchmarks/results/solve_plan.json")
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    model = load_scenarios(None, None, ["today"])["today"]
    register = register_for({"today": model})
    options = load_plan_options()
    goal = Targets(1.2, 2035, 650000.0, 2032, float(model.finance.discount_rate.value))
    run_models({"today": model}, register)  # warm-up (compiled kernels)
    floor = [timed(lambda: run_models({"today": model}, register))[0] for _ in range(args.repeat)]
    measure = [
        timed(lambda: measure_plan_data(model, options, register)) for _ in range(args.repeat)
    ]
    data = measure[-1][2]
    solves = [timed(lambda: optimise(data, goal, options)) for _ in range(args.repeat)]
    sol = solves[-1][2]
    load_after = os.getloadavg()[0]
    median_solve = statistics.median(s[0] for s in solves)
    median_floor = statistics.median(floor)
    figures = {
        "what": "solve plan's MILP on the bundled register (292 buildings, 19 plan years)",
        "buildings": int(data.building.size),
        "plan_years": int(data.years.size),
        "measure_coefficients_s": statistics.median(m[0] for m in measure),
        "milp_and_lp_s": median_solve,
        "milp_and_lp_cpu_s": statistics.median(s[1] for s in solves),
        "status": f"{sol.status}/{sol.termination}",  # type: ignore[attr-defined]
        "mip_gap": sol.mip_gap,  # type: ignore[attr-defined]
        "floor_engine_run_s": median_floor,
        "ratio_to_floor": median_solve / median_floor,
        "target_s": 60,
        "meets_target": median_solve < 60 and (sol.mip_gap or 0.0) <= 0.01,  # type: ignore[attr-defined]
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "repeat": args.repeat,
        **machine_figures(load_before, load_after),
        "command": "python benchmarks/solve_plan.py",
    }
    write_json(figures, Path(args.out))
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
