"""Lazy re-exports for the stage packages' ``__init__`` (PEP 562).

A stage package names its public functions at package level without importing the modules
that hold them until one is used: ``import hmn_bygg.register.model`` stays cheap, and the
command line starts without pandas, xarray or numba.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping


def lazy_exports(
    package: str, exports: Mapping[str, str]
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """Return ``__getattr__`` and ``__dir__`` for a package that re-exports names lazily.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    exports : mapping of str to str
        Public name -> submodule of ``package`` that defines it.

    Returns
    -------
    (callable, callable)
        The module-level ``__getattr__`` and ``__dir__``.

    Examples
    --------
    >>> getattr_, dir_ = lazy_exports("hmn_bygg.core", {"fmt_number": "fmt"})
    >>> getattr_("fmt_number")(1.5, 1)
    '1,5'
    """

    def __getattr__(name: str) -> object:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{module}"), name)

    def __dir__() -> list[str]:
        return sorted(exports)

    return __getattr__, __dir__
