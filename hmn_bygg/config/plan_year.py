"""The plan year: which years are history and which are decisions.

A model has a survey year (``model.start_year``, the register's year) and a first plan year
(``model.plan_start``). Years before the plan year are history: known actuals are used
(``models/actuals.yaml``), the rest is simulated and marked so. No decision lever (an override
``from:`` a year, a year path or a workbook cell that changes a decision item in a history year,
a disposal a scenario chooses, a solver's answer, carrying capacity) may act before the plan
year; this module names the ones that try.

The decision items (:data:`DECISION_KEYS`) are the money a board decides year by year: the
maintenance budget and its regional extra, and the ordinary investment and medical-equipment
plans. Their history years are what the model says happened (known outcomes belong in
``models/actuals.yaml``); an override may change them from the plan year on only. Named
projects are the record (their spending before the plan year is what was spent, or, in
``plan_2018``, what was planned then) and are not checked.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from hmn_bygg.core.messages import Msg, Text

if TYPE_CHECKING:
    from hmn_bygg.config.sections import Model

__all__ = [
    "DECISION_KEYS",
    "decision_problems",
    "disposal_year_problems",
    "plan_start_problem",
    "plan_year_problems",
]

DECISION_KEYS: dict[str, int] = {
    "maintenance.budget_mnok": 1,
    "maintenance.extra_budget_mnok": 1,
    "finance.ordinary_investment_mnok": 0,
    "finance.medtech_reinvestment_mnok": 0,
}
"""The year-by-year money levers, each with the first year it acts in after the survey year
[years]: an override may not change them from then to the year before the plan year. The
maintenance money acts from the year after the survey (the register's state), the investment
plans from the survey year."""


def disposal_year_problems(model: Model) -> list[tuple[str, Msg, Msg, str]]:
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
                    Msg("config.disposal_before_plan", which=which),
                    Msg("config.a_year_or_later", year=str(plan)),
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
        Msg("config.decision_before_plan", plan=str(plan), option=option),
        column=option,
        expected=Msg("config.year_or_later", year=str(plan)),
        found=str(year),
    )


def _leaf(model: Model, key: str):
    obj = model
    for part in key.split("."):
        obj = getattr(obj, part)
    return obj


def decision_problems(before: Model, after: Model) -> list[tuple[str, Msg, Msg, str]]:
    """Return the decision items that ``after`` changes in a year before its plan year.

    Parameters
    ----------
    before, after : Model
        A model and the same model with overrides applied.

    Returns
    -------
    list of (key, message, expected, found)
        One entry per decision item (a table entry, e.g. ``maintenance.budget_mnok.HMR``) whose
        value, or kroner (price year), differs in a history year; ``message`` is
        ``Msg("config.at_key", key=..., message=...)`` naming the key and the first such year
        (``maintenance.extra_budget_mnok.2020: ...``), so that a workbook can name the year's
        cell. Empty when none.
    """
    from collections.abc import Mapping

    import numpy as np

    from hmn_bygg.config.params import is_year_path
    from hmn_bygg.config.year_arrays import as_year_array

    plan = after.model.first_plan_year
    out: list[tuple[str, Msg, Msg, str]] = []
    for key, lag in DECISION_KEYS.items():
        years = np.arange(after.model.start_year + lag, plan)
        old, new = _leaf(before, key), _leaf(after, key)
        if years.size == 0:
            continue
        if old.value == new.value and old.price_year == new.price_year:
            continue
        table = isinstance(old.value, Mapping) and not is_year_path(old.value)
        pairs = (
            [(f"{key}.{code}", old.value[code], new.value.get(code)) for code in old.value]
            if table
            else [(key, old.value, new.value)]
        )
        for name, a, b in pairs:
            was, now = as_year_array(a, years), as_year_array(b, years)
            changed = np.flatnonzero(was != now)
            kroner = old.price_year != new.price_year and bool(np.any(was != 0))
            if not changed.size and not kroner:
                continue
            i = int(changed[0]) if changed.size else int(np.flatnonzero(was != 0)[0])
            year = int(years[i])
            what, earlier = (f"{now[i]:g}", f"{was[i]:g}") if changed.size else (
                f"price_year {new.price_year}", f"price_year {old.price_year}")  # fmt: skip
            history = Msg("config.history_changed", year=str(year), plan=str(plan), was=earlier)
            out.append(
                (
                    name,
                    Msg("config.at_key", key=f"{name}.{year}", message=history),
                    Msg("config.history_unchanged", plan=str(plan)),
                    f"{year}: {what}",
                )
            )
    return out


def plan_year_problems(
    before: Model, after: Model, starts: Mapping[str, int], owner: Callable[[str], str]
) -> list[tuple[str, Text, Text | None, str | None]]:
    """Return every decision that overrides make before the plan year of ``after``.

    Parameters
    ----------
    before, after : Model
        The model and the model with the overrides applied.
    starts : mapping of str to int
        The ``from:`` year of each override key that has one [year].
    owner : callable
        The override key that set a given dotted key (the key itself when none did).

    Returns
    -------
    list of (key, message, expected, found)
        An override ``from:`` an earlier year; a disposal chosen for an earlier year
        (:func:`disposal_year_problems`); a decision item changed in a history year
        (:func:`decision_problems`, unless its ``from:`` was named already). Empty when none.
    """
    plan = after.model.first_plan_year
    early = {key: start for key, start in starts.items() if start < plan}
    out: list[tuple[str, Text, Text | None, str | None]] = [
        (key, Msg("config.from_before_plan"), Msg("config.from_or_later", year=str(plan)),
         f"from: {start}")
        for key, start in early.items()
    ]  # fmt: skip
    out += disposal_year_problems(after)
    for key, message, expected, found in decision_problems(before, after):
        if owner(key) not in early:
            out.append((owner(key), message, expected, found))
    return out
