"""Reader's names of the model parameters, from ``param_labels.yaml`` (both languages).

The brief's appendix and the Excel sheet ``Forutsetninger`` name a parameter by these labels;
the dotted key stays for machines (a hidden column in Excel).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import yaml

if TYPE_CHECKING:
    from hmn_bygg.config.sections import Model

__all__ = ["param_label", "project_names", "unit_label"]

Lang = Literal["nb", "en"]
_FILE = Path(__file__).with_name("param_labels.yaml")
_PROJECT = re.compile(r"^finance\.projects\.(?P<code>[^.]+)\.(?P<leaf>[^.]+)$")


@functools.cache
def _labels() -> dict[str, dict[str, str]]:
    with _FILE.open(encoding="utf-8") as fh:
        return dict(yaml.safe_load(fh))


def param_label(key: str, lang: Lang = "nb", projects: Mapping[str, str] | None = None) -> str:
    """Return the reader's name of a parameter.

    Parameters
    ----------
    key : str
        Dotted key, e.g. ``maintenance.budget_mnok`` or ``maintenance.budget_mnok.HMR``.
    lang : {"nb", "en"}
        Language.
    projects : mapping of str to str, optional
        Project names by code (``{"snr": "Sykehuset Nordmøre og Romsdal"}``); default the code.

    Returns
    -------
    str
        E.g. ``"Vedlikeholdsbudsjett per helseforetak – HMR"``; the key itself when no label
        is known (``tests/test_param_labels.py`` keeps the file complete).
    """
    labels = _labels()
    if key in labels:
        return labels[key][lang]
    found = _PROJECT.match(key)
    if found is not None:
        pattern = labels.get(f"finance.projects.*.{found['leaf']}")
        if pattern is not None:
            code = found["code"]
            return pattern[lang].replace("{project}", (projects or {}).get(code, code))
    parent, _, entry = key.rpartition(".")
    if parent:
        head = param_label(parent, lang, projects)
        if head != parent:
            return f"{head} – {entry}"
    return key


def unit_label(unit: str, lang: Lang = "nb") -> str:
    """Return a unit as a reader of ``lang`` writes it (``MNOK/year`` -> ``MNOK/år``)."""
    if lang == "en" or unit in ("", "-", "1"):
        return "" if unit in ("-", "1") else unit
    return re.sub(r"\byears?\b", "år", unit).replace("yr", "år")


def project_names(model: Model) -> dict[str, str]:
    """Return the display names of a model's projects by code (empty when it has none)."""
    projects = getattr(getattr(model, "finance", None), "projects", None) or {}
    out = {}
    for code, project in dict(projects).items():
        name = getattr(project, "name", None)
        name = getattr(name, "value", name)
        if name:
            out[str(code)] = str(name)
    return out
