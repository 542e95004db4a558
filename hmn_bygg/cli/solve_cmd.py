"""``hmn-bygg solve ...``: inverse questions (budget for a grade target; more in other modules)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hmn_bygg.cli.app import app, group_settings
from hmn_bygg.cli.arguments import decimal
from hmn_bygg.core.fmt import fmt_number

if TYPE_CHECKING:
    from hmn_bygg.solve.budget import BudgetSolution

solve_app = typer.Typer(
    help="Inverse questions: the budget for a grade target, disposals for an area target, "
    "carrying capacity.",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings=group_settings(),
)
app.add_typer(solve_app, name="solve")


@solve_app.command("budget")
def solve_budget_cmd(
    target: Annotated[
        float | None,
        typer.Option(help="VTTG target [TG], 1,2 or 1.2; default the model's.", parser=decimal),
    ] = None,
    by: Annotated[int, typer.Option(help="Year by which the target must be met.")] = 2035,
    hf: Annotated[
        str | None, typer.Option("--hf", help="An HF code (e.g. HMR); default the region.")
    ] = None,
    hold: Annotated[
        bool, typer.Option("--hold", help="Budget that holds today's grade up to --by.")
    ] = False,
    from_year: Annotated[
        int | None,
        typer.Option("--from", help="First year of the constant budget (default: the plan year)."),
    ] = None,
    plan_start: Annotated[
        int | None,
        typer.Option("--plan-start", help="First plan year (default model.plan_start, 2027)."),
    ] = None,
    scenario: Annotated[
        str, typer.Option(help="Scenario whose other assumptions apply.")
    ] = "today",
    model: Annotated[
        Path | None, typer.Option(help="Model file (default models/hmn.yaml).")
    ] = None,
    cap: Annotated[
        float, typer.Option(help="Largest annual budget to try [MNOK/year].", parser=decimal)
    ] = 3000.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer as JSON.")] = False,
    as_override: Annotated[
        str | None,
        typer.Option(
            "--as-override",
            metavar="NAME",
            help="Print the answer as an override named NAME for models/scenarios.yaml.",
        ),
    ] = None,
) -> None:
    """Smallest constant annual maintenance budget that brings VTTG to the target by a year."""
    from hmn_bygg.cli.arguments import check_arguments, model_inputs
    from hmn_bygg.config import load_scenarios
    from hmn_bygg.solve.budget import solve_budget

    check_arguments(
        inputs=model_inputs(model),
        numbers={"--cap": (cap, 0.0, 1e6)},
    )

    chosen = load_scenarios(model, None, [scenario], plan_start=plan_start)[scenario]
    sol = solve_budget(
        chosen,
        target=target,
        by=by,
        entity=hf or "region",
        goal="hold" if hold else "target",
        from_year=from_year,
        cap_mnok=cap,
    )
    if as_json:
        typer.echo(json.dumps(sol.as_dict(), ensure_ascii=False, indent=2))
        return
    if as_override is not None and sol.budget_mnok is not None:
        command = f"hmn-bygg solve budget --target {sol.target:g} --by {sol.by}"
        command += f" --scenario {scenario}" + (f" --hf {hf}" if hf else "")
        typer.echo(override_yaml(as_override, sol, command))
        return
    who = "regionen" if sol.entity == "region" else sol.entity
    goal = (
        f"holde dagens VTTG ut {sol.by}"
        if sol.goal == "hold"
        else f"nå VTTG {fmt_number(sol.target, 2)} innen {sol.by}"
    )
    typer.echo(f"Vedlikeholdsbudsjett for å {goal} ({who}, scenario {scenario}):")
    if sol.budget_mnok is None:
        typer.echo(
            f"  Ikke mulig med inntil {fmt_number(sol.cap_mnok)} MNOK/år fra {sol.from_year}: "
            f"VTTG i {sol.by} blir {fmt_number(sol.vttg_by, 2)} selv da."
        )
        raise typer.Exit(0)
    import numpy as np

    from hmn_bygg.finance.price_basis import factor, index_for

    kroner = chosen.maintenance.budget_mnok.price_year
    typer.echo(
        f"  {fmt_number(sol.budget_mnok, 1)} MNOK/år fra {sol.from_year}, i {kroner}-kroner "
        f"(dagens nivå {fmt_number(sol.today_mnok, 1)} MNOK/år)."
    )
    if kroner not in (None, "nominal"):
        f = float(factor(index_for(chosen), "construction", kroner, np.array([sol.from_year]))[0])
        typer.echo(
            f"  Det er om lag {fmt_number(sol.budget_mnok * f, 0)} MNOK/år i "
            f"{sol.from_year}-kroner (byggekostnadsindeksen, models/price_index.yaml)."
        )
    typer.echo(f"  VTTG i {sol.by}: {fmt_number(sol.vttg_by, 3)}.")
    if sol.first_year_met is not None:
        typer.echo(f"  Målet nås første gang i {sol.first_year_met}.")


def override_yaml(name: str, sol: BudgetSolution, command: str) -> str:
    """Return a solved budget as an override block to paste under ``overrides:``.

    Each HF's budget is rounded up to 0,1 MNOK/yr, so the pasted scenario still meets the goal.
    """
    import datetime as dt
    import math

    import yaml

    total = fmt_number(sol.budget_mnok, 1)
    who = "the region, split by floor area" if sol.entity == "region" else sol.entity
    source = f"computed by `{command}` on {dt.date.today():%Y-%m-%d}: {total} MNOK/yr for {who}"
    block = {}
    for key, value in sol.overrides.items():
        if key.startswith("maintenance.budget_mnok."):
            value = {**value, "value": math.ceil(round(value["value"] * 10, 6)) / 10}
        block[key] = {**value, "source": source}
    text = yaml.safe_dump({name: block}, allow_unicode=True, sort_keys=False, width=88)
    return "\n".join("  " + line for line in text.splitlines())
