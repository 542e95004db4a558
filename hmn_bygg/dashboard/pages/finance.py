"""Økonomi: liquidity per HF against its credit line, investments, loans and cash flow.

Shown when the results hold the long-term budget (``liquidity``, ``credit_limit``, ...);
until then the page says that the finances are not computed yet.
"""

from __future__ import annotations

import panel as pn
import xarray as xr
from bokeh.models import ColumnDataSource, HoverTool, LegendItem
from bokeh.palettes import Category10_10

from hmn_bygg.core.fmt import Lang, fmt_number
from hmn_bygg.dashboard import metrics
from hmn_bygg.dashboard.charts import add_lines, hf_colours, line_data, new_figure, wrap_legend
from hmn_bygg.dashboard.components import note
from hmn_bygg.dashboard.record import record_panel
from hmn_bygg.dashboard.state import SessionState
from hmn_bygg.dashboard.text import hf_name, t, var_label
from hmn_bygg.finance.breaches import credit_line
from hmn_bygg.finance.ltb import RECURRING
from hmn_bygg.report.brief.facts import last_project_year

PROJECT_COLOURS: tuple[str, ...] = tuple(Category10_10)  # ten distinct colours


def hf_lines(ds: xr.Dataset, scenario: str, var: str, title: str, lang: Lang, name: str):
    """Return a chart of ``var`` per HF (one line each, HF colours)."""
    s = ds.sel(scenario=scenario)
    fig = new_figure(title, var_label(var, lang), lang, name=name)
    series = {hf_name(h, lang): s[var].sel(hf=h).to_numpy() for h in ds["hf"].to_numpy()}
    colours = {hf_name(h, lang): c for h, c in hf_colours(ds["hf"].to_numpy()).items()}
    add_lines(fig, ds["year"].to_numpy(), series, colours, lang, unit="MNOK")
    return fig


def liquidity_chart(ds: xr.Dataset, scenario: str, lang: Lang):
    """Return liquidity per HF with each HF's credit floor (minus its limit) dashed.

    One legend item per HF and one for the dashed floors (a click hides them).
    """
    fig = hf_lines(
        ds, scenario, "liquidity", t("liquidity_vs_credit", lang), lang, "finance-liquidity"
    )
    s = ds.sel(scenario=scenario)
    years = ds["year"].to_numpy()
    hover = next(tool for tool in fig.tools if isinstance(tool, HoverTool))
    floors = []
    colours = hf_colours(ds["hf"].to_numpy())
    for h in ds["hf"].to_numpy():
        floor = -credit_line(s).sel(hf=h).transpose("year").to_numpy()  # at the price basis
        label = f"{hf_name(h, lang)}, {t('credit_floor', lang)}"
        src = ColumnDataSource(line_data(years, floor, label, lang, 0, "MNOK"))
        colour = colours[str(h)]
        floors.append(
            fig.line("x", "y", source=src, color=colour, line_width=1.5, line_dash="dashed")
        )
    hover.renderers = [*hover.renderers, *floors]
    fig.legend[0].items.append(LegendItem(label=t("credit_floor_dashed", lang), renderers=floors))
    wrap_legend(fig)
    return fig


def project_label(key: str, lang: Lang) -> str:
    """Return the words of a booked item that has no name of its own (the recurring items
    ``ordinary_investment``, ``medtech``, ``capitalised_maintenance``), else its key."""
    return t(key, lang) if key in RECURRING else key


def investment_chart(ds: xr.Dataset, scenario: str, lang: Lang):
    """Return investments per year stacked by project (or by HF when not by project)."""
    s = ds.sel(scenario=scenario)
    if "investment" in s and "project" in s["investment"].dims:
        inv = s["investment"]
        if "hf" in inv.dims:
            inv = inv.sum("hf")
        groups = [str(p) for p in ds["project"].to_numpy()]
        values = {g: inv.sel(project=g).to_numpy() for g in groups}
        colours = [PROJECT_COLOURS[i % len(PROJECT_COLOURS)] for i in range(len(groups))]
        names = ds["project_name"].to_numpy() if "project_name" in ds.coords else groups
        labels = [str(n) or project_label(g, lang) for n, g in zip(names, groups, strict=True)]
        title, var = t("investments", lang), "investment"
    else:
        groups = [str(h) for h in ds["hf"].to_numpy()]
        values = {g: s["investment_total"].sel(hf=g).to_numpy() for g in groups}
        palette = hf_colours(groups)
        colours = [palette[g] for g in groups]
        labels = [hf_name(g, lang) for g in groups]
        title, var = t("investments_hf", lang), "investment_total"
    data: dict[str, list] = {"x": [int(y) for y in ds["year"].to_numpy()]}
    keys = [f"g{i}" for i in range(len(groups))]
    for k, g in zip(keys, groups, strict=True):
        data[k] = list(values[g])
        data[f"{k}_txt"] = [fmt_number(v, 0, lang) + " MNOK" for v in values[g]]
    src = ColumnDataSource(data)
    unit_label = var_label(var, lang) if var in _glossary_names() else "MNOK"
    fig = new_figure(title, unit_label, lang, name="finance-investment")
    fig.vbar_stack(
        keys, x="x", width=0.8, color=colours, source=src, legend_label=labels, line_color="white"
    )
    wrap_legend(fig)
    fig.add_tools(
        HoverTool(
            tooltips=[("", "@x")]
            + [(lab, f"@{k}_txt") for k, lab in zip(keys, labels, strict=True)]
        )
    )
    return fig


def _glossary_names() -> set[str]:
    from hmn_bygg.core.variables import glossary

    return set(glossary())


def build(state: SessionState) -> pn.Column:
    """Return the finance page (or a note when the finances are not computed)."""
    ds, lang, scen = state.results, state.lang, state.scenario
    if not metrics.has_finance(ds):
        return pn.Column(note(t("not_computed", lang), "warning"), sizing_mode="stretch_width")
    charts = [liquidity_chart(ds, scen, lang), investment_chart(ds, scen, lang)]
    if "loan_balance" in ds:
        charts.append(hf_lines(ds, scen, "loan_balance", t("loans", lang), lang, "finance-loans"))
    if "net_cash_flow" in ds:
        charts.append(
            hf_lines(ds, scen, "net_cash_flow", t("cash_flow", lang), lang, "finance-cash")
        )
    rows = [
        pn.Row(
            *[pn.pane.Bokeh(c, sizing_mode="stretch_width") for c in charts[i : i + 2]],
            sizing_mode="stretch_width",
        )
        for i in range(0, len(charts), 2)
    ]
    basis = str(ds.attrs.get("price_basis", ""))
    if "prices" in ds.attrs:
        from hmn_bygg.finance.price_basis import basis_label

        basis = basis_label(str(ds.attrs["prices"]), lang)
    head = [pn.pane.Markdown(t("price_basis", lang, basis=basis))]
    last = last_project_year(ds, [scen])
    if last is not None and last < int(ds["year"].max()) - 2:
        head.append(note(t("finance_no_plan", lang, year=last), "info"))
    record = record_panel(state)
    return pn.Column(*head, *rows, *([record] if record else []), sizing_mode="stretch_width")
