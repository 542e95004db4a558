"""Write the corpus of nasty inputs in ``tests/corpus/`` (run from the repository root).

The files are checked in; this script documents how each was made and rewrites them all:
``python tests/corpus/make_corpus.py``. The outcome expected of each file is in
``tests/test_fuzz_register.py``, ``tests/test_fuzz_config.py`` and
``tests/test_fuzz_workbook.py`` (``REGISTER_CASES``, ``CONFIG_CASES`` and ``LTB_CASES``).

Two LTB cases need packages the project does not depend on: ``xls_renamed.xlsx`` (``xlwt``) and
``encrypted.xlsx`` (``msoffcrypto-tool``). Without them those two files are left as they are;
install them to rewrite the files, e.g. ``pip install --target /tmp/gen xlwt msoffcrypto-tool``
and ``PYTHONPATH=/tmp/gen python tests/corpus/make_corpus.py``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import openpyxl.chart

HERE = Path(__file__).resolve().parent
REGISTER = HERE / "register"
CONFIG = HERE / "config"
LTB = HERE / "ltb"
FIXTURE_MODEL = HERE.parent / "fixtures" / "config" / "model.yaml"
LTB_END_YEAR = 2022
"""The LTB workbooks are templates of the fixture model with this last year (5 year columns)."""

HEAD = ["building_id", "name", "hf", "site", "floor_area", "built_year", "condition_grade"]
ROWS = [
    ["B1", "Ålesund sjukehus – blokk A", "HMR", "Ålesund", 23294.5, 1978, 2],
    ["B2", "Brøset «Øst» €", "STO", "Brøset", 812, 1961, 1.5],
]


def csv_text(rows: list[list[object]], sep: str = ";", decimal: str = ",") -> str:
    """Rows as CSV text with the given separator and decimal mark (no quoting needed)."""

    def cell(v: object) -> str:
        return str(v).replace(".", decimal) if isinstance(v, float) else str(v)

    return "\n".join(sep.join(cell(v) for v in row) for row in rows) + "\n"


def with_cell(column: str, value: object, row: int = 0) -> list[list[object]]:
    """HEAD and ROWS with one cell replaced."""
    rows = [list(r) for r in ROWS]
    rows[row][HEAD.index(column)] = value
    return [HEAD, *rows]


def xlsx_bytes(rows: list[list[object]], merge: str | None = None) -> bytes:
    """A workbook with one sheet holding ``rows`` (and one merged range)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Bygg"
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewrite_parts(data: bytes, change: Callable[[str, bytes], bytes]) -> bytes:
    """A workbook with each part's bytes passed through ``change(name, body)``."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, change(info.filename, src.read(info)))
    return out.getvalue()


def cached_formula(data: bytes, value: str) -> bytes:
    """Give every formula of a workbook a saved result ``value`` (as Excel would)."""
    saved = rb"\1<v>" + value.encode() + b"</v>"
    return rewrite_parts(
        data,
        lambda name, body: (
            re.sub(rb"(<f>[^<]*</f>)<v\s*/>", saved, body)
            if name.startswith("xl/worksheets/")
            else body
        ),
    )


def register_files() -> dict[str, bytes]:
    """Name -> bytes of each register case (buildings tables with an overall grade)."""
    from corpus_hidden import reliability_register_files

    good = csv_text([HEAD, *ROWS])
    files = {
        "utf16_bom.csv": good.encode("utf-16"),
        "cp1252_semicolon.csv": good.encode("cp1252"),
        "utf8_comma.csv": csv_text([HEAD, *ROWS], sep=",", decimal=".").encode(),
        "bom_in_middle.csv": good.replace("\nB2", "\n\ufeffB2").encode("utf-8-sig"),
        "nul_bytes.csv": good.encode("utf-16-le"),
        "undecodable.csv": good.replace("Brøset «Øst»", "Br\x81set")
        .encode("cp1252", "ignore")
        .replace(b"Brset", b"Br\x81set"),
        "inf_area.csv": csv_text(with_cell("floor_area", "1e309")).encode(),
        "nan_grade.csv": csv_text(with_cell("condition_grade", "nan")).encode(),
        "inf_word.csv": csv_text(with_cell("floor_area", "inf")).encode(),
        "huge_area.csv": csv_text(with_cell("floor_area", "1e300")).encode(),
        "negative_area.csv": csv_text(with_cell("floor_area", -5)).encode(),
        "grade_out_of_range.csv": csv_text(with_cell("condition_grade", "TG 4")).encode(),
        "duplicate_header.csv": csv_text([[*HEAD, "BTA"], *[[*r, 1] for r in ROWS]]).encode(),
        "only_header.csv": csv_text([HEAD]).encode(),
        "unclosed_quote.csv": good.replace("B2;", 'B2;"', 1).encode(),
        "long_cell.csv": csv_text(with_cell("name", "x" * 20_000)).encode(),
        "truncated.csv": good.encode()[: len(good.encode()) // 2 + 3],
        "formula_uncached.xlsx": xlsx_bytes(with_cell("floor_area", "=1000+1")),
        "formula_in_text.xlsx": xlsx_bytes(with_cell("name", '="Blokk "&"A"')),
        "formula_cached.xlsx": cached_formula(
            xlsx_bytes(with_cell("floor_area", "=1000+1")), "1001"
        ),
        "merged_cells.xlsx": xlsx_bytes(
            [HEAD, *ROWS, ["B3", "Blokk C", "HMR", "Ålesund", 100, 1990, 1]], merge="C2:C4"
        ),
        "merged_title.xlsx": xlsx_bytes([["Eksport fra FDV 2024"], HEAD, *ROWS], merge="A1:G1"),
        "bool_area.xlsx": xlsx_bytes(with_cell("floor_area", True)),
        "date_area.xlsx": xlsx_bytes(with_cell("floor_area", dt.datetime(2020, 1, 1))),
        "not_a_zip.xlsx": good.encode(),
    }
    workbook = xlsx_bytes([HEAD, *ROWS])
    files["truncated.xlsx"] = workbook[: len(workbook) // 2]
    return files | reliability_register_files()


BILLION_LAUGHS = "\n".join(
    ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
    + ["model: *i"]
)


def config_files() -> dict[str, bytes]:
    """Name -> bytes of each model-file case, most of them the fixture model changed a little."""
    from corpus_hidden import merge_key_model

    model = FIXTURE_MODEL.read_text(encoding="utf-8").split("\n", 1)[1]  # drop the comment

    def sub(old: str, new: str) -> bytes:
        assert old in model, old
        return model.replace(old, new, 1).encode()

    return {
        "valid.yaml": model.encode(),
        "utf16_bom.yaml": model.encode("utf-16"),
        "python_object.yaml": sub("name: tiny", "name: !!python/object/apply:os.system ['true']"),
        "python_name.yaml": sub("name: tiny", "name: !!python/name:os.system"),
        "billion_laughs.yaml": BILLION_LAUGHS.encode(),
        "recursive_alias.yaml": sub("name: tiny", "name: &x [*x]"),
        "deep_nesting.yaml": ("model: " + "[" * 5000 + "]" * 5000 + "\n").encode(),
        "nan_value.yaml": sub("{value: 1.2, unit: TG", "{value: .nan, unit: TG"),
        "inf_value.yaml": sub("{value: 650000, unit: m2", "{value: .inf, unit: m2"),
        "nan_text.yaml": sub("{value: 650000, unit: m2", "{value: 'nan', unit: m2"),
        "huge_float.yaml": sub("{value: 650000, unit: m2", "{value: 1.0e+400, unit: m2"),
        "huge_int.yaml": sub("{value: 650000, unit: m2", "{value: " + "9" * 400 + ", unit: m2"),
        "tab_indent.yaml": sub("  name: tiny", "\tname: tiny"),
        "latin1.yaml": model.replace("name: tiny", "name: Ålesund", 1).encode("latin-1"),
        "nul_byte.yaml": sub("name: tiny", "name: ti\x00ny"),
        "non_string_key.yaml": sub("model:\n", "1: 2\nmodel:\n"),
        "unknown_key.yaml": sub("model:\n", "modell: {}\nmodel:\n"),
        "register_escape.yaml": sub("name: tiny", "name: tiny\n  register: ../../../../etc"),
        "register_absolute.yaml": sub("name: tiny", "name: tiny\n  register: /etc/passwd"),
        "empty.yaml": b"",
        "truncated.yaml": model[: model.index("{value:", len(model) // 2) + 8].encode(),
        "list_not_mapping.yaml": b"- model\n- condition\n",
        "merge_key.yaml": merge_key_model(model),
        "duplicate_key.yaml": sub("  name: tiny", "  name: tiny\n  name: tiny2"),
        "merge_key_duplicate.yaml": merge_key_model(model).replace(
            b"      unit: m2\n", b"      unit: m2\n      value: 650001\n"
        ),
    }


def ltb_template() -> bytes:
    """The assumptions workbook of the fixture model (horizon 2018-2022), as ``hmn-bygg
    template`` writes it: bokmål names in column A, the dotted keys in the hidden column K."""
    import tempfile

    from hmn_bygg.cli.excel_cmd import reader_names
    from hmn_bygg.config import apply_overrides, load_model
    from hmn_bygg.excel import write_template

    model = apply_overrides(load_model(FIXTURE_MODEL), {"model.end_year": LTB_END_YEAR})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ltb.xlsx"
        return write_template(model, path, names=reader_names(model)).read_bytes()


def book_bytes(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def column(sheet: Any, heading: str) -> int:
    """The column (1-based) of a heading in row 1 of a template sheet."""
    return next(c.column for c in sheet[1] if c.value == heading)


def find(sheet: Any, key: str) -> int:
    """The row of a key on a template sheet (the keys are in the hidden column 'Nøkkel')."""
    col = column(sheet, "Nøkkel")
    return next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, col).value == key)


def patch_value(data: bytes, member: str, ref: str, text: str) -> bytes:
    """Replace the saved value of cell ``ref`` in one sheet's XML (``member``), for values
    openpyxl cannot write, such as ``1e309``."""
    pattern = rb'(<c r="' + ref.encode() + rb'"[^>]*>)<v>[^<]*</v>'
    saved = rb"\1<v>" + text.encode() + b"</v>"
    return rewrite_parts(
        data, lambda name, body: re.sub(pattern, saved, body) if name == member else body
    )


def replace_in(data: bytes, member: str, old: bytes, new: bytes) -> bytes:
    """Replace bytes in one part of a workbook (for what openpyxl cannot write quickly)."""
    return rewrite_parts(
        data, lambda name, body: body.replace(old, new) if name == member else body
    )


def ltb_files() -> dict[str, bytes]:
    """Name -> bytes of each LTB workbook case (see ``LTB_CASES`` for what each holds)."""
    from corpus_hidden import external_link, hide

    template = ltb_template()
    files: dict[str, bytes] = {"valid.xlsx": template}

    def edited(change: Callable[[openpyxl.Workbook], object]) -> bytes:
        book = openpyxl.load_workbook(io.BytesIO(template))
        change(book)
        return book_bytes(book)

    def cell(sheet: str, ref: str, value: object) -> bytes:
        return edited(lambda b: b[sheet].__setitem__(ref, value))

    def edit_all(book: openpyxl.Workbook) -> None:
        liq, drift, upkeep = book["Likviditet"], book["Drift"], book["Vedlikehold"]
        liq["C6"] = "1 234,5"  # credit limit HNT, as Norwegian text
        r = find(drift, "finance.discount_rate")
        drift.cell(r, 3).value = 0.05
        drift.cell(r, column(drift, "Kilde")).value = "Styresak 12/2025"
        for col, v in zip("DEFGH", [0, None, 210, None, None], strict=True):
            upkeep[f"{col}5"].value = v  # extra budget: 0 in 2018, 210 from 2020 on
        upkeep["C2"] = 75  # budget HMR: one value, year cells cleared
        for col in "DEFGH":
            upkeep[f"{col}2"].value = None
        inv = book["Investeringer"]
        inv.cell(find(inv, "finance.projects.snr.loan_financed"), 3).value = "ja"

    files["edited.xlsx"] = edited(edit_all)
    files["formula_uncached.xlsx"] = cell("Likviditet", "C5", "=500+100")
    files["formula_cached.xlsx"] = cached_formula(files["formula_uncached.xlsx"], "600")
    files["formula_key.xlsx"] = cell("Drift", "K2", '="finance."&"x"')
    files["error_value.xlsx"] = cell("Likviditet", "C5", "#DIV/0!")
    files["text_in_number.xlsx"] = cell("Likviditet", "C5", "mye")
    files["bool_in_number.xlsx"] = cell("Likviditet", "C5", True)
    files["date_in_number.xlsx"] = cell("Likviditet", "C5", dt.datetime(2025, 1, 1))
    files["inf_number.xlsx"] = patch_value(
        cell("Likviditet", "C5", 12345), "xl/worksheets/sheet3.xml", "C5", "1e309"
    )
    files["nan_text.xlsx"] = cell("Likviditet", "C5", "nan")
    files["huge_number.xlsx"] = cell("Likviditet", "C5", 1e300)
    files["negative_number.xlsx"] = cell("Likviditet", "C5", -5)
    files["out_of_range_year.xlsx"] = cell("Vedlikehold", "F2", -5)
    files["long_text.xlsx"] = cell("Drift", "K2", "x" * 20_000)
    files["empty_value.xlsx"] = cell("Likviditet", "C5", None)
    files["merged_years.xlsx"] = edited(lambda b: b["Drift"].merge_cells("E3:G3"))
    files["merged_rows.xlsx"] = edited(lambda b: b["Likviditet"].merge_cells("C4:C5"))
    files["merged_whole_sheet.xlsx"] = replace_in(
        files["merged_years.xlsx"],
        "xl/worksheets/sheet2.xml",
        b'ref="E3:G3"',
        b'ref="A2:XFD1048576"',
    )
    files["year_value_for_constant.xlsx"] = cell("Likviditet", "E5", 30)
    files["value_and_years.xlsx"] = cell("Drift", "C3", 5)
    files["first_year_empty.xlsx"] = cell("Drift", "D3", None)
    files["wrong_choice.xlsx"] = cell("Tilstand", "C2", "areal")
    files["duplicate_row.xlsx"] = edited(
        lambda b: b["Likviditet"].append([c.value for c in b["Likviditet"][5]])
    )
    files["missing_row.xlsx"] = edited(lambda b: b["Likviditet"].delete_rows(8))
    files["unknown_key.xlsx"] = edited(
        lambda b: b["Drift"].cell(
            find(b["Drift"], "finance.discount_rate"), 11, "finance.discount_rat"
        )
    )
    files["value_without_key.xlsx"] = edited(lambda b: b["Likviditet"].append([None, None, 5]))
    files["missing_sheet.xlsx"] = edited(lambda b: b.remove(b["Lån"]))
    files["no_key_column.xlsx"] = edited(lambda b: b["Drift"].delete_cols(11))
    files["old_layout.xlsx"] = old_layout(template)
    files["renamed_sheet.xlsx"] = edited(lambda b: setattr(b["Drift"], "title", "Drift 2025"))

    def chart(book: openpyxl.Workbook) -> None:
        index = book.sheetnames.index("Lån")
        book.remove(book["Lån"])
        book.create_chartsheet("Lån", index).add_chart(openpyxl.chart.BarChart())

    files["chart_sheet.xlsx"] = edited(chart)
    files["missing_column.xlsx"] = edited(lambda b: b["Likviditet"].delete_cols(3))
    files["missing_year_column.xlsx"] = edited(lambda b: b["Drift"].delete_cols(6))
    files["duplicate_column.xlsx"] = cell("Likviditet", "B1", "Verdi")
    files["title_row.xlsx"] = edited(
        lambda b: (b["Drift"].insert_rows(1), b["Drift"].__setitem__("A1", "LTB 2025"))
    )
    files["far_cell.xlsx"] = cell("Drift", "B10001", "x")
    bomb = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(template)) as src, zipfile.ZipFile(bomb, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("xl/media/padding.bin", bytes(101 * 2**20), zipfile.ZIP_DEFLATED, 9)
    files["zip_bomb.xlsx"] = bomb.getvalue()
    files["truncated.xlsx"] = template[: len(template) // 2]
    files["not_a_zip.xlsx"] = "Nøkkel;Verdi\nfinance.discount_rate;0,05\n".encode()
    files["empty.xlsx"] = b""
    files["hidden_sheet.xlsx"] = edited(hide("Drift"))
    files["external_link.xlsx"] = external_link(
        cached_formula(cell("Likviditet", "C5", "=[1]Likviditet!C5"), "600")
    )
    files["hidden_rows.xlsx"] = edited(
        lambda b: setattr(b["Likviditet"].row_dimensions[5], "hidden", True)
    )
    return files | ltb_optional(template)


def old_layout(template: bytes) -> bytes:
    """The template as written before the bokmål names (issue 18): the
    dotted key in a visible column A headed 'Nøkkel', no names; it must read the same."""
    book = openpyxl.load_workbook(io.BytesIO(template))
    for ws in book.worksheets:
        if ws.cell(1, 1).value != "Parameter":
            continue
        key = column(ws, "Nøkkel")
        for r in range(1, ws.max_row + 1):
            ws.cell(r, 1).value = ws.cell(r, key).value
        ws.delete_cols(key)
        ws.column_dimensions["K"].hidden = False
        ws.column_dimensions["L"].hidden = False
    return book_bytes(book)


def ltb_optional(template: bytes) -> dict[str, bytes]:
    """The cases that need xlwt and msoffcrypto-tool, when they are installed."""
    files = {}
    try:
        import xlwt  # type: ignore[import-not-found]

        book = xlwt.Workbook()
        sheet = book.add_sheet("Drift")
        for c, text in enumerate(["Nøkkel", "Enhet", "Verdi"]):
            sheet.write(0, c, text)
        sheet.write(1, 0, "finance.discount_rate")
        sheet.write(1, 2, 0.04)
        out = io.BytesIO()
        book.save(out)
        files["xls_renamed.xlsx"] = out.getvalue()
    except ImportError:
        pass
    try:
        from msoffcrypto.format.ooxml import OOXMLFile  # type: ignore[import-not-found]

        out = io.BytesIO()
        OOXMLFile(io.BytesIO(template)).encrypt("hemmelig", out)
        files["encrypted.xlsx"] = out.getvalue()
    except ImportError:
        pass
    return files


def main() -> None:
    """Rewrite every corpus file."""
    for folder, files in (
        (REGISTER, register_files()),
        (CONFIG, config_files()),
        (LTB, ltb_files()),
    ):
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (folder / name).write_bytes(data)


if __name__ == "__main__":
    main()
