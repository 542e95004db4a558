"""Fuzzing the register reader: every input loads exactly or is refused with an InputError.

Generated registers are written as CSV (any separator, decimal mark, encoding, headings in
Norwegian or English, title lines, thousands grouped) or as XLSX (numbers or texts), then
corrupted in nasty ways (cut at a random byte, NUL bytes, byte-order marks in the middle, bad
values such as ``nan``, ``inf``, ``1e309``, huge and negative numbers, 1 MB cells, formulas
without a saved result, merged cells, duplicate headings). The properties:

- a valid register loads, and every figure is exactly what was written;
- anything else loads with sane values or raises :class:`~hmn_bygg.core.errors.InputError` whose
  problems name the file: never another exception, never a hang (each example has a deadline).

The nastiest cases are kept as files in ``tests/corpus/register`` (written by
``tests/corpus/make_corpus.py``), each with the outcome expected of it in ``REGISTER_CASES``.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import tempfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
import xarray as xr
from damage import HOWS, corrupt, number_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import register_tables

from hmn_bygg.core.errors import InputError
from hmn_bygg.register.columns import specs
from hmn_bygg.register.load import load_register
from hmn_bygg.register.model import SURVEY_ONLY

CORPUS = Path(__file__).parent / "corpus" / "register"
SCALE = float(os.environ.get("HMN_BYGG_FUZZ_SCALE", "1"))
"""Multiplies the number of examples, e.g. ``HMN_BYGG_FUZZ_SCALE=50`` for a long hunt."""
# An example reads one register in milliseconds; the deadline (hypothesis: per example, once
# it has finished) only catches a pathological one, so it is generous: a loaded machine that
# makes an ordinary example a hundred times slower must not fail the test.
FUZZ = settings(
    max_examples=int(40 * SCALE),
    deadline=20_000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
NASTY = (
    "nan",
    "NaN",
    "inf",
    "-inf",
    "1e309",
    "-1e309",
    "1e300",
    "-5",
    "TG 4",
    "12abc",
    "∞",
    "1,2,3",
    "=1+1",
    "0x10",
    "9" * 1_000_000,
)
"""Cell texts that no numeric column may accept."""


def headings(table: str, columns: list[str], rnd: random.Random) -> list[str]:
    """Each column's heading: its name or one of its Norwegian aliases."""
    return [rnd.choice([c, *specs(table)[c].aliases]) for c in columns]


def table_rows(frame: pd.DataFrame, table: str, decimal: str, grouped: bool) -> list[list[str]]:
    """Rows of texts for a CSV file (years never grouped)."""
    rows = []
    for _, rec in frame.iterrows():
        row = []
        for col, value in rec.items():
            if isinstance(value, str):
                row.append(value)
            else:
                year = specs(table)[str(col)].unit == "year"
                row.append(number_text(value, decimal, grouped and not year))
        rows.append(row)
    return rows


def write_csv(frame: pd.DataFrame, table: str, path: Path, fmt: dict) -> None:
    """Write a table as CSV in the drawn format."""
    rnd = random.Random(fmt["seed"])
    out = io.StringIO()
    import csv

    writer = csv.writer(out, delimiter=fmt["sep"], lineterminator=fmt["eol"])
    for title in fmt["titles"]:
        writer.writerow([title])
    writer.writerow(headings(table, list(frame.columns), rnd))
    writer.writerows(table_rows(frame, table, fmt["decimal"], fmt["grouped"]))
    path.write_bytes(out.getvalue().encode(fmt["encoding"], errors="replace"))


def write_xlsx(tables: dict[str, pd.DataFrame], path: Path, as_text: bool, seed: int) -> None:
    """Write tables as sheets of one workbook; numbers as numbers or as Norwegian texts."""
    rnd = random.Random(seed)
    book = openpyxl.Workbook()
    book.active.title = "Notater"
    book.active.append(["Eksport fra FDV-systemet", dt.date(2024, 1, 31)])
    for table, frame in tables.items():
        sheet = book.create_sheet("Bygg" if table == "buildings" else "Bygningsdeler")
        sheet.append(headings(table, list(frame.columns), rnd))
        for _, rec in frame.iterrows():
            row = []
            for value in rec.to_numpy():
                if isinstance(value, str) or value != value:
                    row.append(None if not isinstance(value, str) else value)
                elif as_text:
                    row.append(number_text(value, ",", False))
                else:
                    row.append(int(value) if float(value).is_integer() else float(value))
            sheet.append(row)
    book.save(path)


formats = st.fixed_dictionaries(
    {
        "sep_decimal": st.sampled_from([(",", "."), (";", ","), (";", "."), ("\t", ",")]),
        "encoding": st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
        "eol": st.sampled_from(["\n", "\r\n"]),
        "grouped": st.booleans(),
        "titles": st.lists(st.sampled_from(["Eksport fra Plania", "Tilstand 2024"]), max_size=2),
        "seed": st.integers(0, 1000),
        "xlsx": st.sampled_from([None, None, "numbers", "text"]),
    }
).map(lambda f: {**f, "sep": f["sep_decimal"][0], "decimal": f["sep_decimal"][1]})


def write_register(
    folder: Path, buildings: pd.DataFrame, parts: pd.DataFrame | None, fmt: dict
) -> list[Path]:
    """Write a register in the drawn format; return the files."""
    tables = {"buildings": buildings, **({"parts": parts} if parts is not None else {})}
    if fmt["xlsx"]:
        path = folder / "register.xlsx"
        write_xlsx(tables, path, fmt["xlsx"] == "text", fmt["seed"])
        return [path]
    files = []
    for table, frame in tables.items():
        path = folder / f"{table}.csv"
        write_csv(frame, table, path, fmt)
        files.append(path)
    return files


def check_sane(ds: xr.Dataset) -> None:
    """What holds for any register that loads, whatever its source."""
    area = ds["floor_area"].to_numpy()
    assert np.all(np.isfinite(area)) and np.all(area > 0)
    grade = ds["condition_grade"].to_numpy()
    assert np.all(np.isnan(grade) | ((grade >= 0) & (grade <= 3)))
    assert np.allclose(ds["cost_share"].sum("part"), 1.0)
    assert np.all(np.isfinite(ds["replacement_value"].to_numpy()))
    assert len(set(ds["building"].to_numpy())) == ds.sizes["building"]


def check_exact(ds: xr.Dataset, buildings: pd.DataFrame, parts: pd.DataFrame | None) -> None:
    """The loaded register holds exactly what was written."""
    b = buildings.set_index("building_id")
    assert list(ds["building"].to_numpy()) == list(b.index)
    assert ds["floor_area"].to_numpy().tolist() == b["floor_area"].tolist()
    assert ds["built_year"].to_numpy().tolist() == b["built_year"].tolist()
    assert ds["name"].to_numpy().tolist() == b["name"].tolist()
    assert ds["hf"].to_numpy().tolist() == b["hf"].tolist()
    assert ds["use"].to_numpy().tolist() == b["use"].tolist()
    rv = b["replacement_value"].fillna(65_000.0).tolist()
    assert ds["replacement_value"].to_numpy().tolist() == rv
    np.testing.assert_array_equal(ds["adaptability"].to_numpy(), b["adaptability"].to_numpy())
    np.testing.assert_array_equal(
        ds["planned_disposal_year"].to_numpy(), b["planned_disposal_year"].to_numpy()
    )
    if parts is None:
        expected = np.repeat(b["condition_grade"].to_numpy()[:, None], 6, axis=1)
    else:
        expected = parts.pivot(index="building_id", columns="part", values="condition_grade")
        expected = expected.loc[b.index, list(ds["part"].to_numpy())].to_numpy()
    np.testing.assert_array_equal(ds["condition_grade"].to_numpy(), expected)


def load_or_refuse(files: list[Path]) -> xr.Dataset | None:
    """Load; an InputError is fine when every problem names one of ``files``."""
    try:
        return load_register(files)
    except InputError as err:
        assert err.problems
        names = [str(f) for f in files]
        for problem in err.problems:
            assert any(problem.file.startswith(n) for n in names), problem
        return None


@FUZZ
@given(tables=register_tables(), fmt=formats)
def test_valid_registers_load_exactly(tables, fmt):
    buildings, parts = tables
    with tempfile.TemporaryDirectory() as tmp:
        files = write_register(Path(tmp), buildings, parts, fmt)
        ds = load_register(files)
    check_exact(ds, buildings, parts)
    check_sane(ds)


# Columns the generated tables hold; the survey-only ones belong to later surveys.
numeric_columns = [n for n, s in specs("buildings").items() if s.numeric and n not in SURVEY_ONLY]


@FUZZ
@given(
    tables=register_tables(parts=False),
    fmt=formats,
    column=st.sampled_from([*numeric_columns]),
    nasty=st.sampled_from(NASTY),
    row=st.integers(0, 5),
)
def test_bad_numbers_are_refused(tables, fmt, column, nasty, row):
    buildings, _ = tables
    buildings = buildings.astype({column: object})
    buildings.loc[row % len(buildings), column] = nasty
    with tempfile.TemporaryDirectory() as tmp:
        files = write_register(Path(tmp), buildings, None, fmt)
        with pytest.raises(InputError) as caught:
            load_register(files)
    rows = [p for p in caught.value.problems if p.row is not None]
    assert rows, caught.value


@FUZZ
@given(
    tables=register_tables(),
    fmt=formats,
    how=st.sampled_from(HOWS),
    which=st.integers(0, 1),
    seed=st.integers(0, 10_000),
)
def test_corrupted_files_load_sanely_or_are_refused(tables, fmt, how, which, seed):
    buildings, parts = tables
    with tempfile.TemporaryDirectory() as tmp:
        files = write_register(Path(tmp), buildings, parts, fmt)
        target = files[which % len(files)]
        target.write_bytes(corrupt(target.read_bytes(), how, random.Random(seed)))
        ds = load_or_refuse(files)
    if ds is not None:
        check_sane(ds)


@FUZZ
@given(
    tables=register_tables(parts=False, min_buildings=2),
    column=st.sampled_from(["floor_area", "built_year", "replacement_value", "hf", "name"]),
    value=st.sampled_from(
        ["=1+1", "=SUM(A1:A3)", True, dt.datetime(2020, 1, 1), -1, "1e309", "x" * 20_000]
    ),
    merge=st.booleans(),
)
def test_workbook_traps_are_refused(tables, column, value, merge):
    buildings, _ = tables
    frame = buildings.astype({column: object})
    frame.loc[0, column] = value
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "register.xlsx"
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(list(frame.columns))
        for _, rec in frame.iterrows():
            sheet.append([None if (not isinstance(v, str) and v != v) else v for v in rec])
        if merge:
            col = list(frame.columns).index("hf") + 1
            sheet.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
        book.save(path)
        formula = isinstance(value, str) and value.startswith("=")
        long = isinstance(value, str) and len(value) > 10_000
        if column == "name" and not (merge or formula or long):
            assert load_register(path)["name"].to_numpy()[0] == str(value)  # text as written
            return
        if isinstance(value, dt.datetime) and column == "built_year" and not merge:
            assert load_register(path)["built_year"].to_numpy()[0] == 2020  # a date's year
            return
        with pytest.raises(InputError) as caught:
            load_register(path)
    assert all(p.file.startswith(str(path)) for p in caught.value.problems)


REGISTER_CASES = {
    "utf16_bom.csv": None,
    "cp1252_semicolon.csv": None,
    "utf8_comma.csv": None,
    "bom_in_middle.csv": None,
    "formula_cached.xlsx": None,
    "merged_title.xlsx": None,
    "nul_bytes.csv": "NUL characters",
    "undecodable.csv": "undecodable bytes",
    "inf_area.csv": "not a number",
    "inf_word.csv": "not a number",
    "nan_grade.csv": "not a number",
    "huge_area.csv": "implausibly large number",
    "negative_area.csv": "not positive",
    "grade_out_of_range.csv": "above the maximum",
    "duplicate_header.csv": "two columns are read as 'floor_area'",
    "only_header.csv": "the file is empty",
    "unclosed_quote.csv": "missing value in a required column",
    "long_cell.csv": "the cell is far too long",
    "truncated.csv": "missing value in a required column",
    "formula_uncached.xlsx": "a formula without a saved result",
    "formula_in_text.xlsx": "a formula without a saved result",
    "merged_cells.xlsx": "merged cells in the table",
    "bool_area.xlsx": "not a number",
    "date_area.xlsx": "not a number",
    "not_a_zip.xlsx": "cannot read the file as an Excel workbook",
    "truncated.xlsx": "cannot read the file as an Excel workbook",
    # issue 19: hidden data, links, totals, copies of the table, mixed encodings
    "hidden_sheet.xlsx": None,
    "hidden_first_sheet.xlsx": None,
    "second_copy_sheet.xlsx": None,
    "hidden_row.xlsx": None,
    "filtered_rows.xlsx": None,
    "hidden_column.xlsx": None,
    "external_link.xlsx": None,
    "total_row.csv": None,
    "subtotal_rows.xlsx": None,
    "only_hidden_sheets.xlsx": "the file is empty",
    "mixed_utf8_then_cp1252.csv": "mixed encodings",
    "mixed_cp1252_then_utf8.csv": "mixed encodings",
}
"""Corpus file -> None (loads; areas and names as written) or a text of the first problem."""


def test_corpus_is_complete():
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(REGISTER_CASES)


@pytest.mark.parametrize("case", sorted(REGISTER_CASES))
def test_corpus_case(case):
    path = CORPUS / case
    expected = REGISTER_CASES[case]
    if expected is None:
        ds = load_register(path)
        assert ds["name"].to_numpy().tolist()[:2] == [
            "Ålesund sjukehus – blokk A",
            "Brøset «Øst» €",
        ]
        area = 1001.0 if "formula" in case else 23294.5
        assert ds["floor_area"].to_numpy().tolist()[:2] == [area, 812.0]
        check_sane(ds)
        return
    with pytest.raises(InputError) as caught:
        load_register(path)
    first = caught.value.problems[0]
    assert expected in str(first.message)
    assert first.file.startswith(str(path))
