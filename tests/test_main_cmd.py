"""``hmn-bygg main --no-serve``: the README's main job without the server."""

from __future__ import annotations

import stat

import pytest
import xarray as xr
from openpyxl import load_workbook
from typer.testing import CliRunner

from hmn_bygg.cli import app


@pytest.mark.slow
def test_main_job_writes_results_workbook_and_brief(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["main", "--no-serve", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Tabell 1" in result.output or "VTTG" in result.output
    names = {"results.nc", "results.xlsx", "styrenotat.pdf", "styrenotat.html"}
    assert names <= {p.name for p in out.iterdir()}
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    with xr.open_dataset(out / "results.nc") as ds:
        assert "budget_1_2_by_2035" in ds["scenario"].to_numpy().tolist()
    load_workbook(out / "results.xlsx", read_only=True).close()
    assert (out / "styrenotat.pdf").read_bytes().startswith(b"%PDF")
    # written atomically but readable like any other file (not the 0600 of a temp file)
    assert (out / "results.nc").stat().st_mode & stat.S_IRGRP
