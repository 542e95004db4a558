"""The condition stage's results as one xarray Dataset, laid out as the glossary says.

:data:`VARIABLES` lists what :func:`hmn_bygg.condition.simulate.simulate` returns, in order;
:func:`result_dataset` turns its arrays into the Dataset with the glossary's dims, units and
labels.
"""

from __future__ import annotations

from collections.abc import Hashable

import numba
import numpy as np
import xarray as xr
from xarray.indexes import Index, PandasIndex

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
    variables: dict[Hashable, xr.Variable] = {
        k: variable(RESULT_DIMS[k], x) for k in VARIABLES if (x := arrays.get(k)) is not None
    }
    coords: dict[Hashable, xr.Variable] = {
        "scenario": xr.Variable("scenario", list(inputs.scenarios)),
        "year": xr.Variable("year", np.asarray(inputs.years, dtype=int)),
        "hf": xr.Variable("hf", list(inputs.hfs)),
    }
    indexes: dict[Hashable, Index] = {}
    if per_building:  # copies of the register's indexes (the same values, not made again)
        reg = register.variables
        coords |= {
            "building": variable("building", reg["building"]),
            "part": variable("part", reg["part"]),
            "building_hf": variable("building", reg["hf"]),
        }
        for d in ("building", "part"):
            kept = register.xindexes[d]
            assert isinstance(kept, PandasIndex)  # a register's dims have pandas indexes
            indexes[d] = PandasIndex(kept.index.copy(), d, coord_dtype=kept.coord_dtype)
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
    norms = (inputs.should_nok_per_m2, inputs.must_nok_per_m2)
    if 1 <= known.shape[-1] <= 7:  # the sums over parts in NumPy's order: one compiled pass
        found = _per_building(g, share_known, share_known.sum(-1), area, active, *norms)
    else:
        found = per_building_steps(g, share_known, area, active, *norms)
    bgrade, should_b, must_b, need_b = found
    totals["upgrade_need_should"] = buildings.sums(should_b)
    totals["upgrade_need_must"] = buildings.sums(must_b)
    return {
        "condition_grade": g,
        "building_grade": bgrade,
        "in_service": active,
        "upgrade_need_building": need_b,
    }


def per_building_steps(
    g: np.ndarray,
    share: np.ndarray,
    area: np.ndarray,
    active: np.ndarray,
    should_nok_per_m2: np.ndarray,
    must_nok_per_m2: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The per-building sums of a full run in NumPy steps (the compiled pass gives their bits).

    Parameters
    ----------
    g : numpy.ndarray
        Part grades [TG 0–3] ``(S, Y, B, P)``, NaN where not graded.
    share : numpy.ndarray
        Cost share of each graded part (0 where not graded) ``(B, P)``.
    area : numpy.ndarray
        Floor area [m²] ``(B,)``.
    active : numpy.ndarray
        In service ``(S, Y, B)`` (bool).
    should_nok_per_m2, must_nok_per_m2 : numpy.ndarray
        Upgrade cost norms [NOK/m²] ``(S, P)``.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray, numpy.ndarray, numpy.ndarray)
        Building grade [TG], should and must need and their sum [MNOK], each ``(S, Y, B)``.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        bgrade = part_sums(np.nan_to_num(g) * share) / share.sum(-1)
    area_in = area * active  # (S, Y, B)
    should, must = condition.upgrade_need(
        g,
        area_in[..., None],
        should_nok_per_m2[:, None, None, :],
        must_nok_per_m2[:, None, None, :],
    )
    return bgrade, part_sums(should), part_sums(must), part_sums(should + must)


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


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _per_building(g, share, total, area, active, should_n, must_n):  # pragma: no cover
    """:func:`per_building_results` of up to seven parts in one pass, bit for bit the NumPy
    steps: ``nan_to_num``, the state weights (NumPy's ``clip``), ``w · norm · area / 10⁶`` and
    :func:`part_sums` (``((0 + x₀) + x₁) + …``); returns the building grade, the should and
    must need per building and their sum ``(S, Y, B)``."""
    n_s, n_y, n_b, n_p = g.shape
    bgrade = np.empty((n_s, n_y, n_b))
    should_b = np.empty((n_s, n_y, n_b))
    must_b = np.empty((n_s, n_y, n_b))
    need_b = np.empty((n_s, n_y, n_b))
    big = np.finfo(np.float64).max
    for s in range(n_s):
        for y in range(n_y):
            for b in range(n_b):
                a = area[b] * (1.0 if active[s, y, b] else 0.0)
                acc_g = 0.0
                acc_s = 0.0
                acc_m = 0.0
                acc_n = 0.0
                for p in range(n_p):
                    x = g[s, y, b, p]
                    if np.isnan(x):
                        x = 0.0
                    elif x == np.inf:
                        x = big
                    elif x == -np.inf:
                        x = -big
                    acc_g += x * share[b, p]
                    w3 = _clip01(x - 2.0)
                    w2 = _clip01(x - 1.0) - w3
                    sh = w2 * should_n[s, p] * a / 1e6
                    mu = w3 * must_n[s, p] * a / 1e6
                    acc_s += sh
                    acc_m += mu
                    acc_n += sh + mu
                bgrade[s, y, b] = acc_g / total[b]
                should_b[s, y, b] = acc_s
                must_b[s, y, b] = acc_m
                need_b[s, y, b] = acc_n
    return bgrade, should_b, must_b, need_b


@numba.njit(cache=True, nogil=True, inline="always")
def _clip01(x):  # pragma: no cover
    """NumPy's ``clip(x, 0, 1)`` of a number that is not NaN (its max, then its min)."""
    x = x if x > 0.0 else 0.0
    return x if x < 1.0 else 1.0
