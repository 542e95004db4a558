"""``hmn-bygg serve``: start the dashboard (Panel server) on this machine."""

from __future__ import annotations

from typing import Annotated

import typer

from hmn_bygg.cli.app import app


@app.command("serve")
def serve_cmd(
    port: Annotated[int, typer.Option("--port", "-p", help="TCP port.")] = 5006,
    address: Annotated[
        str, typer.Option("--address", help="Interface to bind (default: this machine only).")
    ] = "127.0.0.1",
    show: Annotated[bool, typer.Option("--show/--no-show", help="Open a browser tab.")] = True,
) -> None:
    """Start the dashboard at http://ADDRESS:PORT/ (stop with Ctrl+C)."""
    from hmn_bygg.dashboard import serve

    print(f"Dashboard: http://{address}:{port}/  (Ctrl+C to stop)", flush=True)
    serve(port=port, address=address, show=show)
