"""Risiko: fan charts, probabilities and drivers from a Monte Carlo ensemble of one scenario.

The page runs :func:`hmn_bygg.risk.ensemble.run_ensemble` for the session's scenario on the
session's register when asked ("Beregn usikkerhet"), with 100 to 10 000 draws
(:data:`DRAW_CHOICES`) and a seed the user may change (default :data:`SEED`), so the same choice
always gives the same figures. The ensemble runs in a worker thread (:func:`risk_pool`, one
thread shared by every session of the server), awaited by a coroutine on the server loop that
holds no document lock: the loop stays free for other sessions meanwhile, the worker reads only
the shared read-only baseline (or the session's own register) and never touches the document,
and the result is put into the page by a callback on the loop.

Summaries are kept in a small shared LRU (:data:`CACHE_SIZE` entries) by scenario, draws, seed
and the identity of the model and register they were computed from, so a re-visit, a language
change or another session asking for the same thing is instant.

The Bokeh sources of the bands are named ``risk-vttg-band`` and ``risk-liquidity-<HF>-band``
(columns ``x``, ``p10``, ``p50``, ``p90``) so that browser tests can read them.
"""

from __future__ import annotations

import concurrent.futures
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from html import escape
from typing import Any

import pandas as pd
import panel as pn
import xarray as xr

from hmn_bygg.config import Model
from hmn_bygg.core.fmt import Lang, fmt_number
from hmn_bygg.dashboard.components import note
from hmn_bygg.dashboard.pages.risk_charts import (
    QUANTILES,
    TABLE_CSS,
    drivers_table,
    liquidity_chart,
    probability_table,
    project_names,
    vttg_chart,
)
from hmn_bygg.dashboard.state import SessionState
from hmn_bygg.dashboard.text import scenario_name, t
from hmn_bygg.dashboard.workers import run_in_worker, worker_pool

DRAW_CHOICES: tuple[int, ...] = (100, 200, 500, 1000, 2000, 5000, 10000)
DEFAULT_DRAWS = 200
SEED = 2018
CACHE_SIZE = 16
RISK_WORKERS = 1  # threads that run ensembles, shared by every session of the server

_CACHE: OrderedDict[tuple, tuple[Model, xr.Dataset, RiskResult]] = OrderedDict()
_CACHE_LOCK = threading.Lock()


@dataclass(frozen=True)
class RiskResult:
    """What the page shows of one ensemble.

    Attributes
    ----------
    summary : xr.Dataset
        :func:`hmn_bygg.risk.summary.summarize` of the one scenario (no ``scenario`` dim).
    drivers : dict of str to pandas.DataFrame
        :func:`hmn_bygg.risk.summary.tornado` of regional VTTG (``"vttg"``) and, with the
        long-term budget, of regional liquidity (``"liquidity"``) in the last year.
    seconds : float
        Time the ensemble and its summary took [s].
    """

    summary: xr.Dataset
    drivers: dict[str, pd.DataFrame]
    seconds: float


def risk_pool() -> concurrent.futures.ThreadPoolExecutor:
    """The threads that run ensembles (:func:`hmn_bygg.dashboard.workers.worker_pool`)."""
    return worker_pool("risk", RISK_WORKERS)


def cache_key(model: Model, register: xr.Dataset, scenario: str, draws: int, seed: int) -> tuple:
    """The LRU key of an ensemble (the model and register by identity: they are immutable)."""
    return (scenario, int(draws), int(seed), id(model), id(register))


def cached(key: tuple) -> RiskResult | None:
    """Return the cached result of ``key`` (and mark it recently used), or None."""
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
        if hit is None:
            return None
        _CACHE.move_to_end(key)
        return hit[2]


def compute(
    model: Model, register: xr.Dataset, scenario: str, draws: int, seed: int = SEED
) -> RiskResult:
    """Run and summarise an ensemble of one scenario; cache it. Reads only its arguments.

    Parameters
    ----------
    model : Model
        The scenario's validated model (its ``uncertainty:`` declarations are the inputs).
    register : xr.Dataset
        The register (without the scenario's new buildings; they are added here).
    scenario : str
        The scenario's name.
    draws : int
        Number of draws.
    seed : int
        Seed of the draws.

    Returns
    -------
    RiskResult
    """
    from hmn_bygg.risk.ensemble import run_ensemble
    from hmn_bygg.risk.summary import summarize, tornado

    key = cache_key(model, register, scenario, draws, seed)
    hit = cached(key)
    if hit is not None:
        return hit
    start = time.perf_counter()
    ens = run_ensemble({scenario: model}, register, draws, seed, quiet=True)
    summary = summarize(ens, QUANTILES).sel(scenario=scenario)
    last = int(ens["year"][-1])
    drivers = {"vttg": tornado(ens["uncertain_input"], ens["vttg_region"], last)}
    if "liquidity_region" in ens:
        drivers["liquidity"] = tornado(ens["uncertain_input"], ens["liquidity_region"], last)
    result = RiskResult(summary, drivers, time.perf_counter() - start)
    with _CACHE_LOCK:
        _CACHE[key] = (model, register, result)  # the objects keep their ids unique
        _CACHE.move_to_end(key)
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return result


def has_uncertain_inputs(model: Model, scenario: str) -> bool:
    """Whether the scenario declares any uncertain input."""
    from hmn_bygg.risk.inputs import uncertain_inputs

    return bool(uncertain_inputs({scenario: model}))


# -- the page -----------------------------------------------------------------------------------
class RiskPage:
    """The risk page of one session: draws, the button, the busy indicator and the results."""

    def __init__(self, state: SessionState) -> None:
        self.state = state
        self.draws = pn.widgets.RadioButtonGroup(
            options={fmt_number(d): d for d in DRAW_CHOICES}, value=DEFAULT_DRAWS, width=400
        )
        self.draws_label = pn.pane.Markdown(margin=(12, 10, 0, 10))
        self.seed = pn.widgets.IntInput(
            value=SEED, start=0, end=2**32 - 1, step=1, width=120, css_classes=["risk-seed"]
        )
        self.button = pn.widgets.Button(color="primary", width=200, css_classes=["risk-run"])
        self.button.on_click(self.run)
        self.spinner = pn.indicators.LoadingSpinner(
            value=True, size=28, visible=False, margin=(8, 10)
        )
        self.status = pn.pane.HTML("", margin=(12, 10, 0, 10))
        self.intro = pn.pane.Markdown(sizing_mode="stretch_width")
        self.error = pn.pane.Alert("", alert_type="danger", visible=False)
        self.output = pn.Column(sizing_mode="stretch_width")
        self.running: tuple | None = None
        self.draws.param.watch(lambda *_: self.refresh(), "value")
        self.seed.param.watch(lambda *_: self.refresh(), "value")
        self.layout = pn.Column(
            self.intro,
            pn.Row(self.draws_label, self.draws, self.seed, self.button, self.spinner, self.status),
            self.error,
            self.output,
            sizing_mode="stretch_width",
        )

    def key(self) -> tuple:
        """The cache key of what the page is set to show."""
        s = self.state
        return cache_key(s.model, s.register, s.scenario, int(self.draws.value), self.seed_value())

    def seed_value(self) -> int:
        """The seed in the box (the default when it is emptied)."""
        return SEED if self.seed.value is None else int(self.seed.value)

    def build(self) -> pn.Column:
        """Relabel the page in the session's language and show what is cached for it."""
        lang: Lang = self.state.lang
        name = scenario_name(self.state.scenario, lang, self.state.labels)
        self.intro.object = t("risk_intro", lang, scenario=name)
        self.draws_label.object = f"**{t('risk_draws', lang)}**"
        self.seed.name = t("risk_seed", lang)
        self.button.label = t("risk_run", lang)
        self.refresh()
        return self.layout

    def refresh(self) -> None:
        """Show the cached result of the current choice, or what to do to get one."""
        lang: Lang = self.state.lang
        self.error.visible = False
        if not has_uncertain_inputs(self.state.model, self.state.scenario):
            self.button.disabled = True
            self.output.objects = [note(t("risk_no_inputs", lang), "warning")]
            return
        busy = self.running is not None  # one run at a time per session
        self.spinner.visible = busy
        self.button.disabled = busy
        hit = cached(self.key())
        if hit is not None:
            self.show(hit, fresh=False)
            if busy:
                self.status.object = self.busy_text()
            return
        self.output.objects = [note(t("risk_not_run", lang))]
        self.status.object = self.busy_text() if busy else ""

    def busy_text(self) -> str:
        """The status while a run is going: what it computes."""
        lang: Lang = self.state.lang
        scenario, draws = self.running[:2] if self.running else (self.state.scenario, 0)
        name = scenario_name(scenario, lang, self.state.labels)
        text = t("risk_busy", lang, draws=draws, scenario=name)
        return f'<span data-testid="risk-status" data-state="busy">{escape(text)}</span>'

    def run(self, *_: Any) -> None:
        """Run the ensemble of the current choice in the worker thread (or show the cache)."""
        key = self.key()
        if cached(key) is not None or self.running is not None:
            self.refresh()
            return
        s = self.state
        args = (s.model, s.register, s.scenario, int(self.draws.value), self.seed_value())
        self.running = key
        self.error.visible = False
        self.spinner.visible = True
        self.button.disabled = True
        self.status.object = self.busy_text()

        run_in_worker(risk_pool(), lambda: compute(*args), lambda result: self.done(key, result))

    def done(self, key: tuple, result: RiskResult | Exception) -> None:
        """Take a finished run: show it if the page still shows its choice."""
        self.running = None
        self.spinner.visible = False
        self.button.disabled = False
        if isinstance(result, Exception):
            self.status.object = ""
            self.error.object = f"**{t('risk_failed', self.state.lang)}**\n\n{result}"
            self.error.visible = True
            return
        if key == self.key():
            self.show(result, fresh=True)
        else:
            self.refresh()

    def show(self, result: RiskResult, fresh: bool) -> None:
        """Put a result into the page: fans, probabilities and drivers."""
        s, lang = self.state, self.state.lang
        summary = result.summary
        draws, seed = int(summary.attrs.get("draws", 0)), int(summary.attrs.get("seed", SEED))
        if fresh:
            text = t(
                "risk_done",
                lang,
                draws=draws,
                seed=seed,
                seconds=fmt_number(result.seconds, 1, lang),
            )
        else:
            text = t("risk_cached", lang, draws=draws, seed=seed)
        self.status.object = (
            f'<span data-testid="risk-status" data-state="done" data-draws="{draws}">'
            f"{escape(text)}</span>"
        )
        figs = [vttg_chart(summary, s.results, lang)]
        if "liquidity" in summary:
            figs += [
                liquidity_chart(summary, s.results, s.scenario, str(h), lang)
                for h in summary["hf"].to_numpy()
            ]
        grid = pn.GridBox(
            *[pn.pane.Bokeh(f, sizing_mode="stretch_width") for f in figs],
            ncols=2,
            sizing_mode="stretch_width",
        )
        last = int(summary["year"][-1])
        projects = project_names(s.model)
        drivers: list[Any] = [
            pn.pane.Markdown(
                t("risk_drivers_note", lang, year=last),
                styles={"font-size": "12px"},
                sizing_mode="stretch_width",
            )
        ]
        for name, what, dec, unit, worse in (
            ("vttg", "drivers_vttg", 2, "", True),
            ("liquidity", "drivers_liq", 0, "", False),
        ):
            if name in result.drivers:
                table = drivers_table(
                    result.drivers[name], lang, dec, unit, projects, name, worse, draws
                )
                drivers += [
                    pn.pane.Markdown(f"**{t(what, lang, year=last)}**", margin=(10, 10, 0, 10)),
                    pn.pane.HTML(table, stylesheets=[TABLE_CSS]),
                ]
        self.output.objects = [
            grid,
            pn.pane.Markdown(f"### {t('risk_probs', lang)}"),
            pn.pane.Markdown(t("risk_probs_note", lang), styles={"font-size": "12px"}),
            pn.pane.HTML(probability_table(summary, lang), stylesheets=[TABLE_CSS]),
            pn.pane.Markdown(f"### {t('risk_drivers', lang)}"),
            *drivers,
        ]


def page_for(state: SessionState) -> RiskPage:
    """The risk page of ``state``'s session (made on first use)."""
    page = getattr(state, "_risk_page", None)
    if page is None:
        page = RiskPage(state)
        state._risk_page = page  # lives as long as the session
    return page


def build(state: SessionState) -> pn.Column:
    """Return the risk page of the session."""
    return page_for(state).build()
