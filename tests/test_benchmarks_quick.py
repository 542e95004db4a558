"""Each benchmark script's ``--quick`` mode runs and writes figures that hang together.

Not the speed (a loaded machine may be slow): the schema of the JSON and the arithmetic
between its figures. Each wall time has its CPU time, which no process can exceed by more
than the machine's cores; each per-draw figure is its total over the draws; each throughput
is its work over its time; each ratio to the NumPy floor is the quotient of the two times;
memory peaks are at least the level before; each target flag says what its figures say;
the machine's cores and load average are recorded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PARTS = 6  # NS 3451 building parts "2".."7"
REL = 1e-9


def run_quick(script: str, tmp_path: Path) -> dict:
    out = tmp_path / "figures.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), "--quick", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads((tmp_path / "figures_quick.json").read_text(encoding="utf-8"))
    assert figures["command"].endswith(f"{script} --quick")
    return figures


def check_machine(f: dict) -> None:
    assert f["cores"] == os.cpu_count()
    for key in ("load_average_1min_before", "load_average_1min_after"):
        assert isinstance(f[key], float) and f[key] >= 0.0, key


def check_wall_and_cpu(f: dict, wall: str, cpu: str) -> None:
    """Wall and CPU time [s] of one step: positive, CPU at most cores × wall (a little slack)."""
    assert f[wall] > 0 and f[cpu] > 0, (wall, cpu)
    assert f[cpu] <= f["cores"] * f[wall] * 1.05 + 0.05, (f[wall], f[cpu])


def check_per_draw(f: dict, seconds: str, per_draw_ms: str, draws: str = "draws") -> None:
    assert f[per_draw_ms] == pytest.approx(f[seconds] * 1000.0 / f[draws], rel=REL), per_draw_ms


def check_quantiles(values: list[float]) -> None:
    p10, p50, p90 = values
    assert 0.0 <= p10 <= p50 <= p90 <= 3.0  # VTTG is a grade on TG 0–3


@pytest.mark.slow
def test_risk_ensemble_quick_figures_hang_together(tmp_path):
    f = run_quick("risk_ensemble.py", tmp_path)
    check_machine(f)
    assert f["buildings"] == 292 and f["years"] == 28  # the bundled register, 2018–2045
    assert isinstance(f["draws"], int) and f["draws"] > 0
    assert f["uncertain_inputs"] and len(set(f["uncertain_inputs"])) == len(f["uncertain_inputs"])
    check_wall_and_cpu(f, "condition_only_seconds", "condition_only_cpu_seconds")
    check_per_draw(f, "condition_only_seconds", "condition_only_ms_per_draw")
    check_per_draw(f, "condition_only_cpu_seconds", "condition_only_cpu_ms_per_draw")
    # every draw steps each building's parts through the years after the first
    work = f["buildings"] * PARTS * (f["years"] - 1) * f["draws"]
    assert f["building_part_years_per_second"] == pytest.approx(
        work / f["condition_only_seconds"], rel=REL
    )
    check_wall_and_cpu(f, "with_ltb_seconds", "with_ltb_cpu_seconds")
    check_per_draw(f, "with_ltb_seconds", "with_ltb_ms_per_draw", draws="with_ltb_draws")
    assert "liquidity_region" in f["with_ltb_liquidity_vars"]
    assert f["summarize_seconds"] > 0
    assert f["peak_rss_mib"] >= f["rss_before_run_mib"] > 0
    assert f["meets_time_target"] == (f["condition_only_seconds"] <= f["target_seconds"])
    assert f["meets_memory_target"] == (f["peak_rss_mib"] <= f["target_peak_mib"])
    check_quantiles(f["vttg_region_2045_p10_p50_p90"])
    profile = f["profile_cpu"]
    parts = profile["components_ms_per_draw"]
    assert parts and all(v >= 0 for v in parts.values())
    # the parts of a draw's time are within its whole (each rounded to 1e-4 ms)
    assert sum(parts.values()) <= profile["total_ms_per_draw"] * 1.02 + 1e-4 * len(parts)


@pytest.mark.slow
def test_risk_national_quick_figures_hang_together(tmp_path):
    f = run_quick("risk_national.py", tmp_path)
    check_machine(f)
    sizes = f["sizes"]
    assert [s["buildings"] for s in sizes] == [300, 600] and f["largest"] == sizes[-1]
    for s in sizes:
        assert s["draws"] == 16
        check_wall_and_cpu({**s, "cores": f["cores"]}, "seconds", "cpu_seconds")
        assert s["cpu_ms_per_draw"] == pytest.approx(1000 * s["cpu_seconds"] / 16, rel=REL)
        assert s["floor_cpu_seconds"] > 0
        assert s["floor_ratio"] == pytest.approx(s["cpu_seconds"] / s["floor_cpu_seconds"])
        if s["buildings"] == 600:
            expected = (s["cpu_seconds"] / 600) / (sizes[0]["cpu_seconds"] / 300)
            assert s["cpu_per_building_vs_smallest"] == pytest.approx(expected, rel=REL)
    assert sizes[0]["cpu_per_building_vs_smallest"] == 1.0
    linear = f["largest"]["cpu_per_building_vs_smallest"] <= f["linear_within"]
    assert f["meets_linear_target"] == linear
    assert f["meets_memory_target"] == (f["peak_rss_mib"] <= f["target_peak_mib"])
    assert f["meets_targets"] == (linear and f["meets_memory_target"])


@pytest.mark.slow
def test_national_scale_quick_figures_hang_together(tmp_path):
    f = run_quick("national_scale.py", tmp_path)
    check_machine(f)
    assert isinstance(f["draws"], int) and f["draws"] > 0 and f["years"] == 28
    check_wall_and_cpu(f, "ensemble_seconds", "ensemble_cpu_seconds")
    check_per_draw(f, "ensemble_seconds", "ensemble_ms_per_draw")
    check_per_draw(f, "ensemble_cpu_seconds", "ensemble_cpu_ms_per_draw")
    assert f["chunk_files"] >= 1 and f["summarize_seconds"] > 0
    assert f["peak_rss_mib"] >= f["rss_before_ensemble_mib"] > 0
    assert f["meets_memory_target"] == (f["peak_rss_mib"] <= f["target_peak_mib"])
    check_quantiles(f["vttg_region_last_year_p10_p50_p90"])
    runs = f["throughput_deterministic"]
    assert set(runs) == {"bundled", "national"}
    assert runs["bundled"]["buildings"] == 292 + 2  # the register and the two new buildings
    assert runs["national"]["buildings"] > runs["bundled"]["buildings"]
    for name, r in runs.items():
        assert r["building_part_years"] == r["buildings"] * PARTS * (f["years"] - 1), name
        for step in ("simulate", "numpy_floor"):
            seconds, speed = r[f"{step}_seconds"], r[f"{step}_bpy_per_second"]
            assert seconds > 0, (name, step)
            assert speed == pytest.approx(r["building_part_years"] / seconds, rel=REL), name
        ratio = r["simulate_seconds"] / r["numpy_floor_seconds"]
        assert r["simulate_vs_floor"] == pytest.approx(ratio, rel=REL), name
        speeds = r["numpy_floor_bpy_per_second"] / r["simulate_bpy_per_second"]
        assert r["simulate_vs_floor"] == pytest.approx(speeds, rel=1e-6), name


@pytest.mark.slow
def test_cli_start_quick_figures_hang_together(tmp_path):
    f = run_quick("cli_start.py", tmp_path)
    check_machine(f)
    floor = f["floor_python_c_pass"]["cpu_s_median"]
    timed = {
        **f["help"],
        "hmn-bygg register summary": f["register_summary"],
        "hmn-bygg run": f["run"],
    }
    assert {"hmn-bygg --help", "hmn-bygg run --help", "hmn-bygg solve budget --help"} <= set(timed)
    for name, g in timed.items():
        assert g["cpu_s_min"] <= g["cpu_s_median"] <= g["cpu_s_max"], name
        assert 0 < g["cpu_s_median"] <= f["cores"] * g["wall_s_median"] * 1.05 + 0.05, name
        assert g["ratio_to_floor"] == pytest.approx(g["cpu_s_median"] / floor, rel=REL), name
        assert set(g["loads"]) <= {"pydantic", "numpy", "pandas", "xarray", "dask", "scipy",
                                   "numba", "openpyxl"}, name  # fmt: skip
    assert f["help_cpu_s_worst"] == max(g["cpu_s_median"] for g in f["help"].values())
    numba = sorted(name for name, g in timed.items() if "numba" in g["loads"])
    assert f["numba_loaded_by"] == numba and "hmn-bygg run" in numba
    # the imports of run: wall from -X importtime, CPU of a replay, its share of the whole
    assert f["run_import_wall_s_median"] > 0
    assert sum(t for _, t in f["run_biggest_imports_s"]) <= f["run_import_wall_s_median"] + REL
    cpu = f["run_import_cpu_s_median"]
    assert 0 < f["run_import_cpu_s_min"] <= cpu <= f["run_import_cpu_s_max"]
    assert f["run_import_share"] == pytest.approx(cpu / f["run"]["cpu_s_median"], rel=REL)
    # the libraries' share (a replay of their modules alone) and the package's own rest
    stack = f["run_stack_import_cpu_s_median"]
    assert 0 < f["run_stack_import_cpu_s_min"] <= stack
    assert f["run_own_import_cpu_s_median"] == pytest.approx(cpu - stack, rel=REL)
    targets, met = f["targets"], f["met"]
    assert met["help_cpu_s"] == (f["help_cpu_s_worst"] <= targets["help_cpu_s"])
    summary = f["register_summary"]["cpu_s_median"]
    assert met["register_summary_cpu_s"] == (summary <= targets["register_summary_cpu_s"])
    assert met["run_import_cpu_s"] == (cpu <= targets["run_import_cpu_s"])
    assert met["numba_loaded_by"] == (numba == targets["numba_loaded_by"])
