"""The run command, the netCDF output and the budget solver (issue 3)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import xarray as xr
from typer.testing import CliRunner

from hmn_bygg.cli import app
from hmn_bygg.config import apply_overrides, load_scenarios
from hmn_bygg.engine.run import register_for, run_models
from hmn_bygg.solve.budget import budget_overrides, solve_budget

runner = CliRunner()


@pytest.fixture(scope="module")
def today():
    scenarios = load_scenarios(None, None, ["today"])
    return scenarios["today"], register_for(scenarios)


@pytest.mark.slow
def test_solved_budget_reaches_the_target_in_the_stated_year_when_run_forward(today):
    model, register = today
    sol = solve_budget(model, target=1.2, by=2035, register=register, tolerance_mnok=1.0)
    assert sol.budget_mnok is not None and sol.budget_mnok > sol.today_mnok
    hf = register["hf"].to_numpy().astype(str)
    area = register["floor_area"].to_numpy()
    share = [area[hf == h].sum() / area.sum() for h in ("HMR", "HNT", "STO")]

    def vttg(budget):
        over = budget_overrides(model, [budget] * 3, sol.from_year, "region", share)
        ds = run_models({"x": apply_overrides(model, over)}, register)
        return ds.vttg_region.isel(scenario=0)

    forward = vttg(sol.budget_mnok)
    assert float(forward.sel(year=2035)) <= 1.2
    assert float(forward.sel(year=sol.first_year_met)) <= 1.2
    assert float(forward.sel(year=sol.first_year_met - 1)) > 1.2
    assert float(vttg(sol.budget_mnok - 2.0).sel(year=2035)) > 1.2  # it is the smallest


@pytest.mark.slow
def test_bundled_budget_scenario_is_the_solvers_answer(today):
    """The scenario budget_1_2_by_2035 holds what the solver answers today, and reaches 1,2."""
    model, register = today
    bundled = load_scenarios(None, None, ["budget_1_2_by_2035"])["budget_1_2_by_2035"]
    per_hf = {hf: bundled.maintenance.budget_mnok.value[hf] for hf in ("HMR", "HNT", "STO")}
    pasted = sum(float(dict(v)[2027]) if isinstance(v, dict) else float(v)
                 for v in per_hf.values())  # fmt: skip
    sol = solve_budget(model, target=1.2, by=2035, register=register)
    # each HF's share is rounded up to 0,1 MNOK when pasted: at most 0,3 MNOK above the answer
    assert sol.budget_mnok - 1e-9 <= pasted <= sol.budget_mnok + 0.3 + 1e-9
    v = run_models({"b": bundled}, register).vttg_region.isel(scenario=0)
    assert float(v.sel(year=2035)) <= 1.2 < float(v.sel(year=2018))


def test_solve_cli_prints_a_pasteable_override():
    import yaml

    result = runner.invoke(
        app, ["solve", "budget", "--by", "2030", "--hf", "HNT", "--as-override", "hnt_2030"]
    )
    assert result.exit_code == 0, result.output
    block = yaml.safe_load(result.output)["hnt_2030"]
    assert list(block) == ["maintenance.budget_mnok.HNT"]
    assert block["maintenance.budget_mnok.HNT"]["from"] == 2027
    assert "computed by `hmn-bygg solve budget" in block["maintenance.budget_mnok.HNT"]["source"]


def test_unreachable_target_is_stated_not_faked(today):
    model, register = today
    sol = solve_budget(model, target=0.2, by=2030, register=register, cap_mnok=500)
    assert sol.budget_mnok is None and sol.vttg_by > 0.2


def test_solve_cli_json_and_bad_input():
    res = runner.invoke(app, ["solve", "budget", "--by", "2030", "--hf", "HNT", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["entity"] == "HNT" and data["budget_mnok"] > data["today_mnok"]
    bad = subprocess.run(
        [sys.executable, "-m", "hmn_bygg.cli", "solve", "budget", "--hf", "XYZ", "--lang", "en"],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 1
    assert "unknown HF" in bad.stderr and "Traceback" not in bad.stderr


def test_run_cli_writes_netcdf_and_prints_norwegian_table(tmp_path):
    out = tmp_path / "results.nc"
    res = runner.invoke(app, ["run", "-s", "today", "--years", "2018,2030", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "709 719" in res.output and "1,45" in res.output
    ds = xr.open_dataset(out, engine="h5netcdf")
    assert list(ds.scenario.values) == ["today"]
    assert ds.vttg.attrs["units"] == "TG 0–3"
    ds.close()


def test_run_cli_json_and_unknown_scenario():
    res = runner.invoke(app, ["run", "-s", "today", "--years", "2030", "--json"])
    rows = json.loads(res.output)["rows"]
    assert {r["entity"] for r in rows} == {"HMR", "HNT", "STO", "Region"}
    bad = subprocess.run(
        [sys.executable, "-m", "hmn_bygg.cli", "run", "-s", "nope", "--lang", "en"],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 1 and "no scenario named 'nope'" in bad.stderr
    assert "available: today" in bad.stderr
    assert "Traceback" not in bad.stderr
