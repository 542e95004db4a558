"""``hmn-bygg validate`` and ``hmn-bygg plan-vs-outcome``: the model beside the public record."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from hmn_bygg.cli.app import app
from hmn_bygg.core.fmt import fmt_number

ModelOption = Annotated[Path | None, typer.Option(help="Model file (default models/hmn.yaml).")]


def _fmt(value: float, unit: str) -> str:
    if value != value:  # NaN
        return "–"
    if unit in ("year",):
        return str(round(value))
    return fmt_number(value, 2 if unit == "TG" else 0)


def validation_text(table, lang: str = "nb") -> str:
    """Return the validation table as aligned text (Norwegian number format)."""
    head = ("id", "hva", "HF", "år", "offentlig", "modell", "avvik", "toleranse", "innenfor")
    lines = [
        "  ".join(f"{h:>10}" if i > 3 else f"{h:<{(24, 18, 8, 5)[i]}}" for i, h in enumerate(head))
    ]
    for r in table.itertuples():
        pct = fmt_number(100 * r.tolerance, 1 if r.tolerance < 0.01 else 0)
        tol = f"±{fmt_number(r.tolerance, 2)}" if r.what in ("open_year", "vttg") else f"±{pct} %"
        ok = "–" if r.within != r.within else ("ja" if r.within else "NEI")
        ok += "" if r.check else " (vises)"
        cells = (r.id, r.what, r.hf, str(r.year), _fmt(r.public, r.unit), _fmt(r.model, r.unit),
                 _fmt(r.difference, r.unit), tol, ok)  # fmt: skip
        lines.append(
            "  ".join(
                f"{c:>10}" if i > 3 else f"{c:<{(24, 18, 8, 5)[i]}}" for i, c in enumerate(cells)
            )
        )
    return "\n".join(lines)


@app.command("validate")
def validate_cmd(
    scenario: Annotated[str, typer.Option(help="Scenario to compare.")] = "today",
    model: ModelOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the table as JSON.")] = False,
) -> None:
    """Each public figure (models/actuals.yaml) beside the model's value and the difference."""
    from hmn_bygg.cli.arguments import check_arguments, model_inputs
    from hmn_bygg.config import load_scenarios

    check_arguments(inputs=model_inputs(model))
    from hmn_bygg.engine.run import run_models
    from hmn_bygg.report.validation import validation_table

    scenarios = load_scenarios(model, None, [scenario])
    ds = run_models(scenarios, prices="nominal")
    table = validation_table(ds, scenarios[scenario], scenario)
    if as_json:
        typer.echo(table.to_json(orient="records", force_ascii=False, indent=2))
        return
    typer.echo(f"Validering mot offentlige tall, scenario {scenario} (løpende kroner):")
    typer.echo(validation_text(table))
    checked = table[table["check"] & table["history"]]
    bad = checked[checked["within"] == False]  # noqa: E712
    typer.echo(f"{len(checked) - len(bad)} av {len(checked)} kontrollerte historiske tall "
               "ligger innenfor toleransen.")  # fmt: skip


@app.command("plan-vs-outcome")
def plan_vs_outcome_cmd(
    model: ModelOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the table as JSON.")] = False,
) -> None:
    """The 2018 plan (scenario plan_2018) beside what happened (scenario today, the record)."""
    from hmn_bygg.cli.arguments import check_arguments, model_inputs
    from hmn_bygg.config import load_scenarios

    check_arguments(inputs=model_inputs(model))
    from hmn_bygg.engine.run import run_models
    from hmn_bygg.report.validation import plan_vs_outcome

    scenarios = load_scenarios(model, None, ["today", "plan_2018"])
    ds = run_models(scenarios, prices="nominal")
    table = plan_vs_outcome(ds, scenarios["plan_2018"], scenarios["today"])
    if as_json:
        typer.echo(json.dumps(json.loads(table.to_json(orient="records", force_ascii=False)),
                              ensure_ascii=False, indent=2))  # fmt: skip
        return
    typer.echo("Plan fra 2018 mot utfall:")
    for r in table.itertuples():
        unit = "year" if r.unit in ("år",) else r.unit
        plan, outcome = _fmt(float(r.plan), unit), _fmt(float(r.outcome), unit)
        typer.echo(f"  {r.item:<38} {plan:>10} {outcome:>10} "
                   f"{_fmt(float(r.difference), unit):>10}  {r.unit}; {r.basis}")  # fmt: skip
