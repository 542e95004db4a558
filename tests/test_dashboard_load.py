"""Load test: concurrent browser sessions against one dashboard server on 127.0.0.1.

It checks, it does not time (the timings under 20 sessions are ``benchmarks/dashboard_load.py``'s).
Each session (a page of one headless Chromium) opens the dashboard, goes to "Hva om" and, at
the same moment as all the others, sets its own extra maintenance, :data:`ROUNDS` times
(the last round: 10, 20, ..., 60 MNOK/yr). Each must then show the result of its own input,
as :func:`hmn_bygg.engine.run.run_models` computes it directly from the plain register (no state
shared between sessions), with no console error and no request off the machine. After the
tabs are closed the server must destroy every session it made, as its own ``/sessions``
says, and its resident memory must come back to within :data:`RSS_MARGIN_MIB` (or
:data:`RSS_MARGIN_SHARE` of it, whichever is larger) of its level after a warm-up.

The server drops a session without a connected tab after :data:`LIFETIME_MS` (the
dashboard's default is 30 s), so the test need not wait half a minute for each burst of
closed tabs; a page that takes longer than that to connect gets a new session, which the
counts allow (every one made must be destroyed).
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from hmn_bygg.core.fmt import fmt_number
from hmn_bygg.report.chromium import DEFAULT_CHROMIUM
from tests.harness import expected_whatif, run_load, session_values, start_server, stop_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
SESSIONS = 6
ROUNDS = 2
# One warm-up session, so that the sessions under test are the server's first concurrent ones
# (they once got Panel's stylesheets from its CDN: sessions.serve_stylesheets_here)
WARMUP = 1
LIFETIME_MS = 10_000
RSS_MARGIN_MIB = 100.0
RSS_MARGIN_SHARE = 0.25


@pytest.fixture(scope="module")
def load(worker_id):
    if not Path(DEFAULT_CHROMIUM).exists():
        pytest.fail(f"no Chromium at {DEFAULT_CHROMIUM}: run scripts/setup.sh --test")
    options = {
        "unused_session_lifetime_milliseconds": LIFETIME_MS,
        "check_unused_sessions_milliseconds": 1_000,
    }
    home = ROOT / ".home" / f"test_dashboard_load_{worker_id}"
    proc, url = start_server(home=home, options=options)
    try:
        yield run_load(url, proc.pid, sessions=SESSIONS, rounds=ROUNDS, warmup=WARMUP)
    finally:
        stop_server(proc)


def test_each_session_shows_the_result_of_its_own_input(load):
    runs = sorted(load.sessions, key=lambda r: r.extra)
    plans = session_values(SESSIONS, ROUNDS)
    assert [r.extra for r in runs] == [p[-1] for p in plans] == [10, 20, 30, 40, 50, 60]
    assert all(len(set(p)) == ROUNDS for p in plans)  # every session did change its input
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
    assert all(len(r.first_ms) == ROUNDS and len(r.full_ms) == ROUNDS for r in load.sessions)


def test_closed_sessions_are_destroyed_and_memory_comes_back(load):
    warm, after = load.counts_warm, load.counts_after
    # the server's own counts: every session it made (at least one per tab) was destroyed,
    # and the memory release ran after the last one
    assert warm["open"] == 0 and warm["created"] >= WARMUP
    assert after["open"] == 0
    assert after["created"] - warm["created"] >= SESSIONS
    assert after["destroyed"] == after["created"]
    assert after["released"] == after["destroyed"]
    margin = max(RSS_MARGIN_MIB, RSS_MARGIN_SHARE * load.rss_warm_mib)
    assert load.rss_peak_mib > load.rss_warm_mib  # the sessions did take memory
    assert load.rss_after_mib <= load.rss_warm_mib + margin, load.summary()
