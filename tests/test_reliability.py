"""Issue 19: hidden data seen, totals skipped, mixed encodings and bad blame named exactly.

Each class of input fault on a small file of its kind: register workbooks (hidden sheets,
rows, columns, filters, links to other workbooks, a second copy of the table), register CSV
files (mixed encodings, total rows), heading mappings that match nothing, LTB workbooks
(links, hidden sheets), model and scenario files (merge keys, the file and line of a
scenario-level value, files that are not regular files). The corpus files are in
``tests/corpus/`` (see ``tests/corpus/make_corpus.py``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hmn_bygg.config import load_model, load_scenarios
from hmn_bygg.core.errors import InputError
from hmn_bygg.core.io import read_results
from hmn_bygg.core.paths import models_dir
from hmn_bygg.dashboard.upload import read_uploaded_register
from hmn_bygg.excel.template import overrides_from_workbook
from hmn_bygg.excel.workbook_read import read_workbook
from hmn_bygg.register.load import check_register, load_register

CORPUS = Path(__file__).parent / "corpus"
REGISTER = CORPUS / "register"
LTB = CORPUS / "ltb"


def notes_of(path: Path, **kwargs: object) -> list[str]:
    return list(map(str, load_register(path, **kwargs).attrs["notes"]))


def problems_of(*args: object, **kwargs: object) -> list:
    with pytest.raises(InputError) as caught:
        load_register(*args, **kwargs)
    return caught.value.problems


# --- workbooks ----------------------------------------------------------------------------


def test_hidden_sheet_is_skipped_and_listed():
    ds = load_register(REGISTER / "hidden_sheet.xlsx")
    assert ds.sizes["building"] == 2 and float(ds["floor_area"].sum()) == 24106.5
    notes = list(map(str, ds.attrs["notes"]))
    assert any("hidden sheets skipped: 'Arkiv'" in n for n in notes), notes
    assert any("read from sheet 'Bygg'" in n for n in notes), notes


def test_include_hidden_reads_a_hidden_sheet():
    path = REGISTER / "hidden_first_sheet.xlsx"
    assert load_register(path).sizes["building"] == 2
    ds = load_register(path, include_hidden=True)
    assert "A1" in ds["building"].to_numpy()  # the hidden sheet comes first and is read
    assert any("read from sheet 'Arkiv'" in n for n in list(map(str, ds.attrs["notes"])))


def test_a_second_copy_of_the_table_is_not_read():
    ds = load_register(REGISTER / "second_copy_sheet.xlsx")
    assert ds.sizes["building"] == 2
    (note,) = [n for n in list(map(str, ds.attrs["notes"])) if "read from sheet" in n]
    assert "'Bygg (2)' also hold a buildings table and are not read" in note


def test_only_hidden_sheets_is_an_empty_file():
    (p,) = problems_of(REGISTER / "only_hidden_sheets.xlsx")
    assert str(p.message) == "the file is empty" and str(p.found) == "only hidden sheets"


@pytest.mark.parametrize(
    ("case", "text"),
    [
        ("hidden_row.xlsx", "sheet 'Bygg': row 4 is hidden"),
        ("filtered_rows.xlsx", "sheet 'Bygg': row 4 is filtered out"),
        ("hidden_column.xlsx", "sheet 'Bygg': column F is hidden"),
        ("external_link.xlsx", "sheet 'Bygg', cell E2: links to another workbook"),
    ],
)
def test_hidden_rows_columns_and_links_are_reported(case, text):
    notes = notes_of(REGISTER / case)
    assert any(text in n for n in notes), notes


def test_link_names_the_workbook_it_points_to():
    (note,) = [n for n in notes_of(REGISTER / "external_link.xlsx") if "links" in n]
    assert "Budsjett 2019.xlsx" in note and "=[1]Ark1!E2" in note


def test_dashboard_upload_reads_the_same_way():
    data = (REGISTER / "hidden_sheet.xlsx").read_bytes()
    ds = read_uploaded_register([("Mitt register.xlsx", data)])
    assert float(ds["floor_area"].sum()) == 24106.5
    notes = list(map(str, ds.attrs["notes"]))
    assert any(n.startswith("Mitt register.xlsx: hidden sheets skipped") for n in notes), notes
    assert not any("hmn_bygg_upload_" in n for n in notes)


def test_ltb_workbook_link_hidden_sheet_and_rows_are_noted():
    from test_fuzz_workbook import corpus_model

    notes: list[str] = []
    changes = overrides_from_workbook(LTB / "external_link.xlsx", corpus_model(), notes=notes)
    assert changes == {"finance.credit_limit_mnok.HMR": 600}
    assert any("sheet 'Likviditet', cell C5: links to another workbook" in str(n) for n in notes)
    book = read_workbook(LTB / "hidden_sheet.xlsx")
    assert any("sheet 'Drift': the sheet is hidden" in str(n) for n in book.notes), book.notes
    book = read_workbook(LTB / "hidden_rows.xlsx")
    assert any("sheet 'Likviditet': row 5 is hidden" in str(n) for n in book.notes), book.notes


# --- registers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "offset", "first"),
    [("mixed_utf8_then_cp1252.csv", 179, "0xF8"), ("mixed_cp1252_then_utf8.csv", 168, "0xC3")],
)
def test_mixed_encoding_names_the_row_and_byte_offset(case, offset, first):
    (p,) = problems_of(REGISTER / case)
    assert str(p.message).startswith("mixed encodings") and p.row == 4
    assert str(p.found).startswith(f"byte offset {offset}: {first}")
    data = (REGISTER / case).read_bytes()
    assert data[:offset].count(b"\n") + 1 == 4


def test_total_rows_are_skipped_and_listed():
    ds = load_register(REGISTER / "total_row.csv")
    assert ds.sizes["building"] == 2
    assert any("total rows skipped: row 4 ('Sum')" in n for n in list(map(str, ds.attrs["notes"])))
    notes = notes_of(REGISTER / "subtotal_rows.xlsx")
    (note,) = [n for n in notes if "total rows skipped" in n]
    assert "row 3 ('Sum HMR'), row 5 ('Sum STO'), row 6 ('Totalt')" in note


def test_a_building_named_like_a_total_is_kept(tmp_path):
    path = tmp_path / "b.csv"
    path.write_text(
        "building_id;name;hf;site;floor_area;built_year;condition_grade\n"
        "S1;Sum;HMR;Molde;100;1970;2\nTotalt;;;;100;;\n",
        encoding="utf-8",
    )
    ds = load_register(path)
    assert list(ds["building"].to_numpy()) == ["S1"]


def test_a_mapping_that_matches_nothing_is_an_error(tmp_path):
    mapping = tmp_path / "map.yaml"
    mapping.write_text("Brutto m2: floor_area\nByggeår: built_year\n", encoding="utf-8")
    problems = check_register(REGISTER / "total_row.csv", mapping=mapping)
    (p,) = [p for p in problems if "matches no heading" in str(p.message)]
    assert (
        p.file == str(mapping)
        and "brutto m2" in str(p.found)
        and "'building_id'" in str(p.expected)
    )


# --- model and scenario files -------------------------------------------------------------

SCENARIOS = """\
overrides:
  base: &base
    maintenance.extra_budget_mnok: {from: 2028, value: 210}
  sell_unknown:
    portfolio.disposals.by_building:
      value: {NOPE-1: 2030}
      source: "assumption: test"
  merged:
    <<: *base
    maintenance.extra_budget_mnok: {from: 2029, value: 100}
scenarios:
  today: []
  bad: [sell_unknown]
  merged: [merged]
"""


@pytest.fixture
def scenario_file(tmp_path) -> Path:
    path = tmp_path / "scenarios.yaml"
    path.write_text(SCENARIOS, encoding="utf-8")
    return path


def test_merge_keys_work_as_yaml_defines_them(scenario_file):
    merged = load_scenarios(None, scenario_file, ["merged"])["merged"]
    assert merged.maintenance.extra_budget_mnok.value == {2028: 0.0, 2029: 100.0}
    model = load_model(CORPUS / "config" / "merge_key.yaml")
    assert model.model.targets.area_target_m2.value == 650000
    assert model.model.targets.area_target_m2.unit == "m2"


def test_a_key_written_twice_beside_a_merge_is_still_refused():
    with pytest.raises(InputError, match="key given twice"):
        load_model(CORPUS / "config" / "merge_key_duplicate.yaml")


def test_scenario_value_is_blamed_on_the_scenario_file_and_line(scenario_file):
    from hmn_bygg.engine.run import register_for
    from hmn_bygg.stock.plan import disposal_plan

    scenarios = load_scenarios(None, scenario_file, ["today", "bad"])
    with pytest.raises(InputError) as caught:
        disposal_plan(register_for(scenarios), scenarios)
    (p,) = caught.value.problems
    assert p.file.endswith("scenarios.yaml") and p.row == 6, p
    assert p.column == "portfolio.disposals.by_building.NOPE-1" and p.found == "NOPE-1"
    assert scenarios["bad"].where("maintenance.extra_budget_mnok")[0].endswith("hmn.yaml")


def test_a_base_model_value_is_blamed_on_the_model_file_and_line():
    model = load_model()
    file, row = model.where("portfolio.disposals.by_building")
    assert file.endswith("hmn.yaml") and row is not None
    lines = (models_dir() / "hmn.yaml").read_text(encoding="utf-8").splitlines()
    assert "by_building" in lines[row - 1] or "value" in lines[row - 1]


def _odd_files(tmp: Path) -> dict[str, tuple[Path, str]]:
    os.mkfifo(tmp / "pipe")
    (tmp / "folder").mkdir()
    (tmp / "device").symlink_to("/dev/null")
    (tmp / "dangling").symlink_to(tmp / "gone")
    return {
        "pipe": (tmp / "pipe", "a pipe (FIFO)"),
        "folder": (tmp / "folder", "a folder"),
        "device": (tmp / "device", "a character device"),
    }


def test_non_regular_files_are_refused_as_such(tmp_path):
    for path, kind in _odd_files(tmp_path).values():
        readers = [
            lambda p: load_model(p),
            lambda p: load_scenarios(None, p),
            lambda p: read_results(p),
            lambda p: read_workbook(p),
        ]
        for read in readers:
            with pytest.raises(InputError) as caught:
                read(path)
            (p,) = caught.value.problems
            assert (str(p.message), p.found) == (f"not a regular file ({kind})", None), (path, p)
        if kind != "a folder":  # a folder is a register folder
            (p,) = problems_of(path)
            assert str(p.message) == f"not a regular file ({kind})" and p.found is None
    with pytest.raises(InputError, match=r"file not found \(a link to a missing file\)"):
        load_model(tmp_path / "dangling")


# --- the commands show what the reader left out --------------------------------------------


def test_register_commands_list_the_notes(tmp_path):
    from test_cli_arguments import invoke

    code, text = invoke(["register", "check", str(REGISTER / "hidden_sheet.xlsx")])
    assert code == 0 and "Merk: " in text and "skjulte ark er hoppet over: 'Arkiv'" in text, text
    code, text = invoke(["register", "check", str(REGISTER / "hidden_sheet.xlsx"), "--lang", "en"])
    assert code == 0 and "Note: " in text and "hidden sheets skipped: 'Arkiv'" in text, text
    path = REGISTER / "hidden_first_sheet.xlsx"
    code, text = invoke(["register", "check", "--include-hidden", str(path)])
    assert code == 0 and "OK: 3 bygg" in text, text
    code, text = invoke(["register", "summary", "--json", str(REGISTER / "subtotal_rows.xlsx")])
    assert code == 0 and "total rows skipped" in text, text
    mapping = tmp_path / "map.csv"
    mapping.write_text("Brutto m2;floor_area\n", encoding="utf-8")
    code, text = invoke(["register", "check", "--mapping", str(mapping), str(path), "--lang", "en"])
    assert code == 1 and "the mapping matches no heading" in text, text


def test_a_link_no_cell_uses_is_noted(tmp_path):
    import zipfile

    src = REGISTER / "hidden_column.xlsx"
    path = tmp_path / "linked.xlsx"
    rels = '<Relationships><Relationship Id="rId1" Target="Budsjett.xlsx"/></Relationships>'
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info))
        zout.writestr("xl/externalLinks/externalLink1.xml", "<externalLink/>")
        zout.writestr("xl/externalLinks/_rels/externalLink1.xml.rels", rels)
    notes = notes_of(path)
    assert any("links to other workbooks (Budsjett.xlsx)" in n for n in notes), notes
