"""Bookkeeping of the server's sessions: how many there are, and memory given back.

:func:`track` is called by :func:`hmn_bygg.dashboard.create_app` for every served session.
The counts answer ``GET /sessions`` (:class:`hmn_bygg.dashboard.server.SessionsHandler`).
When sessions are destroyed (their tabs closed, see
:data:`hmn_bygg.dashboard.server.UNUSED_SESSION_LIFETIME_MS`), a moment later the garbage
is collected and the C heap's free memory handed back to the operating system, so that a
long-running server's resident memory follows its open sessions instead of its busiest hour.
The count ``released`` says how many destroyed sessions that release has followed, so that
a watcher (the load test) can tell when the memory is back without guessing a wait.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import threading
from typing import Any

import panel as pn

RELEASE_DELAY_S = 2.0
"""Wait this long after a session is destroyed before releasing memory [s] (one release for
a burst of closed sessions)."""

_COUNTS = {"created": 0, "destroyed": 0, "released": 0}
_LOCK = threading.Lock()
_release_pending = False


def session_counts() -> dict[str, int]:
    """Return how many sessions this process created and destroyed, and how many are open.

    ``released`` is the number of destroyed sessions whose memory release
    (:func:`release_memory`) has run since they were destroyed.
    """
    with _LOCK:
        return {**_COUNTS, "open": _COUNTS["created"] - _COUNTS["destroyed"]}


def track(doc: Any) -> None:
    """Count a served session's Bokeh document, and release memory when it is destroyed."""
    if doc is None or doc.session_context is None:
        return
    with _LOCK:
        _COUNTS["created"] += 1
    doc.on_session_destroyed(_destroyed)


def _destroyed(_context: Any) -> None:
    global _release_pending
    with _LOCK:
        _COUNTS["destroyed"] += 1
        if _release_pending:
            return
        _release_pending = True
    from tornado.ioloop import IOLoop

    IOLoop.current().call_later(RELEASE_DELAY_S, release_memory)


def release_memory() -> None:
    """Collect garbage and return the C heap's free pages to the system (glibc only)."""
    global _release_pending
    with _LOCK:
        _release_pending = False
        destroyed = _COUNTS["destroyed"]
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    with _LOCK:
        _COUNTS["released"] = max(_COUNTS["released"], destroyed)


def serve_stylesheets_here(doc: Any) -> None:
    """Have the session's stylesheets point at this server from the first model on.

    Panel gives a component's stylesheets its CDN address until the session's page is
    rendered, then rewrites them to the server's copy; under many sessions at once some kept
    the CDN address (the page then asked the internet for its CSS, and offline went without).
    Setting the server's address on the document before the page is built leaves nothing to
    rewrite. Outside a served session it does nothing.
    """
    if doc is None or doc.session_context is None:
        return
    from panel.io.resources import LOCAL_DIST

    rel = pn.state.rel_path
    doc._template_variables.setdefault("dist_url", f"{rel}/{LOCAL_DIST}" if rel else LOCAL_DIST)
