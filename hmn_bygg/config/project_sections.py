"""The projects of the ``finance`` section and the state-loan rules.

Projects are named fields of :class:`Projects` (``finance.projects.snr.cost_mnok``), so that
scenario overrides can reach each of their parameters by dotted key; further projects go in
``finance.projects.other`` (a mapping replaced as a whole by an override). Each project may
carry its own loan terms (``loan_term_years``, ``loan_kind``); empty ones follow
:class:`StateLoan`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    field_validator,
)
from pydantic_core import PydanticCustomError

from hmn_bygg.config.params import (
    Fraction,
    FrozenDict,
    NonNegative,
    Param,
    Year,
    _table,
    per_hf,
    timed,
)
from hmn_bygg.config.region import hf_codes
from hmn_bygg.config.section_base import Section, leaf

ASSET_CLASSES: tuple[str, ...] = ("building", "ict", "medtech", "upgrade")
"""Asset classes with their own depreciation life."""
AssetClass = Literal["building", "ict", "medtech", "upgrade"]
LoanKind = Literal["annuity", "serial"]
ZERO_SOURCE = "assumption: none unless the model file says otherwise"


def per_asset_class(item: Any) -> Any:
    """Value type: a table with one ``item`` per asset class (:data:`ASSET_CLASSES`)."""
    return _table(AssetClass, ASSET_CLASSES, item, "per asset class")


def _broadcast_hf(value: Any) -> Any:
    return dict.fromkeys(hf_codes(), value) if not isinstance(value, Mapping) else value


def _first_hf_only() -> dict[str, float]:
    """The placeholder owner of a project: the region's first HF carries all of it."""
    return {h: float(i == 0) for i, h in enumerate(hf_codes())}


def hf_or_scalar(item: Any) -> Any:
    """Value type: a per-HF table, or one value that holds for every HF."""
    return Annotated[per_hf(item), BeforeValidator(_broadcast_hf)]


def _frozen(value: Mapping[Any, Any]) -> FrozenDict:
    return FrozenDict(sorted(value.items(), key=lambda item: str(item[0])))


def _shares(value: Mapping[int, float]) -> FrozenDict:
    total = sum(value.values())
    if not value or abs(total - 1.0) > 1e-6:
        raise PydanticCustomError(
            "spend_shares_sum",
            "the spend shares must sum to 1, found {total}",
            {"total": round(float(total), 6)},
        )
    return _frozen(value)


SpendProfile = Annotated[dict[Year, Fraction], AfterValidator(_shares)]
"""Share of a project's cost paid in each year ``{year: share}`` [fraction]; sums to 1."""


class Project(Section):
    """One investment project; its money is split across HFs by ``hf_share``."""

    name: str = Field("", description="Name shown in tables.")
    hf_share: Param[per_hf(Fraction)] = leaf(
        _first_hf_only,
        unit="1",
        description="Share of the project's money each HF carries [fraction]; sums to 1.",
        source="assumption: placeholder owner",
    )
    asset_class: Param[AssetClass] = leaf(
        "building",
        unit="-",
        description="Asset class; sets the depreciation life (finance.asset_life_years).",
        source="assumption: a building",
    )
    cost_mnok: Param[NonNegative] = leaf(
        0.0, unit="MNOK", description="Cost frame [MNOK].", source=ZERO_SOURCE
    )
    spend_profile: Param[SpendProfile] = leaf(
        {2020: 1.0},
        unit="1",
        description="Share of the cost paid in each year {year: share}; sums to 1 [fraction].",
        source="assumption: placeholder",
    )
    open_year: Param[hf_or_scalar(Year)] = leaf(
        2020,
        unit="year",
        description="Opening / go-live year, one value or one per HF; capitalised then, "
        "depreciated, running costs and savings from then on [year].",
        source="assumption: placeholder",
    )
    loan_financed: Param[bool] = leaf(
        False, unit="-", description="Whether a state loan is sought.", source=ZERO_SOURCE
    )
    loan_frame_mnok: Param[NonNegative | None] = leaf(
        None,
        unit="MNOK",
        description="Loan frame granted [MNOK]; empty: the state-loan rule (share x cost).",
        source="assumption: the state-loan rule applies",
    )
    loan_term_years: Param[Annotated[int, Field(ge=1, le=35)] | None] = leaf(
        None,
        unit="years",
        description="Repayment period of this project's state loan [years]; empty: "
        "finance.state_loan.term_years.",
        source="assumption: the state-loan rules apply",
    )
    loan_kind: Param[LoanKind | None] = leaf(
        None,
        unit="-",
        description="Repayment profile of this project's state loan (annuity or serial); "
        "empty: finance.state_loan.kind.",
        source="assumption: the state-loan rules apply",
    )
    running_cost_mnok: Param[timed(float)] = leaf(
        0.0,
        unit="MNOK/year",
        description="Change in running costs from go-live (FDV, licences) [MNOK/year].",
        source=ZERO_SOURCE,
    )
    savings_mnok: Param[timed(NonNegative)] = leaf(
        0.0,
        unit="MNOK/year",
        description="Realised savings from go-live, after the ramp-up [MNOK/year].",
        source=ZERO_SOURCE,
    )
    savings_ramp_years: Param[Annotated[int, Field(ge=0, le=20)]] = leaf(
        0,
        unit="years",
        description="Years over which savings rise linearly to their full level [years].",
        source="assumption: full savings from go-live",
    )

    @field_validator("hf_share")
    @classmethod
    def _share_sums_to_one(cls, value: Param) -> Param:
        total = sum(value.value.values())
        if abs(total - 1.0) > 1e-6:
            raise PydanticCustomError(
                "hf_share_sum",
                "hf_share must sum to 1, found {total}",
                {"total": round(float(total), 6)},
            )
        return value


def _project(description: str) -> Any:
    return Field(default_factory=lambda: Project(name=""), description=description)


class Projects(Section):
    """The investment projects of the LTB, by key."""

    snr: Project = _project("Sjukehuset Nordmøre og Romsdal (HMR): Hjelset and DMS Kristiansund.")
    helseplattformen: Project = _project("Helseplattformen, the regional health record (ICT).")
    ostmarka_security: Project = _project("New security building at Østmarka (STO).")
    psykiatriloftet_levanger: Project = _project("Psykiatriløftet Levanger (HNT).")
    alesund_facade_400v: Project = _project("Ålesund façade and 400 V upgrade (HMR).")
    orkdal_rebuild: Project = _project("Orkdal rebuild (STO).")
    namsos_combination: Project = _project("Combination building in Namsos (HNT).")
    mental_health_ntnu: Project = _project("Mental-health centre with NTNU (STO).")
    other: Annotated[dict[str, Project], AfterValidator(_frozen)] = Field(
        default_factory=FrozenDict, description="Further projects by key (replaced as a whole)."
    )

    def items(self) -> list[tuple[str, Project]]:
        """Return ``(key, project)`` for every project, named ones first."""
        named = [(k, getattr(self, k)) for k in type(self).model_fields if k != "other"]
        return named + sorted(self.other.items())


class StateLoan(Section):
    """The state-loan rules (domain brief, 'Money rules')."""

    share: Param[timed(Fraction)] = leaf(
        {2018: 0.7, 2025: 0.9},
        unit="1",
        description="Share of the cost frame lent, by the project's first spend year [fraction].",
        source="domain.md 'Money rules': 70 % of the cost frame, 90 % from 2025",
    )
    min_project_mnok: Param[NonNegative] = leaf(
        500.0,
        unit="MNOK",
        description="Only projects with a cost frame above this get a state loan [MNOK].",
        source="domain.md 'Money rules': state loans only for projects over 500 MNOK",
    )
    term_years: Param[Annotated[int, Field(ge=1, le=35)]] = leaf(
        25,
        unit="years",
        description="Repayment period [years]; at most 35.",
        source="domain.md 'Money rules': 25 years serial before 2019, at most 35 years",
    )
    kind: Param[LoanKind] = leaf(
        "serial",
        unit="-",
        description="Repayment profile: annuity or serial.",
        source="domain.md 'Money rules': serial only before 2019",
    )
    rate: Param[Annotated[float, Field(ge=0, le=0.2)]] = leaf(
        0.025,
        unit="1",
        description="Yearly interest rate [fraction].",
        source="assumption ⚠: the state's rate plus a margin (domain.md 'Money rules')",
    )
    grace_years: Param[Annotated[int, Field(ge=0, le=10)]] = leaf(
        0,
        unit="years",
        description="Interest-only years after each drawdown [years].",
        source="assumption: repayment from the year after the drawdown",
    )
    interest_on_drawdown: Param[Fraction] = leaf(
        0.5,
        unit="1",
        description="Share of a year a drawdown earns interest in its own year [fraction].",
        source="assumption: drawn evenly through the year (mid-year on average)",
    )
