"""Price basis: which year's kroner an amount is in, and converting between years.

Every money parameter states its ``price_year`` (a year, or ``nominal``). The price-index file
(``models/price_index.yaml``, named by ``model.price_index``) holds two series, base 2015 = 100:
``construction`` (SSB's construction-cost index, for building work) and ``deflator`` (for
everything else). The finance stage books every amount in **nominal** kroner of the year it is
paid (:func:`to_nominal`); loans and interest are therefore nominal. Results are then shown in
nominal kroner or in fixed prices of a chosen year (:func:`apply_price_basis`, ``--prices
nominal`` / ``--prices real:2026``), and ``attrs["price_basis"]`` says which.

Conversion: an amount :math:`a` in fixed prices of year :math:`p` is
:math:`a \\cdot I_y / I_p` nominal kroner in year :math:`y`; a nominal amount :math:`n_y` is
:math:`n_y \\cdot D_b / D_y` kroner of year :math:`b`, with the deflator :math:`D`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

import numpy as np
import xarray as xr
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from hmn_bygg.config import Model
from hmn_bygg.config.data_files import load_data_file
from hmn_bygg.core.assemble import assemble, variable
from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.messages import Msg
from hmn_bygg.core.paths import models_dir
from hmn_bygg.core.variables import annotate

__all__ = [
    "PriceIndex",
    "apply_price_basis",
    "basis_label",
    "basis_scale",
    "basis_variables",
    "factor",
    "flat_index",
    "index_for",
    "load_price_index",
    "parse_basis",
    "reprice",
    "to_nominal",
]

SeriesName = Literal["construction", "deflator"]


class Projection(BaseModel):
    """Growth after the last value: ``rate`` a year [fraction], with its ``source``."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    rate: Annotated[float, Field(ge=-0.5, le=1.0)]
    source: Annotated[str, Field(min_length=3)]


class Series(BaseModel):
    """One index: yearly values (annual averages) [index], a source and a projection."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    unit: Literal["index"] = "index"
    source: Annotated[str, Field(min_length=3)]
    values: dict[Annotated[int, Field(ge=1900, le=2200)], Annotated[float, Field(gt=0)]]
    assumption_from: int | None = None
    projection: Projection

    @field_validator("values")
    @classmethod
    def _consecutive(cls, values: dict[int, float]) -> dict[int, float]:
        years = sorted(values)
        if not years:
            raise ValueError("the series needs at least one year")
        if years != list(range(years[0], years[-1] + 1)):
            raise ValueError(f"the years must be consecutive; found {years}")
        return dict(sorted(values.items()))


class PriceIndex(BaseModel):
    """The price-index file: one :class:`Series` per name of :data:`SeriesName`."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    construction: Series
    deflator: Series
    _memo: dict = PrivateAttr(default_factory=dict)

    def values(self, series: SeriesName, years: np.ndarray) -> np.ndarray:
        """Return the index in ``years`` [index]; after the last value it grows by the
        projection rate. Raises :class:`InputError` for a year before the first value.

        The index is frozen, so each ``(series, years)`` is worked out once and kept (a copy
        is returned): booking many Monte Carlo rows asks for the same years again and again.
        """
        years = np.asarray(years, dtype=int)
        key = (series, years.shape, years.tobytes())
        return self.kept(key, lambda: self._values(series, years))

    def kept(self, key: tuple, make: Callable[[], np.ndarray]) -> np.ndarray:
        """Return a copy of ``make()``, worked out once per ``key`` for this (frozen) index."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key].copy()

    def _values(self, series: SeriesName, years: np.ndarray) -> np.ndarray:
        s = getattr(self, series)
        first, last = min(s.values), max(s.values)
        if (years < first).any():
            raise InputError(
                [Problem("price index", Msg("finance.series_starts_late", series=series),
                         column=f"{series}.values",
                         expected=Msg("finance.values_from", year=int(years.min())),
                         found=Msg("finance.first_year", year=int(first)))],
                title=Msg("finance.cannot_convert"),
            )  # fmt: skip
        known = np.array([s.values[min(int(y), last)] for y in years.ravel()]).reshape(years.shape)
        return known * (1.0 + s.projection.rate) ** np.clip(years - last, 0, None)


def flat_index(first: int = 1900, last: int = 2200) -> PriceIndex:
    """Return an index with no inflation (every value 1): converting changes nothing."""
    flat = {"source": "no inflation (tests)", "values": {y: 1.0 for y in range(first, last)},
            "projection": {"rate": 0.0, "source": "no inflation"}}  # fmt: skip
    return PriceIndex.model_validate({"construction": flat, "deflator": flat})


@cache
def _load(path: Path, mtime: float) -> PriceIndex:
    return load_data_file(path, PriceIndex, Msg("finance.what_price_index"))


def load_price_index(path: str | Path | None = None) -> PriceIndex:
    """Read and validate a price-index file (default ``models/price_index.yaml``)."""
    p = Path(path) if path is not None else models_dir() / "price_index.yaml"
    if not p.is_file():
        raise InputError([Problem(str(p), Msg("core.file_not_found"), column="model.price_index",
                                  expected=Msg("finance.a_price_index_file"))],
                         title=Msg("finance.price_index_unreadable"))  # fmt: skip
    return _load(p.resolve(), p.stat().st_mtime)


def index_for(model: Model) -> PriceIndex:
    """Return the price index a model names (``model.price_index``, relative to its file; the
    default name falls back to the bundled ``models/price_index.yaml``)."""
    name = model.model.price_index
    if name == "none":
        return flat_index()
    base = model.file.parent if model.file is not None else models_dir()
    path = base / name
    if not path.is_file() and name == "price_index.yaml":  # the default: the bundled index
        path = models_dir() / name
    return load_price_index(path)


def factor(
    index: PriceIndex, series: SeriesName, price_year: int | str | None, years: np.ndarray
) -> np.ndarray:
    """Return nominal kroner in each of ``years`` per krone of ``price_year`` ``(Y,)`` [-].

    ``price_year`` ``nominal`` (or ``None``) gives ones: the amounts are nominal already.

    >>> factor(flat_index(), "deflator", 2015, np.array([2020, 2030])).tolist()
    [1.0, 1.0]
    """
    years = np.asarray(years)
    if price_year is None or price_year == "nominal":
        return np.ones(years.shape)
    key = ("factor", series, int(price_year), years.dtype.str, years.shape, years.tobytes())
    return index.kept(
        key,
        lambda: index.values(series, years) / index.values(series, np.array([int(price_year)]))[0],
    )


def to_nominal(values: np.ndarray, param, index: PriceIndex, series: SeriesName,
               years: np.ndarray) -> np.ndarray:  # fmt: skip
    """Return ``values`` (``(..., Y)``, in the kroner of the leaf ``param``) in nominal kroner
    of each year [same unit]."""
    return values * factor(index, series, getattr(param, "price_year", None), years)


def parse_basis(text: str, where: str = "--prices") -> tuple[str, int | None]:
    """Return ``("nominal", None)`` or ``("real", year)`` for ``nominal`` / ``real:YYYY``.

    Raises :class:`InputError` naming ``where`` for anything else.
    """
    t = str(text).strip().lower()
    if t == "nominal":
        return "nominal", None
    if t.startswith("real:") and t[5:].isdigit() and 1900 <= int(t[5:]) <= 2200:
        return "real", int(t[5:])
    raise InputError([Problem(where, Msg("finance.unknown_price_basis"), column=where,
                              expected=Msg("finance.price_basis_form"), found=str(text))],
                     title=Msg("finance.price_basis_unusable"))  # fmt: skip


def basis_label(basis: str, lang: str = "nb") -> str:
    """Return a readable label of a price basis, e.g. ``faste 2026-kroner (real:2026)``."""
    kind, year = parse_basis(basis)
    if kind == "nominal":
        return "løpende kroner (nominal)" if lang == "nb" else "current kroner (nominal)"
    return f"faste {year}-kroner (real:{year})" if lang == "nb" else f"{year} kroner (real:{year})"


def _is_money(da: xr.DataArray | xr.Variable) -> bool:
    return str(da.attrs.get("units", "")).startswith("MNOK") and "year" in da.dims


def basis_scale(basis: str, index: PriceIndex, years: np.ndarray) -> np.ndarray | None:
    """Return :math:`k_y = D_b / D_y` [kroner of the basis per nominal krone] for ``years``
    (``(Y,)``), or ``None`` for ``nominal`` (nothing to scale); :func:`apply_price_basis`
    multiplies every money variable by it."""
    kind, year = parse_basis(basis)
    if kind != "real":
        return None
    assert year is not None  # parse_basis gives a real basis its year
    d = index.values("deflator", np.append(years, year))
    return d[-1] / d[:-1]


def apply_price_basis(
    ds: xr.Dataset, basis: str, index: PriceIndex, *, copy: bool = True
) -> xr.Dataset:
    """Return nominal results ``ds`` shown in ``basis`` (``nominal`` or ``real:YYYY``).

    Every money variable with a ``year`` dim (units ``MNOK...``, the credit lines too) is
    multiplied by :math:`k_y = D_b / D_y`. The opening liquidity of a year is the same money as
    last year's closing liquidity, so it is restated as that (:func:`_restated`), and
    ``liquidity_revaluation`` says what rising prices take from the real value of the opening
    liquidity during the year (0 in nominal kroner). Sets ``attrs["prices"]`` (the basis) and
    ``attrs["price_basis"]`` (its label). :func:`basis_variables` does the same on variables.
    With ``copy=False`` the result takes over the variables of ``ds`` that do not change
    (for a ``ds`` that is dropped afterwards: they share their attrs).
    """
    years = ds.variables["year"].to_numpy() if "year" in ds.dims else None
    data = {str(name): ds.variables[name] for name in ds.data_vars}
    new = basis_variables(data, basis, index, years)
    # the Dataset built once (:func:`assemble`); kept variables copied unless ``ds`` is dropped
    variables = {
        name: var.copy(deep=False) if copy and str(name) not in new else var
        for name, var in ds.variables.items()
    }
    variables.update(new)
    attrs = {**ds.attrs, "prices": basis, "price_basis": basis_label(basis)}
    return annotate(assemble(variables, ds.coords, attrs, ds.xindexes))


def basis_variables(
    data: Mapping[str, xr.Variable],
    basis: str,
    index: PriceIndex,
    years: np.ndarray | None,
) -> dict[str, xr.Variable]:
    """Return the variables of nominal results that change when shown in ``basis``.

    Parameters
    ----------
    data : mapping of str to xr.Variable
        The results' data variables (money ones have units ``MNOK...`` in their attrs).
    basis : str
        ``nominal`` or ``real:YYYY``.
    index : PriceIndex
        The run's price index.
    years : numpy.ndarray or None
        The results' years ``(Y,)`` (``None``: results without a ``year`` dim).

    Returns
    -------
    dict of str to xr.Variable
        Every money variable with a ``year`` dim times :math:`k_y` (:func:`basis_scale`), the
        restated openings and ``liquidity_revaluation`` (:func:`_restated`, without glossary
        attrs): what :func:`apply_price_basis` puts into the results.
    """
    k = basis_scale(basis, index, years) if years is not None else None
    new = _scaled(data, k) if k is not None else {}
    new.update(_restated({**data, **new}, k))
    return new


def _restated(data: Mapping[str, xr.Variable], k: np.ndarray | None) -> dict[str, xr.Variable]:
    """Each year's opening liquidity as last year's closing, and ``liquidity_revaluation``
    (per HF and ``_region``) [MNOK/yr].

    Parameters
    ----------
    data : mapping of str to xr.Variable
        Results already shown in the basis, with ``liquidity``, ``liquidity_opening`` and
        ``net_cash_flow`` (those without give nothing).
    k : numpy.ndarray or None
        :math:`k_y` [kroner of the basis per nominal krone] ``(Y,)`` (``None`` for nominal).

    Notes
    -----
    With nominal opening :math:`O_y`, net cash flow :math:`N_y` and closing
    :math:`L_y = O_y + N_y`, the basis shows :math:`k_y L_y` and :math:`k_y N_y`, and the
    opening as the closing it is, :math:`k_{y-1} L_{y-1} = k_{y-1} O_y` (the first year:
    :math:`k_y O_y`). The bridge then closes with the revaluation

    .. math::

        R_y = k_{y-1} O_y \\left(\\frac{k_y}{k_{y-1}} - 1\\right), \\quad R_{first} = 0,

    computed from the index, not as a residual, so that the cash identity
    (:func:`hmn_bygg.finance.cash_identity.check_cash_identity`) still catches an error.
    """
    new: dict[str, xr.Variable] = {}
    for suffix in ("", "_region"):
        names = [f"{n}{suffix}" for n in ("liquidity_opening", "liquidity", "net_cash_flow")]
        if not all(n in data and "year" in data[n].dims for n in names):
            continue
        # on the arrays (year moved last)
        opening = data[names[0]]
        dims = (*(d for d in opening.dims if d != "year"), "year")
        o = np.transpose(opening.to_numpy(), [opening.dims.index(d) for d in dims])
        closing = data[names[1]]
        c = np.transpose(closing.to_numpy(), [closing.dims.index(d) for d in dims]).astype(float)
        restated = np.concatenate([o[..., :1], c[..., :-1]], axis=-1)
        ratio = np.ones(o.shape[-1])
        if k is not None:
            ratio[1:] = k[1:] / k[:-1]
        reval = restated * (ratio - 1.0)
        reval[..., 0] = 0.0
        back = [dims.index(d) for d in opening.dims]  # the dims of the results again
        new[names[0]] = variable(opening.dims, np.transpose(restated, back), opening.attrs)
        new[f"liquidity_revaluation{suffix}"] = variable(opening.dims, np.transpose(reval, back))
    return new


def reprice(ds: xr.Dataset, basis: str, index: PriceIndex) -> xr.Dataset:
    """Return results shown in ``basis`` whatever basis they are in now (``attrs["prices"]``).

    Fixed prices of year :math:`b` go back to nominal by :math:`D_y / D_b`, then to ``basis``
    by :func:`apply_price_basis`; a round trip gives the same numbers (to rounding).
    """
    current = str(ds.attrs.get("prices", "nominal"))
    if current == basis:
        return ds
    kind, year = parse_basis(current)
    if kind == "real":
        assert year is not None  # parse_basis gives a real basis its year
        years = ds["year"].to_numpy()
        d = index.values("deflator", np.append(years, year))
        ds = ds.copy()
        ds.update(_scaled({str(n): ds.variables[n] for n in ds.data_vars}, d[:-1] / d[-1]))
    return apply_price_basis(ds, basis, index)


def _scaled(data: Mapping[str, xr.Variable], k: np.ndarray) -> dict[str, xr.Variable]:
    """Every money variable of ``data`` times ``k`` (``(Y,)``, on the years of the results),
    dims and attrs kept: the product on the arrays, without aligning every variable again."""
    out = {}
    for name, da in data.items():
        if _is_money(da):
            shape = [k.size if d == "year" else 1 for d in da.dims]
            out[name] = variable(da.dims, da.data * k.reshape(shape), da.attrs)
    return out
