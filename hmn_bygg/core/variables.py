"""The glossary: every output variable's dimensions, unit and description.

Entries live as data in ``hmn_bygg/glossary/*.yaml`` (one file per topic). Each entry is::

    name:
      dims: [scenario, year, hf]
      units: MNOK
      label_nb: Oppgraderingsbehov
      label_en: Upgrade need
      description: Cost of bringing every part to TG1 ...

:func:`annotate` copies units and descriptions onto a Dataset so that netCDF, Excel and the
dashboard all show the same words.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import xarray as xr

from hmn_bygg.core.limits import YAML_LOADER

GLOSSARY_DIR = Path(__file__).resolve().parents[1] / "glossary"
_REQUIRED = ("dims", "units", "label_nb", "label_en", "description")


@cache
def glossary() -> dict[str, dict[str, Any]]:
    """Return every glossary entry by variable name.

    Returns
    -------
    dict
        ``{name: {"dims", "units", "label_nb", "label_en", "description", "topic"}}``.

    Raises
    ------
    ValueError
        When two topic files define the same name or an entry lacks a field.
    """
    entries: dict[str, dict[str, Any]] = {}
    for path in sorted(GLOSSARY_DIR.glob("*.yaml")):
        data = _read_yaml(path) or {}
        for name, entry in data.items():
            if name in entries:
                raise ValueError(
                    f"{path.name}: variable {name!r} is already defined in "
                    f"{entries[name]['topic']}.yaml"
                )
            missing = [k for k in _REQUIRED if k not in entry]
            if missing:
                raise ValueError(f"{path.name}: variable {name!r} lacks {', '.join(missing)}")
            entries[name] = {**entry, "topic": path.stem}
    return entries


def _read_yaml(path: Path) -> Any:
    """Read a glossary file with :data:`~hmn_bygg.core.limits.YAML_LOADER`.

    That is PyYAML's safe loader, the libyaml one when available (as for the model files): the
    same data as ``yaml.safe_load``, read several times faster.
    """
    loader = YAML_LOADER(path.read_text(encoding="utf-8"))
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def label(name: str, lang: str = "nb") -> str:
    """Return the human label of a variable in bokmål (``"nb"``) or English (``"en"``)."""
    return str(glossary()[name][f"label_{lang}"])


def units(name: str) -> str:
    """Return the unit of a variable, e.g. ``"MNOK"`` or ``"m²"``."""
    return str(glossary()[name]["units"])


def annotate(ds: xr.Dataset) -> xr.Dataset:
    """Copy units, labels and descriptions from the glossary onto a Dataset's variables.

    Parameters
    ----------
    ds : xr.Dataset
        Any result or register Dataset; variables not in the glossary are left as they are.

    Returns
    -------
    xr.Dataset
        The same Dataset (modified in place and returned) with ``attrs["units"]``,
        ``attrs["long_name"]`` (English label), ``attrs["label_nb"]`` and
        ``attrs["description"]`` set.
    """
    annotate_variables(ds.variables)
    return ds


def annotate_variables(variables: Mapping[Hashable, xr.Variable]) -> None:
    """:func:`annotate` on variables not yet in a Dataset (their attrs set in place).

    Parameters
    ----------
    variables : mapping of name to xr.Variable
        Variables by name; those not in the glossary are left as they are.
    """
    table = glossary()
    for name, var in variables.items():  # the variables' own attrs (no DataArray each)
        entry = table.get(str(name))
        if entry is None:
            continue
        var.attrs.update(
            units=entry["units"],
            long_name=entry["label_en"],
            label_nb=entry["label_nb"],
            description=entry["description"],
        )
