"""The identities the booked cash flow must keep, checked on results or on arrays.

For every year (and every HF, scenario or draw): the operating result, cash from operations
and net cash flow follow their formulas (:func:`hmn_bygg.finance.cash.cash_flow`), closing
liquidity is opening liquidity plus net cash flow, and each year opens where the last closed.
A check returns messages naming the variable, the cell and the size of the error [MNOK]; an
empty list means every identity closes. An independent check from a separate sign table is in
:mod:`hmn_bygg.finance.identity`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import xarray as xr

from hmn_bygg.finance import cash
from hmn_bygg.finance.cash import FLOW_ITEMS, IDENTITY_OUTPUTS, INPUT_ITEMS, TOLERANCE_MNOK


def _failures(name: str, residual: xr.DataArray, rule: str, tol: float, limit: int) -> list[str]:
    bad = ~(abs(residual) <= tol)  # NaN counts as a failure
    if not bool(bad.any()):
        return []
    if residual.ndim == 0:
        return [f"{name}: {rule} is off by {float(residual):.6g} MNOK"]
    values = residual.to_series()[bad.transpose(*residual.dims).to_series().to_numpy()]
    out = []
    for key, value in values.head(limit).items():
        keys = key if isinstance(key, tuple) else (key,)
        where = ", ".join(f"{d}={k}" for d, k in zip(values.index.names, keys, strict=True))
        out.append(f"{name} ({where}): {rule} is off by {value:.6g} MNOK")
    if len(values) > limit:
        out.append(f"{name}: and {len(values) - limit} more")
    return out


def check_cash_identity(
    ds: xr.Dataset, *, suffix: str = "", tol: float = TOLERANCE_MNOK, limit: int = 20
) -> list[str]:
    """Check that the cash-flow bridge and the liquidity roll-forward close.

    Parameters
    ----------
    ds : xr.Dataset
        A :func:`cash_flow` result (or :func:`region_total` with ``suffix="_region"``).
    suffix : str
        Suffix of the variable names, ``""`` per HF or ``"_region"``.
    tol : float
        Largest accepted residual [MNOK]; default 1e-6 MNOK = 1 krone.
    limit : int
        At most this many messages per rule (then a count of the rest).

    Returns
    -------
    list of str
        One message per year and HF (and other dims) where a rule fails; empty when all close.

    Notes
    -----
    Checks, for every year and every member of the other dims: the formulas for
    ``operating_result``, ``cash_from_operations`` and ``net_cash_flow`` (see
    :func:`cash_flow`), ``liquidity = liquidity_opening + net_cash_flow`` (plus
    ``liquidity_revaluation`` when present: results in fixed prices,
    :func:`hmn_bygg.finance.price_basis.apply_price_basis`), and
    ``liquidity_opening[t] = liquidity[t-1]``. A missing value fails.
    """

    ref = ds["liquidity" + suffix]
    dims = (*[str(d) for d in ref.dims if d != "year"], "year")
    arrays: dict[str, np.ndarray] = {}
    optional = ("liquidity_revaluation",) if "liquidity_revaluation" + suffix in ds else ()
    for name in (*INPUT_ITEMS, *IDENTITY_OUTPUTS, *optional):
        da = ds[name + suffix]
        if da.dims != dims:
            da = da.broadcast_like(ref).transpose(*dims)
        arrays[name] = da.to_numpy()
    coords = {d: ref[d].to_numpy() for d in dims if d in ref.coords}
    return check_cash_identity_arrays(arrays, dims, coords, suffix=suffix, tol=tol, limit=limit)


def check_cash_identity_arrays(
    arrays: Mapping[str, np.ndarray],
    dims: Sequence[str],
    coords: Mapping[str, np.ndarray],
    *,
    suffix: str = "",
    tol: float = TOLERANCE_MNOK,
    limit: int = 20,
) -> list[str]:
    """Check the identities of :func:`check_cash_identity` on NumPy arrays.

    Parameters
    ----------
    arrays : mapping of str to numpy.ndarray
        The bridge items and outputs by name without suffix [MNOK/yr or MNOK], one shape,
        ``year`` last.
    dims : sequence of str
        The dims of every array (``year`` last), for the messages.
    coords : mapping of str to numpy.ndarray
        Coordinates of ``dims`` (a dim without one is numbered), for the messages.
    suffix, tol, limit
        As in :func:`check_cash_identity`; ``tol`` [MNOK].

    Returns
    -------
    list of str
        One message per failing cell and rule; empty when all close (the usual, cheap case:
        the residuals are built as DataArrays only when some cell fails).
    """
    v = arrays
    revaluation = v.get("liquidity_revaluation", 0.0)  # fixed prices only (price_basis)
    operating, _, _ = cash.bridge(v)
    flows = [v[name] for name in FLOW_ITEMS]
    net = v["cash_from_operations"] - flows[0] + flows[1] - flows[2] + flows[3]
    checks = [
        ("operating_result", v["operating_result"] - operating, "result before - costs + savings"),
        (
            "cash_from_operations",
            v["cash_from_operations"] - v["operating_result"] - v["depreciation"],
            "operating result + depreciation",
        ),
        ("net_cash_flow", v["net_cash_flow"] - net, "cash from operations and financing"),
        (
            "liquidity",
            v["liquidity"] - v["liquidity_opening"] - v["net_cash_flow"] - revaluation,
            "opening + net cash flow (+ price change in fixed prices) = closing",
        ),
        (
            "liquidity_opening",
            v["liquidity_opening"][..., 1:] - v["liquidity"][..., :-1],
            "opening = last year's closing",
        ),
    ]
    messages: list[str] = []
    for name, residual, rule in checks:
        if np.all(np.abs(residual) <= tol):  # NaN fails
            continue
        c = {d: coords[d] for d in dims if d in coords}
        if "year" in c and name == "liquidity_opening":
            c["year"] = c["year"][1:]
        da = xr.DataArray(residual, dims=tuple(dims), coords=c)
        messages += _failures(name + suffix, da, rule, tol, limit)
    return messages
