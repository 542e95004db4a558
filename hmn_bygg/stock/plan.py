"""Scenario config → the building stock: new buildings, open years and disposal plans.

Turns the ``portfolio`` section of each scenario into the arrays the simulation takes
(:func:`hmn_bygg.engine.run.build_inputs` ``open_year=`` and ``disposal_year=``, both
``(scenario, building)``) and the per-building disposal kind and sale price the booking
(:mod:`hmn_bygg.finance.ltb`) needs. The register gets the *union* of every scenario's new buildings
(:func:`hmn_bygg.stock.portfolio.add_buildings`); a building a scenario does not open has open
year ``+inf`` in that scenario, so one register serves every scenario.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

from hmn_bygg.config import Model, NewBuilding, as_year_array
from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.messages import Msg
from hmn_bygg.register import weighting
from hmn_bygg.stock import disposals, portfolio
from hmn_bygg.stock.disposal_overrides import delayed, project_open_year, scenario_overrides

NEVER = np.inf
"""Open year of a building that a scenario does not open."""


def new_building_rows(model: Model) -> pd.DataFrame:
    """Return a scenario's new buildings as the table :func:`portfolio.add_buildings` takes.

    Returns
    -------
    pandas.DataFrame
        Columns ``building_id``, ``name``, ``hf``, ``site``, ``use``, ``floor_area`` [m²],
        ``replacement_value`` [NOK/m²], ``open_year`` [year] (from the building or from the
        project it opens with), ``source``.
    """
    columns = [*portfolio.NEW_BUILDING_COLUMNS, "source"]
    return pd.DataFrame(_rows(model), columns=columns)


def _rows(model: Model) -> list[dict[str, object]]:
    """A scenario's new buildings as the rows of :func:`new_building_rows`."""
    rows = []
    for b in model.portfolio.new_buildings.value:
        rows.append(_row(b, _open_year(model, b)))
    return rows


def _open_year(model: Model, b: NewBuilding) -> int | None:
    """A new building's open year: its own, or that of the project it opens with."""
    return b.open_year if b.opens_with is None else project_open_year(model, b.opens_with, b.hf)


def _row(b: NewBuilding, year: int | None) -> dict[str, object]:
    return {
        "building_id": b.building_id,
        "name": b.name,
        "hf": b.hf,
        "site": b.site,
        "use": b.use,
        "floor_area": b.floor_area_m2,
        "replacement_value": b.replacement_value_nok_per_m2,
        "open_year": year,
        "source": b.source,
    }


def with_new_buildings(register: xr.Dataset, scenarios: Mapping[str, Model]) -> xr.Dataset:
    """Return the register with every scenario's new buildings appended (the union).

    Buildings already in the register (e.g. added by an earlier call) are not added again.
    When two scenarios describe the same building id differently (other than its open year),
    the first scenario's description is used.

    Parameters
    ----------
    register : xr.Dataset
        The register (:func:`hmn_bygg.register.model.build_register`).
    scenarios : mapping of str to Model
        Validated scenarios.

    Returns
    -------
    xr.Dataset
        The register, with ``open_year`` per building (NaN for the original stock; for new
        buildings the first scenario's open year, see :func:`open_years` for the per-scenario
        values).
    """
    rows = [_rows(m) for m in scenarios.values()]
    # the same register and new buildings come back with every run (what-if, benchmarks):
    # the register with them is kept for the register object as long as none of its
    # variables or attrs changes; its arrays are shared, read only (as the register's)
    key = (
        id(register),
        tuple(map(id, register.variables.values())),
        repr(register.attrs),
        tuple(tuple(r.values()) for table in rows for r in table),
    )
    kept = _WITH_NEW.get(key[0])
    if kept is not None and kept[0]() is register and kept[1] == key:
        return kept[2].copy(deep=False)
    merged = _with_new(register, rows)
    if merged is not register:
        if len(_WITH_NEW) >= 4:
            _WITH_NEW.pop(next(iter(_WITH_NEW)))
        _WITH_NEW[key[0]] = (weakref.ref(register), key, merged)
        return merged.copy(deep=False)
    return merged


_WITH_NEW: dict[int, tuple[weakref.ref, tuple, xr.Dataset]] = {}
"""Registers with their new buildings (:func:`with_new_buildings`), by register id."""


def _with_new(register: xr.Dataset, rows: list[list[dict[str, object]]]) -> xr.Dataset:
    """:func:`with_new_buildings` without the cache."""
    columns = [*portfolio.NEW_BUILDING_COLUMNS, "source"]
    tables = [pd.DataFrame(table, columns=columns) for table in rows]
    new = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()
    if new.empty:
        return register
    new = new.drop_duplicates("building_id", keep="first")
    new = new[~new["building_id"].isin(register["building"].values.astype(str))]
    if new.empty:
        return register
    return portfolio.add_buildings(register, new.drop(columns="source"), source="new_buildings")


def open_years(register: xr.Dataset, scenarios: Mapping[str, Model]) -> np.ndarray:
    """Return the year each building enters the stock in each scenario, ``(S, B)`` [year].

    NaN for buildings of the original register; a new building's open year in the scenarios
    that open it; ``+inf`` in scenarios that do not.
    """
    reg = register.variables  # read as arrays: no DataArray built per read
    ids = reg["building"].values.astype(str)
    known = ~np.isnan(reg["open_year"].values) if "open_year" in reg else None
    out = np.full((len(scenarios), ids.size), np.nan)
    if known is None:
        return out
    out[:, known] = NEVER
    index = {b: i for i, b in enumerate(ids)}
    for s, model in enumerate(scenarios.values()):
        for b in model.portfolio.new_buildings.value:
            year = _open_year(model, b)
            out[s, index[b.building_id]] = np.nan if year is None else float(year)
    return out


@dataclass(frozen=True)
class DisposalPlan:
    """Disposal years and kinds per scenario and building.

    Attributes
    ----------
    year : numpy.ndarray
        Disposal year [year], NaN = none, ``(S, B)``.
    kind : numpy.ndarray
        ``"sale"`` or ``"demolition"`` (str), ``(S, B)``.
    sale_price : numpy.ndarray
        Net sale price of each building by its use [NOK/m²], ``(S, B)``.
    """

    year: np.ndarray
    kind: np.ndarray
    sale_price: np.ndarray

    def as_dataset(self, register: xr.Dataset, scenarios: list[str]) -> xr.Dataset:
        """Return ``disposal_year`` and ``disposal_kind`` as variables ``(scenario, building)``."""
        dims = ("scenario", "building")
        coords = {"scenario": scenarios, "building": register["building"].values}
        return xr.Dataset(
            {"disposal_year": (dims, self.year), "disposal_kind": (dims, self.kind)},
            coords=coords,
        )


def disposal_plan(register: xr.Dataset, scenarios: Mapping[str, Model]) -> DisposalPlan:
    """Return each scenario's disposal plan: the register's plan with the overrides applied.

    Parameters
    ----------
    register : xr.Dataset
        The register (with any new buildings; those are never disposed of by site or rule).
    scenarios : mapping of str to Model
        Validated scenarios.

    Returns
    -------
    DisposalPlan

    Raises
    ------
    InputError
        When an override names a building id or site that is not in the register.

    Notes
    -----
    Per building: ``by_building`` if given, else ``by_site``, else the earliest of the
    register's planned year and the years of the matching rules (a rule's grade is the
    building's register grade, :func:`hmn_bygg.register.weighting.building_grade`). A year is fixed,
    or ``years_after`` the open year (for the building's HF) of the project named by
    ``after_opening``, so a scenario or a Monte Carlo draw that delays the project delays the
    disposal. Every disposal then comes ``delay_years`` later (0 in the base model; uncertain
    in Monte Carlo runs; negative: earlier, :func:`delayed`). The kind is the override's, else
    ``kind_by_site``, else ``default_kind``.
    """
    reg = register.variables  # read as arrays: no DataArray built per read
    ids = reg["building"].values.astype(str)
    uses = reg["use"].values.astype(str)
    existing = np.ones(ids.size, bool)
    if "open_year" in reg:
        existing = np.isnan(reg["open_year"].values)
    planned = reg["planned_disposal_year"].values.astype(float)
    grade = weighting.grade_of_parts(
        reg["condition_grade"].transpose(..., "part").values,
        reg["cost_share"].transpose(..., "part").values,
    )
    grade = np.nan_to_num(grade.astype(float), nan=-1.0)
    n_s = len(scenarios)
    years = np.tile(planned, (n_s, 1))
    kinds = np.empty((n_s, ids.size), dtype=object)
    prices = np.zeros((n_s, ids.size))
    problems: list[Problem] = []
    index = {b: i for i, b in enumerate(ids)}
    unique_uses, use_of = np.unique(uses, return_inverse=True)
    # rows that share the leaves a plan reads and the projects' open years (Monte Carlo draws
    # of one scenario) share it
    done: dict[tuple, tuple] = {}
    for s, model in enumerate(scenarios.values()):
        d = model.portfolio.disposals
        leaves = (d.rules, d.by_site, d.by_building, d.kind_by_site, d.default_kind)
        opens = tuple((k, *p.open_year.value.items()) for k, p in model.finance.projects.items())
        sig = (*map(id, leaves), opens)
        if sig not in done:
            done[sig] = (
                leaves,
                scenario_overrides(model, register, grade, existing, planned, index),
            )
        base, opening, kind, bad = done[sig][1]
        problems += bad
        floor = np.fmax(opening, model.model.first_plan_year)
        years[s] = delayed(base, d.delay_years.value, floor)  # NaN (no disposal) stays NaN
        kinds[s] = kind
        price = model.portfolio.sale_price_nok_per_m2
        if ("price", id(price)) not in done:
            values = np.array([price.value[u] for u in unique_uses], dtype=float)
            done[("price", id(price))] = (price, values[use_of])
        prices[s] = done[("price", id(price))][1]
    if problems:
        raise InputError(problems, title=Msg("stock.disposal_overrides_invalid"))
    return DisposalPlan(years, kinds.astype(str), prices)


def fdv_rate(scenarios: Mapping[str, Model], years: np.ndarray) -> np.ndarray:
    """Return the FDV cost per m² of each scenario and year [NOK/m²/yr], ``(S, Y)``."""
    return np.stack([as_year_array(m.portfolio.fdv_nok_per_m2, years) for m in scenarios.values()])


def propose_disposals(
    ds: xr.Dataset,
    register: xr.Dataset,
    model: Model,
    *,
    scenario: str,
    target_m2: float,
    by_year: int,
    pinned: set[str] | frozenset[str] = frozenset(),
    protected_uses: set[str] | frozenset[str] = frozenset(),
    min_grade: float = 0.0,
) -> pd.DataFrame:
    """Run the disposal planner on one scenario's simulated state in ``by_year``.

    Parameters
    ----------
    ds : xr.Dataset
        Results of :func:`hmn_bygg.engine.run.run_models` (``disposal_year``,
        ``upgrade_need_building``, ``building_grade``).
    register : xr.Dataset
        The register the results ran on (with its new buildings, :func:`with_new_buildings`).
    model : Model
        The scenario (its ``portfolio.pinned`` ids are kept).
    scenario : str
        Scenario name in ``ds``.
    target_m2 : float
        Target area of the region [m²].
    by_year : int
        Year the target is to be met (clipped to the model years for grades and need).
    pinned : set of str
        Further ids to keep.
    protected_uses : set of str
        Uses never proposed (``protected_uses`` of ``models/solve_plan.yaml``).
    min_grade : float
        Only buildings at this simulated grade or worse in ``by_year`` are proposed [TG].

    Returns
    -------
    pandas.DataFrame
        :func:`hmn_bygg.stock.disposals.plan_disposals` (one row per proposed building, with its
        score and its parts, ``area_after`` and ``attrs["target_reached"]``).

    Raises
    ------
    InputError
        When ``by_year`` is not after the register year and within the horizon.
    """
    years = ds["year"].to_numpy()
    if not years[0] < by_year <= years[-1]:
        problem = Problem("solve disposals", Msg("stock.year_outside_horizon"), column="--by",
                          expected=Msg("stock.years_from_to", first=str(years[0] + 1),
                                       last=str(years[-1])), found=str(by_year))  # fmt: skip
        raise InputError([problem], title=Msg("stock.disposal_question_invalid"))
    at = int(by_year)
    one = ds.sel(scenario=scenario, year=at)
    area = register["floor_area"]
    need = (one["upgrade_need_building"] * 1e6 / area).where(area > 0).reset_coords(drop=True)
    grade = one["building_grade"].reset_coords(drop=True)
    planned = ds["disposal_year"].sel(scenario=scenario).reset_coords(drop=True)
    keep = set(model.portfolio.pinned.value) | set(pinned)
    plan = disposal_plan(register, {scenario: model})
    demolish = model.portfolio.demolition_cost_nok_per_m2.value
    net = np.where(plan.kind[0] == "sale", plan.sale_price[0], -demolish)
    return disposals.plan_disposals(
        register,
        need,
        target_m2,
        by_year,
        disposal_year=planned,
        pinned=keep,
        grade=grade,
        protected_uses=protected_uses,
        min_grade=min_grade,
        net_sale_per_m2=xr.DataArray(net, dims="building", coords={"building": area.building}),
    )
