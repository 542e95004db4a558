"""Hypothesis strategies for generated registers and scenarios, shared by the property tests.

- :func:`register_tables`: clean buildings and parts tables (what a valid export holds);
- :func:`registers`: register Datasets built from them by
  :func:`hmn_bygg.register.model.build_register`;
- :func:`scenario_models`: small scenarios, the bundled model changed by
  :func:`hmn_bygg.config.apply_overrides` with random valid values and a short horizon.

Values are chosen so that writing them as text and reading them back is exact (decimals with
at most two places), so readers can be checked for equality, not closeness.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr
from hypothesis import strategies as st

from hmn_bygg.config import Model, apply_overrides, load_model
from hmn_bygg.register.model import build_register

HFS = ("HMR", "HNT", "STO")
USES = ("somatic", "mental_health", "office", "housing", "technical", "other")
PARTS = ("2", "3", "4", "5", "6", "7")
GRADES = (0.0, 1.0, 2.0, 3.0, 0.5, 1.5, 2.5)
# Name fragments: Norwegian letters and Windows-1252 punctuation, as real exports hold.
WORDS = (
    "Ålesund",
    "sjukehus",
    "blokk",
    "Brøset",
    "Øya",
    "Levanger",
    "Namsos",
    "Kristiansund",
    "Molde",
    "St. Olavs",
    "Æ-bygget",
    "bolig",
    "Sør – fløy",
    "«Nord»",
    "O’Neill",
    "€-senteret",
    "A;B",
    'sitat "x"',
    "1,5",
)
END_YEAR = 2026
"""The last year of generated scenarios: short runs keep property tests fast."""


def decimals(lo: int, hi: int, places: int = 2) -> st.SearchStrategy[float]:
    """Numbers ``n / 10**k`` (``k <= places``) between ``lo`` and ``hi``: exact as text."""
    scale = 10**places
    return st.integers(lo * scale, hi * scale).map(lambda n: n / scale)


@st.composite
def register_tables(
    draw: st.DrawFn,
    min_buildings: int = 1,
    max_buildings: int = 6,
    parts: bool | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Draw a clean buildings table and (optionally) a parts table.

    Parameters
    ----------
    draw : callable
        Hypothesis' draw.
    min_buildings, max_buildings : int
        Range of the number of buildings.
    parts : bool, optional
        Whether to draw a parts table (every building, every part); None draws it or not.
        Without one, the buildings carry an overall ``condition_grade``.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame or None)
        Canonical columns (see ``hmn_bygg/register/columns.csv``); optional values are NaN.
    """
    n = draw(st.integers(min_buildings, max_buildings))
    ids = draw(
        st.lists(
            st.from_regex(r"[A-Z]{1,3}-?[0-9]{1,5}", fullmatch=True),
            min_size=n,
            max_size=n,
            unique=True,
        )
    )
    with_parts = draw(st.booleans()) if parts is None else parts

    def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.one_of(st.just(np.nan), strategy)

    rows = []
    for bid in ids:
        name = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3)))
        row = {
            "building_id": bid,
            "name": name,
            "hf": draw(st.sampled_from(HFS)),
            "site": draw(st.sampled_from(WORDS)),
            "use": draw(st.sampled_from(USES)),
            "floor_area": draw(decimals(1, 200_000)),
            "built_year": float(draw(st.integers(1800, 2024))),
            "adaptability": draw(optional(st.sampled_from(GRADES))),
            "replacement_value": draw(optional(decimals(1_000, 150_000, 0))),
            "planned_disposal_year": draw(optional(st.integers(2000, 2100).map(float))),
        }
        if not with_parts:
            row["condition_grade"] = draw(st.sampled_from(GRADES))
        rows.append(row)
    buildings = pd.DataFrame(rows)
    if not with_parts:
        return buildings, None
    part_rows = [
        {
            "building_id": bid,
            "part": code,
            "condition_grade": draw(st.sampled_from(GRADES)),
            "survey_year": draw(optional(st.integers(1990, 2024).map(float))),
            "cost_share": draw(optional(st.integers(1, 100).map(lambda n: n / 100))),
        }
        for bid in ids
        for code in PARTS
    ]
    return buildings, pd.DataFrame(part_rows)


@st.composite
def registers(draw: st.DrawFn, min_buildings: int = 1, max_buildings: int = 6) -> xr.Dataset:
    """Draw a register Dataset (via :func:`hmn_bygg.register.model.build_register`)."""
    buildings, parts = draw(register_tables(min_buildings, max_buildings))
    return build_register(buildings, parts)


@cache
def base_model() -> Model:
    """The bundled model with :data:`END_YEAR` as its last year and every year after the
    register a plan year, cached."""
    return apply_overrides(load_model(), {"model.end_year": END_YEAR, "model.plan_start": 2019})


@st.composite
def scenario_models(draw: st.DrawFn) -> Model:
    """Draw a small valid scenario: the bundled model with a few random valid overrides.

    Changes maintenance budgets and extra budget, wear (rate factor, part lives), the spending
    policy and the weighting; the horizon is ``start_year .. END_YEAR``.
    """
    overrides: dict[str, Any] = {}
    for hf in HFS:
        if draw(st.booleans()):
            overrides[f"maintenance.budget_mnok.{hf}"] = draw(decimals(0, 300, 1))
    if draw(st.booleans()):
        overrides["maintenance.extra_budget_mnok"] = draw(decimals(0, 500, 0))
    if draw(st.booleans()):
        overrides["condition.wear_rate_factor"] = draw(decimals(0, 3, 1))
    if draw(st.booleans()):
        part = draw(st.sampled_from(PARTS))
        overrides[f"condition.part_life_years.{part}"] = draw(decimals(5, 100, 0))
    if draw(st.booleans()):
        overrides["maintenance.policy"] = draw(st.sampled_from(["worst_first", "best_value"]))
    if draw(st.booleans()):
        overrides["model.weighting"] = draw(st.sampled_from(["area", "value"]))
    return apply_overrides(base_model(), overrides) if overrides else base_model()
