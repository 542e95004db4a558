"""Every register check, each on a tiny broken file: the problem names file, row, column,
what was expected and what was found; and all problems come at once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from hmn_bygg.errors import InputError, Problem
from hmn_bygg.register import check_register, load_register
from hmn_bygg.register_checks import TABLES, heading_lookup, specs
from hmn_bygg.register_model import columns_table
from hmn_bygg.register_read import norm_key

THIS_YEAR = dt.date.today().year

B_HEAD = "building_id,name,hf,site,floor_area,built_year,condition_grade"
B_ROWS = "A,Sengebygg,HMR,Molde,100,1970,2\nB,Kontor,STO,Øya,200,1990,1\n"
P_HEAD = "building_id,part,condition_grade,survey_year,cost_share"
P_ROWS = "A,2,2,2016,\nA,3,1,2016,\nB,2,1,2017,\n"


def _write(tmp_path: Path, files: dict[str, str | bytes]) -> list[Path]:
    out = []
    for name, content in files.items():
        path = tmp_path / name
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        out.append(path)
    return out


def _one(problems: list[Problem], text: str) -> Problem:
    hits = [p for p in problems if text in p.message]
    assert len(hits) == 1, f"expected one problem with {text!r}, got {problems}"
    return hits[0]


# (id, files, message part, file, row, column, expected part, found)
CASES = [
    (
        "missing required column",
        {"b.csv": "building_id,name,hf,site,built_year\nA,a,HMR,Molde,1970\n"},
        "missing required column 'floor_area'",
        "b.csv",
        1,
        "floor_area",
        "BTA",
        "building_id, name, hf, site, built_year",
    ),
    (
        "missing required value",
        {"b.csv": f"{B_HEAD}\nA,,HMR,Molde,100,1970,2\n"},
        "missing value",
        "b.csv",
        2,
        "name",
        "a value",
        "",
    ),
    (
        "duplicate building id",
        {"b.csv": f"{B_HEAD}\nA,a,HMR,Molde,100,1970,2\nA,b,HMR,Molde,100,1970,2\n"},
        "duplicate building id (first at row 2)",
        "b.csv",
        3,
        "building_id",
        "each building id once",
        "A",
    ),
    (
        "duplicate building and part",
        {"b.csv": f"{B_HEAD}\n{B_ROWS}", "p.csv": f"{P_HEAD}\n{P_ROWS}A,3,2,2016,\n"},
        "duplicate row for building A, part 3 (first at row 3)",
        "p.csv",
        5,
        "part",
        "one row per building and part",
        "3",
    ),
    (
        "non-numeric area",
        {"b.csv": "Bygningsnr,Navn,HF,Lokasjon,BTA,Byggeår,TG\nA,a,HMR,Molde,stort,1970,2\n"},
        "not a number",
        "b.csv",
        2,
        "BTA",
        "> 0 [m²]",
        "stort",
    ),
    (
        "zero area",
        {"b.csv": f"{B_HEAD}\nA,a,HMR,Molde,0,1970,2\n"},
        "not positive",
        "b.csv",
        2,
        "floor_area",
        "> 0",
        "0",
    ),
    (
        "negative area",
        {"b.csv": f"{B_HEAD}\nA,a,HMR,Molde,-12.5,1970,2\n"},
        "not positive",
        "b.csv",
        2,
        "floor_area",
        "> 0",
        "-12.5",
    ),
    (
        "grade above 3",
        {"b.csv": f"{B_HEAD}\n{B_ROWS}", "p.csv": f"{P_HEAD}\nA,2,4,2016,\n"},
        "above the maximum",
        "p.csv",
        2,
        "condition_grade",
        "from 0 to 3 [TG 0–3]",
        "4",
    ),
    (
        "grade below 0",
        {"b.csv": f"{B_HEAD}\nA,a,HMR,Molde,100,1970,-1\n"},
        "below the minimum",
        "b.csv",
        2,
        "condition_grade",
        "from 0 to 3",
        "-1",
    ),
    (
        "grade not a number",
        {"b.csv": f"{B_HEAD}\n{B_ROWS}", "p.csv": f"{P_HEAD}\nA,2,god,2016,\n"},
        "not a number",
        "p.csv",
        2,
        "condition_grade",
        "a number from 0 to 3",
        "god",
    ),
    (
        "built year in the future",
        {"b.csv": f"{B_HEAD}\nA,a,HMR,Molde,100,2999,2\n"},
        "year in the future",
        "b.csv",
        2,
        "built_year",
        f"a year from 1800 to {THIS_YEAR}",
        "2999",
    ),
    (
        "built year implausibly old",
        {"b.csv": f"{B_HEAD}\nA,a,HMR,Molde,100,1700,2\n"},
        "implausibly early year",
        "b.csv",
        2,
        "built_year",
        "from 1800",
        "1700",
    ),
    (
        "built year not whole",
        {"b.csv": f"{B_HEAD}\nA,a,HMR,Molde,100,1975.5,2\n"},
        "not a whole number",
        "b.csv",
        2,
        "built_year",
        "a year",
        "1975.5",
    ),
    (
        "adaptability above max",
        {"b.csv": "building_id,name,hf,site,floor_area,built_year,TD,TG\nA,a,HMR,M,1,1970,5,2\n"},
        "above the maximum",
        "b.csv",
        2,
        "TD",
        "from 0 to 3 [grade 0–3]",
        "5",
    ),
    (
        "replacement value not positive",
        {"b.csv": f"{B_HEAD},Gjenanskaffelsesverdi\nA,a,HMR,Molde,100,1970,2,0\n"},
        "not positive",
        "b.csv",
        2,
        "Gjenanskaffelsesverdi",
        "> 0 [NOK/m²]",
        "0",
    ),
    (
        "disposal year above max",
        {"b.csv": f"{B_HEAD},Avhendingsår\nA,a,HMR,Molde,100,1970,2,2500\n"},
        "above the maximum",
        "b.csv",
        2,
        "Avhendingsår",
        "a year from 1900 to 2200",
        "2500",
    ),
    (
        "survey year too early",
        {"b.csv": f"{B_HEAD}\n{B_ROWS}", "p.csv": f"{P_HEAD}\nA,2,2,1850,\n"},
        "implausibly early year",
        "p.csv",
        2,
        "survey_year",
        "from 1900",
        "1850",
    ),
    (
        "survey year in the future",
        {"b.csv": f"{B_HEAD}\n{B_ROWS}", "p.csv": f"{P_HEAD}\nA,2,2,3000,\n"},
        "year in the future",
        "p.csv",
        2,
        "survey_year",
        str(THIS_YEAR),
        "3000",
    ),
    (
        "cost share above 1",
        {"b.csv": f"{B_HEAD}\n{B_ROWS}", "p.csv": f"{P_HEAD}\nA,2,2,2016,1.5\n"},
        "above the maximum",
        "p.csv",
        2,
        "cost_share",
        "from 0 to 1 [fraction]",
        "1.5",
    ),
    (
        "unknown HF",
        {"b.csv": f"{B_HEAD}\nA,a,Helse Bergen,Haukeland,100,1970,2\n"},
        "unknown health trust (HF)",
        "b.csv",
        2,
        "hf",
        "HMR (Helse Møre og Romsdal HF), HNT (Helse Nord-Trøndelag HF), STO",
        "Helse Bergen",
    ),
    (
        "unknown part code",
        {"b.csv": f"{B_HEAD}\n{B_ROWS}", "p.csv": f"{P_HEAD}\nA,8,2,2016,\n"},
        "unknown building part",
        "p.csv",
        2,
        "part",
        "2, 3, 4, 5, 6, 7",
        "8",
    ),
    (
        "part row for unknown building",
        {"b.csv": f"{B_HEAD}\n{B_ROWS}", "p.csv": f"{P_HEAD}\n{P_ROWS}Z,2,1,2016,\n"},
        "part row for a building not in the buildings table",
        "p.csv",
        5,
        "building_id",
        "a building id from the buildings table",
        "Z",
    ),
    (
        "cost shares sum to zero",
        {"b.csv": f"{B_HEAD}\n{B_ROWS}", "p.csv": f"{P_HEAD}\nA,2,2,2016,0\nA,3,1,2016,0\n"},
        "cost shares of building A do not sum to a positive number",
        "p.csv",
        2,
        "cost_share",
        "shares with a positive sum",
        "0 + 0",
    ),
    (
        "undecodable bytes",
        {
            "b.csv": f"{B_HEAD}\nA,a,HMR,Molde,100,1970,2\n".encode()
            + b"B,b\x81,STO,\xd8ya,1,1990,1\n"
        },
        "undecodable bytes",
        "b.csv",
        3,
        "name",
        "UTF-8 or Windows-1252",
        "0x81",
    ),
    (
        "empty file",
        {"b.csv": b""},
        "the file is empty",
        "b.csv",
        None,
        None,
        "a heading row and at least one data row",
        "0 bytes",
    ),
    (
        "heading row only",
        {"b.csv": f"{B_HEAD}\n\n"},
        "the file is empty",
        "b.csv",
        None,
        None,
        "at least one data row",
        "a heading row but no data rows",
    ),
    (
        "two columns for one",
        {"b.csv": f"{B_HEAD},Areal\nA,a,HMR,Molde,100,1970,2,90\n"},
        "two columns are read as 'floor_area'",
        "b.csv",
        1,
        "Areal",
        "one column for 'floor_area'",
        "'floor_area' and 'Areal'",
    ),
    (
        "no grade at all",
        {"b.csv": "building_id,name,hf,site,floor_area,built_year\nA,a,HMR,Molde,100,1970\n"},
        "missing required column 'condition_grade'",
        "b.csv",
        1,
        "condition_grade",
        "Tilstandsgrad",
        "building_id, name, hf, site, floor_area, built_year",
    ),
    (
        "building without part rows or grade",
        {
            "b.csv": "building_id,name,hf,site,floor_area,built_year\n"
            "A,a,HMR,Molde,100,1970\nB,b,STO,Øya,100,1970\n",
            "p.csv": f"{P_HEAD}\nA,2,2,2016,\n",
        },
        "no condition grade for building B",
        "b.csv",
        3,
        "building_id",
        "rows in the parts table",
        "no part rows and no overall grade",
    ),
]


@pytest.mark.parametrize(
    ("files", "message", "file", "row", "column", "expected", "found"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_each_check_names_file_row_column_expected_found(
    tmp_path, files, message, file, row, column, expected, found
):
    paths = _write(tmp_path, files)
    p = _one(check_register(paths), message)
    assert p.file == str(tmp_path / file)
    assert (p.row, p.column, p.found) == (row, column, found)
    assert expected in p.expected
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
    problems = check_register(_write(tmp_path, {"b.csv": body}))
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
    (b,) = _write(tmp_path, {"b.csv": f"{B_HEAD}\n{B_ROWS}"})
    mapping = tmp_path / "map.yaml"
    mapping.write_text("Areal brutto: area_gross\nBTA: floor_area\n", encoding="utf-8")
    p = _one(check_register(b, mapping=mapping), "unknown column")
    assert (p.file, p.column, p.found) == (str(mapping), "Areal brutto", "area_gross")
    assert "floor_area" in p.expected
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
    (path,) = _write(tmp_path, {name: content})
    assert message in _one(check_register(path), message).message


def test_missing_file_empty_folder_and_parts_only(tmp_path):
    assert "file not found" in str(check_register(tmp_path / "nope.csv"))
    assert "no register files given" in str(check_register([]))
    (tmp_path / "empty").mkdir()
    assert "no register files in the folder" in str(check_register(tmp_path / "empty"))
    (p,) = _write(tmp_path, {"parts.csv": f"{P_HEAD}\n{P_ROWS}"})
    assert "no buildings table" in str(check_register(p))


def test_bundled_register_is_default(tmp_path, monkeypatch):
    _write(tmp_path, {"buildings.csv": f"{B_HEAD}\n{B_ROWS}", "README.md": "not read"})
    monkeypatch.setattr("hmn_bygg.paths.register_dir", lambda: tmp_path)
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
    (b,) = _write(tmp_path, {"b.csv": f"{B_HEAD}\n{B_ROWS}"})
    (m,) = _write(tmp_path, {"map.yaml": content})
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
