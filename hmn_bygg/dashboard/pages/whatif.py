"""Hva om: change assumptions and re-run the model live against the session's register.

The charts keep their Bokeh sources; a change replaces the sources' data in place, so the
browser only redraws. The update comes in two steps when the model books the long-term
budget: first the condition and area results (``run_models(..., book=False)``, about
0.1 s), then, on the next turn of the server loop, the full run with the finances.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import panel as pn
import xarray as xr

from hmn_bygg.dashboard import metrics
from hmn_bygg.dashboard import whatif_inputs as wi
from hmn_bygg.dashboard.charts import add_lines, add_target, line_data, new_figure
from hmn_bygg.dashboard.components import CARD_CSS, kpi_html
from hmn_bygg.dashboard.state import SessionState
from hmn_bygg.dashboard.text import scenario_name, t, var_label
from hmn_bygg.errors import InputError
from hmn_bygg.fmt import Lang, fmt_number

BASE_COLOUR, WHATIF_COLOUR = "#8c8c8c", "#d95f02"
CHARTS: tuple[tuple[str, str, int, str], ...] = (  # variable, title key, decimals, unit
    ("vttg_region", "whatif_vttg", 2, ""),
    ("upgrade_need_region", "whatif_need", 0, "MNOK"),
    ("area_region", "whatif_area", 0, "m²"),
    ("liquidity_region", "whatif_liq", 0, "MNOK"),
)


def summary(ds: xr.Dataset, target: float) -> dict[str, float]:
    """Return the what-if key figures of a one-scenario result."""
    s = ds.isel(scenario=0)
    year = metrics.first_year_at_or_below(s["vttg_region"], target)
    out = {
        "vttg_end": float(s["vttg_region"].isel(year=-1)),
        "vttg_year": np.nan if year is None else float(year),
        "need_end": float(s["upgrade_need_region"].isel(year=-1)),
        "area_end": float(s["area_region"].isel(year=-1)),
    }
    if "liquidity_region" in s:
        out["liquidity_min"] = float(s["liquidity_region"].min())
    return out


class WhatIfPage:
    """The what-if page of one session: its widgets, charts and the live re-run."""

    def __init__(self, state: SessionState) -> None:
        self.state = state
        years = [int(y) for y in state.results["year"].to_numpy()]
        self.extra = pn.widgets.IntSlider(start=0, end=600, step=10, value=0, width=300)
        self.from_year = pn.widgets.IntSlider(
            start=years[1], end=years[-1], value=min(years[0] + 2, years[-1]), width=300
        )
        self.policy = pn.widgets.RadioButtonGroup(options=["worst_first", "best_value"], width=300)
        self.shift = pn.widgets.IntSlider(start=-5, end=5, step=1, value=0, width=300)
        self.controls = [c for c in wi.CONTROLS if c.available()]
        self.sliders = {
            c.name: pn.widgets.FloatSlider(start=c.start, end=c.end, step=c.step, width=300)
            for c in self.controls
        }
        self.reset_button = pn.widgets.Button(color="light", width=300)
        self.reset_button.on_click(self.reset)
        self.error = pn.pane.Alert("", alert_type="danger", visible=False)
        self.cards = pn.pane.HTML("", stylesheets=[CARD_CSS], margin=0)
        self.sources: dict[str, Any] = {}
        self.base_sources: dict[str, tuple[Any, int, str]] = {}
        self.layout: pn.Column | None = None
        self.built_for: tuple[str, tuple[str, ...]] | None = None
        self.intro = pn.pane.Markdown(sizing_mode="stretch_width")
        self.generation = 0
        self._updating = False
        for w in (self.extra, self.from_year, self.shift, *self.sliders.values()):
            w.param.watch(self.update, "value_throttled")
        self.policy.param.watch(self.update, "value")

    # -- inputs ---------------------------------------------------------------------------
    def reset(self, *_: Any) -> None:
        """Set every control back to the chosen scenario's values and redraw."""
        model = self.state.model
        self._updating = True
        try:
            self.extra.value = 0
            self.shift.value = 0
            self.policy.value = str(model.maintenance.policy.value)
            for c in self.controls:
                self.sliders[c.name].value = c.initial(model)
        finally:
            self._updating = False
        self.update()

    def overrides(self) -> dict[str, Any]:
        """Return the dotted-key overrides the controls stand for."""
        model = self.state.model
        years = self.state.results["year"].to_numpy()
        out = wi.extra_maintenance(model, years, self.extra.value, self.from_year.value)
        if self.policy.value != model.maintenance.policy.value:
            out["maintenance.policy"] = self.policy.value
        for c in self.controls:
            out |= c.overrides(model, self.sliders[c.name].value)
        return out | wi.disposal_shift(model, int(self.shift.value))

    # -- output ---------------------------------------------------------------------------
    def update(self, *_: Any) -> None:
        """Re-run the model with the controls' values; condition first, finances next."""
        if self._updating or not self.sources:
            return
        self.generation += 1
        finances = "liquidity_region" in self.state.results
        if not self._run(book=not finances):
            return
        if finances:
            gen = self.generation
            doc = pn.state.curdoc
            if doc is None or doc.session_context is None:
                self._run(book=True)
            else:
                doc.add_timeout_callback(lambda: gen == self.generation and self._run(True), 20)

    def _run(self, book: bool) -> bool:
        try:
            ds = self.state.run_whatif(self.overrides(), int(self.shift.value), book=book)
        except InputError as err:
            self.error.object = str(err).replace("\n", "  \n")
            self.error.visible = True
            return False
        self.error.visible = False
        self.push(ds)
        return True

    def push(self, ds: xr.Dataset) -> None:
        """Put a what-if result into the charts' sources and the key-figure cards."""
        lang: Lang = self.state.lang
        years = ds["year"].to_numpy()
        with pn.io.hold():
            for var, _, dec, unit in CHARTS:
                if var in self.sources and var in ds:
                    values = ds[var].isel(scenario=0).to_numpy()
                    data = line_data(years, values, t("whatif", lang), lang, dec, unit)
                    self.sources[var].data = data
            self.cards.object = self.cards_html(ds)

    def cards_html(self, ds: xr.Dataset) -> str:
        """Return the what-if key figures with their change from the baseline."""
        lang: Lang = self.state.lang
        results = self.state.results
        target = float(results.attrs.get("vttg_target", 1.2))
        last = int(results["year"][-1])
        base = summary(results.sel(scenario=[self.state.scenario]), target)
        new = summary(ds, target)
        tgt = fmt_number(target, 1, lang)
        spec = [
            ("vttg_end", t("vttg_in", lang, year=last), 2, ""),
            ("vttg_year", t("year_vttg_target", lang, target=tgt), 0, "year"),
            ("need_end", t("need_in", lang, year=last), 0, " MNOK"),
            ("area_end", t("area_in", lang, year=last), 0, " m²"),
            ("liquidity_min", t("min_liquidity", lang), 0, " MNOK"),
        ]
        html = []
        for key, title, dec, unit in spec:
            if key not in base:
                continue
            v, b = new.get(key, np.nan), base[key]
            if unit == "year":
                value = t("never", lang, year=last) if np.isnan(v) else str(int(v))
                detail = t("baseline", lang) + ": " + ("–" if np.isnan(b) else str(int(b)))
            elif np.isnan(v):
                value, detail = "…", t("baseline", lang) + f": {fmt_number(b, dec, lang)}{unit}"
            else:
                d = v - b
                value = fmt_number(v, dec, lang) + unit
                detail = (
                    f"{t('baseline', lang)}: {fmt_number(b, dec, lang)}{unit} "
                    f"({'+' if d > 0 else ''}{fmt_number(d, dec, lang)})"
                )
            html.append(kpi_html(title, value, detail, None, lang, test_id=f"whatif-{key}"))
        return '<div style="display:flex;flex-wrap:wrap;gap:6px">' + "".join(html) + "</div>"

    def chart(self, var: str, title_key: str, dec: int, unit: str):
        """Return a chart of the baseline and the what-if of one region variable."""
        lang: Lang = self.state.lang
        results = self.state.results.sel(scenario=self.state.scenario)
        fig = new_figure(t(title_key, lang), var_label(var, lang), lang, name=f"whatif-{var}")
        values = results[var].to_numpy()
        srcs = add_lines(
            fig,
            results["year"].to_numpy(),
            {t("baseline", lang): values, t("whatif", lang): values},
            {t("baseline", lang): BASE_COLOUR, t("whatif", lang): WHATIF_COLOUR},
            lang,
            decimals=dec,
            unit=unit,
            dashes={t("baseline", lang): "dashed"},
        )
        src = srcs[t("whatif", lang)]
        src.name = f"whatif-src-{var}"
        self.sources[var] = src
        self.base_sources[var] = (srcs[t("baseline", lang)], dec, unit)
        add_target(fig, self.state.results, var, lang)
        return fig

    def build(self, state: SessionState | None = None) -> pn.Column:
        """Return the page for the chosen scenario, in the session's language.

        The charts are made once per language (and set of variables); a new scenario or
        register only replaces their data, so the browser keeps the same plots.
        """
        lang: Lang = self.state.lang
        key = (lang, tuple(v for v, *_ in CHARTS if v in self.state.results))
        self.intro.object = t(
            "whatif_intro", lang, scenario=scenario_name(self.state.scenario, lang)
        )
        if self.layout is not None and key == self.built_for:
            self.rebase()
            self.reset()
            return self.layout
        self.built_for = key
        self.extra.label = t("extra_maintenance", lang)
        self.from_year.label = t("from_year", lang)
        self.policy.options = {
            t("worst_first", lang): "worst_first",
            t("best_value", lang): "best_value",
        }
        self.shift.label = t("disposal_shift", lang)
        self.reset_button.label = t("reset", lang)
        for c in self.controls:
            self.sliders[c.name].label = c.label(lang)
        self.sources, self.base_sources = {}, {}
        figs = [self.chart(*spec) for spec in CHARTS if spec[0] in self.state.results]
        self.reset()
        controls = [
            self.extra,
            self.from_year,
            pn.pane.Markdown(t("policy", lang), margin=(0, 10)),
            self.policy,
            self.shift,
            *self.sliders.values(),
        ]
        if not self.sliders:
            note = pn.pane.Markdown(
                t("finance_sliders_later", lang), width=300, styles={"font-size": "12px"}
            )
            controls.append(note)
        controls.append(self.reset_button)
        grid = pn.GridBox(
            *[pn.pane.Bokeh(f, sizing_mode="stretch_width") for f in figs],
            ncols=2,
            sizing_mode="stretch_width",
        )
        self.layout = pn.Column(
            self.intro,
            self.error,
            pn.Row(
                pn.Column(*controls, width=330),
                pn.Column(self.cards, grid, sizing_mode="stretch_width"),
                sizing_mode="stretch_width",
            ),
            sizing_mode="stretch_width",
        )
        return self.layout

    def rebase(self) -> None:
        """Put the chosen scenario's results into the baseline lines."""
        lang: Lang = self.state.lang
        results = self.state.results.sel(scenario=self.state.scenario)
        years = results["year"].to_numpy()
        with pn.io.hold():
            for var, (src, dec, unit) in self.base_sources.items():
                values = results[var].to_numpy()
                src.data = line_data(years, values, t("baseline", lang), lang, dec, unit)
