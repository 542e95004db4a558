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
    model_validator,
)
from pydantic_core import PydanticCustomError

from hmn_bygg.config.params import (
    Fraction,
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
from hmn_bygg.config.project_sections import (
    ZERO_SOURCE,
    Projects,
    StateLoan,
    _frozen,
    per_asset_class,
)
from hmn_bygg.config.region import every_hf
from hmn_bygg.config.section_base import Section, leaf

USES: tuple[str, ...] = ("somatic", "mental_health", "office", "housing", "technical", "other")
"""Use categories of buildings (``models/organisation.csv``)."""
UseCode = Literal["somatic", "mental_health", "office", "housing", "technical", "other"]
DisposalKind = Literal["sale", "demolition"]


def _broadcast_use(value: Any) -> Any:
    return dict.fromkeys(USES, value) if not isinstance(value, Mapping) else value


def per_use(item: Any) -> Any:
    """Value type: a table with one ``item`` per use category (:data:`USES`), or one value
    that holds for every use."""
    return Annotated[_table(UseCode, USES, item, "per use"), BeforeValidator(_broadcast_use)]


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


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
            raise PydanticCustomError(
                "open_year_xor", "give exactly one of open_year and opens_with"
            )
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
            raise PydanticCustomError(
                "disposal_time_xor", "give exactly one of year and after_opening"
            )
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
        description="Disposal year (and kind) by building id, e.g. {B-0071: 2026}.",
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
    delay_years: Param[Annotated[int, Field(ge=-10, le=10)]] = leaf(
        0,
        unit="years",
        description="Years every disposal comes later than its plan (the register's, by site, "
        "by building or by rule): a sale may wait for a buyer; negative: earlier, never before "
        "the plan year nor before the project a disposal waits for opens [years].",
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
        every_hf(0.0),
        unit="MNOK",
        description="Liquidity of each HF at the start of the first model year [MNOK].",
        source=ZERO_SOURCE,
    )
    credit_limit_mnok: Param[per_hf(NonNegative)] = leaf(
        every_hf(0.0),
        unit="MNOK",
        description="Operating credit line (driftskreditt) of each HF [MNOK].",
        source=ZERO_SOURCE,
    )
    operating_result_before_mnok: Param[per_hf(timed(float))] = leaf(
        every_hf(0.0),
        unit="MNOK/year",
        description="Operating result before building items (maintenance, FDV, project "
        "running costs and savings, depreciation, interest, demolition) [MNOK/year].",
        source=ZERO_SOURCE,
    )
    existing_depreciation_mnok: Param[per_hf(timed(NonNegative))] = leaf(
        every_hf(0.0),
        unit="MNOK/year",
        description="Depreciation of assets in the books at the start [MNOK/year].",
        source=ZERO_SOURCE,
    )
    hf_support_mnok: Param[per_hf(timed(float))] = leaf(
        every_hf(0.0),
        unit="MNOK/year",
        description="Support from the RHF to each HF, added to its result and paid by the RHF "
        "[MNOK/year].",
        source=ZERO_SOURCE,
    )
    medtech_reinvestment_mnok: Param[per_hf(timed(NonNegative))] = leaf(
        every_hf(0.0),
        unit="MNOK/year",
        description="Yearly reinvestment in medical-technical equipment, cash-financed "
        "[MNOK/year].",
        source=ZERO_SOURCE,
    )
    ordinary_investment_mnok: Param[per_hf(timed(NonNegative))] = leaf(
        every_hf(0.0),
        unit="MNOK/year",
        description="Ordinary investment besides the named projects and medical equipment: "
        "building upgrades, small works, IT; cash-financed, capitalised and depreciated over "
        "the 'upgrade' life [MNOK/year].",
        source=ZERO_SOURCE,
    )
    ordinary_investment_rule: Param[Literal["plan", "free_cash_flow"]] = leaf(
        "plan",
        unit="-",
        description="'plan': spend the planned ordinary investment; 'free_cash_flow': also "
        "spend, in each plan year, the cash the plan leaves over (hmn_bygg.finance.ordinary).",
        source="assumption: the planned level only",
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
