"""``hmn-bygg brief``: outputs, --results, errors without a traceback."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from hmn_bygg.cli import app
from hmn_bygg.core.io import write_netcdf
from hmn_bygg.core.paths import project_root
from hmn_bygg.engine.run import run

runner = CliRunner()


@pytest.fixture(scope="module")
def results_nc(tmp_path_factory):
    path = tmp_path_factory.mktemp("results") / "results.nc"
    write_netcdf(run(scenario_names=["today", "catch_up"]), path)
    return path


def test_unknown_scenario_exits_1_without_traceback(tmp_path):
    result = runner.invoke(
        app,
        ["brief", "--scenario", "todya", "--html", str(tmp_path / "b.html"), "--lang", "en"],
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "no scenario named 'todya'" in result.stderr
    assert not list(tmp_path.iterdir())


def test_missing_files_exit_1(tmp_path):
    for args in (
        ["--results", str(tmp_path / "nope.nc")],
        ["--model", str(tmp_path / "nope.yaml")],
    ):
        result = runner.invoke(app, ["brief", *args, "-o", str(tmp_path / "b.pdf")])
        assert result.exit_code == 1, args
        assert "fant ikke filen" in result.stderr  # bokmål by default
        assert "Traceback" not in result.output
        english = ["brief", *args, "-o", str(tmp_path / "b.pdf"), "--lang", "en"]
        result = runner.invoke(app, english)
        assert result.exit_code == 1 and "file not found" in result.stderr, args


def test_unreadable_results_and_unknown_scenario_in_results(tmp_path, results_nc):
    bad = tmp_path / "bad.nc"
    bad.write_text("not netcdf", encoding="utf-8")
    result = runner.invoke(app, ["brief", "--results", str(bad), "--lang", "en"])
    assert result.exit_code == 1 and "not a netCDF results file" in result.stderr
    result = runner.invoke(app, ["brief", "--results", str(results_nc), "-s", "faster"])
    assert result.exit_code == 1 and "ingen scenario heter 'faster'" in result.stderr
    english = ["brief", "--results", str(results_nc), "-s", "faster", "--lang", "en"]
    result = runner.invoke(app, english)
    assert result.exit_code == 1 and "no scenario named 'faster'" in result.stderr
    assert "Traceback" not in result.output


def test_bad_language_is_a_usage_error():
    result = runner.invoke(app, ["brief", "--lang", "de"])
    assert result.exit_code == 2


@pytest.mark.browser
def test_brief_from_results_writes_pdf_html_and_pngs(tmp_path, results_nc, monkeypatch):
    home = project_root() / ".home" / "test_brief"
    home.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("HOME", str(home))
    out = tmp_path / "out"
    out.mkdir()  # an output's folder must exist: a missing one is refused before any work
    result = runner.invoke(
        app,
        [
            "brief",
            "--results",
            str(results_nc),
            "-o",
            str(out / "styrenotat.pdf"),
            "--html",
            str(out / "styrenotat.html"),
            "--png-dir",
            str(out / "figurer"),
            "--lang",
            "en",
        ],
    )
    assert result.exit_code == 0, result.output
    assert (out / "styrenotat.pdf").read_bytes().startswith(b"%PDF-")
    html = (out / "styrenotat.html").read_text(encoding="utf-8")
    assert "What the board must decide" in html
    assert (out / "figurer" / "vttg.png").is_file()
    assert "Wrote" in result.stdout
    assert not list(out.rglob("*.tmp"))
