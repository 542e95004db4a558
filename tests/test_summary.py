"""Tests of the Tabell-1 style register summary, the checks of Tabell 1 and the CLI."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from cli_invoke import invoke
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from hmn_bygg.cli import app, synth_cmd
from hmn_bygg.register import summary, synth, weighting
from hmn_bygg.register.model import build_register
from hmn_bygg.report.register_table import render_summary

HFS = ("HMR", "HNT", "STO")


@pytest.fixture(scope="module")
def ds() -> xr.Dataset:
    return build_register(*synth.synthesize())


def _overall_grade_register() -> xr.Dataset:
    b = pd.DataFrame(
        {
            "building_id": ["A", "B", "C"],
            "name": ["a", "b", "c"],
            "hf": ["HMR", "STO", "STO"],
            "site": ["Molde", "Øya", "Øya"],
            "use": ["somatic", "somatic", "housing"],
            "floor_area": [100.0, 300.0, 100.0],
            "built_year": [1970, 2000, 2010],
            "replacement_value": [50_000.0, 70_000.0, 30_000.0],
            "condition_grade": [2.0, 1.0, 0.0],
        }
    )
    return build_register(b)


def test_summary_by_hf_reproduces_tabell1(ds):
    table = summary.register_summary(ds)
    pub = summary.published_tabell1()
    assert list(table.index) == [*HFS, "total"]
    for hf in HFS:
        assert table.loc[hf, "buildings"] == pub.loc[hf, "buildings"]
        assert table.loc[hf, "floor_area_m2"] == pub.loc[hf, "floor_area_m2"]
        assert table.loc[hf, "weighted_age_years"] == pytest.approx(
            pub.loc[hf, "weighted_age_years"], abs=0.5
        )
        assert table.loc[hf, "grade"] == pytest.approx(pub.loc[hf, "grade"], abs=0.005)
    total = table.loc["total"]
    assert total["buildings"] == 292
    assert total["floor_area_m2"] == 709_719
    assert total["grade"] == pytest.approx(1.45, abs=0.006)
    assert total["weighted_age_years"] == pytest.approx(38.5, abs=0.1)
    assert table.attrs == {
        "by": "hf",
        "weighting": "area",
        "survey_year": 2018.0,
        "grade_origin": "part",
    }


@pytest.mark.parametrize("by", ["site", "use"])
@pytest.mark.parametrize("weight", ["area", "value"])
def test_region_row_is_the_same_for_every_grouping(ds, by, weight):
    by_hf = summary.register_summary(ds, "hf", weight).loc["total"]
    other = summary.register_summary(ds, by, weight)
    assert other.loc["total"].to_numpy() == pytest.approx(by_hf.to_numpy(), rel=1e-12)
    assert other.drop(index="total")["buildings"].sum() == 292


def test_value_weighting_differs_from_area(ds):
    area = summary.register_summary(ds, weighting="area")
    value = summary.register_summary(ds, weighting="value")
    assert value.loc["HMR", "grade"] != pytest.approx(area.loc["HMR", "grade"], abs=1e-4)
    assert value.loc["HMR", "grade_weight"] > 1e9  # NOK, not m²
    with pytest.raises(ValueError, match="weighting"):
        summary.register_summary(ds, weighting="count")
    with pytest.raises(ValueError, match="by must be"):
        summary.register_summary(ds, by="owner")


def test_upgrade_need_is_summed(ds):
    need = xr.DataArray(
        np.ones(ds.sizes["building"]), dims="building", coords={"building": ds.building.values}
    )
    table = summary.register_summary(ds, upgrade_need=need)
    assert list(table["upgrade_need_mnok"]) == [117, 52, 123, 292]


def test_published_checks_find_the_two_inconsistencies():
    checks = {(c["measure"], c["weighting"]): c for c in summary.published_checks()}
    assert checks[("buildings", "sum")]["consistent"]
    assert checks[("floor_area_m2", "sum")]["computed"] == 709_719
    assert not checks[("floor_area_m2", "sum")]["consistent"]
    assert checks[("weighted_age_years", "area")]["consistent"]
    assert checks[("grade", "area")]["computed"] == pytest.approx(1.4514, abs=1e-4)
    assert checks[("grade", "count")]["computed"] == pytest.approx(1.4872, abs=1e-4)
    assert not checks[("grade", "area")]["consistent"]
    notes = summary.published_discrepancies()
    assert len(notes) == 2
    assert "709 769" in notes[0] and "709 719" in notes[0] and "50 m²" in notes[0]
    assert "1,35" in notes[1] and "1,45" in notes[1] and "1,49" in notes[1]


def test_discrepancies_come_from_the_data(monkeypatch):
    consistent = pd.DataFrame(
        {
            "hf": ["HMR", "STO", "total"],
            "buildings": ["10", "30", "40"],
            "floor_area_m2": ["1000", "3000", "4000"],
            "weighted_age_years": ["40", "20", "25"],
            "grade": ["2.00", "1.00", "1.25"],
            "source": ["test"] * 3,
        }
    ).set_index("hf")
    monkeypatch.setattr(summary, "_published_raw", lambda: consistent)
    assert summary.published_discrepancies() == []
    broken = consistent.copy()
    broken.loc["total", "buildings"] = "41"
    monkeypatch.setattr(summary, "_published_raw", lambda: broken)
    (note,) = summary.published_discrepancies()
    assert "41" in note and "40" in note


def test_register_vs_published(ds):
    comp = summary.register_vs_published(summary.register_summary(ds))
    assert comp.drop(index="total").filter(like="_matches").all().all()
    assert not comp.loc["total", "floor_area_m2_matches"]
    assert not comp.loc["total", "grade_matches"]
    assert comp.loc["total", "weighted_age_years_matches"]
    # the total's mismatches are the published table's own (reported once, elsewhere)
    assert summary.register_discrepancies(summary.register_summary(ds)) == []
    off = summary.register_summary(ds)
    off.loc["HMR", "floor_area_m2"] += 1000
    off.loc["total", "floor_area_m2"] += 1000
    notes = summary.register_discrepancies(off)
    assert len(notes) == 2 and "HMR" in notes[0] and "regionen" in notes[1]
    with pytest.raises(ValueError):
        summary.register_vs_published(summary.register_summary(ds, by="site"))


# ---------------------------------------------------------------- CLI


@pytest.fixture
def cli(monkeypatch, ds):
    monkeypatch.setattr(synth_cmd, "_load_register", lambda files, *_: ds)
    return CliRunner()


def test_cli_summary_text(cli):
    res = cli.invoke(app, ["register", "summary"])
    assert res.exit_code == 0, res.output
    out = res.output
    for text in ("Foretak", "Antall bygg", "Areal (m²)", "Alder (vektet)", "VTTG"):
        assert text in out
    assert "Helse Møre og Romsdal HF" in out and "254 836" in out and "1,91" in out
    assert "709 719" in out and "1,45" in out
    assert "publisert / register" in out
    assert "709 769 / 709 719" in out and "1,35 / 1,45" in out
    for note in summary.published_discrepancies():
        assert note in out


def test_cli_summary_in_english(cli):
    code, out = invoke(["register", "summary", "--lang", "en"])
    assert code == 0, out
    words = ("Buildings by health trust (VTTG area-weighted)", "Health trust", "Buildings",
             "Area (m²)", "Age (weighted)", "VTTG", "published / register", "Notes:")  # fmt: skip
    for text in words:
        assert text in out, text
    assert (
        "254,836" in out and "1.91" in out and "709,769 / 709,719" in out and "1.35 / 1.45" in out
    )
    for word in ("Foretak", "Antall bygg", "Merknader", "publisert", "254 836", "1,91"):
        assert word not in out, word
    for note in summary.published_discrepancies("en"):
        assert note in out
    code, nb = invoke(["register", "summary"])
    assert code == 0 and "Bygningsmasse per foretak (VTTG arealvektet)" in nb
    assert "709 769 / 709 719" in nb and "Merknader:" in nb


def test_summary_footnotes_in_either_language(ds):
    en = summary.published_discrepancies("en")
    assert en[0] == (
        "The published total area of the region (709,769 m²) is not the sum of the health "
        "trusts (709,719 m²); difference 50 m²."
    )
    assert "area-weighted 1.45, weighted by the number of buildings 1.49" in en[1]
    nb = summary.published_discrepancies()
    assert nb[1].endswith("arealvektet 1,45, vektet med antall bygg 1,49. Vektingen bak 1,35 er "
                          "ikke publisert.")  # fmt: skip
    off = summary.register_summary(ds)
    off.loc["HMR", "floor_area_m2"] += 1000
    (note, _) = summary.register_discrepancies(off, "en")
    assert note.startswith("The register's total area for HMR is 255,836 m²; Tabell 1 has ")
    table = summary.register_summary(ds, by="use")
    text = render_summary(table, "en")
    assert text.startswith("Buildings by use (VTTG area-weighted)") and "Total" in text
    assert render_summary(table).startswith("Bygningsmasse per formål (VTTG arealvektet)")


def test_cli_summary_by_site_value(cli):
    res = cli.invoke(app, ["register", "summary", "--by", "site", "--weight", "value"])
    assert res.exit_code == 0, res.output
    assert "Lokasjon" in res.output and "Brøset" in res.output
    assert "gjenanskaffelsesverdi" in res.output
    assert "publisert / register" not in res.output


def test_cli_summary_json(cli, ds):
    res = cli.invoke(app, ["register", "summary", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    table = summary.register_summary(ds)
    assert [r["group"] for r in data["rows"]] == list(HFS)
    for row in data["rows"]:
        assert row["buildings"] == table.loc[row["group"], "buildings"]
        assert isinstance(row["buildings"], int)
        assert row["grade"] == pytest.approx(table.loc[row["group"], "grade"])
    assert data["total"]["floor_area_m2"] == 709_719
    assert data["survey_year"] == 2018
    assert len(data["published"]) == 4
    assert {c["measure"] for c in data["published_checks"]} == set(summary.MEASURES)
    assert data["notes"]


def test_cli_says_when_grades_were_per_building(monkeypatch):
    reg = _overall_grade_register()
    monkeypatch.setattr(synth_cmd, "_load_register", lambda files, *_: reg)
    res = CliRunner().invoke(app, ["register", "summary", "--by", "use"])
    assert res.exit_code == 0, res.output
    assert "én tilstandsgrad per bygg" in res.output
    data = json.loads(CliRunner().invoke(app, ["register", "summary", "--json"]).output)
    assert data["grade_origin"] == "building"


def test_cli_summary_reads_the_bundled_register_with_load_register():
    # no monkeypatched loader: the command reads the bundled files itself (an import
    # regression of the register reader fails here, it is not skipped)
    res = CliRunner().invoke(app, ["register", "summary", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["total"]["buildings"] == 292
    assert data["total"]["floor_area_m2"] == 709_719


# ---------------------------------------------------------------- property


@st.composite
def registers(draw) -> xr.Dataset:
    n = draw(st.integers(1, 12))
    floats = st.floats(1.0, 50_000.0, allow_nan=False)

    def column(strategy):
        return draw(st.lists(strategy, min_size=n, max_size=n))

    b = pd.DataFrame(
        {
            "building_id": [f"B{i}" for i in range(n)],
            "name": [f"bygg {i}" for i in range(n)],
            "hf": column(st.sampled_from(HFS)),
            "site": column(st.sampled_from(["x", "y"])),
            "floor_area": column(floats),
            "built_year": column(st.integers(1900, 2018)),
            "replacement_value": column(st.floats(1_000.0, 100_000.0)),
        }
    )
    grade = st.one_of(st.integers(0, 3), st.none())  # None: part not graded
    grades = column(st.lists(grade, min_size=6, max_size=6))
    shares = column(st.lists(st.floats(0.01, 1.0), min_size=6, max_size=6))
    rows = [
        {
            "building_id": f"B{i}",
            "part": str(p + 2),
            "condition_grade": grades[i][p],
            "cost_share": shares[i][p],
            "survey_year": 2018,
        }
        for i in range(n)
        for p in range(6)
    ]
    return build_register(b, pd.DataFrame(rows))


@settings(max_examples=60, deadline=None)
@given(ds=registers(), weight=st.sampled_from(["area", "value"]))
def test_region_from_groups_equals_direct_aggregation(ds, weight):
    table = summary.register_summary(ds, by="hf", weighting=weight)
    grade = weighting.building_grade(ds.condition_grade, ds.cost_share)
    w = weighting.building_weight(ds.floor_area, ds.replacement_value, weight)
    direct = float(weighting.weighted_mean(grade, w))
    total = table.loc["total"]
    if np.isnan(direct):
        assert np.isnan(total["grade"])
    else:
        assert total["grade"] == pytest.approx(direct, rel=1e-9)
    age = 2018 - ds.built_year
    assert total["weighted_age_years"] == pytest.approx(
        float(weighting.weighted_mean(age, ds.floor_area)), rel=1e-9
    )
    assert total["floor_area_m2"] == pytest.approx(float(ds.floor_area.sum()), rel=1e-12)
    assert total["buildings"] == ds.sizes["building"]
