"""The building blocks of model sections: :class:`Section` and the :func:`leaf` declaration.

Kept apart from :mod:`hmn_bygg.config.sections` so that section modules (the condition and
maintenance sections there, the portfolio and finance sections in
:mod:`hmn_bygg.config.ltb_sections`) can share them without importing each other.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from hmn_bygg.config.params import Param
from hmn_bygg.config.units import is_money_unit, normalize_unit

_REQUIRED: Any = ...


def leaf(
    default: Any = _REQUIRED,
    *,
    unit: str,
    description: str,
    source: str | None = None,
) -> Any:
    """Declare a parameter field: its unit, what it means and an optional default.

    Parameters
    ----------
    default : optional
        Default ``value``; leave out for a parameter every model file must give. A function
        (such as :func:`hmn_bygg.config.region.every_hf`) makes the value when a model is
        validated, e.g. a table over the region's HFs.
    unit : str
        The unit the file must state (``m²`` and ``m2``, ``year`` and ``yr`` are equal).
    description : str
        What the parameter means, with its unit in brackets; shown in the schema and by
        ``hmn-bygg config show``.
    source : str, optional
        Source of the default (required with a default).

    Returns
    -------
    pydantic.fields.FieldInfo
        Use as ``name: Param[...] = leaf(...)``.
    """
    extra: dict[str, Any] = {"unit": unit}  # a JSON dict for the schema
    if default is _REQUIRED:
        return Field(description=description, json_schema_extra=extra)
    if not source:
        raise ValueError("a default parameter value needs its source")
    value = {"value": default, "unit": unit, "source": source}
    if is_money_unit(unit):  # a default money value (zero, or empty) holds in any kroner
        value["price_year"] = "nominal"
    if callable(default):
        factory: Callable[[], dict[str, Any]] = LeafDefault(value)
        return Field(
            default_factory=factory,
            validate_default=True,
            description=description,
            json_schema_extra=extra,
        )
    return Field(
        default=value,
        validate_default=True,
        description=description,
        json_schema_extra=extra,
    )


class LeafDefault:
    """The default of a leaf whose value is made when a model is validated (see :func:`leaf`).

    Calling it returns ``{value: make(), unit, source[, price_year]}``; the JSON schema
    (:func:`hmn_bygg.config.schema.json_schema`) shows what it makes at that moment.
    """

    def __init__(self, leaf_value: dict[str, Any]) -> None:
        self.leaf_value = leaf_value

    def __call__(self) -> dict[str, Any]:
        return {**self.leaf_value, "value": self.leaf_value["value"]()}


def _rebuild(cls: type[Section], data: dict[str, Any], private: dict[str, Any] | None) -> Any:
    obj = cls.model_validate(data)
    for name, value in (private or {}).items():
        setattr(obj, name, value)
    return obj


@cache
def _same_unit(found: str, expected: str) -> bool:
    """Whether two unit spellings are equal (cached: every leaf is checked on each validation)."""
    return normalize_unit(found) == normalize_unit(expected)


@cache
def _is_money(unit: str) -> bool:
    return is_money_unit(unit)


class Section(BaseModel):
    """Base of all sections: frozen, no unknown keys, units checked against :func:`leaf`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    def __reduce__(self) -> tuple[Any, ...]:
        # Parametrized Param[...] classes cannot be pickled by reference: pickle (and dask) get
        # the plain data and validate it again.
        return (_rebuild, (type(self), self.model_dump(), self.__pydantic_private__))

    @field_validator("*", mode="after")
    @classmethod
    def _unit_matches(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, Param) and info.field_name is not None:
            extra = cls.model_fields[info.field_name].json_schema_extra
            expected = extra.get("unit") if isinstance(extra, dict) else None
            if isinstance(expected, str) and _same_unit(value.unit, expected) is False:
                raise PydanticCustomError(
                    "unit_mismatch",
                    "unit is {found}, expected {expected}",
                    {"found": value.unit, "expected": expected},
                )
            money = _is_money(value.unit)
            if money and value.price_year is None:
                raise PydanticCustomError(
                    "price_year_missing",
                    "a money parameter ({unit}) needs its price_year: the year whose kroner "
                    "the value is in (e.g. price_year: 2018), or 'nominal'",
                    {"unit": value.unit},
                )
            if not money and value.price_year is not None:
                raise PydanticCustomError(
                    "price_year_not_money",
                    "price_year belongs to money parameters only; the unit is {unit}",
                    {"unit": value.unit},
                )
        return value
