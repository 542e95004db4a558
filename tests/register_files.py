"""Register files for tests: writing them, and the broken registers every check is tried on.

Shared by the register-check tests, the reader tests and the bokmål problem-text tests.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

THIS_YEAR = dt.date.today().year

B_HEAD = "building_id,name,hf,site,floor_area,built_year,condition_grade"
B_ROWS = "A,Sengebygg,HMR,Molde,100,1970,2\nB,Kontor,STO,Øya,200,1990,1\n"
P_HEAD = "building_id,part,condition_grade,survey_year,cost_share"
P_ROWS = "A,2,2,2016,\nA,3,1,2016,\nB,2,1,2017,\n"


def write_files(tmp_path: Path, files: dict[str, str | bytes]) -> list[Path]:
    """Write ``{name: text or bytes}`` into ``tmp_path``; return the paths in order."""
    out = []
    for name, content in files.items():
        path = tmp_path / name
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        out.append(path)
    return out


def write_workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    """Write an .xlsx workbook with one sheet per ``{title: rows}``; return its path."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


# (id, files, message part, file, row, column, expected part, found)
BROKEN_REGISTERS = [
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
