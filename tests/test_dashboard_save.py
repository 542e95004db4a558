"""Browser test: a what-if saved with 'Lagre som scenario' runs from the CLI with the figures
the page showed (issue 22, item 5).

The dashboard server of the test session runs with its own home folder
(``.home/dashboard_tests_<worker>``), so the saved scenario lands in that home's
``.hmn_bygg/scenarios.yaml`` (the default user scenarios file), never in ``models/``.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from cli_invoke import invoke
from playwright.sync_api import sync_playwright

from hmn_bygg.core.paths import models_dir
from tests.harness import WatchedPage, launch_chromium, model_data

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]


def test_saved_whatif_runs_from_the_cli_with_the_page_figures(dashboard_url, worker_id, tmp_path):
    user_file = ROOT / ".home" / f"dashboard_tests_{worker_id}" / ".hmn_bygg" / "scenarios.yaml"
    name = f"lagret_{int(time.time() * 1000)}"  # saved names are never overwritten
    bundled = sorted(p.name for p in models_dir().iterdir())
    with sync_playwright() as p:
        browser = launch_chromium(p)
        watched = WatchedPage(browser, dashboard_url)
        page = watched.page
        page.locator("select").first.select_option(label="Innhenting +210 MNOK/år")
        watched.tab("Hva om")
        watched.wait_drawn("model:whatif-vttg_region")
        watched.wait_whatif(0)
        handle = watched.extra_handle()
        handle.focus()
        for _ in range(5):
            handle.press("ArrowRight")  # 5 steps of 10 MNOK/yr
        watched.wait_whatif(50)
        shown = model_data(page, "whatif-src-vttg_region")
        page.locator(".whatif-save-name input").fill(name)
        page.locator(".whatif-save button").click()
        page.get_by_text(f"Lagret «{name}»", exact=False).first.wait_for()
        assert watched.errors == []
        browser.close()
    assert sorted(p.name for p in models_dir().iterdir()) == bundled  # nothing in models/
    out = tmp_path / "saved.nc"
    code, text = invoke(["run", "--scenarios", str(user_file), "-s", name, "--quiet",
                         "-o", str(out)])  # fmt: skip
    assert code == 0, text
    import xarray as xr

    with xr.open_dataset(out) as ds:
        ran = ds["vttg_region"].sel(scenario=name)
        years = [int(y) for y in shown["x"]]
        np.testing.assert_allclose(ran.sel(year=years).values, shown["y"], rtol=1e-9)
