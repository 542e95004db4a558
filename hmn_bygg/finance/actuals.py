"""Known outcomes (actuals) per HF and year: the public record, or the user's ledger.

The table lives in ``models/actuals.yaml`` (named by ``model.actuals``) and is validated like
the model files (:func:`load_actuals`: file, line, key, expected, found). The model uses the
published operating results for the history years (before ``model.plan_start``): there it books
exactly the published result, backing the result before building items out of it
(:func:`book_actual_results`); ``actual_result`` marks those cells. The other rows serve the
validation table and the plan-vs-outcome view (:mod:`hmn_bygg.report.validation`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Literal

import numpy as np
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from hmn_bygg.config import Model, hf_codes
from hmn_bygg.config.data_files import load_data_file
from hmn_bygg.config.region import unknown_hf_text
from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.paths import models_dir
from hmn_bygg.finance.cash import COST_ITEMS, CREDIT_ITEMS

__all__ = ["Actual", "Actuals", "actuals_for", "book_actual_results", "load_actuals"]

What = Literal[
    "operating_result", "project_spend", "project_spend_to", "building_spend", "loan_drawn",
    "open_year", "running_cost", "floor_area", "vttg",
]  # fmt: skip
_UNITS = {"operating_result": "MNOK", "project_spend": "MNOK", "project_spend_to": "MNOK",
          "building_spend": "MNOK", "loan_drawn": "MNOK", "open_year": "year",
          "running_cost": "MNOK/year", "floor_area": "m²", "vttg": "TG"}  # fmt: skip


def _hfs_of_region(text: str) -> str:
    """Refuse an ``hf`` that is neither ``region`` nor the region's HF codes joined by ``+``."""
    codes = hf_codes()
    if text != "region" and not all(code in codes for code in text.split("+")):
        raise PydanticCustomError(
            "unknown_hf",
            "not an HF of the region; expected 'region' or {expected}, several joined by '+'",
            {"expected": unknown_hf_text(codes)},
        )
    return text


class Actual(BaseModel):
    """One known outcome; see the header of ``models/actuals.yaml`` for the fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: Annotated[str, Field(min_length=1)]
    what: What
    hf: Annotated[str, AfterValidator(_hfs_of_region)]
    year: Annotated[int, Field(ge=1990, le=2100)]
    value: float
    unit: str
    price_year: Annotated[int, Field(ge=1990, le=2100)] | Literal["nominal"] | None = None
    kind: Literal["actual", "forecast", "derived"]
    source: Annotated[str, Field(min_length=3)]
    project: str | None = None
    tolerance: Annotated[float, Field(ge=0)] = 0.0
    check: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> Actual:
        expected = _UNITS[self.what]
        if self.unit.replace("m2", "m²") != expected:
            raise ValueError(f"{self.what} is in {expected}, found unit {self.unit!r}")
        if expected.startswith("MNOK") and self.price_year is None:
            raise ValueError("a money row needs its price_year (a year, or nominal)")
        if self.what.startswith(("project", "loan", "open", "running")) and not self.project:
            raise ValueError(f"a {self.what} row names its project")
        return self

    @property
    def hfs(self) -> tuple[str, ...]:
        """The HF codes the row covers (``region``: every HF of the region)."""
        return hf_codes() if self.hf == "region" else tuple(self.hf.split("+"))


class Actuals(BaseModel):
    """The actuals file: a list of :class:`Actual` rows with unique ids."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    rows: tuple[Actual, ...] = ()

    @model_validator(mode="after")
    def _unique(self) -> Actuals:
        ids = [r.id for r in self.rows]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"row ids must be unique; given twice: {', '.join(twice)}")
        seen: set[tuple] = set()
        for r in self.rows:
            if r.what == "operating_result":
                for h in r.hfs:
                    if (h, r.year) in seen:
                        raise ValueError(f"two operating results for {h} in {r.year}")
                    seen.add((h, r.year))
        return self


@cache
def _load(path: Path, mtime: float) -> Actuals:
    return load_data_file(path, Actuals, "actuals")


def load_actuals(path: str | Path | None = None) -> Actuals:
    """Read and validate an actuals file (default ``models/actuals.yaml``)."""
    p = Path(path) if path is not None else models_dir() / "actuals.yaml"
    if not p.is_file():
        raise InputError([Problem(str(p), "file not found", column="model.actuals",
                                  expected="an actuals YAML file (or 'none')")],
                         title="The actuals cannot be read")  # fmt: skip
    return _load(p.resolve(), p.stat().st_mtime)


def actuals_for(model: Model) -> Actuals:
    """Return the actuals a model names (``model.actuals``, relative to its file; ``none``:
    no actuals; the default name falls back to the bundled file)."""
    name = model.model.actuals
    if name == "none":
        return Actuals()
    base = model.file.parent if model.file is not None else models_dir()
    path = base / name
    if not path.is_file() and name == "actuals.yaml":
        path = models_dir() / name
    return load_actuals(path)


def book_actual_results(
    items: dict[str, np.ndarray], models: list[Model], hfs: list[str], years: np.ndarray
) -> np.ndarray:
    """Make the history years' operating results the published ones, in place.

    Parameters
    ----------
    items : dict of str to numpy.ndarray
        The cash-flow bridge inputs ``(S, H, Y)`` [MNOK/yr, nominal]; where an actual applies,
        ``operating_result_before`` becomes ``actual - credits + costs`` so that the bridge
        gives exactly the actual.
    models : list of Model
        The scenarios, in order.
    hfs : list of str
        HF codes ``(H,)``.
    years : numpy.ndarray
        Model years ``(Y,)``.

    Returns
    -------
    numpy.ndarray
        ``actual_result`` (bool) ``(S, H, Y)``: where the result is a published actual.
    """
    mask = np.zeros(items["operating_result_before"].shape, dtype=bool)
    for s, model in enumerate(models):
        plan = model.model.first_plan_year
        for row in actuals_for(model).rows:
            if row.what != "operating_result" or row.year >= plan or row.year not in years:
                continue
            y = int(np.flatnonzero(years == row.year)[0])
            for hf in row.hfs:
                h = hfs.index(hf)
                costs = sum(items[n][s, h, y] for n in COST_ITEMS)
                credits = sum(items[n][s, h, y] for n in CREDIT_ITEMS)
                items["operating_result_before"][s, h, y] = (
                    row.value / len(row.hfs) + costs - credits
                )
                mask[s, h, y] = True
    return mask
