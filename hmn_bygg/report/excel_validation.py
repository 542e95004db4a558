"""The validation and plan-vs-outcome sheets of the results workbook.

``Validering`` sets each public figure of ``models/actuals.yaml`` beside the model's value
(:func:`hmn_bygg.report.validation.validation_table`); ``Plan mot utfall`` sets the 2018 plan
beside the outcome (:func:`~hmn_bygg.report.validation.plan_vs_outcome`). Both are in nominal
kroner, as the record is, and say so in their first row; they are written when the workbook's
scenarios include ``today`` (and ``plan_2018`` for the second sheet).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from openpyxl import Workbook

from hmn_bygg.config import Model
from hmn_bygg.excel.style import WRAP, finish_table, put, set_widths, write_header

__all__ = ["write_validation_sheets"]

BASIS = "Prisgrunnlag: løpende kroner (nominal), som de offentlige tallene"


def _sheet(wb: Workbook, name: str, table: pd.DataFrame, headings: list[str], widths) -> None:
    ws = wb.create_sheet(name)
    put(ws, 1, 1, BASIS)
    write_header(ws, headings, row=2)
    for r, row in enumerate(table.itertuples(index=False), start=3):
        for c, value in enumerate(row, start=1):
            cell = put(ws, r, c, value.item() if hasattr(value, "item") else value)
            if isinstance(value, str) and len(value) > 40:
                cell.alignment = WRAP
    set_widths(ws, widths)
    finish_table(ws, len(headings), "B3")


def write_validation_sheets(wb: Workbook, scenarios: Mapping[str, Model]) -> list[str]:
    """Add the two sheets to ``wb`` when the scenarios allow; return the names written."""
    if "today" not in scenarios:
        return []
    from hmn_bygg.engine.run import run_models
    from hmn_bygg.report.validation import plan_vs_outcome, validation_table

    chosen = {n: scenarios[n] for n in ("today", "plan_2018") if n in scenarios}
    ds = run_models(chosen, prices="nominal")
    table = validation_table(ds, chosen["today"])
    cols = ["id", "what", "hf", "year", "unit", "kind", "public", "model", "difference",
            "tolerance", "within", "check", "source"]  # fmt: skip
    heads = ["Id", "Hva", "Foretak", "År", "Enhet", "Art", "Offentlig", "Modell", "Avvik",
             "Toleranse", "Innenfor", "Kontrollert", "Kilde"]  # fmt: skip
    _sheet(wb, "Validering", table[cols], heads, [20, 18, 9, 6, 10, 9, 12, 12, 10, 10, 9, 10, 70])
    names = ["Validering"]
    if "plan_2018" in chosen:
        pvo = plan_vs_outcome(ds, chosen["plan_2018"], chosen["today"])
        heads = ["Hva", "Enhet", "Plan 2018", "Utfall", "Avvik", "Grunnlag"]
        _sheet(wb, "Plan mot utfall", pvo, heads, [36, 16, 12, 12, 12, 40])
        names.append("Plan mot utfall")
    return names
