"""Hva om: change assumptions and re-run the model live against the session's register.

The charts are made once and keep their Bokeh sources; a change replaces only the values
(``y``; the browser formats the hover text) of the lines that changed, so the browser only
redraws them. The four charts share one legend in the page (HTML, drawn once) instead of a
legend each that the browser would draw again at every repaint.
The model runs off the server loop (:class:`~hmn_bygg.dashboard.whatif_run.WhatIfRuns`:
condition and area, then the long-term budget booked on that same simulation, in one
piece); a burst of changes runs the model once, for the last value, and a change that only
the budget sees books the kept simulation. From a change until its result is shown the page
is busy (:class:`~hmn_bygg.dashboard.busy.Busy`: a status line and greyed cards).

The key-figure cards carry what they were computed for (``data-scenario``, ``data-extra``,
``data-gen``, ``data-step`` = ``condition`` or ``full``;
:func:`~hmn_bygg.dashboard.whatif_cards.cards_html`), so tests and benchmarks can wait for
exactly the result of their input.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import panel as pn
import xarray as xr

from hmn_bygg.core.errors import InputError
from hmn_bygg.core.fmt import Lang
from hmn_bygg.core.targets import target_vttg
from hmn_bygg.dashboard import whatif_inputs as wi
from hmn_bygg.dashboard.busy import Busy
from hmn_bygg.dashboard.charts import (
    add_lines,
    add_target,
    line_data,
    new_figure,
    number_formatter,
)
from hmn_bygg.dashboard.components import CARD_CSS, legend_html
from hmn_bygg.dashboard.save_whatif import SaveWhatIf
from hmn_bygg.dashboard.state import SessionState
from hmn_bygg.dashboard.text import scenario_name, t, var_label
from hmn_bygg.dashboard.whatif_cards import cards_html, summary
from hmn_bygg.dashboard.whatif_run import WhatIfRuns

BASE_COLOUR, WHATIF_COLOUR = "#4d4d4d", "#d95f02"
BASE_WIDTH, WHATIF_WIDTH = 2.0, 3.5  # line widths [px]


CHARTS: tuple[tuple[str, str, int, str], ...] = (  # variable, title key, decimals, unit
    ("vttg_region", "whatif_vttg", 2, ""),
    ("upgrade_need_region", "whatif_need", 0, "MNOK"),
    ("area_region", "whatif_area", 0, "m²"),
    ("liquidity_region", "whatif_liq", 0, "MNOK"),
)


class IntSlider(pn.widgets.IntSlider):
    """An integer slider whose changes reach the server without Panel's 50 ms debounce."""

    _debounce = 0  # Panel waits this long [ms] before it handles a change from the browser


class FloatSlider(pn.widgets.FloatSlider):
    """A float slider whose changes reach the server without Panel's 50 ms debounce."""

    _debounce = 0


class WhatIfPage:
    """The what-if page of one session: its widgets, charts and the live re-run."""

    def __init__(self, state: SessionState) -> None:
        self.state = state
        years = [int(y) for y in state.results["year"].to_numpy()]
        self.extra = IntSlider(
            start=0, end=600, step=10, value=0, width=300, css_classes=["whatif-extra"]
        )
        plan = int(state.results.attrs.get("plan_start", years[1]))  # decisions from here
        self.from_year = IntSlider(start=plan, end=years[-1], value=plan, width=300)
        self.policy = pn.widgets.RadioButtonGroup(options=["worst_first", "best_value"], width=300)
        self.shift = IntSlider(start=-5, end=5, value=0, width=300, css_classes=["whatif-shift"])
        self.controls = [c for c in wi.CONTROLS if c.available()]
        self.sliders: dict[str, Any] = {
            c.name: FloatSlider(
                start=c.start, end=c.end, step=c.step, width=300, css_classes=[f"whatif-{c.name}"]
            )
            for c in self.controls
        }
        self.reset_button = pn.widgets.Button(color="light", width=300)
        self.reset_button.on_click(self.reset)
        self.keep = SaveWhatIf(state, self.overrides)
        self.error = pn.pane.Alert("", alert_type="danger", visible=False)
        self.cards = pn.pane.HTML("", stylesheets=[CARD_CSS], margin=0)
        self.legend = pn.pane.HTML("", margin=(6, 10, 0, 10))  # one legend for the charts
        self.busy = Busy("whatif", [self.cards])
        self.sources: dict[str, Any] = {}
        self.base_sources: dict[str, tuple[Any, int, str]] = {}
        self.layout: pn.Column | None = None
        self.built_for: tuple[str, tuple[str, ...]] | None = None
        self.intro = pn.pane.Markdown(sizing_mode="stretch_width")
        self.runs = WhatIfRuns(state, self._show, self._fail)
        self._stamp: dict[str, Any] = {}
        self._shown: dict[str, np.ndarray] = {}  # the what-if values each line shows
        self._updating = False
        self._base_summary: tuple[xr.Dataset, dict[str, float]] | None = None
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
        """Re-run the model with the controls' values (:class:`WhatIfRuns`), busy until done."""
        if self._updating or not self.sources:
            return
        lang: Lang = self.state.lang
        try:
            overrides = self.overrides()
        except InputError as err:
            self._fail(self.runs.cancel(), err)
            return
        gen = self.runs.generation + 1
        self._stamp = {"scenario": self.state.scenario, "extra": int(self.extra.value), "gen": gen}
        self.busy.busy(gen, lang)  # until the last step of this generation lands
        self.runs.start(overrides)

    def _show(self, gen: int, ds: xr.Dataset) -> None:
        """Show the result of generation ``gen`` (:class:`WhatIfRuns` calls it on the loop)."""
        self.show_error(None)
        self.push(ds, self._stamp)

    def _fail(self, gen: int, err: Exception) -> None:
        """Show why generation ``gen`` cannot run; the page is no longer busy."""
        self.show_error(err)
        self.busy.ready(gen, self.state.lang)

    def show_error(self, err: Exception | None) -> None:
        """Show an error of the what-if inputs (or hide the alert)."""
        if err is None:
            if self.error.visible:
                self.error.visible = False
            return
        text = err.render(self.state.lang) if isinstance(err, InputError) else str(err)
        self.error.object = text.replace("\n", "  \n")
        self.error.visible = True

    def push(self, ds: xr.Dataset, stamp: dict | None = None, done: bool = True) -> None:
        """Put a what-if result into the charts' sources and the key-figure cards.

        Only the lines whose values changed are sent, and of them only the ``y`` values (the
        years and the series name stay): a change of the loan rate sends the liquidity line
        and the cards, not the condition lines.

        Parameters
        ----------
        ds : xr.Dataset
            One scenario's results (condition only, or with the finances).
        stamp : dict, optional
            What the result was computed for (scenario, extra maintenance, generation).
        done : bool
            Whether this is the last step of the update.
        """
        lang: Lang = self.state.lang
        years = ds["year"].to_numpy()
        with pn.io.hold():
            for var, _, dec, unit in CHARTS:
                if var in self.sources and var in ds:
                    values = ds[var].isel(scenario=0).to_numpy()
                    self._set_line(var, years, values, dec, unit)
            self.cards.object = self.cards_html(ds, stamp, done)
            if done:
                self.busy.ready(int((stamp or {}).get("gen", self.runs.generation)), lang)

    def _set_line(self, var: str, years: np.ndarray, values: np.ndarray, dec: int, unit: str):
        """Update the what-if line of ``var`` in place when its values changed.

        The browser formats the hover text (:func:`~hmn_bygg.dashboard.charts.hover_number`),
        so only the ``y`` values go (as one binary array) when the years stay.
        """
        shown = self._shown.get(var)
        if shown is not None and np.array_equal(shown, values, equal_nan=True):
            return
        src = self.sources[var]
        y = np.array(values, dtype=float)
        if np.array_equal(np.asarray(src.data.get("x", [])), years):
            src.data.update(y=y)
        else:
            lang: Lang = self.state.lang
            src.data = line_data(years, y, t("whatif", lang), lang, dec, unit, text=False)
        self._shown[var] = y

    def base_summary(self, target: float) -> dict[str, float]:
        """The baseline's key figures (kept with the baseline results they are from)."""
        base = self.runs.baseline()
        if self._base_summary is None or self._base_summary[0] is not base:
            self._base_summary = (base, summary(base, target))
        return self._base_summary[1]

    def cards_html(self, ds: xr.Dataset, stamp: dict | None = None, done: bool = True) -> str:
        """Return the what-if key figures with their change from the baseline."""
        results = self.state.results
        target = target_vttg(results)
        return cards_html(
            summary(ds, target),
            self.base_summary(target),
            target=target,
            last_year=int(results["year"][-1]),
            lang=self.state.lang,
            stamp=stamp,
            done=done,
        )

    def chart(self, var: str, title_key: str, dec: int, unit: str):
        """Return a chart of the baseline and the what-if of one region variable."""
        lang: Lang = self.state.lang
        results = self.state.results.sel(scenario=self.state.scenario)
        fig = new_figure(
            t(title_key, lang), var_label(var, lang), lang, name=f"whatif-{var}", legend=False
        )
        # the browser fits the ranges to every update; nothing here reads them back, so they
        # are not sent to the server (a message per update, and work on the server loop)
        fig.x_range.syncable = fig.y_range.syncable = False
        values = results[var].to_numpy()
        base, what = t("baseline", lang), t("whatif", lang)
        # The what-if first and the dashed baseline on top of it: where the two are equal
        # (no change yet, or years before the change) the baseline still shows.
        srcs = add_lines(
            fig,
            results["year"].to_numpy(),
            {what: values, base: values},
            {base: BASE_COLOUR, what: WHATIF_COLOUR},
            lang,
            decimals=dec,
            unit=unit,
            dashes={base: "dashed"},
            widths={what: WHATIF_WIDTH, base: BASE_WIDTH},
            browser_text=True,
            legend=False,  # the page's one legend (self.legend): a plot's own is redrawn each time
        )
        src = srcs[what]
        src.name = f"whatif-src-{var}"
        self.sources[var] = src
        srcs[base].name = f"whatif-src-base-{var}"
        self.base_sources[var] = (srcs[base], dec, unit)
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
            "whatif_intro",
            lang,
            scenario=scenario_name(self.state.scenario, lang, self.state.labels),
        )
        if self.layout is not None and key == self.built_for:
            self.rebase()
            self.reset()
            return self.layout
        self.built_for = key
        self.extra.label = t("extra_maintenance", lang)
        self.from_year.label = t("from_year", lang)
        self.policy.options = {t(p, lang): p for p in ("worst_first", "best_value")}
        self.shift.label = t("disposal_shift", lang)
        self.reset_button.label = t("reset", lang)
        for c in self.controls:
            self.sliders[c.name].label = c.label(lang)
        for slider in (self.extra, self.shift, *self.sliders.values()):
            slider.format = number_formatter(lang)  # 4 300 and 2,5 in bokmål
        self.sources, self.base_sources, self._shown = {}, {}, {}
        figs = [self.chart(*spec) for spec in CHARTS if spec[0] in self.state.results]
        self.legend.object = legend_html(
            [
                (t("baseline", lang), BASE_COLOUR, "dashed", BASE_WIDTH),
                (t("whatif", lang), WHATIF_COLOUR, "solid", WHATIF_WIDTH),
            ]
        )
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
        controls += [self.reset_button, *self.keep.widgets()]
        panes = [pn.pane.Bokeh(f, sizing_mode="stretch_width") for f in figs]
        # the cards grey out while busy; not the Bokeh panes: a loading change re-renders a
        # Bokeh pane, and the booked result then never reached the browser
        grid = pn.GridBox(*panes, ncols=2, sizing_mode="stretch_width")
        self.layout = pn.Column(
            self.intro,
            self.error,
            pn.Row(
                pn.Column(*controls, width=330),
                pn.Column(
                    self.busy.status, self.cards, self.legend, grid, sizing_mode="stretch_width"
                ),
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
                src.data = line_data(
                    years, values, t("baseline", lang), lang, dec, unit, text=False
                )
