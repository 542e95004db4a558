"""Serve the dashboard with Panel's Bokeh server, on 127.0.0.1 by default, offline."""

from __future__ import annotations

import json

import panel as pn
from tornado.web import RequestHandler

TITLE = "HMN bygg"
UNUSED_SESSION_LIFETIME_MS = 30_000
"""A session without a connected browser tab is dropped after this long [ms] (Bokeh: 15 000).

It also bounds the time from a page's request to its websocket connecting: a session whose
page takes longer to load (many pages opened at once) would be dropped and built again."""
CHECK_UNUSED_SESSIONS_MS = 5_000
"""How often the server looks for such sessions [ms] (Bokeh: 17 000)."""


class SessionsHandler(RequestHandler):
    """``GET /sessions``: how many sessions were created and destroyed, as JSON.

    For monitoring and the load test (a closed session must be destroyed, not leak); it
    tells nothing about what the sessions hold.
    """

    def get(self) -> None:
        from hmn_bygg.dashboard.sessions import session_counts

        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.write(json.dumps(session_counts()))


def serve(
    port: int = 5006, address: str = "127.0.0.1", *, show: bool = True, **kwargs: object
) -> None:
    """Start the dashboard server and block until it is stopped.

    Parameters
    ----------
    port : int
        TCP port (0 picks a free one).
    address : str
        Interface to bind; the default keeps the server on this machine.
    show : bool
        Open a browser tab.
    **kwargs
        Passed to :func:`panel.serve`, e.g. ``unused_session_lifetime_milliseconds``
        (default :data:`UNUSED_SESSION_LIFETIME_MS`) and ``check_unused_sessions_milliseconds``
        (default :data:`CHECK_UNUSED_SESSIONS_MS`); ``scenarios_path`` (str) is not passed on
        but is the scenario file of every session (default beside the model).

    Notes
    -----
    Every resource (Bokeh, Panel, Tabulator) is inlined or served by this server; the page
    makes no request to any other host. Each session calls
    :func:`hmn_bygg.dashboard.create_app` afresh; a session is destroyed (and its memory
    freed) about :data:`UNUSED_SESSION_LIFETIME_MS` after its tab is closed. ``/liveness``
    answers when the server is up; ``/sessions`` counts sessions (:class:`SessionsHandler`).
    """
    from hmn_bygg.dashboard.app import create_app

    pn.config.inline = True
    origins = [f"{address}:{port}", f"localhost:{port}", f"127.0.0.1:{port}"]
    options: dict[str, object] = {
        "unused_session_lifetime_milliseconds": UNUSED_SESSION_LIFETIME_MS,
        "check_unused_sessions_milliseconds": CHECK_UNUSED_SESSIONS_MS,
        **kwargs,
    }
    patterns = [("/sessions", SessionsHandler), *list(options.pop("extra_patterns", []))]  # type: ignore[call-overload]
    scenarios = options.pop("scenarios_path", None)
    scenarios = None if scenarios is None else str(scenarios)

    def app() -> pn.Column:  # a plain function: Panel calls it once per session
        return create_app(scenarios_path=scenarios)

    pn.serve(
        {"/": app},
        port=port,
        address=address,
        show=show,
        title=TITLE,
        websocket_origin=origins,
        liveness=True,
        extra_patterns=patterns,
        **options,
    )
