"""The what-if page's re-runs without a browser: what is run again, what is sent, and the cards.

The served page runs the model in a worker thread (:mod:`hmn_bygg.dashboard.whatif_run`);
outside a server the same steps run at once, so these tests see every step. The browser
tests (``test_dashboard_browser.py``) check the busy state and the figures in Chromium.
"""

from __future__ import annotations

import numpy as np
import pytest
from bokeh.document import Document

from hmn_bygg.dashboard import whatif_run
from hmn_bygg.dashboard.state import SessionState, book_whatif, run_whatif_model
from hmn_bygg.dashboard.whatif_inputs import condition_key, extra_maintenance

RATE = "finance.state_loan.rate"
SNR_COST = "finance.projects.snr.cost_mnok"
REGION = ("vttg_region", "upgrade_need_region", "area_region")


def failed(gen: int, err: Exception) -> None:
    raise AssertionError(f"generation {gen} failed: {err}")


@pytest.fixture(scope="module")
def state() -> SessionState:
    return SessionState()


def extra(state: SessionState, mnok: float) -> dict:
    """The overrides of the extra-maintenance slider at ``mnok`` MNOK/yr from the plan year."""
    years = state.results["year"].to_numpy()
    plan = int(state.results.attrs["plan_start"])
    return extra_maintenance(state.model, years, mnok, plan)


@pytest.fixture
def page(state):
    from hmn_bygg.dashboard.pages.whatif import WhatIfPage

    page = WhatIfPage(state)
    doc = Document()
    doc.add_root(page.build().get_root(doc))
    return page, doc


def test_condition_key_ignores_what_only_the_budget_sees():
    base = {"maintenance.extra_budget_mnok": {2027: 100.0}}
    key = condition_key(base)
    assert condition_key(base | {RATE: 0.05, SNR_COST: 6000.0}) == key
    assert condition_key(base | {"finance.projects.snr.spend_profile": {2028: 1.0}}) == key
    assert condition_key(base | {"finance.projects.snr.open_year": {"STO": 2031}}) != key
    assert condition_key({"maintenance.extra_budget_mnok": {2027: 110.0}}) != key
    assert condition_key({}) != key


def test_budget_only_overrides_leave_the_condition_results_unchanged(state):
    """What condition_key promises: the kept simulation booked with the new model is the
    full run of the new model."""
    base_model, register = state.whatif_inputs(extra(state, 50))
    kept = run_whatif_model(base_model, register, book=False)
    overrides = extra(state, 50) | {RATE: 0.06, SNR_COST: 7000.0}
    assert condition_key(overrides) == condition_key(extra(state, 50))
    model, register = state.whatif_inputs(overrides)
    fresh = run_whatif_model(model, register, book=False)
    for var in (*REGION, "condition_grade", "in_service"):
        np.testing.assert_array_equal(fresh[var].values, kept[var].values)
    full = run_whatif_model(model, register)
    booked = book_whatif(kept, model, register)
    for var in (*REGION, "liquidity_region", "liquidity"):
        np.testing.assert_allclose(booked[var].values, full[var].values, rtol=0, atol=1e-9)
    base_full = run_whatif_model(base_model, register)
    assert not np.allclose(booked["liquidity"].values, base_full["liquidity"].values)


def test_runs_simulate_once_for_changes_the_budget_alone_sees(state, monkeypatch):
    calls = []
    real = whatif_run.run_whatif_model

    def counted(*args, **kwargs):
        calls.append(kwargs.get("book"))
        return real(*args, **kwargs)

    monkeypatch.setattr(whatif_run, "run_whatif_model", counted)
    shown: list = []
    runs = whatif_run.WhatIfRuns(state, lambda gen, ds: shown.append((gen, ds)), failed)
    more = extra(state, 80)
    runs.start(more)
    runs.start(more | {RATE: 0.05})
    runs.start(more | {RATE: 0.05, SNR_COST: 6500.0})
    assert calls == [False]  # one simulation, booked three times
    runs.start(extra(state, 90))
    assert calls == [False, False]
    assert [gen for gen, _ in shown] == [1, 2, 3, 4]
    model, register = state.whatif_inputs(more | {RATE: 0.05, SNR_COST: 6500.0})
    want = run_whatif_model(model, register)
    np.testing.assert_allclose(shown[2][1]["liquidity_region"].values,
                               want["liquidity_region"].values, atol=1e-9)  # fmt: skip
    runs.start({})  # back to the baseline: nothing runs
    assert len(calls) == 2 and shown[-1][1]["scenario"].values.tolist() == [state.scenario]


def test_an_out_of_date_generation_is_neither_run_nor_shown(state):
    shown: list = []
    runs = whatif_run.WhatIfRuns(state, lambda gen, ds: shown.append(gen), failed)
    runs.generation = 5
    assert runs._run(4, ("x",), extra(state, 10)) is None
    runs._done(4, state.results)  # a result of generation 4 after 5 started
    assert shown == []
    runs._done(5, state.results)
    assert shown == [5]


def test_an_input_error_is_shown_and_ends_the_busy_state(page, state):
    from hmn_bygg.core.errors import InputError, Problem

    p, _ = page
    runs = p.runs
    gen = runs.start(extra(state, 10))
    runs._done(gen, InputError([Problem("x.yaml", "bad value")]))
    assert p.error.visible and "bad value" in p.error.object
    assert p.busy.state == "ready"


def test_push_sends_only_the_lines_that_changed(page, state):
    p, doc = page
    events: list = []
    doc.on_change(events.append)
    p.extra.value = 100
    p.update()
    vttg = list(p.sources["vttg_region"].data["y"])
    assert p.cards.object.count('data-extra="100"') == 1
    assert p.busy.state == "ready" and p.cards.styles == {"opacity": "1"}

    def changed_sources() -> set[str]:
        names = set()
        for e in events:
            model = getattr(e, "model", None)
            if model is not None and getattr(model, "name", "") in {
                f"whatif-src-{v}" for v in p.sources
            }:
                names.add(model.name)
        return names

    events.clear()
    p.sliders["rate"].value = p.sliders["rate"].value + 1.0  # the budget alone sees it
    p.update()
    assert changed_sources() == {"whatif-src-liquidity_region"}
    assert list(p.sources["vttg_region"].data["y"]) == vttg
    assert "text" not in p.sources["liquidity_region"].data  # the browser formats the hover
    events.clear()
    p.extra.value = 110
    p.update()
    # more maintenance: grades, need and liquidity move; the floor area does not
    assert changed_sources() == {
        f"whatif-src-{v}" for v in ("vttg_region", "upgrade_need_region", "liquidity_region")
    }
    for e in events:  # the years and series names stay: only y goes
        if getattr(e, "model", None) is p.sources["vttg_region"]:
            assert set(getattr(e, "cols", None) or ["y"]) == {"y"}


def test_chart_ranges_stay_in_the_browser(page):
    """The browser fits the what-if charts' ranges to each update and sends none of it back."""
    p, doc = page
    figs = [m for m in doc.models if hasattr(m, "x_range") and (m.name or "").startswith("whatif")]
    assert {f.name for f in figs} == {f"whatif-{v}" for v in p.sources}
    for fig in figs:
        assert not fig.x_range.syncable and not fig.y_range.syncable


def test_charts_share_one_legend_in_the_page(page):
    """No chart draws a legend of its own; the page's one legend names both lines."""
    from bokeh.models import Legend

    p, doc = page
    figs = [m for m in doc.models if hasattr(m, "x_range") and (m.name or "").startswith("whatif")]
    assert figs and not any(isinstance(r, Legend) for f in figs for r in f.below + f.center)
    legend = p.legend.object
    assert legend.count("<svg") == 2 and "stroke-dasharray" in legend  # the baseline is dashed
    assert ">Grunnlag</span>" in legend and ">Hva om</span>" in legend


def test_page_script_is_run_when_the_document_is_ready():
    from bokeh.models import CustomJS

    from hmn_bygg.dashboard import page_js

    doc = Document()
    page_js.install(doc)
    page_js.install(None)  # outside a session: nothing to do
    [callback] = doc.callbacks._js_event_callbacks["document_ready"]
    assert isinstance(callback, CustomJS) and callback.code == page_js.SAME_STYLE_JS


def test_cards_show_the_same_figures_as_the_metrics(state):
    from hmn_bygg.core.targets import target_vttg
    from hmn_bygg.dashboard import metrics
    from hmn_bygg.dashboard.whatif_cards import summary

    ds = state.results.sel(scenario=[state.scenario])
    target = target_vttg(ds)
    got = summary(ds, target)
    s = ds.isel(scenario=0)
    year = metrics.first_year_at_or_below(s["vttg_region"], target)
    assert np.isnan(got["vttg_year"]) if year is None else got["vttg_year"] == year
    assert got["vttg_end"] == float(s["vttg_region"][-1])
    assert got["liquidity_min"] == float(s["liquidity_region"].min())
    assert got["area_end"] == float(s["area_region"][-1])


@pytest.mark.browser
def test_hover_numbers_formatted_in_the_browser_read_as_in_python():
    """The what-if lines' hover text is written in the browser (js_formats.hover_number)
    the way line_data writes it in Python (a no-break space groups in HTML)."""
    from playwright.sync_api import sync_playwright

    from hmn_bygg.core.fmt import fmt_number
    from hmn_bygg.dashboard.js_formats import hover_number
    from tests.harness import launch_chromium

    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            page = browser.new_page()
            for lang in ("nb", "en"):
                code = hover_number(lang, 2, "MNOK").code
                for v in (-12345.678, -0.001, 1.2, 709769.0, float("nan")):
                    got = page.evaluate("([c, v]) => new Function('value', c)(v)", [code, v])
                    want = fmt_number(v, 2, lang).replace("-", "\u2212") + " MNOK"
                    assert got.replace("\u00a0", " ") == want, (lang, v)
        finally:
            browser.close()


def test_the_whatif_is_booked_in_the_sessions_price_basis():
    """With the sidebar on current kroner the what-if is booked in current kroner too: a
    change that moves no money leaves the liquidity as the baseline shows it."""
    from hmn_bygg.finance.price_basis import index_for, reprice

    state = SessionState()
    model = next(iter(state.models.values()))
    state.results = reprice(state.results, "nominal", index_for(model))
    shown: list = []
    runs = whatif_run.WhatIfRuns(state, lambda gen, ds: shown.append(ds), failed)
    same_rate = float(state.model.finance.state_loan.rate.value)
    runs.start({RATE: same_rate})  # an override that changes nothing
    base = state.results["liquidity_region"].sel(scenario=state.scenario).values
    np.testing.assert_allclose(shown[-1]["liquidity_region"].values[0], base, atol=1e-6)
