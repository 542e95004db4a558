"""``hmn-bygg config check | show | schema``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hmn_bygg.cli import app
from hmn_bygg.config import json_schema

FIXTURES = Path(__file__).parent / "fixtures" / "config"
runner = CliRunner()


@pytest.fixture(autouse=True)
def _english(monkeypatch):
    """These tests read the English messages (bokmål: tests/test_cli_error_lang.py)."""
    monkeypatch.setenv("HMN_BYGG_LANG", "en")


def test_check_bundled_files():
    result = runner.invoke(app, ["config", "check"])
    assert result.exit_code == 0, result.output
    assert "today, catch_up" in result.stdout
    assert result.stdout.rstrip().endswith("OK")


def test_check_reports_problems_without_traceback():
    model = str(FIXTURES / "model.yaml")
    result = runner.invoke(
        app, ["config", "check", model, "--scenarios", str(FIXTURES / "scenarios_conflict.yaml")]
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "'more_hmr' and 'less_hmr'" in result.stderr


def test_show_key_of_a_scenario_with_source():
    result = runner.invoke(
        app, ["config", "show", "--scenario", "catch_up", "--key", "maintenance.extra_budget_mnok"]
    )
    assert result.exit_code == 0, result.output
    assert "maintenance.extra_budget_mnok = {2026: 0, 2027: 210} MNOK/year" in result.stdout
    assert "source: utviklingsplan 2018 section 2.11" in result.stdout


def test_show_section_and_unknown_key():
    result = runner.invoke(app, ["config", "show", "--key", "condition"])
    assert result.exit_code == 0
    assert "condition.part_life_years = {2: 60, 3: 35" in result.stdout
    result = runner.invoke(app, ["config", "show", "--key", "maintenance.polcy"])
    assert result.exit_code == 1
    assert "did you mean 'maintenance.policy'?" in result.stderr


def test_schema_command_writes_the_schema(tmp_path):
    out = tmp_path / "schema.json"
    result = runner.invoke(app, ["config", "schema", "-o", str(out)])
    assert result.exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8")) == json_schema()
