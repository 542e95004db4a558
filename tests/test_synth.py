"""Tests of the synthetic register: calibration to Tabell 1, determinism, the bundled files."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from hmn_bygg.cli import app
from hmn_bygg.core import paths
from hmn_bygg.core.errors import InputError
from hmn_bygg.register import synth, synth_report, weighting
from hmn_bygg.register.model import build_register
from hmn_bygg.register.summary import published_tabell1

HFS = ("HMR", "HNT", "STO")


@pytest.fixture(scope="module")
def tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    return synth.synthesize()


def _hf_figures(buildings: pd.DataFrame, parts: pd.DataFrame) -> pd.DataFrame:
    """Per-HF figures computed straight from the weighting module (not from summary.py)."""
    ds = build_register(buildings, parts)
    groups = weighting.membership(ds.hf, "hf", list(HFS))
    grade = weighting.building_grade(ds.condition_grade, ds.cost_share)
    age = 2018 - ds.built_year
    return pd.DataFrame(
        {
            "buildings": groups.sum("building").to_numpy(),
            "floor_area_m2": (ds.floor_area * groups).sum("building").to_numpy(),
            "weighted_age_years": weighting.weighted_mean_by_group(
                age, ds.floor_area, groups
            ).to_numpy(),
            "grade": weighting.weighted_mean_by_group(grade, ds.floor_area, groups).to_numpy(),
        },
        index=list(HFS),
    )


@pytest.mark.parametrize("seed", [2018, 7])
def test_calibrated_to_tabell1(seed):
    buildings, parts = synth.synthesize(seed) if seed != 2018 else synth.synthesize()
    fig = _hf_figures(buildings, parts)
    pub = published_tabell1().loc[list(HFS)]
    assert (fig["buildings"] == pub["buildings"]).all()
    assert (fig["floor_area_m2"] == pub["floor_area_m2"]).all()
    assert (fig["weighted_age_years"] - pub["weighted_age_years"]).abs().max() <= 0.5
    assert (fig["grade"] - pub["grade"]).abs().max() <= 0.005
    assert len(buildings) == 292
    assert int(buildings["floor_area"].sum()) == 709_719


def test_tables_have_the_register_shape(tables):
    b, p = tables
    assert tuple(b.columns) == synth.BUILDING_COLUMNS
    assert tuple(p.columns) == synth.PART_COLUMNS
    assert b["building_id"].is_unique
    assert all(re.fullmatch(r"(HMR|HNT|STO)-\d{4}", i) for i in b["building_id"])
    assert b["floor_area"].dtype == np.int64 and (b["floor_area"] > 0).all()
    assert set(b["use"]) <= {"somatic", "mental_health", "office", "housing", "technical", "other"}
    assert len(p) == 6 * len(b)
    assert set(p["part"]) == {"2", "3", "4", "5", "6", "7"}
    assert p["condition_grade"].dtype == np.int64
    assert p["condition_grade"].between(0, 3).all()
    assert p["survey_year"].between(2015, 2018).all()
    assert (
        p.groupby("building_id")["survey_year"].first() > b.set_index("building_id")["built_year"]
    ).all()
    np.testing.assert_allclose(p.groupby("building_id")["cost_share"].sum(), 1.0, atol=1e-12)
    assert b["adaptability"].dropna().between(0, 3).all()
    assert b["built_year"].max() <= 2016


def test_shape_is_realistic(tables):
    b, p = tables
    blocks = b[b["floor_area"] >= 10_000]
    assert 5 <= len(blocks) <= 40
    assert b["floor_area"].max() <= 40_000
    assert (b["floor_area"] < 1_000).sum() > 120
    ds = build_register(b, p)
    grade = weighting.building_grade(ds.condition_grade, ds.cost_share)
    age = 2018 - ds.built_year
    assert np.corrcoef(grade, age)[0, 1] > 0.4
    ok = ds.adaptability.notnull()
    assert np.corrcoef(ds.adaptability[ok], age[ok])[0, 1] > 0.4
    by_part = p.groupby("part")["condition_grade"].mean()
    assert by_part[["3", "4", "5"]].min() > by_part["2"]
    value = b.set_index("use")["replacement_value"]
    assert value.loc["somatic"].between(60_000, 70_000).all()
    assert value.loc["housing"].max() < value.loc["somatic"].min()
    assert {"Ålesund", "Molde", "Kristiansund", "Levanger", "Namsos", "Øya", "Brøset"} <= set(
        b["site"]
    )
    assert "Hjelset" not in set(b["site"])


def test_planned_disposals(tables):
    b, _ = tables
    snr = b[b["site"].isin(["Molde", "Kristiansund"]) & b["planned_disposal_year"].notna()]
    assert set(snr["planned_disposal_year"]) == {2026}
    assert 85_000 <= snr["floor_area"].sum() <= 95_000
    broset = b[b["site"] == "Brøset"]
    assert set(broset["planned_disposal_year"]) <= {2027, 2028}
    others = b[~b["site"].isin(["Molde", "Kristiansund", "Brøset"])]
    assert others["planned_disposal_year"].isna().all()


def test_regenerated_files_are_byte_identical_to_the_bundled(tmp_path):
    written = synth.write_register(tmp_path)
    for path in written:
        assert path.read_bytes() == (paths.register_dir() / path.name).read_bytes()


def test_bundled_csvs_equal_synthesize_output(tables):
    b, p = tables
    read_b = pd.read_csv(paths.register_dir() / synth.BUILDINGS_CSV, encoding="utf-8")
    read_p = pd.read_csv(paths.register_dir() / synth.PARTS_CSV, dtype={"part": str})
    for col in ("floor_area", "built_year", "replacement_value"):
        assert (read_b[col].to_numpy() == b[col].to_numpy()).all()
    for col in ("adaptability", "planned_disposal_year"):
        np.testing.assert_array_equal(
            read_b[col].to_numpy(float), b[col].to_numpy(float, na_value=np.nan)
        )
    for col in ("building_id", "name", "hf", "site", "use"):
        assert list(read_b[col]) == list(b[col])
    assert list(read_p["part"]) == list(p["part"])
    for col in ("condition_grade", "survey_year", "cost_share"):
        np.testing.assert_array_equal(read_p[col].to_numpy(), p[col].to_numpy())


def test_provenance_figures_match_the_code(tables):
    text = (paths.register_dir() / "PROVENANCE.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- figures:start -->\n(.*?)\n<!-- figures:end -->", text, re.S)
    assert block is not None
    assert block.group(1) == synth_report.provenance_figures_markdown(*tables)
    assert "synthetic" in text.lower()


def test_same_seed_same_register_other_seed_other_register():
    a = synth.synthesize(3)
    b = synth.synthesize(3)
    c = synth.synthesize(4)
    pd.testing.assert_frame_equal(a[0], b[0])
    pd.testing.assert_frame_equal(a[1], b[1])
    assert not a[0]["floor_area"].equals(c[0]["floor_area"])


# ---------------------------------------------------------------- CLI


def test_cli_synthesize_writes_and_refuses_to_overwrite(tmp_path):
    runner = CliRunner()
    out = tmp_path / "reg"
    res = runner.invoke(app, ["register", "synthesize", "--out", str(out), "--seed", "2018"])
    assert res.exit_code == 0, res.output
    assert (out / "buildings.csv").read_bytes() == (
        paths.register_dir() / "buildings.csv"
    ).read_bytes()
    assert "HMR: 117 bygg, 254 836 m²" in res.output
    res = runner.invoke(app, ["register", "synthesize", "--out", str(out)])
    assert res.exit_code == 1
    assert isinstance(res.exception, InputError)
    assert "--force" in str(res.exception)
    res = runner.invoke(
        app, ["register", "synthesize", "--out", str(out), "--seed", "5", "--force"]
    )
    assert res.exit_code == 0, res.output
    assert (out / "buildings.csv").read_bytes() != (
        paths.register_dir() / "buildings.csv"
    ).read_bytes()


def test_cli_may_regenerate_the_bundled_folder_with_the_default_seed_only(tmp_path, monkeypatch):
    root = tmp_path / "home"
    shutil.copytree(paths.models_dir(), root / "models")
    folder = root / "data" / "building_register"
    folder.mkdir(parents=True)
    (folder / "buildings.csv").write_text("old", encoding="utf-8")
    monkeypatch.setenv("HMN_BYGG_HOME", str(root))
    runner = CliRunner()
    res = runner.invoke(app, ["register", "synthesize", "--seed", "9"])
    assert res.exit_code == 1
    assert (folder / "buildings.csv").read_text(encoding="utf-8") == "old"
    res = runner.invoke(app, ["register", "synthesize"])
    assert res.exit_code == 0, res.output
    assert (folder / "parts.csv").read_bytes() == (
        Path(__file__).parents[1] / "data" / "building_register" / "parts.csv"
    ).read_bytes()
