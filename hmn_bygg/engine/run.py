"""Run scenarios: model files → register → stacked inputs → one simulation → one Dataset.

This is the orchestration layer that the CLI, the notebooks and the dashboard call. It holds
no model logic: it reads the register named by the model, appends every scenario's new
buildings and works out each scenario's open and disposal years
(:mod:`hmn_bygg.stock.plan`), turns each scenario's validated config into arrays
(:func:`build_inputs`), runs them all in one call of :func:`hmn_bygg.condition.simulate.simulate`,
and books the long-term budget on the results (:func:`hmn_bygg.finance.ltb.book`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path

import numpy as np
import xarray as xr

from hmn_bygg import __version__
from hmn_bygg.condition.inputs import ConditionInputs
from hmn_bygg.condition.simulate import simulate
from hmn_bygg.config import (
    PARTS,
    Model,
    as_part_array,
    as_year_array,
    hf_codes,
    load_scenarios,
)
from hmn_bygg.config.year_arrays import hf_year_values
from hmn_bygg.core.assemble import assemble
from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.limits import result_size_problem
from hmn_bygg.core.messages import Msg
from hmn_bygg.finance import ltb
from hmn_bygg.finance.nominal import condition_basis
from hmn_bygg.finance.price_basis import factor, index_for
from hmn_bygg.finance.rows import leaf_at, model_memo
from hmn_bygg.register.load import load_register
from hmn_bygg.stock import plan as scenario_portfolio


def model_years(model: Model) -> np.ndarray:
    """Return the simulated years ``start_year .. end_year`` of a model."""
    return np.arange(model.model.start_year, model.model.end_year + 1)


def hf_budget(model: Model, register: xr.Dataset, years: np.ndarray) -> np.ndarray:
    """Return a scenario's maintenance budget per HF and year [MNOK], shape ``(H, Y)``.

    Parameters
    ----------
    model : Model
        The scenario.
    register : xr.Dataset
        The register: the floor areas of its original stock (buildings without an
        ``open_year``) split the regional extra budget by area.
    years : numpy.ndarray
        Years ``(Y,)``.

    Returns
    -------
    numpy.ndarray
        ``budget_mnok[h, y] + split[h] · extra_budget_mnok[y]`` where ``split`` is each HF's
        share of the register's floor area (or ``1/H`` with ``extra_budget_split: equal``).
    """
    m = model.maintenance
    hfs = hf_codes()
    base = hf_year_values(m.budget_mnok, hfs, years)
    extra = as_year_array(m.extra_budget_mnok, years)
    norms = model.upgrade_cost.must_nok_per_m2.price_year
    if m.extra_budget_mnok.price_year not in (m.budget_mnok.price_year, None, "nominal"):
        to_budget = factor(
            index_for(model), "construction", m.extra_budget_mnok.price_year,
            np.array([m.budget_mnok.price_year]),
        )  # fmt: skip
        extra = extra * to_budget[0]
    if norms != m.budget_mnok.price_year and "nominal" not in (norms, m.budget_mnok.price_year):
        to_norms = factor(
            index_for(model), "construction", m.budget_mnok.price_year, np.array([norms])
        )[0]
        base, extra = base * to_norms, extra * to_norms
    if m.extra_budget_split.value == "equal":
        split = np.full(len(hfs), 1.0 / len(hfs))
    else:
        reg = register.variables
        hf = reg["hf"].to_numpy().astype(str)
        area = reg["floor_area"].to_numpy()
        if "open_year" in reg:  # new buildings do not shift the split
            area = np.where(np.isnan(reg["open_year"].to_numpy()), area, 0.0)
        per_hf = np.array([area[hf == h].sum() for h in hfs])
        split = per_hf / per_hf.sum()
    return base + split[:, None] * extra[None, :]


def build_inputs(
    register: xr.Dataset,
    scenarios: Mapping[str, Model],
    *,
    disposal_year: np.ndarray | None = None,
    open_year: np.ndarray | None = None,
) -> ConditionInputs:
    """Stack the scenarios' parameters into arrays for :func:`hmn_bygg.condition.simulate.simulate`.

    Parameters
    ----------
    register : xr.Dataset
        The register every scenario runs on.
    scenarios : mapping of str to Model
        Validated scenarios, in order; all must share start and end years.
    disposal_year, open_year : numpy.ndarray, optional
        Per scenario and building [year] ``(S, B)``; default: the register's planned disposal
        years and no new buildings.

    Returns
    -------
    ConditionInputs
        One row per scenario.

    Raises
    ------
    InputError
        When scenarios disagree on the years or the register's part codes differ from the
        model's.
    """
    names = list(scenarios)
    models = list(scenarios.values())
    first = models[0]

    def differs(m: Model) -> str:  # the key to blame: where the scenario's years are written
        same_start = m.model.start_year == first.model.start_year
        return "model.end_year" if same_start else "model.start_year"

    problems = [
        Problem(
            m.where(differs(m))[0],
            Msg("engine.years_differ", scenario=name),
            row=m.where(differs(m))[1],
            column="model.start_year / model.end_year",
            expected=Msg(
                "config.year_span",
                first=str(first.model.start_year),
                last=str(first.model.end_year),
            ),
            found=f"{m.model.start_year}–{m.model.end_year}",
        )
        for name, m in scenarios.items()
        if (m.model.start_year, m.model.end_year) != (first.model.start_year, first.model.end_year)
    ]
    if list(register.variables["part"].to_numpy()) != list(PARTS):
        problems.append(
            Problem(
                "register",
                Msg("engine.part_codes_differ"),
                expected=", ".join(PARTS),
                found=", ".join(map(str, register["part"].to_numpy())),
            )
        )
    if problems:
        raise InputError(problems, title=Msg("engine.cannot_run_together"))
    years = model_years(first)
    n_s, n_b = len(models), register.sizes["building"]

    def parts(key: str) -> np.ndarray:  # a per-part table of every scenario (read once a model)
        def read(m: Model) -> np.ndarray:
            return as_part_array(leaf_at(m, key), PARTS).to_numpy()

        return np.stack([model_memo(m, ("part_array", key), partial(read, m)) for m in models])

    def scalar(get) -> np.ndarray:
        return np.array([get(m).value for m in models])

    planned = register.variables["planned_disposal_year"].to_numpy().astype(float)
    return ConditionInputs(
        scenarios=tuple(names),
        years=years,
        hfs=hf_codes(),
        wear_model=scalar(lambda m: m.condition.wear_model).astype(str),
        wear_shape=scalar(lambda m: m.condition.wear_shape).astype(float),
        part_life=parts("condition.part_life_years"),
        wear_rate_factor=scalar(lambda m: m.condition.wear_rate_factor).astype(float),
        should_nok_per_m2=parts("upgrade_cost.should_nok_per_m2"),
        must_nok_per_m2=parts("upgrade_cost.must_nok_per_m2"),
        renew_nok_per_m2=parts("upgrade_cost.renew_tg1_nok_per_m2"),
        budget_mnok=np.stack([hf_budget(m, register, years) for m in models]),
        policy=scalar(lambda m: m.maintenance.policy).astype(str),
        risk_weight=parts("maintenance.risk_weight"),
        result_grade=scalar(lambda m: m.maintenance.result_grade).astype(float),
        disposal_horizon=scalar(lambda m: m.maintenance.disposal_horizon_years).astype(float),
        weighting=scalar(lambda m: m.model.weighting).astype(str),
        disposal_year=np.tile(planned, (n_s, 1)) if disposal_year is None else disposal_year,
        open_year=np.full((n_s, n_b), np.nan) if open_year is None else open_year,
        price_basis=condition_basis(first),
    )


def register_for(scenarios: Mapping[str, Model]) -> xr.Dataset:
    """Load the register the scenarios name (they must all name the same one).

    Parameters
    ----------
    scenarios : mapping of str to Model
        Validated scenarios.

    Returns
    -------
    xr.Dataset
        The checked register.

    Raises
    ------
    InputError
        When scenarios name different registers, or the register has problems.
    """
    paths = {name: tuple(m.register_paths()) for name, m in scenarios.items()}
    distinct = set(paths.values())
    if len(distinct) > 1:
        raise InputError(
            [
                Problem(
                    scenarios[n].where("model.register")[0],
                    Msg("engine.registers_differ", scenario=n),
                    row=scenarios[n].where("model.register")[1],
                    column="model.register",
                    found=", ".join(map(str, p)),
                )
                for n, p in paths.items()
            ],
            title=Msg("engine.cannot_run_together"),
        )
    return load_register(list(next(iter(distinct))))


def prepare_inputs(
    scenarios: Mapping[str, Model], register: xr.Dataset | None = None
) -> tuple[xr.Dataset, ConditionInputs]:
    """Return the register with every scenario's new buildings, and the stacked inputs.

    The stock plan (open and disposal year of every building per scenario) is worked out here,
    once, and handed to the condition stage inside the inputs. :func:`run_models` and the
    Monte Carlo engine (:mod:`hmn_bygg.risk.ensemble`) both start here.

    Parameters
    ----------
    scenarios : mapping of str to Model
        Scenarios, in order.
    register : xr.Dataset, optional
        A register already loaded (default: the one the scenarios name).

    Returns
    -------
    (xr.Dataset, ConditionInputs)
        The register with new buildings, and the inputs of
        :func:`~hmn_bygg.condition.simulate.simulate`.
    """
    reg, inputs, _ = _prepare(scenarios, register)
    return reg, inputs


def _prepare(
    scenarios: Mapping[str, Model], register: xr.Dataset | None
) -> tuple[xr.Dataset, ConditionInputs, scenario_portfolio.DisposalPlan]:
    """:func:`prepare_inputs`, and the disposal plan (which the booking reuses)."""
    reg = register if register is not None else register_for(scenarios)
    reg = scenario_portfolio.with_new_buildings(reg, scenarios)
    plan = scenario_portfolio.disposal_plan(reg, scenarios)
    opens = scenario_portfolio.open_years(reg, scenarios)
    return reg, build_inputs(reg, scenarios, disposal_year=plan.year, open_year=opens), plan


def run_models(
    scenarios: Mapping[str, Model],
    register: xr.Dataset | None = None,
    *,
    book: bool = True,
    prices: str | None = None,
) -> xr.Dataset:
    """Run validated scenarios together and return the results.

    Parameters
    ----------
    scenarios : mapping of str to Model
        Scenarios in the order they should appear on the ``scenario`` dim.
    register : xr.Dataset, optional
        A register already loaded (default: the one the scenarios name). The scenarios' new
        buildings are appended to it unless it already has them.
    book : bool
        Book the long-term budget (:func:`hmn_bygg.finance.ltb.book`); ``False`` returns the
        condition and area results only (faster, for solvers that need only grades), in the
        fixed prices of the maintenance budget.
    prices : str, optional
        ``nominal`` or ``real:YYYY`` (default the model's ``model.price_basis``): how the
        booked results show money; ``attrs["price_basis"]`` says which.

    Returns
    -------
    xr.Dataset
        The results (see the glossary), with ``attrs["vttg_target"]``,
        ``attrs["area_target_m2"]`` and ``attrs["register_sources"]``; the ``building`` dim
        includes every scenario's new buildings (``in_service`` tells which are open).
    """
    reg, inputs, plan = _prepare(scenarios, register)
    too_big = result_size_problem(len(scenarios), len(inputs.years), reg.sizes["building"],
                                  reg.sizes["part"], file="run")  # fmt: skip
    if too_big is not None:
        raise InputError([too_big], title=Msg("engine.too_big"))
    first = next(iter(scenarios.values()))
    ds = simulate(reg, inputs)
    ds.attrs["vttg_target"] = float(first.model.targets.vttg_target.value)
    ds.attrs["area_target_m2"] = float(first.model.targets.area_target_m2.value)
    ds.attrs["register_sources"] = list(reg.attrs.get("sources", []))
    ds.attrs["grade_origin"] = reg.attrs.get("grade_origin", "part")
    ds.attrs["model_file"] = str(first.file) if first.file is not None else ""
    ds.attrs["hmn_bygg_version"] = __version__
    ds.attrs["run_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    ds = mark_history(ds, first)
    if not book:
        return ds
    return book_results(ds, scenarios, reg, prices, disposal_plan=plan)


def book_results(
    condition: xr.Dataset,
    scenarios: Mapping[str, Model],
    register: xr.Dataset,
    prices: str | None = None,
    *,
    disposal_plan: scenario_portfolio.DisposalPlan | None = None,
) -> xr.Dataset:
    """Book the long-term budget on condition results and show money in a price basis.

    Parameters
    ----------
    condition : xr.Dataset
        Condition and area results (``run_models(..., book=False)`` or the ensemble's rows).
    scenarios : mapping of str to Model
        The scenarios, in the order of ``condition.scenario``.
    register : xr.Dataset
        The register with the scenarios' new buildings.
    prices : str, optional
        ``nominal`` or ``real:YYYY``; default the first scenario's ``model.price_basis``.
    disposal_plan : DisposalPlan, optional
        The scenarios' disposal plan when already worked out
        (:func:`hmn_bygg.stock.plan.disposal_plan`; default: worked out by the booking).

    Returns
    -------
    xr.Dataset
        :func:`hmn_bygg.finance.ltb.book` (nominal) shown in ``prices``
        (:func:`hmn_bygg.finance.price_basis.apply_price_basis`).
    """
    first = next(iter(scenarios.values()))
    basis = prices or first.model.price_basis
    return ltb.book(condition, scenarios, register, disposal_plan=disposal_plan, prices=basis)


def mark_history(ds: xr.Dataset, model: Model) -> xr.Dataset:
    """Return results with their history years marked: ``history`` (``year``, bool) and attrs.

    ``attrs["plan_start"]`` is the first plan year, ``attrs["survey_year"]`` the register's
    year; ``attrs["condition_basis"]`` says that the condition after the survey year is
    simulated (rolled forward from the register), not observed. ``ds`` is meant to be dropped.
    """
    plan, start = model.model.first_plan_year, model.model.start_year
    basis = (f"surveyed {start}; simulated from {start + 1} "
             f"(history {start + 1}–{plan - 1} simulated, not observed)")  # fmt: skip
    attrs = dict(ds.attrs, plan_start=int(plan), survey_year=int(start), condition_basis=basis)
    history = xr.Variable("year", ds.variables["year"].to_numpy() < plan)
    return assemble({**ds.variables, "history": history}, ds.coords, attrs, ds.xindexes)


def run(
    model_path: str | Path | None = None,
    scenario_names: Sequence[str] | None = None,
    *,
    scenarios_path: str | Path | None = None,
    register: xr.Dataset | None = None,
) -> xr.Dataset:
    """Run the named scenarios of a model (default: every bundled scenario).

    Parameters
    ----------
    model_path : str or Path, optional
        The model file (default ``models/hmn.yaml``).
    scenario_names : sequence of str, optional
        Scenarios to run (default: all in the scenarios file, in file order).
    scenarios_path : str or Path, optional
        The scenarios file (default: ``scenarios.yaml`` beside the model).
    register : xr.Dataset, optional
        A register already loaded.

    Returns
    -------
    xr.Dataset
        The results of all scenarios, ``scenario`` a dimension.
    """
    scenarios = load_scenarios(model_path, scenarios_path, scenario_names)
    return run_models(scenarios, register)
