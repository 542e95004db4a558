"""The ``portfolio`` and ``finance`` sections: new buildings, disposals, projects, loans, LTB.

Same pattern as :mod:`hmn_bygg.config.sections`: every fact or assumption is a
:class:`~hmn_bygg.config.params.Param` leaf ``{value, unit, source}``. Every field has a
default (zero money, no projects, no new buildings) so that model files written before these
sections existed still load; the bundled ``models/hmn.yaml`` states every value with its source.

Projects are named fields of :class:`Projects` (``finance.projects.snr.cost_mnok``), so that
scenario overrides can reach each of their parameters by dotted key; further projects go in
``finance.projects.other`` (a mapping replaced as a whole by an override).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from hmn_bygg.config.params import (
    HFS,
    Fraction,
    FrozenDict,
    Grade,
    HfCode,
    NonNegative,
    Param,
    Positive,
    Source,
    Year,
    _table,
    per_hf,
    timed,
)
from hmn_bygg.config.section_base import Section, leaf

USES: tuple[str, ...] = ("somatic", "mental_health", "office", "housing", "technical", "other")
"""Use categories of buildings (``models/organisation.csv``)."""
UseCode = Literal["somatic", "mental_health", "office", "housing", "technical", "other"]
ASSET_CLASSES: tuple[str, ...] = ("building", "ict", "medtech", "upgrade")
"""Asset classes with their own depreciation life."""
AssetClass = Literal["building", "ict", "medtech", "upgrade"]
DisposalKind = Literal["sale", "demolition"]
LoanKind = Literal["annuity", "serial"]
ZERO_SOURCE = "assumption: none unless the model file says otherwise"


def _broadcast_use(value: Any) -> Any:
    return dict.fromkeys(USES, value) if not isinstance(value, Mapping) else value


def per_use(item: Any) -> Any:
    """Value type: a table with one ``item`` per use category (:data:`USES`), or one value
    that holds for every use."""
    return Annotated[_table(UseCode, USES, item, "per use"), BeforeValidator(_broadcast_use)]


def per_asset_class(item: Any) -> Any:
    """Value type: a table with one ``item`` per asset class (:data:`ASSET_CLASSES`)."""
    return _table(AssetClass, ASSET_CLASSES, item, "per asset class")


def _broadcast_hf(value: Any) -> Any:
    return {h: value for h in HFS} if not isinstance(value, Mapping) else value


def hf_or_scalar(item: Any) -> Any:
    """Value type: a per-HF table, or one value that holds for every HF."""
    return Annotated[per_hf(item), BeforeValidator(_broadcast_hf)]


def _frozen(value: Mapping[Any, Any]) -> FrozenDict:
    return FrozenDict(sorted(value.items(), key=lambda item: str(item[0])))


def _shares(value: Mapping[int, float]) -> FrozenDict:
    total = sum(value.values())
    if not value or abs(total - 1.0) > 1e-6:
        raise ValueError(f"the spend shares must sum to 1, found {total:.6g}")
    return _frozen(value)


SpendProfile = Annotated[dict[Year, Fraction], AfterValidator(_shares)]
"""Share of a project's cost paid in each year ``{year: share}`` [fraction]; sums to 1."""


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class NewBuilding(_Row):
    """One new building: it enters the register at TG0 in its open year."""

    building_id: str = Field(min_length=1, description="Unique building id.")
    name: str = Field(description="Name shown in tables.")
    hf: HfCode = Field(description="Owning HF.")
    site: str = Field(description="Site (sted).")
    use: UseCode = Field(description="Main use.")
    floor_area_m2: Positive = Field(description="Gross floor area (BTA) [m²].")
    replacement_value_nok_per_m2: Positive = Field(description="Replacement value [NOK/m²].")
    open_year: Year | None = Field(None, description="Year it enters the stock [year].")
    opens_with: str | None = Field(
        None, description="Project key whose open year (for the building's HF) it takes."
    )
    source: Source

    @model_validator(mode="after")
    def _one_open_year(self) -> NewBuilding:
        if (self.open_year is None) == (self.opens_with is None):
            raise ValueError("give exactly one of open_year and opens_with")
        return self


class _DisposalTime(_Row):
    """When a disposal happens: a year, or a number of years after a project opens."""

    year: Year | None = Field(None, description="Disposal year: not in service from this year.")
    after_opening: str | None = Field(
        None,
        description="Project key in finance.projects: the disposal follows its open year (for "
        "the building's HF), so a delayed project delays it too.",
    )
    years_after: int = Field(
        1, ge=0, le=30, description="Years after the project opens (with after_opening) [years]."
    )

    @model_validator(mode="after")
    def _one_time(self) -> _DisposalTime:
        if (self.year is None) == (self.after_opening is None):
            raise ValueError("give exactly one of year and after_opening")
        return self


class DisposalAt(_DisposalTime):
    """When and how a building (or every building of a site) leaves the stock.

    A bare year (``{Brøset: 2026}``) is short for ``{year: 2026}``; ``{after_opening: snr,
    years_after: 1}`` ties the disposal to a project's open year.
    """

    kind: DisposalKind | None = Field(None, description="sale or demolition; default by site.")

    @model_validator(mode="before")
    @classmethod
    def _year_shorthand(cls, value: Any) -> Any:
        return {"year": value} if isinstance(value, int | str) else value


class DisposalRule(_DisposalTime):
    """Dispose of every building that matches (site, HF, use) with a grade at or above a bound.

    The grade is the building's grade in the register (from its parts). A rule never
    postpones a disposal that is already planned earlier. Its time is a ``year`` or
    ``after_opening`` a project (``years_after`` it opens).
    """

    site: str | None = Field(None, description="Only this site (default: any).")
    hf: HfCode | None = Field(None, description="Only this HF (default: any).")
    use: UseCode | None = Field(None, description="Only this use (default: any).")
    min_grade: Grade = Field(description="Buildings with grade >= this [TG].")
    kind: DisposalKind | None = Field(None, description="sale or demolition; default by site.")
    planned_only: bool = Field(
        False, description="Only buildings the register already plans to dispose of (moves them)."
    )


class Disposals(Section):
    """Disposal overrides; the register's ``planned_disposal_year`` applies unless overridden.

    Precedence: ``by_building`` over ``by_site`` over ``rules`` over the register; rules only
    bring a disposal forward.
    """

    default_kind: Param[DisposalKind] = leaf(
        "sale",
        unit="-",
        description="How a building leaves when nothing else says so: sale or demolition.",
        source="assumption: sold (Lundavang in Molde is to be sold on the open market)",
    )
    kind_by_site: Param[Annotated[dict[str, DisposalKind], AfterValidator(_frozen)]] = leaf(
        {},
        unit="-",
        description="How the buildings of a site leave, by site name.",
        source=ZERO_SOURCE,
    )
    by_building: Param[Annotated[dict[str, DisposalAt], AfterValidator(_frozen)]] = leaf(
        {},
        unit="-",
        description="Disposal year (and kind) by building id, e.g. {STO-0071: 2026}.",
        source=ZERO_SOURCE,
    )
    by_site: Param[Annotated[dict[str, DisposalAt], AfterValidator(_frozen)]] = leaf(
        {},
        unit="-",
        description="Disposal year (and kind) of every building of a site, e.g. {Brøset: 2026}.",
        source=ZERO_SOURCE,
    )
    rules: Param[tuple[DisposalRule, ...]] = leaf(
        (),
        unit="-",
        description="Rules: every building of a site/HF/use with grade >= min_grade goes in year.",
        source=ZERO_SOURCE,
    )
    delay_years: Param[Annotated[int, Field(ge=0, le=10)]] = leaf(
        0,
        unit="years",
        description="Years every disposal comes later than its plan (the register's, by site, "
        "by building or by rule): a sale may wait for a buyer [years].",
        source="assumption: disposals happen in their planned years",
    )

    def timed(self) -> list[tuple[str, str, DisposalAt | DisposalRule]]:
        """Return every disposal time: ``(field, rule number or site or id, its time)``."""
        return [
            *(("rules", str(i + 1), r) for i, r in enumerate(self.rules.value)),
            *(("by_site", k, at) for k, at in self.by_site.value.items()),
            *(("by_building", k, at) for k, at in self.by_building.value.items()),
        ]


class Portfolio(Section):
    """New buildings, disposals and the money per m² that follows the area."""

    new_buildings: Param[tuple[NewBuilding, ...]] = leaf(
        (),
        unit="-",
        description="New buildings added to the register, each with its own source.",
        source="assumption: no new buildings",
    )
    disposals: Disposals = Field(default_factory=Disposals)
    sale_price_nok_per_m2: Param[per_use(NonNegative)] = leaf(
        dict.fromkeys(USES, 0.0),
        unit="NOK/m²",
        description="Net sale price of a disposed building by use [NOK/m²].",
        source="assumption: no sale proceeds",
    )
    demolition_cost_nok_per_m2: Param[NonNegative] = leaf(
        0.0,
        unit="NOK/m²",
        description="Cost of demolishing a building [NOK/m²].",
        source="assumption: no demolition cost",
    )
    fdv_nok_per_m2: Param[timed(NonNegative)] = leaf(
        0.0,
        unit="NOK/m²/year",
        description="Running cost of area in service (forvaltning, drift, vedlikehold) "
        "[NOK/m²/year].",
        source="assumption: none",
    )
    pinned: Param[tuple[str, ...]] = leaf(
        (),
        unit="-",
        description="Building ids the disposal planner never proposes.",
        source="assumption: none pinned",
    )


class Project(Section):
    """One investment project; its money is split across HFs by ``hf_share``."""

    name: str = Field("", description="Name shown in tables.")
    hf_share: Param[per_hf(Fraction)] = leaf(
        {"HMR": 1.0, "HNT": 0.0, "STO": 0.0},
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
            raise ValueError(f"hf_share must sum to 1, found {total:.6g}")
        return value


def _project(description: str) -> Any:
    return Field(default_factory=Project, description=description)


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


class Regional(Section):
    """The RHF's own items, outside the HFs (region = HFs + these)."""

    operating_result_before_mnok: Param[timed(float)] = leaf(
        0.0,
        unit="MNOK/year",
        description="The RHF's own operating result before the support it pays HFs [MNOK/year].",
        source=ZERO_SOURCE,
    )
    opening_liquidity_mnok: Param[float] = leaf(
        0.0,
        unit="MNOK",
        description="The RHF's own liquidity at the start of the first year [MNOK].",
        source=ZERO_SOURCE,
    )


class Finance(Section):
    """The long-term budget (LTB): results, liquidity, credit lines, loans and projects.

    All money is MNOK at the model's price basis (``model.price_basis``: real 2018 kroner,
    fixed prices, in the bundled model); cost frames given in other price bases are noted in
    their sources.
    """

    opening_liquidity_mnok: Param[per_hf(float)] = leaf(
        dict.fromkeys(HFS, 0.0),
        unit="MNOK",
        description="Liquidity of each HF at the start of the first model year [MNOK].",
        source=ZERO_SOURCE,
    )
    credit_limit_mnok: Param[per_hf(NonNegative)] = leaf(
        dict.fromkeys(HFS, 0.0),
        unit="MNOK",
        description="Operating credit line (driftskreditt) of each HF [MNOK].",
        source=ZERO_SOURCE,
    )
    operating_result_before_mnok: Param[per_hf(timed(float))] = leaf(
        dict.fromkeys(HFS, 0.0),
        unit="MNOK/year",
        description="Operating result before building items (maintenance, FDV, project "
        "running costs and savings, depreciation, interest, demolition) [MNOK/year].",
        source=ZERO_SOURCE,
    )
    existing_depreciation_mnok: Param[per_hf(timed(NonNegative))] = leaf(
        dict.fromkeys(HFS, 0.0),
        unit="MNOK/year",
        description="Depreciation of assets in the books at the start [MNOK/year].",
        source=ZERO_SOURCE,
    )
    hf_support_mnok: Param[per_hf(timed(float))] = leaf(
        dict.fromkeys(HFS, 0.0),
        unit="MNOK/year",
        description="Support from the RHF to each HF, added to its result and paid by the RHF "
        "[MNOK/year].",
        source=ZERO_SOURCE,
    )
    medtech_reinvestment_mnok: Param[per_hf(timed(NonNegative))] = leaf(
        dict.fromkeys(HFS, 0.0),
        unit="MNOK/year",
        description="Yearly reinvestment in medical-technical equipment, cash-financed "
        "[MNOK/year].",
        source=ZERO_SOURCE,
    )
    capitalised_maintenance_share: Param[Fraction] = leaf(
        0.0,
        unit="1",
        description="Share of maintenance spend that is capitalised as upgrades (investment, "
        "depreciated over the 'upgrade' life) instead of expensed [fraction].",
        source="assumption: all maintenance expensed",
    )
    asset_life_years: Param[per_asset_class(Positive)] = leaf(
        {"building": 40.0, "ict": 10.0, "medtech": 10.0, "upgrade": 30.0},
        unit="years",
        description="Depreciation life by asset class [years].",
        source="domain.md: buildings planned for 50 years; medtech lasts about 10 years",
    )
    discount_rate: Param[Annotated[float, Field(ge=0, le=0.3)]] = leaf(
        0.04,
        unit="1",
        description="Real discount rate for NPV comparisons [fraction].",
        source="Finansdepartementet rundskriv R-109/2021: 4 % real for the first 40 years",
    )
    state_loan: StateLoan = Field(default_factory=StateLoan)
    regional: Regional = Field(default_factory=Regional)
    projects: Projects = Field(default_factory=Projects)
