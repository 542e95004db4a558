"""The sheet "Utvikling" of the results workbook: progress against the plan per survey.

The same table as ``hmn-bygg track`` (:func:`hmn_bygg.report.track_run.track_model`): per later
survey, region and HF, the plan's VTTG, the surveyed VTTG, the difference and its causes,
with the plan's and the recorded maintenance money (nominal MNOK); then the warnings across
the surveys. Written when the workbook's scenarios include the plan scenario (``plan_2018``)
and the register has a later survey.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from openpyxl import Workbook

from hmn_bygg.config import Model
from hmn_bygg.excel.style import finish_table, put, set_widths, write_header
from hmn_bygg.report.track_run import PLAN_SCENARIO, track_model
from hmn_bygg.report.track_texts import COLUMNS, GRADE_COLUMNS, track_text

SHEET = "Utvikling"


def write_track_sheet(wb: Workbook, scenarios: Mapping[str, Model]) -> list[str]:
    """Add the sheet "Utvikling" to ``wb`` when it has content; return the names written.

    Parameters
    ----------
    wb : openpyxl.Workbook
        The results workbook (bokmål).
    scenarios : mapping of str to Model
        The workbook's scenarios; the plan scenario is run again (nominal kroner).

    Returns
    -------
    list of str
        ``["Utvikling"]``, or empty when there is no plan scenario or no later survey.
    """
    if PLAN_SCENARIO not in scenarios:
        return []
    t = track_model(scenarios=dict(scenarios), plan=PLAN_SCENARIO)
    if t.table.empty:
        return []
    ws = wb.create_sheet(SHEET)
    title = track_text("title", "nb", plan=PLAN_SCENARIO, base=t.base_year)
    if t.synthetic_years:
        years = ", ".join(str(y) for y in t.synthetic_years)
        title += " " + track_text("synthetic", "nb", years=years)
    put(ws, 1, 1, title)
    write_header(ws, [track_text(c, "nb") for c in COLUMNS], row=2)
    for r, (_, row) in enumerate(t.table.iterrows(), start=3):
        for c, col in enumerate(COLUMNS, start=1):
            value = row[col]
            if col == "level":
                value = track_text(f"level_{value}", "nb")
            elif col not in ("entity", "survey_year"):
                value = None if math.isnan(float(value)) else float(value)
            cell = put(ws, r, c, value.item() if hasattr(value, "item") else value)
            if col in GRADE_COLUMNS:
                cell.number_format = "0.00"
            elif col.endswith("_mnok"):
                cell.number_format = "#,##0"
    last = 3 + len(t.table)
    put(ws, last + 1, 1, track_text("causes_note", "nb"))
    if t.warnings:
        put(ws, last + 2, 1, track_text("warnings", "nb"))
        for i, w in enumerate(t.warnings, start=last + 3):
            put(ws, i, 1, w.render("nb"))
    set_widths(ws, [10, 8, 12] + [12] * (len(COLUMNS) - 3))
    finish_table(ws, len(COLUMNS), "D3")
    return [SHEET]
