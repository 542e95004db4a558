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


def _signature(project: Project, model: Model, where: str) -> tuple:
    """What rows must share to book a project together: every leaf but the numbers a Monte
    Carlo draw varies per row (cost, loan frame, open years, savings)."""
    rules = model.finance.state_loan
    return (
        id(project.spend_profile),
        id(project.hf_share),
        id(project.running_cost_mnok),
        id(rules.share),
        float(rules.min_project_mnok.value),
        bool(project.loan_financed.value),
        project_series(project),
        project.cost_mnok.price_year,
        project.loan_frame_mnok.price_year,
        project.savings_ramp_years.value,
        where,
    )


def _project_flows(
    projects: Sequence[Project],
    model: Model,
    hfs: Sequence[str],
    years: np.ndarray,
    where: str,
    index: PriceIndex,
    memo: dict | None = None,
) -> tuple[dict[str, np.ndarray], list[list[Problem]]]:
    """Return the yearly flows of one project in rows that share its :func:`_signature`, each
    ``(R, H, Y)`` [MNOK/yr, nominal], and each row's problems.

    ``model`` is the first row's scenario (the rows share what it reads of it). ``memo`` (one
    per booking) keeps what a leaf object gives (its years, shares, price factors), so that the
    Monte Carlo rows, which share most leaves, work each out once.
    """
    memo = {} if memo is None else memo
    project = projects[0]

    def spread():
        profile = {int(y): float(v) for y, v in project.spend_profile.value.items()}
        outside = sorted(y for y, v in profile.items() if v > 0 and not years[0] <= y <= years[-1])
        return profile, outside, np.array([profile.get(int(y), 0.0) for y in years])

    sp = project.spend_profile
    profile, outside, share_y = _once(memo, ("profile", id(sp)), sp, spread)
    cost = np.array([float(p.cost_mnok.value) for p in projects])[:, None]
    problems = [
        [
            Problem(
                where,
                "the project spends money outside the model years",
                column=f"finance.projects.{p.name or '?'}.spend_profile",
                expected=f"years {years[0]}–{years[-1]}",
                found=", ".join(map(str, outside)),
            )
        ]
        if outside and p.cost_mnok.value > 0
        else []
        for p in projects
    ]

    def price(series, year) -> np.ndarray:
        return _once(
            memo, ("factor", series, year), None, lambda: factor(index, series, year, years)
        )

    spend_y = cost * share_y * price(project_series(project), project.cost_mnok.price_year)
    rules = model.finance.state_loan
    draw_y = np.zeros(spend_y.shape)
    given = np.array([np.nan if p.loan_frame_mnok.value is None else float(p.loan_frame_mnok.value)
                      for p in projects])[:, None]  # fmt: skip
    lent = ~np.isnan(given) | (cost > rules.min_project_mnok.value)
    if project.loan_financed.value and lent.any():
        framed = ~np.isnan(given)
        if (lent & ~framed).any():
            first = min(profile)
            rule_share = _once(memo, ("share", id(rules.share), first), rules.share,
                               lambda: float(as_year_array(rules.share, [first])[0]))  # fmt: skip
            draw_y = np.where(lent & ~framed, rule_share * spend_y, draw_y)
        if framed.any():
            f = price("deflator", project.loan_frame_mnok.price_year)
            draw_y = np.where(lent & framed, given * share_y * f, draw_y)

    def per_hf(leaf) -> np.ndarray:
        def make() -> np.ndarray:
            return np.array([leaf.value[h] for h in hfs], dtype=float)[:, None]

        return _once(memo, ("hf", id(leaf)), leaf, make)

    hf_share = per_hf(project.hf_share)[None]  # (1, H, 1)
    opens = np.stack([per_hf(p.open_year) for p in projects])  # (R, H, 1)
    y = years[None, None, :].astype(float)
    spend_y, draw_y = spend_y[:, None, :], draw_y[:, None, :]
    cumulative = np.cumsum(spend_y, axis=-1)
    flows = {
        "spend": hf_share * spend_y,
        "drawdown": hf_share * draw_y,
        "capitalised": hf_share
        * np.where(y == opens, cumulative, np.where(y > opens, spend_y, 0.0)),
    }

    def nominal(param):
        return _once(memo, ("nominal", id(param)), param, lambda: to_nominal(
            as_year_array(param, years), param, index, "deflator", years))  # fmt: skip

    running = nominal(project.running_cost_mnok)[None, None, :]
    flows["running"] = hf_share * running * (y >= opens)
    ramp_years = project.savings_ramp_years.value
    age = y - opens
    ramp = (age >= 0) if ramp_years == 0 else np.clip((age + 1) / ramp_years, 0.0, 1.0)
    savings = np.stack([nominal(p.savings_mnok) for p in projects])[:, None, :]
    flows["savings"] = hf_share * savings * ramp
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
    # rows that share a project's leaves but the numbers a draw varies (the rows of a Monte
    # Carlo chunk) book it together, on arrays over the rows
    groups: dict[tuple, list[tuple[int, int, Project]]] = {}
    firsts: dict[tuple, tuple[Model, str]] = {}
    done: dict[tuple, tuple] = {}
    signed: dict[tuple, tuple] = {}
    memo: dict = {}
    for s, (scenario, model) in enumerate(scenarios.items()):
        fin = model.finance
        life = fin.asset_life_years.value
        projects = dict(fin.projects.items())
        where = str(model.file or scenario)
        for p, key in enumerate(keys[: -len(RECURRING)]):
            project = projects.get(key)
            lives[s, p] = life[project.asset_class.value] if project is not None else 1.0
            if project is None:
                continue  # no flows
            ref = (p, id(project), id(fin.state_loan), where)
            if ref not in signed:  # rows share the projects a draw leaves alone
                signed[ref] = (project, fin.state_loan, (p, *_signature(project, model, where)))
            sig = signed[ref][2]
            groups.setdefault(sig, []).append((s, p, project))
            firsts.setdefault(sig, (model, where))
            if project.name:
                names[p] = project.name
        medtech = _memo(done, fin.medtech_reinvestment_mnok, hfs, years, index, "deflator")
        ordinary = _memo(done, fin.ordinary_investment_mnok, hfs, years, index, "construction")
        upgrades = fin.capitalised_maintenance_share.value * maintenance_spend[s]
        recurring = ((ordinary, "upgrade"), (medtech, "medtech"), (upgrades, "upgrade"))
        for p, (spend, cls) in zip(range(n_p - 3, n_p), recurring, strict=True):
            flows["spend"][s, p] = spend
            flows["capitalised"][s, p] = spend
            lives[s, p] = life[cls]
    bad: dict[tuple[int, int], list[Problem]] = {}
    for sig, cells in groups.items():
        model, where = firsts[sig]
        one, trouble = _project_flows([c[2] for c in cells], model, hfs, years, where, index, memo)
        rows = np.array([c[0] for c in cells])
        for name in FLOW_FIELDS:
            flows[name][rows, sig[0]] = one[name]
        for (s, p, _), found in zip(cells, trouble, strict=True):
            bad[s, p] = found
    problems = [found for cell in sorted(bad) for found in bad[cell]]
    if problems:
        raise InputError(problems, title="The projects cannot be booked")
    names[-len(RECURRING) :] = [""] * len(RECURRING)  # named by key in the report layers
    return keys, flows, lives, names
