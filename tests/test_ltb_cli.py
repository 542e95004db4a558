"""``hmn-bygg solve disposals`` and ``hmn-bygg solve capacity``."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from hmn_bygg.cli import app
from tests.cli_invoke import invoke

runner = CliRunner()


def test_solve_disposals_json_reaches_the_target():
    result = runner.invoke(
        app, ["solve", "disposals", "--target-area", "650000", "--by", "2030", "--json"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["target_reached"] is True
    assert out["proposals"], out
    last = out["proposals"][-1]
    assert last["area_after"] <= 650_000
    assert "TG" in last["reason"]
    ids = [p["building_id"] for p in out["proposals"]]
    pinned = runner.invoke(
        app,
        ["solve", "disposals", "--by", "2030", "--pin", ids[0], "--json"],
    )
    assert ids[0] not in [p["building_id"] for p in json.loads(pinned.output)["proposals"]]


def test_solve_disposals_keeps_protected_uses_and_ranks_by_the_documented_score():
    """Issue 18: no main somatic block unless asked; real differences between candidates."""
    from hmn_bygg.solve.plan_options import load_plan_options

    result = runner.invoke(app, ["solve", "disposals", "--by", "2030", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    protected = set(load_plan_options().protected_uses)
    assert protected and set(out["protected_uses"]) == protected
    assert not [p for p in out["proposals"] if p["use"] in protected]
    scores = [p["score"] for p in out["proposals"]]
    assert scores == sorted(scores, reverse=True)
    weights = out["weights"]
    for p in out["proposals"]:
        parts = p["score_components"]
        expected = sum(weights[k] * parts[k] for k in weights) / sum(weights.values())
        assert abs(p["score"] - expected) < 1e-9
    reasons = {p["reason"].split(", ", 1)[1] for p in out["proposals"]}
    assert len(reasons) > 1  # not one grade and cost repeated for every candidate
    asked = runner.invoke(
        app, ["solve", "disposals", "--by", "2030", "--allow-use", "somatic", "--json"]
    )
    assert asked.exit_code == 0, asked.output
    assert "somatic" not in json.loads(asked.output)["protected_uses"]
    code, text = invoke(["solve", "disposals", "--allow-use", "somatc"])
    assert code == 2 and "--allow-use" in text and "somatc" in text


def test_solve_disposals_text_is_bokmal():
    result = runner.invoke(app, ["solve", "disposals", "--by", "2030"])
    assert result.exit_code == 0, result.output
    assert "Målet nås" in result.output and "areal etter" in result.output


def test_solve_capacity_text_and_json():
    result = runner.invoke(
        app, ["solve", "capacity", "--hf", "HMR", "--year", "2027", "--scenario", "today"]
    )
    assert result.exit_code == 0, result.output
    assert "Bæreevne for HMR fra 2027" in result.output
    result = runner.invoke(app, ["solve", "capacity", "--hf", "STO", "--year", "2027", "--json"])
    out = json.loads(result.output)
    assert out["capacity_mnok"] > 0 and out["first_breach_year"] is None
