"""Serve the dashboard with Panel's Bokeh server, on 127.0.0.1 by default, offline."""

from __future__ import annotations

import panel as pn

TITLE = "HMN bygg"


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
        Passed to :func:`panel.serve`.

    Notes
    -----
    Every resource (Bokeh, Panel, Tabulator) is inlined or served by this server; the page
    makes no request to any other host. Each session calls
    :func:`hmn_bygg.dashboard.create_app` afresh.
    """
    from hmn_bygg.dashboard.app import create_app

    pn.config.inline = True
    origins = [f"{address}:{port}", f"localhost:{port}", f"127.0.0.1:{port}"]
    pn.serve(
        {"/": create_app},
        port=port,
        address=address,
        show=show,
        title=TITLE,
        websocket_origin=origins,
        liveness=True,
        **kwargs,
    )
