"""The LTB workbook carries price years and actuals: write -> read gives the same model and
actuals; edits come back as overrides; bad cells are named (issue 16, "the LTB workbook round
trip carries it")."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook

from hmn_bygg.config import (
    apply_overrides,
    as_year_array,
    load_model,
    load_scenarios,
    resolve_key,
)
from hmn_bygg.core.errors import InputError
from hmn_bygg.excel import overrides_from_workbook, write_template
from hmn_bygg.excel.actuals_sheet import COLUMNS, SHEET, model_actuals
from hmn_bygg.excel.layout import PRICE_YEAR, price_year_of, template_rows


def _find(ws, key: str) -> int:
    for r in range(2, ws.max_row + 1):
        if ws.cell(row=r, column=1).value == key:
            return r
    raise AssertionError(f"{key} not on {ws.title}")


def _col(ws, heading) -> int:
    return next(c.column for c in ws[1] if c.value == heading)


def _same_model(a, b) -> None:
    """Every workbook parameter of ``a`` equals ``b``'s: value (a year path year by year),
    source and price year."""
    rows, _ = template_rows(a)
    years = list(range(a.model.start_year, a.model.end_year + 1))
    for row in rows:
        ra, rb = resolve_key(a, row.key), resolve_key(b, row.key)
        if row.kind == "timed":
            va, vb = as_year_array(ra.value, years), as_year_array(rb.value, years)
            assert np.array_equal(va, vb), row.key
        else:
            assert ra.value == rb.value, row.key
        assert ra.source == rb.source, row.key
        assert price_year_of(a, row.key) == price_year_of(b, row.key), row.key


@pytest.mark.parametrize("name", [None, "today", "catch_up", "plan_2018"])
def test_write_then_read_gives_the_same_model_and_actuals(name, tmp_path: Path) -> None:
    base = load_model()
    model = base if name is None else load_scenarios(names=[name])[name]
    path = write_template(model, tmp_path / "ltb.xlsx", scenario=name)
    overrides = overrides_from_workbook(path, base)
    rebuilt = apply_overrides(base, overrides)
    _same_model(model, rebuilt)
    assert "model.actuals" not in overrides  # the sheet holds the model's own actuals
    assert model_actuals(rebuilt) == model_actuals(model)
    assert overrides_from_workbook(path, model) == {}
    if name == "plan_2018":  # a scenario with its own kroner: SNR's 2018 frame in 2015 kroner
        assert overrides["finance.projects.snr.cost_mnok"]["price_year"] == 2015


def test_the_workbook_shows_each_price_year_and_every_actual(tmp_path: Path) -> None:
    model = load_model()
    wb = load_workbook(write_template(model, tmp_path / "ltb.xlsx"))
    ws = wb["Likviditet"]
    col = _col(ws, PRICE_YEAR)
    assert ws.cell(_find(ws, "finance.credit_limit_mnok.HMR"), col).value == "nominal"
    ws = wb["Drift"]
    row = _find(ws, "finance.operating_result_before_mnok.STO")
    assert ws.cell(row, _col(ws, PRICE_YEAR)).value == 2027
    assert ws.cell(_find(ws, "finance.discount_rate"), _col(ws, PRICE_YEAR)).value is None
    sheet = wb[SHEET]
    assert [c.value for c in sheet[1]] == [head for head, _, _ in COLUMNS]
    ids = [sheet.cell(r, 1).value for r in range(2, sheet.max_row + 1)]
    assert ids == [row.id for row in model_actuals(model).rows]
    hp = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "hp_running_2024")
    assert [sheet.cell(hp, c).value for c in (3, 4, 5, 6, 7)] == [
        "region", 2024, 800, "MNOK/year", 2024,
    ]  # fmt: skip


def test_edited_price_years_and_actuals_come_back(tmp_path: Path) -> None:
    base = load_model()
    wb = load_workbook(write_template(base, tmp_path / "ltb.xlsx"))
    ws = wb["Likviditet"]
    col = _col(ws, PRICE_YEAR)
    for hf in ("HMR", "HNT", "STO"):
        ws.cell(_find(ws, f"finance.credit_limit_mnok.{hf}"), col, value=2020)
    ws.cell(_find(ws, "finance.credit_limit_mnok.HNT"), 3, value=300)
    ws = wb["Drift"]
    ws.cell(_find(ws, "finance.discount_rate"), _col(ws, PRICE_YEAR))  # not money: stays empty
    sheet = wb[SHEET]
    r = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "hmr_result_2020")
    sheet.cell(r, 5, value=250)  # the HMR ledger says 250, not 238
    sheet.cell(r, 12, value="HMR årsregnskap 2020")
    sheet.append(["hmr_result_2021", "operating_result", "HMR", 2021, -40, "MNOK", "nominal",
                  "actual", None, 0.01, "ja", "HMR årsregnskap 2021"])  # fmt: skip
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)

    overrides = overrides_from_workbook(edited, base)
    assert overrides["finance.credit_limit_mnok"] == {
        "value": {"HMR": 500.0, "HNT": 300.0, "STO": 800.0},
        "price_year": 2020,
    }
    assert overrides["model.actuals"] == str(edited.resolve())
    model = apply_overrides(base, overrides)
    assert model.finance.credit_limit_mnok.price_year == 2020
    actuals = {row.id: row for row in model_actuals(model).rows}
    assert actuals["hmr_result_2020"].value == 250 and actuals["hmr_result_2021"].value == -40
    from hmn_bygg.engine.run import run_models

    ds = run_models({"s": model}, prices="nominal")
    result = ds["operating_result"].sel(scenario="s", hf="HMR")
    assert float(result.sel(year=2020)) == pytest.approx(250)  # the ledger's result is booked
    assert float(result.sel(year=2021)) == pytest.approx(-40)


@pytest.mark.parametrize(
    ("sheet", "key", "value", "message"),
    [
        ("Likviditet", "finance.credit_limit_mnok.HMR", "i fjor", "not a price year"),
        ("Likviditet", "finance.credit_limit_mnok.HMR", 2020, "share one price year"),
        ("Drift", "finance.discount_rate", 2020, "money parameters only"),
    ],
)
def test_a_bad_price_year_is_named_by_cell(sheet, key, value, message, tmp_path: Path) -> None:
    wb = load_workbook(write_template(load_model(), tmp_path / "ltb.xlsx"))
    ws = wb[sheet]
    r, c = _find(ws, key), _col(ws, PRICE_YEAR)
    ws.cell(r, c, value=value)
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    with pytest.raises(InputError) as info:
        overrides_from_workbook(bad, load_model())
    (problem,) = info.value.problems
    assert message in str(problem.message)
    assert problem.column == f"{sheet}!{ws.cell(r, c).coordinate}" and problem.row == r


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [(5, "mye", "not a number"), (3, "XYZ", "not an HF"), (6, "kr", "is in MNOK")],
)
def test_a_bad_actual_is_named_by_cell(column, value, message, tmp_path: Path) -> None:
    wb = load_workbook(write_template(load_model(), tmp_path / "ltb.xlsx"))
    sheet = wb[SHEET]
    sheet.cell(2, column, value=value)
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    with pytest.raises(InputError) as info:
        overrides_from_workbook(bad, load_model())
    (problem,) = info.value.problems
    assert message in str(problem.message), problem
    assert problem.column == f"{SHEET}!{sheet.cell(2, column).coordinate}" and problem.row == 2


def test_a_workbook_without_the_actuals_sheet_keeps_the_model_actuals(tmp_path: Path) -> None:
    wb = load_workbook(write_template(load_model(), tmp_path / "ltb.xlsx"))
    del wb[SHEET]
    old = tmp_path / "old.xlsx"
    wb.save(old)
    assert overrides_from_workbook(old, load_model()) == {}
