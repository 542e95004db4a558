"""Reading real-world register exports: Norwegian CSV variants, workbooks, aliases, mappings,
one overall grade per building; files are never changed."""

from __future__ import annotations

import csv
import hashlib
import io
import string
import tempfile
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st
from register_files import write_workbook

from hmn_bygg.core.numbers import parse_number
from hmn_bygg.register.load import check_register, load_mapping, load_register
from hmn_bygg.register.read import decode, sniff_separator
from hmn_bygg.register.table import norm_key

FIXTURES = Path(__file__).parent / "fixtures" / "register"
BASIC = FIXTURES / "basic"
NORSK = [FIXTURES / "norsk" / "bygg.csv", FIXTURES / "norsk" / "bygningsdeler.csv"]
VARIABLES = (
    "hf",
    "site",
    "use",
    "name",
    "floor_area",
    "built_year",
    "adaptability",
    "replacement_value",
    "planned_disposal_year",
    "condition_grade",
    "survey_year",
    "cost_share",
)


def _assert_same_register(a: xr.Dataset, b: xr.Dataset) -> None:
    assert list(a.building.values) == list(b.building.values)
    for name in VARIABLES:
        xr.testing.assert_allclose(a[name].reset_coords(drop=True), b[name].reset_coords(drop=True))


@pytest.mark.parametrize(
    ("text", "decimal", "value"),
    [
        ("254 836", ",", 254836.0),
        ("254\u00a0836", ",", 254836.0),
        ("1 234,5", ",", 1234.5),
        ("1\u202f234,5", ".", 1234.5),
        ("1,234", ",", 1.234),
        ("1,234", ".", 1234.0),
        ("1,5", ".", 1.5),
        ("0,125", ".", 0.125),
        ("1.234", ",", 1.234),
        ("1.234,5", ",", 1234.5),
        ("1,234.5", ",", 1234.5),
        ("\u22123", ",", -3.0),
        ("52 %", ",", 0.52),
        ("1e3", ".", 1000.0),
        (2, ",", 2.0),
        ("  ", ",", None),
        (None, ",", None),
    ],
)
def test_parse_number(text, decimal, value):
    result = parse_number(text, decimal)
    assert result is None if value is None else result == pytest.approx(value)


@pytest.mark.parametrize("text", ["abc", "1 23", "1,2,3", "nan", "inf", "1-2", True])
def test_parse_number_rejects(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_norm_key_folds_case_accents_and_punctuation():
    assert norm_key("Formål") == norm_key("FORMAL") == "formal"
    assert norm_key(" Bygg-ID ") == norm_key("bygg id")
    assert norm_key("Tilpasningsdyktighet") == "tilpasningsdyktighet"


def test_decode_and_sniff():
    assert decode("Byggeår".encode("cp1252")) == ("Byggeår", [])
    assert decode("\ufeffByggeår".encode()) == ("Byggeår", [])
    assert decode("a;b".encode("utf-16")) == ("a;b", [])
    assert sniff_separator("a;b;c\n1,5;2,5;3,5\n") == ";"
    assert sniff_separator("a,b,c\n1.5,2.5,3.5\n") == ","
    assert sniff_separator("a\tb\n1,5\t2\n") == "\t"


def test_basic_register():
    ds = load_register(BASIC)
    assert ds.attrs["grade_origin"] == "part"
    assert ds.attrs["part_rows"] == 18
    assert [Path(s).name for s in ds.attrs["sources"]] == ["buildings.csv", "parts.csv"]
    assert ds.floor_area.sel(building="A1") == 12500.5
    assert list(ds.hf.values) == ["HMR", "STO", "HNT"]
    np.testing.assert_allclose(ds.cost_share.sum("part"), 1.0)
    assert float(ds.cost_share.sel(building="A1", part="2")) == pytest.approx(0.5)
    assert float(ds.replacement_value.sel(building="A2")) == 65_000.0
    assert np.isnan(ds.planned_disposal_year.sel(building="A2"))


def test_norwegian_export_reads_like_the_basic_register():
    """Semicolons, decimal commas, space and no-break-space thousands, Windows-1252, a title
    line above the headings, Norwegian headings and HF/use names; parts in UTF-8 with BOM
    with "2 Bygning", "TG2,5" and "50 %"."""
    assert NORSK[0].read_bytes().decode("cp1252")  # really Windows-1252 ...
    with pytest.raises(UnicodeDecodeError):
        NORSK[0].read_bytes().decode("utf-8")  # ... and not UTF-8
    assert NORSK[1].read_bytes().startswith(b"\xef\xbb\xbf")
    ds = load_register(NORSK)
    _assert_same_register(ds, load_register(BASIC))
    assert ds.site.sel(building="A2") == "Østmarka"


def test_overall_grade_per_building():
    ds = load_register(FIXTURES / "overall_grade" / "buildings.csv")
    assert ds.attrs["grade_origin"] == "building"
    assert ds.attrs["part_rows"] == 0
    assert (ds.condition_grade.sel(building="1001") == 1.5).all()
    assert list(ds.hf.values) == ["STO", "HNT"]
    assert list(ds.use.values) == ["somatic", "housing"]
    assert float(ds.floor_area.sel(building="1001")) == 25_000.0


def test_buildings_without_part_rows_take_their_overall_grade(tmp_path):
    b = tmp_path / "b.csv"
    b.write_text(
        "id,name,hf,site,BTA,built_year,TG\nA,a,HMR,M,10,1990,2\nB,b,HMR,M,10,1990,3\n",
        encoding="utf-8",
    )
    p = tmp_path / "p.csv"
    p.write_text("id,part,TG\nA,2,1\nA,3,0\n", encoding="utf-8")
    ds = load_register([b, p])
    assert ds.attrs["grade_origin"] == "part"
    assert list(ds.condition_grade.sel(building="A").values) == [1, 0, 2, 2, 2, 2]
    assert (ds.condition_grade.sel(building="B") == 3).all()
    assert any("overall grade" in n for n in list(map(str, ds.attrs["notes"])))


def test_unknown_use_is_other_with_a_note(tmp_path):
    b = tmp_path / "b.csv"
    b.write_text(
        "id,name,hf,site,BTA,built_year,TG,Bruk\nA,a,HMR,M,10,1990,2,Laboratorium\n"
        "B,b,HMR,M,10,1990,2,\n",
        encoding="utf-8",
    )
    ds = load_register(b)
    assert list(ds.use.values) == ["other", "other"]
    assert any("'Laboratorium' (1)" in n for n in list(map(str, ds.attrs["notes"])))


@pytest.mark.parametrize("mapping", ["mapping.yaml", "mapping.csv"])
def test_mapping_file(mapping):
    export = FIXTURES / "mapped" / "export.csv"
    assert check_register(export)  # the headings need the mapping ...
    ds = load_register(export, mapping=FIXTURES / "mapped" / mapping)  # ... and read with it
    assert list(ds.building.values) == ["A1", "A2"]
    assert float(ds.floor_area.sel(building="A1")) == 12500.5
    assert ds.attrs["grade_origin"] == "building"


def test_mapping_as_dict_and_ignore():
    lookup, problems = load_mapping({"Brutto m2": "Floor_Area", "Merknad": None})
    assert problems == []
    assert lookup == {"brutto m2": "floor_area", "merknad": ""}


BUILDINGS_ROWS = [
    ["Bygningsnr", "Bygningsnavn", "HF", "Lokasjon", "Bruk", "BTA", "Byggeår",
     "Tilpasningsdyktighet", "Gjenanskaffelsesverdi", "Avhending"],
    ["A1", "Sengebygg", "HMR", "Molde", "Sykehus", 12500.5, 1968, 2, 60000, 2030],
    ["A2", "Psykiatribygg", "St Olavs", "Østmarka", "Psykiatri", "3 400", 1985.0, None, None, None],
    ["A3", "Kontor", "HNT", "Levanger", "Kontor", 800, 2010, 1, None, None],
]  # fmt: skip


def _part_rows() -> list[list]:
    rows = [["Byggnr", "Bygningsdel", "Tilstandsgrad", "Registrert", "Andel"]]
    for line in (BASIC / "parts.csv").read_text(encoding="utf-8").splitlines()[1:]:
        bid, part, grade, year, share = line.split(",")
        rows.append([bid, int(part), float(grade), int(year), float(share) if share else None])
    return rows


def test_xlsx_one_workbook_with_sheets(tmp_path):
    path = write_workbook(
        tmp_path / "register.xlsx",
        {
            "Forklaring": [["Uttrekk fra FDV-systemet"], ["Se fanene"]],
            "Bygg": [["Bygningsregister 2018"], [], *BUILDINGS_ROWS],
            "Deler": _part_rows(),
        },
    )
    ds = load_register(path)
    _assert_same_register(ds, load_register(BASIC))
    assert any("Forklaring" in n for n in list(map(str, ds.attrs["notes"])))


def test_xlsx_one_table_per_file_in_a_folder(tmp_path):
    write_workbook(tmp_path / "buildings.xlsx", {"Ark1": BUILDINGS_ROWS})
    write_workbook(tmp_path / "parts.xlsx", {"Ark1": _part_rows()})
    _assert_same_register(load_register(tmp_path), load_register(BASIC))


def test_xlsx_problems_name_sheet_and_row(tmp_path):
    rows = [r.copy() for r in BUILDINGS_ROWS]
    rows[2][5] = "mye"
    path = write_workbook(tmp_path / "b.xlsx", {"Bygg": [["Tittel"], *rows]})
    (p,) = [p for p in check_register(path) if "not a number" in str(p.message)]
    assert (p.file, p.row, p.column, p.found) == (f"{path} [Bygg]", 4, "BTA", "mye")


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(f.relative_to(folder)): hashlib.sha256(f.read_bytes()).hexdigest()
        for f in sorted(folder.rglob("*"))
        if f.is_file()
    }


def test_input_files_are_never_changed(tmp_path):
    write_workbook(tmp_path / "buildings.xlsx", {"Ark1": BUILDINGS_ROWS})
    write_workbook(tmp_path / "parts.xlsx", {"Ark1": _part_rows()})
    before, fixtures_before = _digest(tmp_path), _digest(FIXTURES)
    load_register(tmp_path)
    load_register(NORSK)
    load_register(FIXTURES / "mapped" / "export.csv", mapping=FIXTURES / "mapped" / "mapping.yaml")
    check_register([*NORSK, BASIC, FIXTURES / "overall_grade"])
    assert _digest(tmp_path) == before
    assert _digest(FIXTURES) == fixtures_before


# -- round trip: any valid register, written any way an export may be, reads back the same --

NAME_CHARS = string.ascii_letters + "æøåÆØÅé -.,;'\""
HF_CODES = {
    "HMR": "HMR",
    "hnt": "HNT",
    "St. Olavs hospital": "STO",
    "Helse Nord-Trøndelag HF": "HNT",
    "Møre og Romsdal": "HMR",
}


@st.composite
def registers(draw):
    n = draw(st.integers(1, 4))
    ids = draw(st.lists(st.text("ABC0123456789-", min_size=1, max_size=5), min_size=n,
                        max_size=n, unique_by=str.casefold))  # fmt: skip
    buildings = []
    for bid in ids:
        buildings.append(
            {
                "building_id": bid,
                "name": draw(st.text(NAME_CHARS, min_size=1, max_size=12).map(str.strip)) or "x",
                "hf": draw(st.sampled_from(list(HF_CODES))),
                "site": draw(st.sampled_from(["Øya", "Molde", "Ålesund", "Brøset"])),
                "floor_area": draw(st.integers(1, 10**9)) / 100,
                "built_year": draw(st.integers(1800, 2020)),
                "adaptability": draw(st.none() | st.integers(0, 30).map(lambda x: x / 10)),
            }
        )
    parts = []
    for bid in ids:
        for code in draw(st.sets(st.sampled_from("234567"), min_size=1)):
            grade = draw(st.integers(0, 300)) / 100
            share = draw(st.none() | st.integers(1, 1000).map(lambda x: x / 1000))
            parts.append({"building_id": bid, "part": code, "condition_grade": grade,
                          "cost_share": share})  # fmt: skip
    return buildings, parts


def _format(value, decimal: str, group: str) -> str:
    if value is None:
        return ""
    if isinstance(value, int | str):
        return str(value)
    text = f"{value:,.3f}".rstrip("0").rstrip(".")
    return text.replace(",", "\0").replace(".", decimal).replace("\0", group)


@given(
    register=registers(),
    style=st.sampled_from(
        [(",", ".", ""), (";", ",", ""), (";", ",", " "), (";", ",", "\u00a0"), ("\t", ",", " "),
         (";", ".", ""), ("\t", ".", "")]
    ),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
)  # fmt: skip
@settings(max_examples=40, deadline=None)
def test_round_trip_any_separator_decimal_and_encoding(register, style, encoding):
    buildings, parts = register
    sep, decimal, group = style
    with tempfile.TemporaryDirectory() as folder:
        for name, rows in (("buildings.csv", buildings), ("parts.csv", parts)):
            out = io.StringIO()
            writer = csv.writer(out, delimiter=sep, lineterminator="\r\n")
            writer.writerow(rows[0].keys())
            for row in rows:
                writer.writerow([_format(v, decimal, group) for v in row.values()])
            (Path(folder) / name).write_bytes(out.getvalue().encode(encoding))
        ds = load_register(folder)
    assert list(ds.building.values) == [b["building_id"] for b in buildings]
    for b in buildings:
        got = ds.sel(building=b["building_id"])
        assert got.name == b["name"]
        assert got.hf == HF_CODES[b["hf"]]
        assert float(got.floor_area) == pytest.approx(b["floor_area"])
        assert float(got.built_year) == b["built_year"]
        expected = np.nan if b["adaptability"] is None else b["adaptability"]
        assert float(got.adaptability) == pytest.approx(expected, nan_ok=True)
    for p in parts:
        got = ds.condition_grade.sel(building=p["building_id"], part=p["part"])
        assert float(got) == pytest.approx(p["condition_grade"])
    assert float(ds.condition_grade.min()) >= 0 and float(ds.condition_grade.max()) <= 3
