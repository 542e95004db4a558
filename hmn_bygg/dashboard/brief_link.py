"""The "Last ned styrenotat" button's link to :mod:`hmn_bygg.brief`, when that module exists.

The brief module may be absent (the button is then hidden). It offers either
``build_brief(ds, ...).pdf() -> bytes`` or ``make_brief(ds, ...)``; whichever exists is used.
"""

from __future__ import annotations

import importlib
import importlib.util
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import xarray as xr


def brief_module() -> Any | None:
    """Return ``hmn_bygg.brief`` when it exists and can make a brief, else ``None``."""
    if importlib.util.find_spec("hmn_bygg.brief") is None:
        return None
    module = importlib.import_module("hmn_bygg.brief")
    if hasattr(module, "build_brief") or hasattr(module, "make_brief"):
        return module
    return None


def brief_pdf(
    ds: xr.Dataset,
    lang: str = "nb",
    *,
    models: Mapping[str, Any] | None = None,
    labels: Mapping[str, str] | None = None,
) -> bytes:
    """Return the board brief of ``ds`` as PDF bytes.

    Raises
    ------
    RuntimeError
        When :mod:`hmn_bygg.brief` is not available.
    """
    module = brief_module()
    if module is None:
        raise RuntimeError("hmn_bygg.brief is not available")
    if hasattr(module, "build_brief"):
        brief = module.build_brief(ds, lang=lang, models=models, labels=labels)
        return bytes(brief.pdf())
    out = module.make_brief(ds, lang=lang)
    if isinstance(out, bytes | bytearray):
        return bytes(out)
    with tempfile.TemporaryDirectory(prefix="hmn_bygg_brief_") as tmp:
        path = Path(tmp) / "brief.pdf"
        module.make_brief(ds, lang=lang, pdf=path)
        return path.read_bytes()
