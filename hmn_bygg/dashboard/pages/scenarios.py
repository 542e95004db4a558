"""Scenarier: scenarios overlaid (by default those of the board brief), and their differences.

Scenarios saved while the page is open (:mod:`hmn_bygg.dashboard.saved_watch`) join the list at
once; the page keeps the chosen ones and draws from the session's results when a choice changes.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import panel as pn
import xarray as xr

from hmn_bygg.core.errors import InputError
from hmn_bygg.core.fmt import Lang, fmt_number
from hmn_bygg.core.targets import target_area, target_vttg
from hmn_bygg.dashboard import metrics
from hmn_bygg.dashboard.charts import (
    add_lines,
    add_target,
    new_figure,
    wrap_legend,
)
from hmn_bygg.dashboard.components import fmt_signed, fmt_value, heading, note
from hmn_bygg.dashboard.state import SessionState
from hmn_bygg.dashboard.text import scenario_name, t, var_label
from hmn_bygg.report.scenario_style import (
    bokeh_dash,
    scenario_colour,
    scenario_dash,
    scenario_width,
)

MID_YEAR = 2030


def overlay(
    ds: xr.Dataset,
    names: list[str],
    var: str,
    decimals: int,
    unit: str,
    lang: Lang,
    labels: Mapping[str, Mapping[str, str]] | None = None,
):
    """Return one chart of a region variable with a line per scenario."""
    shown = [scenario_name(n, lang, labels) for n in names]
    fig = new_figure(
        var_label(var, lang, unit=False), var_label(var, lang), lang, name=f"scenarios-{var}"
    )
    series = {lab: ds[var].sel(scenario=n).to_numpy() for lab, n in zip(shown, names, strict=True)}
    colours = {lab: scenario_colour(n, names) for lab, n in zip(shown, names, strict=True)}
    dashes = {lab: bokeh_dash(scenario_dash(i)) for i, lab in enumerate(shown)}
    widths = {lab: 1.5 * scenario_width(i, len(shown)) for i, lab in enumerate(shown)}
    srcs = add_lines(fig, ds["year"].to_numpy(), series, colours, lang, decimals=decimals,
                     unit=unit, dashes=dashes, widths=widths)  # fmt: skip
    for lab, n in zip(shown, names, strict=True):
        srcs[lab].name = f"scenarios-src-{var}-{n}"  # for tests: the line of scenario n
    add_target(fig, ds, var, lang)
    wrap_legend(fig)
    return fig


ROWS: dict[str, tuple[int, str]] = {  # figure key -> (decimals, kind)
    "vttg_mid": (2, "number"),
    "vttg_end": (2, "number"),
    "vttg_year": (0, "year"),
    "area_end": (0, "number"),
    "area_year": (0, "year"),
    "need_end": (0, "number"),
    "liquidity_min": (0, "number"),
}


def difference_table(
    ds: xr.Dataset,
    names: list[str],
    lang: Lang,
    labels: Mapping[str, Mapping[str, str]] | None = None,
) -> pd.DataFrame:
    """Return the key figures per scenario, and each one's difference from the first."""
    table = metrics.scenario_table(ds, names, MID_YEAR)
    years = ds["year"].to_numpy()
    mid, last = min(max(MID_YEAR, int(years[0])), int(years[-1])), int(years[-1])
    target = target_vttg(ds)
    area_target = target_area(ds)
    titles = {
        "vttg_mid": t("vttg_in", lang, year=mid),
        "vttg_end": t("vttg_in", lang, year=last),
        "vttg_year": t("year_vttg_target", lang, target=fmt_number(target, 1, lang)),
        "area_end": t("area_in", lang, year=last) + " (m²)",
        "area_year": var_label("area_target_year", lang)
        + f" ({fmt_number(area_target, 0, lang)} m²)",
        "need_end": t("need_in", lang, year=last) + " (MNOK)",
        "liquidity_min": t("min_liquidity", lang) + " (MNOK)",
    }
    never = t("never", lang, year=last)
    base = names[0]
    out = {}
    for n in names:
        col = []
        for key in table.index:
            dec, unit = ROWS[key]
            v = table.loc[key, n]
            if unit == "year":
                text = never if np.isnan(v) else str(int(v))
            else:
                text = fmt_value(v, dec, lang)
            if n != base and unit != "year":
                text += f" ({fmt_signed(v - table.loc[key, base], dec, lang)})"
            col.append(text)
        out[scenario_name(n, lang, labels)] = col
    frame = pd.DataFrame(out, index=[titles[k] for k in table.index])
    frame.index.name = t("measure", lang)
    return frame.reset_index()


_LISTS: weakref.WeakKeyDictionary[SessionState, Any] = weakref.WeakKeyDictionary()
"""Per session: the watcher that keeps the shown page's list up to date (one page at a time)."""


def default_choice(state: SessionState) -> list[str]:
    """The scenarios compared by default: those the board brief shows, in its order.

    From :func:`hmn_bygg.report.brief.facts.default_scenarios` (the ``brief:`` list of
    ``models/scenarios.yaml`` and every scenario that reaches a target); the first four of
    the session's scenarios when that list names none of them.
    """
    from hmn_bygg.report.brief.facts import default_scenarios

    try:
        shown = default_scenarios(state.results)
    except InputError:  # results without what the brief needs: the session's own order
        shown = None
    return list(shown) if shown else state.scenario_names[:4]


def build(state: SessionState) -> pn.Column:
    """Return the scenario comparison page."""
    lang = state.lang

    def options() -> dict[str, str]:
        return {scenario_name(n, lang, state.labels): n for n in state.scenario_names}

    shown = default_choice(state)
    most = max(4, len(shown))
    choice = pn.widgets.MultiChoice(
        label=t("compare", lang, n=most),
        options=options(),
        value=shown,
        max_items=most,
        width=520,
        css_classes=["scenarios-choice"],
    )
    unreadable = note("", "warning")

    def why_not() -> None:  # the user scenarios file did not validate (edited by hand)
        error = state.saved_error
        shown = error.render(lang) if error is not None else ""
        unreadable.object = f"{t('saved_unreadable', lang)}\n\n```\n{shown}\n```" if shown else ""
        unreadable.visible = error is not None

    def relist(*_: Any) -> None:  # scenarios saved (or removed) meanwhile
        choice.options = options()
        choice.value = [n for n in choice.value if n in state.models]
        why_not()

    why_not()

    old = _LISTS.pop(state, None)
    if old is not None:
        state.param.unwatch(old)
    _LISTS[state] = state.param.watch(relist, "saved")

    def charts(names: list[str]) -> pn.Column:
        ds = state.results  # with the scenarios saved since the page was built
        if len(names) < 2:
            return pn.Column(note(t("pick_two", lang)))
        names = [n for n in names if n in state.scenario_names]  # chosen order: first = base
        specs = [
            ("vttg_region", 2, ""),
            ("area_region", 0, "m²"),
            ("upgrade_need_region", 0, "MNOK"),
        ]
        if "liquidity_region" in ds:
            specs.append(("liquidity_region", 0, "MNOK"))
        figs = [
            pn.pane.Bokeh(
                overlay(ds, names, *spec, lang=lang, labels=state.labels),
                sizing_mode="stretch_width",
            )
            for spec in specs
        ]
        table = pn.widgets.Tabulator(
            difference_table(ds, names, lang, state.labels),
            show_index=False,
            disabled=True,
            layout="fit_data_stretch",
            sizing_mode="stretch_width",
        )
        first = scenario_name(names[0], lang, state.labels)
        return pn.Column(
            pn.Row(*figs[:2], sizing_mode="stretch_width"),
            pn.Row(*figs[2:], sizing_mode="stretch_width"),
            heading(t("differences", lang) + " – " + t("diff_vs", lang, name=first).lower()),
            table,
            sizing_mode="stretch_width",
        )

    return pn.Column(unreadable, choice, pn.bind(charts, choice), sizing_mode="stretch_width")
