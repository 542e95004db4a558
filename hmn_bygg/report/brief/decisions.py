"""“Hva styret må ta stilling til”: short sentences generated from the results.

Every figure in these sentences comes from the Dataset; the words come from
:mod:`hmn_bygg.report.brief.texts`. The first chosen scenario is the reference the others are
compared with (with the bundled model: today's maintenance level).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import xarray as xr

from hmn_bygg.core.fmt import fmt_number, year_spans
from hmn_bygg.core.targets import target_area, target_vttg
from hmn_bygg.report.brief import facts
from hmn_bygg.report.brief.texts import Lang, hf_name, join_list, quote, t


@dataclass(frozen=True)
class Decision:
    """One point for the board: a short bold lead (``"Tilstand"``) and a sentence or two."""

    lead: str
    text: str


def _n(value: float, decimals: int, lang: Lang) -> str:
    return fmt_number(value, decimals, lang, html=True)


def years_text(years: Sequence[int], lang: Lang) -> str:
    """Return ``"2023–2025, 2028"`` for a list of years (``"ingen"``/``"none"`` when empty)."""
    return year_spans(years) or t(lang, "never")


def _target_clause(year: int | None, target: float, yend: int, lang: Lang) -> str:
    tgt = _n(target, 1, lang)
    if year is None:
        return t(lang, "d_target_not", target=tgt, yend=yend)
    return t(lang, "d_target_met", target=tgt, year=year)


def condition_points(
    ds: xr.Dataset, scenarios: Sequence[str], labels: Mapping[str, str], lang: Lang
) -> list[Decision]:
    """Sentences on the region's VTTG.

    The first scenario's path; then each other scenario that meets the target (with its
    extra maintenance money); then, in one sentence, the others that do not.
    """
    y0, yend, marks = facts.years_of(ds)
    y1 = marks[0]
    target = target_vttg(ds)
    tgt = _n(target, 1, lang)
    base = scenarios[0]
    out: list[Decision] = []
    missing: list[str] = []
    for s in scenarios:
        path = facts.series(ds["vttg_region"].sel(scenario=s))
        reached = facts.first_year_at_or_below(path, target)
        values = dict(
            label=quote(labels[s], lang),
            v0=_n(path[y0], 2, lang),
            y0=y0,
            v1=_n(path[y1], 2, lang),
            y1=y1,
            vend=_n(path[yend], 2, lang),
            yend=yend,
            target_clause=_target_clause(reached, target, yend, lang),
        )
        if s == base:
            change = path[yend] - path[y0]
            verb = "stays" if abs(change) < 0.005 else ("rises" if change > 0 else "falls")
            out.append(
                Decision(
                    t(lang, "lead_condition"), t(lang, "d_first", verb=t(lang, verb), **values)
                )
            )
            continue
        if reached is None:
            missing.append(s)
            continue
        text = t(lang, "d_other", **values)
        extra = _extra_budget(ds, s, base)
        if extra is not None and abs(extra[0]) >= 0.5:
            text += t(
                lang,
                "d_cost",
                extra=_n(abs(extra[0]), 0, lang),
                more_less=t(lang, "more" if extra[0] > 0 else "less"),
                per_year=_n(abs(extra[1]), 0, lang),
                y1=facts.plan_from(ds),
                yend=yend,
                base=quote(labels[base], lang),
            )
        out.append(Decision("", text))
    if missing:
        ends = [float(ds["vttg_region"].sel(scenario=s, year=yend)) for s in missing]
        lo, hi = _n(min(ends), 2, lang), _n(max(ends), 2, lang)
        text = t(
            lang,
            "d_not_group",
            labels=join_list([quote(labels[s], lang) for s in missing], lang),
            target=tgt,
            yend=yend,
            range=lo if lo == hi else f"{lo}–{hi}",
        )
        out.append(Decision("", text))
    return out


def _extra_budget(ds: xr.Dataset, s: str, base: str) -> tuple[float, float] | None:
    """Return the scenario's maintenance budget above the base over the plan period: total
    [MNOK] and per year [MNOK/yr] (:func:`hmn_bygg.report.brief.facts.plan_years`)."""
    a, b = facts.budget_total(ds, s), facts.budget_total(ds, base)
    if a is None or b is None:
        return None
    return a - b, (a - b) / facts.plan_years(ds)[2]


def hf_point(
    ds: xr.Dataset, scenarios: Sequence[str], labels: Mapping[str, str], lang: Lang
) -> Decision:
    """The HF in the worst condition now, and when (if ever) it meets the target."""
    y0, yend, _ = facts.years_of(ds)
    target = target_vttg(ds)
    now = ds["vttg"].sel(scenario=scenarios[0], year=y0)
    worst = str(now["hf"].to_numpy()[int(np.nanargmax(now.to_numpy()))])
    best: tuple[int, str] | None = None
    for s in scenarios:
        year = facts.first_year_at_or_below(
            facts.series(ds["vttg"].sel(scenario=s, hf=worst)), target
        )
        if year is not None and (best is None or year < best[0]):
            best = (year, s)
    values = dict(hf=hf_name(worst, lang), v0=_n(float(now.sel(hf=worst)), 2, lang), y0=y0)
    values.update(target=_n(target, 1, lang), yend=yend)
    lead = t(lang, "lead_hf")
    if best is None:
        return Decision(lead, t(lang, "d_hf_not", **values))
    label = quote(labels[best[1]], lang)
    return Decision(lead, t(lang, "d_hf_met", year=best[0], label=label, **values))


def area_point(
    ds: xr.Dataset, scenarios: Sequence[str], labels: Mapping[str, str], lang: Lang
) -> Decision:
    """The area path against the target; scenarios with the same outcome share a sentence."""
    y0, yend, _ = facts.years_of(ds)
    tgt = _n(target_area(ds), 0, lang)
    a0 = _n(float(ds["area_region"].sel(scenario=scenarios[0], year=y0)), 0, lang)
    groups: dict[tuple[str, int | None, str], list[str]] = {}
    for s in scenarios:
        met, gap_m2 = facts.area_target_result(ds, s)
        aend = _n(float(ds["area_region"].sel(scenario=s, year=yend)), 0, lang)
        groups.setdefault((aend, met, _n(gap_m2, 0, lang)), []).append(s)
    lead = t(lang, "lead_area")
    common = dict(a0=a0, y0=y0, yend=yend, target=tgt)
    if len(groups) == 1:
        (aend, year, gap), _ = next(iter(groups.items()))
        if year is None:
            return Decision(lead, t(lang, "d_area_same_not", aend=aend, gap=gap, **common))
        return Decision(lead, t(lang, "d_area_same_met", aend=aend, year=year, **common))
    clauses = []
    for (aend, year, gap), members in groups.items():
        names = join_list([quote(labels[s], lang) for s in members], lang)
        if year is None:
            clauses.append(t(lang, "d_area_group_not", labels=names, aend=aend, gap=gap, yend=yend))
        else:
            clauses.append(
                t(lang, "d_area_group_met", labels=names, aend=aend, year=year, yend=yend)
            )
    return Decision(lead, t(lang, "d_area_each", clauses=" ".join(clauses), **common))


def need_point(
    ds: xr.Dataset, scenarios: Sequence[str], labels: Mapping[str, str], lang: Lang
) -> Decision:
    """The upgrade need now, and its range over the scenarios in the last year."""
    y0, yend, _ = facts.years_of(ds)
    need = ds["upgrade_need_region"]
    u0 = _n(float(need.sel(scenario=scenarios[0], year=y0)), 0, lang)
    end = {s: _n(float(need.sel(scenario=s, year=yend)), 0, lang) for s in scenarios}
    values = {s: float(need.sel(scenario=s, year=yend)) for s in scenarios}
    lead = t(lang, "lead_need")
    if len(set(end.values())) == 1:
        return Decision(lead, t(lang, "d_need_same", u0=u0, y0=y0, u=end[scenarios[0]], yend=yend))
    lo_s = min(scenarios, key=lambda s: values[s])
    hi_s = max(scenarios, key=lambda s: values[s])

    def who(text: str) -> str:
        return join_list([quote(labels[s], lang) for s in scenarios if end[s] == text], lang)

    return Decision(
        lead,
        t(
            lang,
            "d_need_range",
            u0=u0,
            y0=y0,
            yend=yend,
            lo=end[lo_s],
            lo_labels=who(end[lo_s]),
            hi=end[hi_s],
            hi_labels=who(end[hi_s]),
        ),
    )


def liquidity_points(
    ds: xr.Dataset, scenarios: Sequence[str], labels: Mapping[str, str], lang: Lang
) -> list[Decision]:
    """Which HF breaches its operating credit or runs negative liquidity, when, in which scenario.

    Per HF: the years it breaches the credit line (by scenario), else the years its liquidity
    is negative (it draws on the operating credit); one sentence when no HF does either.
    """
    lead = t(lang, "lead_liquidity")
    out: list[Decision] = []
    lowest: tuple[float, str, int, str] | None = None
    for hf in ds["hf"].to_numpy().astype(str):
        found = {s: facts.liquidity_of(ds, s, hf) for s in scenarios}
        for s, liq in found.items():
            if lowest is None or liq.lowest < lowest[0]:
                lowest = (liq.lowest, hf, liq.lowest_year, s)
        for kind, years_of in (
            ("d_liq_hf", lambda q: q.breach_years),
            ("d_liq_negative", lambda q: q.negative_years),
        ):
            hit = {s: q for s, q in found.items() if years_of(q)}
            if not hit:
                continue
            cases = [
                t(
                    lang,
                    "d_liq_case",
                    label=quote(labels[s], lang),
                    years=years_text(years_of(q), lang),
                )
                for s, q in hit.items()
            ]
            worst = min(hit.values(), key=lambda q: q.lowest)
            text = t(
                lang,
                kind,
                hf=hf_name(hf, lang),
                limit=_n(-abs(worst.credit_limit), 0, lang),  # the floor liquidity may reach
                cases=join_list(cases, lang),
                min=_n(worst.lowest, 0, lang),
                year=worst.lowest_year,
            )
            out.append(Decision("" if out else lead, text))
            break
    if not out and lowest is not None:
        value, hf, year, s = lowest
        label = quote(labels[s], lang)
        text = t(lang, "d_liq_ok", min=_n(value, 0, lang), hf=hf, year=year, label=label)
        out.append(Decision(lead, text))
    last = facts.last_project_year(ds, scenarios)
    _, yend, _ = facts.years_of(ds)
    if last is not None and last < yend - 2:
        out.append(Decision("", t(lang, "d_liq_no_plan", year=last)))
    return out


def decision_point(
    ds: xr.Dataset, scenarios: Sequence[str], labels: Mapping[str, str], lang: Lang
) -> Decision:
    """The question for the board: which maintenance level reaches the VTTG target, at what cost."""
    _, yend, _ = facts.years_of(ds)
    target = target_vttg(ds)
    tgt = _n(target, 1, lang)
    reached = {
        s: facts.first_year_at_or_below(facts.series(ds["vttg_region"].sel(scenario=s)), target)
        for s in scenarios
    }
    ok = [s for s in scenarios if reached[s] is not None]
    lead = t(lang, "lead_decision")
    if not ok:
        return Decision(lead, t(lang, "d_decide_none", target=tgt, yend=yend))
    base = scenarios[0]
    best = min(ok, key=lambda s: (reached[s], scenarios.index(s)))
    budget, base_budget = facts.mean_budget(ds, best), facts.mean_budget(ds, base)
    if best == base or budget is None or base_budget is None or budget <= base_budget + 0.5:
        return Decision(
            lead,
            t(
                lang,
                "d_decide_keep",
                label=quote(labels[best], lang),
                target=tgt,
                year=reached[best],
            ),
        )
    if reached[base] is None:
        instead = t(lang, "d_decide_instead_never", yend=yend)
    else:
        instead = t(lang, "d_decide_instead", year=reached[base])
    return Decision(
        lead,
        t(
            lang,
            "d_decide_raise",
            label=quote(labels[best], lang),
            budget=_n(budget, 0, lang),
            base_budget=_n(base_budget, 0, lang),
            target=tgt,
            year=reached[best],
            instead=instead,
        ),
    )


def decisions(
    ds: xr.Dataset, scenarios: Sequence[str], labels: Mapping[str, str], lang: Lang
) -> list[Decision]:
    """Return the brief's decision points, the question first, then the findings behind it.

    Parameters
    ----------
    ds : xr.Dataset
        Results (without ``draw``, see :func:`hmn_bygg.report.brief.facts.reduce_draws`).
    scenarios : sequence of str
        Chosen scenarios; the first is the reference.
    labels : mapping of str to str
        Friendly scenario names.
    lang : {"nb", "en"}
        Language.

    Returns
    -------
    list of Decision
        The decision, condition, health trusts, area, upgrade need and (when the results carry
        it) liquidity.
    """
    points = [decision_point(ds, scenarios, labels, lang)]
    points += condition_points(ds, scenarios, labels, lang)
    points.append(hf_point(ds, scenarios, labels, lang))
    points.append(area_point(ds, scenarios, labels, lang))
    points.append(need_point(ds, scenarios, labels, lang))
    if facts.has_liquidity(ds):
        points += liquidity_points(ds, scenarios, labels, lang)
    return points
