"""Register problems in either language: every message the reader can produce is a catalogue
message (``hmn_bygg/register/messages.yaml``) with a bokmål text, values are carried over as
the file holds them, and titles are translated.

The completeness test reads the fuzz corpus, the broken registers of ``register_files`` and
the crafted registers below (the set of inputs the old pattern catalogue,
``report/problem_texts.yaml``, was checked against) and requires every problem's message and
expected text to be a :class:`~hmn_bygg.core.messages.Msg`: a new English sentence in the
reader fails here. That every catalogue entry is used and has both languages with the same
fields is ``tests/test_messages.py``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from register_files import BROKEN_REGISTERS, write_files, write_workbook

from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.limits import Limits
from hmn_bygg.core.messages import Msg
from hmn_bygg.dashboard.upload import read_uploaded_register
from hmn_bygg.register.load import load_register

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


# Problems made by hmn_bygg/core (limits.py, paths.py), whose messages are converted with that
# stage: until then they are English sentences, allowed here by their start.
def _bokmal_framing_only(problem: Problem) -> str:
    """The bokmål line without the file name (which is the user's, or names a sheet)."""
    return problem.render("nb")[len(problem.file) :]


def test_every_problem_is_a_message_with_a_bokmal_text(all_problems):
    assert len(all_problems) > 80
    sentences = [
        f"{p.message!r} / {p.expected!r}"
        for p in all_problems
        if not (isinstance(p.message, Msg) and isinstance(p.expected, Msg | None))
    ]
    assert not sentences, f"write these as Msg with an entry in messages.yaml: {sentences}"
    for p in all_problems:
        assert isinstance(p.message, Msg)
        assert p.message.render("nb") != p.message.render("en"), p.message.key


def test_no_english_framing_in_bokmal(all_problems):
    english = re.compile(r"\b(row|column|expected|found|the|not|and|a|an|of|is|file)\b")
    for p in all_problems:
        text = _bokmal_framing_only(p)
        # what the file holds is the user's text: drop it before looking for English words
        found = p.found.render("nb") if isinstance(p.found, Msg) else p.found
        if found is not None:
            text = text.replace(repr(found), "")
        if p.column is not None:
            text = text.replace(repr(p.column), "")
        text = re.sub(r"\S*/\S*|'[^']*'", "", text)  # file paths and quoted values
        assert not english.search(text), p.render("nb")


def test_english_is_str_of_the_problem(all_problems):
    for p in all_problems:
        assert p.render("en") == str(p)
    error = InputError(all_problems[:3], title=Msg("register.register_has_problems"))
    assert str(error).startswith("The building register has problems (3 problems):")


@pytest.mark.parametrize(
    ("problem", "en", "nb"),
    [
        (
            Problem(
                "bygg.csv",
                Msg("register.not_positive"),
                2,
                "floor_area",
                Msg(
                    "register.value_range_unit",
                    kind=Msg("register.kind_number"),
                    range=Msg("register.range_positive"),
                    unit="m²",
                ),
                "-5",
            ),
            "bygg.csv, row 2, column 'floor_area': not positive; "
            "expected a number > 0 [m²], found '-5'",
            "bygg.csv, rad 2, kolonne 'floor_area': ikke positivt; "
            "forventet et tall > 0 [m²], fant '-5'",
        ),
        (
            Problem(
                "b2.xlsx [Bygg]",
                Msg(
                    "register.duplicate_building",
                    where=Msg("register.at_file_row", file="b1.xlsx [Bygg 2024]", row="7"),
                ),
                3,
                "Bygningsnr",
                Msg("register.each_id_once"),
                "A-1",
            ),
            "b2.xlsx [Bygg], row 3, column 'Bygningsnr': duplicate building id (first at "
            "b1.xlsx [Bygg 2024], row 7); expected each building id once, found 'A-1'",
            "b2.xlsx [Bygg], rad 3, kolonne 'Bygningsnr': dobbel bygnings-ID (første "
            "forekomst: b1.xlsx [Bygg 2024], rad 7); forventet hver bygnings-ID bare én "
            "gang, fant 'A-1'",
        ),
        (
            Problem(
                "w.xlsx",
                Msg("register.no_buildings_table"),
                expected=Msg("register.buildings_table_headings"),
                found=Msg("register.only_parts_tables"),
            ),
            "w.xlsx: no buildings table among the files; expected a table with headings such "
            'as building_id/Bygningsnr, name, hf, site, found "only parts tables (a '
            "'part'/'Bygningsdel' column)\"",
            "w.xlsx: ingen bygningstabell blant filene; forventet en tabell med overskrifter "
            'som building_id/Bygningsnr, name, hf, site, fant "bare deltabeller (med '
            "kolonnen 'part'/'Bygningsdel')\"",
        ),
        (
            Problem(
                "b.csv",
                Msg("register.file_is_empty"),
                expected=Msg("register.heading_and_data_row"),
                found=Msg("register.zero_bytes"),
            ),
            "b.csv: the file is empty; expected a heading row and at least one data row, "
            "found '0 bytes'",
            "b.csv: filen er tom; forventet en overskriftsrad og minst én datarad, fant '0 byte'",
        ),
        (
            Problem("", Msg("register.same_names")),
            "two files have the same name",
            "to filer har samme navn",
        ),
    ],
    ids=lambda v: v.message.key if isinstance(v, Problem) else "",
)
def test_known_problems_in_both_languages(problem, en, nb):
    assert problem.render("en") == en == str(problem)
    assert problem.render("nb") == nb


def _one(files: dict[str, str | bytes], tmp: Path, column: str, **kwargs) -> Problem:
    paths = _write(tmp, files)
    hits = [p for p in _problems(load_register, paths, **kwargs) if p.column == column]
    assert len(hits) == 1, hits
    return hits[0]


def test_cells_read_in_both_languages(tmp_path):
    this_year = dt.date.today().year
    future = _one({"b.csv": f"{B_HEAD}\nA,a,HMR,Molde,100,2999,2\n"}, tmp_path / "f", "built_year")
    assert future.render("nb").endswith(
        f"kolonne 'built_year': årstall i framtiden; forventet et årstall fra 1800 til "
        f"{this_year}, fant '2999'"
    )
    assert future.render("en").endswith(
        f"column 'built_year': year in the future; expected a year from 1800 to {this_year}, "
        "found '2999'"
    )
    missing = _one({"b.csv": "building_id,name,hf,floor_area\nA,a,HMR,5\n"}, tmp_path / "m", "site")
    assert (
        "mangler obligatorisk kolonne 'site' (bygningstabellen); forventet en overskrift som "
        "site, Lokasjon" in missing.render("nb")
    )
    assert (
        "missing required column 'site' (buildings table); expected a heading such as "
        "site, Lokasjon" in missing.render("en")
    )
    large = _one({"b.csv": f"{B_HEAD}\nA,a,HMR,Molde,1e300,1970,2\n"}, tmp_path / "l", "floor_area")
    assert large.render("nb").endswith(
        "urimelig stort tall; forventet et tall > 0 [m²], høyst 1e+12, fant '1e300'"
    )
    assert large.render("en").endswith(
        "implausibly large number; expected a number > 0 [m²], at most 1e+12, found '1e300'"
    )


def test_values_survive_translation():
    (problem,) = [
        p
        for p in _problems(read_uploaded_register, [("bygg.csv", BROWSER_UPLOAD)])
        if p.column == "hf"
    ]
    text = problem.render("nb")
    assert text.startswith("bygg.csv, rad 2, kolonne 'hf': ukjent helseforetak (HF); forventet ")
    assert text.endswith(", fant 'XYZ'")
    for name in ("HMR (Helse Møre og Romsdal HF)", "STO (St. Olavs hospital HF)"):
        assert name in text
    cell_like_a_message = Problem("b.csv", Msg("register.not_a_number"), 2, "BTA", found="0 bytes")
    assert cell_like_a_message.render("nb").endswith("fant '0 bytes'")  # cell text kept


def test_titles_are_translated(tmp_path):
    with pytest.raises(InputError) as err:
        load_register(_write(tmp_path / "t", {"b.csv": f"{B_HEAD}\nA,a,XYZ,Molde,100,1970,2\n"}))
    assert err.value.render("nb").startswith("Bygningsregisteret har feil (1 feil):")
    assert str(err.value).startswith("The building register has problems (1 problem):")
    with pytest.raises(InputError) as err:
        read_uploaded_register([])
    assert err.value.render("nb").startswith("Det opplastede registeret kan ikke leses (1 feil):")
    assert "  - ingen fil er lastet opp" in err.value.render("nb")
    assert str(err.value).startswith("The uploaded register cannot be read (1 problem):")


def test_register_check_says_ok_in_either_language(tmp_path):
    from cli_invoke import invoke

    (path,) = _write(tmp_path / "ok", {"b.csv": f"{B_HEAD}\n{B_ROW}"})
    code, out = invoke(["register", "check", str(path)])
    assert code == 0, out
    assert out.startswith("OK: 1 bygg, 0 delrader (én samlet tilstandsgrad per bygg, kopiert")
    code, out = invoke(["register", "check", str(path), "--lang", "en"])
    assert code == 0, out
    assert out.startswith("OK: 1 buildings, 0 part rows (one overall grade per building, copied")


def test_notes_read_in_either_language():
    ds = load_register(CORPUS / "hidden_row.xlsx")
    nb = [n.render("nb") for n in ds.attrs["notes"]]
    en = [str(n) for n in ds.attrs["notes"]]
    path = CORPUS / "hidden_row.xlsx"
    assert f"{path}, ark 'Bygg': rad 4 er skjult; leses som data likevel" in nb
    assert f"{path}, sheet 'Bygg': row 4 is hidden; read as data all the same" in en
    assert f"{path}: bygningstabellen leses fra arket 'Bygg'" in nb
    totals = load_register(CORPUS / "subtotal_rows.xlsx").attrs["notes"]
    (note,) = [n for n in totals if "total rows" in str(n)]
    assert note.render("nb").endswith(
        "ark 'Bygg': sumrader er hoppet over: rad 3 ('Sum HMR'), rad 5 ('Sum STO'), "
        "rad 6 ('Totalt')"
    )
