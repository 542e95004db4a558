"""The validation and plan-vs-outcome sheets of the results workbook.

``Validering`` sets each public figure of ``models/actuals.yaml`` beside the model's value
(:func:`hmn_bygg.report.validation.validation_table`); ``Plan mot utfall`` sets the 2018 plan
beside the outcome (:func:`~hmn_bygg.report.validation.plan_vs_outcome`). Both show money in
the workbook's price basis (nominal, or fixed prices with the public figures converted by the
deflator) and say so in their first row; they are written when the workbook's scenarios
include ``today`` (and ``plan_2018`` for the second sheet).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from openpyxl import Workbook

from hmn_bygg.config import Model
from hmn_bygg.excel.style import WRAP, finish_table, put, set_widths, write_header
from hmn_bygg.finance.price_basis import basis_label
from hmn_bygg.report.record_texts import KIND, UNITS_NB, WHAT, record_text

__all__ = ["basis_row", "write_validation_sheets"]


def basis_row(prices: str) -> str:
    """The first row of both sheets: the price basis, and how the public figures enter it."""
    if prices.startswith("real:"):
        return (f"Prisgrunnlag: {basis_label(prices)}; de offentlige tallene (løpende kroner) "
                "er regnet om med deflatoren, som modellens")  # fmt: skip
    return "Prisgrunnlag: løpende kroner (nominal), som de offentlige tallene"


def _sheet(wb: Workbook, name: str, first: str, table: pd.DataFrame, headings: list[str],
           widths) -> None:  # fmt: skip
    ws = wb.create_sheet(name)
    put(ws, 1, 1, first)
    write_header(ws, headings, row=2)
    for r, row in enumerate(table.itertuples(index=False), start=3):
        for c, value in enumerate(row, start=1):
            cell = put(ws, r, c, value.item() if hasattr(value, "item") else value)
            if isinstance(value, str) and len(value) > 40:
                cell.alignment = WRAP
    set_widths(ws, widths)
    finish_table(ws, len(headings), "B3")


def write_validation_sheets(
    wb: Workbook, scenarios: Mapping[str, Model], prices: str = "nominal"
) -> list[str]:
    """Add the two sheets to ``wb`` when the scenarios allow; return the names written.

    Parameters
    ----------
    wb : openpyxl.Workbook
        The results workbook (bokmål).
    scenarios : mapping of str to Model
        The workbook's scenarios; ``today`` (and ``plan_2018``) are run again in nominal
        kroner, as the record is, and shown in ``prices``.
    prices : str
        ``nominal`` or ``real:YYYY``: the workbook's price basis.
    """
    if "today" not in scenarios:
        return []
    from hmn_bygg.engine.run import run_models
    from hmn_bygg.report.validation import plan_vs_outcome, validation_table

    chosen = {n: scenarios[n] for n in ("today", "plan_2018") if n in scenarios}
    ds = run_models(chosen, prices="nominal")
    table = validation_table(ds, chosen["today"], prices=prices)
    table["what"] = [WHAT[w][0] for w in table["what"]]
    table["kind"] = [KIND[k][0] for k in table["kind"]]
    table["unit"] = [UNITS_NB.get(u, u) for u in table["unit"]]
    table["within"] = [
        "–" if w != w else record_text("yes" if w else "no", "nb") for w in table["within"]
    ]
    table["check"] = ["ja" if c else "nei" for c in table["check"]]
    cols = ["id", "what", "hf", "year", "unit", "kind", "public", "model", "difference",
            "tolerance", "within", "check", "source"]  # fmt: skip
    heads = ["Id", "Hva", "Foretak", "År", "Enhet", "Art", "Offentlig", "Modell", "Avvik",
             "Toleranse", "Innenfor", "Kontrollert", "Kilde"]  # fmt: skip
    widths = [20, 24, 9, 6, 10, 9, 12, 12, 10, 10, 9, 10, 70]
    _sheet(wb, "Validering", basis_row(prices), table[cols], heads, widths)
    names = ["Validering"]
    if "plan_2018" in chosen:
        pvo = plan_vs_outcome(ds, chosen["plan_2018"], chosen["today"], prices=prices)
        heads = record_text("heads_p", "nb").split("|")
        cols = ["item", "unit", "plan", "outcome", "difference", "basis"]
        _sheet(wb, "Plan mot utfall", basis_row(prices), pvo[cols], heads,
               [36, 24, 12, 12, 12, 44])  # fmt: skip
        names.append("Plan mot utfall")
    return names
