"""Parameter leaves, value shapes (scalar, year path, per-part and per-HF tables) and their
evaluation to arrays.

Every parameter in a model file is a *leaf* ``{value: ..., unit: ..., source: ...}``
(:class:`Param`). The value has one of these shapes:

- a **scalar**: ``60``;
- a **year path**: ``{2018: 40, 2025: 60}``: each value holds from its year on; before the
  first year the first value holds (see :func:`as_year_array`);
- a **table** keyed by NS 3451 part code (``"2"`` .. ``"7"``) or HF code (the region's codes
  in ``models/organisation.csv``, :mod:`hmn_bygg.config.region`; ``HMR``, ``HNT``, ``STO`` in
  the bundled model); every code must be present; entries may themselves be year paths where
  the field allows it (:func:`per_hf` of :func:`timed`).

Shapes are built with :func:`timed`, :func:`per_part` and :func:`per_hf` around a constrained
number type such as :data:`NonNegative`; they carry a :class:`Shape` marker so that the override
machinery knows which dotted keys reach into a table and which parameters may vary by year.
Tables and year paths are stored as :class:`FrozenDict`, so a validated model cannot be changed
in place.

A leaf may also say how uncertain it is (``uncertainty:``, :data:`Uncertainty`), next to the value
it varies; the Monte Carlo engine (:mod:`hmn_bygg.risk.ensemble`) reads it, deterministic runs
ignore it::

    wear_rate_factor:
      value: 1.0
      unit: "1"
      source: "assumption: parts wear as their stated lives say"
      uncertainty: {dist: lognormal, sigma: 0.15, source: "assumption: ±15 % on wear speed"}
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Generic, Literal, TypeVar, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    model_validator,
)
from pydantic_core import PydanticCustomError

from hmn_bygg.config.region import HfCode, hf_codes
from hmn_bygg.config.spread import (  # noqa: F401  (re-exported: where users found them)
    PLACEHOLDERS,
    DelayYears,
    Lognormal,
    Normal,
    Source,
    Triangular,
    Uncertainty,
    Uniform,
)
from hmn_bygg.core.numbers import typed_numbers

PARTS: tuple[str, ...] = ("2", "3", "4", "5", "6", "7")
"""NS 3451 main groups used as building parts (2 building .. 7 outdoor)."""

PartCode = Literal["2", "3", "4", "5", "6", "7"]

FIRST_YEAR, LAST_YEAR = 1900, 2200
Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]

NonNegative = Annotated[float, Field(ge=0)]
Positive = Annotated[float, Field(gt=0)]
Fraction = Annotated[float, Field(ge=0, le=1)]
Grade = Annotated[float, Field(ge=0, le=3)]

SCALAR_TAG = "scalar"
PATH_TAG = "year path"
LOC_TAGS = frozenset({SCALAR_TAG, PATH_TAG, "[key]"})
"""Union tags and key markers that pydantic puts in error locations; not part of a key."""

V = TypeVar("V")


class FrozenDict(dict):
    """A ``dict`` that refuses changes, so that tables in a frozen model stay frozen."""

    def _read_only(self, *args: Any, **kwargs: Any) -> typing.NoReturn:
        raise TypeError("a model's tables are frozen; use apply_overrides to change them")

    __setitem__ = __delitem__ = __ior__ = _read_only
    update = pop = popitem = clear = setdefault = _read_only

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(self.items()))

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenDict, (dict(self),))


@dataclass(frozen=True)
class Shape:
    """Marker on a value type: a year path (``kind="timed"``) or a table of codes.

    Parameters
    ----------
    kind : {"timed", "table"}
        ``timed``: scalar or year path. ``table``: mapping with every code in ``keys``.
    keys : tuple of str or callable
        Table codes (empty for ``timed``), or a function that returns them when asked (the
        region's HF codes, read from the project's ``models/organisation.csv``).
    entries_timed : bool
        Whether table entries may be year paths.
    label : str
        Short description used in schema titles.
    """

    kind: Literal["timed", "table"]
    keys: tuple[str, ...] | Callable[[], tuple[str, ...]] = ()
    entries_timed: bool = False
    label: str = ""

    def codes(self) -> tuple[str, ...]:
        """Return the table's codes (for the region's HFs: as the project's table says now)."""
        return self.keys() if callable(self.keys) else self.keys


def is_year_path(value: Any) -> bool:
    """Tell a year path (keys are years) from a table (keys are part or HF codes).

    >>> is_year_path({2018: 40, 2025: 60}), is_year_path({"2": 60, "3": 35}), is_year_path(5)
    (True, False, False)
    """
    if not isinstance(value, Mapping) or not value:
        return False
    for key in value:
        if isinstance(key, bool):
            return False
        if isinstance(key, int):
            year = key
        elif isinstance(key, str) and key.strip().isdigit():
            year = int(key)
        else:
            return False
        if year < 1000:  # part codes 2..7 written without quotes
            return False
    return True


def shape_of(annotation: Any) -> Shape | None:
    """Return the :class:`Shape` marker of an ``Annotated`` value type, if any."""
    for meta in getattr(annotation, "__metadata__", ()):
        if isinstance(meta, Shape):
            return meta
    return None


def _label(tp: Any) -> str:
    shape = shape_of(tp)
    if shape is not None:
        return shape.label
    origin = typing.get_origin(tp)
    if origin is Literal:
        return "|".join(str(a) for a in typing.get_args(tp))
    if origin is Annotated:
        base, *meta = typing.get_args(tp)
        bounds = []
        for m in meta:
            for item in getattr(m, "metadata", [m]):
                for attr, sym in (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<")):
                    if getattr(item, attr, None) is not None:
                        bounds.append(f"{sym}{getattr(item, attr)}")
        return _label(base) + (f"[{','.join(bounds)}]" if bounds else "")
    return {float: "number", int: "integer", str: "text", bool: "yes/no"}.get(tp, str(tp))


def _sorted_path(path: dict[int, Any]) -> FrozenDict:
    if not path:
        raise PydanticCustomError(
            "year_path_empty", "a year path needs at least one year: value entry"
        )
    return FrozenDict(sorted(path.items()))


def _path_or_scalar(value: Any) -> str:
    return PATH_TAG if isinstance(value, Mapping) else SCALAR_TAG


def _same_type_once(build: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Return ``build`` memoised by item: ``Param[per_hf(NonNegative)]`` in four fields is then
    one parametrised class (pydantic caches ``Param[T]`` by ``T``), built once at import."""
    built: dict[Any, Any] = {}

    def once(item: Any) -> Any:
        try:
            if item not in built:
                built[item] = build(item)
            return built[item]
        except TypeError:  # an unhashable item
            return build(item)

    return functools.wraps(build)(once)


@_same_type_once
def timed(item: Any) -> Any:
    """Value type: ``item`` or a year path ``{year: item}`` (each value holds from its year).

    Parameters
    ----------
    item : type
        Type of one value, e.g. :data:`NonNegative`.
    """
    path = Annotated[dict[Year, item], AfterValidator(_sorted_path)]
    union = Union[Annotated[item, Tag(SCALAR_TAG)], Annotated[path, Tag(PATH_TAG)]]  # noqa: UP007
    label = f"{_label(item)} or year path"
    return Annotated[union, Discriminator(_path_or_scalar), Shape("timed", label=label)]


def _str_keys(value: Any) -> Any:
    if isinstance(value, Mapping) and not is_year_path(value):
        return {str(k).strip() if isinstance(k, int | str) else k: v for k, v in value.items()}
    return value


def _complete(codes: tuple[str, ...] | Callable[[], tuple[str, ...]]) -> Any:
    def check(table: dict[str, Any]) -> FrozenDict:
        keys = codes() if callable(codes) else codes
        missing = [k for k in keys if k not in table]
        if missing:
            listed = ", ".join(repr(k) for k in missing)
            raise PydanticCustomError("table_lacks", "table lacks {missing}", {"missing": listed})
        return FrozenDict((k, table[k]) for k in keys)

    return check


def _table(
    codes: Any, keys: tuple[str, ...] | Callable[[], tuple[str, ...]], item: Any, what: str
) -> Any:
    entry_shape = shape_of(item)
    entries_timed = entry_shape is not None and entry_shape.kind == "timed"
    shape = Shape("table", keys, entries_timed, f"{what}[{_label(item)}]")
    return Annotated[
        dict[codes, item], BeforeValidator(_str_keys), AfterValidator(_complete(keys)), shape
    ]


@_same_type_once
def per_part(item: Any) -> Any:
    """Value type: a table with one ``item`` per NS 3451 part code ``"2"`` .. ``"7"``."""
    return _table(PartCode, PARTS, item, "per part")


@_same_type_once
def per_hf(item: Any) -> Any:
    """Value type: a table with one ``item`` per HF code of the region (:func:`hf_codes`)."""
    return _table(HfCode, hf_codes, item, "per HF")


class Param(BaseModel, Generic[V]):
    """One parameter: a value with its unit and where it comes from.

    Parameters
    ----------
    value : V
        Scalar, year path or table (see the module docstring).
    unit : str
        Unit as written, e.g. ``MNOK/year``; must match the field's unit.
    source : str
        A seed document and section, a public report, or a text starting with ``assumption``.
    price_year : int or "nominal", optional
        The kroner a money parameter is stated in: a year (fixed prices of that year,
        converted by the price index of ``models/price_index.yaml``) or ``nominal`` (each
        value in its own year's kroner, e.g. a ledger figure). Required when the unit is money
        (NOK, MNOK); absent otherwise.
    uncertainty : Uncertainty, optional
        The spread of the value for Monte Carlo runs (:mod:`hmn_bygg.risk.ensemble`); ``None`` (the
        default) keeps it fixed. Deterministic runs use ``value`` alone.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    value: V
    unit: str
    source: Source
    price_year: Annotated[int, Field(ge=1900, le=2200)] | Literal["nominal"] | None = None
    uncertainty: Uncertainty | None = None

    @model_validator(mode="before")
    @classmethod
    def _decimal_comma(cls, data: Any) -> Any:
        """Read ``value: "210,5"`` (and year paths or tables of such) as numbers."""
        if isinstance(data, Mapping) and "value" in data:
            return {**data, "value": typed_numbers(data["value"])}
        return data

    @classmethod
    def model_parametrized_name(cls, params: tuple[Any, ...]) -> str:
        """Readable schema titles, e.g. ``Param[per HF[number[>=0] or year path]]``."""
        return f"Param[{', '.join(_label(p) for p in params)}]"
