"""The sections of a model file as frozen pydantic models.

A model file (``models/hmn.yaml``) has one top-level key per section. Two kinds of fields:

- **parameters**: anything that states a fact or an assumption about the world. Each is a
  :class:`~hmn_bygg.config.params.Param` leaf ``{value, unit, source}`` declared with
  :func:`leaf`, which fixes the unit, the description and (optionally) a default with its source;
- **settings**: names, run years, file paths, seeds, the price-basis label. Plain values.

Adding a section
----------------
Write one class and add one field to :class:`Model`::

    class Finance(Section):
        \"\"\"Loans and liquidity.\"\"\"

        state_loan_share: Param[Fraction] = leaf(
            unit="1", description="Share of a project's cost frame lent by the state [-]."
        )

    class Model(Section):
        ...
        finance: Finance

Value types come from :mod:`hmn_bygg.config.params` (``NonNegative``, ``Fraction``,
``timed(...)``, ``per_part(...)``, ``per_hf(...)``, ``Literal[...]``). Ranges are ``Field``
constraints inside the value type. Dotted override keys, the JSON schema, ``config show`` and
the error messages follow from the class without further code. Afterwards regenerate
``models/schema.json`` with ``hmn-bygg config schema -o models/schema.json``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from hmn_bygg.config.ltb_sections import Finance, Portfolio
from hmn_bygg.config.params import (
    Fraction,
    Grade,
    NonNegative,
    Param,
    Positive,
    per_hf,
    per_part,
    timed,
)
from hmn_bygg.config.section_base import Section, leaf
from hmn_bygg.core.paths import models_dir

__all__ = [
    "Condition",
    "Finance",
    "Maintenance",
    "Model",
    "ModelSettings",
    "Portfolio",
    "Section",
    "Targets",
    "UpgradeCost",
    "leaf",
]


class Targets(Section):
    """The portfolio targets of the regional development plan."""

    vttg_target: Param[Grade] = leaf(
        unit="TG", description="Target weighted technical condition grade (VTTG) [TG 0–3]."
    )
    area_target_m2: Param[NonNegative] = leaf(
        unit="m²", description="Long-run target for the total floor area [m²]."
    )


class ModelSettings(Section):
    """What the model is: its name, years, price basis, register and weighting.

    The register location is the key ``register`` in files and overrides and the attribute
    ``register_path`` in Python (``register`` is taken by pydantic's base class).
    """

    model_config = ConfigDict(
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        defer_build=True,
    )

    name: str = Field(description="Name of the model, shown in reports.")
    start_year: int = Field(2018, ge=1900, le=2200, description="First year = register year.")
    end_year: int = Field(2045, ge=1900, le=2200, description="Last simulated year.")
    plan_start: int | None = Field(
        None,
        ge=1900,
        le=2200,
        description="First plan year: the first year a decision can still change. Years "
        "before it are history (actuals where known, else simulated and marked); every "
        "decision lever starts in it or later. Default: the year after start_year.",
    )
    price_basis: str = Field(
        "nominal",
        pattern=r"^(nominal|real:\d{4})$",
        description="How results show money: 'nominal' (each year's own kroner) or "
        "'real:YYYY' (fixed prices of year YYYY, deflated by the price index); "
        "`--prices` on the command line.",
    )
    price_index: str = Field(
        "price_index.yaml",
        min_length=1,
        description="Price-index file (relative to the model file) that converts money "
        "between years; 'none' = no inflation (every price year equal).",
    )
    actuals: str = Field(
        "actuals.yaml",
        min_length=1,
        description="Known outcomes per HF and year (relative to the model file); the "
        "published operating results are booked in the history years; 'none' = no actuals.",
    )
    register_path: str | tuple[str, ...] = Field(
        "../data/building_register",
        alias="register",
        description="Register folder or files, relative to the model file.",
    )
    weighting: Param[Literal["area", "value"]] = leaf(
        unit="-",
        description="How buildings are weighted in portfolio grades: floor area or "
        "replacement value (floor area x NOK/m²).",
    )
    targets: Targets

    @field_validator("end_year")
    @classmethod
    def _end_after_start(cls, end: int, info: ValidationInfo) -> int:
        start = info.data.get("start_year")
        if start is not None and end <= start:
            raise PydanticCustomError(
                "end_before_start",
                "end_year must be after start_year ({start})",
                {"start": start},
            )
        return end

    @model_validator(mode="after")
    def _plan_start_inside(self) -> ModelSettings:
        if self.plan_start is not None and not self.start_year < self.plan_start <= self.end_year:
            raise PydanticCustomError(
                "plan_start_outside",
                "plan_start must lie after start_year and by end_year ({start}–{end}), found "
                "{found}",
                {"start": self.start_year + 1, "end": self.end_year, "found": self.plan_start},
            )
        return self

    @property
    def first_plan_year(self) -> int:
        """The first plan year [year]: ``plan_start``, or the year after ``start_year``."""
        return self.start_year + 1 if self.plan_start is None else int(self.plan_start)


class Condition(Section):
    """How parts wear: the grade rises with age toward TG3 over each part's life."""

    wear_model: Param[Literal["deterministic", "markov"]] = leaf(
        "deterministic",
        unit="-",
        description="Wear model: deterministic curve or Markov transitions between TG0..TG3.",
        source="assumption: the deterministic curve is the default; Markov for uncertainty",
    )
    wear_shape: Param[Annotated[float, Field(ge=0.3, le=5.0)]] = leaf(
        1.0,
        unit="1",
        description="Shape k of the wear curve: grade = 3 (age / life)^k; 1 is linear [-].",
        source="assumption: linear wear",
    )
    part_life_years: Param[per_part(Positive)] = leaf(
        unit="years",
        description="Years a part takes from TG0 to TG3 without maintenance, per part [years].",
    )
    wear_rate_factor: Param[Annotated[float, Field(ge=0.0, le=5.0)]] = leaf(
        1.0,
        unit="1",
        description="Multiplier on the speed of wear; 1 wears parts over their stated lives, "
        "0 stops wear, 1.2 wears them 20 % faster [-].",
        source="assumption: parts wear as their stated lives say",
    )
    markov_seed: int = Field(2018, ge=0, description="Seed of the Markov draws.")


class UpgradeCost(Section):
    """Cost norms for the upgrade need (multiMap: 'must' on TG3, 'should' on TG2), per m²."""

    must_nok_per_m2: Param[per_part(NonNegative)] = leaf(
        unit="NOK/m²",
        description="Cost of bringing a part from TG3 to TG1, per m² of building floor area "
        "[NOK/m², price basis of the model].",
    )
    should_nok_per_m2: Param[per_part(NonNegative)] = leaf(
        unit="NOK/m²",
        description="Cost of bringing a part from TG2 to TG1, per m² of building floor area "
        "[NOK/m², price basis of the model].",
    )
    renew_tg1_nok_per_m2: Param[per_part(NonNegative)] = leaf(
        unit="NOK/m²",
        description="Cost of renewing a TG1 part to TG0, per m² of building floor area; with "
        "the norms above it prices a maintenance measure from any grade [NOK/m²].",
    )


class Maintenance(Section):
    """The maintenance budget and how it is spent."""

    budget_mnok: Param[per_hf(timed(NonNegative))] = leaf(
        unit="MNOK/year",
        description="Maintenance budget of each HF; entries may be year paths [MNOK/year].",
    )
    extra_budget_mnok: Param[timed(NonNegative)] = leaf(
        0.0,
        unit="MNOK/year",
        description="Extra regional maintenance budget on top of the HF budgets [MNOK/year].",
        source="assumption: no extra budget (the +210 MNOK/yr catch-up plan of utviklingsplan "
        "2018 section 2.11 is the scenario catch_up)",
    )
    extra_budget_split: Param[Literal["area", "equal"]] = leaf(
        "area",
        unit="-",
        description="How the regional extra budget is split across HFs: by floor area or "
        "in equal parts.",
        source="assumption: by floor area",
    )
    policy: Param[Literal["worst_first", "best_value"]] = leaf(
        "worst_first",
        unit="-",
        description="Which parts get money first: the worst (weighted by risk_weight) or "
        "the most grade improvement per krone.",
        source="assumption: worst first, as Blockbuster (UK DfE) spends its repair budget",
    )
    disposal_horizon_years: Param[Annotated[int, Field(ge=0)]] = leaf(
        5,
        unit="years",
        description="Buildings due for disposal within this many years get no money [years].",
        source="assumption: no maintenance on buildings to be disposed of within 5 years",
    )
    result_grade: Param[Fraction] = leaf(
        0.0,
        unit="TG",
        description="Grade a maintenance measure leaves a part at; 0 is renewal [TG 0–1].",
        source="assumption: a measure renews the part (TG0)",
    )
    risk_weight: Param[per_part(NonNegative)] = leaf(
        unit="1",
        description="Consequence weight of each part when spending worst-first [-].",
    )


class Model(Section):
    """A complete, validated model: one field per section.

    The file it was read from (if any) is kept in :attr:`file` and used to resolve the
    register path.
    """

    model: ModelSettings
    condition: Condition
    upgrade_cost: UpgradeCost
    maintenance: Maintenance
    portfolio: Portfolio = Field(default_factory=Portfolio)
    finance: Finance = Field(default_factory=Finance)

    _file: Path | None = PrivateAttr(default=None)
    _lines: dict[tuple[str, ...], int] = PrivateAttr(default_factory=dict)
    _origins: dict[str, tuple[str, dict[tuple[str, ...], int], tuple[str, ...]]] = PrivateAttr(
        default_factory=dict
    )

    @model_validator(mode="after")
    def _new_buildings_open_with_known_projects(self) -> Model:
        keys = {key for key, _ in self.finance.projects.items()}
        ids = [b.building_id for b in self.portfolio.new_buildings.value]
        for b in self.portfolio.new_buildings.value:
            if b.opens_with is not None and b.opens_with not in keys:
                raise PydanticCustomError(
                    "opens_with_unknown",
                    "new building {bid} opens with project {found}, which is not in "
                    "finance.projects ({known})",
                    {"bid": b.building_id, "found": b.opens_with, "known": ", ".join(sorted(keys))},
                )
        for where, which, at in self.portfolio.disposals.timed():
            if at.after_opening is not None and at.after_opening not in keys:
                raise PydanticCustomError(
                    "disposal_after_unknown",
                    "portfolio.disposals.{where} ({which}) follows project {found}, which is not "
                    "in finance.projects ({known})",
                    {
                        "where": where,
                        "which": which,
                        "found": at.after_opening,
                        "known": ", ".join(sorted(keys)),
                    },
                )
        if len(set(ids)) != len(ids):
            raise PydanticCustomError(
                "duplicate_id", "portfolio.new_buildings repeats a building_id: {ids}", {"ids": ids}
            )
        return self

    @property
    def file(self) -> Path | None:
        """The model file this model was read from, or ``None``."""
        return self._file

    def where(self, key: str, *sub: object) -> tuple[str, int | None]:
        """Return the file and line where a value is written (see :mod:`.provenance`).

        Parameters
        ----------
        key : str
            Dotted key, e.g. ``portfolio.disposals.by_building``.
        *sub : object
            Entries below the key, e.g. a building id.

        Returns
        -------
        (str, int or None)
            The scenario file and line of the override setting it, else the model file and
            the key's line there.
        """
        from hmn_bygg.config.provenance import where

        return where(self, key, *sub)

    def register_paths(self) -> list[Path]:
        """Return the register folder or files, resolved relative to the model file.

        Returns
        -------
        list of pathlib.Path
            Absolute paths; relative ones are taken from the model file's folder (or
            ``models/`` when the model was not read from a file).
        """
        base = self._file.parent if self._file is not None else models_dir()
        register = self.model.register_path
        entries = (register,) if isinstance(register, str) else register
        return [(base / entry).resolve() for entry in entries]
