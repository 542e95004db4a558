"""Browser tests of the dashboard: a real server on 127.0.0.1 driven by headless Chromium.

The server is the test session's (``dashboard_url`` in ``conftest.py``); one browser and
one page serve the module, whose tests run in file order on that page, on one pytest-xdist
worker (``xdist_group``). Every page is loaded with no console error and no request to any
host but 127.0.0.1; a scenario change and a what-if slider change redraw plots (seen through
Bokeh's document models) and key figures; a broken register upload shows its problems; the
language switch turns the whole page English. Each wait is for a condition in the page, with
the one deadline of :mod:`tests.harness.deadline`. Screenshots go to ``docs/screenshots/``.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from hmn_bygg.config.labels import scenario_labels
from hmn_bygg.core.variables import glossary
from hmn_bygg.dashboard.text import USE_NAMES, WORDS
from tests.harness import WatchedPage, launch_chromium, model_data, wait_for_model_change

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "docs" / "screenshots"
# tab title -> (screenshot name, what shows the page is drawn: a Bokeh model name or a text
# found only on that page)
PAGES = {
    "Oversikt": ("overview", "model:overview-vttg"),
    "Tilstand": ("condition", "model:condition-bands"),
    "Areal": ("area", "model:area-waterfall"),
    "Økonomi": ("finance", "model:finance-liquidity"),
    "Scenarier": ("scenarios", "model:scenarios-vttg_region"),
    "Hva om": ("whatif", "model:whatif-vttg_region"),
    "Risiko": ("risk", "text:Beregn usikkerhet"),
    "Forutsetninger": ("assumptions", "text:model.start_year"),
    "Bygg": ("buildings", "text:HMR-0001"),
    "Utvikling": ("progress", "text:Planen forventet"),
}
PAGE_KEYS = ("overview", "condition", "area", "finance", "scenarios", "whatif", "risk")
PAGE_KEYS += ("assumptions", "buildings")
PAGE_KEYS += ("best_plan",)
PAGE_KEYS += ("progress",)
EN_TABS = [WORDS[f"page_{k}"][1] for k in PAGE_KEYS]

# Everything the page shows in a language, as the page shows it: text nodes (through the
# shadow roots Bokeh renders into) of the elements that are displayed, the options of the
# selects, and the titles, axis labels and legends of the displayed plots (drawn on canvas,
# so read from the models of the plots' live views). The text of alerts comes apart
# (``alerts``): an upload's problems quote the register's own headings, bokmål ones too.
VISIBLE_TEXT_JS = """() => {
  const out = [], alerts = [];
  const shown = (el) => el && el.isConnected && el.getClientRects().length > 0;
  const walk = (node, into) => {
    if (node.nodeType === Node.TEXT_NODE) { into.push(node.textContent); return; }
    if (node.nodeType === Node.ELEMENT_NODE) {
      if (["STYLE", "SCRIPT", "TEMPLATE"].includes(node.tagName)) return;
      const style = getComputedStyle(node);
      if (style.display === "none" || style.visibility === "hidden") return;
      if (node.classList.contains("alert")) into = alerts;
      if (node.shadowRoot) walk(node.shadowRoot, into);
    }
    for (const child of node.childNodes) walk(child, into);
  };
  walk(document.body, out);
  const label = (x) => (x == null ? "" : typeof x === "string" ? x : String(x.value ?? ""));
  for (const view of Bokeh.index.query(() => true)) {
    const plot = view.model;
    if (!plot || !Array.isArray(plot.renderers) || !shown(view.el)) continue;
    if (plot.title != null) out.push(typeof plot.title === "string" ? plot.title : plot.title.text);
    for (const side of ["left", "right", "above", "below", "center"]) {
      for (const part of plot[side] || []) {
        if (typeof part.axis_label === "string") out.push(part.axis_label);
        if (part.title != null) out.push(label(part.title));
        for (const item of part.items || []) out.push(label(item.label));
      }
    }
  }
  return {page: out.join(" | "), alerts: alerts.join(" ")};
}"""


def norwegian_phrases(lang: str = "nb") -> set[str]:
    """The dashboard's bokmål words that its English does not share (``lang="en"``: the reverse).

    From the dashboard's word list, the glossary's labels, the building uses and the
    scenario names: each bokmål text is cut at its placeholders and markup, and every piece
    of eight characters or more that is not also in the English text is one phrase.
    """
    pairs = list(WORDS.values()) + list(USE_NAMES.values())
    pairs += [(v["label_nb"], v["label_en"]) for v in glossary().values()]
    pairs += [(v["nb"], v["en"]) for v in scenario_labels().values()]
    phrases = set()
    for nb, en in pairs:
        mine, other = (nb, en) if lang == "nb" else (en, nb)
        for piece in re.split(r"\{[^}]*\}|\*\*|`|\n", mine):
            piece = piece.strip(" .,:;()")
            if len(piece) >= 8 and piece not in other:
                phrases.add(piece)
    return phrases


@pytest.fixture(scope="module")
def browser(dashboard_url):
    with sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()


class PageWatch(WatchedPage):
    """The module's page, with screenshots into ``docs/screenshots``."""

    def shot(self, name: str) -> None:
        self.screenshot(SHOTS / f"{name}.png")


@pytest.fixture(scope="module")
def watched(browser, dashboard_url):
    """One page for the module's tests, which run in file order (load is the slow part)."""
    w = PageWatch(browser, dashboard_url)
    yield w
    w.page.close()


def test_every_page_loads_offline_without_errors(watched):
    for title, (name, drawn) in PAGES.items():
        watched.tab(title)
        watched.wait_drawn(drawn)
        if title == "Økonomi":  # the rising liquidity after the last project is explained
            watched.page.get_by_text("ingen nye byggeprosjekter", exact=False).wait_for()
        watched.shot(name)
    assert watched.errors == []
    assert watched.external() == []
    assert any(u.startswith(watched.url) for u in watched.requests)


def test_scenario_change_redraws_plots_and_key_figures(watched):
    page = watched.page
    watched.tab("Oversikt")
    watched.wait_drawn("model:overview-vttg")
    card = page.locator('[data-testid="kpi-vttg-2045"] .v')
    before_text = card.inner_text()
    before = model_data(page, "overview-src-vttg_region")
    assert before is not None
    page.locator("select").first.select_option(label="Innhenting +210 MNOK/år")
    wait_for_model_change(page, "overview-src-vttg_region", before)
    card.filter(has_not_text=before_text).wait_for()
    assert card.inner_text() != before_text
    assert re.fullmatch(r"\d,\d\d", card.inner_text())  # Norwegian decimal comma
    assert watched.errors == []


def test_whatif_slider_reruns_the_model(watched):
    page = watched.page
    # choose the scenario in the sidebar here: under pytest-xdist the test that chose it on the
    # overview may run in another worker, with another page
    page.locator("select").first.select_option(label="Innhenting +210 MNOK/år")
    watched.tab("Hva om")
    watched.wait_drawn("model:whatif-vttg_region")
    # the page shows the scenario chosen in the sidebar, unchanged (extra 0), with finances
    watched.wait_whatif(0)
    page.locator('[data-testid="whatif-cards"][data-scenario="catch_up"]').wait_for(
        state="attached"
    )
    need = page.locator('[data-testid="whatif-need_end"]')
    assert "Uendret" in need.inner_text()  # no change before the slider moves
    before = model_data(page, "whatif-src-vttg_region")
    handle = watched.extra_handle()
    handle.focus()
    for _ in range(10):
        handle.press("ArrowRight")  # 10 steps of 10 MNOK/yr
    watched.wait_whatif(100)  # the cards show the re-run for exactly 100 MNOK/yr
    after = model_data(page, "whatif-src-vttg_region")
    baseline = model_data(page, "whatif-src-base-vttg_region")
    assert baseline is not None and baseline["y"] == before["y"]  # the baseline stays
    assert sum(after["y"]) < sum(before["y"])  # more maintenance, better grades
    assert re.search(r"Endring: \u2212\d", need.inner_text())  # a smaller need, and by how much
    liquidity = page.locator('[data-testid="whatif-liquidity_min"]').inner_text()
    assert re.search(r"Endring: \u2212\d", liquidity)  # the extra money is paid for
    assert page.get_by_text(re.compile(r"Ekstra vedlikehold \(MNOK/år\): 100$")).count() == 1
    watched.shot("whatif_changed")
    # Bokeh's repaints skip rewriting styles that stay the same (hmn_bygg.dashboard.page_js)
    assert page.evaluate("() => window.hmnSameStyle") is True
    assert watched.errors == []


# Records, every animation frame, the what-if status line's state and generation (through the
# shadow roots Bokeh renders into), so that a busy state of a few frames is seen.
RECORD_STATUS_JS = """() => {
  const find = (root) => {
    const hit = root.querySelector('[data-testid="whatif-status"]');
    if (hit) return hit;
    for (const el of root.querySelectorAll("*")) {
      if (el.shadowRoot) { const f = find(el.shadowRoot); if (f) return f; }
    }
    return null;
  };
  window.__whatifStates = [];
  const tick = () => {
    const el = find(document);
    if (el) window.__whatifStates.push([el.dataset.state, Number(el.dataset.gen)]);
    if (window.__whatifStates.length < 20000) requestAnimationFrame(tick);
  };
  tick();
}"""


def test_whatif_is_busy_until_every_card_is_updated(watched):
    """A slider change shows the busy state at once; after it settles no card is stale."""
    page = watched.page
    watched.tab("Hva om")
    watched.wait_drawn("model:whatif-vttg_region")
    watched.wait_whatif()
    status = page.locator('[data-testid="whatif-status"][data-state="ready"]')
    status.wait_for(state="attached")
    cards = page.locator('[data-testid="whatif-cards"]')
    extra = int(cards.get_attribute("data-extra"))
    page.evaluate(RECORD_STATUS_JS)
    handle = watched.extra_handle()
    handle.focus()
    for _ in range(3):  # a burst: only the last value may be shown when it settles
        handle.press("ArrowRight")
    watched.wait_whatif(extra + 30)
    page.locator('[data-testid="whatif-status"][data-state="ready"]').wait_for(state="attached")
    states = page.evaluate("() => window.__whatifStates")
    assert any(state == "busy" for state, _ in states), states[:5]
    first_busy = next(i for i, (state, _) in enumerate(states) if state == "busy")
    assert all(state == "ready" for state, _ in states[:first_busy])  # ready before the change
    # settled: the status is for the newest change and the cards show that same change
    gen = int(page.locator('[data-testid="whatif-status"]').get_attribute("data-gen"))
    assert gen == max(g for _, g in states)
    assert int(cards.get_attribute("data-gen")) == gen
    assert cards.get_attribute("data-step") == "full"
    assert watched.errors == []


def test_risk_page_computes_fans_and_probabilities(watched):
    page = watched.page
    watched.tab("Risiko")
    watched.wait_drawn("text:Beregn usikkerhet")
    page.get_by_role("button", name="100", exact=True).click()
    page.get_by_role("button", name="Beregn usikkerhet").click()
    done = '[data-testid="risk-status"][data-state="done"][data-draws="100"]'
    page.locator(done).wait_for(state="attached")
    watched.wait_drawn("model:risk-vttg-band")
    band = model_data(page, "risk-vttg-band")
    assert band is not None
    for lo, mid, hi in zip(band["p10"], band["p50"], band["p90"], strict=True):
        assert lo <= mid + 1e-9 and mid <= hi + 1e-9
    i = band["x"].index(2045)
    assert band["p90"][i] - band["p10"][i] > 0.01  # the draws spread the outcome
    for hf in ("HMR", "HNT", "STO"):
        liq = model_data(page, f"risk-liquidity-{hf}-band")
        assert liq is not None and liq["p10"][i] <= liq["p50"][i] <= liq["p90"][i]
    probs = page.locator('[data-testid="risk-probs"]').inner_text()
    assert re.search(r"\d+ %", probs)  # Norwegian percentages: "45 %"
    assert "VTTG ≤ 1,2" in probs
    assert "±" in probs  # each probability with its Monte Carlo standard error
    assert page.locator('[data-testid="risk-drivers-vttg"] tr').count() > 1
    watched.shot("risk")
    # another seed is another ensemble: the page says it has not run it, then shows its own
    seed = page.locator(".risk-seed input")
    seed.fill("7")
    seed.press("Enter")
    page.get_by_text(re.compile("Trykk|ikke beregnet", re.I)).first.wait_for()
    page.get_by_role("button", name="Beregn usikkerhet").click()
    page.locator(done).wait_for(state="attached")
    assert "frø 7" in page.locator('[data-testid="risk-status"]').inner_text()
    wait_for_model_change(page, "risk-vttg-band", band)  # the fan is redrawn from other draws
    assert watched.errors == []


def test_broken_register_upload_shows_the_problems(watched):
    page = watched.page
    watched.tab("Oversikt")
    broken = b"building_id,name,hf,floor_area\nX-1,Testbygg,XYZ,-5\n"
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "bygg.csv", "mimeType": "text/csv", "buffer": broken}]
    )
    alert = page.get_by_text("Registeret kunne ikke leses")
    alert.wait_for()
    page.get_by_text(re.compile(r"bygg\.csv.*floor_area|bygg\.csv")).first.wait_for()
    watched.shot("upload_error")
    assert watched.errors == []


def test_brief_download_is_a_pdf_with_the_key_figures(watched):
    import pypdf

    page = watched.page
    watched.tab("Oversikt")
    watched.wait_drawn("model:overview-vttg")
    scenario = page.locator("select").first.evaluate("s => s.options[s.selectedIndex].text")
    vttg_2030 = page.locator('[data-testid="kpi-vttg-2030"] .v').inner_text()
    vttg_2045 = page.locator('[data-testid="kpi-vttg-2045"] .v').inner_text()
    with page.expect_download() as info:
        page.get_by_text("Last ned styrenotat (PDF)", exact=True).click()
    download = info.value
    assert download.failure() is None
    assert download.suggested_filename == "styrenotat.pdf"
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 2
    text = " ".join((p.extract_text() or "") for p in reader.pages)
    text = re.sub(r"\s+", " ", text)
    assert "Styrenotat" in text
    # the scenario shown on the overview, with the VTTG its cards show
    assert scenario in text, scenario
    assert re.search(rf"VTTG[^.]*{re.escape(vttg_2030)} i 2030", text)
    assert re.search(rf"VTTG[^.]*{re.escape(vttg_2045)} i 2045", text)
    assert watched.errors == []


def test_language_toggle_turns_the_whole_page_english(watched):
    page = watched.page
    # a message in the sidebar, from a broken upload, is translated too
    broken = b"building_id,name,hf,floor_area\nX-1,Testbygg,XYZ,-5\n"
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "bygg.csv", "mimeType": "text/csv", "buffer": broken}]
    )
    page.get_by_text("Registeret kunne ikke leses").wait_for()
    watched.tab("Hva om")  # a page with inputs, cards and plots
    watched.wait_drawn("model:whatif-vttg_region")
    page.get_by_text("English", exact=True).click()
    # the tabs, in order, and the visible page's own text, in English
    page.locator(".bk-tab").filter(has_text=re.compile("^What if$")).wait_for()
    page.get_by_text(re.compile(r"^Extra maintenance \(MNOK/yr\)")).first.wait_for()
    watched.wait_drawn("model:whatif-vttg_region")
    watched.wait_whatif(lang="en")  # the cards are re-written once the re-run is booked
    assert page.locator(".bk-tab").all_inner_texts() == EN_TABS
    assert page.locator(".bk-tab.bk-active").inner_text() == "What if"
    shown = page.evaluate(VISIBLE_TEXT_JS)
    text = shown["page"]
    for english in ("Building register", "Download board brief (PDF)", "Language"):
        assert english in text
    assert "The register could not be read" in shown["alerts"]
    assert "missing required column" in shown["alerts"]
    assert "Registeret kunne ikke leses" not in shown["alerts"]
    leftovers = sorted(p for p in norwegian_phrases() if p in text)
    assert leftovers == []
    watched.shot("whatif_english")
    # and a page shown after the switch is built in English too
    watched.tab("Overview")
    page.get_by_text("Key figures for scenario").first.wait_for()
    watched.wait_drawn("model:overview-vttg")
    text = page.evaluate(VISIBLE_TEXT_JS)["page"]
    assert sorted(p for p in norwegian_phrases() if p in text) == []
    assert watched.errors == []
