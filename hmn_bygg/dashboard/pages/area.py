"""Areal: the area path with openings and disposals, and a waterfall to 650 000 m²."""

from __future__ import annotations

import numpy as np
import panel as pn
from bokeh.models import ColumnDataSource, HoverTool, LabelSet

from hmn_bygg.core.fmt import Lang, fmt_number
from hmn_bygg.dashboard import metrics
from hmn_bygg.dashboard.charts import TARGET_COLOUR, add_target, hf_colours, new_figure
from hmn_bygg.dashboard.pages.overview import area_chart, peak_note
from hmn_bygg.dashboard.state import SessionState
from hmn_bygg.dashboard.text import hf_name, t, var_label


def stacked_area_chart(state: SessionState):
    """Return the floor area per HF, stacked, with the target line."""
    ds, lang = state.results, state.lang
    s = ds.sel(scenario=state.scenario)
    hfs = [str(h) for h in ds["hf"].to_numpy()]
    data: dict[str, list] = {"x": [int(y) for y in ds["year"].to_numpy()]}
    for h in hfs:
        data[h] = list(s["area"].sel(hf=h).to_numpy())
        data[f"{h}_txt"] = [fmt_number(v, 0, lang) + " m²" for v in data[h]]
    src = ColumnDataSource(data)
    fig = new_figure(
        t("area_by_hf", lang),
        var_label("area", lang),
        lang,
        name="area-stack",
    )
    r = fig.varea_stack(
        hfs,
        x="x",
        color=list(hf_colours(hfs).values()),
        source=src,
        legend_label=[hf_name(h, lang) for h in hfs],
        alpha=0.85,
    )
    add_target(fig, ds, "area", lang)
    fig.y_range.start = 0
    tips = [("", "@x")] + [(hf_name(h, lang), f"@{h}_txt") for h in hfs]
    lines = fig.line("x", hfs[0], source=src, alpha=0)
    fig.add_tools(HoverTool(renderers=[lines], tooltips=tips, mode="vline"))
    del r
    return fig


def flows_chart(state: SessionState):
    """Return bars of area opened (up) and disposed of (down) per year."""
    lang: Lang = state.lang
    flows = metrics.area_flows(state.results, state.scenario, state.register)
    src = ColumnDataSource(
        {
            "x": [int(y) for y in flows.index],
            # years without openings or disposals get no bar (NaN), not a flat one at 0
            "opened": [v if v > 0 else np.nan for v in flows["opened"]],
            "disposed": [-v if v > 0 else np.nan for v in flows["disposed"]],
            "opened_txt": [fmt_number(v, 0, lang) + " m²" for v in flows["opened"]],
            "disposed_txt": [fmt_number(v, 0, lang) + " m²" for v in flows["disposed"]],
        }
    )
    fig = new_figure(t("area_changes", lang), t("area_m2", lang), lang, name="area-flows")
    years = state.results["year"].to_numpy()
    fig.x_range.start, fig.x_range.end = int(years[0]) - 0.5, int(years[-1]) + 0.5
    fig.vbar(
        "x", top="opened", width=0.8, color="#4daf4a", source=src, legend_label=t("opened", lang)
    )
    fig.vbar(
        "x",
        top="disposed",
        width=0.8,
        color="#984ea3",
        source=src,
        legend_label=t("disposed", lang),
    )
    fig.add_tools(
        HoverTool(
            tooltips=[
                ("", "@x"),
                (t("opened", lang), "@opened_txt"),
                (t("disposed", lang), "@disposed_txt"),
            ]
        )
    )
    return fig


def waterfall_chart(state: SessionState):
    """Return a waterfall: area today, minus disposals, plus new buildings, the gap to target."""
    lang: Lang = state.lang
    w = metrics.area_waterfall(state.results, state.scenario, state.register)
    below = w.end <= w.target
    names = [
        t("wf_today", lang, year=w.start_year),
        t("wf_disposed", lang),
        t("wf_opened", lang),
        t("wf_end", lang, year=w.end_year),
        t("wf_below", lang) if below else t("wf_gap", lang),
        t("wf_target", lang),
    ]
    after_disp = w.start - w.disposed
    bottoms = [0, after_disp, after_disp, 0, min(w.end, w.target), 0]
    tops = [w.start, w.start, after_disp + w.opened, w.end, max(w.end, w.target), w.target]
    amounts = [w.start, -w.disposed, w.opened, w.end, abs(w.end - w.target), w.target]
    signs = ["", "", "+", "", "", ""]
    colours = [
        "#6b6b6b",
        "#984ea3",
        "#4daf4a",
        "#6b6b6b",
        "#1a9850" if below else TARGET_COLOUR,
        "#bdbdbd",
    ]
    src = ColumnDataSource(
        {
            "name": names,
            "bottom": bottoms,
            "top": tops,
            "colour": colours,
            "mid": [max(b, tp) for b, tp in zip(bottoms, tops, strict=True)],
            "txt": [
                sg + fmt_number(v, 0, lang).replace("-", "\u2212")
                for sg, v in zip(signs, amounts, strict=True)
            ],
        }
    )
    fig = new_figure(
        t("waterfall", lang, target=fmt_number(w.target, 0, lang)),
        var_label("area_region", lang),
        lang,
        x_range=names,
        name="area-waterfall",
    )
    fig.vbar(x="name", bottom="bottom", top="top", width=0.7, color="colour", source=src)
    fig.add_layout(
        LabelSet(
            x="name",
            y="mid",
            text="txt",
            source=src,
            text_align="center",
            y_offset=3,
            text_font_size="12px",
        )
    )
    fig.y_range.start = 0
    fig.y_range.end = max(tops) * 1.1
    fig.add_tools(HoverTool(tooltips=[("", "@name"), ("m²", "@txt")]))
    return fig


def build(state: SessionState) -> pn.Column:
    """Return the area page."""
    ds, lang = state.results, state.lang
    return pn.Column(
        pn.Row(
            pn.pane.Bokeh(area_chart(ds, state.scenario, lang), sizing_mode="stretch_width"),
            pn.pane.Bokeh(waterfall_chart(state), sizing_mode="stretch_width"),
            sizing_mode="stretch_width",
        ),
        peak_note(state),
        pn.Row(
            pn.pane.Bokeh(stacked_area_chart(state), sizing_mode="stretch_width"),
            pn.pane.Bokeh(flows_chart(state), sizing_mode="stretch_width"),
            sizing_mode="stretch_width",
        ),
        sizing_mode="stretch_width",
    )
