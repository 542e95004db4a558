"""The dashboard server for tests and benchmarks: start, stop, its sessions and memory."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hmn_bygg.core.paths import project_root
from tests.harness.deadline import deadline_s, wait_until


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(
    port: int | None = None, home: Path | None = None, *, options: dict[str, Any] | None = None
) -> tuple[subprocess.Popen, str]:
    """Start the dashboard server on 127.0.0.1 and wait until it answers.

    Parameters
    ----------
    port : int, optional
        Port (default: a free one).
    home : Path, optional
        ``HOME`` of the server (default ``<repo>/.home/dashboard``, ignored by git); its
        log is ``server.log`` there (:func:`server_log`).
    options : dict, optional
        Keyword arguments for :func:`hmn_bygg.dashboard.server.serve` (e.g.
        ``unused_session_lifetime_milliseconds``); without them the server is started as
        ``hmn-bygg serve --no-show``, as a user would.

    Returns
    -------
    (subprocess.Popen, str)
        The server process (stop it with :func:`stop_server`) and its URL.
    """
    port = port or free_port()
    home = home or project_root() / ".home" / "dashboard"
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "HOME": str(home), "BOKEH_RESOURCES": "server"}
    if options:
        code = (
            "import json, sys; from hmn_bygg.dashboard.server import serve; "
            "serve(port=int(sys.argv[1]), address='127.0.0.1', show=False, "
            "**json.loads(sys.argv[2]))"
        )
        args = [sys.executable, "-c", code, str(port), json.dumps(options)]
    else:
        code = "from hmn_bygg.cli import main; main()"
        args = [sys.executable, "-c", code, "serve", "--no-show", "--port", str(port)]
        args += ["--address", "127.0.0.1"]
    log = open(server_log(home), "wb")
    try:
        proc = subprocess.Popen(
            args, cwd=project_root(), env=env, stdout=log, stderr=subprocess.STDOUT
        )
    finally:
        log.close()
    url = f"http://127.0.0.1:{port}/"

    def answers() -> bool:
        if proc.poll() is not None:
            text = server_log(home).read_text(encoding="utf-8", errors="replace")
            raise RuntimeError(f"the dashboard server stopped:\n{text[-3000:]}")
        try:
            with urllib.request.urlopen(url + "liveness", timeout=deadline_s()):
                return True
        except OSError:
            return False

    try:
        wait_until(answers, "the dashboard server answering on /liveness")
    except BaseException:
        stop_server(proc)
        raise
    return proc, url


def server_log(home: Path) -> Path:
    """Return the log file of a server started with ``home``."""
    return home / "server.log"


def stop_server(proc: subprocess.Popen) -> None:
    """Stop the server started by :func:`start_server` (by its PID)."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def session_counts(url: str) -> dict[str, int]:
    """Return the server's ``/sessions`` figures: created, destroyed, open and released."""
    with urllib.request.urlopen(url + "sessions", timeout=deadline_s()) as r:
        return json.loads(r.read())


def wait_sessions_closed(url: str) -> float:
    """Wait until the server has destroyed every session and released their memory.

    Both read from the server's ``/sessions`` (no session open; the memory release has run
    after the last one was destroyed), within :func:`~tests.harness.deadline.deadline_s`.

    Returns
    -------
    float
        The seconds it took.
    """
    t0 = time.monotonic()

    def closed() -> bool:
        c = session_counts(url)
        return c["open"] == 0 and c.get("released", c["destroyed"]) >= c["destroyed"]

    wait_until(closed, f"every session of {url} destroyed and its memory released")
    return time.monotonic() - t0


def rss_mib(pid: int) -> float:
    """Resident memory of process ``pid`` [MiB] (psutil, else ``/proc/PID/status``)."""
    try:
        import psutil
    except ImportError:  # pragma: no cover - psutil comes with dask.distributed
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError(f"no VmRSS for process {pid}") from None
    return psutil.Process(pid).memory_info().rss / 2**20


def machine_info() -> dict[str, Any]:
    """Return what a benchmark's figures depend on: CPU, cores, memory, versions."""
    import platform

    import bokeh
    import panel

    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = 0.0
    with contextlib.suppress(OSError, ValueError, IndexError):
        mem = int(Path("/proc/meminfo").read_text().split()[1]) / 2**20
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(mem, 1),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "panel": panel.__version__,
        "bokeh": bokeh.__version__,
        "load_average_1min": os.getloadavg()[0],
    }


def percentiles(values: Sequence[float]) -> dict[str, float]:
    """Return median, p90, p99 and max of ``values`` (nearest-rank percentiles)."""
    xs = sorted(values)

    def rank(q: float) -> float:
        return xs[min(len(xs) - 1, max(0, -(-len(xs) * q // 100) - 1))] if xs else float("nan")

    return {
        "n": len(xs),
        "median": statistics.median(xs) if xs else float("nan"),
        "p90": rank(90),
        "p99": rank(99),
        "max": xs[-1] if xs else float("nan"),
    }
