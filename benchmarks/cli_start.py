"""Benchmark: how fast the command line starts (issue "One pipeline you can see").

Targets, on a quiet 2-core machine (medians over ``--repeat`` runs):

- ``hmn-bygg --help`` and every ``hmn-bygg CMD --help``: under 0,3 s of CPU;
- ``hmn-bygg register summary`` (the bundled register): under 1,5 s of CPU;
- ``hmn-bygg run``: no more than 1 s spent on imports before it starts
  (``python -X importtime``, the sum of the top-level imports' cumulative times).

Every figure is a whole process, timed from outside (CPU = user + system of the child, from
:func:`os.wait4`), so the interpreter's own start is included. The floor measured in the same
run is ``python -c pass`` (the interpreter alone); ``ratio_to_floor`` divides by it, so a busy
machine shows up in the floor as well as in the figures. Writes
``benchmarks/results/cli_start.json``.

Run: ``.venv/bin/python benchmarks/cli_start.py [--repeat 7]``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench_common import machine_figures

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "results" / "cli_start.json"
CLI = [sys.executable, "-m", "hmn_bygg.cli"]
HELP_COMMANDS = [
    [],
    ["run"],
    ["main"],
    ["brief"],
    ["serve"],
    ["export"],
    ["template"],
    ["docs", "build"],
    ["config", "check"],
    ["config", "show"],
    ["config", "schema"],
    ["register", "check"],
    ["register", "summary"],
    ["register", "synthesize"],
    ["solve", "budget"],
    ["solve", "capacity"],
    ["solve", "disposals"],
]
TARGET_HELP_CPU_S = 0.3
TARGET_SUMMARY_CPU_S = 1.5
TARGET_RUN_IMPORT_S = 1.0


def run_once(args: list[str]) -> tuple[float, float, int]:
    """Run ``args`` once; return wall [s], CPU (user + system) [s] and peak RSS [KiB]."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({proc.returncode}):\n{err[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def figures(args: list[str], repeat: int) -> dict[str, float]:
    """Median, min and max of wall and CPU over ``repeat`` runs (after one warm-up run)."""
    run_once(args)
    runs = [run_once(args) for _ in range(repeat)]
    wall = [r[0] for r in runs]
    cpu = [r[1] for r in runs]
    return {
        "wall_s_median": statistics.median(wall),
        "cpu_s_median": statistics.median(cpu),
        "cpu_s_min": min(cpu),
        "cpu_s_max": max(cpu),
        "peak_rss_mib": max(r[2] for r in runs) / 1024,
    }


def import_seconds(args: list[str]) -> tuple[float, list[tuple[str, float]]]:
    """Seconds spent importing in ``args`` (``-X importtime``) and the ten biggest imports."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", *args[1:]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    total, top = 0.0, []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m and len(m.group(3)) == 1:  # a top-level import: its cumulative time counts
            total += int(m.group(2)) / 1e6
            top.append((m.group(4), int(m.group(2)) / 1e6))
    return total, sorted(top, key=lambda x: -x[1])[:10]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per command")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    floor = figures([sys.executable, "-c", "pass"], args.repeat)
    helps = {}
    for cmd in HELP_COMMANDS:
        f = figures([*CLI, *cmd, "--help"], args.repeat)
        f["ratio_to_floor"] = f["cpu_s_median"] / floor["cpu_s_median"]
        helps[" ".join(["hmn-bygg", *cmd, "--help"])] = f
    summary = figures([*CLI, "register", "summary"], max(3, args.repeat // 2))
    summary["ratio_to_floor"] = summary["cpu_s_median"] / floor["cpu_s_median"]
    run_imports = [import_seconds([*CLI, "run", "--quiet"]) for _ in range(3)]
    imports = statistics.median(t for t, _ in run_imports)
    worst_help = max(f["cpu_s_median"] for f in helps.values())
    result = {
        "benchmark": "cli_start",
        "repeat": args.repeat,
        "floor_python_c_pass": floor,
        "help": helps,
        "register_summary": summary,
        "run_import_s_median": imports,
        "run_biggest_imports_s": run_imports[0][1],
        "targets": {
            "help_cpu_s": TARGET_HELP_CPU_S,
            "register_summary_cpu_s": TARGET_SUMMARY_CPU_S,
            "run_import_s": TARGET_RUN_IMPORT_S,
        },
        "met": {
            "help_cpu_s": worst_help <= TARGET_HELP_CPU_S,
            "register_summary_cpu_s": summary["cpu_s_median"] <= TARGET_SUMMARY_CPU_S,
            "run_import_s": imports <= TARGET_RUN_IMPORT_S,
        },
        **machine_figures(load_before, os.getloadavg()[0]),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"floor (python -c pass): {floor['cpu_s_median']:.3f} s CPU")
    print(f"slowest --help: {worst_help:.3f} s CPU (target {TARGET_HELP_CPU_S})")
    print(f"register summary: {summary['cpu_s_median']:.3f} s CPU (target {TARGET_SUMMARY_CPU_S})")
    print(f"run imports: {imports:.3f} s (target {TARGET_RUN_IMPORT_S})")
    print(f"load average {load_before:.2f} -> {os.getloadavg()[0]:.2f}; wrote {OUT}")


if __name__ == "__main__":
    main()
