"""Parameter leaves, value shapes (scalar, year path, per-part and per-HF tables) and their
evaluation to arrays.

Every parameter in a model file is a *leaf* ``{value: ..., unit: ..., source: ...}``
(:class:`Param`). The value has one of these shapes:

- a **scalar**: ``60``;
- a **year path**: ``{2018: 40, 2025: 60}``: each value holds from its year on; before the
  first year the first value holds (see :func:`as_year_array`);
- a **table** keyed by NS 3451 part code (``"2"`` .. ``"7"``) or HF code (``HMR``, ``HNT``,
  ``STO``); every code must be present; entries may themselves be year paths where the field
  allows it (:func:`per_hf` of :func:`timed`).

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

import re
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, Literal, TypeVar, Union

import numpy as np
import xarray as xr
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    model_validator,
)

PARTS: tuple[str, ...] = ("2", "3", "4", "5", "6", "7")
"""NS 3451 main groups used as building parts (2 building .. 7 outdoor)."""

HFS: tuple[str, ...] = ("HMR", "HNT", "STO")
"""Health trusts (HF) that own buildings."""

PartCode = Literal["2", "3", "4", "5", "6", "7"]
HfCode = Literal["HMR", "HNT", "STO"]

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
    keys : tuple of str
        Table codes (empty for ``timed``).
    entries_timed : bool
        Whether table entries may be year paths.
    label : str
        Short description used in schema titles.
    """

    kind: Literal["timed", "table"]
    keys: tuple[str, ...] = ()
    entries_timed: bool = False
    label: str = ""


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
        raise ValueError("a year path needs at least one {year: value} entry")
    return FrozenDict(sorted(path.items()))


def _path_or_scalar(value: Any) -> str:
    return PATH_TAG if isinstance(value, Mapping) else SCALAR_TAG


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


def _complete(keys: tuple[str, ...]) -> Any:
    def check(table: dict[str, Any]) -> FrozenDict:
        missing = [k for k in keys if k not in table]
        if missing:
            raise ValueError(f"table lacks {', '.join(repr(k) for k in missing)}")
        return FrozenDict((k, table[k]) for k in keys)

    return check


def _table(codes: Any, keys: tuple[str, ...], item: Any, what: str) -> Any:
    entry_shape = shape_of(item)
    entries_timed = entry_shape is not None and entry_shape.kind == "timed"
    shape = Shape("table", keys, entries_timed, f"{what}[{_label(item)}]")
    return Annotated[
        dict[codes, item], BeforeValidator(_str_keys), AfterValidator(_complete(keys)), shape
    ]


def per_part(item: Any) -> Any:
    """Value type: a table with one ``item`` per NS 3451 part code ``"2"`` .. ``"7"``."""
    return _table(PartCode, PARTS, item, "per part")


def per_hf(item: Any) -> Any:
    """Value type: a table with one ``item`` per HF code (HMR, HNT, STO)."""
    return _table(HfCode, HFS, item, "per HF")


PLACEHOLDERS = frozenset({"todo", "tbd", "?", "-", "unknown", "n/a", "na", "source", "xxx"})


def _not_placeholder(source: str) -> str:
    if source.lower() in PLACEHOLDERS:
        raise ValueError(f"source '{source}' is a placeholder")
    return source


Source = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1),
    AfterValidator(_not_placeholder),
]


class _Spread(BaseModel):
    """Fields every uncertainty declaration shares."""

    model_config = ConfigDict(frozen=True, extra="forbid")

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
            raise ValueError("rho is the correlation within a group; give 'group' too")
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
            raise ValueError("a triangular distribution needs low <= mode <= high")
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
            raise ValueError("a uniform distribution needs low <= high")
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
            raise ValueError(f"the delay probabilities must sum to 1, found {sum(self.p):.6g}")
        return self


Uncertainty = Annotated[
    Lognormal | Normal | Triangular | Uniform | DelayYears, Discriminator("dist")
]
"""How uncertain a parameter is: one of :class:`Lognormal`, :class:`Normal`,
:class:`Triangular`, :class:`Uniform`, :class:`DelayYears` (chosen by ``dist``); each needs a
``source``. ``group``/``rho`` correlate inputs through a common factor."""


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
    uncertainty : Uncertainty, optional
        The spread of the value for Monte Carlo runs (:mod:`hmn_bygg.risk.ensemble`); ``None`` (the
        default) keeps it fixed. Deterministic runs use ``value`` alone.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    value: V
    unit: str
    source: Source
    uncertainty: Uncertainty | None = None

    @classmethod
    def model_parametrized_name(cls, params: tuple[type[Any], ...]) -> str:
        """Readable schema titles, e.g. ``Param[per HF[number[>=0] or year path]]``."""
        return f"Param[{', '.join(_label(p) for p in params)}]"


_UNIT_WORDS = {"yr": "year", "years": "year", "år": "year", "kr": "NOK"}


def normalize_unit(unit: str) -> str:
    """Canonical spelling of a unit for comparison (``m2`` = ``m²``, ``yr`` = ``year``).

    >>> normalize_unit("MNOK / yr") == normalize_unit("MNOK/year")
    True
    """
    text = unit.replace("²", "2").replace(" ", "")
    text = re.sub(r"[A-Za-zå]+", lambda m: _UNIT_WORDS.get(m.group(0), m.group(0)), text)
    return text.lower()


def _values(param: Any) -> Any:
    return param.value if isinstance(param, Param) else param


def as_year_array(param: Any, years: Sequence[int] | np.ndarray) -> np.ndarray:
    """Evaluate a scalar or year path over ``years``.

    Parameters
    ----------
    param : Param or float or mapping
        A leaf or its value: a number, or a year path ``{year: value}``.
    years : array_like of int
        Calendar years, dims ``(year,)``.

    Returns
    -------
    numpy.ndarray of float
        The value in each year, in the parameter's unit.

    Notes
    -----
    For a path with years :math:`y_1 < \\dots < y_n` and values :math:`v_i`, the value in year
    :math:`t` is :math:`v_i` with :math:`i = \\max\\{i : y_i \\le t\\}`, and :math:`v_1` when
    :math:`t < y_1` (the first value also holds before its year).

    Examples
    --------
    >>> as_year_array({2018: 40, 2025: 60}, [2017, 2018, 2024, 2025, 2030]).tolist()
    [40.0, 40.0, 40.0, 60.0, 60.0]
    >>> as_year_array(5, [2018, 2019]).tolist()
    [5.0, 5.0]
    """
    value = _values(param)
    years = np.asarray(years, dtype=int)
    if isinstance(value, Mapping):
        if not is_year_path(value):
            raise TypeError("a table is not a year path; use as_hf_year_array or as_part_array")
        path_years = np.array(sorted(int(y) for y in value), dtype=int)
        by_year = {int(y): v for y, v in value.items()}
        path_values = np.array([by_year[y] for y in path_years], dtype=float)
        index = np.searchsorted(path_years, years, side="right") - 1
        return path_values[np.clip(index, 0, None)]
    return np.full(years.shape, float(value))


def as_hf_year_array(
    param: Any, hfs: Sequence[str] = HFS, years: Sequence[int] | np.ndarray = ()
) -> xr.DataArray:
    """Evaluate a per-HF table (entries scalars or year paths), a scalar or a path by HF and year.

    Parameters
    ----------
    param : Param or value
        A per-HF table ``{HMR: ..., HNT: ..., STO: ...}``, or one scalar / year path that holds
        for every HF.
    hfs : sequence of str
        HF codes, dims ``(hf,)``.
    years : array_like of int
        Calendar years, dims ``(year,)``.

    Returns
    -------
    xarray.DataArray
        dims ``(hf, year)``, float, in the parameter's unit.

    Examples
    --------
    >>> a = as_hf_year_array({"HMR": 60, "HNT": {2018: 25, 2020: 30}, "STO": 90},
    ...                      ["HMR", "HNT"], [2018, 2020])
    >>> a.values.tolist()
    [[60.0, 60.0], [25.0, 30.0]]
    """
    value = _values(param)
    years = np.asarray(years, dtype=int)
    if isinstance(value, Mapping) and not is_year_path(value):
        missing = [h for h in hfs if h not in value]
        if missing:
            raise KeyError(f"per-HF table lacks {missing}")
        rows = [as_year_array(value[h], years) for h in hfs]
    else:
        rows = [as_year_array(value, years)] * len(hfs)
    data = np.array(rows, dtype=float).reshape(len(hfs), len(years))
    return xr.DataArray(data, dims=("hf", "year"), coords={"hf": list(hfs), "year": years})


def as_part_array(param: Any, parts: Sequence[str] = PARTS) -> xr.DataArray:
    """Evaluate a per-part table (or one scalar for all parts) as an array over parts.

    Parameters
    ----------
    param : Param or value
        A table ``{"2": ..., .., "7": ...}`` of numbers, or one number.
    parts : sequence of str
        NS 3451 part codes, dims ``(part,)``.

    Returns
    -------
    xarray.DataArray
        dims ``(part,)``, float, in the parameter's unit.

    Examples
    --------
    >>> as_part_array({"2": 60, "3": 35}, ["2", "3"]).values.tolist()
    [60.0, 35.0]
    """
    value = _values(param)
    if isinstance(value, Mapping):
        data = [float(value[p]) for p in parts]
    else:
        data = [float(value)] * len(parts)
    return xr.DataArray(np.array(data, dtype=float), dims="part", coords={"part": list(parts)})
