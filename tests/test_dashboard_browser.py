"""Browser tests of the dashboard: a real server on 127.0.0.1 driven by headless Chromium.

One server, one browser and one page for the module; the tests run in file order on that
page (about 30 s in all). Every page is loaded with no
console error and no request to any host but 127.0.0.1; a scenario change and a what-if
slider change redraw plots (seen through Bokeh's document models) and key figures; a broken
register upload shows its problems. Screenshots go to ``docs/screenshots/``.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from tests.harness import (
    CHROMIUM,
    WatchedPage,
    launch_chromium,
    model_data,
    start_server,
    stop_server,
    wait_for_model_change,
)

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

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
}


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


class PageWatch(WatchedPage):
    """The module's page, with screenshots into ``docs/screenshots``."""

    def shot(self, name: str) -> None:
        self.screenshot(SHOTS / f"{name}.png")


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
    card.filter(has_not_text=before_text).wait_for(timeout=10_000)
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
    assert watched.errors == []


def test_risk_page_computes_fans_and_probabilities(watched):
    page = watched.page
    watched.tab("Risiko")
    watched.wait_drawn("text:Beregn usikkerhet")
    page.get_by_role("button", name="100", exact=True).click()
    page.get_by_role("button", name="Beregn usikkerhet").click()
    done = '[data-testid="risk-status"][data-state="done"][data-draws="100"]'
    page.locator(done).wait_for(state="attached", timeout=120_000)
    watched.wait_drawn("model:risk-vttg-band", timeout=30_000)
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
    assert page.locator('[data-testid="risk-drivers-vttg"] tr').count() > 1
    watched.shot("risk")
    # another seed is another ensemble: the page says it has not run it, then shows its own
    seed = page.locator(".risk-seed input")
    seed.fill("7")
    seed.press("Enter")
    page.get_by_text(re.compile("Trykk|ikke beregnet", re.I)).first.wait_for(timeout=15_000)
    page.get_by_role("button", name="Beregn usikkerhet").click()
    page.locator(done).wait_for(state="attached", timeout=120_000)
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
    alert.wait_for(timeout=15_000)
    page.get_by_text(re.compile(r"bygg\.csv.*floor_area|bygg\.csv")).first.wait_for()
    watched.shot("upload_error")
    assert watched.errors == []


def test_brief_download_is_a_pdf_with_the_key_figures(watched):
    pypdf = pytest.importorskip("pypdf")
    page = watched.page
    watched.tab("Oversikt")
    watched.wait_drawn("model:overview-vttg")
    scenario = page.locator("select").first.evaluate("s => s.options[s.selectedIndex].text")
    vttg_2030 = page.locator('[data-testid="kpi-vttg-2030"] .v').inner_text()
    vttg_2045 = page.locator('[data-testid="kpi-vttg-2045"] .v').inner_text()
    with page.expect_download(timeout=120_000) as info:
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


def test_language_toggle_switches_labels(watched):
    page = watched.page
    page.get_by_text("English", exact=True).click()
    page.locator(".bk-tab").filter(has_text=re.compile("^Overview$")).wait_for(timeout=10_000)
    page.get_by_text("Key figures for scenario").first.wait_for(timeout=10_000)
    assert watched.errors == []
