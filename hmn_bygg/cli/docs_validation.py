"""The generated validation page (``docs/validation.md``): the public record beside the model.

Both sections run the bundled model (scenarios ``today`` and ``plan_2018``, nominal kroner) and
render :func:`hmn_bygg.report.validation.validation_table` and
:func:`~hmn_bygg.report.validation.plan_vs_outcome` as Markdown tables.
"""

from __future__ import annotations

from functools import cache

__all__ = ["render_plan_vs_outcome", "render_validation"]


@cache
def _bundled():
    from hmn_bygg.config import load_scenarios
    from hmn_bygg.engine.run import run_models

    scenarios = load_scenarios(None, None, ["today", "plan_2018"])
    return scenarios, run_models(scenarios, prices="nominal")


def _n(value: float, unit: str) -> str:
    from hmn_bygg.core.fmt import fmt_number

    if value != value:
        return "–"
    if unit in ("year", "år"):
        return str(round(value))
    return fmt_number(value, 2 if unit == "TG" else 0)


def render_validation() -> str:
    """Return the validation table as Markdown: each public figure, the model, the difference."""
    from hmn_bygg.report.validation import ABSOLUTE, validation_table

    scenarios, ds = _bundled()
    table = validation_table(ds, scenarios["today"])
    out = [
        "Scenario `today`, nominal kroner. Tolerance: relative for money and area, absolute for "
        "years and grades. *checked*: a test (tests/test_validation.py) keeps the history years "
        "within it; *shown*: reported, not held (the reason is in the source).",
        "",
        "| id | what | HF | year | public | model | difference | tolerance | within | kind | "
        "source |",
        "|---|---|---|---:|---:|---:|---:|---:|---|---|---|",
    ]
    for r in table.itertuples():
        tol = f"±{r.tolerance:g}" if r.what in ABSOLUTE else f"±{100 * r.tolerance:g} %"
        ok = "–" if r.within != r.within else ("yes" if r.within else "**no**")
        ok += " (checked)" if r.check else " (shown)"
        src = str(r.source).replace("|", "/")
        out.append(f"| {r.id} | {r.what} | {r.hf} | {r.year} | {_n(r.public, r.unit)} | "
                   f"{_n(r.model, r.unit)} | {_n(r.difference, r.unit)} | {tol} | {ok} | "
                   f"{r.kind} | {src} |")  # fmt: skip
    return "\n".join(out)


def render_plan_vs_outcome() -> str:
    """Return the 2018 plan beside the outcome as Markdown (English, nominal kroner)."""
    from hmn_bygg.report.record_texts import pvo_cells
    from hmn_bygg.report.validation import plan_vs_outcome

    scenarios, ds = _bundled()
    table = plan_vs_outcome(ds, scenarios["plan_2018"], scenarios["today"], lang="en")
    heads, rows = pvo_cells(table, "en")
    out = ["| " + " | ".join(heads) + " |", "|---|---|---:|---:|---:|---|"]
    out += ["| " + " | ".join(str(c).replace("|", "/") for c in row) + " |" for row in rows]
    return "\n".join(out)
