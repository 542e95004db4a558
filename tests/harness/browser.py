"""Headless Chromium on the dashboard: pages with errors recorded, waits, what-if timing.

Plot titles are drawn on a canvas, so plot updates are seen through Bokeh's document models
in the page (``Bokeh.documents[*].all_models``); timings are taken in the page itself from
Bokeh's property-change signals (:data:`WATCH_JS`), so the page is not polled while it works.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from hmn_bygg.report.chromium import CHROMIUM_ARGS, DEFAULT_CHROMIUM
from tests.harness.deadline import deadline_ms

CHROMIUM = DEFAULT_CHROMIUM
VIEWPORT = {"width": 1440, "height": 1000}
LOCAL_PREFIXES = ("http://127.0.0.1:", "ws://127.0.0.1:", "blob:http://127.0.0.1:", "data:")
EXTRA_SLIDER = "whatif-extra"  # css class of the "Ekstra vedlikehold" slider
WHATIF_TAB = "Hva om"

# JavaScript: the data of a named Bokeh model (e.g. a ColumnDataSource) as JSON, or null.
# When a page was rebuilt, the newest model of that name (the last one) counts.
MODEL_DATA_JS = """(name) => {
  let found = null;
  for (const doc of (window.Bokeh && window.Bokeh.documents) || []) {
    for (const m of doc.all_models) {
      if (m.name === name && m.data !== undefined) found = m;
    }
  }
  if (found === null) return null;
  const out = {};
  for (const [k, v] of (found.data instanceof Map ? found.data : Object.entries(found.data))) {
    out[k] = Array.from(v);
  }
  return JSON.stringify(out);
}"""
MODEL_EXISTS_JS = """(name) => {
  for (const doc of (window.Bokeh && window.Bokeh.documents) || []) {
    for (const m of doc.all_models) { if (m.name === name) return true; }
  }
  return false;
}"""
MODEL_CHANGED_JS = (
    f"([name, before]) => {{ const now = ({MODEL_DATA_JS})(name);"
    " return now !== null && now !== before; }"
)
# Set a slider (found by its css class) as a finished drag does: value, then value_throttled;
# the time is noted for WATCH_JS.
SET_SLIDER_JS = """([cls, value]) => {
  for (const doc of (window.Bokeh && window.Bokeh.documents) || []) {
    for (const m of doc.all_models) {
      if (m.css_classes && m.css_classes.includes(cls) && "value_throttled" in m.properties) {
        if (window.__hmnWatch && window.__hmnWatch.t0 === null) {
          window.__hmnWatch.t0 = performance.now();
        }
        m.value = value;
        m.value_throttled = value;
        return true;
      }
    }
  }
  return false;
}"""
# Arm in-page timing of one what-if change: ``t0`` when the input changes (a key press on the
# page, or SET_SLIDER_JS), ``busy`` when the status line's model says busy, ``first`` when the
# VTTG chart's data source gets new data, ``full`` when the cards' model holds the full result
# for ``extra``, ``painted`` two animation frames after ``full`` (Bokeh repaints its canvases
# in the frame after a change, so every chart and card is on screen then; all
# performance.now() [ms]). Event-driven (Bokeh property signals), so the page is not polled
# while it works.
WATCH_JS = """([extra]) => {
  const w = window.__hmnWatch = {t0: null, busy: null, first: null, full: null, painted: null};
  const q = '(?:"|&quot;)';
  const re = new RegExp('data-testid=' + q + 'whatif-cards' + q + '[^>]*data-extra=' + q +
                        extra + q + '[^>]*data-step=' + q + 'full' + q);
  const busy = new RegExp('data-state=' + q + 'busy' + q);
  let src = null, cards = null, status = null;
  for (const doc of (window.Bokeh && window.Bokeh.documents) || []) {
    for (const m of doc.all_models) {
      if (m.name === "whatif-src-vttg_region") src = m;
      if (typeof m.text === "string" && m.text.includes("whatif-cards")) cards = m;
      if (typeof m.text === "string" && m.text.includes("whatif-status")) status = m;
    }
  }
  if (src === null || cards === null) return false;
  src.properties.data.change.connect(() => { if (w.first === null) w.first = performance.now(); });
  cards.properties.text.change.connect(() => {
    if (w.full === null && re.test(cards.text)) {
      w.full = performance.now();
      requestAnimationFrame(() => requestAnimationFrame(() => { w.painted = performance.now(); }));
    }
  });
  if (status !== null) {
    status.properties.text.change.connect(() => {
      if (w.busy === null && busy.test(status.text)) w.busy = performance.now();
    });
  }
  document.addEventListener("keydown", () => { if (w.t0 === null) w.t0 = performance.now(); },
                            {capture: true, once: true});
  return true;
}"""
WATCH_DONE_JS = "() => window.__hmnWatch && window.__hmnWatch.full !== null"
WATCH_PAINTED_JS = "() => window.__hmnWatch && window.__hmnWatch.painted !== null"
WATCH_READ_JS = "() => window.__hmnWatch"
TWO_FRAMES_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def console_text(message: Any) -> str:
    """A console error with the address it is about (a failed resource names no URL itself)."""
    url = (getattr(message, "location", None) or {}).get("url", "")
    return f"{message.text} [{url}]" if url else message.text


def launch_chromium(playwright: Any) -> Any:
    """Launch headless Debian Chromium through Playwright's sync (or async) API."""
    return playwright.chromium.launch(
        executable_path=CHROMIUM, args=list(CHROMIUM_ARGS), headless=True
    )


def model_data(page: Any, name: str) -> dict[str, list] | None:
    """Return the data of the Bokeh model called ``name`` in the page, or None."""
    text = page.evaluate(MODEL_DATA_JS, name)
    return None if text is None else json.loads(text)


def wait_for_model_change(page: Any, name: str, before: dict | None) -> None:
    """Wait until the data of Bokeh model ``name`` differs from ``before``."""
    page.wait_for_function(
        MODEL_CHANGED_JS,
        arg=[name, None if before is None else json.dumps(before)],
        timeout=deadline_ms(),
    )


def two_frames(page: Any) -> None:
    """Wait for two animation frames (the canvas is painted after a data change)."""
    page.evaluate(TWO_FRAMES_JS)


def whatif_selector(extra: int | None = None, step: str = "full", lang: str | None = None) -> str:
    """CSS selector of the what-if cards once they show the result for ``extra`` MNOK/yr.

    ``step`` is ``"condition"`` (condition and area) or ``"full"`` (with the finances);
    ``lang`` (``"nb"`` or ``"en"``) asks for cards written in that language.
    """
    sel = f'[data-testid="whatif-cards"][data-step="{step}"]'
    sel += "" if lang is None else f'[data-lang="{lang}"]'
    return sel if extra is None else sel + f'[data-extra="{int(extra)}"]'


def tab_locator(page: Any, title: str) -> Any:
    """Return the locator of the tab called ``title``."""
    return page.locator(".bk-tab").filter(has_text=re.compile(f"^{re.escape(title)}$"))


class WatchedPage:
    """A dashboard page with its console errors and requests recorded.

    Parameters
    ----------
    browser : playwright.sync_api.Browser
        The browser.
    url : str
        The dashboard's URL.
    """

    def __init__(self, browser: Any, url: str) -> None:
        self.url = url
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page = browser.new_page(viewport=VIEWPORT, locale="nb-NO")
        # every wait and action of the page: the one deadline (tests.harness.deadline)
        self.page.set_default_timeout(deadline_ms())
        self.page.set_default_navigation_timeout(deadline_ms())
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(console_text(m)))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(url, wait_until="networkidle")
        self.page.evaluate("document.fonts.ready")
        self.wait_drawn("model:overview-vttg")

    def external(self) -> list[str]:
        """Requests to anywhere but the dashboard's server."""
        return [u for u in self.requests if not u.startswith(LOCAL_PREFIXES)]

    def tab(self, title: str) -> None:
        """Click the tab called ``title``."""
        tab_locator(self.page, title).click()

    def wait_drawn(self, what: str) -> None:
        """Wait for ``model:<Bokeh model name>`` or ``text:<visible text>``, then two frames."""
        kind, _, value = what.partition(":")
        if kind == "model":
            self.page.wait_for_function(MODEL_EXISTS_JS, arg=value)
        else:
            self.page.get_by_text(value).first.wait_for()
        two_frames(self.page)

    def wait_whatif(
        self, extra: int | None = None, step: str = "full", lang: str | None = None
    ) -> None:
        """Wait until the what-if cards show the result for ``extra`` (:func:`whatif_selector`),
        in ``lang`` when given."""
        self.page.locator(whatif_selector(extra, step, lang)).wait_for(state="attached")
        two_frames(self.page)

    def extra_handle(self) -> Any:
        """The handle of the "Ekstra vedlikehold" slider."""
        return self.page.locator(f".{EXTRA_SLIDER} .noUi-handle")

    def screenshot(self, path: Path) -> None:
        """Save a full-page screenshot."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(path), full_page=True)


# -- what-if latency (one session) ------------------------------------------------------------
def whatif_latencies(page: WatchedPage, changes: int, key: str = "ArrowRight") -> list[dict]:
    """Press ``key`` on the extra-maintenance slider ``changes`` times; time each update.

    Each press moves the slider one step (10 MNOK/yr). Timed in the page (``WATCH_JS``), from
    the key press: until the status line shows the page busy (``busy_ms``, the round trip to
    the server and back), until the VTTG chart's Bokeh data source has new data
    (``first_ms``), until the key-figure cards' model holds the full result with the finances
    for the new value (``full_ms``), and until two animation frames later, when every chart
    and card is painted (``painted_ms``).

    Returns
    -------
    list of dict
        ``{"extra", "busy_ms", "first_ms", "full_ms", "painted_ms"}`` per press.
    """
    p = page.page
    page.tab(WHATIF_TAB)
    page.wait_whatif(0)
    handle = page.extra_handle()
    out = []
    extra = 0
    for _ in range(changes):
        extra += 10 if key == "ArrowRight" else -10
        if not p.evaluate(WATCH_JS, [extra]):
            raise RuntimeError("the what-if page has no VTTG chart or cards")
        handle.focus()
        handle.press(key)
        p.wait_for_function(WATCH_PAINTED_JS, polling=50)
        w = p.evaluate(WATCH_READ_JS)
        out.append(
            {"extra": extra}
            | {
                f"{k}_ms": None if w[k] is None else w[k] - w["t0"]
                for k in ("busy", "first", "full", "painted")
            }
        )
        p.locator(whatif_selector(extra)).wait_for(state="attached")
    return out
