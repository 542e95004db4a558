"""The ``Utfall`` sheet of the LTB workbook: the actuals (known outcomes), to see and edit.

One row per actual (:class:`hmn_bygg.config.actuals.Actual`), columns found by heading in row
1 (other columns are ignored)::

    Id | Hva | Foretak | År | Verdi | Enhet | Prisår | Art | Prosjekt | Toleranse |
    Kontrolleres | Kilde

``Prisår`` is a year or ``nominal`` (``løpende`` is read as nominal; empty for rows that are
not money); ``Kontrolleres`` is ja/nei; ``Toleranse`` a fraction (0,25 = 25 %) or a number of
years or grade steps for opening years and VTTG. Rows whose id starts with ``#`` and empty rows
are ignored. Each cell is read as Excel saved it and refused, named as ``Utfall!E7``, when it
cannot be meant (text in a number cell, an Excel error value, a formula without a saved
result), and every row is validated like ``models/actuals.yaml``.

:func:`write_actuals_sheet` writes the sheet, :func:`actuals_from_sheet` reads it (problems to a
:class:`~hmn_bygg.excel.sheet_reader.SheetReader`), :func:`load_actuals_sheet` reads it from
a workbook file (a model whose ``model.actuals`` names an ``.xlsx`` file uses it), and
:func:`model_actuals` returns the actuals a model names, from YAML or a workbook.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from hmn_bygg.config import Model
from hmn_bygg.config.actuals import Actual, Actuals, actuals_path, load_actuals
from hmn_bygg.config.validation_errors import translate
from hmn_bygg.core.errors import InputError
from hmn_bygg.core.limits import LIMITS
from hmn_bygg.core.messages import Msg

if TYPE_CHECKING:  # openpyxl only when a workbook is written or read: `run` reads YAML actuals
    from openpyxl import Workbook

    from hmn_bygg.excel.sheet_reader import SheetReader
    from hmn_bygg.excel.workbook_read import SheetCells

__all__ = [
    "COLUMNS",
    "SHEET",
    "actuals_from_sheet",
    "load_actuals_sheet",
    "model_actuals",
    "write_actuals_sheet",
]

SHEET = "Utfall"
COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("Id", "id", True),
    ("Hva", "what", True),
    ("Foretak", "hf", True),
    ("År", "year", True),
    ("Verdi", "value", True),
    ("Enhet", "unit", True),
    ("Prisår", "price_year", False),
    ("Art", "kind", True),
    ("Prosjekt", "project", False),
    ("Toleranse", "tolerance", False),
    ("Kontrolleres", "check", False),
    ("Kilde", "source", True),
)
"""(heading, field of :class:`~hmn_bygg.config.actuals.Actual`, whether the column is needed)."""
_TRUE = {"true", "ja", "yes", "1", "x"}
_FALSE = {"false", "nei", "no", "0", ""}
_NOMINAL = {"nominal", "løpende", "løpende kroner", "nominell", "nominelt"}


def write_actuals_sheet(wb: Workbook, actuals: Actuals) -> None:
    """Add the ``Utfall`` sheet with one row per actual to ``wb``."""
    from hmn_bygg.excel.style import WRAP, finish_table, put, set_widths, write_header

    ws = wb.create_sheet(SHEET)
    write_header(ws, [head for head, _, _ in COLUMNS])
    for r, row in enumerate(actuals.rows, start=2):
        for c, (_, name, _) in enumerate(COLUMNS, start=1):
            value = getattr(row, name)
            if name == "check":
                value = "ja" if value else "nei"
            cell = put(ws, r, c, value)
            if name == "source":
                cell.alignment = WRAP
    set_widths(ws, [22, 18, 10, 7, 11, 10, 9, 10, 18, 10, 12, 90])
    finish_table(ws, len(COLUMNS), "B2")


def _columns(reader: SheetReader, sheet: SheetCells) -> dict[str, int] | None:
    heads = {
        str(v).strip().casefold(): c
        for c, v in enumerate(sheet.rows.get(1, ()), start=1)
        if isinstance(v, str) and v.strip()
    }
    cols, ok = {}, True
    for head, name, needed in COLUMNS:
        if head.casefold() in heads:
            cols[name] = heads[head.casefold()]
        elif needed:
            reader.problem(Msg("excel.column_missing"), f"{SHEET}!1:1", 1,
                           Msg("excel.a_column_headed", head=head))  # fmt: skip
            ok = False
    return cols if ok else None


def _cell(reader: SheetReader, name: str, raw: Any, where: str, r: int) -> Any:
    """One cell as the field ``name`` wants it (what cannot be meant is passed on as it is,
    for the row's validation to name)."""
    empty = raw is None or (isinstance(raw, str) and not raw.strip())
    if name in ("year", "value", "tolerance"):
        if empty:
            return 0.0 if name == "tolerance" else None
        number = reader.number(raw, None, where, r)
        if number is not None and name == "year" and number.is_integer():
            return int(number)
        return number
    if name == "price_year":
        if empty:
            return None
        if isinstance(raw, int | float) and not isinstance(raw, bool) and float(raw).is_integer():
            return int(raw)
        text = str(raw).strip()
        return "nominal" if text.casefold() in _NOMINAL else int(text) if text.isdigit() else text
    if name == "check":
        text = str(raw).strip().casefold() if not isinstance(raw, bool) else str(raw).casefold()
        if text in _TRUE or text in _FALSE:
            return text in _TRUE
        return raw
    if name == "project":
        return None if empty else str(raw).strip()
    return "" if empty else str(raw).strip()


def _blamed(message: str) -> str:
    """The field a whole-row check of :class:`~hmn_bygg.config.actuals.Actual` is about."""
    for word, name in (("unit", "unit"), ("price_year", "price_year"), ("project", "project")):
        if word in message:
            return name
    return "id"


def actuals_from_sheet(reader: SheetReader, sheet: SheetCells) -> Actuals | None:
    """Read the rows of an ``Utfall`` sheet; ``None`` (problems in ``reader``) when any fails.

    Parameters
    ----------
    reader : SheetReader
        Receives the problems, each named by cell (``Utfall!E7``) and row.
    sheet : SheetCells
        The sheet's cells.
    """
    from openpyxl.utils import get_column_letter

    cols = _columns(reader, sheet)
    if cols is None:
        return None
    before = len(reader.problems)
    rows: list[Actual] = []
    first_row: dict[str, int] = {}
    for r in sorted(sheet.rows):
        if r == 1:
            continue
        raw_id = sheet.cell(r, cols["id"])
        if isinstance(raw_id, str) and raw_id.strip().startswith("#"):
            continue
        cells = {name: sheet.cell(r, c) for name, c in cols.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values()):
            continue
        where = {name: f"{SHEET}!{get_column_letter(c)}{r}" for name, c in cols.items()}
        if not all(reader.usable(v, where[n], r) for n, v in cells.items()):
            continue
        known = len(reader.problems)
        data = {n: _cell(reader, n, v, where[n], r) for n, v in cells.items()}
        if len(reader.problems) > known:  # a cell that is not a number: named already
            continue
        try:
            row = Actual.model_validate(data)
        except ValidationError as err:
            for e in err.errors():
                name = str(e["loc"][0]) if e["loc"] else _blamed(e["msg"])
                message, expected, _ = translate(e)
                reader.problem(message, where.get(name, f"{SHEET}!{r}:{r}"), r, expected,
                               cells.get(name, e.get("input")))  # fmt: skip
            continue
        first_row.setdefault(row.id, r)
        rows.append(row)
    if len(reader.problems) > before:
        return None
    try:
        return Actuals(rows=tuple(rows))
    except ValidationError as err:
        for e in err.errors():
            reader.problem(translate(e)[0], SHEET, None, Msg("excel.each_id_once"))
        return None


@cache
def _load(path: Path, mtime: float) -> Actuals:
    from hmn_bygg.excel.sheet_reader import SheetReader
    from hmn_bygg.excel.workbook_read import read_workbook

    file = str(path)
    book = read_workbook(path, [SHEET])
    reader = SheetReader(file, LIMITS)
    sheet = book.sheets.get(SHEET)
    if sheet is None:
        reader.problem(Msg("excel.sheet_missing"), SHEET, None,
                       Msg("excel.a_sheet_named_actuals", name=SHEET),
                       ", ".join(book.sheetnames))  # fmt: skip
        raise InputError(reader.problems, title=Msg("excel.actuals_cannot_be_read", file=file))
    actuals = actuals_from_sheet(reader, sheet)
    if actuals is None:
        raise InputError(reader.problems, title=Msg("excel.actuals_have_problems", file=file))
    return actuals


def load_actuals_sheet(path: str | Path) -> Actuals:
    """Read the actuals from the ``Utfall`` sheet of an LTB workbook (cached per file)."""
    p = Path(path)
    if not p.is_file():
        return load_actuals(p)  # the same "file not found" problem as a YAML file
    return _load(p.resolve(), p.stat().st_mtime)


def model_actuals(model: Model) -> Actuals:
    """Return the actuals a model names (``model.actuals``): a YAML file, the ``Utfall`` sheet
    of a workbook (``.xlsx``), or none."""
    path = actuals_path(model)
    if path is None:
        return Actuals()
    if path.suffix.lower() == ".xlsx":
        return load_actuals_sheet(path)
    return load_actuals(path)
