"""Every register check, each on a tiny broken file: the problem names file, row, column,
what was expected and what was found; and all problems come at once."""

from __future__ import annotations

import pytest
from register_files import (
    B_HEAD,
    B_ROWS,
    BROKEN_REGISTERS,
    P_HEAD,
    P_ROWS,
    write_files,
)

from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.register.columns import TABLES, heading_lookup, specs
from hmn_bygg.register.load import check_register, load_register
from hmn_bygg.register.model import columns_table
from hmn_bygg.register.table import norm_key


def _one(problems: list[Problem], text: str) -> Problem:
    hits = [p for p in problems if text in str(p.message)]
    assert len(hits) == 1, f"expected one problem with {text!r}, got {problems}"
    return hits[0]


@pytest.mark.parametrize(
    ("files", "message", "file", "row", "column", "expected", "found"),
    [c[1:] for c in BROKEN_REGISTERS],
    ids=[c[0] for c in BROKEN_REGISTERS],
)
def test_each_check_names_file_row_column_expected_found(
    tmp_path, files, message, file, row, column, expected, found
):
    paths = write_files(tmp_path, files)
    p = _one(check_register(paths), message)
    assert p.file == str(tmp_path / file)
    assert (p.row, p.column, None if p.found is None else str(p.found)) == (row, column, found)
    assert expected in str(p.expected)
    text = str(p)
    assert file in text and message in text and expected in text
    if row is not None:
        assert f"row {row}" in text
    if column is not None:
        assert f"column '{column}'" in text
    with pytest.raises(InputError) as err:
        load_register(paths)
    assert message in str(err.value)


def test_all_problems_are_reported_at_once(tmp_path):
    body = (
        f"{B_HEAD}\n"
        "A,a,HMR,Molde,stort,1970,2\n"
        "A,b,Helse Vest,Molde,100,2999,7\n"
        "C,,STO,Øya,100,1970,1\n"
    )
    problems = check_register(write_files(tmp_path, {"b.csv": body}))
    found = sorted((p.row, p.column) for p in problems)
    assert found == [
        (2, "floor_area"),
        (3, "building_id"),
        (3, "built_year"),
        (3, "condition_grade"),
        (3, "hf"),
        (4, "name"),
    ]


def test_mapping_with_unknown_target_is_an_error(tmp_path):
    (b,) = write_files(tmp_path, {"b.csv": f"{B_HEAD}\n{B_ROWS}"})
    mapping = tmp_path / "map.yaml"
    mapping.write_text("Areal brutto: area_gross\nBTA: floor_area\n", encoding="utf-8")
    p = _one(check_register(b, mapping=mapping), "unknown column")
    assert (p.file, p.column, p.found) == (str(mapping), "Areal brutto", "area_gross")
    assert "floor_area" in str(p.expected)
    csv_map = tmp_path / "map.csv"
    csv_map.write_text("heading;column\nBTA;floor_area\nÅr;byggeaar\n", encoding="utf-8")
    p = _one(check_register(b, mapping=csv_map), "unknown column")
    assert (p.row, p.column, p.found) == (3, "År", "byggeaar")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("old.xls", b"\xd0\xcf\x11\xe0", "old Excel format"),
        ("notes.docx", b"PK", "not a CSV file or an Excel workbook"),
        ("broken.xlsx", b"this is not a zip file", "cannot read the file as an Excel workbook"),
    ],
)
def test_unreadable_files(tmp_path, name, content, message):
    (path,) = write_files(tmp_path, {name: content})
    assert message in str(_one(check_register(path), message).message)


def _text(problems) -> str:
    return "; ".join(str(p) for p in problems)


def test_missing_file_empty_folder_and_parts_only(tmp_path):
    assert "file not found" in _text(check_register(tmp_path / "nope.csv"))
    assert "no register files given" in _text(check_register([]))
    (tmp_path / "empty").mkdir()
    empty = check_register(tmp_path / "empty")
    assert "no register files in the folder" in _text(empty)
    assert "ingen registerfiler i mappen; forventet buildings.csv" in empty[0].render("nb")
    assert empty[0].render("nb").endswith("fant 'en tom mappe'")
    (p,) = write_files(tmp_path, {"parts.csv": f"{P_HEAD}\n{P_ROWS}"})
    assert "no buildings table" in _text(check_register(p))


def test_bundled_register_is_default(tmp_path, monkeypatch):
    write_files(tmp_path, {"buildings.csv": f"{B_HEAD}\n{B_ROWS}", "README.md": "not read"})
    monkeypatch.setattr("hmn_bygg.core.paths.register_dir", lambda: tmp_path)
    assert check_register(None) == []
    assert list(load_register().building.values) == ["A", "B"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("BTA: [floor_area\n", "not valid YAML"),
        ("buildings:\n  BTA: floor_area\n", "pairs of their heading and our column"),
    ],
)
def test_bad_mapping_files(tmp_path, content, message):
    (b,) = write_files(tmp_path, {"b.csv": f"{B_HEAD}\n{B_ROWS}"})
    (m,) = write_files(tmp_path, {"map.yaml": content})
    p = _one(check_register(b, mapping=m), message)
    assert p.file == str(m)


def test_headings_come_from_the_column_table():
    table = columns_table()
    for t in TABLES:
        lookup = heading_lookup(t)  # raises if two columns claim one heading
        for _, row in table[table["table"] == t].iterrows():
            for alias in filter(None, row["aliases"].split("|")):
                assert lookup[norm_key(alias)] == row["name"]
        assert set(specs(t)) == set(table.loc[table["table"] == t, "name"])
