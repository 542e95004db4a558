"""The LTB assumptions workbook: template -> edit -> overrides -> run, and clear errors."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from hmn_bygg.cli import app
from hmn_bygg.config import apply_overrides, as_year_array, load_model, load_scenarios
from hmn_bygg.core.errors import InputError
from hmn_bygg.engine.run import run_models
from hmn_bygg.excel import overrides_from_workbook, write_template
from hmn_bygg.excel.layout import sheet_for
from hmn_bygg.report.excel_export import export_results, read_sheet

runner = CliRunner()


def _key_col(ws) -> int:
    """The column of the dotted keys: the hidden 'Nøkkel' (column A when names are not given)."""
    return next(c.column for c in ws[1] if c.value == "Nøkkel")


def _find(ws, key: str) -> int:
    col = _key_col(ws)
    for r in range(2, ws.max_row + 1):
        if ws.cell(row=r, column=col).value == key:
            return r
    raise AssertionError(f"{key} not on {ws.title}")


def _year_col(ws, year: int) -> int:
    return next(c.column for c in ws[1] if c.value == year)


@pytest.fixture
def template(tmp_path: Path) -> Path:
    path = tmp_path / "ltb.xlsx"
    result = runner.invoke(app, ["template", "--xlsx", str(path)])
    assert result.exit_code == 0, result.output
    return path


def test_unchanged_template_gives_no_overrides(template: Path) -> None:
    assert overrides_from_workbook(template, load_model()) == {}
    names = load_workbook(template, read_only=True).sheetnames
    assert names[:5] == ["Les meg", "Drift", "Likviditet", "Investeringer", "Lån"]


def test_keys_go_to_their_topic_sheet() -> None:
    assert sheet_for("finance.credit_limit_mnok.HMR") == "Likviditet"
    assert sheet_for("finance.operating_result_before_mnok.STO") == "Drift"
    assert sheet_for("finance.projects.snr.cost_mnok") == "Investeringer"
    assert sheet_for("finance.state_loan.rate") == "Lån"
    assert sheet_for("maintenance.budget_mnok.HMR") == "Vedlikehold"


def test_scenario_template_reads_back_as_its_overrides(tmp_path: Path) -> None:
    # price years and actuals round trip too: tests/test_excel_roundtrip.py
    scenarios = load_scenarios(names=["catch_up"])
    path = write_template(scenarios["catch_up"], tmp_path / "a.xlsx", scenario="catch_up")
    overrides = overrides_from_workbook(path, load_model())
    assert overrides["maintenance.extra_budget_mnok"]["value"][2027] == 210
    rebuilt = apply_overrides(load_model(), overrides)
    a = run_models(scenarios)
    b = run_models({"catch_up": rebuilt})
    for name in ("liquidity", "loan_balance", "vttg", "operating_result"):
        np.testing.assert_array_equal(a[name].to_numpy(), b[name].to_numpy())


def test_round_trip_equals_yaml_overrides(template: Path, tmp_path: Path) -> None:
    """template -> edit in Excel -> overrides -> run -> export == the same change in YAML."""
    wb = load_workbook(template)
    ws = wb["Vedlikehold"]
    r = _find(ws, "maintenance.budget_mnok.HMR")
    for year in range(2027, 2046):  # a decision: from the plan year on (history unchanged)
        ws.cell(row=r, column=_year_col(ws, year), value=150)
    r = _find(ws, "maintenance.extra_budget_mnok")
    for year in range(2027, 2046):
        ws.cell(row=r, column=_year_col(ws, year), value="210")  # text numbers are read too
    ws = wb["Likviditet"]
    ws.cell(row=_find(ws, "finance.credit_limit_mnok.HNT"), column=3, value=900)
    ws = wb["Drift"]
    r = _find(ws, "finance.operating_result_before_mnok.STO")
    ws.cell(row=r, column=_year_col(ws, 2030), value=1234.5)
    ws.cell(row=r, column=_year_col(ws, 2031)).value = None  # empty: repeats 2030
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)

    base = load_model()
    from_excel = overrides_from_workbook(edited, base)
    assert from_excel["maintenance.budget_mnok.HMR"] == {2018: 100.0, 2027: 150.0}
    assert from_excel["maintenance.extra_budget_mnok"] == {2018: 0.0, 2027: 210.0}
    old_sto = base.finance.operating_result_before_mnok.value["STO"]
    yaml_like = {
        "maintenance.budget_mnok.HMR": {"from": 2027, "value": 150},
        "maintenance.extra_budget_mnok": {"from": 2027, "value": 210},
        "finance.credit_limit_mnok.HNT": 900,
        # 2030 and the emptied 2031 take the new value; 2032 on keeps the old values
        "finance.operating_result_before_mnok.STO": {
            **({2018: old_sto} if not isinstance(old_sto, Mapping) else dict(old_sto)),
            2030: 1234.5,
            2032: float(as_year_array(old_sto, [2032])[0]),
        },
    }
    a = run_models({"x": apply_overrides(base, from_excel)})
    b = run_models({"x": apply_overrides(base, yaml_like)})
    export_results(a, tmp_path / "a.xlsx")
    export_results(b, tmp_path / "b.xlsx")
    for sheet in ("Tilstand", "Vedlikehold", "LTB", "Lån"):
        ta, tb = read_sheet(tmp_path / "a.xlsx", sheet), read_sheet(tmp_path / "b.xlsx", sheet)
        assert ta.equals(tb), sheet
    liq = read_sheet(tmp_path / "a.xlsx", "LTB")
    limit = liq[(liq["Variabel"] == "credit_limit") & (liq["Foretak"] == "HNT")]
    # a fixed nominal line, shown in 2026 kroner (real:2026): 900 in 2026, less later
    assert float(limit[2026].iloc[0]) == pytest.approx(900, rel=1e-12)
    assert float(limit[2030].iloc[0]) < 900


def _edit(template: Path, out: Path, sheet: str, key: str, column: int | None, value) -> str:
    """Write ``value`` in ``column`` (None: the key column) of the row of ``key``."""
    wb = load_workbook(template)
    ws = wb[sheet]
    r = _find(ws, key)
    column = column or _key_col(ws)
    ws.cell(row=r, column=column, value=value)
    wb.save(out)
    return f"{sheet}!{ws.cell(row=r, column=column).coordinate}"


def test_text_in_a_number_cell_names_sheet_and_cell(template: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    where = _edit(template, bad, "Likviditet", "finance.credit_limit_mnok.HMR", 3, "mye")
    with pytest.raises(InputError) as info:
        overrides_from_workbook(bad, load_model())
    (problem,) = info.value.problems
    assert problem.column == where and where.startswith("Likviditet!C")
    assert str(problem.message) == "not a number" and str(problem.found) == "mye"
    assert problem.row == int(where.split("!C")[1])
    assert "MNOK" in str(problem.expected or "")
    # the whole error in either language: title, framing, message and expected text
    row = where.split("!C")[1]
    nb = info.value.render("nb")
    assert nb.startswith(f"Arbeidsboken {bad} har feil (1 feil):")
    assert f"rad {row}, kolonne '{where}': ikke et tall; forventet et tall [MNOK], fant 'mye'" in nb
    en = str(info.value)
    assert en.startswith(f"The workbook {bad} has problems (1 problem):")
    assert f"row {row}, column '{where}': not a number; expected a number [MNOK], found 'mye'" in en


def test_workbook_problems_read_in_bokmal(template: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    _edit(template, bad, "Drift", "finance.discount_rate", None, "finance.discount_rat")
    with pytest.raises(InputError) as info:
        overrides_from_workbook(bad, load_model())
    assert "ukjent nøkkel; mente du 'finance.discount_rate'?" in info.value.render("nb")
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    with pytest.raises(InputError) as info:
        overrides_from_workbook(empty, load_model())
    assert info.value.render("nb") == (
        f"Arbeidsboken {empty} kan ikke leses (1 feil):\n"
        f"  - {empty}: filen er tom; forventet en .xlsx-arbeidsbok, fant '0 byte'"
    )
    assert str(info.value).endswith(
        "the file is empty; expected an .xlsx workbook, found '0 bytes'"
    )


def test_unknown_key_gets_a_hint(template: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    where = _edit(template, bad, "Drift", "finance.discount_rate", None, "finance.discount_rat")
    with pytest.raises(InputError) as info:
        overrides_from_workbook(bad, load_model())
    (problem,) = info.value.problems
    assert problem.column == where
    assert "unknown key; did you mean 'finance.discount_rate'?" in str(problem.message)


def test_missing_sheet_and_out_of_range_value(template: Path, tmp_path: Path) -> None:
    wb = load_workbook(template)
    del wb["Lån"]
    ws = wb["Drift"]
    ws.cell(row=_find(ws, "finance.discount_rate"), column=3, value=0.9)
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    with pytest.raises(InputError) as info:
        overrides_from_workbook(bad, load_model())
    text = str(info.value)
    assert "column 'Lån': sheet is missing" in text
    with pytest.raises(InputError) as info:  # with the sheet back, the range check names the cell
        wb = load_workbook(bad)
        wb.create_sheet("Lån")
        src = load_workbook(template)["Lån"]
        for row in src.iter_rows(values_only=True):
            wb["Lån"].append(row)
        wb.save(bad)
        overrides_from_workbook(bad, load_model())
    (problem,) = info.value.problems
    assert problem.column.startswith("Drift!C") and "out of range" in str(problem.message)


def test_year_values_for_a_constant_are_refused(template: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    where = _edit(template, bad, "Lån", "finance.state_loan.term_years", 10, 30)
    with pytest.raises(InputError) as info:
        overrides_from_workbook(bad, load_model())
    assert info.value.problems[0].column == where
    assert "does not vary by year" in str(info.value.problems[0].message)


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_text("not excel")
    with pytest.raises(InputError, match="cannot read the workbook"):
        overrides_from_workbook(path, load_model())


def test_written_text_and_floats_read_back_as_themselves(tmp_path: Path) -> None:
    """Text that looks like a formula stays text; a float needing 17 digits is kept exactly."""
    base = load_model()
    model = apply_overrides(
        base,
        {
            "finance.discount_rate": {"value": 1 / 30, "source": "=styresak 12/2025"},
            "finance.credit_limit_mnok.HNT": 0.1 + 0.2,
        },
    )
    path = write_template(model, tmp_path / "ltb.xlsx")
    ws = load_workbook(path)["Drift"]
    r = _find(ws, "finance.discount_rate")
    assert ws.cell(row=r, column=3).value == 1 / 30
    assert "=styresak 12/2025" in [c.value for c in ws[r]]
    overrides = overrides_from_workbook(path, base)
    assert overrides["finance.discount_rate"] == {"value": 1 / 30, "source": "=styresak 12/2025"}
    assert overrides["finance.credit_limit_mnok.HNT"] == 0.1 + 0.2
    assert overrides_from_workbook(path, model) == {}


def test_text_excel_cannot_hold_is_refused_by_key(tmp_path: Path) -> None:
    model = apply_overrides(
        load_model(), {"finance.discount_rate": {"value": 0.04, "source": "Styresak\x1b 12"}}
    )
    with pytest.raises(InputError) as info:
        write_template(model, tmp_path / "ltb.xlsx")
    (problem,) = info.value.problems
    assert problem.column == "finance.discount_rate" and "control character" in str(problem.message)
    assert not (tmp_path / "ltb.xlsx").exists()


def test_missing_and_repeated_rows_are_named(template: Path, tmp_path: Path) -> None:
    wb = load_workbook(template)
    ws = wb["Lån"]
    r = _find(ws, "finance.state_loan.rate")
    ws.append([c.value for c in ws[_find(ws, "finance.state_loan.term_years")]])
    ws.delete_rows(r)
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    with pytest.raises(InputError) as info:
        overrides_from_workbook(bad, load_model())
    twice, missing = info.value.problems
    key_cell = ws.cell(ws.max_row, _key_col(ws)).coordinate
    assert str(twice.message) == "key given twice" and twice.column == f"Lån!{key_cell}"
    assert missing.column == "Lån" and "finance.state_loan.rate" in str(missing.expected or "")


def test_the_template_names_rows_in_bokmal_and_keeps_the_key_hidden(
    template: Path, tmp_path: Path
) -> None:
    """Issue 18: labelled in Norwegian, the dotted key in a hidden column for the reader; an
    old template keyed in column A reads the same; without the key column, what to do."""
    wb = load_workbook(template)
    ws = wb["Vedlikehold"]
    heads = [c.value for c in ws[1]]
    assert heads[:3] == ["Parameter", "Enhet", "Verdi"]
    key, text = _key_col(ws), heads.index("Beskrivelse") + 1
    for col in (key, text):
        assert ws.column_dimensions[ws.cell(1, col).column_letter].hidden
    r = _find(ws, "maintenance.budget_mnok.HMR")
    assert ws.cell(r, 1).value == "Vedlikeholdsbudsjett per helseforetak – HMR"
    assert ws.cell(r, 2).value == "MNOK/år"
    for row in ws.iter_rows(min_row=2, max_col=1, values_only=True):
        assert "." not in row[0].split(" – ")[0], row  # a name, not a dotted key
    notes: list[str] = []
    assert overrides_from_workbook(template, load_model(), notes=notes) == {}
    assert not [n for n in notes if "hidden" in str(n)]  # the template's own hidden columns
    for sheet in wb.worksheets[1:]:
        if sheet.cell(1, 1).value == "Parameter":
            col = _key_col(sheet)
            for r in range(1, sheet.max_row + 1):
                sheet.cell(r, 1).value = sheet.cell(r, col).value
            sheet.delete_cols(col)
    old = tmp_path / "old.xlsx"
    wb.save(old)
    assert overrides_from_workbook(old, load_model()) == {}
    wb = load_workbook(template)
    wb["Drift"].delete_cols(_key_col(wb["Drift"]))
    wb.save(old)
    with pytest.raises(InputError) as info:
        overrides_from_workbook(old, load_model())
    (problem,) = info.value.problems
    assert problem.column == "Drift!1:1" and "'Nøkkel'" in str(problem.expected or "")
    assert "unhide" in str(problem.expected or "") and "hmn-bygg template" in str(
        problem.expected or ""
    )
