"""Booking in nominal kroner: the price factors the long-term budget applies to its inputs.

Each money parameter is in the kroner of its ``price_year``
(:mod:`hmn_bygg.finance.price_basis`); :func:`hmn_bygg.finance.ltb.book` multiplies every
amount by the factor of the year it is paid, so that the cash flow, the loans and the interest
are nominal. Which series converts what (a convention, stated in ``models/price_index.yaml``):

- ``construction``: building and upgrade projects, maintenance money (the condition stage runs
  in fixed prices of ``maintenance.budget_mnok``'s price year), demolition;
- ``deflator``: everything else (ICT projects, equipment, running costs and savings, FDV,
  sales, loan frames, operating results, support).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import xarray as xr

from hmn_bygg.config import Model, Project, as_year_array
from hmn_bygg.finance import cash
from hmn_bygg.finance.price_basis import PriceIndex, SeriesName, factor, to_nominal

__all__ = [
    "condition_basis",
    "nominal_condition",
    "per_scenario",
    "project_series",
    "regional_flows",
]

BUILDING_CLASSES = ("building", "upgrade")


def project_series(project: Project) -> SeriesName:
    """Return the index that converts a project's cost: building work or the deflator."""
    return "construction" if project.asset_class.value in BUILDING_CLASSES else "deflator"


def condition_basis(model: Model) -> str:
    """Return the fixed prices the condition stage runs in (``real:YYYY`` or ``nominal``)."""
    year = model.maintenance.budget_mnok.price_year
    return "nominal" if year in (None, "nominal") else f"real:{year}"


def per_scenario(
    scenarios: Mapping[str, Model], get, index: PriceIndex, series: SeriesName, years
) -> np.ndarray:
    """Return the factors ``(S, 1, Y)`` [-] of the leaf ``get(model)`` in every scenario."""
    return np.stack([factor(index, series, get(m).price_year, years) for m in scenarios.values()])[
        :, None, :
    ]


def nominal_condition(
    results: xr.Dataset, scenarios: Mapping[str, Model], index: PriceIndex
) -> xr.Dataset:
    """Return the condition results with their money (``MNOK`` units, ``year`` dim) in nominal
    kroner, converted from the fixed prices of each scenario's maintenance budget with the
    construction index [MNOK]."""
    years = results["year"].to_numpy()
    f = per_scenario(scenarios, lambda m: m.maintenance.budget_mnok, index, "construction", years)
    scale = xr.DataArray(
        f[:, 0, :],
        dims=("scenario", "year"),
        coords={"scenario": results["scenario"], "year": years},
    )
    out = results.copy()
    for name, da in results.data_vars.items():
        if str(da.attrs.get("units", "")).startswith("MNOK") and "year" in da.dims:
            dims = da.dims
            scaled = da * (scale if "scenario" in dims else scale.isel(scenario=0))
            out[name] = scaled.transpose(*dims).assign_attrs(da.attrs)
    return out


def regional_flows(scenarios: Mapping[str, Model], support: np.ndarray, years, index) -> dict:
    """The RHF's own cash flow ``(S, Y)`` [MNOK/yr, MNOK, nominal]: its result before support,
    minus the support it pays to the HFs (``support``, ``(S, Y)``)."""
    models = scenarios.values()
    before = np.stack([to_nominal(as_year_array(r, years), r, index, "deflator", years)
                       for r in (m.finance.regional.operating_result_before_mnok
                                 for m in models)])  # fmt: skip
    opening = np.array(
        [
            float(r.value) * factor(index, "deflator", r.price_year, years[:1])[0]
            for r in (m.finance.regional.opening_liquidity_mnok for m in models)
        ]
    )  # nominal at the start of the first year
    items = {name: np.zeros_like(before) for name in cash.INPUT_ITEMS}
    items["operating_result_before"] = before - support
    return cash.cash_flow_arrays(items, opening)
