"""Benchmark: how fast the what-if page answers a slider change, in a real browser.

Starts the dashboard (``hmn-bygg serve``) on 127.0.0.1 with the bundled register, opens it in
headless Chromium, goes to "Hva om" and presses the right-arrow key on the "Ekstra
vedlikehold" slider N times (each press: +10 MNOK/yr, one model re-run). For each press it
times, in the page, from the key press (:func:`tests.harness.whatif_latencies`):

- ``busy_ms``: until the status line says the page is busy (the round trip to the server and
  back with no model run: the floor of this benchmark);
- ``first_chart_ms``: until the VTTG chart's Bokeh data source has changed in the browser;
- ``full_update_ms``: until the key-figure cards show the result with the finances (the
  long-term budget booked) for exactly the new value;
- ``painted_ms``: two animation frames after that, when every chart and card is painted.

Before those, ``no_model_painted_ms`` times changes that run no model (from 10 back to 0
MNOK/yr: the page shows the baseline it holds), until painted: the page's own part of a
change (round trip, update of sources and cards, painting).

Target (issue 17): median ``painted_ms`` ≤ 150 ms. The same changes are then timed in this
process without a browser, to say where the time goes: the model's condition and area run,
the booking of the long-term budget (both in the server's what-if worker), and the page's
update of its Bokeh sources and cards (on the server loop) with the size of the document
patch it sends. Writes medians, p90 and max [ms], the CPU time per change of the server and of
Chromium (robust where the load of a shared machine makes the times vary), with the load
average, machine, date and command to JSON.

Usage::

    .venv/bin/python benchmarks/whatif_latency.py [--changes 20] [--quick]
        [--out benchmarks/results/whatif_latency.json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shlex
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from hmn_bygg.core.io import write_json
from hmn_bygg.core.paths import project_root

# The browser harness lives with the tests (not in the installed package): the repo root
# goes on the path so that ``tests.harness`` imports however this script is started.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.harness import (
    WATCH_JS,
    WATCH_PAINTED_JS,
    WATCH_READ_JS,
    WHATIF_TAB,
    WatchedPage,
    launch_chromium,
    machine_info,
    percentiles,
    start_server,
    stop_server,
    whatif_latencies,
)

TARGET_MS = 150.0
"""Median from a slider change to every chart and card painted [ms] (issue 17)."""


def no_model_latencies(page: WatchedPage, changes: int) -> list[float]:
    """Time ``changes`` slider changes that run no model, until painted [ms].

    Each moves the extra maintenance from 10 back to 0 MNOK/yr, the scenario's own values:
    the page shows the baseline results it holds, so the time is the round trip, the page's
    update and the browser's painting alone (what every change costs besides the model).
    """
    p = page.page
    page.tab(WHATIF_TAB)
    page.wait_whatif(0)
    handle = page.extra_handle()
    out = []
    for _ in range(changes):
        handle.focus()
        handle.press("ArrowRight")
        page.wait_whatif(10)
        if not p.evaluate(WATCH_JS, [0]):
            raise RuntimeError("the what-if page has no VTTG chart or cards")
        handle.focus()
        handle.press("ArrowLeft")
        p.wait_for_function(WATCH_PAINTED_JS, polling=50)
        w = p.evaluate(WATCH_READ_JS)
        out.append(w["painted"] - w["t0"])
        page.wait_whatif(0)
    return out


def cpu_seconds(server_pid: int) -> dict[str, float]:
    """CPU time [s] used so far by the dashboard server and by the Chromium processes.

    Chromium's processes are this process's descendants named ``chrom*`` (Playwright's
    driver starts them); a process that has ended since is not counted, so take the
    difference of two readings while the browser runs.
    """
    import psutil

    def used(p: psutil.Process) -> float:
        try:
            t = p.cpu_times()
        except psutil.Error:
            return 0.0
        return t.user + t.system

    server = psutil.Process(server_pid)
    browser = sum(
        used(p)
        for p in psutil.Process().children(recursive=True)
        if p.pid != server_pid and p.name().startswith("chrom")
    )
    return {"server": used(server), "browser": browser}


def server_parts(changes: int) -> dict[str, Any]:
    """Time the server's part of ``changes`` what-if changes in this process [ms, bytes].

    The same steps as the served page (:class:`~hmn_bygg.dashboard.whatif_run.WhatIfRuns`
    and :meth:`~hmn_bygg.dashboard.pages.whatif.WhatIfPage.push`), one after the other on
    the extra-maintenance values the browser run used, with the page in a Bokeh document so
    that the patch it would send can be measured.
    """
    from bokeh.document import Document
    from bokeh.protocol import Protocol

    from hmn_bygg.dashboard.pages.whatif import WhatIfPage
    from hmn_bygg.dashboard.state import SessionState, book_whatif, run_whatif_model

    state = SessionState()
    page = WhatIfPage(state)
    doc = Document()
    doc.add_root(page.build().get_root(doc))
    events: list = []
    doc.on_change(events.append)
    parts: dict[str, list[float]] = {"condition": [], "budget": [], "push": [], "patch": []}
    for i in range(1, changes + 1):
        page.extra.value = 10 * i
        t0 = time.perf_counter()
        model, register = state.whatif_inputs(page.overrides())
        condition = run_whatif_model(model, register, book=False)
        t1 = time.perf_counter()
        booked = book_whatif(condition, model, register)
        t2 = time.perf_counter()
        events.clear()
        page.push(booked, {"scenario": state.scenario, "extra": 10 * i, "gen": i})
        t3 = time.perf_counter()
        msg = Protocol().create("PATCH-DOC", events)
        size = len(msg.header_json) + len(msg.metadata_json) + len(msg.content_json)
        size += sum(len(b.data) for b in msg.buffers)
        parts["condition"].append((t1 - t0) * 1e3)
        parts["budget"].append((t2 - t1) * 1e3)
        parts["push"].append((t3 - t2) * 1e3)
        parts["patch"].append(size)
    return {
        "condition_ms": statistics.median(parts["condition"]),
        "budget_ms": statistics.median(parts["budget"]),
        "push_ms": statistics.median(parts["push"]),
        "patch_bytes": statistics.median(parts["patch"]),
        "note": (
            "medians in this process, one change after the other: condition = overrides "
            "applied and run_models(book=False); budget = book_whatif; push = the page's "
            "update of its sources and cards (line values, hover text, key figures); "
            "patch_bytes = the PATCH-DOC message that update sends"
        ),
    }


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

    load_before = os.getloadavg()[0]
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
                no_model = no_model_latencies(page, max(3, args.changes // 2))
                cpu0 = cpu_seconds(proc.pid)
                runs = whatif_latencies(page, args.changes)
                cpu1 = cpu_seconds(proc.pid)
                errors = list(page.errors)
            finally:
                browser.close()
    finally:
        stop_server(proc)
    load_after = os.getloadavg()[0]
    parts = server_parts(args.changes)

    def stats(key: str) -> dict[str, float]:
        values = percentiles([r[key] for r in runs])
        return {k: values[k] for k in ("median", "p90", "max")}

    painted, busy = stats("painted_ms"), stats("busy_ms")
    bare = percentiles(no_model)
    figures = {
        "what": (
            "what-if slider change -> every chart and card painted in the browser; bundled "
            "register, scenario 'today', headless Chromium on 127.0.0.1"
        ),
        "changes": args.changes,
        "painted_ms": painted,
        "full_update_ms": stats("full_ms"),
        "first_chart_ms": stats("first_ms"),
        "busy_ms": busy,
        "no_model_painted_ms": {k: bare[k] for k in ("median", "p90", "max")},
        "floor_ratio": painted["median"] / busy["median"],
        "target_median_ms": TARGET_MS,
        "meets_target": painted["median"] <= TARGET_MS,
        "cpu_ms_per_change": {
            k: 1e3 * (cpu1[k] - cpu0[k]) / args.changes for k in ("server", "browser")
        },
        "server_parts": parts,
        "server_start_s": t_server,
        "page_load_s": t_page,
        "console_errors": errors,
        "per_change": runs,
        "machine": machine_info()
        | {"load_average_1min_before": load_before, "load_average_1min_after": load_after},
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": shlex.join(["python", *sys.argv]),
    }
    out = Path(args.out)
    write_json(figures, out)
    print(
        f"painted: median {painted['median']:.0f} ms, p90 {painted['p90']:.0f} ms, "
        f"max {painted['max']:.0f} ms (target {TARGET_MS:.0f}); busy shown: median "
        f"{busy['median']:.0f} ms; no model run: median {bare['median']:.0f} ms; "
        f"server parts: condition {parts['condition_ms']:.0f} ms, "
        f"budget {parts['budget_ms']:.0f} ms, push {parts['push_ms']:.0f} ms, patch "
        f"{parts['patch_bytes']:.0f} B; CPU per change: server "
        f"{figures['cpu_ms_per_change']['server']:.0f} ms, browser "
        f"{figures['cpu_ms_per_change']['browser']:.0f} ms; "
        f"load {load_before:.1f} -> {load_after:.1f} "
        f"({args.changes} changes) -> {out}"
    )


if __name__ == "__main__":
    main()
