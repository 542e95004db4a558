"""``solve budget --probability`` and ``solve capacity --probability``: arguments and output.

The answers come from :mod:`hmn_bygg.solve.probability`; this module refuses bad arguments in
one line naming the option and prints the answers in bokmål.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import typer

from hmn_bygg.core.fmt import fmt_number

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
        raise ArgumentError(problems, title="Refused before any work")


def _share(p: float, se: float) -> str:
    """``90,3 % (standardfeil 0,9 prosentpoeng)``."""
    return (
        f"{fmt_number(100 * p, 1)} % (standardfeil {fmt_number(100 * se, 1)} prosentpoeng, "
        f"√(p(1−p)/n))"
    )


def print_probable_budget(
    answer: ProbableBudget,
    chosen: Model,
    scenario: str,
    kroner_lines: Callable[[float, float, int, Model], list[str]],
) -> None:
    """Print a budget solved with a probability (bokmål)."""
    who = "regionen" if answer.entity == "region" else answer.entity
    goal = (
        f"holde dagens VTTG ut {answer.by}"
        if answer.goal == "hold"
        else f"nå VTTG {fmt_number(answer.target, 2)} innen {answer.by}"
    )
    typer.echo(
        f"Vedlikeholdsbudsjett for å {goal} med minst {fmt_number(100 * answer.probability, 1)} % "
        f"sannsynlighet ({who}, scenario {scenario}; {answer.draws} trekk, frø {answer.seed}, "
        f"de samme trekkene for hvert budsjett):"
    )
    if answer.budget_mnok is None:
        typer.echo(
            f"  Ikke mulig med inntil {fmt_number(answer.cap_mnok)} MNOK/år fra "
            f"{answer.from_year}: selv da når bare {_share(answer.achieved, answer.achieved_se)}"
            f" av trekkene målet."
        )
        return
    for line in kroner_lines(answer.budget_mnok, answer.today_mnok, answer.from_year, chosen):
        typer.echo(line)
    typer.echo(f"  Andel trekk som når målet: {_share(answer.achieved, answer.achieved_se)}.")


def print_probable_capacity(answer: ProbableCapacity, basis: str) -> None:
    """Print an investment room solved with a probability (bokmål)."""
    typer.echo(
        f"Bæreevne for {answer.hf} fra {answer.year} med minst "
        f"{fmt_number(100 * answer.probability, 1)} % sannsynlighet for å holde "
        f"kredittrammen (scenario {answer.scenario}; {answer.draws} trekk, frø {answer.seed}):"
    )
    if answer.capacity_mnok is None:
        typer.echo(
            f"  Ingen: uten ekstra investering holder bare "
            f"{_share(answer.achieved, answer.achieved_se)} av trekkene kredittrammen fra "
            f"{answer.year}."
        )
        return
    if answer.capacity_mnok == float("inf"):
        text = "ubegrenset innen horisonten (lånet forfaller etter siste modellår)"
    else:
        text = f"{fmt_number(answer.capacity_mnok, 0)} MNOK i alt, betalt i {answer.year} ({basis})"
    typer.echo(f"  {text}.")
    typer.echo(
        f"  Andel trekk som holder kredittrammen: {_share(answer.achieved, answer.achieved_se)}."
    )
    if answer.already_breached > 0:
        typer.echo(
            f"  I {fmt_number(100 * answer.already_breached, 1)} % av trekkene bryter planen "
            f"kredittrammen fra {answer.year} allerede uten ekstra investering."
        )
