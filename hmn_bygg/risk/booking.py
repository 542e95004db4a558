"""Booking the long-term budget of a chunk of Monte Carlo draws (issue 17).

The draws of the inputs that act on the models (not on the condition arrays) are booked as
arrays over the rows (:class:`~hmn_bygg.finance.rows.Rows`, :func:`booking_rows`) when the
booking reads each of them as arrays, so that no model is built per draw; the disposal plans
are worked out once per distinct set of drawn open years (:func:`booking_disposals`).
:func:`book_aggregates` keeps the variables a draw keeps, as arrays.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import numpy as np
import xarray as xr

from hmn_bygg.config import Model
from hmn_bygg.finance.rows import Rows, array_key, shift
from hmn_bygg.risk.inputs import UncertainInput
from hmn_bygg.risk.perturb import perturb_model, perturb_models
from hmn_bygg.stock.plan import DisposalPlan


class EnsemblePlan(Protocol):
    """What booking reads of :class:`hmn_bygg.risk.plan.EnsemblePlan`."""

    @property
    def register(self) -> xr.Dataset: ...
    @property
    def models(self) -> tuple[Model, ...]: ...
    @property
    def uncertain(self) -> tuple[UncertainInput, ...]: ...
    @property
    def memo(self) -> dict[tuple, Any]: ...
    def _on_models(self, s: int) -> list[int]: ...


__all__ = [
    "AGGREGATES",
    "DISPOSAL_DELAY",
    "book_aggregates",
    "booking_disposals",
    "booking_rows",
    "moves_the_stock",
]

DISPOSAL_DELAY = "portfolio.disposals.delay_years"
"""The uncertain input that moves every disposal (with projects' open years, it moves the stock
in and out of service, so each draw's open and disposal years are recomputed)."""

AGGREGATES: tuple[str, ...] = (
    "vttg",
    "vttg_region",
    "area",
    "area_region",
    "upgrade_need",
    "upgrade_need_region",
    "fci",
    "fci_region",
    "maintenance_budget",
    "maintenance_spend",
    "maintenance_spend_region",
    "liquidity",
    "liquidity_region",
    "loan_balance",
    "loan_balance_region",
    "liquidity_headroom",
    "credit_breach",
    "liquidity_negative",
)
"""Result variables kept per draw (those the run produces; finance ones once it is booked)."""


def booking_rows(
    plan: EnsemblePlan, names: Sequence[str], x: np.ndarray, arrays: bool = True
) -> Rows | dict[str, Model]:
    """The rows ``names`` (``scenario × draw``) to book, with the draws ``x`` ``(S, D, K)``
    of the inputs that act on the models: as :class:`~hmn_bygg.finance.rows.Rows` (the
    draws as arrays) when the booking reads every such input as arrays
    (:data:`~hmn_bygg.finance.rows.ARRAY_KEYS`) and ``arrays``, else one drawn model per
    row (:func:`~hmn_bygg.risk.perturb.perturb_models`)."""
    n_s, n_d = x.shape[:2]
    on = sorted({k for s in range(n_s) for k in plan._on_models(s)})
    if arrays and all(array_key(plan.uncertain[k].key) for k in on):
        multiply = np.array(
            [
                [getattr(spec, "effect", None) == "multiply" for spec in u.specs]
                for u in (plan.uncertain[k] for k in on)
            ]
        ).T  # (S, K)
        return Rows(
            tuple(names),
            plan.models,
            np.repeat(np.arange(n_s), n_d),
            tuple(plan.uncertain[k].key for k in on),
            x[:, :, on].reshape(n_s * n_d, len(on)),
            np.repeat(multiply, n_d, axis=0).reshape(n_s * n_d, len(on)),
            plan.memo.setdefault(("booking",), {}),  # the run's chunks share it
        )
    drawn = []
    for s, model in enumerate(plan.models):
        ks = plan._on_models(s)
        keys = [plan.uncertain[k].key for k in ks]
        effects = [plan.uncertain[k].specs[s].effect for k in ks]  # type: ignore[union-attr]
        drawn += perturb_models(model, keys, effects, x[s][:, ks])
    return dict(zip(names, drawn, strict=True))


def booking_disposals(plan: EnsemblePlan, x: np.ndarray) -> DisposalPlan:
    """Each row's disposal plan for the booking (``S · D`` rows), with the drawn open years
    and disposal delay: worked out once per distinct set of drawn open years of a
    scenario, the delay then added to all rows at once (a delay that brings disposals
    forward is worked out for its row)."""
    from hmn_bygg.stock import plan as scenario_portfolio

    n_d = x.shape[1]
    parts: list[DisposalPlan] = []
    for s, model in enumerate(plan.models):
        moving = [k for k in plan._on_models(s) if moves_the_stock(plan.uncertain[k].key)]
        opened = [k for k in moving if plan.uncertain[k].key != DISPOSAL_DELAY]
        delayed = [k for k in moving if plan.uncertain[k].key == DISPOSAL_DELAY]
        sets, which = np.unique(x[s][:, opened], axis=0, return_inverse=True)
        which = which.reshape(-1)
        delay = np.zeros(n_d)
        if delayed:
            spec = plan.uncertain[delayed[0]].specs[s]
            base = float(model.portfolio.disposals.delay_years.value)
            delay = shift(base, x[s, :, delayed[0]], spec.effect == "multiply", True)  # type: ignore[union-attr]
        jobs: list[tuple] = []  # each job's key in plan.memo
        todo: dict[tuple, Model] = {}
        pick = np.empty(n_d, dtype=int)  # each draw's plan among the jobs
        for c, drawn in enumerate(sets):
            changes = {
                plan.uncertain[k].key: (v, plan.uncertain[k].specs[s].effect)  # type: ignore[union-attr]
                for k, v in zip(opened, drawn, strict=True)
            }
            hit = np.flatnonzero(which == c)
            if delayed:
                changes[DISPOSAL_DELAY] = (0.0, "multiply")
            pick[hit] = len(jobs)
            jobs.append(("disposal", s, tuple(drawn.tolist()), None))
            if jobs[-1] not in plan.memo:
                todo[jobs[-1]] = perturb_model(model, changes)
            for d in hit[delay[hit] < 0]:  # brought forward: no earlier than the floor
                alone = {**changes, DISPOSAL_DELAY: (float(x[s, d, delayed[0]]), spec.effect)}  # type: ignore[union-attr]
                pick[d] = len(jobs)
                jobs.append(("disposal", s, tuple(drawn.tolist()), float(x[s, d, delayed[0]])))
                if jobs[-1] not in plan.memo:
                    todo[jobs[-1]] = perturb_model(model, alone)
        if todo:  # one call for all: the register's grades are read once
            made = scenario_portfolio.disposal_plan(
                plan.register, {str(j): job for j, job in enumerate(todo.values())}
            )
            for j, key in enumerate(todo):
                plan.memo[key] = (made.year[j], made.kind[j], made.sale_price[j])
        year, kind, price = (np.stack([plan.memo[key][f] for key in jobs]) for f in range(3))
        later = np.where(delay >= 0, delay, 0.0)[:, None]  # NaN (no disposal) stays NaN
        parts.append(DisposalPlan(year[pick] + later, kind[pick], price[pick]))
    return DisposalPlan(
        *(np.concatenate([getattr(p, f) for p in parts]) for f in ("year", "kind", "sale_price"))
    )


def book_aggregates(
    condition: xr.Dataset,
    models: Mapping[str, Model] | Rows,
    register: xr.Dataset,
    disposal_plan: DisposalPlan | None = None,
) -> dict[str, tuple[tuple[str, ...], np.ndarray]]:
    """Book the long-term budget of the rows and return the :data:`AGGREGATES` as arrays,
    ``name → (dims, values)``, in the price basis of the first model.

    The same numbers as :func:`hmn_bygg.engine.run.book_results` for those variables (the
    price basis scales each money variable on its own), on the arrays of
    :func:`hmn_bygg.finance.ltb.book_arrays`: no Dataset is built. ``models`` may be
    :class:`~hmn_bygg.finance.rows.Rows` (the draws as arrays; ``disposal_plan`` then from
    :meth:`EnsemblePlan.booking_disposals`).
    """
    from hmn_bygg.core.variables import glossary
    from hmn_bygg.finance.ltb import book_arrays
    from hmn_bygg.finance.nominal import nominal_variables
    from hmn_bygg.finance.price_basis import basis_scale, index_for

    rows = Rows.of_models(models)
    index = index_for(rows.first)
    years = condition.variables["year"].to_numpy()
    # the condition's variables, the money ones nominal: no Dataset is built
    nominal = dict(condition.variables)
    data = {str(name): nominal[name] for name in condition.data_vars}
    nominal.update(nominal_variables(data, rows, index, years))
    b = book_arrays(nominal, rows, register, index, disposal_plan)
    sy, syh = ("scenario", "year"), ("scenario", "year", "hf")
    fields: dict[str, tuple[tuple[str, ...], np.ndarray, str]] = {}
    for name in AGGREGATES:
        units = str(glossary().get(name, {}).get("units", ""))
        if name in b.hf or name in b.breaches:
            values = b.hf[name] if name in b.hf else b.breaches[name]
            fields[name] = (syh, values.transpose(0, 2, 1), units)
        elif name.endswith("_region") and name[: -len("_region")] in b.region:
            fields[name] = (sy, b.region[name[: -len("_region")]], units)
        elif name in condition.data_vars:
            da = nominal[name]
            dims = tuple(str(d) for d in da.dims)
            fields[name] = (dims, da.to_numpy(), str(da.attrs.get("units", "")))
    k = basis_scale(rows.first.model.price_basis, index, years)
    out = {}
    for name, (dims, values, units) in fields.items():
        if k is not None and units.startswith("MNOK") and "year" in dims:
            values = values * k.reshape([k.size if d == "year" else 1 for d in dims])
        out[name] = (dims, values)
    return out


def moves_the_stock(key: str) -> bool:
    """Whether an uncertain input moves buildings in or out of the stock (open or disposal)."""
    return key.endswith(".open_year") or key == DISPOSAL_DELAY
