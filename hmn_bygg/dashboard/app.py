"""Compose the dashboard of one browser session: a sidebar and the page tabs.

:func:`create_app` is called once per session (``panel serve`` runs the app script per
session; :func:`hmn_bygg.dashboard.server.serve` passes the function itself), so every
session has its own :class:`~hmn_bygg.dashboard.state.SessionState`.
"""

from __future__ import annotations

import html
import io
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

import panel as pn

from hmn_bygg.core.errors import InputError
from hmn_bygg.core.fmt import fmt_number
from hmn_bygg.core.messages import render
from hmn_bygg.core.paths import BRIEF_PDF
from hmn_bygg.dashboard import page_js, sessions
from hmn_bygg.dashboard.brief_link import brief_pdf_async
from hmn_bygg.dashboard.components import note, rule
from hmn_bygg.dashboard.pages import (
    area,
    assumptions,
    buildings,
    condition,
    finance,
    overview,
    progress,
    risk,
    scenarios,
)
from hmn_bygg.dashboard.pages.best_plan import BestPlanPage
from hmn_bygg.dashboard.pages.whatif import WhatIfPage
from hmn_bygg.dashboard.saved_watch import SavedWatch
from hmn_bygg.dashboard.slots import is_placeholder, new_slots, one_update, placeholder, served
from hmn_bygg.dashboard.state import SessionState
from hmn_bygg.dashboard.text import region_name, scenario_name, t
from hmn_bygg.dashboard.upload import read_uploaded_register, upload_css

if TYPE_CHECKING:
    import xarray as xr

PAGE_KEYS = (
    "overview",
    "condition",
    "area",
    "finance",
    "scenarios",
    "whatif",
    "risk",
    "assumptions",
    "buildings",
    "best_plan",
    "progress",
)
SIDEBAR_CSS = ":host { background: #f4f6f8; border-right: 1px solid #dde2e7; }"
# The page's own background carries the sidebar's colour down the whole page, however long
# the page beside it is (the layout boxes themselves are only as tall as the window).
PAGE_CSS = (
    "body { background: linear-gradient(to right, #f4f6f8 0, #f4f6f8 260px,"
    " #dde2e7 260px, #dde2e7 261px, #ffffff 261px); }"
)
# A narrow alert: its text stays inside its padding (Panel sets the inner width to the pane's).
ALERT_CSS = (
    "div { width: auto !important; max-width: 100%; min-width: 0 !important; }"
    " ul { padding-left: 18px; }"
)
HEADER_CSS = (
    ":host { background: #00509e; color: white; } h1 { margin: 8px 16px; font-size: 22px; }"
)


class Dashboard:
    """The layout of one session: sidebar (scenario, language, register, brief) and tabs."""

    def __init__(self, state: SessionState) -> None:
        self.state = state
        self.whatif = WhatIfPage(state)
        self.best_plan = BestPlanPage(state)
        self.builders: dict[str, Callable[[SessionState], Any]] = {
            "overview": overview.build,
            "condition": condition.build,
            "area": area.build,
            "finance": finance.build,
            "scenarios": scenarios.build,
            "whatif": self.whatif.build,
            "risk": risk.build,
            "assumptions": assumptions.build,
            "buildings": buildings.build,
            "best_plan": self.best_plan.build,
            "progress": progress.build,
        }
        self.served = served()
        self.slots = new_slots(PAGE_KEYS, state.lang if self.served else None)
        self.stale = set(PAGE_KEYS)
        self.epoch = 0  # raised when every page goes stale; a page built for an older is dropped
        self.tabs = self.new_tabs(0)
        self.tab_holder = pn.Column(self.tabs, sizing_mode="stretch_width")
        self.scenario = pn.widgets.Select(width=230)
        self.scenario.param.watch(lambda e: setattr(state, "scenario", e.new), "value")
        self.lang = pn.widgets.RadioButtonGroup(
            options={"Bokmål": "nb", "English": "en"}, value=state.lang, width=230
        )
        self.lang.param.watch(lambda e: setattr(state, "lang", e.new), "value")
        self.prices = pn.widgets.RadioButtonGroup(
            options=["nominal", "real:2026"],
            value=str(state.results.attrs.get("prices", "nominal")),
            width=230,
            css_classes=["prices-switch"],
        )
        self.prices.param.watch(self.on_prices, "value")
        self.upload = pn.widgets.FileInput(accept=".csv,.xlsx", multiple=True, width=230)
        self.upload.param.watch(self.on_upload, "value")
        self.reset_register = pn.widgets.Button(color="light", width=230, visible=False)
        self.reset_register.on_click(self.on_reset_register)
        self.upload_msg = pn.pane.Alert(
            "",
            visible=False,
            width=230,
            stylesheets=[ALERT_CSS],
            styles={"overflow-wrap": "anywhere"},
        )
        self.register_info = pn.pane.Markdown(width=230)
        # the last upload: its problems, the register it gave, or None (shown in the alert)
        self.upload_outcome: InputError | xr.Dataset | None = None
        self.labels = {
            k: pn.pane.Markdown(margin=(8, 10, 0, 10)) for k in ("scenario", "language", "register")
        }
        self.upload_help = pn.pane.Markdown(width=230, styles={"font-size": "12px"})
        self.download = pn.widgets.FileDownload(
            callback=self.brief_pdf,
            filename=BRIEF_PDF,
            color="primary",
            width=230,
        )
        self.title = pn.pane.HTML(sizing_mode="stretch_width", stylesheets=[HEADER_CSS], margin=0)
        state.param.watch(self.on_state, ["results", "scenario", "lang"])
        state.param.watch(self.on_saved, "saved")
        self.saved_watch = SavedWatch(state).start()  # scenarios saved meanwhile come in
        self.relabel()
        self.show(0)

    # -- events ---------------------------------------------------------------------------
    def on_state(self, *events: Any) -> None:
        """Mark every page stale; relabel on a language change; redraw the visible page."""
        with one_update():
            self.stale = set(PAGE_KEYS)
            self.epoch += 1
            if any(e.name in ("lang", "results") for e in events):
                self.relabel()
            elif self.served:  # a page not shown keeps no stale figure: its placeholder
                for i, key in enumerate(PAGE_KEYS):
                    if i != self.tabs.active:
                        self.slots[key].objects = [placeholder(key, self.state.lang)]
            self.show(self.tabs.active)

    def on_saved(self, *_: Any) -> None:
        """List the scenarios saved meanwhile in the sidebar (no page is drawn again)."""
        self.scenario.options = self.scenario_options()

    def scenario_options(self) -> dict[str, str]:
        """The sidebar's scenarios: display name -> scenario name, in file order."""
        lang, labels = self.state.lang, self.state.labels
        return {scenario_name(n, lang, labels): n for n in self.state.scenario_names}

    def show(self, index: int) -> None:
        """Show the page at tab ``index``, built afresh if it is stale.

        In a served session the slot shows a placeholder at once (sent to the browser when
        this event's changes are) and the page is built in the next tick of the event loop,
        so a tab is never blank while its page is built. Outside a session it is built here.
        """
        key = PAGE_KEYS[index]
        if key not in self.stale:
            return
        self.stale.discard(key)
        if not self.served:
            self.slots[key].objects = [self.builders[key](self.state)]
            return
        if not is_placeholder(self.slots[key]):
            self.slots[key].objects = [placeholder(key, self.state.lang)]
        pn.state.execute(partial(self.fill, index, self.epoch), schedule=True)

    def fill(self, index: int, epoch: int) -> None:
        """Build the page at tab ``index`` into its slot, unless it went out of date.

        A page asked for before the last change of scenario, language or register (an older
        ``epoch``) was made stale again by it; a page no longer shown is built when it is
        shown again (its slot keeps the placeholder meanwhile).
        """
        key = PAGE_KEYS[index]
        if epoch != self.epoch:
            return
        if self.tabs.active != index:
            self.stale.add(key)
            return
        page = self.builders[key](self.state)
        if epoch == self.epoch and key not in self.stale:
            with one_update():
                self.slots[key].objects = [page]

    def on_prices(self, event) -> None:
        """Show every page's money in the chosen price basis (one switch for the session)."""
        from hmn_bygg.finance.price_basis import index_for, reprice

        model = next(iter(self.state.models.values()))
        self.state.results = reprice(self.state.results, event.new, index_for(model))

    def relabel(self) -> None:
        """Set every label of the sidebar and the tab titles in the session's language."""
        lang = self.state.lang
        # Bokeh keeps a tab's first title while its content is unchanged, so new titles need
        # new tabs. Every page is built again when it is shown (:meth:`show`), so the new tabs
        # hold new, empty page slots, and they come first: the browser drops the old pages in
        # one step, before the labels below change (each change lays the page out again; with
        # every page visited once and kept, a language change took 10–25 s), and then lays
        # out only the visible page, built afresh.
        self.stale = set(PAGE_KEYS)
        self.epoch += 1
        self.slots = new_slots(PAGE_KEYS, lang if self.served else None)
        self.tabs = self.new_tabs(self.tabs.active)
        self.tab_holder.objects = [self.tabs]
        self.title.object = f"<h1>{t('app_title', lang, region=region_name(lang))}</h1>"
        self.labels["scenario"].object = f"**{t('scenario', lang)}**"
        self.labels["language"].object = f"**{t('language', lang)}**"
        self.prices.options = {
            t("prices_nominal", lang): "nominal",
            t("prices_real", lang): "real:2026",
        }
        self.labels["register"].object = f"**{t('register', lang)}**"
        self.scenario.options = self.scenario_options()
        self.scenario.value = self.state.scenario
        self.upload_help.object = t("upload", lang) + "  \n" + t("upload_help", lang)
        self.upload.stylesheets = [upload_css(t("choose_files", lang))]  # not the browser's words
        self.reset_register.label = t("reset_register", lang)
        self.download.label = t("brief", lang)
        self.download.filename = BRIEF_PDF
        origin = (
            "bundled_register" if self.state.register_origin == "bundled" else "uploaded_register"
        )
        reg = self.state.register
        self.register_info.object = (
            f"{t(origin, lang)}: {reg.sizes['building']} bygg, "
            f"{fmt_number(float(reg['floor_area'].sum()), 0, lang)} m²"
            if lang == "nb"
            else f"{t(origin, lang)}: {reg.sizes['building']} buildings, "
            f"{fmt_number(float(reg['floor_area'].sum()), 0, lang)} m²"
        )
        self.show_upload_outcome()

    def new_tabs(self, active: int) -> pn.Tabs:
        """Return tabs around the page slots, titled in the session's language."""
        lang = self.state.lang
        tabs = pn.Tabs(
            *[(t(f"page_{k}", lang), self.slots[k]) for k in PAGE_KEYS],
            active=active,
            sizing_mode="stretch_width",
            margin=(0, 10),
        )
        tabs.param.watch(lambda e: self.show(e.new), "active")
        return tabs

    def on_upload(self, event: Any) -> None:
        """Read an uploaded register; show its problems in an alert, or use it."""
        values = event.new if isinstance(event.new, list) else [event.new]
        names = self.upload.filename
        names = names if isinstance(names, list) else [names]
        if not values or values == [None]:
            return
        try:
            register = read_uploaded_register(list(zip(names, values, strict=False)))
            self.state.use_register(register, "uploaded")
        except InputError as err:
            self.upload_outcome = err
            self.show_upload_outcome()
            return
        self.upload_outcome = register
        self.show_upload_outcome()
        self.reset_register.visible = True

    def show_upload_outcome(self) -> None:
        """Show the last upload's problems or success in the session's language (or nothing)."""
        outcome, lang = self.upload_outcome, self.state.lang
        if outcome is None:
            self.upload_msg.visible = False
        elif isinstance(outcome, InputError):
            lines = "\n".join(f"- {html.escape(p.render(lang))}" for p in outcome.problems)
            title = html.escape(str(render(outcome.title, lang)))
            self.upload_msg.object = f"**{t('upload_bad', lang)}.** {title}:\n\n{lines}"
            self.upload_msg.alert_type = "danger"
            self.upload_msg.visible = True
        else:
            area = fmt_number(float(outcome["floor_area"].sum()), 0, lang)
            message = t("upload_ok", lang, n=outcome.sizes["building"], area=area)
            notes = [n.render(lang) for n in outcome.attrs.get("notes", [])]
            if notes:  # hidden sheets skipped, hidden rows, links: what the reader saw
                message += "\n\n" + "\n".join(f"- {html.escape(n)}" for n in notes)
            self.upload_msg.object = message
            self.upload_msg.alert_type = "success"
            self.upload_msg.visible = True

    def on_reset_register(self, *_: Any) -> None:
        """Go back to the bundled register."""
        self.state.use_register(self.state.bundled_register, "bundled")
        self.upload_outcome = None
        self.show_upload_outcome()
        self.reset_register.visible = False

    async def brief_pdf(self) -> io.BytesIO:
        """Return the board brief of the current results as a PDF (printed off the loop)."""
        lang = self.state.lang
        labels = {n: scenario_name(n, lang, self.state.labels) for n in self.state.scenario_names}
        pdf = await brief_pdf_async(
            self.state.results, lang, models=self.state.models, labels=labels
        )
        return io.BytesIO(pdf)

    # -- layout ---------------------------------------------------------------------------
    def layout(self) -> pn.Column:
        """Return the whole page."""
        sidebar = pn.Column(
            self.labels["scenario"],
            self.scenario,
            self.labels["language"],
            self.lang,
            self.prices,
            self.labels["register"],
            self.register_info,
            self.upload_help,
            self.upload,
            self.upload_msg,
            self.reset_register,
            rule(),
            self.download,
            width=260,
            stylesheets=[SIDEBAR_CSS],
            sizing_mode="stretch_height",
        )
        return pn.Column(
            self.title,
            pn.Row(sidebar, self.tab_holder, sizing_mode="stretch_both"),
            sizing_mode="stretch_both",
        )


def create_app(model_path: str | None = None, scenarios_path: str | None = None) -> pn.Column:
    """Build the dashboard for one browser session.

    Parameters
    ----------
    model_path : str, optional
        Model file (default: the bundled model); never taken from the browser.
    scenarios_path : str, optional
        Scenario file (default beside the model), e.g. the user scenarios file.

    Returns
    -------
    panel.Column
        The page; call ``.servable()`` on it in an app script.
    """
    pn.extension("tabulator", inline=True, raw_css=[PAGE_CSS])
    sessions.serve_stylesheets_here(pn.state.curdoc)
    sessions.track(pn.state.curdoc)
    page_js.install(pn.state.curdoc)
    try:
        state = SessionState(model_path, scenarios_path)
    except InputError as err:
        return pn.Column(note(f"```\n{err}\n```", "danger"))
    return Dashboard(state).layout()
