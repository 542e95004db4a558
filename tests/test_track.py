"""Several surveys of one register, their checks, and progress against the plan (issue 22)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from cli_invoke import invoke

from hmn_bygg.core import paths
from hmn_bygg.core.errors import InputError
from hmn_bygg.register.load import load_register
from hmn_bygg.register.snapshot_checks import check_snapshots
from hmn_bygg.register.snapshots import load_snapshots
from hmn_bygg.register.weighting import building_grade, weighted_mean
from hmn_bygg.report.track import CAUSES
from hmn_bygg.report.track_run import track_model

BASE = paths.register_dir()


@pytest.fixture(scope="module")
def tracking():
    return track_model(levels=("region", "hf", "site", "building"))


def test_the_model_reads_only_the_top_level_survey():
    ds = load_register(BASE)
    assert all("surveys" not in s for s in ds.attrs["sources"])
    assert "spent_since_survey_mnok" not in ds and "note" not in ds


def test_bundled_register_has_two_surveys_and_no_unexplained_change():
    snaps = load_snapshots(BASE, 2018)
    assert [s.year for s in snaps] == [2018, 2024]
    assert check_snapshots(snaps) == []
    later = snaps[1].register
    assert float(later["spent_since_survey_mnok"].sum()) > 0
    assert "syntetisk" in str(later["note"].sel(building="HNT-N001").item())


def test_the_plan_expectation_is_the_engine_vttg_and_the_causes_add_up(tracking):
    from hmn_bygg.config import load_scenarios
    from hmn_bygg.engine.run import run_models

    table = tracking.table
    sc = load_scenarios(None, None, ["plan_2018"])
    ds = run_models(sc, prices="nominal").sel(scenario="plan_2018", year=2024)
    region = table[table["level"] == "region"].iloc[0]
    assert region["expected"] == pytest.approx(float(ds["vttg_region"]), abs=1e-9)
    for hf in ("HMR", "HNT", "STO"):
        row = table[(table["level"] == "hf") & (table["entity"] == hf)].iloc[0]
        assert row["expected"] == pytest.approx(float(ds["vttg"].sel(hf=hf)), abs=1e-9)
    # the surveyed VTTG is the 2024 survey's own area-weighted grade
    later = tracking.snapshots[1].register
    grade = building_grade(later["condition_grade"], later["cost_share"])
    assert region["surveyed"] == pytest.approx(float(weighted_mean(grade, later["floor_area"])))
    full = table.dropna(subset=["expected", "surveyed"])
    causes = full[list(CAUSES)].fillna(0.0).sum(axis=1)
    np.testing.assert_allclose(causes, full["difference"], atol=1e-9)
    # the bundled second survey has content in every cause the issue names
    assert abs(region["money"]) > 0.01 and abs(region["new_buildings"]) > 0.01
    assert abs(region["disposals"]) > 0.01
    assert (full[full["level"] == "hf"]["wear"].abs() > 0.01).any()


def test_cli_track_shows_both_surveys_expectation_and_causes():
    code, out = invoke(["track"])
    assert code == 0, out
    assert "SYNTETISK" in out and "2018" in out and "2024" in out
    for word in ("Planen forventet", "Registrert", "Avhending", "Nye bygg",
                 "Penger brukt annerledes", "Slitasje"):  # fmt: skip
        assert word in out
    code, out = invoke(["track", "--json"])
    assert code == 0, out
    rows = pd.read_json(io.StringIO(out[: out.rindex("]") + 1]))
    assert set(CAUSES) <= set(rows.columns)


def _third_survey(tmp_path: Path, folder: Path | None = None, gone: tuple[str, ...] = ()):
    """A copy of the bundled register (in ``folder``, default ``tmp_path/register``) with a
    third survey (2026): one building gone with no disposal (and the ``gone`` ones), one
    building's grades improved with no money."""
    folder = folder or tmp_path / "register"
    shutil.copytree(BASE, folder)
    read = {"dtype": {"building_id": str, "part": str}, "keep_default_na": False,
            "na_values": [""]}  # fmt: skip
    b = pd.read_csv(folder / "surveys/2024/buildings.csv", **read)
    p = pd.read_csv(folder / "surveys/2024/parts.csv", **read)
    b["spent_since_survey_mnok"] = np.nan
    b["note"] = ""
    b = b[~b["building_id"].isin(["HMR-0005", *gone])]
    p = p[~p["building_id"].isin(["HMR-0005", *gone])].copy()
    worn = p.groupby("building_id")["condition_grade"].max()
    better = sorted(worn[worn >= 2].index)[0]
    p.loc[p["building_id"] == better, "condition_grade"] = 0
    p["survey_year"] = 2026
    out = folder / "surveys/2026"
    out.mkdir()
    b.to_csv(out / "buildings.csv", index=False)
    p.to_csv(out / "parts.csv", index=False)
    return folder, better


def test_vanished_building_and_unpaid_improvement_are_warned_with_building_and_years(tmp_path):
    folder, better = _third_survey(tmp_path)
    warnings = check_snapshots(load_snapshots(folder, 2018))
    kinds = {(w.kind, w.building, w.years) for w in warnings}
    assert ("vanished", "HMR-0005", (2024, 2026)) in kinds
    assert ("improved_unpaid", better, (2024, 2026)) in kinds
    assert len(warnings) == 2, [str(w) for w in warnings]
    text = [str(w) for w in warnings]
    assert any("HMR-0005" in t and "2024–2026" in t for t in text)


def test_a_building_gone_that_the_plan_disposes_of_by_then_is_not_warned(tmp_path):
    folder, _ = _third_survey(tmp_path)
    snaps = load_snapshots(folder, 2018)
    for plan, warned in (({"HMR-0005": 2026.0}, False), ({"HMR-0005": 2027.0}, True),
                         ({"HMR-0005": np.nan}, True), ({}, True)):  # fmt: skip
        gone = [w for w in check_snapshots(snaps, plan) if w.kind == "vanished"]
        assert bool(gone) == warned, plan
    [w] = [w for w in check_snapshots(snaps, {}) if w.kind == "vanished"]
    assert "register: none, plan: none" in str(w)
    assert w.render("nb").endswith("uten avhending innen da (register: ingen, plan: ingen)")


def test_track_knows_the_scenarios_disposals_and_its_disposal_shift(tmp_path):
    """``hmn-bygg track --plan X``: a building gone that X disposes of (by building, or by
    its disposal shift ``delay_years``) is explained; one that neither register nor X
    disposes of is warned about."""
    folder = tmp_path / "data" / "building_register"  # where the copied model looks
    _third_survey(tmp_path, folder, gone=("STO-0071", "HMR-0001"))  # STO-0071: planned 2028
    shutil.copytree(paths.models_dir(), tmp_path / "models")
    plan = tmp_path / "plan.yaml"
    src = "assumption: test"
    plan.write_text(
        "overrides:\n  tidlig:\n"
        "    model.plan_start: 2025\n"
        f"    portfolio.disposals.by_building: {{value: {{HMR-0005: 2026}}, source: '{src}'}}\n"
        f"    portfolio.disposals.delay_years: {{value: -2, source: '{src}'}}\n"
        "scenarios:\n  tidlig: [tidlig]\n",
        encoding="utf-8",
    )
    register_only = check_snapshots(load_snapshots(folder, 2018))
    assert {w.building for w in register_only if w.kind == "vanished"} == {
        "HMR-0005", "STO-0071", "HMR-0001"}  # fmt: skip
    code, out = invoke(["track", "--model", str(tmp_path / "models" / "hmn.yaml"),
                        "--scenarios", str(plan), "--plan", "tidlig", "--lang", "en"])  # fmt: skip
    assert code == 0, out
    gone = [line for line in out.splitlines() if "missing from the 2026 survey" in line]
    assert len(gone) == 1 and "HMR-0001 (2024–2026)" in gone[0], out
    assert "register: none, plan: none" in gone[0]


def test_future_part_and_unnoted_area_change_are_warned(tmp_path):
    folder, _ = _third_survey(tmp_path)
    p = pd.read_csv(folder / "surveys/2024/parts.csv", dtype={"part": str})
    p.loc[p.index[0], "survey_year"] = 2025  # after its own survey (2024), not after today
    p.to_csv(folder / "surveys/2024/parts.csv", index=False)
    b = pd.read_csv(folder / "surveys/2026/buildings.csv")
    b.loc[b["building_id"] == "STO-0002", "floor_area"] += 100
    b.to_csv(folder / "surveys/2026/buildings.csv", index=False)
    warnings = check_snapshots(load_snapshots(folder, 2018))
    kinds = {(w.kind, w.building) for w in warnings}
    assert ("future_part", p.loc[p.index[0], "building_id"]) in kinds
    assert ("area_unnoted", "STO-0002") in kinds


def test_a_survey_folder_not_named_by_a_year_is_refused(tmp_path):
    folder = tmp_path / "register"
    shutil.copytree(BASE, folder)
    (folder / "surveys" / "latest").mkdir()
    with pytest.raises(InputError, match="named by its year"):
        load_snapshots(folder, 2018)


def test_synthesize_survey_reproduces_the_bundled_second_survey(tmp_path):
    code, out = invoke(["register", "synthesize-survey", "--out", str(tmp_path)])
    assert code == 0, out
    for name in ("buildings.csv", "parts.csv"):
        assert (tmp_path / name).read_bytes() == (BASE / "surveys/2024" / name).read_bytes()
    code, out = invoke(["register", "synthesize-survey", "--out", str(tmp_path)])
    assert code != 0 and "--force" in out


def test_excel_sheet_shows_the_cli_figures(tmp_path, tracking):
    import openpyxl

    from hmn_bygg.config import load_scenarios
    from hmn_bygg.report.excel_track import write_track_sheet

    wb = openpyxl.Workbook()
    assert write_track_sheet(wb, load_scenarios(None, None, ["plan_2018"])) == ["Utvikling"]
    wb.save(tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx")["Utvikling"]
    assert "SYNTETISK" in ws["A1"].value
    heads = [c.value for c in ws[2]]
    code, out = invoke(["track", "--json"])
    assert code == 0, out
    cli = pd.read_json(io.StringIO(out[: out.rindex("]") + 1]))
    for i, (_, row) in enumerate(cli.iterrows(), start=3):
        cells = {h: c.value for h, c in zip(heads, ws[i], strict=True)}
        assert cells["Enhet"] == row["entity"]
        for col in ("expected", "surveyed", "difference", *CAUSES):
            from hmn_bygg.report.track_texts import track_text

            got, want = cells[track_text(col, "nb")], row[col]
            assert (got is None and pd.isna(want)) or got == pytest.approx(
                want, abs=1e-9
            )  # JSON: 10 decimals


def test_dashboard_page_shows_the_cli_figures():
    from hmn_bygg.dashboard.pages import progress
    from hmn_bygg.dashboard.state import SessionState
    from hmn_bygg.report.track_texts import track_cells

    state = SessionState()
    page = progress.build(state)
    html = "".join(str(getattr(o, "object", "")) for o in page.objects)
    assert 'data-testid="progress-table"' in html and "SYNTETISK" in html
    code, out = invoke(["track", "--by", "site", "--json"])
    assert code == 0, out
    cli = pd.read_json(io.StringIO(out[: out.rindex("]") + 1]))
    _, rows = track_cells(cli, "nb")
    for row in rows:
        assert "".join(f">{c}</td>" for c in row[3:6]) in html.replace('<td class="">', ">")
    state.lang = "en"
    english = "".join(str(getattr(o, "object", "")) for o in progress.build(state).objects)
    assert "Plan expected" in english and "Planen forventet" not in english


def test_brief_has_a_short_progress_section_in_both_languages():
    from hmn_bygg.config import load_scenarios
    from hmn_bygg.engine.run import run_models
    from hmn_bygg.report.brief import build_brief

    models = load_scenarios(None, None, ["today", "plan_2018"])
    ds = run_models(models)
    nb = build_brief(ds, models=models).html.replace("\u00a0", " ")
    assert "Utvikling mot planen" in nb and "Registreringen 2024 viste VTTG 1,56" in nb
    assert "planen fra 2018 ventet 1,37" in nb and "SYNTETISK" in nb
    en = build_brief(ds, lang="en", models=models).html.replace("\u00a0", " ")
    assert "Progress against the plan" in en and "Utvikling mot planen" not in en


def test_calibration_recovers_the_documented_wear_of_the_synthetic_survey(tmp_path, monkeypatch):
    from hmn_bygg.config import load_model, load_scenarios
    from hmn_bygg.config.user_scenarios import USER_SCENARIOS_ENV
    from hmn_bygg.register.synth_survey import FOLLOW_UP
    from hmn_bygg.report.calibrate import calibrate_wear

    model = load_model()
    table = calibrate_wear(model, load_snapshots(BASE, 2018))
    lives = model.condition.part_life_years.value
    for part in ("2", "4", "6", "7"):  # the generator's lives / speed lie in the 95 % interval
        truth = float(lives[part]) / FOLLOW_UP.wear_speed[part]
        assert table.loc[part, "life_low"] <= truth <= table.loc[part, "life_high"], part
    assert table.loc["3", "speed"] > 1 and table.loc["4", "speed"] > 1  # set to wear faster
    # offered as an override a user can adopt: saved, validated, run with its spread
    user = tmp_path / "user.yaml"
    monkeypatch.setenv(USER_SCENARIOS_ENV, str(user))
    code, out = invoke(["track", "--calibrate", "--save-scenario", "slitasje"])
    assert code == 0, out
    assert "condition.part_life_years" in out and "sigma" in out
    kept = load_scenarios(None, user, ["slitasje"])["slitasje"]
    assert kept.condition.wear_rate_factor.uncertainty is not None
    assert float(kept.condition.part_life_years.value["7"]) == pytest.approx(
        table.loc["7", "life_estimate"], abs=0.05
    )


def test_a_register_with_one_survey_says_how_to_add_one(tmp_path):
    from hmn_bygg.core.paths import models_dir

    shutil.copytree(models_dir(), tmp_path / "models")
    reg = tmp_path / "data" / "building_register"
    reg.mkdir(parents=True)
    for name in ("buildings.csv", "parts.csv"):
        shutil.copy(BASE / name, reg / name)
    code, out = invoke(["track", "--model", str(tmp_path / "models" / "hmn.yaml")])
    assert code == 0, out
    assert "bare én registrering (2018)" in out and "surveys/ÅR" in out
    assert "SYNTETISK" not in out  # not the bundled folder


def test_cli_names_the_warnings_of_a_third_survey(tmp_path):
    from hmn_bygg.core.paths import models_dir

    folder, better = _third_survey(tmp_path)
    shutil.copytree(models_dir(), tmp_path / "models")
    (tmp_path / "data").mkdir()
    folder.rename(tmp_path / "data" / "building_register")
    model = str(tmp_path / "models" / "hmn.yaml")
    code, out = invoke(["register", "surveys", "--model", model])
    assert code == 0, out
    assert "2026: " in out
    assert "Advarsel: HMR-0005 (2024–2026): mangler i registreringen for 2026 uten avhending" in out
    assert f"Advarsel: {better} (2024–2026): tilstandsgraden ble bedre fra 1," in out
    assert "missing from" not in out and "grade improved" not in out
    code, out = invoke(["register", "surveys", "--model", model, "--lang", "en"])
    assert code == 0, out
    assert "HMR-0005 (2024–2026): missing from the 2026 survey with no disposal" in out
    assert f"{better} (2024–2026): grade improved from 1." in out
    code, out = invoke(["track", "--model", model, "--lang", "en"])
    assert code == 0, out
    assert "Warnings between the surveys" in out and "HMR-0005" in out
    assert "HMR-0005 (2024–2026): missing from the 2026 survey" in out
    code, out = invoke(["track", "--model", model])
    assert code == 0, out
    assert "HMR-0005 (2024–2026): mangler i registreringen for 2026" in out
    assert out.count("2026  ") >= 4  # the third survey has its own rows (region and 3 HF)
