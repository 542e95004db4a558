"""The booked items of the long-term budget: named projects and the recurring items, as flows.

:func:`stack_projects` turns each scenario's ``finance.projects`` and the recurring items
(ordinary investment, medical equipment, capitalised maintenance) into yearly flows
``(scenario, project, hf, year)`` [MNOK/yr, nominal] and their depreciation lives; how they are
booked is in :mod:`hmn_bygg.finance.ltb`. Items carry keys, never words: the report and
dashboard layers name them (``project_name`` is empty for the recurring items).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial

import numpy as np

from hmn_bygg.config import Model, Project, as_year_array
from hmn_bygg.config.year_arrays import hf_year_values
from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.messages import Msg
from hmn_bygg.finance.nominal import project_series
from hmn_bygg.finance.price_basis import PriceIndex, factor, to_nominal
from hmn_bygg.finance.rows import Rows, as_index, once

__all__ = ["FLOW_FIELDS", "RECURRING", "project_keys", "stack_projects"]

ORDINARY = "ordinary_investment"
MEDTECH = "medtech"
UPGRADES = "capitalised_maintenance"
RECURRING = (ORDINARY, MEDTECH, UPGRADES)
"""The booked items that recur every year (after the named projects, in this order)."""
FLOW_FIELDS = ("spend", "drawdown", "capitalised", "running", "savings")


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
    project: Project,
    drawn: Mapping[str, np.ndarray],
    model: Model,
    hfs: Sequence[str],
    years: np.ndarray,
    where: str,
    index: PriceIndex,
    memo: dict | None = None,
) -> tuple[dict[str, np.ndarray], list[tuple[int, Problem]]]:
    """Return the yearly flows of one project in rows that share its :func:`_signature`, each
    ``(R, H, Y)`` [MNOK/yr, nominal], and the problems with the row (index into the rows)
    they are found in.

    ``project`` and ``model`` are the first row's (the rows share what is read of them);
    ``drawn`` holds what a Monte Carlo draw varies per row: ``cost_mnok`` ``(R,)``,
    ``loan_frame_mnok`` ``(R,)`` (NaN: none), ``open_year`` ``(R, H)`` and ``savings_mnok``
    ``(R, Y)`` in the leaves' own kroner. ``memo`` (one per booking or Monte Carlo run, on its
    years, HFs and price index) keeps what a leaf object gives (its years, shares, price
    factors).
    """
    memo = {} if memo is None else memo

    def spread():
        profile = {int(y): float(v) for y, v in project.spend_profile.value.items()}
        outside = sorted(y for y, v in profile.items() if v > 0 and not years[0] <= y <= years[-1])
        return profile, outside, np.array([profile.get(int(y), 0.0) for y in years])

    sp = project.spend_profile
    profile, outside, share_y = once(memo, ("profile", id(sp)), spread, sp)
    cost = drawn["cost_mnok"][:, None]
    problem = Problem(
        where,
        Msg("finance.spends_outside_years"),
        column=f"finance.projects.{project.name or '?'}.spend_profile",
        expected=Msg("finance.years_span", first_year=int(years[0]), last_year=int(years[-1])),
        found=", ".join(map(str, outside)),
    )
    problems = [(int(r), problem) for r in np.flatnonzero(cost[:, 0] > 0)] if outside else []

    def price(series, year) -> np.ndarray:
        return once(memo, ("factor", series, year), lambda: factor(index, series, year, years))

    spend_y = cost * share_y * price(project_series(project), project.cost_mnok.price_year)
    rules = model.finance.state_loan
    draw_y = np.zeros(spend_y.shape)
    given = drawn["loan_frame_mnok"][:, None]
    lent = ~np.isnan(given) | (cost > rules.min_project_mnok.value)
    if project.loan_financed.value and lent.any():
        framed = ~np.isnan(given)
        if (lent & ~framed).any():
            first = min(profile)
            rule_share = once(memo, ("share", id(rules.share), first),
                              lambda: float(as_year_array(rules.share, [first])[0]),
                              rules.share)  # fmt: skip
            draw_y = np.where(lent & ~framed, rule_share * spend_y, draw_y)
        if framed.any():
            f = price("deflator", project.loan_frame_mnok.price_year)
            draw_y = np.where(lent & framed, given * share_y * f, draw_y)

    def per_hf(leaf) -> np.ndarray:
        def make() -> np.ndarray:
            return np.array([leaf.value[h] for h in hfs], dtype=float)[:, None]

        return once(memo, ("hf", id(leaf)), make, leaf)

    hf_share = per_hf(project.hf_share)[None]  # (1, H, 1)
    opens = drawn["open_year"][:, :, None]  # (R, H, 1)
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
        return once(memo, ("nominal", id(param)), lambda: to_nominal(
            as_year_array(param, years), param, index, "deflator", years), param)  # fmt: skip

    running = nominal(project.running_cost_mnok)[None, None, :]
    flows["running"] = hf_share * running * (y >= opens)
    ramp_years = project.savings_ramp_years.value
    age = y - opens
    ramp = (age >= 0) if ramp_years == 0 else np.clip((age + 1) / ramp_years, 0.0, 1.0)
    f = price("deflator", project.savings_mnok.price_year)
    savings = (drawn["savings_mnok"] * f)[:, None, :]
    flows["savings"] = hf_share * savings * ramp
    return flows, problems


def _hf_nominal(memo: dict, param, hfs, years, index: PriceIndex, series) -> np.ndarray:
    """A per-HF money leaf over the years, nominal ``(H, Y)`` [MNOK/yr], once per leaf object
    in ``memo``."""
    return once(memo, ("hf_nominal", id(param), series), lambda: to_nominal(
        hf_year_values(param, hfs, years), param, index, series, years), param)  # fmt: skip


def project_keys(scenarios: Mapping[str, Model] | Rows) -> list[str]:
    """Return every project key of the scenarios (union, first-seen order), then the
    recurring items ``ordinary_investment``, ``medtech`` and ``capitalised_maintenance``."""
    keys: list[str] = []
    for model in Rows.of_models(scenarios).models:
        keys += [k for k, _ in model.finance.projects.items() if k not in keys]
    return [*keys, *RECURRING]


def _drawn(rows: Rows, key: str, at: np.ndarray, hfs, years) -> dict[str, np.ndarray]:
    """The numbers of project ``key`` a Monte Carlo draw varies, in rows ``at`` (see
    :func:`_project_flows`)."""

    def frame(leaf) -> float:
        return np.nan if leaf.value is None else float(leaf.value)

    head = f"finance.projects.{key}."
    on_years = tuple(years.tolist())
    return {
        "cost_mnok": rows.number(head + "cost_mnok", rows=at),
        "loan_frame_mnok": rows.number(head + "loan_frame_mnok", frame, at, "frame"),
        "open_year": rows.number(
            head + "open_year", lambda leaf: [leaf.value[h] for h in hfs], at, tuple(hfs)
        ),
        "savings_mnok": rows.number(
            head + "savings_mnok", lambda leaf: as_year_array(leaf, years), at, on_years
        ),
    }


def stack_projects(
    scenarios: Mapping[str, Model] | Rows,
    hfs: Sequence[str],
    years: np.ndarray,
    maintenance_spend: np.ndarray,
    index: PriceIndex,
) -> tuple[list[str], dict[str, np.ndarray], np.ndarray, list[str]]:
    """Return project keys, flows ``(R, P, H, Y)`` by name, depreciation lives ``(R, P)``
    [years] and project names, for every row of ``scenarios`` (:class:`Rows`: the draws of a
    project's cost, loan frame, open years and savings are booked as arrays over the rows)."""
    rows = Rows.of_models(scenarios)
    keys = project_keys(rows)
    n_s, n_p = len(rows), len(keys)
    flows = {name: np.zeros((n_s, n_p, len(hfs), years.size)) for name in FLOW_FIELDS}
    lives = np.zeros((n_s, n_p))
    names = list(keys)
    # the rows of models that share a project's leaves book it together, on arrays over rows
    groups: dict[tuple, list[tuple[np.ndarray, Project]]] = {}
    firsts: dict[tuple, tuple[Model, str]] = {}
    # once per leaf object: per booking, or per Monte Carlo run (on its years, HFs and index)
    scope = (tuple(hfs), years.tobytes(), id(index))
    memo = rows.memo.setdefault(scope, (index, {}))[1]
    for model, at_rows in rows.groups():
        at = as_index(at_rows)
        fin = model.finance
        life = fin.asset_life_years.value
        projects = dict(fin.projects.items())
        where = str(model.file or rows.names[at_rows[0]])
        for p, key in enumerate(keys[: -len(RECURRING)]):
            project = projects.get(key)
            lives[at, p] = life[project.asset_class.value] if project is not None else 1.0
            if project is None:
                continue  # no flows
            sig = (p, *_signature(project, model, where))
            groups.setdefault(sig, []).append((at_rows, project))
            firsts.setdefault(sig, (model, where))
            if project.name:
                names[p] = project.name
        medtech = _hf_nominal(memo, fin.medtech_reinvestment_mnok, hfs, years, index, "deflator")
        ordinary = _hf_nominal(
            memo, fin.ordinary_investment_mnok, hfs, years, index, "construction"
        )
        upgrades = fin.capitalised_maintenance_share.value * maintenance_spend[at]
        recurring = ((ordinary, "upgrade"), (medtech, "medtech"), (upgrades, "upgrade"))
        for p, (spend, cls) in zip(range(n_p - 3, n_p), recurring, strict=True):
            flows["spend"][at, p] = spend
            flows["capitalised"][at, p] = spend
            lives[at, p] = life[cls]
    bad: dict[tuple[int, int], Problem] = {}
    for sig, cells in groups.items():
        model, where = firsts[sig]
        at = np.concatenate([c[0] for c in cells])
        project, key = cells[0][1], keys[sig[0]]

        def book(rs: np.ndarray, project=project, key=key, model=model, where=where) -> tuple:
            drawn = _drawn(rows, key, rs, hfs, years)
            return _project_flows(project, drawn, model, hfs, years, where, index, memo)

        head = f"finance.projects.{key}."
        if any(c[1] is not project for c in cells) or any(k.startswith(head) for k in rows.keys):
            one, trouble = book(at)
        else:  # one project object, not drawn: every row books the same, once per memo
            rules = model.finance.state_loan
            at_key = ("flows", id(project), id(rules), where)
            one, trouble = once(memo, at_key, partial(book, at[:1]), (project, rules))
            trouble = [(r, found) for _, found in trouble for r in range(at.size)]
        put = as_index(at)
        for name in FLOW_FIELDS:
            flows[name][put, sig[0]] = one[name]
        for r, found in trouble:
            bad[int(at[r]), sig[0]] = found
    problems = [bad[cell] for cell in sorted(bad)]
    if problems:
        raise InputError(problems, title=Msg("finance.projects_unbookable"))
    names[-len(RECURRING) :] = [""] * len(RECURRING)  # named by key in the report layers
    return keys, flows, lives, names
