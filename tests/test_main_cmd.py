"""``hmn-bygg main --no-serve``: the README's main job without the server.

Expected values come from outside the job's code: the register's totals from the published
Tabell 1 (utviklingsplan 2018), the identity that a region is the sum of its three health
trusts, and, for the printed scenario tables, the results file the same job writes (what is
printed must be what is stored).
"""

from __future__ import annotations

import re
import stat

import numpy as np
import pypdf
import pytest
import xarray as xr
from openpyxl import load_workbook
from typer.testing import CliRunner

from hmn_bygg.cli import app

HFS = ("HMR", "HNT", "STO")
# tables whose region row is the sum of the three HFs (liquidity and loans add regional items)
ADDITIVE = ("Oppgr.behov MNOK", "Vedlikehold MNOK", "Areal m²")
# printed table -> variable of the results file
STORED = {
    "VTTG": ("vttg_region", 0.005),
    "Oppgr.behov MNOK": ("upgrade_need_region", 0.5),
    "Areal m²": ("area_region", 0.5),
    "Likviditet MNOK": ("liquidity_region", 0.5),
    "Lånesaldo MNOK": ("loan_balance_region", 0.5),
}
# Tabell 1 (utviklingsplan 2018): buildings, floor area [m²], weighted age, VTTG per HF, and
# the region as the sum of the HFs (709 719 m², VTTG 1,45 by area)
TABELL_1 = {
    "Helse Møre og Romsdal HF": ("117", "254 836", "47,0", "1,91"),
    "Helse Nord-Trøndelag HF": ("52", "104 526", "43,0", "1,31"),
    "St. Olavs hospital HF": ("123", "350 357", "31,0", "1,16"),
    "Helse Midt-Norge": ("292", "709 719", "38,5", "1,45"),
}


def number(text: str) -> float:
    """A number as the tables print it: ``2 102``, ``-422``, ``1,45``."""
    return float(text.replace(" ", "").replace("\u2212", "-").replace(",", "."))


def scenario_tables(output: str) -> dict[str, dict[str, dict[str, list[float]]]]:
    """The printed scenario tables: ``{scenario: {table: {row: values}}}``, plus the years."""
    out: dict[str, dict[str, dict[str, list[float]]]] = {}
    scenario = table = None
    for line in output.splitlines():
        if line.startswith("Scenario: "):
            scenario = line.removeprefix("Scenario: ").strip()
            out[scenario] = {}
            continue
        if scenario is None or not line.startswith("  ") or "laveste" in line:
            continue
        cells = re.split(r"\s{2,}", line.strip())
        if cells[0] not in HFS and cells[0] != "Region":
            table = cells[0]
            out[scenario][table] = {"years": [float(c) for c in cells[1:]]}
        elif table is not None:
            out[scenario][table][cells[0]] = [number(c) for c in cells[1:]]
    return out


@pytest.fixture(scope="module")
def main_job(tmp_path_factory):
    out = tmp_path_factory.mktemp("main") / "out"
    result = CliRunner().invoke(app, ["main", "--no-serve", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return result.output, out


@pytest.mark.slow
def test_register_summary_reproduces_the_published_tabell_1(main_job):
    output, _ = main_job
    for name, (buildings, area, age, vttg) in TABELL_1.items():
        row = rf"^{re.escape(name)}\s+{buildings}\s+{area}\s+{age}\s+{vttg}\s"
        assert re.search(row, output, re.M), name


@pytest.mark.slow
def test_scenario_tables_print_what_the_results_file_holds(main_job):
    output, out = main_job
    tables = scenario_tables(output)
    with xr.open_dataset(out / "results.nc") as ds:
        assert list(tables) == ds["scenario"].to_numpy().tolist()
        assert "budget_1_2_by_2035" in tables
        for name, t in tables.items():
            years = [int(y) for y in t["VTTG"]["years"]]
            assert years[0] == 2018 and years[-1] == 2045
            s = ds.sel(scenario=name, year=years)
            for table, (var, half_unit) in STORED.items():
                assert t[table]["years"] == t["VTTG"]["years"], (name, table)
                printed, stored = t[table]["Region"], s[var].to_numpy()
                np.testing.assert_allclose(printed, stored, atol=half_unit + 1e-9, err_msg=name)
            # the register's year: the published region (VTTG 1,45 over 709 719 m²)
            assert t["VTTG"]["Region"][0] == 1.45 and t["Areal m²"]["Region"][0] == 709_719


@pytest.mark.slow
def test_every_region_row_is_the_sum_of_its_health_trusts(main_job):
    output, _ = main_job
    for name, tables in scenario_tables(output).items():
        assert set(ADDITIVE) <= set(tables), name
        for table in ADDITIVE:
            rows = tables[table]
            total = np.sum([rows[hf] for hf in HFS], axis=0)
            # each printed figure is rounded to a whole unit: the sum may be off by 1.5
            np.testing.assert_allclose(rows["Region"], total, atol=1.5, err_msg=f"{name} {table}")


@pytest.mark.slow
def test_main_job_writes_results_workbook_and_brief(main_job):
    _, out = main_job
    names = {"results.nc", "results.xlsx", "styrenotat.pdf", "styrenotat.html"}
    assert names <= {p.name for p in out.iterdir()}
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    book = load_workbook(out / "results.xlsx", read_only=True)
    try:
        assert {"Tilstand", "Areal", "Oppgraderingsbehov", "LTB", "Forutsetninger"} <= set(
            book.sheetnames
        )
    finally:
        book.close()
    pdf = out / "styrenotat.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages)
    flat = " ".join(text.replace("\u00a0", " ").split())
    assert "Styrenotat" in flat and "1,45" in flat and "709 719" in flat
    # written atomically but readable like any other file (not the 0600 of a temp file)
    assert (out / "results.nc").stat().st_mode & stat.S_IRGRP
