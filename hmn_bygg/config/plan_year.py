"""The plan year: which years are history and which are decisions.

A model has a survey year (``model.start_year``, the register's year) and a first plan year
(``model.plan_start``). Years before the plan year are history: known actuals are used
(``models/actuals.yaml``), the rest is simulated and marked so. No decision lever (an override
``from:`` a year, a disposal a scenario chooses, a solver's answer, carrying capacity) may act
before the plan year; this module names the ones that try.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hmn_bygg.config.sections import Model

__all__ = ["disposal_year_problems", "plan_start_problem"]


def disposal_year_problems(model: Model) -> list[tuple[str, str, str, str]]:
    """Return the disposals a model chooses for a fixed year before its plan year.

    Disposals that follow a project's opening (``after_opening``) and the register's own
    planned years are the record or the plan of their time and are not checked.

    Parameters
    ----------
    model : Model
        A validated model.

    Returns
    -------
    list of (key, message, expected, found)
        One entry per early disposal; empty when none.
    """
    plan = model.model.first_plan_year
    out = []
    for where, which, at in model.portfolio.disposals.timed():
        year = getattr(at, "year", None)
        if year is not None and int(year) < plan:
            out.append(
                (
                    f"portfolio.disposals.{where}",
                    f"the disposal of {which} is chosen for a year before the plan year "
                    "(model.plan_start); years before it are history",
                    f"a year {plan} or later",
                    str(year),
                )
            )
    return out


def plan_start_problem(model: Model, year: int, option: str, where: str = "command line"):
    """Return a :class:`~hmn_bygg.core.errors.Problem` when a decision starts before the plan
    year, else ``None``.

    Parameters
    ----------
    model : Model
        The scenario.
    year : int
        First year of the decision [year].
    option : str
        The option or key that asked for it (e.g. ``--from``), named in the message.
    where : str
        The file or place named in the message.
    """
    from hmn_bygg.core.errors import Problem

    plan = model.model.first_plan_year
    if int(year) >= plan:
        return None
    return Problem(
        where,
        f"a decision cannot start before the plan year {plan} (model.plan_start): the years "
        f"before it are history; use {option} {plan} or later, or move the plan year with "
        "--plan-start",
        column=option,
        expected=f"{plan} or later",
        found=str(year),
    )
