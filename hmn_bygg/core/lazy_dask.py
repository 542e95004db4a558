"""Keep xarray from importing dask until something uses dask.

xarray asks "is this a dask array?" each time it builds a Variable, and when dask is installed
it answers by importing ``dask`` and ``dask.array`` (which imports ``scipy.sparse``): about
half a second of CPU in a command that never makes a dask array. No object can be a dask
array or a dask collection before dask has been imported, so until then the answer is "no"
without importing anything. :func:`defer_dask` tells xarray so; as soon as dask is imported
(by the Monte Carlo ensemble, say), xarray's own answers take over again.

xarray has no setting for this (as of xarray 2026.9). The two places it asks are its record
of duck-array modules (``xarray.namedarray.pycompat``) and ``is_dask_collection``
(``xarray.namedarray.utils``); when an xarray version has neither, :func:`defer_dask` leaves
xarray as it is: a slower start, the same results. The command line calls
:func:`defer_dask_when_xarray_loads` before it runs a command.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any

__all__ = ["defer_dask", "defer_dask_when_xarray_loads"]


def _dask_array_ready() -> bool:
    """Whether ``dask.array`` is imported and has its ``Array`` class."""
    module = sys.modules.get("dask.array")
    return module is not None and hasattr(module, "Array")


def _defer_duck_array_check() -> bool:
    """Answer xarray's "is it a dask array?" without importing dask while it is not imported."""
    try:
        from xarray.namedarray import pycompat
    except ImportError:
        return False
    base: Any = getattr(pycompat, "DuckArrayModule", None)
    cache: Any = getattr(pycompat, "_cached_duck_array_modules", None)
    if base is None or not isinstance(cache, dict) or "dask" in cache:
        return False

    class DaskWhenImported(base):
        """xarray's record of dask that imports nothing while dask is not imported."""

        def __init__(self) -> None:  # no import here: that is the point
            pass

        def _real(self) -> Any:
            real = base("dask")
            cache["dask"] = real  # xarray's own record from now on
            return real

        @property
        def type(self) -> tuple[type, ...]:
            return self._real().type if _dask_array_ready() else ()

        @property
        def module(self) -> Any:
            return self._real().module

        @property
        def version(self) -> Any:
            return self._real().version

        @property
        def available(self) -> bool:
            return bool(self._real().available)

    cache["dask"] = DaskWhenImported()
    return True


def _defer_collection_check() -> bool:
    """Answer xarray's "is it a dask collection?" with no while dask is not imported."""
    try:
        from xarray.namedarray import utils as _utils
    except ImportError:
        return False
    utils: Any = _utils
    real = getattr(utils, "is_dask_collection", None)
    if real is None or getattr(real, "_hmn_deferred", False):
        return False

    def is_dask_collection(x: object) -> bool:
        if "dask" not in sys.modules:
            return False
        utils.is_dask_collection = real  # dask is here: xarray's own check from now on
        return bool(real(x))

    is_dask_collection._hmn_deferred = True  # type: ignore[attr-defined]
    utils.is_dask_collection = is_dask_collection
    return True


def defer_dask() -> bool:
    """Let xarray answer "no dask here" without importing dask while dask is not imported.

    Returns
    -------
    bool
        True when xarray now defers its dask checks; False when dask is already imported or
        this xarray version has neither place to defer (then nothing changed).

    Notes
    -----
    Exact, not a guess: before dask is imported no array is a dask array and no object a dask
    collection. Each deferred check hands back to xarray's own the first time it sees dask
    imported.

    Examples
    --------
    >>> from hmn_bygg.core.lazy_dask import defer_dask
    >>> _ = defer_dask()
    >>> import xarray as xr
    >>> float(xr.DataArray([1.0, 2.0]).sum())
    3.0
    """
    if "dask" in sys.modules:
        return False
    arrays = _defer_duck_array_check()
    collections = _defer_collection_check()
    return arrays or collections


class _AfterImport:
    """A one-shot meta path finder: run ``then`` right after module ``name`` is imported."""

    def __init__(self, name: str, then: Callable[[], object]) -> None:
        self.name = name
        self.then = then

    def find_spec(
        self, fullname: str, path: object = None, target: object = None
    ) -> ModuleSpec | None:
        """Find ``name`` with the other finders and run ``then`` after its loader has run."""
        if fullname != self.name:
            return None
        if self in sys.meta_path:
            sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        loader = spec.loader if spec is not None else None
        exec_module = getattr(loader, "exec_module", None)
        if spec is None or exec_module is None:
            return spec
        then = self.then

        def exec_then(module: ModuleType) -> None:
            exec_module(module)
            then()

        this_loader: Any = loader  # xarray's own loader object: only its exec_module is wrapped
        this_loader.exec_module = exec_then
        return spec


def defer_dask_when_xarray_loads() -> None:
    """Run :func:`defer_dask` as soon as xarray is imported (now, if it already is).

    Costs nothing until then: a program that never imports xarray never pays for it.
    """
    if "xarray" in sys.modules:
        defer_dask()
    elif not any(isinstance(f, _AfterImport) for f in sys.meta_path):
        sys.meta_path.insert(0, _AfterImport("xarray", defer_dask))
