"""Scenario inputs as stacked arrays: the bridge between validated config and the year loop.

:class:`ConditionInputs` holds one array per parameter with the scenario as the leading axis,
so that :func:`hmn_bygg.condition.simulate.simulate` runs every scenario in one pass. Structural
choices
(wear form, policy, weighting) are per-scenario arrays of labels, so scenarios that differ in
them still run together. The labels are checked where the inputs are built, as are shapes and
signs: a misspelt policy (``"worst-first"``) or a negative budget is refused, never run as
something else.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np

Policy = Literal["worst_first", "best_value"]
"""Maintenance policies (:mod:`hmn_bygg.condition.maintenance`)."""
WearModel = Literal["deterministic", "markov"]
"""Forms of wear (:mod:`hmn_bygg.condition.wear`)."""
Weighting = Literal["area", "value"]
"""Weights of buildings in a portfolio grade (:mod:`hmn_bygg.register.weighting`)."""

_LABELS = {"policy": Policy, "wear_model": WearModel, "weighting": Weighting}
# field -> (shape in letters of S Y H B P, lowest allowed value or None, highest or None)
_SHAPES: dict[str, tuple[str, float | None, float | None]] = {
    "wear_model": ("S", None, None),
    "wear_shape": ("S", 0.0, None),
    "part_life": ("SP", 0.0, None),
    "wear_rate_factor": ("S", 0.0, None),
    "should_nok_per_m2": ("SP", 0.0, None),
    "must_nok_per_m2": ("SP", 0.0, None),
    "renew_nok_per_m2": ("SP", 0.0, None),
    "budget_mnok": ("SHY", 0.0, None),
    "policy": ("S", None, None),
    "risk_weight": ("SP", 0.0, None),
    "result_grade": ("S", 0.0, 3.0),
    "disposal_horizon": ("S", 0.0, None),
    "weighting": ("S", None, None),
    "disposal_year": ("SB", None, None),
    "open_year": ("SB", None, None),
}


@dataclass(frozen=True)
class ConditionInputs:
    """Parameters of the condition and maintenance model, stacked over scenarios.

    Shapes use ``S`` scenarios, ``Y`` years, ``H`` HFs, ``B`` buildings and ``P`` parts.

    Attributes
    ----------
    scenarios : tuple of str
        Scenario names, length ``S``.
    years : numpy.ndarray
        Simulated years ``(Y,)``; the first is the register's state, wear and money act from the
        second on.
    hfs : tuple of str
        HF codes, length ``H``; every building's ``hf`` must be one of them.
    wear_model : numpy.ndarray
        ``"deterministic"`` or ``"markov"`` per scenario ``(S,)``.
    wear_shape : numpy.ndarray
        Shape ``k`` of the deterministic wear curve [-] ``(S,)``.
    part_life : numpy.ndarray
        Technical life TG0→TG3 [years] ``(S, P)``.
    wear_rate_factor : numpy.ndarray
        Multiplier on the speed of wear [-] ``(S,)``; 0 stops wear, 1 is the stated lives.
    should_nok_per_m2, must_nok_per_m2 : numpy.ndarray
        Upgrade cost norms TG2→TG1 and TG3→TG1 [NOK/m²] ``(S, P)``.
    renew_nok_per_m2 : numpy.ndarray
        Cost of renewing a TG1 part to TG0 [NOK/m²] ``(S, P)``; with the norms above it
        prices a measure from any grade (:func:`hmn_bygg.condition.wear.renewal_cost_curve`).
    budget_mnok : numpy.ndarray
        Maintenance budget per HF and year [MNOK] ``(S, H, Y)``.
    policy : numpy.ndarray
        ``"worst_first"`` or ``"best_value"`` per scenario ``(S,)``.
    risk_weight : numpy.ndarray
        Consequence weight per part for worst-first [-] ``(S, P)``.
    result_grade : numpy.ndarray
        Grade a measure leaves a part at [TG] ``(S,)``.
    disposal_horizon : numpy.ndarray
        Buildings due for disposal within this many years get no money [years] ``(S,)``.
    weighting : numpy.ndarray
        Portfolio grade weighting, ``"area"`` or ``"value"`` ``(S,)``.
    disposal_year : numpy.ndarray
        Year each building leaves the stock, NaN = never [year] ``(S, B)``.
    open_year : numpy.ndarray
        Year each building enters the stock, NaN = already in it, +inf = not in this scenario
        [year] ``(S, B)``.
    price_basis : str
        Price basis of all money, e.g. ``"2018-kroner (real)"``.
    """

    scenarios: tuple[str, ...]
    years: np.ndarray
    hfs: tuple[str, ...]
    wear_model: np.ndarray
    wear_shape: np.ndarray
    part_life: np.ndarray
    should_nok_per_m2: np.ndarray
    must_nok_per_m2: np.ndarray
    renew_nok_per_m2: np.ndarray
    budget_mnok: np.ndarray
    policy: np.ndarray
    risk_weight: np.ndarray
    result_grade: np.ndarray
    disposal_horizon: np.ndarray
    weighting: np.ndarray
    disposal_year: np.ndarray
    open_year: np.ndarray
    wear_rate_factor: np.ndarray
    price_basis: str = "2018-kroner (real)"

    def __post_init__(self) -> None:
        """Refuse unknown labels, wrong shapes and values of the wrong sign (ValueError)."""
        s, y, h = len(self.scenarios), len(self.years), len(self.hfs)
        n_b = np.shape(self.disposal_year)[-1] if np.ndim(self.disposal_year) == 2 else None
        n_p = np.shape(self.part_life)[-1] if np.ndim(self.part_life) == 2 else None
        sizes = {"S": s, "Y": y, "H": h, "B": n_b, "P": n_p}
        problems = []
        for name, (dims, low, high) in _SHAPES.items():
            value = np.asarray(getattr(self, name))
            want = tuple(sizes[d] for d in dims)
            if value.shape != want:
                problems.append(f"{name}: expected shape {want} ({', '.join(dims)}), found "
                                f"{value.shape}")  # fmt: skip
                continue
            if name in _LABELS:
                allowed = get_args(_LABELS[name])
                bad = sorted({str(v) for v in value.ravel()} - set(allowed))
                if bad:
                    problems.append(f"{name}: expected one of {allowed}, found {bad}")
                continue
            if low is not None and np.any(value < low):
                problems.append(f"{name}: expected values >= {low}, found {np.nanmin(value)}")
            if high is not None and np.any(value > high):
                problems.append(f"{name}: expected values <= {high}, found {np.nanmax(value)}")
        if problems:
            raise ValueError("ConditionInputs: " + "; ".join(problems))

    def select(self, index: int | list[int], names: Sequence[str] | None = None) -> ConditionInputs:
        """Return the inputs of a subset of scenarios (by position); years and buildings stay.

        Rows of checked inputs need no new check, so none is made (the year loop selects a
        block of rows at a time, and a Monte Carlo chunk stacks its draws with this).

        Parameters
        ----------
        index : int or list of int
            Positions of the scenarios, in the order wanted (a position may repeat).
        names : sequence of str, optional
            Names of the selected rows (default: the selected scenarios' names).

        Returns
        -------
        ConditionInputs
            The selected rows.
        """
        idx = [index] if isinstance(index, int) else list(index)
        chosen = copy.copy(self)  # no __post_init__: a subset of checked rows
        for name in SCENARIO_FIELDS:
            object.__setattr__(chosen, name, getattr(self, name)[idx])
        if names is None:
            names = [self.scenarios[i] for i in idx]
        elif len(names) != len(idx):
            raise ValueError(f"ConditionInputs.select: {len(names)} names for {len(idx)} rows")
        object.__setattr__(chosen, "scenarios", tuple(names))
        return chosen


SCENARIO_FIELDS: tuple[str, ...] = (
    "wear_model",
    "wear_shape",
    "part_life",
    "wear_rate_factor",
    "should_nok_per_m2",
    "must_nok_per_m2",
    "renew_nok_per_m2",
    "budget_mnok",
    "policy",
    "risk_weight",
    "result_grade",
    "disposal_horizon",
    "weighting",
    "disposal_year",
    "open_year",
)
"""Fields whose leading axis is the scenario."""
