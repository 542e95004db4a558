"""Booking in nominal kroner: the price factors the long-term budget applies to its inputs.

Each money parameter is in the kroner of its ``price_year``
(:mod:`hmn_bygg.finance.price_basis`); :func:`hmn_bygg.finance.ltb.book` multiplies every
amount by the factor of the year it is paid, so that the cash flow, the loans and the interest
are nominal. Which series converts what (a convention, stated in ``models/price_index.yaml``):

- ``construction``: building and upgrade projects, maintenance money (the condition stage runs
  in fixed prices of ``maintenance.budget_mnok``'s price year), demolition;
- ``deflator``: everything else (ICT projects, equipment, running costs and savings, FDV,
  sales, loan frames, operating results, support, opening liquidity and credit lines).

:func:`project_loans` turns the projects' nominal drawdowns into state-loan flows, each
project on its own terms.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial

import numpy as np
import xarray as xr

from hmn_bygg.config import Model, Project, as_year_array
from hmn_bygg.core.assemble import variable
from hmn_bygg.finance import cash, loans
from hmn_bygg.finance.price_basis import PriceIndex, SeriesName, factor, to_nominal
from hmn_bygg.finance.rows import Rows, leaf_at, model_memo, once

__all__ = [
    "condition_basis",
    "nominal_condition",
    "nominal_variables",
    "per_scenario",
    "project_loans",
    "project_series",
    "regional_flows",
]

LOAN_FIELDS = ("loan_drawdown", "loan_repayment", "loan_interest", "loan_balance")

BUILDING_CLASSES = ("building", "upgrade")


def project_series(project: Project) -> SeriesName:
    """Return the index that converts a project's cost: building work or the deflator."""
    return "construction" if project.asset_class.value in BUILDING_CLASSES else "deflator"


def condition_basis(model: Model) -> str:
    """Return the fixed prices the condition stage runs in (``real:YYYY`` or ``nominal``)."""
    year = model.maintenance.budget_mnok.price_year
    return "nominal" if year in (None, "nominal") else f"real:{year}"


def per_scenario(
    rows: Mapping[str, Model] | Rows, key: str, index: PriceIndex, series: SeriesName, years
) -> np.ndarray:
    """Return the factors ``(R, 1, Y)`` [-] of the leaf at ``key`` (its ``price_year``) in
    every row, worked out once per model."""
    rows = Rows.of_models(rows)
    return rows.per_model(lambda m: factor(index, series, leaf_at(m, key).price_year, years))[
        :, None, :
    ]


def nominal_condition(
    results: xr.Dataset, scenarios: Mapping[str, Model] | Rows, index: PriceIndex
) -> xr.Dataset:
    """Return the condition results with their money (``MNOK`` units, ``year`` dim) in nominal
    kroner, converted from the fixed prices of each scenario's maintenance budget with the
    construction index [MNOK] (:func:`nominal_variables`)."""
    data = {str(name): results.variables[name] for name in results.data_vars}
    out = results.copy()
    out.update(
        nominal_variables(data, scenarios, index, results.variables["year"].to_numpy())
    )  # one merge
    return out


def nominal_variables(
    data: Mapping[str, xr.Variable],
    scenarios: Mapping[str, Model] | Rows,
    index: PriceIndex,
    years: np.ndarray,
) -> dict[str, xr.Variable]:
    """Return the money variables of condition results in nominal kroner.

    Parameters
    ----------
    data : mapping of str to xr.Variable
        The condition results' data variables (money ones: units ``MNOK...`` and a ``year``
        dim, in the fixed prices of each scenario's maintenance budget).
    scenarios : mapping of str to Model, or Rows
        The rows of the ``scenario`` dim.
    index : PriceIndex
        The run's price index.
    years : numpy.ndarray
        The results' years ``(Y,)``.

    Returns
    -------
    dict of str to xr.Variable
        Each money variable times the construction index factor of its row and year.
    """
    f = per_scenario(scenarios, "maintenance.budget_mnok", index, "construction", years)
    f = f[:, 0, :]  # (S, Y), on the scenarios and years of the results, in their order
    new = {}
    for name, da in data.items():
        if str(da.attrs.get("units", "")).startswith("MNOK") and "year" in da.dims:
            k = f if "scenario" in da.dims else f[0]
            kept = [d for d in ("scenario", "year") if d in da.dims]
            shape = [k.shape[kept.index(d)] if d in kept else 1 for d in da.dims]
            order = sorted(range(len(kept)), key=lambda i: da.dims.index(kept[i]))
            k = np.transpose(k, order).reshape(shape)
            new[name] = variable(da.dims, da.data * k, da.attrs)
    return new


def regional_flows(
    scenarios: Mapping[str, Model] | Rows, support: np.ndarray, years, index
) -> dict:
    """The RHF's own cash flow ``(S, Y)`` [MNOK/yr, MNOK, nominal]: its result before support,
    minus the support it pays to the HFs (``support``, ``(S, Y)``)."""
    rows = Rows.of_models(scenarios)

    def before_of(m: Model) -> np.ndarray:
        r = m.finance.regional.operating_result_before_mnok
        return to_nominal(as_year_array(r, years), r, index, "deflator", years)

    def opening_of(m: Model) -> float:
        r = m.finance.regional.opening_liquidity_mnok
        return float(r.value) * factor(index, "deflator", r.price_year, years[:1])[0]

    before = rows.per_model(before_of)
    opening = rows.per_model(opening_of)  # nominal at the start of the first year
    items = {name: np.zeros_like(before) for name in cash.INPUT_ITEMS}
    items["operating_result_before"] = before - support
    return cash.cash_flow_arrays(items, opening)


SLOT_ROWS = 16
"""Most rows whose loans :func:`project_loans` keeps in the booking memo: a deterministic run's
scenarios; the rows of an ensemble, each its own drawn model, are booked anew, so that a
long-running server does not keep every chunk's drawdowns alive with its models."""


def project_loans(
    drawdown: np.ndarray, scenarios: Mapping[str, Model] | Rows, keys: Sequence[str]
) -> dict:
    """State-loan flows ``(R, H, Y)`` [MNOK/yr, MNOK] of project drawdowns ``(R, P, H, Y)``.

    Each project's loan runs on its own terms (``loan_term_years``, ``loan_kind``; empty ones
    follow ``finance.state_loan``) at the row's rate (``finance.state_loan.rate``, which a
    Monte Carlo draw may move): the cells of one set of terms are booked together, each on the
    schedule of its rate, worked out once per distinct rate (no loop over draws or loans).
    Up to :data:`SLOT_ROWS` rows without draws (the scenarios of a deterministic run) keep
    their last flows in the booking memo, by their models and the drawdowns' bytes (a
    deterministic run booked again gets copies of them).
    """
    rows = Rows.of_models(scenarios)
    if rows.keys or drawdown.shape[0] > SLOT_ROWS:
        return _project_loans(drawdown, rows, keys)
    drawdown = np.ascontiguousarray(drawdown, dtype=float)
    on = (rows.of.tobytes(), tuple(keys), drawdown.shape, drawdown.tobytes())
    last = rows.memo.get("last project loans")  # one slot: memory stays bounded
    if last is None or last[1] != on or len(last[0]) != len(rows.models):
        last = None
    elif not all(a is b for a, b in zip(last[0], rows.models, strict=True)):
        last = None
    if last is None:
        last = (rows.models, on, _project_loans(drawdown, rows, keys))
        rows.memo["last project loans"] = last
    return {name: values.copy() for name, values in last[2].items()}


def _project_loans(drawdown: np.ndarray, rows: Rows, keys: Sequence[str]) -> dict:
    """:func:`project_loans` worked out."""
    rate = rows.number("finance.state_loan.rate")
    groups: dict[tuple, list[tuple[np.ndarray, int]]] = {}
    for model, rs in rows.groups():
        terms = model_memo(model, ("loan terms", tuple(keys)), partial(_loan_terms, model, keys))
        for p, one in enumerate(terms):
            groups.setdefault(one, []).append((rs, p))
    shape = (drawdown.shape[0], *drawdown.shape[2:])
    out = {name: np.zeros(shape) for name in LOAN_FIELDS}
    drawn = "finance.state_loan.rate" in rows.keys
    for (term, kind, grace, on_drawdown), cells in groups.items():
        at_row = np.concatenate([rs for rs, _ in cells])
        at_project = np.concatenate([np.full(rs.size, p) for rs, p in cells])
        lent = drawdown[at_row, at_project].reshape(at_row.size, -1).any(axis=1)
        if not lent.any():
            continue
        # each row's loans side by side (its projects in order), on the row's schedule
        order = np.argsort(at_row[lent], kind="stable")
        at_row, at_project = at_row[lent][order], at_project[lent][order]
        users, first, count = np.unique(at_row, return_index=True, return_counts=True)
        slot = np.arange(at_row.size) - np.repeat(first, count)
        lent_d = np.zeros((users.size, count.max(), *drawdown.shape[2:]))
        lent_d[np.repeat(np.arange(users.size), count), slot] = drawdown[at_row, at_project]
        rates, which = np.unique(rate[users], return_inverse=True)

        def kernels(term=term, kind=kind, grace=grace, rates=rates) -> tuple:
            pay = loans.repayment_kernels(term, rates, kind, grace)
            return pay, loans.remaining_kernel(pay)

        if drawn:  # rates of Monte Carlo draws: worked out for these rows
            schedules = kernels()
        else:  # the models' own rates: once per booking memo
            at = ("loan kernels", term, kind, grace, rates.tobytes())
            schedules = once(rows.memo, at, kernels)
        flows = loans.loan_arrays(
            lent_d,
            rate[users].reshape(-1, *([1] * (lent_d.ndim - 1))),
            term,
            kind,
            grace,
            on_drawdown,
            kernels=schedules,
            which=which.reshape(-1),
        )
        for j in range(count.max()):  # added up loan by loan, in the projects' order
            has = count > j
            for name in LOAN_FIELDS:
                out[name][users[has]] += flows[name][has, j]
    return out


def _loan_terms(model: Model, keys: Sequence[str]) -> list[tuple]:
    """The loan terms of each project ``keys`` in a model: ``(term [years], kind, grace
    [years], interest on drawdown [fraction])``; a project without its own term or kind
    (or not in the model) follows ``finance.state_loan``."""
    r = model.finance.state_loan
    projects = dict(model.finance.projects.items())
    out = []
    for key in keys:
        project = projects.get(key)
        term, kind = r.term_years.value, r.kind.value
        if project is not None:
            term = project.loan_term_years.value or term
            kind = project.loan_kind.value or kind
        out.append((int(term), kind, int(r.grace_years.value), float(r.interest_on_drawdown.value)))
    return out
