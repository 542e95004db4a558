"""Building a results Dataset from its variables in one step, without merging them again.

Every ``Dataset.assign``, ``update`` or constructor call aligns and copies all variables
(a few milliseconds for the ~80 variables of a booked run), which is most of the time of a
deterministic run. :func:`assemble` builds the Dataset once from variables that are already
aligned (they share the index coordinates of one run) with xarray's internal constructor
``Dataset._construct_direct`` (``tests/test_assemble.py`` checks it against the public one; the
public one is used should a later xarray drop it): it checks that every dimension has a
single size and makes the index of each dimension coordinate that lacks one. :func:`variable`
makes a Variable of a numeric array without converting it again.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable, Iterable, Mapping

import numpy as np
import xarray as xr
from xarray.indexes import Index, PandasIndex

__all__ = ["assemble", "variable"]

_DIRECT = getattr(xr.Dataset, "_construct_direct", None)
"""xarray's internal constructor that takes aligned variables as they are (None if gone)."""


def assemble(
    variables: Mapping[Hashable, xr.Variable],
    coord_names: Iterable[Hashable],
    attrs: Mapping | None = None,
    indexes: Mapping[Hashable, Index] | None = None,
) -> xr.Dataset:
    """Return the Dataset of ``variables`` (in their order), built without aligning them.

    Parameters
    ----------
    variables : mapping of name to xr.Variable
        Data variables and coordinates; the Dataset takes these objects as they are (pass
        copies of variables another Dataset also holds if either may be changed in place).
    coord_names : iterable of str
        Which of ``variables`` are coordinates.
    attrs : mapping, optional
        The Dataset's attributes (copied).
    indexes : mapping of name to Index, optional
        Indexes already built for dimension coordinates (e.g. another Dataset's ``xindexes``
        on the same coordinates); one is made for every other dimension coordinate.

    Returns
    -------
    xr.Dataset
        The same Dataset as ``xr.Dataset({non-coordinates}, coords={coordinates})`` for
        variables that agree on their coordinates.

    Raises
    ------
    ValueError
        When two variables give a dimension different sizes.
    """
    coords = set(coord_names)
    dims: dict[Hashable, int] = {}
    for name, var in variables.items():
        for dim, size in zip(var.dims, var.shape, strict=True):
            if dims.setdefault(dim, size) != size:
                raise ValueError(f"{name}: dimension {dim} has size {size}, not {dims[dim]}")
    made = dict(indexes or {})
    out = dict(variables)
    for name, var in variables.items():
        if name in coords and var.dims == (name,):
            if name not in made:
                made[name] = _index(name, var)
            if not isinstance(var, xr.IndexVariable):
                out[name] = made[name].create_variables({name: var})[name]
    kept = {name: made[name] for name in made if name in out}
    direct = _DIRECT
    if direct is None:  # xarray's internal constructor gone: the public one, slower, same result
        data = {k: v for k, v in out.items() if k not in coords}
        return xr.Dataset(data, coords={k: out[k] for k in out if k in coords}, attrs=attrs)
    return direct(out, coords, dims, dict(attrs or {}), kept)


_INDEXES: dict[tuple, PandasIndex] = {}
_INDEXES_SIZE = 256
_INDEXES_LOCK = threading.Lock()


def _index(name: Hashable, var: xr.Variable) -> PandasIndex:
    """The index of the dimension coordinate ``name``; a short one of whole numbers or strings
    made once per name, dtype and values (a run makes the same few, ``scenario``, ``year``,
    ``hf``, ``project``, every time; the oldest dropped past 256). Each Dataset gets its own
    copy: the values are immutable, but the pandas index's ``name`` can be set in place (a
    DataFrame made from the results may share it)."""
    values = var.to_numpy()
    if values.size > 256 or values.dtype.kind not in "iuUO":
        return PandasIndex.from_variables({name: var}, options={})
    items = values.tolist()
    if values.dtype.kind == "O" and not all(type(v) is str for v in items):
        return PandasIndex.from_variables({name: var}, options={})
    key = (name, values.dtype.str, tuple(items))
    found = _INDEXES.get(key)
    if found is None:
        found = PandasIndex.from_variables({name: var}, options={})
        with _INDEXES_LOCK:  # the dashboard's threads may build results at once
            if len(_INDEXES) >= _INDEXES_SIZE:
                _INDEXES.pop(next(iter(_INDEXES)), None)
            _INDEXES[key] = found
    return PandasIndex(found.index.copy(), name, coord_dtype=found.coord_dtype)


def variable(
    dims: tuple[Hashable, ...] | Hashable,
    values: np.ndarray | xr.Variable,
    attrs: Mapping | None = None,
) -> xr.Variable:
    """Return ``xr.Variable(dims, values, attrs)``, taking a numeric array as it is.

    Parameters
    ----------
    dims : tuple of str, or str
        The dims of ``values`` (one per axis).
    values : numpy.ndarray or xr.Variable
        The values; a bool, integer or float array, or another Variable's data (converted
        once already), is used without the conversions xarray applies to other data (dates,
        objects, masked arrays).
    attrs : mapping, optional
        The variable's attributes (copied; not those of a Variable given as ``values``).

    Returns
    -------
    xr.Variable
        The same Variable as ``xr.Variable(dims, values, attrs)``.
    """
    if isinstance(values, xr.Variable):
        return xr.Variable(dims, values.data, dict(attrs or {}), fastpath=True)
    numeric = isinstance(values, np.ndarray) and values.dtype.kind in "biuf"
    return xr.Variable(dims, values, dict(attrs or {}), fastpath=numeric)
