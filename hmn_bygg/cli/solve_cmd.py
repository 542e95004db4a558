"""``hmn-bygg solve ...``: inverse questions (budget for a grade target; more in other modules)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

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
    probability: Annotated[
        float | None,
        typer.Option(
            help="Reach the target in at least this share of Monte Carlo draws (e.g. 0,9).",
            parser=decimal,
        ),
    ] = None,
    draws: Annotated[int, typer.Option(help="Monte Carlo draws with --probability.")] = 1000,
    seed: Annotated[int, typer.Option(help="Seed of the draws with --probability.")] = 2018,
) -> None:
    """Smallest constant annual maintenance budget that brings VTTG to the target by a year."""
    from hmn_bygg.cli.arguments import check_arguments, model_inputs
    from hmn_bygg.cli.solve_probability_out import check_probability_arguments
    from hmn_bygg.config import load_scenarios
    from hmn_bygg.solve.budget import solve_budget

    check_arguments(
        inputs=model_inputs(model),
        numbers={"--cap": (cap, 0.0, 1e6)},
    )
    check_probability_arguments(probability, draws, seed)

    chosen = load_scenarios(model, None, [scenario], plan_start=plan_start)[scenario]
    question: dict[str, Any] = dict(
        target=target,
        by=by,
        entity=hf or "region",
        goal="hold" if hold else "target",
        from_year=from_year,
        cap_mnok=cap,
    )
    if probability is not None:
        from hmn_bygg.cli.solve_probability_out import print_probable_budget
        from hmn_bygg.risk.ensemble import run_ensemble
        from hmn_bygg.solve.probability import solve_budget_probability

        answer = solve_budget_probability(
            chosen, probability=probability, draws=draws, seed=seed, ensemble=run_ensemble,
            **question,
        )  # fmt: skip
        if as_json:
            typer.echo(json.dumps(answer.as_dict(), ensure_ascii=False, indent=2))
        elif as_override is not None and answer.budget_mnok is not None:
            command = (
                f"hmn-bygg solve budget --target {answer.target:g} --by {answer.by} "
                f"--probability {probability:g} --draws {draws} --seed {seed} "
                f"--scenario {scenario}" + (f" --hf {hf}" if hf else "")
            )
            typer.echo(override_yaml(as_override, answer, command))  # type: ignore[arg-type]
        else:
            print_probable_budget(answer, chosen, scenario, kroner_lines)
        return
    sol = solve_budget(chosen, **question)
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
    for line in kroner_lines(sol.budget_mnok, sol.today_mnok, sol.from_year, chosen):
        typer.echo(line)
    typer.echo(f"  VTTG i {sol.by}: {fmt_number(sol.vttg_by, 3)}.")
    if sol.first_year_met is not None:
        typer.echo(f"  Målet nås første gang i {sol.first_year_met}.")


def kroner_lines(budget_mnok: float, today_mnok: float, from_year: int, chosen) -> list[str]:
    """The solved budget in the budget's price year and, for fixed prices, in the first
    year's kroner (bokmål lines for ``solve budget``)."""
    import numpy as np

    from hmn_bygg.finance.price_basis import factor, index_for

    kroner = chosen.maintenance.budget_mnok.price_year
    lines = [
        f"  {fmt_number(budget_mnok, 1)} MNOK/år fra {from_year}, i {kroner}-kroner "
        f"(dagens nivå {fmt_number(today_mnok, 1)} MNOK/år)."
    ]
    if kroner not in (None, "nominal"):
        f = float(factor(index_for(chosen), "construction", kroner, np.array([from_year]))[0])
        lines.append(
            f"  Det er om lag {fmt_number(budget_mnok * f, 0)} MNOK/år i "
            f"{from_year}-kroner (byggekostnadsindeksen, models/price_index.yaml)."
        )
    return lines


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


@solve_app.command("plan")
def solve_plan_cmd(
    target: Annotated[
        float | None, typer.Option(help="VTTG target [TG]; default the model's (1,2).")
    ] = None,
    by: Annotated[int, typer.Option(help="Year from which VTTG must be at the target.")] = 2035,
    area: Annotated[
        float | None, typer.Option(help="Area target [m²]; default the model's (650 000).")
    ] = None,
    area_by: Annotated[int, typer.Option(help="Year from which the area target holds.")] = 2032,
    scenario: Annotated[str, typer.Option(help="Scenario the plan starts from.")] = "today",
    model: Annotated[
        Path | None, typer.Option(help="Model file (default models/hmn.yaml).")
    ] = None,
    options: Annotated[
        Path | None, typer.Option(help="Plan options (default models/solve_plan.yaml).")
    ] = None,
    time_limit: Annotated[
        float | None, typer.Option(help="Solver time limit [s] (default from the options).")
    ] = None,
    gap: Annotated[
        float | None, typer.Option(help="Relative MIP gap (default from the options, 0.01).")
    ] = None,
    grade_weight: Annotated[
        float,
        typer.Option(help="MNOK the plan may spend for each 0,01 TG lower VTTG in a year."),
    ] = 0.0,
    budget: Annotated[
        float | None,
        typer.Option(help="Present value the plan may spend at most [MNOK]."),
    ] = None,
    rounds: Annotated[int, typer.Option(help="Rounds of solve, simulate and linearise again.")] = 6,
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer as JSON.")] = False,
    as_override: Annotated[
        str | None,
        typer.Option(
            "--as-override",
            metavar="NAME",
            help="Print the plan as an override named NAME for models/scenarios.yaml.",
        ),
    ] = None,
) -> None:
    """Cheapest plan of maintenance, upgrades and disposals under every HF's credit line."""
    from hmn_bygg.cli.arguments import check_arguments, model_inputs
    from hmn_bygg.config import load_scenarios
    from hmn_bygg.solve.plan_model import Targets
    from hmn_bygg.solve.plan_options import load_plan_options
    from hmn_bygg.solve.plan_override import overrides_yaml
    from hmn_bygg.solve.plan_verify import solve_verified

    check_arguments(
        inputs=model_inputs(model) | ({"--options": options} if options else {}),
        numbers={
            "--rounds": (rounds, 1, 20),
            "--grade-weight": (grade_weight, 0.0, 1e6),
            "--target": (target, 0.0, 3.0),
            "--area": (area, 0.0, 1e8),
            "--time-limit": (time_limit, 1.0, 86_400.0),
            "--gap": (gap, 0.0, 1.0),
            "--budget": (budget, 0.0, 1e7),
        },
    )
    opts = load_plan_options(options).with_(time_limit_s=time_limit, mip_gap=gap)
    every = load_scenarios(model, None, None)
    chosen = (
        every[scenario] if scenario in every else load_scenarios(model, None, [scenario])[scenario]
    )
    tg = chosen.model.targets
    goal = Targets(
        vttg=float(tg.vttg_target.value if target is None else target),
        by=by,
        area_m2=float(tg.area_target_m2.value if area is None else area),
        area_by=area_by,
        discount_rate=float(chosen.finance.discount_rate.value),
        grade_weight=grade_weight,
        budget_mnok=budget,
    )
    sol, check, errors = solve_verified(chosen, goal, opts, rounds=rounds, others=every)
    if as_json:
        typer.echo(
            json.dumps(
                {"plan": sol.as_dict(), "engine": check, "grade_error_by_round": errors},
                ensure_ascii=False,
                indent=2,
            )
        )
        raise typer.Exit(0 if check.get("targets_met") else 1)
    if as_override is not None:
        command = f"hmn-bygg solve plan --target {goal.vttg:g} --by {by} --area {goal.area_m2:g}"
        command += f" --area-by {area_by} --scenario {scenario}"
        src = f"computed by `{command}`" + (
            "" if sol.feasible else " (targets NOT met, see --json)"
        )
        over = {k: {**v, "source": src} for k, v in sol.overrides.items()}
        typer.echo(overrides_yaml(as_override, over))
        return
    _print_plan(sol, check, errors, goal)
    if sol.cost_mnok is None or not check.get("targets_met", False):
        raise typer.Exit(1)


_NB = {
    "credit line": "kredittramme",
    "grade": "VTTG",
    "area": "areal",
    "dispose": "avhend",
    "upgrade": "oppgrader",
    "MNOK of credit line": "MNOK mer kredittramme",
    "0,01 TG of target": "0,01 TG høyere mål",
    "1 000 m² of target": "1 000 m² høyere mål",
}


def _print_plan(sol, check: dict, errors: list[float], goal) -> None:
    """Print a solved plan and the engine's check in bokmål."""
    typer.echo(
        f"Beste plan: løser {sol.status}/{sol.termination}, MIP-gap "
        f"{fmt_number(100 * (sol.mip_gap or 0.0), 3)} %."
    )
    if sol.cost_mnok is None:
        typer.echo("  Ingen plan funnet innen tidsgrensen.")
        return
    typer.echo(
        f"  Nåverdi av planens penger (optimererens mål): {fmt_number(sol.cost_mnok, 0)} MNOK."
    )
    if sol.shortfalls:
        typer.echo("  Målene kan IKKE nås innenfor rammene; minste lempning som trengs:")
        for s in sol.shortfalls:
            typer.echo(
                f"    {_NB[s['constraint']]} {s['hf']} {s['year']}: "
                f"{fmt_number(s['by'], 2)} {s['unit']}"
            )
    for a in sol.actions:
        typer.echo(
            f"  {a['year']} {a['hf']} {_NB[a['action']]:10} {a['building']:14} "
            f"{fmt_number(a['area_m2'])} m², TG {fmt_number(a['grade'], 2)}, "
            f"kontant {fmt_number(a['cash_mnok'], 1)} MNOK"
        )
    for i, hf in enumerate(sol.hfs):
        row = " ".join(fmt_number(v, 0) for v in sol.budget_mnok[i])
        typer.echo(f"  Vedlikehold {hf} {sol.years[0]}–{sol.years[-1]} [MNOK]: {row}")
    short = {(s["constraint"], s["hf"], s["year"]) for s in sol.shortfalls}
    for p in sol.shadow_prices:
        if (p["constraint"], p["hf"], p["year"]) not in short:
            typer.echo(
                f"  Skyggepris {_NB[p['constraint']]} {p['hf']} {p['year']}: planen blir "
                f"{fmt_number(p['saving_mnok'], 3)} MNOK billigere per {_NB[p['per']]}"
            )
    typer.echo("  Motorens kontroll (planen simulert som scenario):")
    typer.echo(
        f"    VTTG {goal.by}: {fmt_number(check['vttg'][sol.years.index(goal.by)], 3)}; "
        f"største VTTG {goal.by}–{sol.years[-1]}: "
        f"{fmt_number(max(check['vttg'][sol.years.index(goal.by) :]), 3)}"
    )
    typer.echo(
        "    Lineariseringsfeil i VTTG per runde: " + ", ".join(fmt_number(e, 3) for e in errors)
    )
    for b in check["liquidity_breaches"]:
        typer.echo(
            f"    {b['hf']} {b['year']}: {fmt_number(b['below_mnok'], 1)} MNOK under "
            f"kredittrammen (oppgitt mangel {fmt_number(b['stated_mnok'], 1)})"
        )
    for name, c in check["present_cost"].items():
        typer.echo(
            f"    Nåverdi {name}: {fmt_number(c['mnok'], 0)} MNOK, "
            f"når målene: {'ja' if c['meets'] else 'nei'}"
        )
    typer.echo("    Målene nådd i simuleringen: " + ("ja" if check["targets_met"] else "NEI"))
    if not check.get("consistent", True):
        typer.echo("  FEIL: i simuleringen er et HF lenger under kredittrammen enn optimereren "
                   "oppga; planen kan ikke brukes.")  # fmt: skip
