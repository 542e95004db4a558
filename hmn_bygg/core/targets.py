"""The plan's targets as the results carry them: VTTG and floor area.

The targets come from the model (``targets.vttg`` and ``targets.area_m2`` in
``models/hmn.yaml``) and travel with the results as ``attrs["vttg_target"]`` and
``attrs["area_target_m2"]``. Every output reads them here; a Dataset without them is an error,
never a silent fallback to one region's numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _target(attrs: Mapping[str, Any], key: str, what: str) -> float:
    try:
        return float(attrs[key])
    except KeyError:
        raise ValueError(
            f"the results carry no {what} (attrs[{key!r}]): run them with hmn_bygg.engine"
        ) from None


def target_vttg(ds: Any) -> float:
    """Return the VTTG target of results ``ds`` (a Dataset or anything with ``attrs``) [TG].

    Examples
    --------
    >>> class R:
    ...     attrs = {"vttg_target": 1.2}
    >>> target_vttg(R())
    1.2
    """
    return _target(ds.attrs, "vttg_target", "VTTG target")


def target_area(ds: Any) -> float:
    """Return the floor-area target of results ``ds`` [m²]."""
    return _target(ds.attrs, "area_target_m2", "area target")
