"""``hmn-bygg solve ...``: inverse questions (budget for a grade target; more in other modules)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from hmn_bygg.cli.app import app, group_settings
from hmn_bygg.cli.arguments import decimal
from hmn_bygg.cli.texts import cli_lang, say
from hmn_bygg.core.fmt import Lang, fmt_number

if TYPE_CHECKING:
    from hmn_bygg.config import Model
    from hmn_bygg.solve.budget import BudgetSolution

solve_app = typer.Typer(
    no_args_is_help=True, rich_markup_mode=None, context_settings=group_settings()
)
app.add_typer(solve_app, name="solve")


@solve_app.command("budget")
def solve_budget_cmd(
    target: Annotated[float | None, typer.Option(parser=decimal)] = None,
    by: Annotated[int, typer.Option()] = 2035,
    hf: Annotated[str | None, typer.Option("--hf")] = None,
    hold: Annotated[bool, typer.Option("--hold")] = False,
    from_year: Annotated[int | None, typer.Option("--from")] = None,
    plan_start: Annotated[int | None, typer.Option("--plan-start")] = None,
    scenario: Annotated[str, typer.Option()] = "today",
    model: Annotated[Path | None, typer.Option()] = None,
    cap: Annotated[float, typer.Option(parser=decimal)] = 3000.0,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    as_override: Annotated[str | None, typer.Option("--as-override", metavar="NAME")] = None,
    probability: Annotated[float | None, typer.Option(parser=decimal)] = None,
    draws: Annotated[int, typer.Option()] = 1000,
    seed: Annotated[int, typer.Option()] = 2018,
) -> None:
    # help and --help: "solve budget" in texts.yaml
    from hmn_bygg.cli.arguments import check_arguments, model_inputs
    from hmn_bygg.cli.solve_probability_out import (
        budget_goal,
        budget_who,
        check_probability_arguments,
    )
    from hmn_bygg.config import load_scenarios
    from hmn_bygg.solve.budget import solve_budget

    lang = cli_lang()
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
            print_probable_budget(answer, chosen, scenario, kroner_lines, lang)
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
    typer.echo(say("budget_head", lang, goal=budget_goal(sol.goal, sol.target, sol.by, lang),
                   who=budget_who(sol.entity, lang), scenario=scenario))  # fmt: skip
    if sol.budget_mnok is None:
        typer.echo("  " + say("budget_impossible", lang, cap=fmt_number(sol.cap_mnok, 0, lang),
                              year=sol.from_year, by=sol.by,
                              vttg=fmt_number(sol.vttg_by, 2, lang)))  # fmt: skip
        raise typer.Exit(0)
    for line in kroner_lines(sol.budget_mnok, sol.today_mnok, sol.from_year, chosen, lang):
        typer.echo(line)
    typer.echo("  " + say("budget_vttg_by", lang, by=sol.by, vttg=fmt_number(sol.vttg_by, 3, lang)))
    if sol.first_year_met is not None:
        typer.echo("  " + say("budget_first_met", lang, year=sol.first_year_met))


def kroner_lines(
    budget_mnok: float, today_mnok: float, from_year: int, chosen: Model, lang: Lang
) -> list[str]:
    """The solved budget in the budget's price year and, for fixed prices, in the first
    year's kroner (the lines of ``solve budget`` in ``lang``, ``"nb"`` or ``"en"``)."""
    import numpy as np

    from hmn_bygg.finance.price_basis import factor, index_for

    kroner = chosen.maintenance.budget_mnok.price_year
    lines = ["  " + say("budget_kroner", lang, budget=fmt_number(budget_mnok, 1, lang),
                        year=from_year, kroner=kroner,
                        today=fmt_number(today_mnok, 1, lang))]  # fmt: skip
    if kroner not in (None, "nominal"):
        f = float(factor(index_for(chosen), "construction", kroner, np.array([from_year]))[0])
        lines.append("  " + say("budget_kroner_then", lang, year=from_year,
                                amount=fmt_number(budget_mnok * f, 0, lang)))  # fmt: skip
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
    target: Annotated[float | None, typer.Option()] = None,
    by: Annotated[int, typer.Option()] = 2035,
    area: Annotated[float | None, typer.Option()] = None,
    area_by: Annotated[int, typer.Option()] = 2032,
    scenario: Annotated[str, typer.Option()] = "today",
    model: Annotated[Path | None, typer.Option()] = None,
    options: Annotated[Path | None, typer.Option()] = None,
    time_limit: Annotated[float | None, typer.Option()] = None,
    gap: Annotated[float | None, typer.Option()] = None,
    grade_weight: Annotated[float, typer.Option()] = 0.0,
    budget: Annotated[float | None, typer.Option()] = None,
    rounds: Annotated[int, typer.Option()] = 6,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    as_override: Annotated[str | None, typer.Option("--as-override", metavar="NAME")] = None,
) -> None:
    # help and --help: "solve plan" in texts.yaml
    from hmn_bygg.cli.arguments import check_arguments, model_inputs
    from hmn_bygg.cli.solve_plan_out import print_plan
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
    print_plan(sol, check, errors, goal, cli_lang())
    if sol.cost_mnok is None or not check.get("targets_met", False):
        raise typer.Exit(1)
