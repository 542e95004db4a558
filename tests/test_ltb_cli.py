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
    options = load_plan_options()
    assert out["min_grade"] == options.dispose_min_grade
    by_id = {p["building_id"]: p for p in out["proposals"]}
    assert all(p["score_components"]["grade"] * 3 >= options.dispose_min_grade - 1e-9
               for p in by_id.values())  # fmt: skip
    strict = runner.invoke(
        app, ["solve", "disposals", "--by", "2030", "--min-grade", "2,1", "--json"]
    )
    assert strict.exit_code == 0, strict.output
    strict_out = json.loads(strict.output)
    assert strict_out["min_grade"] == 2.1
    assert all(p["score_components"]["grade"] * 3 >= 2.1 - 1e-9 for p in strict_out["proposals"])
    code, text = invoke(["solve", "disposals", "--allow-use", "somatc"])
    assert code == 2 and "--allow-use" in text and "somatc" in text


def test_the_reason_and_verdict_of_a_plan_in_both_languages():
    import numpy as np
    import pandas as pd

    from hmn_bygg.cli.disposals_text import proposal_reason, verdict

    numbers = {"score": 0.8167, "grade": 2.4, "adaptability": 2.0, "upgrade_need_per_m2": 9_812.0}
    row = pd.Series(numbers | {"age": 55.0, "net_sale_per_m2": np.nan})
    assert proposal_reason(row, "nb") == (
        "poeng 0,82, TG 2,4, tilpasningsdyktighet 2, oppgraderingsbehov 9 800 kr/m², 55 år gammelt"
    )
    assert proposal_reason(row, "en") == (
        "score 0.82, TG 2.4, adaptability 2, upgrade need 9,800 NOK/m², 55 years old"
    )
    row = row.copy()
    row[["adaptability", "upgrade_need_per_m2", "net_sale_per_m2"]] = [np.nan, np.nan, -2_000.0]
    assert "tilpasningsdyktighet ikke registrert, oppgraderingsbehov ukjent" in proposal_reason(
        row, "nb"
    )
    assert proposal_reason(row, "en").endswith("net cash on disposal -2,000 NOK/m²")
    plan = pd.DataFrame({"floor_area": [4_000.0, 3_000.0]})
    plan.attrs.update(target_m2=10_000.0, by_year=2030, area_before=15_000.0, remaining_gap=0.0)
    assert (
        verdict(plan, "nb") == "2 bygg (7 000 m²) foreslås avhendet for å nå 10 000 m² innen 2030."
    )
    plan.attrs["remaining_gap"] = 1_000.0
    assert verdict(plan, "nb").startswith("Målet 10 000 m² innen 2030 nås ikke")
    assert "1,000 m² remain" in verdict(plan, "en")
    plan.attrs["area_before"] = 9_000.0
    assert "without further disposals" in verdict(plan, "en")


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
