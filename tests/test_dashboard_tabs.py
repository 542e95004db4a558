"""Browser tests of how the dashboard's pages appear: a placeholder at once, one language.

A page is built when its tab is first shown; until then its tab holds a placeholder (a
spinner and "Henter …"), so choosing the tab shows the placeholder or, when the page is
built before the browser paints, the page: never a blank tab. The language switch swaps the
whole page at once: recorded every animation frame from the click until the page has settled,
no frame shows bokmål and English together. Each wait is for a condition in the page, with
the one deadline of :mod:`tests.harness.deadline`; the recordings run in the page (animation
frames), so nothing is timed by the test.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import sync_playwright

from tests.harness import WatchedPage, launch_chromium
from tests.test_dashboard_browser import VISIBLE_TEXT_JS, norwegian_phrases

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Every animation frame: the active tab's title, whether the placeholder of page ``key`` is
# shown (found through the shadow roots Bokeh renders into) and whether the page's Bokeh model
# ``model`` exists; until ``window.__tabStop`` is set.
RECORD_TAB_JS = """([key, model]) => {
  const find = (root, sel) => {
    const hit = root.querySelector(sel);
    if (hit) return hit;
    for (const el of root.querySelectorAll("*")) {
      if (el.shadowRoot) { const f = find(el.shadowRoot, sel); if (f) return f; }
    }
    return null;
  };
  const exists = (name) => {
    for (const doc of (window.Bokeh && window.Bokeh.documents) || []) {
      for (const m of doc.all_models) { if (m.name === name) return true; }
    }
    return false;
  };
  window.__tabFrames = [];
  window.__tabStop = false;
  const tick = () => {
    const active = find(document, ".bk-tab.bk-active");
    const ph = find(document, `[data-testid="page-loading"][data-page="${key}"]`);
    const shown = ph !== null && ph.getClientRects().length > 0;
    window.__tabFrames.push([active ? active.textContent : "", shown, exists(model)]);
    if (!window.__tabStop && window.__tabFrames.length < 20000) requestAnimationFrame(tick);
  };
  tick();
}"""

# Every animation frame until ``window.__langStop``: whether the page shows any bokmål phrase
# and any English one (the page's text as VISIBLE_TEXT_JS reads it, alerts apart).
RECORD_LANG_JS = (
    """([nb, en]) => {
  const read = """
    + VISIBLE_TEXT_JS
    + """;
  window.__langFrames = [];
  window.__langStop = false;
  const tick = () => {
    const text = read().page;
    const n = nb.filter((p) => text.includes(p)), e = en.filter((p) => text.includes(p));
    window.__langFrames.push([n.slice(0, 3), e.slice(0, 3)]);
    if (!window.__langStop && window.__langFrames.length < 5000) requestAnimationFrame(tick);
  };
  tick();
}"""
)


@pytest.fixture(scope="module")
def watched(dashboard_url):
    with sync_playwright() as p:
        browser = launch_chromium(p)
        w = WatchedPage(browser, dashboard_url)
        yield w
        w.page.close()
        browser.close()


@pytest.mark.parametrize(
    ("title", "key", "model"),
    [("Areal", "area", "area-waterfall"), ("Økonomi", "finance", "finance-liquidity")],
)
def test_a_tab_shows_a_placeholder_at_once_then_its_page(watched, title, key, model):
    page = watched.page
    page.evaluate(RECORD_TAB_JS, [key, model])
    watched.tab(title)
    watched.wait_drawn(f"model:{model}")
    page.locator(f'[data-testid="page-loading"][data-page="{key}"]').wait_for(state="detached")
    page.evaluate("() => { window.__tabStop = true; }")
    frames = page.evaluate("() => window.__tabFrames")
    on_tab = [(shown, built) for active, shown, built in frames if active == title]
    assert on_tab, "the tab never became active"
    # never blank: from the first frame on the tab, each shows the placeholder or the page (on a
    # busy machine the page may be built before the browser paints the tab: then the first
    # frame has the page; a page made stale again meanwhile shows the placeholder, not old
    # figures)
    blank = [i for i, (shown, built) in enumerate(on_tab) if not (shown or built)]
    assert blank == [], (blank[:3], on_tab[:5])
    assert on_tab[0][0] or on_tab[0][1], on_tab[:3]
    assert on_tab[-1] == (False, True), on_tab[-3:]  # settled: the page, no placeholder
    assert watched.errors == []


def test_language_switch_swaps_the_whole_page_at_once(watched):
    page = watched.page
    watched.tab("Hva om")
    watched.wait_drawn("model:whatif-vttg_region")
    watched.wait_whatif(lang="nb")
    nb, en = sorted(norwegian_phrases()), sorted(norwegian_phrases("en"))
    page.evaluate(RECORD_LANG_JS, [nb, en])
    page.get_by_text("English", exact=True).click()
    page.locator(".bk-tab").filter(has_text=re.compile("^What if$")).wait_for()
    watched.wait_drawn("model:whatif-vttg_region")
    watched.wait_whatif(lang="en")
    page.evaluate("() => { window.__langStop = true; }")
    frames = page.evaluate("() => window.__langFrames")
    mixed = [(i, n, e) for i, (n, e) in enumerate(frames) if n and e]
    assert mixed == [], mixed[:3]
    kinds = ["en" if e else "nb" if n else "-" for n, e in frames]
    assert kinds[0] == "nb" and kinds[-1] == "en"
    first_en = kinds.index("en")
    assert "nb" not in kinds[first_en:]  # once switched, never back
    assert watched.errors == []
    page.get_by_text("Bokmål", exact=True).click()  # leave the page as the module found it
    page.locator(".bk-tab").filter(has_text=re.compile("^Hva om$")).wait_for()
