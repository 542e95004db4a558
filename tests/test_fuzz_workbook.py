"""Fuzzing the LTB assumptions workbook reader: every workbook loads exactly or is refused.

Workbooks are made from the template (:func:`hmn_bygg.excel.write_template` of a short-horizon
model), then edited as a user would (numbers, Norwegian text numbers, yes/no, choices, year
paths, spend profiles, sources), filled with nasty cells (text, ``nan``, ``inf``, ``1e309``,
huge and negative numbers, booleans and dates where numbers belong, 20 000-character texts,
formulas without a saved result, Excel error values, merged cells), changed in structure
(sheets deleted, renamed, reordered or replaced by a chart; rows deleted, duplicated or moved;
columns deleted, renamed or duplicated; a title row; a cell far down) or damaged as bytes (cut
short, bit flips, not a zip, an old ``.xls`` or an encrypted workbook). The properties:

- an edited workbook loads, and applying its overrides gives exactly the values in its cells;
  every row left alone keeps the model's value;
- anything else is refused with :class:`~hmn_bygg.core.errors.InputError` whose problems name the
  file, the sheet and the cell (``Drift!C7``), or the sheet alone for a missing sheet or row;
  never another exception, never a hang (each example has a deadline);
- the workbook file is never changed (bytes and modification time);
- a model written to the template and read back gives the model again.

The nastiest cases are kept as files in ``tests/corpus/ltb`` (written by
``tests/corpus/make_corpus.py``) with the outcome expected of each in ``LTB_CASES``.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import random
import re
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest
from corpus.make_corpus import rewrite_parts
from damage import HOWS, corrupt, number_text
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from openpyxl.utils import range_boundaries
from strategies import base_model, decimals, scenario_models

from hmn_bygg.cli import main
from hmn_bygg.config import Model, apply_overrides, as_year_array, load_model, resolve_key
from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.limits import Limits
from hmn_bygg.excel import overrides_from_workbook, template_rows, write_template
from hmn_bygg.excel.layout import KEY, SOURCE, VALUE, TemplateRow, template_years
from hmn_bygg.excel.style import put
from hmn_bygg.report.excel_export import read_sheet

HERE = Path(__file__).parent
CORPUS = HERE / "corpus" / "ltb"
CORPUS_MODEL = HERE / "fixtures" / "config" / "model.yaml"
CORPUS_END_YEAR = 2022
"""The corpus workbooks are templates of the fixture model with this last year."""
SCALE = float(os.environ.get("HMN_BYGG_FUZZ_SCALE", "1"))
"""Multiplies the number of examples, e.g. ``HMN_BYGG_FUZZ_SCALE=50`` for a long hunt."""
FUZZ = settings(
    max_examples=int(25 * SCALE),
    deadline=None,  # load_or_refuse times each read instead: warming caches is not a hang
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
READ_SECONDS = 20.0
"""Longest a read of one workbook may take (about 0.05 s for the template): a bomb is caught,
and a loaded machine that makes an ordinary read a hundred times slower is not."""
FEW = settings(FUZZ, max_examples=int(15 * SCALE))
_LOCATION = re.compile(
    r"^(?P<sheet>[^!]+)!(?P<ref>\$?[A-Z]{1,3}\$?\d+(:\$?[A-Z]{1,3}\$?\d+)?|\d+:\d+)$"
)


# --- the template and where its cells are -----------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """A template row and where it is: sheet and spreadsheet row."""

    row: TemplateRow
    r: int

    @property
    def sheet(self) -> str:
        return self.row.sheet


@dataclass(frozen=True)
class Layout:
    slots: tuple[Slot, ...]
    years: tuple[int, ...]
    year_col: dict[int, int]
    source_col: int
    sheets: tuple[str, ...]
    key_col: int


@cache
def template_bytes() -> bytes:
    """The template of :func:`strategies.base_model`, written once."""
    with tempfile.TemporaryDirectory() as tmp:
        return write_template(base_model(), Path(tmp) / "ltb.xlsx").read_bytes()


@cache
def layout() -> Layout:
    book = openpyxl.load_workbook(io.BytesIO(template_bytes()))
    rows, _ = template_rows(base_model())
    by_key = {row.key: row for row in rows}
    slots = []
    heads = {c.value: c.column for c in book[rows[0].sheet][1]}
    for name in dict.fromkeys(row.sheet for row in rows):
        ws = book[name]
        for r in range(2, ws.max_row + 1):
            slots.append(Slot(by_key[ws.cell(row=r, column=heads[KEY]).value], r))
    years = tuple(template_years(base_model(), rows))
    return Layout(
        tuple(slots),
        years,
        {y: heads[y] for y in years},
        heads[SOURCE],
        tuple(dict.fromkeys(s.sheet for s in slots)),
        heads[KEY],
    )


def open_template() -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(template_bytes()))


def save(book: openpyxl.Workbook, folder: str) -> Path:
    path = Path(folder) / "ltb.xlsx"
    book.save(path)
    return path


def load_or_refuse(path: Path, model: Model | None = None, **kw: Any) -> dict | InputError:
    """Read a workbook: its overrides, or the InputError (checked to name the file). The file
    must be unchanged afterwards."""
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    started = time.perf_counter()
    try:
        result: dict | InputError = overrides_from_workbook(path, model or base_model(), **kw)
    except InputError as err:
        result = err
    assert time.perf_counter() - started < READ_SECONDS, "the read took too long"
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before, "the workbook was changed"
    if isinstance(result, InputError):
        assert result.problems
        for problem in result.problems:
            assert problem.file == str(path), problem
            assert len(str(problem)) < 2000, "a problem too long to read"
    return result


def where(problem: Problem) -> tuple[str, tuple[int, int, int, int] | None] | None:
    """The sheet and cell range ``(min_row, min_col, max_row, max_col)`` a problem names;
    ``(sheet, None)`` for a whole sheet, None for the whole file."""
    column = problem.column
    if column is None:
        return None
    m = _LOCATION.match(column)
    if m is None:
        return column, None
    ref = m["ref"].replace("$", "")
    if ":" in ref and ref.split(":")[0].isdigit():
        first, last = (int(x) for x in ref.split(":"))
        return m["sheet"], (first, 1, last, 16_384)
    min_col, min_row, max_col, max_row = range_boundaries(ref)
    return m["sheet"], (min_row, min_col, max_row, max_col)


def names_cell(err: InputError, sheet: str, r: int, c: int) -> bool:
    for problem in err.problems:
        loc = where(problem)
        if loc is None or loc[0] != sheet or loc[1] is None:
            continue
        r0, c0, r1, c1 = loc[1]
        if r0 <= r <= r1 and c0 <= c <= c1:
            return True
    return False


def all_located(err: InputError, sheets: tuple[str, ...]) -> None:
    """Every problem names a sheet of the workbook (and, where it has one, a cell)."""
    for problem in err.problems:
        loc = where(problem)
        assert loc is not None and loc[0] in sheets, problem
        assert problem.row is None or loc[1] is not None, problem


# --- values a user would type -------------------------------------------------------------------


def _scale(value: Any) -> float:
    if isinstance(value, dict):
        return max((abs(float(v)) for v in value.values()), default=1.0)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return abs(float(value))
    return 100.0


def numbers(row: TemplateRow) -> st.SearchStrategy[float]:
    """Plausible numbers for a row: up to twice its value, sometimes negative."""
    hi = max(1, math.ceil(2 * _scale(row.value)))
    if isinstance(row.value, int) and not isinstance(row.value, bool):
        return st.integers(0, hi).map(float)
    return st.one_of(decimals(0, hi), decimals(0, 1), decimals(-hi, hi))


def typed(value: float, form: str) -> Any:
    """A number as a cell holds it: a number, or text as Norwegian or English Excel shows it."""
    if form == "number":
        return int(value) if value.is_integer() else value
    return number_text(value, "," if form == "comma" else ".", form == "comma")


CHOICES = (
    "area",
    "value",
    "worst_first",
    "best_value",
    "sale",
    "demolition",
    "serial",
    "annuity",
    "building",
    "ict",
    "medtech",
    "upgrade",
    "deterministic",
    "weibull",
)
FORMS = st.sampled_from(["number", "number", "comma", "dot"])


@st.composite
def edits(draw: st.DrawFn) -> dict[Slot, dict[str, Any]]:
    """Edits of a few rows: {slot: {"value": cell, "years": cells, "expected": ..., ...}}."""
    lay = layout()
    chosen = draw(st.lists(st.sampled_from(lay.slots), min_size=1, max_size=4, unique=True))
    out = {}
    for slot in chosen:
        row, edit = slot.row, {}
        if row.kind == "value" and isinstance(row.value, bool):
            v = draw(st.booleans())
            edit["value"] = draw(st.sampled_from([v, "ja" if v else "nei", "TRUE" if v else "0"]))
            edit["expected"] = v
        elif row.kind == "value" and isinstance(row.value, str):
            edit["value"] = edit["expected"] = draw(st.sampled_from(CHOICES))
        elif row.kind == "value" or (row.kind == "timed" and draw(st.booleans())):
            v = draw(numbers(row))
            edit["value"] = typed(v, draw(FORMS))
            edit["expected"] = v if row.kind == "value" else np.full(len(lay.years), v)
        elif row.kind == "timed":
            cells = draw(
                st.lists(st.none() | numbers(row), min_size=len(lay.years), max_size=len(lay.years))
            )
            cells[0] = cells[0] if cells[0] is not None else draw(numbers(row))
            held = [c for c in cells]
            for i in range(1, len(held)):
                held[i] = held[i - 1] if held[i] is None else held[i]
            edit["years"] = [None if c is None else typed(c, draw(FORMS)) for c in cells]
            edit["expected"] = np.array(held)
        else:  # a spend profile: shares of chosen years
            picked = draw(st.lists(st.sampled_from(lay.years), min_size=1, max_size=5, unique=True))
            weights = [draw(st.integers(1, 9)) for _ in picked]
            shares = {y: w / sum(weights) for y, w in zip(picked, weights, strict=True)}
            edit["years"] = [shares.get(y) for y in lay.years]
            edit["expected"] = shares
        if draw(st.integers(0, 4)) == 0:
            edit["source"] = draw(st.sampled_from(["Budsjett 2025", " LTB-vedtak ", "=x", "1,5"]))
        out[slot] = edit
    return out


def apply_edit(book: openpyxl.Workbook, slot: Slot, edit: dict[str, Any]) -> None:
    lay = layout()
    ws = book[slot.sheet]
    if "value" in edit:
        put(ws, slot.r, 3, edit["value"])
        for col in lay.year_col.values():
            ws.cell(row=slot.r, column=col).value = None
    if "years" in edit:
        ws.cell(row=slot.r, column=3).value = None
        for year, v in zip(lay.years, edit["years"], strict=True):
            put(ws, slot.r, lay.year_col[year], v)  # None too: cleared; floats as Excel does
    if "source" in edit:
        put(ws, slot.r, lay.source_col, edit["source"])


def same_value(row: TemplateRow, new: Any, expected: Any, years: tuple[int, ...]) -> bool:
    if row.kind == "timed":
        return bool(np.array_equal(as_year_array(new, years), np.asarray(expected, dtype=float)))
    if row.kind == "years":
        return {int(y): float(v) for y, v in new.items() if v} == expected
    if isinstance(expected, float):
        return isinstance(new, int | float) and not isinstance(new, bool) and new == expected
    return type(new) is type(expected) and new == expected


def unchanged(row: TemplateRow, new: Any, years: tuple[int, ...]) -> bool:
    if row.kind == "timed":
        return same_value(row, new, as_year_array(row.value, years), years)
    if row.kind == "years":
        return same_value(row, new, {int(y): float(v) for y, v in row.value.items() if v}, years)
    return new == row.value and type(new) is type(row.value)


def table_of(key: str) -> str:
    return key.rsplit(".", 1)[0]


# --- properties ---------------------------------------------------------------------------------


def test_unedited_template_loads_to_nothing():
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ltb.xlsx"
        path.write_bytes(template_bytes())
        assert load_or_refuse(path) == {}


@FUZZ
@given(changes=edits())
def test_edited_workbooks_load_exactly(changes):
    lay = layout()
    book = open_template()
    for slot, edit in changes.items():
        apply_edit(book, slot, edit)
    with tempfile.TemporaryDirectory() as tmp:
        path = save(book, tmp)
        result = load_or_refuse(path)
    if isinstance(result, InputError):  # a value the model rejects: named at an edited row
        all_located(result, lay.sheets)
        tables = {table_of(s.row.key) for s in changes} | {s.row.key for s in changes}
        rows = {(s.sheet, s.r) for s in changes}
        named = [p for p in result.problems if p.row is not None]
        assert named, result
        for problem in named:
            loc = where(problem)
            key = next(s.row.key for s in lay.slots if (s.sheet, s.r) == (loc[0], problem.row))
            assert (loc[0], problem.row) in rows or table_of(key) in tables, (problem, changes)
        return
    model = apply_overrides(base_model(), result)
    sourced = {table_of(s.row.key) for s, e in changes.items() if "source" in e}
    for slot in lay.slots:
        row = slot.row
        got = resolve_key(model, row.key)
        edit = changes.get(slot)
        if edit is None:
            assert unchanged(row, got.value, lay.years), row.key
        else:
            assert same_value(row, got.value, edit["expected"], lay.years), (row.key, got.value)
        if edit is not None and "source" in edit and edit["source"].strip():
            assert got.source == edit["source"].strip()
        elif table_of(row.key) not in sourced and row.key not in sourced:
            assert got.source == row.source, row.key


NASTY_NUMBER = (
    "mye",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "1e309",
    "∞",
    "12abc",
    "1,2,3",
    "0x10",
    1e300,
    -1e300,
    1e13,
    True,
    False,
    dt.datetime(2020, 1, 1),
    dt.date(2031, 5, 17),
    dt.time(12, 30),
    "=1+1",
    "=SUM(D2:D5)",
    "#DIV/0!",
    "#N/A",
    "x" * 20_000,
)
"""Cell contents that no number cell may accept (the formulas have no saved result)."""
NASTY_TEXT = ("=1+1", '="a"&"b"', "#REF!", "x" * 20_000)
"""Cell contents that no text cell (key, source) may accept."""


def nasty_target(slot: Slot, cell: str) -> tuple[int, tuple[Any, ...]]:
    """The column and the contents to try for an edit of ``cell`` in ``slot``'s row."""
    lay = layout()
    row = slot.row
    if cell == "key":
        return lay.key_col, NASTY_TEXT
    if cell == "source":
        return lay.source_col, NASTY_TEXT
    if cell == "year":
        return lay.year_col[lay.years[slot.r % len(lay.years)]], NASTY_NUMBER
    if row.kind == "value" and isinstance(row.value, bool):
        return 3, tuple(v for v in NASTY_NUMBER if not isinstance(v, bool))
    if row.kind == "value" and row.value is None:
        return 3, tuple(v for v in NASTY_NUMBER if v not in ("", None))
    if row.kind == "value":  # an empty 'Verdi' is refused too (it is empty by year rows)
        return 3, (*NASTY_NUMBER, "", " ")
    return 3, NASTY_NUMBER


@FUZZ
@given(
    slot=st.sampled_from(layout().slots),
    cell=st.sampled_from(["value", "value", "year", "year", "key", "source"]),
    pick=st.integers(0, 1000),
)
def test_nasty_cells_are_refused_at_the_cell(slot, cell, pick):
    column, contents = nasty_target(slot, cell)
    value = contents[pick % len(contents)]
    book = open_template()
    ws = book[slot.sheet]
    if cell == "year" and slot.row.kind == "years" and value in ("=1+1", "=SUM(D2:D5)"):
        value = "mye"  # an empty share cell is 0: a formula there is checked elsewhere
    if isinstance(value, str) and cell in ("key", "source") and not value.startswith("="):
        put(ws, slot.r, column, value)
    else:
        ws.cell(row=slot.r, column=column, value=value)
    with tempfile.TemporaryDirectory() as tmp:
        path = save(book, tmp)
        result = load_or_refuse(path)
    assert isinstance(result, InputError), (slot.row.key, cell, value)
    assert names_cell(result, slot.sheet, slot.r, column), (slot.row.key, result)
    all_located(result, layout().sheets)


def _move_row(book: openpyxl.Workbook, rnd: random.Random) -> None:
    src, dst = rnd.sample(list(layout().sheets), 2)
    slot = rnd.choice([s for s in layout().slots if s.sheet == src])
    ws, to = book[src], book[dst]
    values = [c.value for c in ws[slot.r]]
    ws.delete_rows(slot.r)
    to.append(values)


def _sort_rows(book: openpyxl.Workbook, rnd: random.Random) -> None:
    ws = book[rnd.choice(layout().sheets)]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    rnd.shuffle(rows)
    for r, values in enumerate(rows, start=2):
        for c, v in enumerate(values, start=1):
            ws.cell(row=r, column=c).value = v


def _merge(book: openpyxl.Workbook, rnd: random.Random) -> str:
    slot = rnd.choice(layout().slots)
    key_col = layout().key_col
    first = rnd.choice([key_col, 3, *layout().year_col.values()])
    ws = book[slot.sheet]
    if first != key_col and rnd.random() < 0.5:  # key:next would hide only the description
        ws.merge_cells(start_row=slot.r, start_column=first, end_row=slot.r, end_column=first + 1)
    else:
        last = min(slot.r + 1, ws.max_row)
        ws.merge_cells(
            start_row=slot.r - 1 if last == slot.r else slot.r,
            start_column=first,
            end_row=last,
            end_column=first,
        )
    return slot.sheet


def _chart(book: openpyxl.Workbook, name: str) -> None:
    index = book.sheetnames.index(name)
    del book[name]
    chart = book.create_chartsheet(name, index)
    chart.add_chart(openpyxl.chart.BarChart())


def _far_cell(book: openpyxl.Workbook, name: str) -> None:
    book[name].cell(row=Limits().max_workbook_rows + 1, column=2, value="x")


HARMLESS = (
    "reorder_sheets",
    "extra_sheet",
    "extra_column",
    "empty_row",
    "move_row",
    "sort_rows",
    "drop_unit",
    "drop_description",
    "drop_source",
    "comment_row",
    "drop_label",
)
HARMFUL = (
    "delete_sheet",
    "rename_sheet",
    "delete_row",
    "duplicate_row",
    "drop_key",
    "drop_value",
    "drop_year",
    "rename_heading",
    "duplicate_heading",
    "title_row",
    "merge",
    "value_without_key",
    "far_cell",
    "clear_sheet",
    "chart",
    "comment_out",
)


def restructure(book: openpyxl.Workbook, how: str, rnd: random.Random) -> str:
    """Change a workbook's structure; return the sheet changed."""
    lay = layout()
    name = rnd.choice(lay.sheets)
    ws = book[name]
    last = ws.max_row
    r = rnd.randint(2, last)
    n_cols = ws.max_column
    simple = {
        "reorder_sheets": lambda: book.move_sheet(name, offset=-book.sheetnames.index(name)),
        "extra_sheet": lambda: book.create_sheet("Notater").append(["Nøkkel", "Verdi", 2020]),
        "extra_column": lambda: (
            ws.cell(row=1, column=n_cols + 1, value="Kommentar"),
            ws.cell(row=r, column=n_cols + 1, value=1234),
        ),
        "empty_row": lambda: ws.insert_rows(r),
        "move_row": lambda: _move_row(book, rnd),
        "sort_rows": lambda: _sort_rows(book, rnd),
        "drop_unit": lambda: ws.delete_cols(2),
        "drop_description": lambda: ws.delete_cols(n_cols),
        "drop_source": lambda: ws.delete_cols(lay.source_col),
        "comment_row": lambda: (
            ws.append(["Merknad", None, 5, 6]),
            ws.cell(row=ws.max_row, column=lay.key_col, value="# merknad"),
        ),
        "drop_label": lambda: ws.delete_cols(1),  # names for people: not read
        "delete_sheet": lambda: book.remove(ws),
        "rename_sheet": lambda: setattr(ws, "title", rnd.choice([name.lower(), name + " "])),
        "delete_row": lambda: ws.delete_rows(r),
        "duplicate_row": lambda: ws.append([c.value for c in ws[r]]),
        "drop_key": lambda: ws.delete_cols(lay.key_col),
        "drop_value": lambda: ws.delete_cols(3),
        "drop_year": lambda: ws.delete_cols(lay.year_col[rnd.choice(lay.years[:9])]),
        "rename_heading": lambda: ws.cell(
            row=1, column=rnd.choice([lay.key_col, 3]), value="verdi"
        ),
        "duplicate_heading": lambda: ws.cell(
            row=1, column=rnd.choice([2, n_cols]), value=rnd.choice([KEY, VALUE, lay.years[3]])
        ),
        "title_row": lambda: ws.insert_rows(1),
        "merge": lambda: _merge(book, rnd),
        "value_without_key": lambda: ws.append([None, None, 5]),
        "far_cell": lambda: _far_cell(book, name),
        "clear_sheet": lambda: ws.delete_rows(1, last),
        "chart": lambda: _chart(book, name),
        "comment_out": lambda: ws.cell(
            row=r, column=lay.key_col, value="#" + str(ws.cell(r, lay.key_col).value)
        ),
    }
    changed = simple[how]()
    return changed if isinstance(changed, str) else name


@FUZZ
@given(how=st.sampled_from(HARMLESS + HARMFUL), seed=st.integers(0, 10_000))
def test_structure_changes_load_the_same_or_are_refused(how, seed):
    book = open_template()
    sheet = restructure(book, how, random.Random(seed))
    with tempfile.TemporaryDirectory() as tmp:
        path = save(book, tmp)
        result = load_or_refuse(path)
    if how in HARMLESS:
        assert result == {}, (how, result)
        return
    assert isinstance(result, InputError), (how, result)
    assert any((where(p) or ("",))[0].startswith(sheet.strip()) for p in result.problems), result


@FUZZ
@given(how=st.sampled_from([*HOWS, "cfb", "empty", "csv", "zero"]), seed=st.integers(0, 10_000))
def test_damaged_files_load_the_same_or_are_refused(how, seed):
    rnd = random.Random(seed)
    data = template_bytes()
    if how == "cfb":
        data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + data[8:]
    elif how == "empty":
        data = b""
    elif how == "csv":
        data = "Nøkkel;Verdi\nfinance.discount_rate;0,05\n".encode()
    elif how == "zero":
        at = rnd.randrange(len(data))
        data = data[:at] + bytes(rnd.randint(1, 64)) + data[at + 64 :]
    else:
        data = corrupt(data, how, rnd)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ltb.xlsx"
        path.write_bytes(data)
        result = load_or_refuse(path)
    assert result == {} or isinstance(result, InputError)


@FUZZ
@given(
    part=st.integers(0, 100),
    how=st.sampled_from(["truncate", "nul", "long", "header_only"]),
    seed=st.integers(0, 10_000),
)
def test_damaged_parts_load_the_same_or_are_refused(part, how, seed):
    """Damage inside one part (sheet XML, styles, workbook.xml...) of a well-formed zip."""
    rnd = random.Random(seed)
    names = zipfile.ZipFile(io.BytesIO(template_bytes())).namelist()
    target = names[part % len(names)]
    data = rewrite_parts(
        template_bytes(), lambda name, body: corrupt(body, how, rnd) if name == target else body
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ltb.xlsx"
        path.write_bytes(data)
        result = load_or_refuse(path)
    assert result == {} or isinstance(result, InputError), (target, result)


class Short:
    """A model shown by its changes from the base model (a Model's repr is 35 kB)."""

    def __init__(self, model: Model) -> None:
        self.model = model

    def __repr__(self) -> str:
        base, new = base_model().model_dump(), self.model.model_dump()
        return f"Short(changed sections: {[k for k in new if new[k] != base.get(k)]})"


SOURCES = st.one_of(
    st.text(min_size=1, max_size=30),
    st.sampled_from(["=kilde", "  rom  ", "a\r\nb", "#N/A", "_x0041_", "TRUE", "12", "x" * 12_000]),
)


@FEW
@given(
    scenario=scenario_models().map(Short),
    sourced=st.dictionaries(st.integers(0, 10_000), SOURCES, max_size=3),
    exact=st.lists(st.floats(0, 500), min_size=2, max_size=2),
)
def test_models_written_and_read_back_are_the_same(scenario, sourced, exact):
    scenario = scenario.model
    lay = layout()
    keys = [lay.slots[i % len(lay.slots)].row.key for i in sourced]
    changes = {  # any float (1/6 needs 17 digits), in a value and in a year path
        "finance.credit_limit_mnok.HNT": exact[0],
        "finance.hf_support_mnok.STO": {2018: exact[1], 2022: exact[0]},
    }
    changes.update(
        {
            k: {"value": changes.get(k, resolve_key(scenario, k).value), "source": s}
            for k, s in zip(keys, sourced.values(), strict=True)
        }
    )
    try:
        model = apply_overrides(scenario, changes)
    except InputError:
        reject()
    with tempfile.TemporaryDirectory() as tmp:
        try:
            path = write_template(model, Path(tmp) / "ltb.xlsx")
        except InputError as err:  # a text Excel cannot hold: named by key
            tables = {table_of(k) for k in keys}
            assert all(p.column in keys or table_of(p.column) in tables for p in err.problems)
            return
        result = load_or_refuse(path)
    assert not isinstance(result, InputError), result
    back = apply_overrides(base_model(), result)
    for slot in lay.slots:
        want, got = resolve_key(model, slot.row.key), resolve_key(back, slot.row.key)
        assert unchanged(
            TemplateRow(**{**slot.row.__dict__, "value": want.value}), got.value, lay.years
        ), slot.row.key
        assert (got.source or "").split() == (want.source or "").split(), slot.row.key


# --- limits and the command line ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("limits", "text"),
    [
        (Limits(max_workbook_bytes=10_000), "the file is too large"),
        (Limits(max_workbook_unpacked_bytes=100_000), "unpacks to more data"),
        (Limits(max_workbook_rows=20), "too many rows"),
    ],
)
def test_limits_refuse_up_front(tmp_path, limits, text):
    path = tmp_path / "ltb.xlsx"
    path.write_bytes(template_bytes())
    result = load_or_refuse(path, limits=limits)
    assert isinstance(result, InputError)
    problem = result.problems[0]
    assert text in str(problem.message) and problem.expected is not None, problem
    assert ":" in str(problem.expected)  # says what to do


def test_cli_refuses_without_a_traceback(tmp_path, monkeypatch, capsys):
    path = write_template(load_model(), tmp_path / "ltb.xlsx")
    book = openpyxl.load_workbook(path)
    slot = next(s for s in layout().slots if s.row.key == "finance.discount_rate")
    book[slot.sheet].cell(row=slot.r, column=3, value="fire prosent")
    book.save(path)
    monkeypatch.setattr(
        sys, "argv", ["hmn-bygg", "run", "--ltb", str(path), "--quiet", "--lang", "en"]
    )
    with pytest.raises(SystemExit) as done:
        main()
    err = capsys.readouterr().err
    assert done.value.code == 1 and "Traceback" not in err
    assert f"column '{slot.sheet}!C{slot.r}': not a number" in err


def test_read_sheet_refuses_clearly(tmp_path):
    path = tmp_path / "ltb.xlsx"
    path.write_bytes(template_bytes())
    with pytest.raises(InputError, match="sheet is missing"):
        read_sheet(path, "Tilstandx")
    path.write_text("not a workbook")
    with pytest.raises(InputError, match="cannot read the workbook"):
        read_sheet(path, "Drift")


# --- the corpus ---------------------------------------------------------------------------------


@cache
def corpus_model() -> Model:
    return apply_overrides(load_model(CORPUS_MODEL), {"model.end_year": CORPUS_END_YEAR})


LTB_CASES: dict[str, tuple[str, str | None] | dict[str, Any]] = {
    "valid.xlsx": {},
    "edited.xlsx": {
        "finance.credit_limit_mnok.HNT": 1234.5,
        "finance.discount_rate": {"value": 0.05, "source": "Styresak 12/2025"},
        "maintenance.extra_budget_mnok": {2018: 0.0, 2020: 210.0},
        "maintenance.budget_mnok.HMR": 75,
        "finance.projects.snr.loan_financed": True,
    },
    "formula_cached.xlsx": {"finance.credit_limit_mnok.HMR": 600},
    "formula_uncached.xlsx": ("a formula without a saved result", "Likviditet!C5"),
    "formula_key.xlsx": ("a formula without a saved result", "Drift!K2"),
    "error_value.xlsx": ("an Excel error value", "Likviditet!C5"),
    "text_in_number.xlsx": ("not a number", "Likviditet!C5"),
    "bool_in_number.xlsx": ("not a number", "Likviditet!C5"),
    "date_in_number.xlsx": ("not a number", "Likviditet!C5"),
    "inf_number.xlsx": ("not a finite number", "Likviditet!C5"),
    "nan_text.xlsx": ("not a finite number", "Likviditet!C5"),
    "huge_number.xlsx": ("implausibly large number", "Likviditet!C5"),
    "negative_number.xlsx": ("value out of range", "Likviditet!C5"),
    "out_of_range_year.xlsx": ("value out of range", "Vedlikehold!F2"),
    "long_text.xlsx": ("the cell text is far too long", "Drift!K2"),
    "empty_value.xlsx": ("the cell is empty", "Likviditet!C5"),
    "merged_years.xlsx": ("merged cells", "Drift!E3:G3"),
    "merged_rows.xlsx": ("merged cells", "Likviditet!C4:C5"),
    "merged_whole_sheet.xlsx": ("merged cells", "Drift!A2:XFD1048576"),
    "year_value_for_constant.xlsx": ("this parameter does not vary by year", "Likviditet!E5"),
    "value_and_years.xlsx": ("give either one value", "Drift!C3"),
    "first_year_empty.xlsx": ("the first year cell is empty", "Drift!D3"),
    "wrong_choice.xlsx": ("not one of the allowed values", "Tilstand!C2"),
    "duplicate_row.xlsx": ("key given twice", "Likviditet!K9"),
    "missing_row.xlsx": ("the row of a parameter is missing", "Likviditet"),
    "unknown_key.xlsx": ("unknown key; did you mean 'finance.discount_rate'?", "Drift!K23"),
    "value_without_key.xlsx": ("a value without a key", "Likviditet!C9"),
    "missing_sheet.xlsx": ("sheet is missing", "Lån"),
    "no_key_column.xlsx": ("column is missing", "Drift!1:1"),
    "old_layout.xlsx": {},  # keyed by dotted codes in a visible column A: reads the same
    "renamed_sheet.xlsx": ("sheet is missing; did you mean 'Drift 2025'?", "Drift"),
    "chart_sheet.xlsx": ("not a worksheet", "Lån"),
    "missing_column.xlsx": ("column is missing", "Likviditet!1:1"),
    "missing_year_column.xlsx": ("the column of a year is missing", "Drift!1:1"),
    "duplicate_column.xlsx": ("two columns have the heading", "Likviditet!1:1"),
    "title_row.xlsx": ("column is missing", "Drift!1:1"),
    "far_cell.xlsx": ("too many rows", "Drift!10001:10001"),
    "zip_bomb.xlsx": ("the workbook unpacks to more data", None),
    "truncated.xlsx": ("cannot read the workbook", None),
    "not_a_zip.xlsx": ("cannot read the workbook", None),
    "empty.xlsx": ("the file is empty", None),
    "xls_renamed.xlsx": ("an old Excel 97-2003 workbook", None),
    "encrypted.xlsx": ("the workbook is encrypted", None),
    "hidden_sheet.xlsx": {},
    "hidden_rows.xlsx": {},
    "external_link.xlsx": {"finance.credit_limit_mnok.HMR": 600},
}
"""Corpus file -> the overrides it loads to, or (text of the first problem, where it is)."""


def test_corpus_is_complete():
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(LTB_CASES)


@pytest.mark.parametrize("case", sorted(LTB_CASES))
def test_corpus_case(case):
    path = CORPUS / case
    expected = LTB_CASES[case]
    result = load_or_refuse(path, corpus_model())
    if isinstance(expected, dict):
        assert result == expected
        return
    assert isinstance(result, InputError), result
    first = result.problems[0]
    text, column = expected
    assert text in str(first.message), first
    assert first.column == column, first
    if column and "!" in column and ":" not in column:
        assert first.row == int(re.sub(r"\D", "", column.split("!")[1])), first
