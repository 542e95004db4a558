"""Where a parameter comes from and how uncertain it is: the ``source`` text and the
``uncertainty:`` block of a parameter leaf (:class:`hmn_bygg.config.params.Param`).

A source names a seed document and section, a public report, or starts with ``assumption``;
a placeholder (``todo``, ``?``) is refused. An uncertainty declaration is one of
:class:`Lognormal`, :class:`Normal`, :class:`Triangular`, :class:`Uniform` or
:class:`DelayYears`, chosen by ``dist``; the Monte Carlo engine (:mod:`hmn_bygg.risk.ensemble`)
draws from it, deterministic runs ignore it.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError

PLACEHOLDERS = frozenset({"todo", "tbd", "?", "-", "unknown", "n/a", "na", "source", "xxx"})


def _not_placeholder(source: str) -> str:
    if source.lower() in PLACEHOLDERS:
        raise PydanticCustomError(
            "placeholder_source", "source '{source}' is a placeholder", {"source": source}
        )
    return source


Source = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1),
    AfterValidator(_not_placeholder),
]


class _Spread(BaseModel):
    """Fields every uncertainty declaration shares."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    source: Source = Field(description="Where the spread comes from, or 'assumption: <reason>'.")
    group: str | None = Field(
        None,
        min_length=1,
        description="Correlation group: inputs of one group share a common factor "
        "(Gaussian copula), e.g. construction_cost.",
    )
    rho: float | None = Field(
        None,
        ge=0.0,
        le=1.0,
        description="Rank (Spearman) correlation between any two inputs of the group [-]; "
        "give it once per group.",
    )

    @model_validator(mode="after")
    def _rho_needs_group(self) -> _Spread:
        if self.rho is not None and self.group is None:
            raise PydanticCustomError(
                "rho_needs_group", "rho is the correlation within a group; give 'group' too"
            )
        return self


class Lognormal(_Spread):
    """Multiplier ``median · exp(sigma · Z)`` on the value (cost overruns, wear speed)."""

    dist: Literal["lognormal"]
    sigma: float = Field(ge=0.0, le=3.0, description="Standard deviation of log(multiplier) [-].")
    median: float = Field(1.0, gt=0.0, description="Median multiplier [-]; 1 is the value.")
    effect: Literal["multiply"] = Field("multiply", description="Always a multiplier.")


class Normal(_Spread):
    """``value + mean + sd · Z`` (``effect: add``, default) or ``value · (mean + sd · Z)``."""

    dist: Literal["normal"]
    sd: float = Field(ge=0.0, description="Standard deviation, in the effect's terms.")
    mean: float | None = Field(
        None, description="Mean shift (add, default 0) or mean multiplier (multiply, default 1)."
    )
    effect: Literal["add", "multiply"] = Field("add", description="Add to or multiply the value.")


class Triangular(_Spread):
    """A triangular draw in ``[low, high]`` with its peak at ``mode``; a multiplier by default."""

    dist: Literal["triangular"]
    low: float
    mode: float
    high: float
    effect: Literal["add", "multiply"] = Field("multiply", description="Multiply or add.")

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.low <= self.mode <= self.high:
            raise PydanticCustomError(
                "triangular_order", "a triangular distribution needs low <= mode <= high"
            )
        return self


class Uniform(_Spread):
    """A uniform draw in ``[low, high]``; a multiplier by default."""

    dist: Literal["uniform"]
    low: float
    high: float
    effect: Literal["add", "multiply"] = Field("multiply", description="Multiply or add.")

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if not self.low <= self.high:
            raise PydanticCustomError("uniform_order", "a uniform distribution needs low <= high")
        return self


class DelayYears(_Spread):
    """A delay of whole years added to a year: ``p[k]`` is the probability of ``k`` years."""

    dist: Literal["delay_years"]
    p: tuple[Annotated[float, Field(ge=0.0, le=1.0)], ...] = Field(
        min_length=1, description="Probabilities of 0, 1, 2, ... years of delay; sum to 1."
    )
    effect: Literal["add"] = Field("add", description="Always added, in whole years.")

    @model_validator(mode="after")
    def _sums_to_one(self) -> DelayYears:
        if abs(sum(self.p) - 1.0) > 1e-9:
            raise PydanticCustomError(
                "delay_p_sum",
                "the delay probabilities must sum to 1, found {total}",
                {"total": round(float(sum(self.p)), 6)},
            )
        return self


Uncertainty = Annotated[
    Lognormal | Normal | Triangular | Uniform | DelayYears, Discriminator("dist")
]
"""How uncertain a parameter is: one of :class:`Lognormal`, :class:`Normal`,
:class:`Triangular`, :class:`Uniform`, :class:`DelayYears` (chosen by ``dist``); each needs a
``source``. ``group``/``rho`` correlate inputs through a common factor."""
