"""``hmn-bygg solve plan``: print a solved plan and the engine's check of it.

The words come from the catalogue (:mod:`hmn_bygg.cli.texts`), in bokmål or English; the
plan's own names (constraints, actions) are translated through the ``plan_*`` messages.
"""

from __future__ import annotations

from typing import Any

import typer

from hmn_bygg.cli.texts import say
from hmn_bygg.core.fmt import Lang, fmt_number

_WORDS = {
    "credit line": "plan_credit_line",
    "grade": "plan_grade",
    "area": "plan_area",
    "dispose": "plan_dispose",
    "upgrade": "plan_upgrade",
    "MNOK of credit line": "plan_per_credit",
}
"""Catalogue key of each constraint, action and shadow-price unit the plan names."""
_STEPS = {"0,01 TG of target": ("plan_per_grade", 0.01, 2), "1 000 m² of target":
          ("plan_per_area", 1000.0, 0)}  # fmt: skip
"""Shadow-price units with a step: catalogue key, step and its decimals."""


def plan_word(name: str, lang: Lang) -> str:
    """The plan's name of a constraint, action or unit in ``lang`` (unknown names unchanged)."""
    if name in _STEPS:
        key, step, decimals = _STEPS[name]
        return say(key, lang, step=fmt_number(step, decimals, lang))
    return say(_WORDS[name], lang) if name in _WORDS else name


def print_plan(sol: Any, check: dict, errors: list[float], goal: Any, lang: Lang) -> None:
    """Print a solved plan and the engine's check in ``lang`` (``"nb"`` or ``"en"``).

    Parameters
    ----------
    sol : hmn_bygg.solve.plan_model.PlanSolution
        The plan.
    check : dict
        The engine's simulation of it (:func:`hmn_bygg.solve.plan_verify.solve_verified`).
    errors : list of float
        Linearisation error in VTTG per round [TG].
    goal : hmn_bygg.solve.plan_model.Targets
        The targets.
    lang : {"nb", "en"}
        Language.
    """

    def num(value: float, decimals: int) -> str:
        return fmt_number(value, decimals, lang)

    typer.echo(say("plan_head", lang, status=sol.status, termination=sol.termination,
                   gap=num(100 * (sol.mip_gap or 0.0), 3)))  # fmt: skip
    if sol.cost_mnok is None:
        typer.echo("  " + say("plan_none", lang))
        return
    typer.echo("  " + say("plan_cost", lang, cost=num(sol.cost_mnok, 0)))
    if sol.shortfalls:
        typer.echo("  " + say("plan_infeasible", lang))
        for s in sol.shortfalls:
            typer.echo(f"    {plan_word(s['constraint'], lang)} {s['hf']} {s['year']}: "
                       f"{num(s['by'], 2)} {s['unit']}")  # fmt: skip
    for a in sol.actions:
        typer.echo(f"  {a['year']} {a['hf']} {plan_word(a['action'], lang):10} "
                   f"{a['building']:14} " + say("plan_action", lang, area=num(a["area_m2"], 0),
                   grade=num(a["grade"], 2), cash=num(a["cash_mnok"], 1)))  # fmt: skip
    for i, hf in enumerate(sol.hfs):
        row = " ".join(num(v, 0) for v in sol.budget_mnok[i])
        typer.echo("  " + say("plan_budget", lang, hf=hf, first=sol.years[0],
                              last=sol.years[-1], row=row))  # fmt: skip
    short = {(s["constraint"], s["hf"], s["year"]) for s in sol.shortfalls}
    for p in sol.shadow_prices:
        if (p["constraint"], p["hf"], p["year"]) not in short:
            typer.echo("  " + say("plan_shadow", lang, what=plan_word(p["constraint"], lang),
                                  hf=p["hf"], year=p["year"], saving=num(p["saving_mnok"], 3),
                                  per=plan_word(p["per"], lang)))  # fmt: skip
    typer.echo("  " + say("plan_check", lang))
    at = sol.years.index(goal.by)
    typer.echo(
        "    "
        + say(
            "plan_check_vttg",
            lang,
            by=goal.by,
            vttg=num(check["vttg"][at], 3),
            last=sol.years[-1],
            largest=num(max(check["vttg"][at:]), 3),
        )
    )
    errors_text = ", ".join(num(e, 3) for e in errors)
    typer.echo("    " + say("plan_lin_error", lang, errors=errors_text))
    for b in check["liquidity_breaches"]:
        typer.echo(
            "    "
            + say(
                "plan_breach",
                lang,
                hf=b["hf"],
                year=b["year"],
                below=num(b["below_mnok"], 1),
                stated=num(b["stated_mnok"], 1),
            )
        )
    for name, c in check["present_cost"].items():
        meets = say("word_yes" if c["meets"] else "word_no", lang)
        typer.echo("    " + say("plan_pv", lang, name=name, cost=num(c["mnok"], 0), meets=meets))
    met = say("word_yes" if check["targets_met"] else "word_no_caps", lang)
    typer.echo("    " + say("plan_met", lang, answer=met))
    if not check.get("consistent", True):
        typer.echo("  " + say("plan_inconsistent", lang))
