"""Benchmark: how fast the what-if page answers a slider change, in a real browser.

Starts the dashboard (``hmn-bygg serve``) on 127.0.0.1 with the bundled register, opens it in
headless Chromium, goes to "Hva om" and presses the right-arrow key on the "Ekstra
vedlikehold" slider N times (each press: +10 MNOK/yr, one model re-run). For each press it
times, from the key press:

- ``first_chart_ms``: until the VTTG chart's Bokeh data source has changed in the browser
  (the condition step: the model re-run without the finances);
- ``full_update_ms``: until the key-figure cards show the result with the finances (the
  long-term budget booked) for exactly the new value.

Target: median ``first_chart_ms`` under 300 ms. Writes median, p90 and max [ms] with the
machine, date and command to JSON.

Usage::

    .venv/bin/python benchmarks/whatif_latency.py [--changes 20] [--quick]
        [--out benchmarks/results/whatif_latency.json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import shlex
import sys
import time
from pathlib import Path

from hmn_bygg.core.io import write_json
from hmn_bygg.core.paths import project_root

# The browser harness lives with the tests (not in the installed package): the repo root
# goes on the path so that ``tests.harness`` imports however this script is started.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.harness import (
    WatchedPage,
    launch_chromium,
    machine_info,
    percentiles,
    start_server,
    stop_server,
    whatif_latencies,
)

TARGET_MS = 300.0


def main() -> None:
    """Run the benchmark and write the JSON figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=20, help="slider changes to time")
    parser.add_argument("--quick", action="store_true", help="3 changes, for CI")
    parser.add_argument("--out", default="benchmarks/results/whatif_latency.json")
    args = parser.parse_args()
    if args.quick:
        args.changes = 3
        args.out = args.out.replace(".json", "_quick.json")
    if not 1 <= args.changes <= 60:
        parser.error("--changes must be 1–60 (the slider has 60 steps)")

    from playwright.sync_api import sync_playwright

    t0 = time.perf_counter()
    proc, url = start_server(home=project_root() / ".home" / "bench_whatif")
    try:
        t_server = time.perf_counter() - t0
        with sync_playwright() as p:
            browser = launch_chromium(p)
            try:
                t1 = time.perf_counter()
                page = WatchedPage(browser, url)
                t_page = time.perf_counter() - t1
                runs = whatif_latencies(page, args.changes)
                errors = list(page.errors)
            finally:
                browser.close()
    finally:
        stop_server(proc)

    first = percentiles([r["first_ms"] for r in runs])
    full = percentiles([r["full_ms"] for r in runs])
    figures = {
        "what": (
            "what-if slider change -> chart data source changed in the browser; bundled "
            "register, scenario 'today', headless Chromium on 127.0.0.1"
        ),
        "changes": args.changes,
        "first_chart_ms": {k: first[k] for k in ("median", "p90", "max")},
        "full_update_ms": {k: full[k] for k in ("median", "p90", "max")},
        "target_median_ms": TARGET_MS,
        "meets_target": first["median"] < TARGET_MS,
        "server_start_s": t_server,
        "page_load_s": t_page,
        "console_errors": errors,
        "per_change": runs,
        "machine": machine_info(),
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": shlex.join(["python", *sys.argv]),
    }
    out = Path(args.out)
    write_json(figures, out)
    print(
        f"first chart: median {first['median']:.0f} ms, p90 {first['p90']:.0f} ms, "
        f"max {first['max']:.0f} ms; full update: median {full['median']:.0f} ms, "
        f"p90 {full['p90']:.0f} ms, max {full['max']:.0f} ms ({args.changes} changes) -> {out}"
    )


if __name__ == "__main__":
    main()
