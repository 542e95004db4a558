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

import numpy as np
import xarray as xr

from hmn_bygg.config import Model, Project, as_year_array
from hmn_bygg.finance import cash, loans
from hmn_bygg.finance.price_basis import PriceIndex, SeriesName, factor, to_nominal

__all__ = [
    "condition_basis",
    "nominal_condition",
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
    scenarios: Mapping[str, Model], get, index: PriceIndex, series: SeriesName, years
) -> np.ndarray:
    """Return the factors ``(S, 1, Y)`` [-] of the leaf ``get(model)`` in every scenario.

    Scenarios whose leaves share a price year share one computation (the rows of a Monte Carlo
    chunk are many scenarios with the same leaves).
    """
    by_year: dict = {}
    rows = []
    for m in scenarios.values():
        year = get(m).price_year
        if year not in by_year:
            by_year[year] = factor(index, series, year, years)
        rows.append(by_year[year])
    return np.stack(rows)[:, None, :]


def nominal_condition(
    results: xr.Dataset, scenarios: Mapping[str, Model], index: PriceIndex
) -> xr.Dataset:
    """Return the condition results with their money (``MNOK`` units, ``year`` dim) in nominal
    kroner, converted from the fixed prices of each scenario's maintenance budget with the
    construction index [MNOK]."""
    years = results["year"].to_numpy()
    f = per_scenario(scenarios, lambda m: m.maintenance.budget_mnok, index, "construction", years)
    f = f[:, 0, :]  # (S, Y), on the scenarios and years of the results, in their order
    new = {}
    for name, da in results.data_vars.items():
        if str(da.attrs.get("units", "")).startswith("MNOK") and "year" in da.dims:
            k = f if "scenario" in da.dims else f[0]
            kept = [d for d in ("scenario", "year") if d in da.dims]
            shape = [k.shape[kept.index(d)] if d in kept else 1 for d in da.dims]
            order = sorted(range(len(kept)), key=lambda i: da.dims.index(kept[i]))
            k = np.transpose(k, order).reshape(shape)
            new[str(name)] = xr.Variable(da.dims, da.data * k, da.attrs)
    out = results.copy()
    out.update(new)  # one merge
    return out


def regional_flows(scenarios: Mapping[str, Model], support: np.ndarray, years, index) -> dict:
    """The RHF's own cash flow ``(S, Y)`` [MNOK/yr, MNOK, nominal]: its result before support,
    minus the support it pays to the HFs (``support``, ``(S, Y)``)."""
    models = scenarios.values()
    before = np.stack([to_nominal(as_year_array(r, years), r, index, "deflator", years)
                       for r in (m.finance.regional.operating_result_before_mnok
                                 for m in models)])  # fmt: skip
    opening = np.array(
        [
            float(r.value) * factor(index, "deflator", r.price_year, years[:1])[0]
            for r in (m.finance.regional.opening_liquidity_mnok for m in models)
        ]
    )  # nominal at the start of the first year
    items = {name: np.zeros_like(before) for name in cash.INPUT_ITEMS}
    items["operating_result_before"] = before - support
    return cash.cash_flow_arrays(items, opening)


def project_loans(
    drawdown: np.ndarray, scenarios: Mapping[str, Model], keys: Sequence[str]
) -> dict:
    """State-loan flows ``(S, H, Y)`` [MNOK/yr, MNOK] of project drawdowns ``(S, P, H, Y)``.

    Each project's loan runs on its own terms (``loan_term_years``, ``loan_kind``; empty ones
    follow ``finance.state_loan``); one schedule is made per distinct set of terms.
    """
    groups: dict[tuple, list[tuple[int, int]]] = {}
    for s, model in enumerate(scenarios.values()):
        r = model.finance.state_loan
        projects = dict(model.finance.projects.items())
        for p, key in enumerate(keys):
            project = projects.get(key)
            term, kind = r.term_years.value, r.kind.value
            if project is not None:
                term = project.loan_term_years.value or term
                kind = project.loan_kind.value or kind
            terms = (float(r.rate.value), int(term), kind, int(r.grace_years.value))
            groups.setdefault((*terms, float(r.interest_on_drawdown.value)), []).append((s, p))
    shape = (drawdown.shape[0], *drawdown.shape[2:])
    out = {name: np.zeros(shape) for name in LOAN_FIELDS}
    weights = _schedules(groups, drawdown.shape[-1])
    kept = [(group, np.array(cells)) for group, cells in groups.items()]
    kept = [(group, cells) for group, cells in kept if drawdown[cells[:, 0], cells[:, 1]].any()]
    if not kept:
        return out
    # the groups that differ by their rate only (Monte Carlo draws) in one call, a run of
    # cells per group on its own schedule; then added up in the order of the groups
    families: dict[tuple, list[int]] = {}
    for i, (group, _) in enumerate(kept):
        families.setdefault((*group[1:4], group[4]), []).append(i)
    parts: list[dict | None] = [None] * len(kept)
    for (term, kind, grace, on_drawdown), members in families.items():
        cells = np.concatenate([kept[i][1] for i in members])
        sizes = [len(kept[i][1]) for i in members]
        runs = [(n, weights[kept[i][0][:4]]) for i, n in zip(members, sizes, strict=True)]
        rate = np.repeat([kept[i][0][0] for i in members], sizes)
        rate = rate.reshape(-1, *([1] * (drawdown.ndim - 2)))
        flows = loans.loan_arrays(drawdown[cells[:, 0], cells[:, 1]], rate, term, kind, grace,
                                  on_drawdown, runs=runs)  # fmt: skip
        ends = np.cumsum([0, *sizes])
        for i, a, b in zip(members, ends[:-1], ends[1:], strict=True):
            parts[i] = {name: flows[name][a:b] for name in LOAN_FIELDS}
    rows = np.concatenate([cells[:, 0] for _, cells in kept])
    for name in LOAN_FIELDS:
        np.add.at(out[name], rows, np.concatenate([part[name] for part in parts]))  # type: ignore[index]
    return out


def _schedules(groups: Mapping[tuple, object], n_years: int) -> dict[tuple, tuple]:
    """Repayment and balance weights ``(Y, Y)`` of every ``(rate, term, kind, grace)`` among
    the ``groups``' terms, the rates of each ``(term, kind, grace)`` in one call (Monte Carlo
    draws each have their own rate)."""
    families: dict[tuple, list[float]] = {}
    for rate, term, kind, grace, _ in groups:
        rates = families.setdefault((term, kind, grace), [])
        if rate not in rates:
            rates.append(rate)
    out: dict[tuple, tuple] = {}
    for (term, kind, grace), rates in families.items():
        kernels = loans.repayment_kernels(term, np.array(rates), kind, grace)
        pay = loans.age_weights(kernels, n_years)
        left = loans.age_weights(loans.remaining_kernel(kernels), n_years)
        for i, rate in enumerate(rates):
            out[(rate, term, kind, grace)] = (pay[i], left[i])
    return out
