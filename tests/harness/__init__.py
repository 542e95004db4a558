"""Start the dashboard server and a headless Chromium for browser tests and benchmarks.

Used by ``tests/test_dashboard_browser.py``, ``tests/test_dashboard_load.py``,
``benchmarks/whatif_latency.py`` and ``benchmarks/dashboard_load.py``; needs Playwright and
Chromium at :data:`CHROMIUM`. Everything here talks to 127.0.0.1 only. It lives with the
tests, not in the installed package (which never imports it).

- :mod:`~tests.harness.deadline`: :func:`deadline_s`, the one deadline of every wait
  (``HMN_TEST_DEADLINE_S``, default 300 s), and :func:`wait_until`, a polled condition;

- :mod:`~tests.harness.server`: :func:`start_server` / :func:`stop_server`
  (``hmn-bygg serve`` in a subprocess, its log in a file: a pipe nobody reads would block
  the server once full), its ``/sessions`` counts and resident memory;
- :mod:`~tests.harness.browser`: :class:`WatchedPage`, one page with its
  console errors and requests recorded, tab switching, waits for Bokeh models and what-if
  results, and :func:`whatif_latencies`;
- :mod:`~tests.harness.load`: :func:`run_load`, many concurrent sessions each
  setting its own what-if value, with latencies and the server's memory before, during and
  after, and :func:`expected_whatif`, the same what-ifs computed directly.
"""

from tests.harness.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    EXTRA_SLIDER,
    LOCAL_PREFIXES,
    MODEL_CHANGED_JS,
    MODEL_DATA_JS,
    MODEL_EXISTS_JS,
    SET_SLIDER_JS,
    VIEWPORT,
    WATCH_DONE_JS,
    WATCH_JS,
    WATCH_PAINTED_JS,
    WATCH_READ_JS,
    WHATIF_TAB,
    WatchedPage,
    launch_chromium,
    model_data,
    tab_locator,
    two_frames,
    wait_for_model_change,
    whatif_latencies,
    whatif_selector,
)
from tests.harness.deadline import (
    DEADLINE_ENV,
    deadline_ms,
    deadline_s,
    wait_until,
)
from tests.harness.load import (
    LoadRun,
    SessionRun,
    expected_whatif,
    run_load,
    session_values,
)
from tests.harness.server import (
    free_port,
    machine_info,
    percentiles,
    rss_mib,
    server_log,
    session_counts,
    start_server,
    stop_server,
    wait_sessions_closed,
)

__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "DEADLINE_ENV",
    "EXTRA_SLIDER",
    "LOCAL_PREFIXES",
    "MODEL_CHANGED_JS",
    "MODEL_DATA_JS",
    "MODEL_EXISTS_JS",
    "SET_SLIDER_JS",
    "VIEWPORT",
    "WATCH_DONE_JS",
    "WATCH_JS",
    "WATCH_PAINTED_JS",
    "WATCH_READ_JS",
    "WHATIF_TAB",
    "LoadRun",
    "SessionRun",
    "WatchedPage",
    "deadline_ms",
    "deadline_s",
    "expected_whatif",
    "free_port",
    "launch_chromium",
    "machine_info",
    "model_data",
    "percentiles",
    "rss_mib",
    "run_load",
    "server_log",
    "session_counts",
    "session_values",
    "start_server",
    "stop_server",
    "tab_locator",
    "two_frames",
    "wait_for_model_change",
    "wait_sessions_closed",
    "wait_until",
    "whatif_latencies",
    "whatif_selector",
]
