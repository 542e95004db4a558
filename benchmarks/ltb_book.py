"""Benchmark: booking the long-term budget (:func:`hmn_bygg.finance.ltb.book`) on the bundled
register.

Targets: under 60 ms to book one scenario (the dashboard's what-if needs the whole update
under 300 ms); one deterministic scenario, condition and budget (``run_models``), at most
10 ms (issue 17). Measures ``book`` alone (the condition results simulated once beforehand,
register with the new buildings already loaded) for one scenario (``today``) and for all
bundled scenarios at once, and ``run_models`` of ``today`` on the loaded register (condition,
budget and price basis); writes JSON with the median and p90 of the repeats, the CPU time,
the machine and the load average.

Usage::

    .venv/bin/python benchmarks/ltb_book.py [--repeat 30] \
        [--out benchmarks/results/ltb_book.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

import numpy as np
from bench_common import machine_figures, times

from hmn_bygg.config import load_scenarios
from hmn_bygg.core.io import write_json
from hmn_bygg.engine.run import register_for, run_models
from hmn_bygg.finance import ltb
from hmn_bygg.stock import plan as scenario_portfolio


def time_book(names: list[str] | None, repeat: int) -> dict:
    """Time :func:`hmn_bygg.finance.ltb.book` on the results of the named scenarios.

    Parameters
    ----------
    names : list of str or None
        Scenarios to book (``None``: every bundled scenario).
    repeat : int
        Repetitions after one warm-up call.

    Returns
    -------
    dict
        ``scenarios`` (count), ``median_ms`` and ``p90_ms`` [ms], ``per_scenario_ms`` [ms].
    """
    scenarios = load_scenarios(None, None, names)
    register = scenario_portfolio.with_new_buildings(register_for(scenarios), scenarios)
    results = run_models(scenarios, register, book=False)
    taken = times(lambda: ltb.book(results, scenarios, register), repeat)
    median = 1000 * statistics.median(taken)
    return {
        "scenarios": len(scenarios),
        "median_ms": median,
        "p90_ms": 1000 * float(np.percentile(taken, 90)),
        "per_scenario_ms": median / len(scenarios),
    }


def time_run(names: list[str], repeat: int) -> dict:
    """Time :func:`hmn_bygg.engine.run.run_models` (condition and budget) of the named
    scenarios on the register already loaded.

    Returns
    -------
    dict
        ``scenarios`` (count), ``median_ms``, ``p90_ms`` and ``cpu_median_ms`` [ms].
    """
    scenarios = load_scenarios(None, None, names)
    register = register_for(scenarios)
    cpu: list[float] = []

    def one() -> None:
        c0 = time.process_time()
        run_models(scenarios, register)
        cpu.append(time.process_time() - c0)

    taken = times(one, repeat)
    return {
        "scenarios": len(scenarios),
        "median_ms": 1000 * statistics.median(taken),
        "p90_ms": 1000 * float(np.percentile(taken, 90)),
        "cpu_median_ms": 1000 * statistics.median(cpu[1:]),
    }


def main() -> None:
    """Run the benchmark and write the JSON figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--out", default="benchmarks/results/ltb_book.json")
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    one = time_book(["today"], args.repeat)
    every = time_book(None, args.repeat)
    deterministic = time_run(["today"], args.repeat)
    load_after = os.getloadavg()[0]
    figures = {
        "what": "ltb.book on the bundled register (results simulated beforehand)",
        "one_scenario": one,
        "all_scenarios": every,
        "target_ms": 60,
        "meets_target": one["median_ms"] < 60,
        "condition_and_budget": deterministic,
        "condition_and_budget_target_ms": 10,
        "meets_condition_and_budget_target": deterministic["median_ms"] <= 10,
        "repeat": args.repeat,
        **machine_figures(load_before, load_after),
        "command": "python benchmarks/ltb_book.py",
    }
    write_json(figures, Path(args.out))
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
