"""Language-neutral facts for the board brief, read from a results Dataset.

Everything here is numbers (floats, years, lists of years); the words come later
(:mod:`hmn_bygg.report.brief.content`). Optional variables of the long-term budget (``liquidity``,
``credit_limit``, ...) are used when present and skipped cleanly when not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import xarray as xr

from hmn_bygg.config.keys import hint
from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.messages import Msg
from hmn_bygg.core.targets import target_area, target_vttg
from hmn_bygg.finance.breaches import credit_line

#: Years the brief reports besides the first and last (kept when inside the results).
MILESTONES: tuple[int, ...] = (2030, 2035)
#: Tolerance when comparing a grade or an area with its target.
TOL = 1e-9
#: Variables the brief needs.
REQUIRED = ("vttg", "vttg_region", "area_region", "upgrade_need_region")


def has_liquidity(ds: xr.Dataset) -> bool:
    """Whether the results carry the long-term budget's liquidity and credit limit."""
    return "liquidity" in ds and "credit_limit" in ds


def check_results(ds: xr.Dataset, scenarios: Sequence[str] | None) -> list[str]:
    """Check that ``ds`` holds what a brief needs and return the chosen scenarios.

    Parameters
    ----------
    ds : xr.Dataset
        Results of :func:`hmn_bygg.engine.run.run`.
    scenarios : sequence of str, optional
        Scenarios to show, in this order; default all in ``ds``.

    Returns
    -------
    list of str
        The scenario names.

    Raises
    ------
    InputError
        When a variable is missing or a scenario is unknown.
    """
    problems = [
        Problem(
            "results",
            Msg("report.variable_missing"),
            column=name,
            expected=Msg("report.results_of_run"),
        )
        for name in (*REQUIRED, "scenario", "year")
        if name not in ds.variables
    ]
    if problems:
        raise InputError(problems, title=Msg("report.results_cannot_make_brief"))
    known = [str(s) for s in ds["scenario"].to_numpy()]
    chosen = known if not scenarios else [str(s) for s in scenarios]
    problems = [
        Problem(
            "results",
            Msg("report.no_scenario_named", name=s, hint=hint(s, known), available=known),
        )
        for s in chosen
        if s not in known
    ]
    if len(set(chosen)) != len(chosen):
        twice = Problem("results", Msg("report.scenario_named_twice"), found=", ".join(chosen))
        problems.append(twice)
    if problems:
        raise InputError(problems, title=Msg("report.brief_cannot_show_scenarios"))
    return chosen


def reduce_draws(ds: xr.Dataset) -> xr.Dataset:
    """Return the median over ``draw`` of every numeric variable (``ds`` if there is none)."""
    if "draw" not in ds.dims:
        return ds
    keep = {
        name: (da.median("draw") if "draw" in da.dims else da)
        for name, da in ds.data_vars.items()
        if np.issubdtype(da.dtype, np.number)
    }
    return xr.Dataset(keep, attrs=ds.attrs)


def years_of(ds: xr.Dataset) -> tuple[int, int, list[int]]:
    """Return the first and last year and the milestone years inside them.

    Returns
    -------
    tuple
        ``(first, last, [milestones..., last])``: the years the key figures report after
        the first year.
    """
    years = [int(y) for y in ds["year"].to_numpy()]
    first, last = years[0], years[-1]
    marks = [y for y in MILESTONES if first < y < last]
    return first, last, [*marks, last]


def series(da: xr.DataArray) -> dict[int, float]:
    """Return a ``year``-indexed 1-D DataArray as ``{year: value}``."""
    return {int(y): float(v) for y, v in zip(da["year"].to_numpy(), da.to_numpy(), strict=True)}


def first_year_at_or_below(path: dict[int, float], target: float) -> int | None:
    """Return the first year from which a path stays at or below ``target`` (``None``: never).

    A path that dips below the target and rises above it again has not met it: the year
    returned is the start of the last run at or below the target that lasts to the end.
    """
    year_met: int | None = None
    for year, value in path.items():
        if np.isfinite(value) and value <= target + TOL:
            year_met = year if year_met is None else year_met
        else:
            year_met = None
    return year_met


def area_target_result(ds: xr.Dataset, scenario: str) -> tuple[int | None, float]:
    """Return the year the area target is met (or ``None``) and the gap in the last year [m²].

    Uses ``area_target_year`` / ``area_target_gap`` when the results have them, else computes
    them from ``area_region`` and the target.
    """
    if "area_target_year" in ds and "area_target_gap" in ds:
        year = float(ds["area_target_year"].sel(scenario=scenario))
        gap = float(ds["area_target_gap"].sel(scenario=scenario))
        return (int(year) if np.isfinite(year) else None), max(gap, 0.0)
    path = series(ds["area_region"].sel(scenario=scenario))
    target = target_area(ds)
    met = first_year_at_or_below(path, target)
    return met, max(list(path.values())[-1] - target, 0.0)


def reaches_a_target(ds: xr.Dataset, scenario: str) -> bool:
    """Whether a scenario brings the region to the VTTG target or the area target in time."""
    vttg = series(ds["vttg_region"].sel(scenario=scenario))
    met = first_year_at_or_below(vttg, target_vttg(ds)) is not None
    return met or area_target_result(ds, scenario)[0] is not None


@dataclass(frozen=True)
class AreaPeak:
    """A one-year peak of the region's floor area: new buildings in use before old ones leave.

    ``opened`` [m²] is the rise in ``year``, ``disposed`` [m²] the fall in the year after.
    """

    year: int
    opened: float
    disposed: float


def area_peak(ds: xr.Dataset, scenario: str) -> AreaPeak | None:
    """Return the first year the region's area rises and then falls the next year, or None.

    The model counts a new building from its opening year and an old one until its disposal
    year, so when the buildings a project replaces leave the year after it opens (SNR opens in
    2025, the old Molde and Kristiansund buildings leave in 2026 by the register's planned
    disposal year), the area holds both for that one year: the truth of those dates, not a
    double count. The charts say so in one sentence.
    """
    path = series(ds["area_region"].sel(scenario=scenario))
    years = sorted(path)
    for before, year, after in zip(years, years[1:], years[2:], strict=False):
        rise, fall = path[year] - path[before], path[year] - path[after]
        if rise > 0.5 and fall > 0.5:
            return AreaPeak(int(year), rise, fall)
    return None


def default_scenarios(ds: xr.Dataset) -> list[str] | None:
    """Return the scenarios shown side by side by default: in the brief and on the dashboard.

    The bundled ``brief:`` list (``models/scenarios.yaml``, which says why there is one) as far
    as ``ds`` holds it, in its order (the first is the reference), then every other scenario
    of ``ds`` that reaches the VTTG or the area target, so the board sees every plan that
    works. The board brief (:func:`hmn_bygg.report.brief.content.build_content`) and the
    dashboard's Scenarier page both take their default from here.

    Returns
    -------
    list of str or None
        Scenario names; ``None`` when the list names none of the scenarios of ``ds`` (then
        the brief shows them all).
    """
    from hmn_bygg.config.labels import brief_scenarios

    present = check_results(ds, None)  # the variables are there; all scenarios
    listed = [s for s in brief_scenarios() if s in present]
    if not listed:
        return None
    median = reduce_draws(ds)
    return listed + [s for s in present if s not in listed and reaches_a_target(median, s)]


def plan_from(ds: xr.Dataset) -> int:
    """Return the first year a decision can change: the results' plan year.

    ``attrs["plan_start"]`` of the results (:func:`hmn_bygg.engine.run.mark_history`); results
    written before the plan year was recorded count from the year after the first.
    """
    return int(ds.attrs.get("plan_start", int(ds["year"][0]) + 1))


def plan_years(ds: xr.Dataset) -> tuple[int, int, int]:
    """Return the plan period of the results: first and last year and how many years."""
    first, last = plan_from(ds), int(ds["year"][-1])
    return first, last, max(last - first + 1, 1)


def budget_total(ds: xr.Dataset, scenario: str) -> float | None:
    """Return the region's maintenance budget summed over the plan period [MNOK].

    From the plan year (:func:`plan_from`) on: what a board decision can still change. The
    years before are history, the same in every scenario.
    """
    if "maintenance_budget" not in ds:
        return None
    total = ds["maintenance_budget"].sel(scenario=scenario).sum("hf")
    return float(total.sel(year=slice(plan_from(ds), None)).sum())


def mean_budget(ds: xr.Dataset, scenario: str) -> float | None:
    """Return the region's mean yearly maintenance budget over the plan period [MNOK/yr]."""
    total = budget_total(ds, scenario)
    return None if total is None else total / plan_years(ds)[2]


@dataclass(frozen=True)
class Liquidity:
    """Liquidity facts of one HF (or the region) in one scenario.

    Parameters
    ----------
    lowest : float
        Lowest closing liquidity [MNOK].
    lowest_year : int
        Year of the lowest liquidity.
    credit_limit : float
        Operating credit limit in the year of the lowest liquidity [MNOK, at the results'
        price basis] (NaN when unknown).
    negative_years : list of int
        Years closing liquidity is below zero.
    breach_years : list of int
        Years closing liquidity is below minus the credit limit.
    """

    lowest: float
    lowest_year: int
    credit_limit: float
    negative_years: list[int]
    breach_years: list[int]


def liquidity_of(ds: xr.Dataset, scenario: str, hf: str | None) -> Liquidity:
    """Return the liquidity facts of ``hf`` (``None``: the region) in ``scenario``.

    Notes
    -----
    Breach: ``liquidity < -credit_limit - 1e-6`` [MNOK] (more than 1 krone below), the rule of
    ``credit_breach`` in the glossary; computed here so that the region is treated alike.
    """
    if hf is None:
        liq = ds["liquidity_region"].sel(scenario=scenario) if "liquidity_region" in ds else None
        if liq is None:
            liq = ds["liquidity"].sel(scenario=scenario).sum("hf")
        if "credit_limit_region" in ds:
            line = credit_line(ds, "_region").sel(scenario=scenario)
        else:
            line = credit_line(ds).sel(scenario=scenario).sum("hf")
    else:
        liq = ds["liquidity"].sel(scenario=scenario, hf=hf)
        line = credit_line(ds).sel(scenario=scenario, hf=hf)
    path = series(liq)
    limits = series(line)  # the line in each year's kroner of the price basis
    years = list(path)
    values = np.array(list(path.values()))
    i = int(np.nanargmin(values))
    limit = limits.get(years[i], float("nan"))
    return Liquidity(
        lowest=float(values[i]),
        lowest_year=years[i],
        credit_limit=limit,
        negative_years=[y for y, v in path.items() if v < -1e-6],
        breach_years=[
            y
            for y, v in path.items()
            if np.isfinite(limits.get(y, np.nan)) and v < -limits[y] - 1e-6
        ],
    )


def investment_total(ds: xr.Dataset, scenario: str) -> float | None:
    """Return the region's investments summed over all years [MNOK], when present."""
    if "investment_total_region" in ds:
        return float(ds["investment_total_region"].sel(scenario=scenario).sum())
    if "investment_total" in ds:
        return float(ds["investment_total"].sel(scenario=scenario).sum())
    return None


def last_project_year(ds: xr.Dataset, scenarios: Sequence[str]) -> int | None:
    """Return the last year any of these scenarios spends on a building or ICT project [year].

    Ordinary investment, medical equipment and capitalised maintenance recur every year and
    do not count. After
    this year the model holds no new project (only the known ones are in it), so liquidity
    grows with the operating surplus: readers should see that as room for new projects.
    None when the results have no investments by project.
    """
    from hmn_bygg.finance.ltb import RECURRING

    if "investment" not in ds or "project" not in ds["investment"].dims:
        return None
    projects = [p for p in ds["project"].to_numpy().astype(str) if p not in RECURRING]
    inv = ds["investment"].sel(scenario=list(scenarios), project=projects)
    inv = inv.sum([d for d in inv.dims if d != "year"])
    years = ds["year"].to_numpy()[inv.to_numpy() > 0.5]  # more than half a million NOK
    return int(years.max()) if years.size else None


def price_words(ds: xr.Dataset, lang: str) -> str:
    """The results' price basis in the reader's words (``faste 2026-kroner``), not the code."""
    from hmn_bygg.report.record_texts import basis_words

    prices = ds.attrs.get("prices")
    return basis_words(str(prices), lang) if prices else str(ds.attrs.get("price_basis", "–"))
