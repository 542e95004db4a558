"""Oversikt: the key figures against the targets, with traffic lights."""

from __future__ import annotations

from html import escape

import panel as pn
import xarray as xr

from hmn_bygg.core.fmt import Lang, fmt_number, fmt_percent, year_spans
from hmn_bygg.core.targets import target_area, target_vttg
from hmn_bygg.dashboard import metrics
from hmn_bygg.dashboard.charts import REGION_COLOUR, add_lines, add_target, hf_colours, new_figure
from hmn_bygg.dashboard.components import fmt_value, kpi_card, note
from hmn_bygg.dashboard.state import SessionState
from hmn_bygg.dashboard.text import hf_name, scenario_name, t, var_label

VTTG_AMBER = 0.15  # TG above target still "close"
AREA_AMBER = 25_000.0  # m² above target still "close"


def default_years(ds: xr.Dataset) -> list[int]:
    """Return the years shown by default: 2030, 2035 and the last model year (if in range)."""
    years = [int(y) for y in ds["year"].to_numpy()]
    return [y for y in (2030, 2035) if y in years[1:-1]] + [years[-1]]


def condition_cards(ds: xr.Dataset, scenario: str, years: list[int], lang: Lang) -> list:
    """Return the VTTG, area and upgrade-need cards for ``years`` (the first year first)."""
    s = ds.sel(scenario=scenario)
    target = target_vttg(ds)
    area_target = target_area(ds)
    first = int(ds["year"][0])
    shown = [first, *[y for y in years if y != first]]
    tgt = t("target_is", lang, target=fmt_number(target, 1, lang))
    cards = []
    for y in shown:
        v = float(s["vttg_region"].sel(year=y))
        cards.append(
            kpi_card(
                t("vttg_in", lang, year=y),
                fmt_number(v, 2, lang),
                tgt,
                metrics.status_lower_better(v, target, VTTG_AMBER),
                lang,
                test_id=f"kpi-vttg-{y}",
            )
        )
    atgt = t("target_is", lang, target=fmt_number(area_target, 0, lang) + " m²")
    for y in shown:
        v = float(s["area_region"].sel(year=y))
        cards.append(
            kpi_card(
                t("area_in", lang, year=y),
                fmt_number(v, 0, lang) + " m²",
                atgt,
                metrics.status_lower_better(v, area_target, AREA_AMBER),
                lang,
                test_id=f"kpi-area-{y}",
            )
        )
    hit = metrics.first_year_at_or_below(s["area_region"], area_target)
    last = int(ds["year"][-1])
    words = (
        t("area_target_year", lang, year=hit)
        if hit is not None
        else t("area_target_never", lang, year=last)
    )
    cards.append(kpi_card(words, str(hit) if hit else "–", atgt, "green" if hit else "red", lang))
    for y in shown:
        need = float(s["upgrade_need_region"].sel(year=y))
        fci = float(s["fci_region"].sel(year=y))
        cards.append(
            kpi_card(
                t("need_in", lang, year=y),
                fmt_number(need, 0, lang) + " MNOK",
                "FCI " + fmt_percent(fci, 1, lang),
                None,  # no target for the upgrade need: no traffic light, no target words
                lang,
                test_id=f"kpi-need-{y}",
            )
        )
    return cards


def liquidity_cards(ds: xr.Dataset, scenario: str, lang: Lang) -> list:
    """Return one card per HF with its lowest liquidity and credit-breach years."""
    cards = []
    for low in metrics.liquidity_lows(ds, scenario):
        detail = (
            t("in_year", lang, year=low.year)
            + "; "
            + (
                t("breach_years", lang, years=year_spans(low.breach_years))
                if low.breach_years
                else t("no_breach", lang)
            )
        )
        cards.append(
            kpi_card(
                t("lowest_liquidity", lang, hf=low.hf),
                fmt_value(low.lowest, 0, lang, " MNOK"),
                detail,
                low.status,
                lang,
                test_id=f"kpi-liq-{low.hf}",
                words=t(f"liq_{low.status}", lang),  # a credit line, not a target
            )
        )
    return cards


def vttg_chart(ds: xr.Dataset, scenario: str, lang: Lang):
    """Return the VTTG per HF and for the region, with the target line."""
    s = ds.sel(scenario=scenario)
    years = ds["year"].to_numpy()
    fig = new_figure(t("vttg_by_hf", lang), var_label("vttg", lang), lang, name="overview-vttg")
    series = {hf_name(h, lang): s["vttg"].sel(hf=h).to_numpy() for h in ds["hf"].to_numpy()}
    series[t("region", lang)] = s["vttg_region"].to_numpy()
    colours = {hf_name(h, lang): c for h, c in hf_colours(ds["hf"].to_numpy()).items()}
    colours[t("region", lang)] = REGION_COLOUR
    srcs = add_lines(
        fig, years, series, colours, lang, decimals=2, dashes={t("region", lang): "dashed"}
    )
    srcs[t("region", lang)].name = "overview-src-vttg_region"
    add_target(fig, ds, "vttg", lang)
    return fig


def area_chart(ds: xr.Dataset, scenario: str, lang: Lang):
    """Return the region's floor area with the 650 000 m² target line."""
    s = ds.sel(scenario=scenario)
    fig = new_figure(
        t("area_path", lang), var_label("area_region", lang), lang, name="overview-area"
    )
    add_lines(
        fig,
        ds["year"].to_numpy(),
        {t("region", lang): s["area_region"].to_numpy()},
        {t("region", lang): REGION_COLOUR},
        lang,
        unit="m²",
    )
    add_target(fig, ds, "area_region", lang)
    fig.legend.visible = False
    return fig


def peak_note(state: SessionState) -> pn.pane.HTML:
    """Return the sentence under the area chart on a one-year peak (empty when none).

    Under the area chart here and on the Areal page; the brief's area caption says the same
    (:func:`hmn_bygg.report.brief.facts.area_peak`).
    """
    from hmn_bygg.report.brief.facts import area_peak

    lang = state.lang
    peak = area_peak(state.results, state.scenario)
    text = (
        ""
        if peak is None
        else t(
            "area_peak",
            lang,
            year=peak.year,
            next=peak.year + 1,
            opened=fmt_number(peak.opened, 0, lang),
            disposed=fmt_number(peak.disposed, 0, lang),
        )
    )
    return pn.pane.HTML(
        f'<p data-testid="area-peak">{escape(text)}</p>' if text else "",
        styles={"font-size": "13px", "color": "#444"},
        sizing_mode="stretch_width",
        margin=(0, 10),
    )


def build(state: SessionState) -> pn.Column:
    """Return the overview page for the session's scenario and language."""
    ds, lang, scen = state.results, state.lang, state.scenario
    all_years = [int(y) for y in ds["year"].to_numpy()[1:]]
    chooser = pn.widgets.MultiChoice(
        label=t("years_shown", lang),
        options=all_years,
        value=default_years(ds),
        max_items=4,
        width=360,
    )
    target = target_vttg(ds)
    area_target = target_area(ds)
    intro = pn.pane.Markdown(
        t(
            "overview_intro",
            lang,
            scenario=scenario_name(scen, lang, state.labels),
            vttg=fmt_number(target, 1, lang),
            area=fmt_number(area_target, 0, lang),
        )
        + "  \n"
        + t("status_legend", lang),
        sizing_mode="stretch_width",
    )

    def cards(years: list[int]) -> pn.Column:
        items = condition_cards(ds, scen, sorted(years), lang)
        n = len(years if int(ds["year"][0]) in years else [int(ds["year"][0]), *years])
        rows = [items[:n], items[n : 2 * n + 1], items[2 * n + 1 :]]
        return pn.Column(*[pn.FlexBox(*r) for r in rows], sizing_mode="stretch_width")

    parts = [intro, chooser, pn.bind(cards, chooser)]
    if metrics.has_finance(ds):
        parts.append(pn.FlexBox(*liquidity_cards(ds, scen, lang)))
    else:
        parts.append(note(t("not_computed", lang)))
    parts.append(
        pn.Row(
            pn.pane.Bokeh(vttg_chart(ds, scen, lang), sizing_mode="stretch_width"),
            pn.pane.Bokeh(area_chart(ds, scen, lang), sizing_mode="stretch_width"),
            sizing_mode="stretch_width",
        )
    )
    parts.append(peak_note(state))
    return pn.Column(*parts, sizing_mode="stretch_width")
