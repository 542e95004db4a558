"""Benchmark: a Monte Carlo ensemble of one scenario on the bundled register (issue 5).

Target: 10 000 draws in under 10 s and under 2 GiB peak memory on a 2-core machine. Runs the
scenario ``today`` with a wear-speed and a budget-realisation uncertainty through
:func:`hmn_bygg.risk.run_ensemble` on the local threaded scheduler, condition model only
(``book=False``), then a smaller ensemble with the long-term budget booked per draw
(``book=True``) to give its cost per draw; writes JSON.

Usage::

    .venv/bin/python benchmarks/risk_ensemble.py [--draws 10000] [--quick]
        [--out benchmarks/results/risk_ensemble.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import time
from pathlib import Path

from hmn_bygg.config import load_scenarios
from hmn_bygg.io import write_json
from hmn_bygg.risk import declare, run_ensemble
from hmn_bygg.risk_summary import summarize
from hmn_bygg.run import register_for

DECLARATIONS = {
    "condition.wear_rate_factor": {
        "dist": "lognormal",
        "sigma": 0.15,
        "source": "assumption: benchmark",
    },
    "maintenance.budget_mnok": {
        "dist": "triangular",
        "low": 0.8,
        "mode": 1.0,
        "high": 1.05,
        "source": "assumption: benchmark",
    },
    "finance.projects.snr.cost_mnok": {
        "dist": "lognormal",
        "sigma": 0.2,
        "group": "construction_cost",
        "rho": 0.7,
        "source": "assumption: benchmark",
    },
}


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far [MiB] (Linux: ru_maxrss is in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    """Run the benchmark and write the JSON figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--book-draws", type=int, default=500)
    parser.add_argument("--chunk-draws", type=int, default=None)
    parser.add_argument("--quick", action="store_true", help="a few draws, for CI")
    parser.add_argument("--out", default="benchmarks/results/risk_ensemble.json")
    args = parser.parse_args()
    if args.quick:
        args.draws, args.book_draws = 64, 16
        args.out = args.out.replace(".json", "_quick.json")

    scenarios = load_scenarios(None, None, ["today"])
    scenarios = {k: declare(m, DECLARATIONS) for k, m in scenarios.items()}
    register = register_for(scenarios)
    rss_before = peak_rss_mib()

    t0 = time.perf_counter()
    ens = run_ensemble(
        scenarios,
        register,
        draws=args.draws,
        seed=2018,
        chunk_draws=args.chunk_draws,
        book=False,
        quiet=True,
    )
    t_condition = time.perf_counter() - t0
    t0 = time.perf_counter()
    summary = summarize(ens)
    t_summary = time.perf_counter() - t0
    rss_condition = peak_rss_mib()

    t0 = time.perf_counter()
    booked = run_ensemble(scenarios, register, draws=args.book_draws, seed=2018, quiet=True)
    t_book = time.perf_counter() - t0

    p50 = summary["vttg_region"].sel(quantile=0.5, year=2045).item()
    figures = {
        "what": "Monte Carlo ensemble of the scenario 'today' on the bundled register",
        "uncertain_inputs": sorted(DECLARATIONS),
        "buildings": int(ens.attrs.get("buildings", register.sizes["building"])),
        "years": int(ens.sizes["year"]),
        "draws": args.draws,
        "condition_only_seconds": t_condition,
        "condition_only_ms_per_draw": 1000 * t_condition / args.draws,
        "summarize_seconds": t_summary,
        "peak_rss_mib": rss_condition,
        "rss_before_run_mib": rss_before,
        "target_seconds": 10.0,
        "target_peak_mib": 2048,
        "meets_time_target": t_condition < 10.0,
        "meets_memory_target": rss_condition < 2048,
        "vttg_region_2045_p50": p50,
        "with_ltb_draws": args.book_draws,
        "with_ltb_seconds": t_book,
        "with_ltb_ms_per_draw": 1000 * t_book / args.book_draws,
        "with_ltb_liquidity_vars": sorted(v for v in booked.data_vars if "liquidity" in v),
        "scheduler": "threads",
        "cores": os.cpu_count(),
        "load_average_1min": os.getloadavg()[0],
        "machine": f"{platform.machine()}, {platform.python_version()}",
        "command": "python benchmarks/risk_ensemble.py" + (" --quick" if args.quick else ""),
    }
    write_json(figures, Path(args.out))
    print(json.dumps(figures, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
