"""The results workbook's sheet ``Forutsetninger``: every parameter by its Norwegian name.

One row per parameter and scenario: scenario (display name), parameter (its label, from
:mod:`hmn_bygg.config.param_labels`), value, unit, price year and source; the dotted key and
the model's English description stay in hidden columns for machines and modellers.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from hmn_bygg.config import Model, key_index, resolve_key
from hmn_bygg.config.labels import bundled_labels, label
from hmn_bygg.config.param_labels import param_label, project_names, unit_label
from hmn_bygg.core.paths import project_root
from hmn_bygg.excel.layout import price_year_of
from hmn_bygg.excel.style import WRAP, finish_table, put, set_widths, write_header

__all__ = [
    "ASSUMPTION_HEADINGS",
    "assumption_rows",
    "scenario_name",
    "shown_path",
    "write_assumptions",
]

ASSUMPTION_HEADINGS = (
    "Scenario", "Parameter", "Verdi", "Enhet", "Prisår", "Kilde", "Nøkkel", "Beskrivelse",
)  # fmt: skip
"""The sheet's columns; ``Nøkkel`` (dotted key) and ``Beskrivelse`` (English) are hidden."""


def scenario_name(code: str) -> str:
    """Return a scenario's display name in bokmål (``models/scenarios.yaml``), else its code."""
    return label(bundled_labels(), code, "nb")


def shown_path(path: object) -> str:
    """Return a path as the workbook shows it: inside the project relative to it, else its name.

    The workbook travels; the folders of the machine that made it mean nothing to its reader.
    """
    if path is None or str(path) == "":
        return ""
    p = Path(str(path))
    try:
        return p.resolve().relative_to(project_root().resolve()).as_posix()
    except (ValueError, OSError):
        return p.name


def _cell_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {_cell_value(v)}" for k, v in value.items())
    if isinstance(value, tuple | list):
        return "; ".join(str(_cell_value(v)) for v in value) or "(ingen)"
    if hasattr(value, "model_dump"):
        return ", ".join(f"{k}={v}" for k, v in value.model_dump().items() if v is not None)
    return str(value)


def assumption_rows(scenarios: Mapping[str, Model]) -> list[list[Any]]:
    """Return one row per parameter (table entries on rows of their own) and scenario.

    Parameters
    ----------
    scenarios : mapping of str to Model
        Validated scenarios.

    Returns
    -------
    list of list
        ``[scenario, parameter, value, unit, price year, source, key, description]`` (see
        :data:`ASSUMPTION_HEADINGS`); numbers stay numbers, year paths and other structures
        are written as text (``2019: 0; 2020: 210``); the price year is a year or ``nominal``
        for money, empty otherwise.
    """
    index = key_index()
    with_entries = {i.key.rsplit(".", 1)[0] for i in index.values() if i.kind == "entry"}
    rows = []
    for name, model in scenarios.items():
        projects = project_names(model)
        for key, info in index.items():
            if info.kind == "leaf" and key in with_entries:
                continue
            r = resolve_key(model, key)
            price = price_year_of(model, key)
            rows.append([scenario_name(name), param_label(key, "nb", projects),
                         _cell_value(r.value), unit_label(r.unit or "", "nb"), price, r.source,
                         key, r.description])  # fmt: skip
    return rows


def write_assumptions(wb: Workbook, scenarios: Mapping[str, Model]) -> None:
    """Add the sheet ``Forutsetninger`` (see the module docstring)."""
    ws = wb.create_sheet("Forutsetninger")
    write_header(ws, list(ASSUMPTION_HEADINGS))
    for r, row in enumerate(assumption_rows(scenarios), start=2):
        for c, value in enumerate(row, start=1):
            cell = put(ws, r, c, value)
            if c == 3 and isinstance(value, float):
                cell.number_format = "General"
            if c in (2, 6, 8):
                cell.alignment = WRAP
    set_widths(ws, [26, 44, 18, 12, 9, 70, 40, 60])
    for hidden in (7, 8):  # the dotted key and the model's English description
        ws.column_dimensions[get_column_letter(hidden)].hidden = True
    finish_table(ws, len(ASSUMPTION_HEADINGS), "C2")
