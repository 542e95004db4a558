"""Benchmark: how fast the command line starts (issue "One pipeline you can see").

Targets, on a quiet 2-core machine (medians over ``--repeat`` runs):

- ``hmn-bygg --help`` and every ``hmn-bygg CMD --help``: under 0,3 s of CPU;
- ``hmn-bygg register summary`` (the bundled register): under 1,5 s of CPU;
- ``hmn-bygg run``: no more than 1 s of CPU spent on imports;
- numba loads only in the commands that run its kernels (``run``), never for help or
  ``register summary``.

Every figure is a whole process, timed from outside (CPU = user + system of the child, from
:func:`os.wait4`), so the interpreter's own start is included. The floor measured in the same
run is ``python -c pass`` (the interpreter alone); ``ratio_to_floor`` divides by it, so a busy
machine shows up in the floor as well as in the figures.

The import time of ``run`` is measured twice. ``python -X importtime`` lists every import of
the command with its time; these are wall-clock times, so on a loaded machine they grow with
the load (``run_import_wall_s_median``, and the ten biggest in ``run_biggest_imports_s``). The
CPU figure replays the same imports, in the same order, in a process that does nothing else,
and counts the CPU of the imports alone, without the interpreter's start and teardown
(``run_import_cpu_s_median``); it is the one checked against the target, and
``run_import_share`` is its share of the whole command's CPU. The same replay of the
libraries' modules alone (every module of the command's imports that is not hmn_bygg's own)
gives ``run_stack_import_cpu_s_median``: the floor that no change inside the package can go
below; ``run_own_import_cpu_s_median`` is the rest.

Writes ``benchmarks/results/cli_start.json`` (``--quick``: three help commands, one run each,
to ``*_quick.json``, for the tests).

Run: ``.venv/bin/python benchmarks/cli_start.py [--repeat 7] [--quick] [--out FILE]``.
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
from typing import Any

from bench_common import machine_figures

ROOT = Path(__file__).resolve().parents[1]
OUT = "benchmarks/results/cli_start.json"
CLI = [sys.executable, "-m", "hmn_bygg.cli"]
HELP_COMMANDS = [
    [],
    ["run"],
    ["main"],
    ["brief"],
    ["serve"],
    ["export"],
    ["template"],
    ["validate"],
    ["plan-vs-outcome"],
    ["config"],
    ["config", "check"],
    ["config", "show"],
    ["config", "schema"],
    ["docs"],
    ["docs", "build"],
    ["register"],
    ["register", "check"],
    ["register", "summary"],
    ["register", "synthesize"],
    ["solve"],
    ["solve", "budget"],
    ["solve", "capacity"],
    ["solve", "disposals"],
]
QUICK_HELP_COMMANDS = [[], ["run"], ["solve", "budget"]]
SUMMARY = ["register", "summary"]
RUN = ["run", "--quiet"]
# the heavy packages whose loading the figures record, per command
HEAVY = ("pydantic", "numpy", "pandas", "xarray", "dask", "scipy", "numba", "openpyxl")
TARGET_HELP_CPU_S = 0.3
TARGET_SUMMARY_CPU_S = 1.5
TARGET_RUN_IMPORT_CPU_S = 1.0


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


def figures(args: list[str], repeat: int) -> dict[str, Any]:
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


def with_floor(f: dict[str, Any], floor: dict[str, Any]) -> dict[str, Any]:
    """``f`` with ``ratio_to_floor``: its median CPU over the floor's median CPU [-]."""
    return {**f, "ratio_to_floor": f["cpu_s_median"] / floor["cpu_s_median"]}


def import_lines(args: list[str]) -> list[tuple[str, int, float]]:
    """Run ``args`` under ``-X importtime``; return each import's name, depth and time [s].

    The time is the cumulative one (the module and all it pulled in), wall clock; depth 0 is
    a top-level import, one not made while another module was being imported, so the sum
    over depth 0 counts every import once. In the order ``-X importtime`` lists them.
    """
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", *args[1:]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    found = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m:
            found.append((m.group(4), (len(m.group(3)) - 1) // 2, int(m.group(2)) / 1e6))
    return found


def loaded(lines: list[tuple[str, int, float]]) -> list[str]:
    """The packages of :data:`HEAVY` that a command's imports (:func:`import_lines`) loaded."""
    roots = {name.split(".")[0] for name, _, _ in lines}
    return [p for p in HEAVY if p in roots]


def replay_code(top: list[str]) -> str:
    """Python source that imports ``top`` (module names) in order and prints its CPU [s].

    The CPU (user + system, :func:`time.process_time`) counts the imports alone: not the
    interpreter's start nor its teardown. Modules that run a program when imported
    (``__main__``) are left out; a module that cannot be imported on its own (a
    platform-specific optional part) is skipped.
    """
    names = [n for n in dict.fromkeys(top) if not n.endswith("__main__") and n != "runpy"]
    return (
        "import importlib, time\n"
        "t0 = time.process_time()\n"
        f"for name in {names!r}:\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except Exception:\n"
        "        pass\n"
        "print(time.process_time() - t0)\n"
    )


def replay_cpu(top: list[str], repeat: int) -> list[float]:
    """CPU [s] of importing ``top`` in a fresh process (:func:`replay_code`), ``repeat`` times.

    One warm-up run first, like :func:`figures`.
    """
    code = replay_code(top)
    out = []
    for _ in range(repeat + 1):
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
        )
        out.append(float(done.stdout.split()[-1]))
    return out[1:]


def run_imports(runs: list[list[tuple[str, int, float]]], repeat: int) -> dict[str, Any]:
    """Import time of a command from its :func:`import_lines` ``runs``.

    Wall: the median over ``runs`` of the top-level imports' sum. CPU: the imports of the
    first run replayed ``repeat`` times (:func:`replay_cpu`).
    """
    tops = [[(name, t) for name, depth, t in lines if depth == 0] for lines in runs]
    wall = statistics.median(sum(t for _, t in top) for top in tops)
    biggest = sorted(tops[0], key=lambda x: -x[1])[:10]
    cpu = replay_cpu([n for n, _ in tops[0]], repeat)
    stack = replay_cpu(third_party(runs[0]), repeat)
    return {
        "run_import_wall_s_median": wall,
        "run_biggest_imports_s": biggest,
        "run_import_cpu_s_median": statistics.median(cpu),
        "run_import_cpu_s_min": min(cpu),
        "run_import_cpu_s_max": max(cpu),
        "run_stack_import_cpu_s_median": statistics.median(stack),
        "run_stack_import_cpu_s_min": min(stack),
        "run_own_import_cpu_s_median": statistics.median(cpu) - statistics.median(stack),
    }


def third_party(lines: list[tuple[str, int, float]]) -> list[str]:
    """The modules of a command's imports (:func:`import_lines`) that are not hmn_bygg's own.

    Every depth, in the order they were loaded, so that replaying them (:func:`replay_cpu`)
    costs what the libraries themselves cost the command: numpy, pandas, xarray, pydantic,
    typer, numba and what numba loads when it types a kernel (scipy's BLAS, for one). That is
    the floor no change inside ``hmn_bygg`` can go below.
    """
    return [n for n, _, _ in lines if n.split(".")[0] != "hmn_bygg"]


def main() -> None:
    """Time every help, ``register summary`` and the imports of ``run``; write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per command")
    parser.add_argument("--quick", action="store_true", help="three helps, one run each")
    parser.add_argument("--out", default=OUT, help=f"JSON file (default {OUT})")
    args = parser.parse_args()
    helps_to_time = HELP_COMMANDS
    if args.quick:
        args.repeat, helps_to_time = 1, QUICK_HELP_COMMANDS
        args.out = args.out.replace(".json", "_quick.json")
    out = ROOT / args.out
    load_before = os.getloadavg()[0]
    floor = figures([sys.executable, "-c", "pass"], args.repeat)
    helps = {}
    for cmd in helps_to_time:
        line = [*CLI, *cmd, "--help"]
        f = with_floor(figures(line, args.repeat), floor)
        f["loads"] = loaded(import_lines(line))
        helps[" ".join(["hmn-bygg", *cmd, "--help"])] = f
    summary_repeat = args.repeat if args.quick else max(3, args.repeat // 2)
    summary = with_floor(figures([*CLI, *SUMMARY], summary_repeat), floor)
    summary["loads"] = loaded(import_lines([*CLI, *SUMMARY]))
    run = with_floor(figures([*CLI, *RUN], max(1, min(3, args.repeat))), floor)
    run_lines = [import_lines([*CLI, *RUN]) for _ in range(max(1, min(3, args.repeat)))]
    run["loads"] = loaded(run_lines[0])
    imports = run_imports(run_lines, args.repeat)
    run_import_cpu = imports["run_import_cpu_s_median"]
    worst_help = max(f["cpu_s_median"] for f in helps.values())
    timed = {**helps, "hmn-bygg register summary": summary, "hmn-bygg run": run}
    numba_where = sorted(cmd for cmd, f in timed.items() if "numba" in f["loads"])
    result = {
        "benchmark": "cli_start",
        "command": "python benchmarks/cli_start.py" + (" --quick" if args.quick else ""),
        "repeat": args.repeat,
        "floor_python_c_pass": floor,
        "help": helps,
        "help_cpu_s_worst": worst_help,
        "register_summary": summary,
        "run": run,
        **imports,
        "run_import_share": run_import_cpu / run["cpu_s_median"],
        "numba_loaded_by": numba_where,
        "targets": {
            "help_cpu_s": TARGET_HELP_CPU_S,
            "register_summary_cpu_s": TARGET_SUMMARY_CPU_S,
            "run_import_cpu_s": TARGET_RUN_IMPORT_CPU_S,
            "numba_loaded_by": ["hmn-bygg run"],
        },
        "met": {
            "help_cpu_s": worst_help <= TARGET_HELP_CPU_S,
            "register_summary_cpu_s": summary["cpu_s_median"] <= TARGET_SUMMARY_CPU_S,
            "run_import_cpu_s": run_import_cpu <= TARGET_RUN_IMPORT_CPU_S,
            "numba_loaded_by": numba_where == ["hmn-bygg run"],
        },
        **machine_figures(load_before, os.getloadavg()[0]),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"floor (python -c pass): {floor['cpu_s_median']:.3f} s CPU")
    print(f"slowest --help: {worst_help:.3f} s CPU (target {TARGET_HELP_CPU_S})")
    print(f"register summary: {summary['cpu_s_median']:.3f} s CPU (target {TARGET_SUMMARY_CPU_S})")
    print(
        f"run: {run['cpu_s_median']:.3f} s CPU, of it imports {run_import_cpu:.3f} s CPU "
        f"(target {TARGET_RUN_IMPORT_CPU_S}); -X importtime "
        f"{imports['run_import_wall_s_median']:.3f} s wall"
    )
    print(
        f"  of which the libraries alone (numpy, pandas, xarray, pydantic, typer, numba): "
        f"{imports['run_stack_import_cpu_s_median']:.3f} s CPU; hmn_bygg's own modules "
        f"{imports['run_own_import_cpu_s_median']:.3f} s CPU"
    )
    print(f"numba loaded by: {', '.join(numba_where) or 'none'}")
    print(f"load average {load_before:.2f} -> {os.getloadavg()[0]:.2f}; wrote {out}")


if __name__ == "__main__":
    main()
