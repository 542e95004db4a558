"""``hmn-bygg solve disposals`` and ``hmn-bygg solve capacity``: area target and liquidity room.

Thin commands over :func:`hmn_bygg.stock.plan.propose_disposals` (the disposal planner
of :mod:`hmn_bygg.stock.portfolio`) and :func:`hmn_bygg.finance.ltb.capacity` (carrying capacity of
:mod:`hmn_bygg.finance.cash`). Output in bokmål with Norwegian number formats, or JSON.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated

import typer

from hmn_bygg.cli.arguments import decimal
from hmn_bygg.cli.solve_cmd import solve_app
from hmn_bygg.core.fmt import fmt_number

ModelOpt = Annotated[Path | None, typer.Option()]
ScenarioOpt = Annotated[str, typer.Option()]
JsonOpt = Annotated[bool, typer.Option("--json")]


def _run_one(model: Path | None, scenario: str):
    from hmn_bygg.config import load_scenarios
    from hmn_bygg.engine.run import register_for, run_models
    from hmn_bygg.stock import plan as scenario_portfolio

    chosen = load_scenarios(model, None, [scenario])
    register = scenario_portfolio.with_new_buildings(register_for(chosen), chosen)
    return chosen[scenario], register, run_models(chosen, register)


@solve_app.command("disposals")
def solve_disposals_cmd(
    target_area: Annotated[float | None, typer.Option(parser=decimal)] = None,
    by: Annotated[int, typer.Option()] = 2030,
    scenario: ScenarioOpt = "today",
    pin: Annotated[list[str] | None, typer.Option("--pin")] = None,
    allow_use: Annotated[list[str] | None, typer.Option("--allow-use")] = None,
    min_grade: Annotated[float | None, typer.Option(parser=decimal)] = None,
    model: ModelOpt = None,
    as_json: JsonOpt = False,
) -> None:
    # help and --help: "solve disposals" in texts.yaml
    from hmn_bygg.cli.arguments import check_arguments, model_inputs
    from hmn_bygg.config.plan_year import plan_start_problem
    from hmn_bygg.core.errors import InputError
    from hmn_bygg.core.messages import Msg
    from hmn_bygg.solve.plan_options import load_plan_options
    from hmn_bygg.stock.plan import propose_disposals

    numbers = {"--target-area": (target_area, 0, 1e9), "--min-grade": (min_grade, 0, 3)}
    check_arguments(inputs=model_inputs(model), numbers=numbers)
    options = load_plan_options()
    protected = _protected_uses(options.protected_uses, allow_use or [])
    lowest = options.dispose_min_grade if min_grade is None else min_grade

    chosen, register, ds = _run_one(model, scenario)
    early = plan_start_problem(chosen, by, "--by")
    if early is not None and by > chosen.model.start_year:  # outside the horizon: said below
        raise InputError([early], title=Msg("stock.disposal_question_invalid"))
    target = target_area if target_area is not None else chosen.model.targets.area_target_m2.value
    plan = propose_disposals(
        ds, register, chosen, scenario=scenario, target_m2=target, by_year=by,
        pinned=set(pin or []), protected_uses=protected, min_grade=lowest,
    )  # fmt: skip
    from hmn_bygg.cli.disposals_text import proposal_reason, verdict
    from hmn_bygg.cli.texts import cli_lang, say

    lang = cli_lang()
    if as_json:
        rows = [
            {
                "building_id": str(bid),
                "name": row["name"],
                "hf": row["hf"],
                "site": row["site"],
                "floor_area": float(row["floor_area"]),
                "area_after": float(row["area_after"]),
                "use": row["use"],
                "score": float(row["score"]),
                "score_components": {
                    k[len("score_") :]: float(row[k]) for k in row.index if k.startswith("score_")
                },
                "reason": proposal_reason(row, lang),
            }
            for bid, row in plan.iterrows()
        ]
        out = {k: plan.attrs[k] for k in ("target_m2", "by_year", "area_before", "remaining_gap")}
        out |= {"target_reached": bool(plan.attrs["target_reached"]), "proposals": rows}
        out["message"] = verdict(plan, lang)
        out |= {k: plan.attrs[k] for k in ("weights", "protected_uses", "min_grade")}
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    before = fmt_number(plan.attrs["area_before"], 0, lang)
    typer.echo(say("disposals_head", lang, target=fmt_number(target, 0, lang), by=by,
                   scenario=scenario, before=before))  # fmt: skip
    uses = ", ".join(sorted(protected)) or "–"
    typer.echo(say("disposals_protected", lang, uses=uses, grade=fmt_number(lowest, 1, lang)))
    for bid, row in plan.iterrows():
        area = fmt_number(row["floor_area"], 0, lang)
        after = fmt_number(row["area_after"], 0, lang)
        where = f"  {bid}  {row['name']} ({row['hf']}, {row['site']}): "
        typer.echo(where + say("disposals_row", lang, area=area, after=after)
                   + " — " + proposal_reason(row, lang))  # fmt: skip
    met = plan.attrs["target_reached"] and plan.attrs["area_before"] > plan.attrs["target_m2"]
    typer.echo((say("disposals_reached", lang) + " " if met else "") + verdict(plan, lang))


def _protected_uses(protected_uses: tuple[str, ...], allowed: list[str]) -> frozenset[str]:
    """The uses the model protects (``models/solve_plan.yaml``) less those ``--allow-use`` names."""
    from hmn_bygg.cli.arguments import ArgumentError
    from hmn_bygg.config import USES
    from hmn_bygg.core.errors import Problem
    from hmn_bygg.core.messages import Msg

    protected = set(protected_uses)
    wrong = [u for u in allowed if u not in USES]
    if wrong:
        uses = Msg("stock.one_of", choices=list(USES))
        problems = [
            Problem("--allow-use", Msg("cli.unknown_use"), expected=uses, found=u) for u in wrong
        ]
        raise ArgumentError(problems)  # shown one line per argument, without a title
    return frozenset(protected - set(allowed))


@solve_app.command("capacity")
def solve_capacity_cmd(
    hf: Annotated[str, typer.Option("--hf")],
    year: Annotated[int, typer.Option()],
    scenario: ScenarioOpt = "today",
    loan_share: Annotated[float, typer.Option(parser=decimal)] = 0.0,
    model: ModelOpt = None,
    as_json: JsonOpt = False,
    probability: Annotated[float | None, typer.Option(parser=decimal)] = None,
    draws: Annotated[int, typer.Option()] = 1000,
    seed: Annotated[int, typer.Option()] = 2018,
) -> None:
    # help and --help: "solve capacity" in texts.yaml
    from hmn_bygg.cli.arguments import check_arguments, model_inputs
    from hmn_bygg.core.errors import InputError, Problem
    from hmn_bygg.core.messages import Msg
    from hmn_bygg.finance.breaches import credit_line
    from hmn_bygg.finance.ltb import capacity

    check_arguments(inputs=model_inputs(model), numbers={"--loan-share": (loan_share, 0, 1)})
    from hmn_bygg.cli.solve_probability_out import capacity_amount, check_probability_arguments
    from hmn_bygg.cli.texts import cli_lang, say

    lang = cli_lang()
    check_probability_arguments(probability, draws, seed)

    chosen, _, ds = _run_one(model, scenario)
    hfs = [str(h) for h in ds["hf"].to_numpy()]
    years = ds["year"].to_numpy()
    problems = []
    if hf not in hfs:
        hf_codes = Msg("stock.one_of", choices=hfs)
        problems.append(Problem("--hf", Msg("solve.unknown_hf"), expected=hf_codes, found=hf))
    if not years[0] <= year <= years[-1]:
        model_years = Msg("stock.years_from_to", first=str(years[0]), last=str(years[-1]))
        problems.append(Problem("--year", Msg("cli.outside_model_years"), expected=model_years,
                                found=str(year)))  # fmt: skip
    if not 0.0 <= loan_share <= 1.0:
        expected = Msg("cli.zero_to_one")
        problems.append(Problem("--loan-share", Msg("solve.out_of_range"), expected=expected,
                                found=f"{loan_share:g}"))  # fmt: skip
    if problems:
        raise InputError(problems, title=Msg("solve.capacity_invalid"))
    if probability is not None:
        from hmn_bygg.cli.solve_probability_out import print_probable_capacity
        from hmn_bygg.risk.ensemble import run_ensemble
        from hmn_bygg.solve.probable_capacity import capacity_probability

        answer = capacity_probability(chosen, scenario=scenario, hf=hf, year=year,
                                      probability=probability, loan_share=loan_share,
                                      draws=draws, seed=seed, ensemble=run_ensemble)  # fmt: skip
        if as_json:
            typer.echo(json.dumps(answer.as_dict(), ensure_ascii=False, indent=2))
        else:
            print_probable_capacity(answer, str(ds.attrs.get("prices", "nominal")), lang)
        return
    value = capacity(ds, chosen, scenario=scenario, hf=hf, year=year, loan_share=loan_share)
    breach = ds["first_year_credit_breach"].sel(scenario=scenario, hf=hf)
    if as_json:
        out = {
            "hf": hf,
            "year": year,
            "scenario": scenario,
            "loan_share": loan_share,
            "capacity_mnok": None if math.isinf(value) else value,
            "unbounded": math.isinf(value),
            "credit_limit_mnok": float(credit_line(ds).sel(scenario=scenario, hf=hf, year=year)),
            "first_breach_year": None if math.isnan(float(breach)) else int(breach),
            "prices": str(ds.attrs.get("prices", "nominal")),
        }
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    prices = str(ds.attrs.get("prices", "nominal"))
    amount = capacity_amount(value, year, prices, lang)
    typer.echo(say("capacity_head", lang, hf=hf, year=year, scenario=scenario, amount=amount))
    if not math.isnan(float(breach)):
        typer.echo("  " + say("capacity_breached", lang, year=int(breach)))
