"""``solve budget --probability`` and ``solve capacity --probability``: arguments and output.

The answers come from :mod:`hmn_bygg.solve.probability`; this module refuses bad arguments in
one line naming the option and prints the answers in the command line's language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import typer

from hmn_bygg.cli.texts import say
from hmn_bygg.core.fmt import Lang, fmt_number

if TYPE_CHECKING:
    from hmn_bygg.config import Model
    from hmn_bygg.solve.probability import ProbableBudget
    from hmn_bygg.solve.probable_capacity import ProbableCapacity


def check_probability_arguments(probability: float | None, draws: int, seed: int) -> None:
    """Refuse, before any work, a probability outside (0, 1), too few or too many draws and a
    bad seed (:class:`hmn_bygg.cli.arguments.ArgumentError`: one line per argument)."""
    from hmn_bygg.cli.arguments import ArgumentError, check_arguments
    from hmn_bygg.core.limits import draws_problem
    from hmn_bygg.solve.probability import check_probability

    problems = []
    if probability is not None:
        problem = check_probability(probability)
        if problem is not None:
            problems.append(problem)
    too_many = draws_problem(draws) if draws >= 1 else None
    if too_many is not None:
        problems.append(too_many)
    try:
        check_arguments(seeds={"--seed": seed}, counts={"--draws": (draws, 1)})
    except ArgumentError as err:
        problems += err.problems
    if problems:
        raise ArgumentError(problems)  # shown one line per argument, without a title


def _share(p: float, se: float, lang: Lang) -> str:
    """``90,3 % (standardfeil 0,9 prosentpoeng, ...)`` or the English."""
    return say("share_of_draws", lang, pct=fmt_number(100 * p, 1, lang),
               se=fmt_number(100 * se, 1, lang))  # fmt: skip


def budget_goal(goal: str, target: float, by: int, lang: Lang) -> str:
    """``holde dagens VTTG ut 2035`` / ``nå VTTG 1,20 innen 2035`` (or the English)."""
    if goal == "hold":
        return say("budget_goal_hold", lang, by=by)
    return say("budget_goal_target", lang, target=fmt_number(target, 2, lang), by=by)


def budget_who(entity: str, lang: Lang) -> str:
    """``regionen`` / ``the region`` or the HF's code."""
    return say("region", lang) if entity == "region" else entity


def print_probable_budget(
    answer: ProbableBudget,
    chosen: Model,
    scenario: str,
    kroner_lines: Callable[[float, float, int, Model, Lang], list[str]],
    lang: Lang,
) -> None:
    """Print a budget solved with a probability in ``lang`` (``"nb"`` or ``"en"``)."""
    typer.echo(say("prob_budget_head", lang,
                   goal=budget_goal(answer.goal, answer.target, answer.by, lang),
                   pct=fmt_number(100 * answer.probability, 1, lang),
                   who=budget_who(answer.entity, lang), scenario=scenario,
                   draws=answer.draws, seed=answer.seed))  # fmt: skip
    share = _share(answer.achieved, answer.achieved_se, lang)
    if answer.budget_mnok is None:
        typer.echo(
            "  "
            + say(
                "prob_budget_impossible",
                lang,
                share=share,
                cap=fmt_number(answer.cap_mnok, 0, lang),
                year=answer.from_year,
            )
        )
        return
    lines = kroner_lines(answer.budget_mnok, answer.today_mnok, answer.from_year, chosen, lang)
    for line in lines:
        typer.echo(line)
    typer.echo("  " + say("prob_budget_share", lang, share=share))


def capacity_amount(value: float, year: int, prices: str, lang: Lang) -> str:
    """``2 251 MNOK i alt, betalt i 2030 (løpende kroner (nominal))``, or unbounded."""
    from hmn_bygg.finance.price_basis import basis_label

    if value == float("inf"):
        return say("capacity_unbounded", lang)
    return say("capacity_total", lang, amount=fmt_number(value, 0, lang), year=year,
               basis=basis_label(prices, lang))  # fmt: skip


def print_probable_capacity(answer: ProbableCapacity, prices: str, lang: Lang) -> None:
    """Print an investment room solved with a probability in ``lang``.

    ``prices`` is the results' price basis (``nominal`` or ``real:YYYY``).
    """
    typer.echo(say("prob_capacity_head", lang, hf=answer.hf, year=answer.year,
                   pct=fmt_number(100 * answer.probability, 1, lang), scenario=answer.scenario,
                   draws=answer.draws, seed=answer.seed))  # fmt: skip
    share = _share(answer.achieved, answer.achieved_se, lang)
    if answer.capacity_mnok is None:
        typer.echo("  " + say("prob_capacity_none", lang, share=share, year=answer.year))
        return
    typer.echo(f"  {capacity_amount(answer.capacity_mnok, answer.year, prices, lang)}.")
    typer.echo("  " + say("prob_capacity_share", lang, share=share))
    if answer.already_breached > 0:
        typer.echo("  " + say("prob_capacity_breached", lang, year=answer.year,
                              pct=fmt_number(100 * answer.already_breached, 1, lang)))  # fmt: skip
