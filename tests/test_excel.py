"""``hmn-bygg export``: the results workbook holds the netCDF's figures, sheet by sheet."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from openpyxl import load_workbook
from typer.testing import CliRunner

import hmn_bygg
from hmn_bygg.cli import app
from hmn_bygg.config import load_scenarios
from hmn_bygg.core.io import write_netcdf
from hmn_bygg.engine.run import run_models
from hmn_bygg.report.excel_assumptions import ASSUMPTION_HEADINGS
from hmn_bygg.report.excel_export import SHEETS, export_results, number_format, read_sheet

runner = CliRunner()
NAMES = ["today", "plan_2018"]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[xr.Dataset, Path]:
    folder = tmp_path_factory.mktemp("export")
    scenarios = load_scenarios(names=NAMES)
    nc = write_netcdf(run_models(scenarios), folder / "results.nc")
    xlsx = folder / "results.xlsx"
    result = runner.invoke(app, ["export", str(nc), "--xlsx", str(xlsx)])
    assert result.exit_code == 0, result.output
    with xr.open_dataset(nc, engine="h5netcdf") as opened:
        ds = opened.load()
    return ds, xlsx


def test_sheets_and_about(exported: tuple[xr.Dataset, Path]) -> None:
    ds, xlsx = exported
    wb = load_workbook(xlsx)
    topic = [s.name for s in SHEETS if any(v in ds for v in s.variables)]
    assert wb.sheetnames == [
        "Om", *topic, "Forutsetninger", "Utfall", "Validering", "Plan mot utfall", "Utvikling",
    ]  # fmt: skip
    # the record views follow the workbook's price basis (the public figures converted)
    assert wb["Validering"]["A1"].value.startswith(f"Prisgrunnlag: {ds.attrs['price_basis']}")
    assert {"Tilstand", "Areal", "Oppgraderingsbehov", "Vedlikehold", "LTB", "Lån"} <= set(topic)
    about = {row[0]: row[1] for row in wb["Om"].iter_rows(min_row=3, values_only=True) if row[0]}
    assert about["Scenario(er)"] == "Dagens vedlikeholdsnivå, Plan fra 2018"
    assert about["Modellversjon"] == f"hmn_bygg {hmn_bygg.__version__}"
    assert about["Prisgrunnlag"] == ds.attrs["price_basis"]
    assert "buildings.csv" in about["Registerkilder"]
    assert "results.nc" in about["Resultater laget"]


@pytest.mark.parametrize("sheet", ["Tilstand", "Areal", "Oppgraderingsbehov", "LTB", "Lån"])
def test_figures_equal_the_netcdf(exported: tuple[xr.Dataset, Path], sheet: str) -> None:
    ds, xlsx = exported
    table = read_sheet(xlsx, sheet)
    years = [int(y) for y in ds.year.to_numpy()]
    assert [c for c in table.columns if isinstance(c, int)] == years
    assert set(table["Scenariokode"]) == set(NAMES)
    assert "today" not in set(table["Scenario"])  # display names for readers
    checked = 0
    for row in table.itertuples(index=False):
        scenario, entity, name = row[-1], row[1], row[4]
        if entity == "Region":
            expected = ds[f"{name}_region"].sel(scenario=scenario)
        elif " / " in entity:
            hf, project = entity.split(" / ")
            expected = ds[name].sel(scenario=scenario, hf=hf, project=project)
        else:
            expected = ds[name].sel(scenario=scenario, hf=entity)
        expected = expected.broadcast_like(ds.year) if "year" not in expected.dims else expected
        got = np.array(row[5:-1], dtype=float)
        want = expected.sel(year=years).to_numpy().astype(float)
        # Excel keeps about 16 significant digits (openpyxl writes %.16g)
        np.testing.assert_allclose(got, want, rtol=1e-14, atol=1e-12)
        checked += 1
    assert checked >= 8


def test_ltb_by_hf_with_projects_and_credit_limit(exported: tuple[xr.Dataset, Path]) -> None:
    _, xlsx = exported
    table = read_sheet(xlsx, "LTB")
    one = table[table["Scenariokode"] == "today"]
    assert {"liquidity", "credit_limit", "loan_drawdown", "depreciation"} <= set(one["Variabel"])
    assert any(" / " in e for e in one.loc[one["Variabel"] == "investment", "Foretak"])
    hf_order = [e.split(" / ")[0] for e in one["Foretak"]]
    assert hf_order == sorted(hf_order, key=["HMR", "HNT", "STO", "Region"].index)


def test_formats_headers_and_panes(exported: tuple[xr.Dataset, Path]) -> None:
    _, xlsx = exported
    wb = load_workbook(xlsx)
    ws = wb["Oppgraderingsbehov"]
    assert ws.freeze_panes == "F2"
    assert all(cell.font.bold for cell in ws[1])
    assert ws["F2"].number_format == "#,##0.0" == number_format("MNOK")
    assert wb["Areal"]["F2"].number_format == "#,##0"
    assert wb["Tilstand"]["F2"].number_format == "0.00"
    assert ws.column_dimensions["C"].width > 20


def test_assumptions_list_every_scenario(exported: tuple[xr.Dataset, Path]) -> None:
    _, xlsx = exported
    wb = load_workbook(xlsx, read_only=True)
    rows = list(wb["Forutsetninger"].iter_rows(values_only=True))
    wb.close()
    assert rows[0] == ASSUMPTION_HEADINGS
    today, plan = "Dagens vedlikeholdsnivå", "Plan fra 2018"
    cost = {r[0]: r for r in rows[1:] if r[6] == "finance.projects.snr.cost_mnok"}
    assert cost[today][2] == 5950 and cost[plan][2] == 4300
    assert cost[today][4] == 2021 and cost[plan][4] == 2015  # their own kroner
    assert "5,95 bn" in cost[today][5]
    assert cost[today][1].endswith(": kostnadsramme") and "." not in cost[today][1]
    hmr = {r[0]: r[2] for r in rows[1:] if r[6] == "maintenance.budget_mnok.HMR"}
    assert hmr == {today: 100, plan: 100}
    assert {r[3] for r in rows[1:]} >= {"MNOK/år", "år"}


def test_without_finance_variables_there_is_no_ltb_sheet(tmp_path: Path) -> None:
    ds = run_models(load_scenarios(names=["today"]), book=False)
    path = export_results(ds, tmp_path / "no_ltb.xlsx")
    names = load_workbook(path, read_only=True).sheetnames
    assert "LTB" not in names and "Lån" not in names and "Forutsetninger" not in names
    assert names[:2] == ["Om", "Tilstand"]


def test_export_of_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", str(tmp_path / "nope.nc"), "--xlsx", "x.xlsx"])
    assert result.exit_code != 0
    assert not (tmp_path / "x.xlsx").exists()


def test_totals_are_formulas_whose_computed_values_equal_the_model(
    exported: tuple[xr.Dataset, Path],
) -> None:
    """A finance reader clicks a region total and sees the HF cells it adds up."""
    import formulas

    ds, xlsx = exported
    wb = load_workbook(xlsx)
    ws = wb["Areal"]
    region = [r for r in range(2, ws.max_row + 1) if ws.cell(r, 2).value == "Region"]
    assert region and str(ws.cell(region[0], 6).value).startswith("=SUM(")
    # Excel's own arithmetic, computed by an independent engine over the whole sheet
    solved = formulas.ExcelModel().loads(str(xlsx)).finish().calculate()
    checked = 0
    for sheet in ("Areal", "LTB"):
        ws = wb[sheet]
        years = [c.value for c in ws[1] if isinstance(c.value, int)]
        for r in range(2, ws.max_row + 1):
            first = ws.cell(r, 6).value
            if not (isinstance(first, str) and first.startswith("=")):
                continue
            scenario, name = ws.cell(r, ws.max_column).value, ws.cell(r, 5).value
            want = ds[f"{name}_region"].sel(scenario=scenario, year=years).to_numpy()
            got = [
                float(
                    np.asarray(
                        solved[f"'[{xlsx.name}]{sheet.upper()}'!{cell.coordinate}"].value
                    ).ravel()[0]
                )
                for cell in ws[r][5 : 5 + len(years)]
            ]
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-9)
            checked += 1
    assert checked >= 4
    wb.close()


def test_about_sheet_has_no_absolute_path(exported: tuple[xr.Dataset, Path]) -> None:
    _, xlsx = exported
    wb = load_workbook(xlsx, read_only=True)
    about = [str(v) for row in wb["Om"].iter_rows(values_only=True) for v in row if v]
    wb.close()
    assert not [v for v in about if "/work/" in v or "/tmp/" in v or v.startswith("/")]
