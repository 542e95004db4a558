"""Start the dashboard server and a headless Chromium for browser tests and benchmarks.

Used by ``tests/test_dashboard_browser.py`` and ``benchmarks/whatif_latency.py``; needs the
``test`` extra (Playwright) and Chromium at :data:`CHROMIUM`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from hmn_bygg.paths import project_root

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

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


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int | None = None, home: Path | None = None) -> tuple[subprocess.Popen, str]:
    """Start ``hmn-bygg serve --no-show`` on 127.0.0.1 and wait until it answers.

    Parameters
    ----------
    port : int, optional
        Port (default: a free one).
    home : Path, optional
        ``HOME`` of the server (default ``<repo>/.home/dashboard``, ignored by git).

    Returns
    -------
    (subprocess.Popen, str)
        The server process (stop it with :func:`stop_server`) and its URL.
    """
    port = port or free_port()
    home = home or project_root() / ".home" / "dashboard"
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "HOME": str(home), "BOKEH_RESOURCES": "server"}
    code = "from hmn_bygg.cli import main; main()"
    args = [sys.executable, "-c", code, "serve", "--no-show", "--port", str(port)]
    proc = subprocess.Popen(
        [*args, "--address", "127.0.0.1"],
        cwd=project_root(),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read().decode() if proc.stderr else ""
            raise RuntimeError(f"the dashboard server stopped:\n{err}")
        try:
            with urllib.request.urlopen(url + "liveness", timeout=1):
                return proc, url
        except OSError:
            time.sleep(0.2)
    stop_server(proc)
    raise RuntimeError("the dashboard server did not answer within 30 s")


def stop_server(proc: subprocess.Popen) -> None:
    """Stop the server started by :func:`start_server` (by its PID)."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
    if proc.stderr is not None:
        proc.stderr.close()


def launch_chromium(playwright: Any) -> Any:
    """Launch headless Debian Chromium through Playwright's sync API."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def model_data(page: Any, name: str) -> dict[str, list] | None:
    """Return the data of the Bokeh model called ``name`` in the page, or None."""
    import json

    text = page.evaluate(MODEL_DATA_JS, name)
    return None if text is None else json.loads(text)


def wait_for_model_change(
    page: Any, name: str, before: dict | None, timeout: float = 10_000
) -> None:
    """Wait until the data of Bokeh model ``name`` differs from ``before`` (ms timeout)."""
    import json

    page.wait_for_function(
        f"([name, before]) => {{ const now = ({MODEL_DATA_JS})(name);"
        " return now !== null && now !== before; }",
        arg=[name, None if before is None else json.dumps(before)],
        timeout=timeout,
    )


def two_frames(page: Any) -> None:
    """Wait for two animation frames (the canvas is painted after a data change)."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
