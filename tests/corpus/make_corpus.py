"""Write the corpus of nasty inputs in ``tests/corpus/`` (run from the repository root).

The files are checked in; this script documents how each was made and rewrites them all:
``python tests/corpus/make_corpus.py``. The outcome expected of each file is in
``tests/test_fuzz_register.py`` and ``tests/test_fuzz_config.py`` (``REGISTER_CASES`` and
``CONFIG_CASES``).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
REGISTER = HERE / "register"
CONFIG = HERE / "config"
FIXTURE_MODEL = HERE.parent / "fixtures" / "config" / "model.yaml"

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


def cached_formula(data: bytes, value: str) -> bytes:
    """Give every formula of a workbook a saved result ``value`` (as Excel would)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                body = re.sub(rb"(<f>[^<]*</f>)<v\s*/>", rb"\1<v>" + value.encode() + b"</v>", body)
            dst.writestr(info, body)
    return out.getvalue()


def register_files() -> dict[str, bytes]:
    """Name -> bytes of each register case (buildings tables with an overall grade)."""
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
    return files


BILLION_LAUGHS = "\n".join(
    ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
    + ["model: *i"]
)


def config_files() -> dict[str, bytes]:
    """Name -> bytes of each model-file case, most of them the fixture model changed a little."""
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
        "truncated.yaml": model.encode()[: len(model) // 2],
        "list_not_mapping.yaml": b"- model\n- condition\n",
    }


def main() -> None:
    """Rewrite every corpus file."""
    for folder, files in ((REGISTER, register_files()), (CONFIG, config_files())):
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (folder / name).write_bytes(data)


if __name__ == "__main__":
    main()
