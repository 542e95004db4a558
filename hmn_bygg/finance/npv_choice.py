"""Upgrade a building or dispose of it and rent: the net present value of the two options.

:func:`npv_upgrade_or_dispose` reads a booked result (the building's simulated upgrade need)
and the scenario's FDV, sale, demolition and discount-rate parameters; the NPV arithmetic is
:func:`hmn_bygg.finance.depreciation.npv_compare`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from hmn_bygg.config import Model, as_year_array
from hmn_bygg.finance.depreciation import npv_compare

__all__ = ["npv_upgrade_or_dispose"]


def npv_upgrade_or_dispose(
    ds: xr.Dataset,
    model: Model,
    building: str,
    *,
    scenario: str,
    year: int,
    rent_nok_per_m2: float,
    horizon_years: int = 30,
    kind: str = "sale",
) -> pd.DataFrame:
    """Compare upgrading a building with disposing of it and renting the same area.

    Parameters
    ----------
    ds : xr.Dataset
        A booked result (:func:`book`) with ``upgrade_need_building``.
    model : Model
        The scenario's model: FDV cost, sale price, demolition cost and discount rate.
    building : str
        Building id.
    scenario : str
        Scenario whose upgrade need applies.
    year : int
        Decision year (the upgrade or the disposal happens then).
    rent_nok_per_m2 : float
        Market rent of equivalent space [NOK/m²/yr].
    horizon_years : int
        Years compared after the decision year.
    kind : {"sale", "demolition"}
        How the building would leave.

    Returns
    -------
    pandas.DataFrame
        :func:`hmn_bygg.finance.depreciation.npv_compare` of the two options ``upgrade`` and
        ``dispose and rent`` [MNOK], best first.

    Notes
    -----
    Upgrade: :math:`-U` in the decision year (the simulated upgrade need of the building),
    then :math:`-a \\cdot f / 10^6` FDV a year. Dispose and rent: :math:`+a p / 10^6` (sale,
    price by use) or :math:`-a d / 10^6` (demolition) in the decision year, then
    :math:`-a r / 10^6` rent a year. :math:`a` floor area [m²]; FDV in rented space is in the
    rent.
    """
    area = float(ds["floor_area"].sel(building=building))
    need = float(ds["upgrade_need_building"].sel(scenario=scenario, year=year, building=building))
    years = np.arange(year + 1, year + horizon_years + 1)
    fdv = as_year_array(model.portfolio.fdv_nok_per_m2, years) * area / 1e6
    use = str(ds["building_use"].sel(building=building).item())
    if kind == "sale":
        once = area * model.portfolio.sale_price_nok_per_m2.value[use] / 1e6
    else:
        once = -area * model.portfolio.demolition_cost_nok_per_m2.value / 1e6
    upgrade = {year: -need} | dict(zip(years.tolist(), (-fdv).tolist(), strict=True))
    rent = {year: once} | {int(y): -area * rent_nok_per_m2 / 1e6 for y in years}
    return npv_compare(
        {"upgrade": upgrade, "dispose and rent": rent},
        float(model.finance.discount_rate.value),
        base_year=year,
    )
