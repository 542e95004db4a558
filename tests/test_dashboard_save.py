"""Browser test: a what-if saved with 'Lagre som scenario' runs from the CLI with the figures
the page showed, and open sessions list it in their comparison at once (issue 22, item 5).

The dashboard server of the test session runs with its own home folder
(``.home/dashboard_tests_<worker>``), so the saved scenario lands in that home's
``.hmn_bygg/scenarios.yaml`` (the default user scenarios file), never in ``models/``.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest
from cli_invoke import invoke
from playwright.sync_api import sync_playwright

from hmn_bygg.config import load_scenarios
from hmn_bygg.core.paths import models_dir
from tests.harness import SET_SLIDER_JS, WatchedPage, launch_chromium, model_data
from tests.harness.deadline import deadline_ms

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]

# The scenario comparison's choice (a Bokeh MultiChoice, css class "scenarios-choice"): its
# options as JSON (display names; a saved scenario has no other name than its own), and the
# choice of the first chosen scenario and ``name``, set as the widget sets it when a user picks.
CHOICE_OPTIONS_JS = """() => {
  let found = null;
  for (const doc of (window.Bokeh && window.Bokeh.documents) || []) {
    for (const m of doc.all_models) {
      if (m.css_classes && m.css_classes.includes("scenarios-choice") && m.options) found = m;
    }
  }
  if (found === null) return null;
  return JSON.stringify(found.options.map((o) => (Array.isArray(o) ? o[0] : o)));
}"""
SET_CHOICE_JS = """(name) => {
  for (const doc of (window.Bokeh && window.Bokeh.documents) || []) {
    for (const m of doc.all_models) {
      if (m.css_classes && m.css_classes.includes("scenarios-choice") && m.options) {
        m.value = [m.value[0], name];
        return true;
      }
    }
  }
  return false;
}"""


def _compared(watched: WatchedPage, name: str) -> dict[str, dict]:
    """Wait until the comparison lists ``name``, choose it beside the first scenario and
    return its lines."""
    page = watched.page
    page.wait_for_function(
        f"() => {{ const o = ({CHOICE_OPTIONS_JS})(); return o !== null && "
        f"JSON.parse(o).includes({json.dumps(name)}); }}",
        timeout=deadline_ms(),
    )
    assert page.evaluate(SET_CHOICE_JS, name)
    out = {}
    for var in ("vttg_region", "area_region"):
        watched.wait_drawn(f"model:scenarios-src-{var}-{name}")
        out[var] = model_data(page, f"scenarios-src-{var}-{name}")
    return out


def test_saved_whatif_runs_from_the_cli_with_the_page_figures(dashboard_url, worker_id, tmp_path):
    user_file = ROOT / ".home" / f"dashboard_tests_{worker_id}" / ".hmn_bygg" / "scenarios.yaml"
    name = f"lagret_{int(time.time() * 1000)}"  # saved names are never overwritten
    bundled = sorted(p.name for p in models_dir().iterdir())
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            other = WatchedPage(browser, dashboard_url)  # a second tab, open before the save
            other.tab("Scenarier")
            other.wait_drawn("model:scenarios-vttg_region")
            watched = WatchedPage(browser, dashboard_url)
            page = watched.page
            page.locator("select").first.select_option(label="Innhenting +210 MNOK/år")
            watched.tab("Hva om")
            watched.wait_drawn("model:whatif-vttg_region")
            watched.wait_whatif(0)
            assert page.evaluate(SET_SLIDER_JS, ["whatif-shift", 2])  # disposals 2 years later
            handle = watched.extra_handle()
            handle.focus()
            for _ in range(5):
                handle.press("ArrowRight")  # 5 steps of 10 MNOK/yr
            watched.wait_whatif(50)  # the last change: its result has the shift too
            shown = {v: model_data(page, f"whatif-src-{v}") for v in ("vttg_region", "area_region")}
            page.locator(".whatif-save-name input").fill(name)
            page.locator(".whatif-save button").click()
            page.get_by_text(f"Lagret «{name}»", exact=False).first.wait_for()
            # the comparison of this session and of the other open tab: no reload
            watched.tab("Scenarier")
            for session in (watched, other):
                lines = _compared(session, name)
                for var, data in shown.items():
                    assert lines[var]["x"] == data["x"]
                    np.testing.assert_allclose(lines[var]["y"], data["y"], rtol=1e-9)
            assert watched.errors == [] and other.errors == []
            browser.close()
        assert sorted(p.name for p in models_dir().iterdir()) == bundled  # nothing in models/
        out = tmp_path / "saved.nc"
        code, text = invoke(["run", "--scenarios", str(user_file), "-s", name, "--quiet",
                             "-o", str(out)])  # fmt: skip
        assert code == 0, text
        import xarray as xr

        with xr.open_dataset(out) as ds:
            for var, data in shown.items():
                ran = ds[var].sel(scenario=name, year=[int(y) for y in data["x"]])
                np.testing.assert_allclose(ran.values, data["y"], rtol=1e-9)
        kept = load_scenarios(None, user_file, [name])[name]
        assert kept.portfolio.disposals.delay_years.value == 2  # the shift is kept
    finally:
        user_file.unlink(missing_ok=True)  # the other browser tests see the bundled scenarios
