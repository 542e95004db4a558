"""The booked items of the long-term budget: named projects and the recurring items, as flows.

:func:`stack_projects` turns each scenario's ``finance.projects`` and the recurring items
(ordinary investment, medical equipment, capitalised maintenance) into yearly flows
``(scenario, project, hf, year)`` [MNOK/yr, nominal] and their depreciation lives; how they are
booked is in :mod:`hmn_bygg.finance.ltb`. Items carry keys, never words: the report and
dashboard layers name them (``project_name`` is empty for the recurring items).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from hmn_bygg.config import Model, Project, as_hf_year_array, as_year_array
from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.finance.nominal import project_series
from hmn_bygg.finance.price_basis import PriceIndex, factor, to_nominal

__all__ = ["FLOW_FIELDS", "RECURRING", "project_keys", "stack_projects"]

ORDINARY = "ordinary_investment"
MEDTECH = "medtech"
UPGRADES = "capitalised_maintenance"
RECURRING = (ORDINARY, MEDTECH, UPGRADES)
"""The booked items that recur every year (after the named projects, in this order)."""
FLOW_FIELDS = ("spend", "drawdown", "capitalised", "running", "savings")


def _once(memo: dict, key: tuple, leaf: object, make):
    """``make()`` once per ``key`` in ``memo`` (which keeps ``leaf`` alive, so that an ``id`` in
    ``key`` stays its own)."""
    if key not in memo:
        memo[key] = (leaf, make())
    return memo[key][1]


def _project_flows(
    project: Project | None,
    model: Model,
    hfs: Sequence[str],
    years: np.ndarray,
    where: str,
    index: PriceIndex,
    memo: dict | None = None,
) -> tuple[dict[str, np.ndarray], list[Problem]]:
    """Return one project's yearly flows in one scenario, each ``(H, Y)`` [MNOK/yr, nominal].

    ``memo`` (one per booking) keeps what a leaf object gives (its years, shares, price
    factors), so that the Monte Carlo rows, which share most leaves, work each out once.
    """
    memo = {} if memo is None else memo
    shape = (len(hfs), years.size)
    flows = {name: np.zeros(shape) for name in FLOW_FIELDS}
    if project is None:
        return flows, []

    def spread():
        profile = {int(y): float(v) for y, v in project.spend_profile.value.items()}
        outside = sorted(y for y, v in profile.items() if v > 0 and not years[0] <= y <= years[-1])
        return profile, outside, np.array([profile.get(int(y), 0.0) for y in years])

    sp = project.spend_profile
    profile, outside, share_y = _once(memo, ("profile", id(sp)), sp, spread)
    problems = []
    if outside and project.cost_mnok.value > 0:
        problems.append(
            Problem(
                where,
                "the project spends money outside the model years",
                column=f"finance.projects.{project.name or '?'}.spend_profile",
                expected=f"years {years[0]}–{years[-1]}",
                found=", ".join(map(str, outside)),
            )
        )

    def price(series, year) -> np.ndarray:
        return _once(
            memo, ("factor", series, year), None, lambda: factor(index, series, year, years)
        )

    cost = float(project.cost_mnok.value)
    spend_y = cost * share_y * price(project_series(project), project.cost_mnok.price_year)
    rules = model.finance.state_loan
    draw_y = np.zeros(years.size)
    given = project.loan_frame_mnok
    if project.loan_financed.value and (
        given.value is not None or cost > rules.min_project_mnok.value
    ):
        first = min(profile)
        rule_share = _once(memo, ("share", id(rules.share), first), rules.share,
                           lambda: float(as_year_array(rules.share, [first])[0]))  # fmt: skip
        draw_y = (
            rule_share * spend_y
            if given.value is None
            else float(given.value) * share_y * price("deflator", given.price_year)
        )

    def per_hf(leaf) -> np.ndarray:
        def make() -> np.ndarray:
            return np.array([leaf.value[h] for h in hfs], dtype=float)[:, None]

        return _once(memo, ("hf", id(leaf)), leaf, make)

    hf_share = per_hf(project.hf_share)
    opens = per_hf(project.open_year)
    y = years[None, :].astype(float)
    cumulative = np.cumsum(spend_y)[None, :]
    flows["spend"] = hf_share * spend_y
    flows["drawdown"] = hf_share * draw_y
    flows["capitalised"] = hf_share * np.where(
        y == opens, cumulative, np.where(y > opens, spend_y, 0.0)
    )

    def nominal(param):
        return _once(memo, ("nominal", id(param)), param, lambda: to_nominal(
            as_year_array(param, years), param, index, "deflator", years))  # fmt: skip

    running = nominal(project.running_cost_mnok)[None, :]
    flows["running"] = hf_share * running * (y >= opens)
    ramp_years = project.savings_ramp_years.value
    age = y - opens
    ramp = (age >= 0) if ramp_years == 0 else np.clip((age + 1) / ramp_years, 0.0, 1.0)
    savings = nominal(project.savings_mnok)
    flows["savings"] = hf_share * savings[None, :] * ramp
    return flows, problems


def _hf_nominal(param, hfs, years, index: PriceIndex, series) -> np.ndarray:
    """A per-HF money leaf over the years, nominal ``(H, Y)`` [MNOK/yr]."""
    return to_nominal(as_hf_year_array(param, hfs, years).to_numpy(), param, index, series, years)


def _memo(done: dict, param, hfs, years, index: PriceIndex, series) -> np.ndarray:
    """:func:`_hf_nominal` once per leaf object in ``done`` (which keeps the leaf alive)."""
    sig = (id(param), series)
    if sig not in done:
        done[sig] = (param, _hf_nominal(param, hfs, years, index, series))
    return done[sig][1]


def project_keys(scenarios: Mapping[str, Model]) -> list[str]:
    """Return every project key of the scenarios (union, first-seen order), then the
    recurring items ``ordinary_investment``, ``medtech`` and ``capitalised_maintenance``."""
    keys: list[str] = []
    for model in scenarios.values():
        keys += [k for k, _ in model.finance.projects.items() if k not in keys]
    return [*keys, *RECURRING]


def stack_projects(
    scenarios: Mapping[str, Model],
    hfs: Sequence[str],
    years: np.ndarray,
    maintenance_spend: np.ndarray,
    index: PriceIndex,
) -> tuple[list[str], dict[str, np.ndarray], np.ndarray, list[str]]:
    """Return project keys, flows ``(S, P, H, Y)`` by name, depreciation lives ``(S, P)``
    [years] and project names."""
    keys = project_keys(scenarios)
    n_s, n_p = len(scenarios), len(keys)
    flows = {name: np.zeros((n_s, n_p, len(hfs), years.size)) for name in FLOW_FIELDS}
    lives = np.zeros((n_s, n_p))
    names = list(keys)
    problems: list[Problem] = []
    # rows that share a project (and the loan rules it reads) share its flows: the draws of a
    # Monte Carlo chunk change a few leaves and keep every other object
    done: dict[tuple, tuple] = {}
    memo: dict = {}
    for s, (scenario, model) in enumerate(scenarios.items()):
        fin = model.finance
        life = fin.asset_life_years.value
        projects = dict(fin.projects.items())
        rules = fin.state_loan
        for p, key in enumerate(keys[: -len(RECURRING)]):
            project = projects.get(key)
            where = str(model.file or scenario)
            sig = (id(project), id(rules.share), id(rules.min_project_mnok), where)
            if sig not in done:
                done[sig] = (
                    project,
                    _project_flows(project, model, hfs, years, where, index, memo),
                )
            one, bad = done[sig][1]
            problems += bad
            for name in FLOW_FIELDS:
                flows[name][s, p] = one[name]
            lives[s, p] = life[project.asset_class.value] if project is not None else 1.0
            if project is not None and project.name:
                names[p] = project.name
        medtech = _memo(done, fin.medtech_reinvestment_mnok, hfs, years, index, "deflator")
        ordinary = _memo(done, fin.ordinary_investment_mnok, hfs, years, index, "construction")
        upgrades = fin.capitalised_maintenance_share.value * maintenance_spend[s]
        recurring = ((ordinary, "upgrade"), (medtech, "medtech"), (upgrades, "upgrade"))
        for p, (spend, cls) in zip(range(n_p - 3, n_p), recurring, strict=True):
            flows["spend"][s, p] = spend
            flows["capitalised"][s, p] = spend
            lives[s, p] = life[cls]
    if problems:
        raise InputError(problems, title="The projects cannot be booked")
    names[-len(RECURRING) :] = [""] * len(RECURRING)  # named by key in the report layers
    return keys, flows, lives, names
