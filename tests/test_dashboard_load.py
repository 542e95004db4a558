"""Load test: 20 concurrent browser sessions against one dashboard server on 127.0.0.1.

Each session (a page of one headless Chromium) opens the dashboard, goes to "Hva om" and, at the
same moment as all the others, sets its own extra maintenance (10, 20, ..., 200 MNOK/yr).
Each must then show the result of its own input, as :func:`hmn_bygg.run.run_models`
computes it directly (no state shared between sessions), with no console error and no
request off the machine. After the tabs are closed the server must destroy every session
and its resident memory must come back to within :data:`RSS_MARGIN_MIB` (or
:data:`RSS_MARGIN_SHARE` of it, whichever is larger) of its level after a warm-up. About
1–2 minutes on 2 cores.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from hmn_bygg.fmt import fmt_number
from tests.harness import (
    CHROMIUM,
    expected_whatif,
    run_load,
    start_server,
    stop_server,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
pytest.importorskip("playwright.async_api")

ROOT = Path(__file__).resolve().parents[1]
SESSIONS = 20
WARMUP = 2
RSS_MARGIN_MIB = 100.0
RSS_MARGIN_SHARE = 0.25


@pytest.fixture(scope="module")
def load():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    proc, url = start_server(home=ROOT / ".home" / "test_dashboard_load")
    try:
        yield run_load(url, proc.pid, sessions=SESSIONS, warmup=WARMUP)
    finally:
        stop_server(proc)


def test_each_session_shows_the_result_of_its_own_input(load):
    runs = sorted(load.sessions, key=lambda r: r.extra)
    assert [r.extra for r in runs] == [10 * (i + 1) for i in range(SESSIONS)]
    expected = expected_whatif([r.extra for r in runs])
    for r in runs:
        want = expected[r.extra]
        assert r.vttg_end == pytest.approx(want["vttg_end"], abs=1e-9), r.extra
        assert r.need_end == pytest.approx(want["need_end"], abs=1e-6), r.extra
        assert r.liquidity_min == pytest.approx(want["liquidity_min"], abs=1e-6), r.extra
        assert r.card_vttg == fmt_number(want["vttg_end"], 2), r.extra
    vttg = [r.vttg_end for r in runs]
    assert all(a > b for a, b in itertools.pairwise(vttg))  # more money, better


def test_no_session_had_errors_or_left_the_machine(load):
    assert [(r.extra, r.errors) for r in load.sessions if r.errors] == []
    assert [(r.extra, r.external) for r in load.sessions if r.external] == []
    assert all(len(r.first_ms) == 1 and len(r.full_ms) == 1 for r in load.sessions)


def test_closed_sessions_are_destroyed_and_memory_comes_back(load):
    counts = load.counts_after
    assert counts["open"] == 0
    # every session was built once: none was dropped before its page connected, and rebuilt
    assert counts["created"] == counts["destroyed"] == SESSIONS + WARMUP
    margin = max(RSS_MARGIN_MIB, RSS_MARGIN_SHARE * load.rss_warm_mib)
    assert load.rss_peak_mib > load.rss_warm_mib  # the sessions did take memory
    assert load.rss_after_mib <= load.rss_warm_mib + margin, load.summary()
