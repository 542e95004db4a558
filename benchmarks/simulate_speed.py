"""Benchmark: one deterministic scenario over 25 years on the bundled register.

Targets: under 50 ms per simulation after import (issue 3), and at most 10 ms for the whole
deterministic scenario, condition and budget (``run_models``, issue 17), on a 2-core machine.
Measures the simulation step (``simulate``: the year loop plus aggregation) and the whole
``run_models`` call (config → arrays → simulation → long-term budget, register already loaded),
the throughput in building-part-years per second, and two NumPy floors over an array of the same
size (:func:`numpy_floors`); writes JSON.

Usage::

    .venv/bin/python benchmarks/simulate_speed.py [--repeat 30] \
        [--out benchmarks/results/simulate_speed.json]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
from pathlib import Path

import numpy as np
from bench_common import times

from hmn_bygg.condition import wear as condition
from hmn_bygg.condition.simulate import simulate
from hmn_bygg.config import as_part_array, load_scenarios
from hmn_bygg.core.io import write_json
from hmn_bygg.engine.run import build_inputs, register_for, run_models


def numpy_floors(register, model, n_years: int, repeat: int) -> dict:
    """Time two NumPy floors over an array of the run's size ``(years, buildings, parts)``.

    Parameters
    ----------
    register : xr.Dataset
        The register.
    model : Model
        Supplies part lives and cost norms.
    n_years : int
        Years including the first.
    repeat : int
        Repetitions (the median is kept).

    Returns
    -------
    dict
        ``one_pass_median_ms``: a single elementwise pass ``a · x + b`` over a float array of
        ``years × buildings × parts`` (what any year loop must at least read and write once);
        ``wear_and_need_median_ms``: one vectorized wear curve and upgrade need over it (no
        money, no loop); and their throughputs in building-part-years per second.
    """
    life = as_part_array(model.condition.part_life_years).to_numpy()
    should = as_part_array(model.upgrade_cost.should_nok_per_m2).to_numpy()
    must = as_part_array(model.upgrade_cost.must_nok_per_m2).to_numpy()
    grade0 = np.nan_to_num(register["condition_grade"].to_numpy())
    area = register["floor_area"].to_numpy()[None, :, None]
    steps = np.arange(n_years, dtype=float)[:, None, None]
    x = np.broadcast_to(grade0, (n_years, *grade0.shape)).copy()
    y = np.empty_like(x)

    def one_pass() -> None:
        np.multiply(x, 1.01, out=y)
        np.add(y, 0.5, out=y)

    def wear_and_need() -> float:
        age = condition.effective_age(grade0, life, 1.0)[None] + steps
        grade = condition.wear_curve(age, life, 1.0)
        s, m = condition.upgrade_need(grade, area, should, must)
        return float((s + m).sum())

    bpy = grade0.size * (n_years - 1)
    t_one = statistics.median(times(one_pass, repeat))
    t_wear = statistics.median(times(wear_and_need, repeat))
    return {
        "one_pass_median_ms": 1000 * t_one,
        "one_pass_bpy_per_second": bpy / t_one,
        "wear_and_need_median_ms": 1000 * t_wear,
        "wear_and_need_bpy_per_second": bpy / t_wear,
    }


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
    t_sim = times(lambda: simulate(register, inputs), args.repeat)
    t_run = times(lambda: run_models(scenarios, register), args.repeat)
    n_items = register.sizes["building"] * register.sizes["part"]
    floors = numpy_floors(register, model, years + 1, args.repeat)
    bpy = n_items * years
    figures = {
        "what": "one deterministic scenario on the bundled register",
        "years_simulated": years,
        "buildings": register.sizes["building"],
        "building_part_years": n_items * years,
        "simulate_median_ms": 1000 * statistics.median(t_sim),
        "simulate_p90_ms": 1000 * float(np.percentile(t_sim, 90)),
        "simulate_bpy_per_second": bpy / statistics.median(t_sim),
        "run_models_median_ms": 1000 * statistics.median(t_run),
        "numpy_floor": floors,
        "simulate_vs_one_pass": statistics.median(t_sim) / floors["one_pass_median_ms"] * 1000,
        "simulate_vs_wear_and_need": statistics.median(t_sim)
        / floors["wear_and_need_median_ms"]
        * 1000,
        "target_ms": 50,
        "meets_target": statistics.median(t_sim) < 0.050,
        "run_models_target_ms": 10,  # issue 17: condition and budget of one scenario
        "meets_run_models_target": statistics.median(t_run) <= 0.010,
        "repeat": args.repeat,
        "machine": f"{platform.machine()}, {platform.python_version()}",
        "command": "python benchmarks/simulate_speed.py",
    }
    write_json(figures, Path(args.out))
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
