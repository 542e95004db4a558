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
from hmn_bygg.core.assemble import assemble, variable
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
    # built once from aligned arrays (:func:`~hmn_bygg.core.assemble.assemble`): the same
    # Dataset as ``xr.Dataset(data, coords=coords)``, without aligning every variable again
    variables = {
        k: variable(RESULT_DIMS[k], x) for k in VARIABLES if (x := arrays.get(k)) is not None
    }
    coords = {
        "scenario": xr.Variable("scenario", list(inputs.scenarios)),
        "year": xr.Variable("year", np.asarray(inputs.years, dtype=int)),
        "hf": xr.Variable("hf", list(inputs.hfs)),
    }
    indexes = {}
    if per_building:  # the register's own coordinates and indexes (the same values)
        reg = register.variables
        coords |= {
            "building": reg["building"].copy(deep=False),
            "part": reg["part"].copy(deep=False),
            "building_hf": variable("building", reg["hf"]),
        }
        indexes = {d: register.xindexes[d] for d in ("building", "part")}
    ds = assemble({**variables, **coords}, coords, {"price_basis": inputs.price_basis}, indexes)
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
        bgrade = part_sums(np.nan_to_num(g) * share_known) / share_known.sum(-1)
    area_in = area * active  # (S, Y, B)
    should, must = condition.upgrade_need(
        g,
        area_in[..., None],
        inputs.should_nok_per_m2[:, None, None, :],
        inputs.must_nok_per_m2[:, None, None, :],
    )
    totals["upgrade_need_should"] = buildings.sums(part_sums(should))
    totals["upgrade_need_must"] = buildings.sums(part_sums(must))
    return {
        "condition_grade": g,
        "building_grade": bgrade,
        "in_service": active,
        "upgrade_need_building": part_sums(should + must),
    }


def part_sums(x: np.ndarray) -> np.ndarray:
    """Return ``x.sum(-1)`` over the few parts of a building, bit for bit, several times faster.

    NumPy sums a short last axis (up to 7 long, C-contiguous) as ``((0 + x₀) + x₁) + …``,
    output by output: the same adds here, one pass over all outputs per part instead of one
    short reduction per output (``tests/test_simulate.py`` checks the bits against
    ``sum(-1)``); other arrays are summed by NumPy.

    Parameters
    ----------
    x : numpy.ndarray
        Values per part ``(..., P)`` (float).

    Returns
    -------
    numpy.ndarray
        ``(...,)`` the sums.
    """
    if not 1 <= x.shape[-1] <= 7 or not x.flags.c_contiguous:
        return x.sum(-1)
    out = x[..., 0] + 0.0  # NumPy starts from 0: a sum of -0.0 is 0.0
    for p in range(1, x.shape[-1]):
        out += x[..., p]
    return out
