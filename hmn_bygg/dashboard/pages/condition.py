"""Tilstand: VTTG per HF over time, the grade distribution and the worst buildings."""

from __future__ import annotations

import panel as pn
from bokeh.models import ColumnDataSource, HoverTool

from hmn_bygg.core.fmt import Lang, fmt_percent
from hmn_bygg.dashboard import metrics
from hmn_bygg.dashboard.charts import TG_COLOURS, new_figure
from hmn_bygg.dashboard.components import heading, money_formatter
from hmn_bygg.dashboard.pages.overview import vttg_chart
from hmn_bygg.dashboard.state import SessionState
from hmn_bygg.dashboard.text import hf_name, t, use_name


def bands_chart(state: SessionState):
    """Return a stacked bar chart of the share of area in TG0..TG3, per year."""
    ds, lang = state.results, state.lang
    shares = metrics.grade_band_shares(ds, state.scenario, state.register)
    years = [str(y) for y in shares.index]
    bands = list(shares.columns)
    data: dict[str, list] = {"year": years}
    for b in bands:
        data[b] = list(shares[b].to_numpy())
        data[f"{b}_txt"] = [fmt_percent(v, 0, lang) for v in shares[b]]
    src = ColumnDataSource(data)
    fig = new_figure(
        t("grade_bands", lang),
        t("share_area", lang),
        lang,
        x_range=years,
        y_scale=100.0,
        name="condition-bands",
    )
    r = fig.vbar_stack(
        bands,
        x="year",
        width=0.8,
        color=list(TG_COLOURS),
        source=src,
        legend_label=bands,
        line_color="white",
    )
    fig.y_range.start, fig.y_range.end = 0, 1
    fig.xaxis.major_label_orientation = 0.9
    tips = [("", "@year")] + [(b, f"@{b}_txt") for b in bands]
    fig.add_tools(HoverTool(renderers=r, tooltips=tips))
    return fig


def worst_table(state: SessionState, year: int) -> pn.widgets.Tabulator:
    """Return the table of the buildings in the worst condition in ``year``."""
    lang: Lang = state.lang
    df = metrics.worst_buildings(state.results, state.scenario, year, state.register)
    df["hf"] = df["hf"].map(lambda h: hf_name(str(h), lang))
    df["use"] = df["use"].map(lambda u: use_name(u, lang))
    titles = {
        "building": t("col_id", lang),
        "name": t("col_name", lang),
        "hf": t("col_hf", lang),
        "site": t("col_site", lang),
        "use": t("col_use", lang),
        "floor_area": t("col_area", lang),
        "grade": t("col_grade", lang),
        "upgrade_need": t("col_need", lang),
    }
    return pn.widgets.Tabulator(
        df,
        titles=titles,
        show_index=False,
        disabled=True,
        layout="fit_data_stretch",
        formatters={
            "floor_area": money_formatter(0, lang),
            "grade": money_formatter(2, lang),
            "upgrade_need": money_formatter(1, lang),
        },
        sizing_mode="stretch_width",
        height=420,
    )


def build(state: SessionState) -> pn.Column:
    """Return the condition page."""
    ds, lang = state.results, state.lang
    years = [int(y) for y in ds["year"].to_numpy()]
    year = pn.widgets.DiscreteSlider(
        label=t("table_year", lang), options=years, value=years[0], width=420
    )
    return pn.Column(
        pn.Row(
            pn.pane.Bokeh(vttg_chart(ds, state.scenario, lang), sizing_mode="stretch_width"),
            pn.pane.Bokeh(bands_chart(state), sizing_mode="stretch_width"),
            sizing_mode="stretch_width",
        ),
        pn.bind(lambda y: heading(t("worst_buildings", lang, year=y)), year),
        year,
        pn.bind(lambda y: worst_table(state, y), year),
        sizing_mode="stretch_width",
    )
