"""One scenario's disposal overrides applied to the register's plan, and the delay rule.

The pieces of :func:`hmn_bygg.stock.plan.disposal_plan`: which buildings a rule, a site or a
building override reaches, in which year (a year, or ``years_after`` a project's opening), the
open year of the project each disposal waits for, and ``portfolio.disposals.delay_years``
applied to the result (:func:`delayed`).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from hmn_bygg.config import Model
from hmn_bygg.config.ltb_sections import DisposalAt, DisposalRule
from hmn_bygg.core.errors import Problem
from hmn_bygg.core.messages import Msg


def _rule_match(register: xr.Dataset, grade: np.ndarray, rule) -> np.ndarray:
    match = grade >= rule.min_grade
    if rule.planned_only:
        match &= ~np.isnan(register.variables["planned_disposal_year"].values.astype(float))
    for field in ("site", "hf", "use"):
        wanted = getattr(rule, field)
        if wanted is not None:
            match &= register.variables[field].values.astype(str) == wanted
    return match


def scenario_overrides(
    model: Model,
    register: xr.Dataset,
    grade: np.ndarray,
    existing: np.ndarray,
    planned: np.ndarray,
    index: dict[str, int],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[Problem]]:
    """One scenario's disposal years before ``delay_years`` ``(B,)`` [year], the open year of
    the project each disposal waits for ``(B,)`` [year] (NaN: none), kinds ``(B,)`` and the
    problems of its overrides (see :func:`disposal_plan`)."""
    d = model.portfolio.disposals
    sites = register.variables["site"].values.astype(str)
    hfs = register.variables["hf"].values.astype(str)
    years = planned.copy()
    opening = np.full(years.shape, np.nan)  # open year of the project a disposal waits for
    problems: list[Problem] = []
    explicit: dict[int, str | None] = {}
    for rule in d.rules.value:
        hit = _rule_match(register, grade, rule) & existing
        when = _time(model, rule, hfs)
        years = np.where(hit, np.fmin(years, when), years)
        opening = np.where(hit & (years == when), _opening(model, rule, hfs), opening)
        explicit.update({int(i): rule.kind for i in np.flatnonzero(hit)})
    for site, at in d.by_site.value.items():
        hit = (sites == site) & existing
        if not hit.any():
            problems.append(_unknown(model, "portfolio.disposals.by_site", site))
        years[hit] = _time(model, at, hfs)[hit]
        opening[hit] = _opening(model, at, hfs)[hit]
        explicit.update({int(i): at.kind for i in np.flatnonzero(hit)})
    for bid, at in d.by_building.value.items():
        if bid not in index:
            problems.append(_unknown(model, "portfolio.disposals.by_building", bid))
            continue
        years[index[bid]] = _time(model, at, hfs)[index[bid]]
        opening[index[bid]] = _opening(model, at, hfs)[index[bid]]
        explicit[index[bid]] = at.kind
    by_site = d.kind_by_site.value
    default = d.default_kind.value
    kinds = np.array([by_site.get(site, default) for site in sites], dtype=object)
    for i, kind in explicit.items():
        if kind is not None:
            kinds[i] = kind
    return years, opening, kinds, problems


def _time(model: Model, at: DisposalAt | DisposalRule, hfs: np.ndarray) -> np.ndarray:
    """Return the disposal year of ``at`` for buildings of these HFs [year], ``(B,)``.

    A fixed ``year``, or the open year of the project it follows (for each building's HF)
    plus ``years_after``.
    """
    if at.after_opening is None:
        return np.full(hfs.shape, float(at.year))  # type: ignore[arg-type]
    per_hf = {h: project_open_year(model, at.after_opening, h) + at.years_after for h in set(hfs)}
    return np.array([per_hf[h] for h in hfs], dtype=float)


def _opening(model: Model, at: DisposalAt | DisposalRule, hfs: np.ndarray) -> np.ndarray:
    """Return the open year of the project ``at`` waits for [year], ``(B,)``; NaN for a year."""
    if at.after_opening is None:
        return np.full(hfs.shape, np.nan)
    return _time(model, at, hfs) - at.years_after


def delayed(years: np.ndarray, delay: int, floor: np.ndarray | float) -> np.ndarray:
    """Return disposal years moved ``delay`` years later (negative: earlier) [year].

    Parameters
    ----------
    years : numpy.ndarray
        Disposal years [year]; NaN for none (stays NaN).
    delay : int
        ``portfolio.disposals.delay_years`` [years].
    floor : numpy.ndarray or float
        The earliest year a disposal may be brought forward to [year]: the plan year
        (``model.plan_start``), or the open year of the project a disposal waits for when later.

    Returns
    -------
    numpy.ndarray
        ``years + delay``; brought forward, never before ``floor``, and a disposal already before
        it (the record, or a disposal that follows its project at once) is not moved earlier.
    """
    if delay >= 0:
        return years + delay
    return np.maximum(years + delay, np.fmin(years, floor))


def _unknown(model: Model, key: str, found: str) -> Problem:
    """A disposal naming a site (``by_site``) or building id the register lacks, blamed where
    it is written."""
    file, row = model.where(key, found)
    by_site = key.endswith("by_site")
    msg = Msg("stock.no_building_at_site") if by_site else Msg("stock.no_building_with_id")
    return Problem(file, msg, row=row, column=f"{key}.{found}", found=found)


def project_open_year(model: Model, key: str, hf: str) -> int:
    """Return the open (go-live) year of a project for one HF [year].

    Parameters
    ----------
    model : Model
        The scenario.
    key : str
        Project key in ``finance.projects`` (named field or ``other``).
    hf : str
        HF code.
    """
    project = dict(model.finance.projects.items())[key]
    return int(project.open_year.value[hf])
