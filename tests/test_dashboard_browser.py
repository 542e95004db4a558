"""Browser tests of the dashboard: a real server on 127.0.0.1 driven by headless Chromium.

One server, one browser and one page for the module; the tests run in file order on that
page (about 30 s in all). Every page is loaded with no
console error and no request to any host but 127.0.0.1; a scenario change and a what-if
slider change redraw plots (seen through Bokeh's document models) and key figures; a broken
register upload shows its problems. Screenshots go to ``docs/screenshots/``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hmn_bygg.dashboard.harness import (
    CHROMIUM,
    launch_chromium,
    model_data,
    start_server,
    stop_server,
    two_frames,
    wait_for_model_change,
)

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "docs" / "screenshots"
# tab title -> (screenshot name, what shows the page is drawn: a Bokeh model name or a text)
PAGES = {
    "Oversikt": ("overview", "model:overview-vttg"),
    "Tilstand": ("condition", "model:condition-bands"),
    "Areal": ("area", "model:area-waterfall"),
    "Økonomi": ("finance", "text:Likviditet"),
    "Scenarier": ("scenarios", "model:scenarios-vttg_region"),
    "Hva om": ("whatif", "model:whatif-vttg_region"),
    "Risiko": ("risk", "text:hmn-bygg run --draws"),
    "Forutsetninger": ("assumptions", "text:model.start_year"),
    "Bygg": ("buildings", "text:HMR-0001"),
}
MODEL_EXISTS_JS = """(name) => {
  for (const doc of (window.Bokeh && window.Bokeh.documents) || []) {
    for (const m of doc.all_models) { if (m.name === name) return true; }
  }
  return false;
}"""


@pytest.fixture(scope="module")
def server():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    proc, url = start_server(home=ROOT / ".home" / "test_dashboard_browser")
    yield url
    stop_server(proc)


@pytest.fixture(scope="module")
def browser(server):
    with playwright_api.sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()


class PageWatch:
    """A page with its console errors and requests recorded."""

    def __init__(self, browser, url: str) -> None:
        self.url = url
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page = browser.new_page(viewport={"width": 1440, "height": 1000})
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(url, wait_until="networkidle")
        self.page.evaluate("document.fonts.ready")
        self.wait_drawn("model:overview-vttg")

    def external(self) -> list[str]:
        local = ("http://127.0.0.1:", "ws://127.0.0.1:", "blob:http://127.0.0.1:", "data:")
        return [u for u in self.requests if not u.startswith(local)]

    def tab(self, title: str) -> None:
        self.page.locator(".bk-tab").filter(has_text=re.compile(f"^{title}$")).click()

    def wait_drawn(self, what: str) -> None:
        kind, _, value = what.partition(":")
        if kind == "model":
            self.page.wait_for_function(MODEL_EXISTS_JS, arg=value, timeout=15_000)
        else:
            self.page.get_by_text(value).first.wait_for(timeout=15_000)
        two_frames(self.page)

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture(scope="module")
def watched(browser, server):
    """One page for the module's tests, which run in file order (load is the slow part)."""
    w = PageWatch(browser, server)
    yield w
    w.page.close()


def test_every_page_loads_offline_without_errors(watched):
    for title, (name, drawn) in PAGES.items():
        watched.tab(title)
        watched.wait_drawn(drawn)
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
    card.filter(has_not_text=before_text).wait_for(timeout=10_000)
    assert card.inner_text() != before_text
    assert re.fullmatch(r"\d,\d\d", card.inner_text())  # Norwegian decimal comma
    assert watched.errors == []


def test_whatif_slider_reruns_the_model(watched):
    page = watched.page
    watched.tab("Hva om")
    watched.wait_drawn("model:whatif-vttg_region")
    card = page.locator('[data-testid="whatif-need_end"] .v')
    liquidity = page.locator('[data-testid="whatif-liquidity_min"] .v')
    liquidity.filter(has_not_text="…").wait_for(timeout=15_000)  # both steps are done
    before_text = card.inner_text()
    before = model_data(page, "whatif-src-vttg_region")
    handle = page.locator(".noUi-handle:visible").first  # extra maintenance, MNOK/yr
    handle.focus()
    for _ in range(10):
        handle.press("ArrowRight")
    wait_for_model_change(page, "whatif-src-vttg_region", before)
    card.filter(has_not_text=before_text).wait_for(timeout=10_000)
    after = model_data(page, "whatif-src-vttg_region")
    assert sum(after["y"]) < sum(before["y"])  # more maintenance, better grades
    liquidity.filter(has_not_text="…").wait_for(timeout=15_000)
    watched.shot("whatif_changed")
    assert watched.errors == []


def test_broken_register_upload_shows_the_problems(watched):
    page = watched.page
    watched.tab("Oversikt")
    broken = b"building_id,name,hf,floor_area\nX-1,Testbygg,XYZ,-5\n"
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "bygg.csv", "mimeType": "text/csv", "buffer": broken}]
    )
    alert = page.get_by_text("Registeret kunne ikke leses")
    alert.wait_for(timeout=15_000)
    page.get_by_text(re.compile(r"bygg\.csv.*floor_area|bygg\.csv")).first.wait_for()
    watched.shot("upload_error")
    assert watched.errors == []


def test_language_toggle_switches_labels(watched):
    page = watched.page
    page.get_by_text("English", exact=True).click()
    page.locator(".bk-tab").filter(has_text=re.compile("^Overview$")).wait_for(timeout=10_000)
    page.get_by_text("Key figures for scenario").first.wait_for(timeout=10_000)
    assert watched.errors == []
