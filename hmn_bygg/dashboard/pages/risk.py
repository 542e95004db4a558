"""Risiko: fan charts when the results carry uncertainty (a ``draw`` or ``quantile`` dim)."""

from __future__ import annotations

import numpy as np
import panel as pn
import xarray as xr
from bokeh.models import ColumnDataSource

from hmn_bygg.dashboard.charts import REGION_COLOUR, add_lines, add_target, new_figure
from hmn_bygg.dashboard.components import note
from hmn_bygg.dashboard.state import SessionState
from hmn_bygg.dashboard.text import t, var_label
from hmn_bygg.fmt import Lang

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
FAN_VARS: tuple[tuple[str, int, str], ...] = (
    ("vttg_region", 2, ""),
    ("area_region", 0, "m²"),
    ("upgrade_need_region", 0, "MNOK"),
    ("liquidity_region", 0, "MNOK"),
)


def has_uncertainty(ds: xr.Dataset) -> bool:
    """Whether the results hold draws or quantiles."""
    return "draw" in ds.dims or "quantile" in ds.dims


def quantiles(da: xr.DataArray) -> xr.DataArray:
    """Return the 5, 25, 50, 75 and 95 % quantiles of a variable over draws (dim ``quantile``)."""
    if "draw" in da.dims:
        return da.quantile(list(QUANTILES), dim="draw")
    return da.sel(quantile=list(QUANTILES), method="nearest")


def fan_chart(ds: xr.Dataset, scenario: str, var: str, dec: int, unit: str, lang: Lang):
    """Return a fan chart: 5–95 % and 25–75 % bands around the median."""
    q = quantiles(ds[var].sel(scenario=scenario)).transpose("quantile", "year").to_numpy()
    years = ds["year"].to_numpy()
    title = t("fan", lang, name=var_label(var, lang, unit=False))
    fig = new_figure(title, var_label(var, lang), lang, name=f"risk-{var}")
    src = ColumnDataSource({"x": years, "q05": q[0], "q25": q[1], "q75": q[3], "q95": q[4]})
    fig.varea(
        "x", "q05", "q95", source=src, color="#9ecae1", alpha=0.6, legend_label=t("band_90", lang)
    )
    fig.varea(
        "x", "q25", "q75", source=src, color="#4292c6", alpha=0.6, legend_label=t("band_50", lang)
    )
    add_lines(
        fig,
        years,
        {t("median", lang): q[2]},
        {t("median", lang): REGION_COLOUR},
        lang,
        decimals=dec,
        unit=unit,
    )
    add_target(fig, ds, var, lang)
    return fig


def build(state: SessionState) -> pn.Column:
    """Return the risk page (or a note on how to run with uncertainty)."""
    ds, lang = state.results, state.lang
    if not has_uncertainty(ds):
        return pn.Column(note(t("risk_note", lang)), sizing_mode="stretch_width")
    figs = [
        pn.pane.Bokeh(fan_chart(ds, state.scenario, v, d, u, lang), sizing_mode="stretch_width")
        for v, d, u in FAN_VARS
        if v in ds and np.isfinite(ds[v]).any()
    ]
    return pn.Column(
        pn.GridBox(*figs, ncols=2, sizing_mode="stretch_width"), sizing_mode="stretch_width"
    )
