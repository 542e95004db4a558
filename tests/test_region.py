"""A region is data: a second, made-up region of two HFs runs end to end.

The test region is derived from the bundled project: Helse Møre og Romsdal (HMR) becomes
``NORD`` and the two other trusts (HNT, STO) become ``SOR``, with other names. Per-HF tables
take HMR's value for NORD and STO's for SOR (HNT's is dropped; a project's ``hf_share`` adds
HNT's and STO's), the register keeps every building (HNT's and STO's under SOR, with new ids),
actuals and Tabell 1 follow, sources are kept. Then the command line runs on it through
``HMN_BYGG_HOME`` in a subprocess, and nothing of the bundled region may show.
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml
from openpyxl import load_workbook

from hmn_bygg.config import hf_codes, hf_name, load_model, load_region
from hmn_bygg.config.region import ORGANISATION_FILE
from hmn_bygg.core.errors import InputError
from hmn_bygg.core.paths import brief_appendix

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ("HMR", "HNT", "STO")
OLD_CODE = re.compile(r"\b(HMR|HNT|STO)\b")
REGION_ROWS = [
    ["region", "TEST", "Testregionen RHF", "Test Regional Health Authority", "Testregionen",
     "the Test Region", "Testregionen|TEST", "assumption: a region made up for the tests"],
    ["hf", "NORD", "Helse Nordre HF", "Northern Health Trust", "Helse Nordre", "Northern Health",
     "Helse Nordre|Nordre|NORD", "assumption: HMR's buildings and money under another name"],
    ["hf", "SOR", "Søndre sykehus HF", "Southern Hospital Trust", "Søndre sykehus",
     "Southern Hospital", "Søndre sykehus|Søndre|SOR", "assumption: HNT and STO as one trust"],
]  # fmt: skip
NAMES = ("Helse Nordre", "Søndre sykehus")


def recode(text: str) -> str:
    """Rename the bundled codes in a text: HMR -> NORD, HNT and STO -> SOR (ids stay unique)."""
    text = re.sub(r"\bHNT-(?=\d)", "SOR-N", text)
    text = re.sub(r"\bHMR\b", "NORD", text)
    return re.sub(r"\b(HNT|STO)\b", "SOR", text)


def recode_node(node: Any, path: tuple = ()) -> Any:
    """Recode a parsed YAML tree: per-HF tables get the new codes, every text is recoded."""
    if isinstance(node, dict):
        if set(node) == set(BUNDLED):
            sor = node["STO"]
            if len(path) >= 2 and path[-2] == "hf_share":  # shares move, they are not dropped
                sor = node["HNT"] + node["STO"]
            return {"NORD": recode_node(node["HMR"], path), "SOR": recode_node(sor, path)}
        return {
            (recode(k) if isinstance(k, str) else k): recode_node(v, (*path, k))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [recode_node(v, path) for v in node]
    return recode(node) if isinstance(node, str) else node


def write_yaml(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def make_region(root: Path) -> Path:
    """Write the two-HF test region (models/ and data/building_register/) under ``root``."""
    models, register = root / "models", root / "data" / "building_register"
    models.mkdir(parents=True)
    register.mkdir(parents=True)
    src = ROOT / "models"
    for name in ("price_index.yaml", "parts.csv"):
        (models / name).write_bytes((src / name).read_bytes())

    model = recode_node(yaml.safe_load((src / "hmn.yaml").read_text(encoding="utf-8")))
    model["model"]["name"] = "Testregionen, base model"
    write_yaml(models / "hmn.yaml", model)

    scenarios = yaml.safe_load((src / "scenarios.yaml").read_text(encoding="utf-8"))
    for name, keys in scenarios["overrides"].items():  # a key into HNT's entry has no heir
        scenarios["overrides"][name] = {k: v for k, v in keys.items() if not k.endswith(".HNT")}
    write_yaml(models / "scenarios.yaml", recode_node(scenarios))

    actuals = yaml.safe_load((src / "actuals.yaml").read_text(encoding="utf-8"))
    rows = []
    for row in actuals["rows"]:
        if row["hf"] == "HNT":
            continue
        row = recode_node({**row, "hf": "SOR" if row["hf"] == "HNT+STO" else row["hf"]})
        row["id"] = row["id"].replace("hnt_sto", "sor").replace("hmr", "nord").replace("sto", "sor")
        rows.append(row)
    write_yaml(models / "actuals.yaml", {**actuals, "rows": rows})

    with open(src / ORGANISATION_FILE, encoding="utf-8", newline="") as f:
        bundled = list(csv.reader(f))
    with open(models / ORGANISATION_FILE, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerows([bundled[0], *REGION_ROWS, *(r for r in bundled[1:] if r[0] == "use")])

    pub = pd.read_csv(src / "published_tabell1.csv", dtype={"hf": str}).set_index("hf")
    south = pub.loc[["HNT", "STO"]]
    area = south["floor_area_m2"]
    sor = {
        "buildings": south["buildings"].sum(),
        "floor_area_m2": area.sum(),
        "weighted_age_years": round(
            float(np.average(south["weighted_age_years"], weights=area)), 2
        ),
        "grade": round(float(np.average(south["grade"], weights=area)), 3),
        "source": "assumption: HNT's and STO's rows of Tabell 1 together",
    }
    table = pd.concat([pub.loc[["HMR"]].rename(index={"HMR": "NORD"}),
                       pd.DataFrame([sor], index=["SOR"]), pub.loc[["total"]]])  # fmt: skip
    table.index.name = "hf"
    table.to_csv(models / "published_tabell1.csv")

    reg = ROOT / "data" / "building_register"
    buildings = pd.read_csv(reg / "buildings.csv", dtype={"building_id": str})
    buildings["building_id"] = buildings["building_id"].map(recode)
    buildings["hf"] = buildings["hf"].map({"HMR": "NORD", "HNT": "SOR", "STO": "SOR"})
    buildings.to_csv(register / "buildings.csv", index=False)
    parts = pd.read_csv(reg / "parts.csv", dtype={"building_id": str, "part": str})
    parts["building_id"] = parts["building_id"].map(recode)
    parts.to_csv(register / "parts.csv", index=False)
    return root


@pytest.fixture(scope="module")
def region(tmp_path_factory) -> Path:
    """The project root of the test region."""
    return make_region(tmp_path_factory.mktemp("region") / "home")


def hmn_bygg(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the command line with ``HMN_BYGG_HOME`` set to ``root``, in ``root``."""
    return hmn_bygg_python(root, "from hmn_bygg.cli import main; main()", *args)


def hmn_bygg_python(root: Path, code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run Python ``code`` with ``HMN_BYGG_HOME`` set to ``root``, in ``root``."""
    env = {**os.environ, "HMN_BYGG_HOME": str(root)}
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=root, env=env, capture_output=True, text=True, timeout=900,
    )  # fmt: skip


def no_bundled_codes(text: str, where: str) -> None:
    found = sorted(set(OLD_CODE.findall(text)))
    assert not found, f"{where} names the bundled region's HFs {found}"


def numbers(node: Any) -> list[float]:
    if isinstance(node, dict):
        return [x for v in node.values() for x in numbers(v)]
    if isinstance(node, list):
        return [x for v in node for x in numbers(v)]
    return [float(node)] if isinstance(node, int | float) and not isinstance(node, bool) else []


def test_the_region_is_read_from_the_project_root(region, monkeypatch):
    monkeypatch.setenv("HMN_BYGG_HOME", str(region))
    assert hf_codes() == ("NORD", "SOR")
    assert hf_name("SOR") == "Søndre sykehus"
    assert hf_name("SOR", "en", short=False) == "Southern Hospital Trust"
    assert load_region().authority.name("nb") == "Testregionen"
    model = load_model()
    assert tuple(model.finance.credit_limit_mnok.value) == ("NORD", "SOR")
    assert dict(model.finance.projects.psykiatriloftet_levanger.hf_share.value) == {
        "NORD": 0.0,
        "SOR": 1.0,
    }
    monkeypatch.delenv("HMN_BYGG_HOME")
    assert hf_codes() == BUNDLED


def test_an_hf_the_region_does_not_know_is_refused(region, monkeypatch, tmp_path):
    monkeypatch.setenv("HMN_BYGG_HOME", str(region))
    data = yaml.safe_load((region / "models" / "hmn.yaml").read_text(encoding="utf-8"))
    budget = data["maintenance"]["budget_mnok"]["value"]
    budget["NORX"] = budget.pop("NORD")
    data["portfolio"]["new_buildings"]["value"][0]["hf"] = "HMR"
    write_yaml(bad := tmp_path / "bad.yaml", data)
    with pytest.raises(InputError) as err:
        load_model(bad)
    message = str(err.value)
    assert "column 'maintenance.budget_mnok.NORX': not an HF of the region" in message
    assert "column 'portfolio.new_buildings.0.hf': not an HF of the region" in message
    assert "expected 'NORD' or 'SOR' (the HFs in " in message and "found 'HMR'" in message
    budget["NORD"] = budget.pop("NORX")
    del budget["SOR"]
    data["portfolio"]["new_buildings"]["value"][0]["hf"] = "NORD"
    write_yaml(missing := tmp_path / "missing.yaml", data)
    with pytest.raises(InputError, match=r"maintenance.budget_mnok': table lacks 'SOR'"):
        load_model(missing)
    with pytest.raises(InputError, match="not an HF of the region"):  # the bundled model's HMR
        load_model(ROOT / "models" / "hmn.yaml")


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda rows: [r for r in rows if r[0] != "hf"], "no health trust (HF) in the table"),
        (
            lambda rows: [*rows, ["hf", "nord", "Annen", "Other", "", "", "", "x"]],
            "row 11, column 'code': HF code given twice; expected a code not used before (row 3)",
        ),
        (
            lambda rows: [r if r[1] != "SOR" else [*r[:2], "", *r[3:]] for r in rows],
            "row 4, column 'name_nb': empty name",
        ),
        (lambda rows: [r for r in rows if r[0] != "region"], "the region's own row is missing"),
        (
            lambda rows: [r if r[1] != "SOR" else [r[0], "S.R", *r[2:]] for r in rows],
            "row 4, column 'code': not a valid code",
        ),
        (
            lambda rows: [[c for i, c in enumerate(r) if i != 3] for r in rows],
            "row 1, column 'name_en': missing column",
        ),
    ],
)
def test_a_bad_organisation_table_is_refused(region, tmp_path, edit, expected):
    with open(region / "models" / ORGANISATION_FILE, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    table = tmp_path / ORGANISATION_FILE
    with open(table, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(edit(rows))
    with pytest.raises(InputError) as err:
        load_region(table)
    assert ORGANISATION_FILE in str(err.value) and expected in str(err.value)


def test_hf_colours_follow_the_region_and_never_fail():
    from hmn_bygg.dashboard.charts import hf_colours

    assert hf_colours() == {"HMR": "#0072B2", "HNT": "#E69F00", "STO": "#009E73"}
    colours = hf_colours(["STO", "NEW", "HMR", "ANOTHER"])
    assert colours["STO"] == "#009E73" and colours["HMR"] == "#0072B2"
    assert len({colours["NEW"], colours["ANOTHER"], "#0072B2", "#E69F00", "#009E73"}) == 5


@pytest.mark.slow
def test_a_two_hf_region_runs_end_to_end(region):
    check = hmn_bygg(region, "config", "check")
    assert check.returncode == 0, check.stderr
    no_bundled_codes(check.stdout + check.stderr, "config check")

    summary = hmn_bygg(region, "register", "summary")
    assert summary.returncode == 0, summary.stderr
    for name in ("Helse Nordre HF", "Søndre sykehus HF", "Testregionen"):
        assert name in summary.stdout
    no_bundled_codes(summary.stdout, "register summary")
    figures = json.loads(hmn_bygg(region, "register", "summary", "--json").stdout)
    assert [r["group"] for r in figures["rows"]] == ["NORD", "SOR"]

    out = region / "out"
    out.mkdir()
    nc, xlsx = out / "results.nc", out / "results.xlsx"
    run = hmn_bygg(region, "run", "--json", "--quiet", "-o", str(nc), "--xlsx", str(xlsx))
    assert run.returncode == 0, run.stderr
    no_bundled_codes(run.stdout, "run --json")
    table = json.loads(run.stdout)
    assert {r["entity"] for r in table["rows"]} >= {"NORD", "SOR"}
    values = numbers(table["rows"])
    assert values and all(math.isfinite(v) for v in values)

    ds = xr.load_dataset(nc)
    assert list(ds["hf"].to_numpy()) == ["NORD", "SOR"]
    for var in ("vttg", "area", "liquidity", "upgrade_need", "vttg_region", "liquidity_region"):
        assert np.isfinite(ds[var].to_numpy()).all(), var

    cells = []
    book = load_workbook(xlsx, read_only=True)  # read-only keeps the file open until close()
    try:
        for sheet in book.worksheets:
            cells += [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c]
    finally:
        book.close()
    workbook = "\n".join(cells)
    assert "NORD" in workbook and "SOR" in workbook
    no_bundled_codes(workbook, "the results workbook")

    html = out / "brief.html"
    brief = hmn_bygg(region, "brief", "--results", str(nc), "-o", str(out / "brief.pdf"),
                     "--html", str(html))  # fmt: skip
    assert brief.returncode == 0, brief.stderr
    text = html.read_text(encoding="utf-8")
    assert "Styrenotat: bygningsmassen i Testregionen" in text
    appendix = brief_appendix(out / "brief.pdf").read_text(encoding="utf-8")
    assert "NORD" in text and "SOR" in text  # the paper uses the codes, the appendix the names
    assert "Helse Nordre (NORD)" in appendix and "Søndre sykehus (SOR)" in appendix
    no_bundled_codes(re.sub(r"data:[^\"')]+", "", text), "the brief")
    no_bundled_codes(appendix, "the brief's appendix")


DASHBOARD = """
import panel as pn
from bokeh.document import Document
from hmn_bygg.dashboard.app import PAGE_KEYS, Dashboard
from hmn_bygg.dashboard.state import SessionState

def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from strings(v)
    elif hasattr(value, "tolist"):
        yield from strings(value.tolist())

doc = Document()
pn.state.curdoc = doc
dash = Dashboard(SessionState())
doc.add_root(dash.layout().get_root(doc))
for i in range(len(PAGE_KEYS)):
    dash.tabs.active = i
    for model in list(doc.models):
        for value in model.properties_with_values(include_defaults=False).values():
            print("\\n".join(strings(value)))
"""


@pytest.mark.slow
def test_the_dashboard_shows_the_region(region):
    shown = hmn_bygg_python(region, DASHBOARD)
    assert shown.returncode == 0, shown.stderr
    for name in (*NAMES, "Testregionen"):
        assert name in shown.stdout
    no_bundled_codes(shown.stdout, "the dashboard")
