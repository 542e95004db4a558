"""Benchmark: what-if latency and server memory under 20 concurrent dashboard sessions.

Starts the dashboard (``hmn-bygg serve``) on 127.0.0.1; after a warm-up of two sessions,
opens 20 sessions at once, each in its own headless Chromium context, and has each set its
own "Ekstra vedlikehold" value at the same moment, ``--rounds`` times (the driving is
``tests.harness.run_load``, shared with ``tests/test_dashboard_load.py``).
Per change it times, from the input:

- ``first_chart_ms``: until the session's VTTG chart data source changed in its browser;
- ``full_update_ms``: until its key figures hold the result with the finances.

Writes p50/p90/p99 (and max) of both [ms], the server's resident memory [MiB] after the
warm-up, at the peak, and after every session was closed and destroyed, with the machine,
date and command, to JSON. Each session's last result is checked against
:func:`hmn_bygg.engine.run.run_models` computed directly (``results_match``).

Usage::

    .venv/bin/python benchmarks/dashboard_load.py [--sessions 20] [--rounds 3] [--quick]
        [--out benchmarks/results/dashboard_load.json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import shlex
import sys
from pathlib import Path

from hmn_bygg.core.io import write_json
from hmn_bygg.core.paths import project_root

# The browser harness lives with the tests (not in the installed package): the repo root
# goes on the path so that ``tests.harness`` imports however this script is started.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.harness import (
    expected_whatif,
    machine_info,
    run_load,
    start_server,
    stop_server,
)


def main() -> None:
    """Run the benchmark and write the JSON figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3, help="changes per session (1–3)")
    parser.add_argument("--quick", action="store_true", help="4 sessions, 1 round, for CI")
    parser.add_argument("--out", default="benchmarks/results/dashboard_load.json")
    args = parser.parse_args()
    if args.quick:
        args.sessions, args.rounds = 4, 1
        args.out = args.out.replace(".json", "_quick.json")
    if not 1 <= args.sessions <= 20 or not 1 <= args.rounds <= 3:
        parser.error("--sessions must be 1–20 and --rounds 1–3 (the slider ends at 600)")

    proc, url = start_server(home=project_root() / ".home" / "bench_dashboard_load")
    try:
        load = run_load(url, proc.pid, sessions=args.sessions, rounds=args.rounds)
    finally:
        stop_server(proc)

    expected = expected_whatif([r.extra for r in load.sessions])
    match = all(
        math.isclose(r.vttg_end, expected[r.extra]["vttg_end"], abs_tol=1e-9)
        and r.liquidity_min is not None
        and math.isclose(r.liquidity_min, expected[r.extra]["liquidity_min"], abs_tol=1e-6)
        for r in load.sessions
    )
    figures = {
        "what": (
            f"{args.sessions} concurrent browser sessions (pages of one headless Chromium) on one "
            "dashboard server on 127.0.0.1, each setting its own extra maintenance at the same "
            f"moment, {args.rounds} time(s); bundled register, scenario 'today'"
        ),
        **load.summary(),
        "results_match": match,
        "console_errors": sum(len(r.errors) for r in load.sessions),
        "external_requests": sum(len(r.external) for r in load.sessions),
        "per_session": [
            {"extra": r.extra, "first_ms": r.first_ms, "full_ms": r.full_ms} for r in load.sessions
        ],
        "machine": machine_info(),
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": shlex.join(["python", *sys.argv]),
    }
    out = Path(args.out)
    write_json(figures, out)
    first, full = figures["first_chart_ms"], figures["full_update_ms"]
    print(
        f"{args.sessions} sessions x {args.rounds}: first chart p50 {first['median']:.0f} / "
        f"p90 {first['p90']:.0f} / p99 {first['p99']:.0f} ms; full update p50 "
        f"{full['median']:.0f} / p90 {full['p90']:.0f} / p99 {full['p99']:.0f} ms; RSS warm "
        f"{load.rss_warm_mib:.0f}, peak {load.rss_peak_mib:.0f}, after "
        f"{load.rss_after_mib:.0f} MiB; results match: {match} -> {out}"
    )


if __name__ == "__main__":
    main()
