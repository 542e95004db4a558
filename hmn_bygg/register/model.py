"""The register as an xarray Dataset: one constructor from clean tables, shared by every reader.

Readers (:mod:`hmn_bygg.register.load`) turn messy exports into two clean tables; the synthetic
generator (:mod:`hmn_bygg.register.synth`) makes them directly; both end here, so a register always
has
the same variables, dims, units and attributes.

Dataset layout
--------------
dims ``building`` (str id, in file order) and ``part`` (NS 3451 main group "2".."7").

per building: ``name``, ``hf``, ``site``, ``use`` (str); ``floor_area`` [m²]; ``built_year``
[year]; ``adaptability`` [0–3, NaN = not surveyed]; ``replacement_value`` [NOK/m²];
``planned_disposal_year`` [year, NaN = none]; only when the table has them (a later survey):
``spent_since_survey_mnok`` [MNOK] and ``note`` (str).

per (building, part): ``condition_grade`` [TG 0–3]; ``survey_year`` [year]; ``cost_share``
[fraction, sums to 1 over ``part``].

attrs: ``grade_origin`` ("part" when the register gave part grades, "building" when one
overall grade per building was copied to every part), ``sources`` (the files read).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from hmn_bygg.core import paths
from hmn_bygg.core.variables import annotate

BUILDING_STR = ("name", "hf", "site", "use")
BUILDING_NUM = (
    "floor_area",
    "built_year",
    "adaptability",
    "replacement_value",
    "planned_disposal_year",
)
PART_NUM = ("condition_grade", "survey_year", "cost_share")
SURVEY_ONLY = ("spent_since_survey_mnok", "note")
"""Building columns kept only when the table has them (later surveys, :mod:`.snapshots`)."""


@cache
def part_table() -> pd.DataFrame:
    """Return the NS 3451 main groups the model knows (``models/parts.csv``), indexed by code."""
    table = pd.read_csv(paths.models_dir() / "parts.csv", dtype={"code": str})
    return table.set_index("code")


@cache
def columns_table() -> pd.DataFrame:
    """Return the register column definitions (``hmn_bygg/register/columns.csv``)."""
    return pd.read_csv(paths.REGISTER_COLUMNS_CSV, dtype=str, keep_default_na=False)


def build_register(
    buildings: pd.DataFrame,
    parts: pd.DataFrame | None = None,
    *,
    default_replacement_value: float = 65_000.0,
    sources: Sequence[str | Path] = (),
) -> xr.Dataset:
    """Build the register Dataset from two clean tables.

    Parameters
    ----------
    buildings : pandas.DataFrame
        One row per building with the canonical columns of the ``buildings`` table
        (``building_id``, ``name``, ``hf``, ``site``, ``floor_area`` [m²], ``built_year``, and
        optionally ``use``, ``adaptability``, ``replacement_value`` [NOK/m²],
        ``planned_disposal_year``, ``condition_grade`` [TG]). Values already checked.
    parts : pandas.DataFrame, optional
        One row per (building, part) with ``building_id``, ``part`` (NS 3451 code as text),
        ``condition_grade`` [TG], and optionally ``survey_year`` and ``cost_share``. When
        omitted, every part takes the building's overall ``condition_grade``.
    default_replacement_value : float
        Replacement value [NOK/m²] for buildings that give none.
    sources : sequence of str or Path
        Files the tables came from, kept in ``attrs["sources"]``.

    Returns
    -------
    xr.Dataset
        The register, see the module docstring.

    Raises
    ------
    ValueError
        When neither part grades nor an overall building grade is given.
    """
    codes = list(part_table().index)
    b = buildings.copy()
    b["building_id"] = b["building_id"].astype(str)
    b = b.set_index("building_id")
    ids = list(b.index)
    n_b, n_p = len(ids), len(codes)

    data: dict[str, tuple] = {}
    for col in BUILDING_STR:
        values = b[col] if col in b else pd.Series("", index=b.index)
        data[col] = ("building", values.fillna("").astype(str).to_numpy(dtype=object))
    for col in BUILDING_NUM:
        values = b[col] if col in b else pd.Series(np.nan, index=b.index)
        data[col] = ("building", pd.to_numeric(values, errors="coerce").to_numpy(dtype=float))
    for col in SURVEY_ONLY:
        if col in b:
            kind = object if col == "note" else float
            values = b[col].fillna("" if kind is object else np.nan)
            data[col] = ("building", values.to_numpy(dtype=kind))
    rv = data["replacement_value"][1]
    data["replacement_value"] = ("building", np.where(np.isnan(rv), default_replacement_value, rv))
    if "use" not in b:
        data["use"] = ("building", np.full(n_b, "other", dtype=object))

    default_share = part_table()["default_cost_share"].astype(float).to_numpy()
    grade = np.full((n_b, n_p), np.nan)
    survey = np.full((n_b, n_p), np.nan)
    share = np.tile(default_share, (n_b, 1))
    if parts is not None and len(parts):
        p = parts.copy()
        bi = pd.Index(ids).get_indexer(p["building_id"].astype(str))
        pi = pd.Index(codes).get_indexer(p["part"].astype(str))
        grade[bi, pi] = pd.to_numeric(p["condition_grade"], errors="coerce")
        if "survey_year" in p:
            survey[bi, pi] = pd.to_numeric(p["survey_year"], errors="coerce")
        if "cost_share" in p:
            given = pd.to_numeric(p["cost_share"], errors="coerce").to_numpy(dtype=float)
            ok = ~np.isnan(given)
            share[bi[ok], pi[ok]] = given[ok]
        origin = "part"
    else:
        overall = b["condition_grade"] if "condition_grade" in b else None
        if overall is None:
            raise ValueError("the register has no part grades and no overall building grade")
        grade[:] = pd.to_numeric(overall, errors="coerce").to_numpy(dtype=float)[:, None]
        origin = "building"
    built = data["built_year"][1]
    survey = np.where(np.isnan(survey), built[:, None], survey)
    share = share / share.sum(axis=1, keepdims=True)

    data["condition_grade"] = (("building", "part"), grade)
    data["survey_year"] = (("building", "part"), survey)
    data["cost_share"] = (("building", "part"), share)
    ds = xr.Dataset(
        {k: xr.Variable(dims, v) for k, (dims, v) in data.items()},
        coords={"building": np.asarray(ids, dtype=object), "part": np.asarray(codes, dtype=object)},
    )
    ds["part_name"] = ("part", part_table()["name_nb"].to_numpy(dtype=object))
    ds.attrs["grade_origin"] = origin
    ds.attrs["sources"] = [str(s) for s in sources]
    return annotate(ds)
