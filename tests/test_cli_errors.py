"""Bad input to the commands gets a clear error naming what was wrong, never a traceback."""

from __future__ import annotations

import pytest

from tests.cli_invoke import invoke as run_cli


@pytest.fixture(autouse=True)
def _english(monkeypatch):
    """These tests read the English messages (bokmål: tests/test_cli_error_lang.py)."""
    monkeypatch.setenv("HMN_BYGG_LANG", "en")


def invoke(args: list[str]) -> str:
    """Run the CLI as the console script does; it must fail with a message, no traceback."""
    code, text = run_cli(args)
    assert code != 0, text
    assert "Traceback" not in text
    return text


@pytest.mark.parametrize("content", [b"", b"garbage\n", b"PK\x03\x04 not netcdf"])
def test_export_and_brief_refuse_a_file_that_is_not_results(tmp_path, content):
    bad = tmp_path / "results.nc"
    bad.write_bytes(content)
    out = invoke(["export", str(bad), "--xlsx", str(tmp_path / "x.xlsx"), "--lang", "en"])
    assert "results.nc" in out and "not a netCDF results file" in out
    out = invoke(["brief", "--results", str(bad), "-o", str(tmp_path / "b.pdf"), "--lang", "en"])
    assert "not a netCDF results file" in out
    assert bad.read_bytes() == content
    assert not (tmp_path / "x.xlsx").exists() and not (tmp_path / "b.pdf").exists()


def test_netcdf_that_is_not_results_is_named(tmp_path):
    import xarray as xr

    other = tmp_path / "other.nc"
    xr.Dataset({"a": ("x", [1, 2])}).to_netcdf(other, engine="h5netcdf")
    out = invoke(["export", str(other), "--xlsx", str(tmp_path / "x.xlsx"), "--lang", "en"])
    assert "not results of hmn-bygg" in out and "dimensions x" in out


def test_disposal_year_outside_the_horizon():
    out = invoke(["solve", "disposals", "--by", "1999", "--lang", "en"])
    assert "year outside the model's horizon" in out
    assert "--by" in out and "1999" in out and "2019–2045" in out


def test_unknown_and_unreachable_scheduler():
    import dask

    out = invoke(["run", "-s", "today", "--draws", "2", "--scheduler", "foo"])
    assert "--scheduler" in out and "'foo'" in out
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        out = invoke(["run", "-s", "today", "--draws", "2", "--scheduler", "tcp://127.0.0.1:9"])
    assert "cannot reach the dask scheduler" in out and "tcp://127.0.0.1:9" in out


def test_too_many_draws_are_refused_before_running():
    out = invoke(["run", "--draws", "100000000", "--lang", "en"])
    assert "too many draws" in out and "100 000 000" in out


def test_output_to_a_folder_is_refused(tmp_path):
    out = invoke(["run", "-s", "today", "-o", str(tmp_path)])
    assert "is a folder" in out and str(tmp_path) in out


def test_grade_target_outside_the_scale():
    out = invoke(["solve", "budget", "--target", "-1", "--lang", "en"])
    assert "--target" in out and "between 0 and 3" in out


def test_dashboard_port_taken_or_out_of_range():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        out = invoke(["serve", "--no-show", "--port", str(port)])
        assert "--port" in out and f"127.0.0.1:{port}" in out
    out = invoke(["serve", "--port", "80000"])
    assert "--port" in out
