"""Corpus cases of issue 19: hidden data, links to other workbooks, totals, merge keys.

Used by ``make_corpus.py`` (run from the repository root: ``python tests/corpus/make_corpus.py``),
which writes the files; the outcome expected of each is in the ``*_CASES`` tables of the fuzz
tests and in ``tests/test_reliability.py``.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import openpyxl
from make_corpus import HEAD, ROWS, cached_formula, csv_text, with_cell, xlsx_bytes


def workbook_bytes(sheets: dict[str, list[list[object]]], change: Callable | None = None) -> bytes:
    """A workbook with one sheet per item (in order), changed by ``change(book)`` if given."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    if change is not None:
        change(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def external_link(data: bytes, target: str = "Budsjett 2019.xlsx") -> bytes:
    """Add an external-link part ``[1]`` pointing at ``target``, as Excel writes it."""
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
        '"http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        f'externalLinkPath" Target="{target}" TargetMode="External"/></Relationships>'
    )
    link = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<externalLink xmlns='
        '"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><externalBook '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        'r:id="rId1"/></externalLink>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("xl/externalLinks/externalLink1.xml", link)
        dst.writestr("xl/externalLinks/_rels/externalLink1.xml.rels", rels)
    return out.getvalue()


def hide(sheet: str) -> Callable[[openpyxl.Workbook], None]:
    """A change that hides a sheet."""
    return lambda book: setattr(book[sheet], "sheet_state", "hidden")


MERGED_TARGET = (
    '    vttg_target: &target {value: 1.2, unit: TG, source: "utviklingsplan 2018 section 5.6.2"}\n'
    "    area_target_m2:\n"
    "      <<: *target\n"
    "      value: 650000\n"
    "      unit: m2\n"
)
"""A parameter built from another by a YAML merge key, two of its keys overridden."""


def merge_key_model(model: str) -> bytes:
    """The fixture model with ``area_target_m2`` written as a merge of ``vttg_target``."""
    old = "\n".join(line for line in model.splitlines() if "_target" in line) + "\n"
    assert old in model and old.count("\n") == 2, old
    return model.replace(old, MERGED_TARGET, 1).encode()


def reliability_register_files() -> dict[str, bytes]:
    """Cases of issue 19: hidden data, links, totals, copies of the table, mixed encodings."""
    table = [HEAD, *ROWS]
    archive = [HEAD, ["A1", "Gammelt bygg", "HMR", "Molde", 50_000, 1950, 3], *ROWS]
    extra = ["B3", "Skjult bygg", "HNT", "Levanger", 999, 1999, 1]

    def hidden_row(book: openpyxl.Workbook) -> None:
        book["Bygg"].row_dimensions[4].hidden = True

    def filtered(book: openpyxl.Workbook) -> None:
        book["Bygg"].auto_filter.ref = "A1:G4"
        book["Bygg"].auto_filter.add_filter_column(2, ["HMR", "STO"])  # hides HNT
        book["Bygg"].row_dimensions[4].hidden = True

    def hidden_column(book: openpyxl.Workbook) -> None:
        book["Bygg"].column_dimensions["F"].hidden = True

    sum_row = ["Sum", "", "", "", 24106.5, "", ""]
    grouped = [
        HEAD, ROWS[0], ["Sum HMR", "", "", "", 23294.5, "", ""],
        ROWS[1], ["Sum STO", "", "", "", 812, "", ""], ["Totalt", "", "", "", 24106.5, "", ""],
    ]  # fmt: skip
    utf8 = csv_text(table).encode()
    linked = xlsx_bytes(with_cell("floor_area", "=[1]Ark1!E2"))
    return {
        "hidden_sheet.xlsx": workbook_bytes({"Bygg": table, "Arkiv": archive}, hide("Arkiv")),
        "hidden_first_sheet.xlsx": workbook_bytes({"Arkiv": archive, "Bygg": table}, hide("Arkiv")),
        "only_hidden_sheets.xlsx": workbook_bytes({"Tom": [], "Arkiv": archive}, hide("Arkiv")),
        "second_copy_sheet.xlsx": workbook_bytes({"Bygg": table, "Bygg (2)": archive}),
        "hidden_row.xlsx": workbook_bytes({"Bygg": [*table, extra]}, hidden_row),
        "filtered_rows.xlsx": workbook_bytes({"Bygg": [*table, extra]}, filtered),
        "hidden_column.xlsx": workbook_bytes({"Bygg": table}, hidden_column),
        "external_link.xlsx": external_link(cached_formula(linked, "23294.5")),
        "total_row.csv": csv_text([*table, sum_row]).encode(),
        "subtotal_rows.xlsx": workbook_bytes({"Bygg": grouped}),
        "mixed_utf8_then_cp1252.csv": utf8
        + csv_text([extra]).replace("Skjult", "Skjøt").encode("cp1252"),
        "mixed_cp1252_then_utf8.csv": csv_text(table).encode("cp1252")
        + csv_text([extra]).replace("Skjult", "Skjøt").encode(),
    }
