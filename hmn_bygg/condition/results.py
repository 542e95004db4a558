"""The condition stage's results as one xarray Dataset, laid out as the glossary says.

:data:`VARIABLES` lists what :func:`hmn_bygg.condition.simulate.simulate` returns, in order;
:func:`result_dataset` turns its arrays into the Dataset with the glossary's dims, units and
labels.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from hmn_bygg.condition import wear as condition
from hmn_bygg.condition.inputs import ConditionInputs
from hmn_bygg.condition.waterfill import Blocks
from hmn_bygg.core.variables import annotate

_SY = ("scenario", "year")
_SYH = ("scenario", "year", "hf")
_SYB = ("scenario", "year", "building")
RESULT_DIMS: dict[str, tuple[str, ...]] = {
    "condition_grade": (*_SYB, "part"),
    "building_grade": _SYB,
    "in_service": _SYB,
    "upgrade_need_building": _SYB,
    "vttg": _SYH,
    "vttg_region": _SY,
    "area": _SYH,
    "area_region": _SY,
    "upgrade_need": _SYH,
    "upgrade_need_should": _SYH,
    "upgrade_need_must": _SYH,
    "upgrade_need_region": _SY,
    "replacement_value_total": _SYH,
    "fci": _SYH,
    "fci_region": _SY,
    "maintenance_budget": _SYH,
    "maintenance_spend": _SYH,
    "maintenance_unspent": _SYH,
    "maintenance_spend_region": _SY,
}
"""Each result variable and its dims, in Dataset order (the first four are per building)."""
VARIABLES: tuple[str, ...] = tuple(RESULT_DIMS)


def result_dataset(
    register: xr.Dataset,
    inputs: ConditionInputs,
    totals: dict[str, np.ndarray],
    per_building: dict[str, np.ndarray],
) -> xr.Dataset:
    """Build the result Dataset (per-building variables only when given).

    Each variable's dims are stated in :data:`RESULT_DIMS`, never guessed from its name.
    """
    arrays = per_building | totals
    data = {k: (RESULT_DIMS[k], x) for k in VARIABLES if (x := arrays.get(k)) is not None}
    coords = {
        "scenario": list(inputs.scenarios),
        "year": np.asarray(inputs.years, dtype=int),
        "hf": list(inputs.hfs),
    }
    if per_building:
        coords |= {
            "building": register["building"].to_numpy(),
            "part": register["part"].to_numpy(),
            "building_hf": ("building", register["hf"].to_numpy()),
        }
    ds = xr.Dataset(data, coords=coords)
    ds.attrs["price_basis"] = inputs.price_basis
    return annotate(ds)


def per_building_results(
    buildings: Blocks,
    known: np.ndarray,
    share_known: np.ndarray,
    area: np.ndarray,
    inputs: ConditionInputs,
    grades: np.ndarray,
    active: np.ndarray,
    totals: dict[str, np.ndarray],
) -> dict[str, np.ndarray]:
    """Per-building variables of a full run (and the should/must split of the upgrade need)."""
    n_s, n_y = grades.shape[:2]
    g = grades.reshape(n_s, n_y, *known.shape)
    g[:, :, ~known] = np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        bgrade = (np.nan_to_num(g) * share_known).sum(-1) / share_known.sum(-1)
    area_in = area * active  # (S, Y, B)
    should, must = condition.upgrade_need(
        g,
        area_in[..., None],
        inputs.should_nok_per_m2[:, None, None, :],
        inputs.must_nok_per_m2[:, None, None, :],
    )
    totals["upgrade_need_should"] = buildings.sums(should.sum(-1))
    totals["upgrade_need_must"] = buildings.sums(must.sum(-1))
    return {
        "condition_grade": g,
        "building_grade": bgrade,
        "in_service": active,
        "upgrade_need_building": (should + must).sum(-1),
    }
