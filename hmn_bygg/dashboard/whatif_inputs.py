"""Turn the what-if controls into dotted-key overrides of a scenario (no Panel here).

Each function returns overrides in the forms of ``models/scenarios.yaml``, to be applied
with :func:`hmn_bygg.config.apply_overrides`; a control whose key the model lacks is left
out by the page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from hmn_bygg.config import Model, as_year_array, resolve_key, valid_keys
from hmn_bygg.risk.plan import DISPOSAL_DELAY


@dataclass(frozen=True)
class Control:
    """A what-if slider: what it changes and its range.

    Parameters
    ----------
    name : str
        Identifier, e.g. ``snr_cost``.
    kind : {"value", "delay"}
        ``value`` sets ``key`` to the slider value times ``scale``; ``delay`` moves the open
        year and spending profile of project ``key`` by the slider's years.
    key : str
        Dotted key (``value``) or project key (``delay``).
    label_nb, label_en : str
        Labels.
    start, end, step : float
        Slider range in the slider's unit.
    scale : float
        Model value = slider value × scale (``0.01`` for a rate in per cent).
    """

    name: str
    kind: str
    key: str
    label_nb: str
    label_en: str
    start: float
    end: float
    step: float
    scale: float = 1.0

    def label(self, lang: str) -> str:
        """The slider's label in ``lang``."""
        return self.label_nb if lang == "nb" else self.label_en

    def keys(self) -> tuple[str, ...]:
        """The model keys the control needs."""
        if self.kind == "delay":
            base = f"finance.projects.{self.key}"
            return (f"{base}.open_year", f"{base}.spend_profile")
        return (self.key,)

    def available(self) -> bool:
        """Whether the model has every key the control needs."""
        known = set(valid_keys())
        return all(k in known for k in self.keys())

    def initial(self, model: Model) -> float:
        """The slider value that leaves ``model`` unchanged."""
        if self.kind == "delay":
            return 0.0
        return float(resolve_key(model, self.key).value) / self.scale

    def overrides(self, model: Model, value: float) -> dict[str, Any]:
        """Return the overrides for slider ``value`` (empty when it is the initial value)."""
        if np.isclose(value, self.initial(model)):
            return {}
        if self.kind == "delay":
            return project_delay(model, self.key, round(value))
        return {self.key: float(value) * self.scale}


CONTROLS: tuple[Control, ...] = (
    Control(
        "snr_cost",
        "value",
        "finance.projects.snr.cost_mnok",
        "SNR, kostnad (MNOK)",
        "SNR, cost (MNOK)",
        3000,
        8000,
        50,
    ),
    Control("snr_delay", "delay", "snr", "SNR, forsinkelse (år)", "SNR, delay (years)", 0, 4, 1),
    Control(
        "hp_cost",
        "value",
        "finance.projects.helseplattformen.cost_mnok",
        "Helseplattformen, kostnad (MNOK)",
        "Helseplattformen, cost (MNOK)",
        2000,
        7000,
        50,
    ),
    Control(
        "hp_delay",
        "delay",
        "helseplattformen",
        "Helseplattformen, forsinkelse (år)",
        "Helseplattformen, delay (years)",
        0,
        4,
        1,
    ),
    Control(
        "rate",
        "value",
        "finance.state_loan.rate",
        "Rente på lån (%)",
        "Loan interest rate (%)",
        0,
        8,
        0.25,
        0.01,
    ),
)


def extra_maintenance(model: Model, years: np.ndarray, extra: float, from_year: int) -> dict:
    """Return the override that adds ``extra`` MNOK/yr of maintenance from ``from_year``.

    The scenario's own extra budget (a year path) is kept; the slider adds to it.
    """
    if not extra:
        return {}
    base = as_year_array(model.maintenance.extra_budget_mnok, years)
    add = np.where(years >= from_year, float(extra), 0.0)
    path = {int(y): float(v) for y, v in zip(years, base + add, strict=True)}
    return {"maintenance.extra_budget_mnok": path}


def project_delay(model: Model, project: str, years: int) -> dict[str, Any]:
    """Return overrides that move a project's open years and spending profile by ``years``."""
    if not years:
        return {}
    base = f"finance.projects.{project}"
    opens = resolve_key(model, f"{base}.open_year").value
    profile = resolve_key(model, f"{base}.spend_profile").value
    return {
        f"{base}.open_year": {hf: _add(v, years) for hf, v in dict(opens).items()},
        f"{base}.spend_profile": {int(y) + years: float(s) for y, s in dict(profile).items()},
    }


def disposal_shift(model: Model, years: int) -> dict[str, Any]:
    """Return the override that moves every disposal of the scenario by ``years``.

    The disposal-shift slider stands for ``portfolio.disposals.delay_years`` on top of the
    scenario's own delay, so a what-if saved with a shift is a scenario like any other
    (:func:`hmn_bygg.stock.disposal_overrides.delayed`: brought forward, never before the plan
    year nor before the project a disposal waits for opens).
    """
    if not years or DISPOSAL_DELAY not in set(valid_keys()):
        return {}
    return {DISPOSAL_DELAY: int(model.portfolio.disposals.delay_years.value) + int(years)}


def _add(value: Any, years: int) -> Any:
    return None if value is None else int(value) + years


def condition_key(overrides: dict[str, Any]) -> str:
    """Return what of ``overrides`` the condition and area stage can see, as a key.

    The condition stage (:func:`hmn_bygg.engine.run.run_models` with ``book=False``) reads
    the model's condition, maintenance, upgrade-cost, portfolio and year settings, and from
    ``finance`` only the projects' open years (new buildings open with their project). A
    change to any other ``finance`` key (a project's cost or spending profile, the loan
    rate) is booked on the same condition results, so the page does not simulate again.

    Parameters
    ----------
    overrides : dict
        Dotted-key overrides of the what-if (:meth:`WhatIfPage.overrides`).

    Returns
    -------
    str
        Equal for two sets of overrides whose condition results are equal.
    """
    seen = {k: v for k, v in overrides.items() if _seen_by_condition(k)}
    return json.dumps(seen, sort_keys=True, default=str)


def _seen_by_condition(key: str) -> bool:
    return not key.startswith("finance.") or key.endswith(".open_year")
