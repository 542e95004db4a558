"""Register problems in bokmål: English stays ``str(problem)``; bokmål keeps the structure,
translates message and expected text through the catalogue, and carries every value over.

The completeness test reads the fuzz corpus, the broken registers of ``register_files`` and
the crafted registers below, and requires a catalogue entry for every message and expected
text they produce, and a producing problem for every entry: a new English message without a
bokmål text fails here, and so does an entry no reader message uses any more.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from register_files import BROKEN_REGISTERS, write_files, write_workbook

from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.limits import Limits
from hmn_bygg.dashboard.upload import read_uploaded_register
from hmn_bygg.register.load import load_register
from hmn_bygg.report.problem_text import (
    _Catalogue,
    _catalogue,
    problem_text,
    title_text,
    untranslated,
)

CORPUS = Path(__file__).parent / "corpus" / "register"
B_HEAD = "building_id,name,hf,site,floor_area,built_year,condition_grade"
B_ROW = "A,Sengebygg,HMR,Molde,100,1970,2\n"
P_HEAD = "building_id,part,condition_grade"
BROWSER_UPLOAD = b"building_id,name,hf,floor_area\nX-1,Testbygg,XYZ,-5\n"
"""The broken register the browser test uploads (docs/screenshots/upload_error.png)."""

# name -> (register files, keyword arguments of load_register); a mapping given as
# (file name, content) is written next to the register files
CRAFTED: dict[str, tuple[dict[str, str | bytes], dict]] = {
    "missing columns": ({"b.csv": "building_id,name,hf\nA,a,HMR\n"}, {}),
    "bad hf": ({"b.csv": f"{B_HEAD}\nA,a,XYZ,Molde,100,1970,2\n"}, {}),
    "negative area": ({"b.csv": f"{B_HEAD}\nA,a,HMR,Molde,-5,1970,2\n"}, {}),
    "future year": ({"b.csv": f"{B_HEAD}\nA,a,HMR,Molde,100,2999,2\n"}, {}),
    "not a number": ({"b.csv": f"{B_HEAD}\nA,a,HMR,Molde,stort,1970,2\n"}, {}),
    "duplicate id in another file": (
        {"b1.csv": f"{B_HEAD}\n{B_ROW}", "b2.csv": f"{B_HEAD}\n{B_ROW}"},
        {},
    ),
    "part row for an unknown building": (
        {"b.csv": f"{B_HEAD}\n{B_ROW}", "p.csv": f"{P_HEAD}\nZ,2,1\n"},
        {},
    ),
    "unknown part": ({"b.csv": f"{B_HEAD}\n{B_ROW}", "p.csv": f"{P_HEAD}\nA,9,1\n"}, {}),
    "empty file": ({"b.csv": b""}, {}),
    "blank lines only": ({"b.csv": "\n ,\n\n"}, {}),
    "NUL byte": ({"b.csv": f"{B_HEAD}\n{B_ROW}".replace("Molde", "Mol\x00de")}, {}),
    "old Excel and other types": ({"b.xls": b"x", "b.json": b"{}"}, {}),
    "cell beyond the csv module's limit": (
        {"b.csv": f'{B_HEAD}\nA,"{"x" * 140_000}",HMR,Molde,100,1970,2\n'},
        {},
    ),
    "too many buildings": (
        {"b.csv": f"{B_HEAD}\n{B_ROW}{B_ROW.replace('A', 'B', 1)}"},
        {"limits": Limits(max_buildings=1)},
    ),
    "too many part rows": (
        {"b.csv": f"{B_HEAD}\n{B_ROW}", "p.csv": f"{P_HEAD}\nA,2,1\nA,3,1\nA,4,1\n"},
        {"limits": Limits(max_part_rows=2)},
    ),
    "too many lines": (
        {"b.csv": f"{B_HEAD}\n" + B_ROW * 20},
        {"limits": Limits(max_part_rows=1)},
    ),
    "file too large": (
        {"b.csv": f"{B_HEAD}\n{B_ROW}"},
        {"limits": Limits(max_register_file_bytes=10)},
    ),
    "unknown mapping target": ({"b.csv": f"{B_HEAD}\n{B_ROW}"}, {"mapping": {"BTA": "area_gross"}}),
    "mapping not valid YAML": (
        {"b.csv": f"{B_HEAD}\n{B_ROW}"},
        {"mapping": ("map.yaml", "BTA: [floor_area\n")},
    ),
    "mapping not pairs": (
        {"b.csv": f"{B_HEAD}\n{B_ROW}"},
        {"mapping": ("map.yaml", "- BTA\n- floor_area\n")},
    ),
    "mapping undecodable": (
        {"b.csv": f"{B_HEAD}\n{B_ROW}"},
        {"mapping": ("map.csv", b"BTA;floor_area\nB\x81;site\n")},
    ),
    "mapping not found": ({"b.csv": f"{B_HEAD}\n{B_ROW}"}, {"mapping": Path("nowhere.yaml")}),
    "mapping matches no heading": (
        {"b.csv": f"{B_HEAD}\n{B_ROW}"},
        {"mapping": ("map.yaml", "Brutto m2: floor_area\n")},
    ),
}


def _workbook_cases(tmp: Path) -> list[tuple[Path, dict]]:
    """Broken workbooks: parts only, merged columns, header only, no cells, limits."""
    parts = [P_HEAD.split(","), ["A", 2, 1]]
    buildings = [B_HEAD.split(","), ["A", "a", "HMR", "Molde", 100, 1970, 2]]
    cases: dict[str, tuple[dict[str, list[list]], str | None, dict]] = {
        "parts_only": ({"Deler1": parts, "Deler2": parts}, None, {}),
        "merged_columns": ({"Bygg": buildings}, "B2:C2", {}),
        "header_only": ({"Bygg": buildings[:1]}, None, {}),
        "no_cells": ({"Tom": []}, None, {}),
        "too_many_rows": ({"Bygg": buildings * 20}, None, {"limits": Limits(max_part_rows=1)}),
        "unpacks_too_much": (
            {"Bygg": buildings},
            None,
            {"limits": Limits(max_xlsx_unpacked_bytes=10)},
        ),
    }
    out: list[tuple[Path, dict]] = []
    for name, (sheets, merge, kwargs) in cases.items():
        path = write_workbook(tmp / f"{name}.xlsx", sheets)
        if merge:
            book = openpyxl.load_workbook(path)
            book.worksheets[0].merge_cells(merge)
            book.save(path)
        out.append((path, kwargs))
    return out


def _problems(read: Callable[..., object], *args: object, **kwargs: object) -> list[Problem]:
    """Return the problems of ``read(*args, **kwargs)``, which must raise an InputError."""
    with pytest.raises(InputError) as err:
        read(*args, **kwargs)
    return err.value.problems


def _write(folder: Path, files: dict[str, str | bytes]) -> list[Path]:
    folder.mkdir(parents=True)
    return write_files(folder, files)


@pytest.fixture(scope="module")
def all_problems(tmp_path_factory) -> list[Problem]:
    """Every problem of the corpus, the register-check cases and the crafted registers."""
    tmp = tmp_path_factory.mktemp("problem_text")
    problems: list[Problem] = []
    for path in sorted(CORPUS.iterdir()):
        try:
            load_register(path)
        except InputError as err:
            problems += err.problems
    for i, case in enumerate(BROKEN_REGISTERS):
        paths = _write(tmp / f"checks{i}", case[1])
        problems += _problems(load_register, paths)
    for i, (files, kwargs) in enumerate(CRAFTED.values()):
        paths = _write(tmp / f"crafted{i}", files)
        kw = dict(kwargs)
        if isinstance(kw.get("mapping"), tuple):
            (kw["mapping"],) = _write(tmp / f"mapping{i}", dict([kw["mapping"]]))
        problems += _problems(load_register, paths, **kw)
    for path, kwargs in _workbook_cases(tmp):
        problems += _problems(load_register, path, **kwargs)
    (tmp / "empty_folder").mkdir()
    os.mkfifo(tmp / "pipe.csv")  # not a regular file: refused as such, never opened
    (tmp / "dangling.csv").symlink_to(tmp / "gone.csv")
    odd = ([tmp / "pipe.csv"], [tmp / "dangling.csv"])
    for paths in ([tmp / "missing.csv"], [tmp / "empty_folder"], [], *odd):
        problems += _problems(load_register, paths)
    b_csv = _write(tmp / "for_dangling_mapping", {"b.csv": f"{B_HEAD}\n{B_ROW}"})
    problems += _problems(load_register, b_csv, mapping=tmp / "dangling.csv")
    too_large = b"x" * (20 * 1024 * 1024 + 1)
    for files in (
        [],
        [("a.txt", b"x"), ("b.csv", b""), ("c.csv", too_large), ("c.csv", b"y")],
        [("bygg.csv", BROWSER_UPLOAD)],
    ):
        problems += _problems(read_uploaded_register, files)
    return problems


def test_every_message_and_expected_text_has_a_bokmal_text(all_problems):
    missing = {text for p in all_problems for text in untranslated(p)}
    assert not missing, f"add these to hmn_bygg/report/problem_texts.yaml: {sorted(missing)}"
    for p in all_problems:
        assert problem_text(p, "nb") != str(p)


def test_every_catalogue_entry_is_used(all_problems):
    # which entry matched is internal to the catalogue; a dead entry would hide a renamed message
    catalogue = _catalogue()
    used = set()
    for p in all_problems:
        for text, group in ((p.message, "messages"), (p.expected, "expected")):
            hit = catalogue.match(text, group) if text is not None else None
            used |= {(group, hit[1].en)} if hit is not None else set()
    entries = {(g, e.en) for g in ("messages", "expected") for e in catalogue.groups[g].entries}
    assert sorted(entries - used) == []


def test_english_is_str_of_the_problem(all_problems):
    for p in all_problems:
        assert problem_text(p, "en") == str(p)
    odd = Problem("x.csv", "something new", 3, "col", None, "y")
    assert problem_text(odd, "en") == str(odd)


@pytest.mark.parametrize(
    ("problem", "nb"),
    [
        (
            Problem("bygg.csv", "not positive", 2, "floor_area", "a number > 0 [m²]", "-5"),
            "bygg.csv, rad 2, kolonne 'floor_area': ikke positivt; "
            "forventet et tall > 0 [m²], fant '-5'",
        ),
        (
            Problem(
                "bygg.csv",
                "missing required column 'site' (buildings table)",
                1,
                "site",
                "a heading such as site, Lokasjon, Eiendom (or map yours with --mapping)",
                "building_id, name, hf, floor_area",
            ),
            "bygg.csv, rad 1, kolonne 'site': mangler obligatorisk kolonne 'site' "
            "(bygningstabellen); forventet en overskrift som site, Lokasjon, Eiendom (eller "
            "tilordne din egen med --mapping), fant 'building_id, name, hf, floor_area'",
        ),
        (
            Problem(
                "p.csv", "year in the future", 4, "Registrert", "a year from 1900 to 2025", "3000"
            ),
            "p.csv, rad 4, kolonne 'Registrert': årstall i framtiden; "
            "forventet et årstall fra 1900 til 2025, fant '3000'",
        ),
        (
            Problem(
                "b2.xlsx, sheet 'Bygg'",
                "duplicate building id (first at b1.xlsx, sheet 'Bygg 2024', row 7)",
                3,
                "Bygningsnr",
                "each building id once",
                "A-1",
            ),
            "b2.xlsx, ark 'Bygg', rad 3, kolonne 'Bygningsnr': dobbel bygnings-ID (første "
            "forekomst: b1.xlsx, ark 'Bygg 2024', rad 7); forventet hver bygnings-ID bare én "
            "gang, fant 'A-1'",
        ),
        (
            Problem(
                "d.csv",
                "duplicate row for building A, part 3 (first at row 3)",
                5,
                "part",
                "one row per building and part",
                "3",
            ),
            "d.csv, rad 5, kolonne 'part': dobbel rad for bygg A, bygningsdel 3 (første "
            "forekomst: rad 3); forventet én rad per bygg og bygningsdel, fant '3'",
        ),
        (
            Problem(
                "w.xlsx, sheet 'Deler1', w.xlsx, sheet 'Deler2'",
                "no buildings table among the files",
                expected="a table with headings such as building_id/Bygningsnr, name, hf, site",
                found="only parts tables (a 'part'/'Bygningsdel' column)",
            ),
            "w.xlsx, ark 'Deler1', w.xlsx, ark 'Deler2': ingen bygningstabell blant filene; "
            "forventet en tabell med overskrifter som building_id/Bygningsnr, name, hf, site, "
            "fant \"bare deltabeller (med kolonnen 'part'/'Bygningsdel')\"",
        ),
        (
            Problem(
                "b.csv",
                "implausibly large number",
                2,
                "BTA",
                "a number > 0 [m²], at most 1e+12",
                "1e300",
            ),
            "b.csv, rad 2, kolonne 'BTA': urimelig stort tall; "
            "forventet et tall > 0 [m²], høyst 1e+12, fant '1e300'",
        ),
        (
            Problem(
                "b.csv",
                "the file is empty",
                expected="a heading row and at least one data row",
                found="0 bytes",
            ),
            "b.csv: filen er tom; forventet en overskriftsrad og minst én datarad, fant '0 byte'",
        ),
        (
            Problem("(upload)", "two files have the same name"),
            "(opplasting): to filer har samme navn",
        ),
        (
            Problem(
                "big.csv",
                "too many part rows to read",
                expected="at most 2 000 000 part rows: check that it is the right file (not a "
                "log or a database dump) and drop rows that are not buildings or building parts",
                found="2 000 001",
            ),
            "big.csv: for mange delrader til å kunne leses inn; forventet høyst 2 000 000 "
            "delrader: kontroller at det er riktig fil (ikke en logg eller en databasedump), "
            "og fjern rader som ikke er bygg eller bygningsdeler, fant '2 000 001'",
        ),
    ],
    ids=lambda v: v.message if isinstance(v, Problem) else "",
)
def test_known_problems_in_bokmal(problem, nb):
    assert problem_text(problem, "nb") == nb
    assert untranslated(problem) == []


def test_values_survive_translation():
    (problem,) = [
        p
        for p in _problems(read_uploaded_register, [("bygg.csv", BROWSER_UPLOAD)])
        if p.column == "hf"
    ]
    text = problem_text(problem, "nb")
    assert text.startswith("bygg.csv, rad 2, kolonne 'hf': ukjent helseforetak (HF); forventet ")
    assert text.endswith(", fant 'XYZ'")
    for name in ("HMR (Helse Møre og Romsdal HF)", "STO (St. Olavs hospital HF)"):
        assert name in text
    found_like_a_message = Problem(
        "b.csv", "not a number", 2, "BTA", "a number > 0 [m²]", "0 bytes"
    )
    assert problem_text(found_like_a_message, "nb").endswith("fant '0 bytes'")  # cell text kept


def test_unknown_texts_stay_english():
    odd = Problem("x.csv, sheet 'Ark1'", "something new", 3, "col", "a widget", "y")
    assert problem_text(odd, "nb") == (
        "x.csv, ark 'Ark1', rad 3, kolonne 'col': something new; forventet a widget, fant 'y'"
    )
    assert untranslated(odd) == ["something new", "a widget"]
    assert problem_text(Problem("x.csv", "something new", found="y"), "nb") == (
        "x.csv: something new; fant 'y'"
    )


def test_titles():
    assert title_text("The building register has problems", "nb") == "Bygningsregisteret har feil"
    assert title_text("The uploaded register cannot be read", "nb") == (
        "Det opplastede registeret kan ikke leses"
    )
    assert title_text("The uploaded register cannot be read", "en") == (
        "The uploaded register cannot be read"
    )
    assert title_text("Something else", "nb") == "Something else"


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="lang"):
        problem_text(Problem("x.csv", "not a number"), "sv")
    with pytest.raises(ValueError, match="lang"):
        title_text("The input has problems", "de")


@pytest.mark.parametrize(
    ("data", "why"),
    [
        ({"messages": [{"en": "row {n} is bad"}]}, "needs 'en' and 'nb'"),
        ({"messages": [{"en": "row {n} is bad", "nb": "raden er feil"}]}, "placeholders"),
        ({"messages": [{"en": "{a} and {a}", "nb": "{a} og {a}"}]}, "twice"),
        ({"messages": [{"en": "a {x:nowhere}", "nb": "{x}"}]}, "unknown group"),
        ({"a": [{"en": "x {y:b}", "nb": "{y}"}], "b": [{"en": "z {w:a}", "nb": "{w}"}]}, "a -> b"),
    ],
)
def test_a_broken_catalogue_is_refused(data, why):
    with pytest.raises(ValueError, match=why):
        _Catalogue(data, "test.yaml")
