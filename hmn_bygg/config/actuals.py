"""The actuals table: known outcomes per HF and year (``models/actuals.yaml``), validated.

Each row (:class:`Actual`) has an id, what it measures, the HF(s), the year, the value with its
unit and price year, whether it is an actual, a forecast or derived, and its source; the
validation table (:mod:`hmn_bygg.report.validation`) adds a tolerance and whether a test holds
the model to it. :func:`load_actuals` reads a YAML file and names file, line, key, expected and
found for every problem; the LTB workbook carries the same rows on its ``Utfall`` sheet
(:mod:`hmn_bygg.excel.actuals_sheet`). Which file a model uses is ``model.actuals``
(:func:`actuals_path`); the finance stage books them (:mod:`hmn_bygg.finance.actuals`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from hmn_bygg.config.data_files import load_data_file
from hmn_bygg.config.region import hf_codes, hf_codes_ctx, unknown_hf_text
from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.messages import Msg
from hmn_bygg.core.paths import models_dir

if TYPE_CHECKING:
    from hmn_bygg.config.sections import Model

__all__ = ["Actual", "Actuals", "actuals_path", "load_actuals"]

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
            "unknown_hf_or_region",
            "not an HF of the region; expected 'region' or {expected}, several joined by '+'",
            {"expected": unknown_hf_text(codes), **hf_codes_ctx(codes)},
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
            raise PydanticCustomError(
                "actual_unit",
                "{what} is in {expected}, found unit {found}",
                {"what": self.what, "expected": expected, "found": repr(self.unit)},
            )
        if expected.startswith("MNOK") and self.price_year is None:
            raise PydanticCustomError(
                "actual_price_year", "a money row needs its price_year (a year, or nominal)"
            )
        if self.what.startswith(("project", "loan", "open", "running")) and not self.project:
            raise PydanticCustomError(
                "actual_project", "a {what} row names its project", {"what": self.what}
            )
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
            raise PydanticCustomError(
                "actual_ids_twice",
                "row ids must be unique; given twice: {ids}",
                {"ids": ", ".join(twice)},
            )
        seen: set[tuple] = set()
        for r in self.rows:
            if r.what == "operating_result":
                for h in r.hfs:
                    if (h, r.year) in seen:
                        raise PydanticCustomError(
                            "actual_two_results",
                            "two operating results for {hf} in {year}",
                            {"hf": h, "year": r.year},
                        )
                    seen.add((h, r.year))
        return self


@cache
def _load(path: Path, mtime: float) -> Actuals:
    return load_data_file(path, Actuals, Msg("config.what_actuals"))


def load_actuals(path: str | Path | None = None) -> Actuals:
    """Read and validate an actuals file (default ``models/actuals.yaml``)."""
    p = Path(path) if path is not None else models_dir() / "actuals.yaml"
    if not p.is_file():
        raise InputError([Problem(str(p), Msg("config.file_not_found"), column="model.actuals",
                                  expected=Msg("config.actuals_file_expected"))],
                         title=Msg("config.actuals_unreadable"))  # fmt: skip
    return _load(p.resolve(), p.stat().st_mtime)


def actuals_path(model: Model) -> Path | None:
    """Return the actuals file a model names (``model.actuals``, relative to its file; the
    default name falls back to the bundled file), or ``None`` for ``none``."""
    name = model.model.actuals
    if name == "none":
        return None
    base = model.file.parent if model.file is not None else models_dir()
    path = base / name
    if not path.is_file() and name == "actuals.yaml":
        path = models_dir() / name
    return path
