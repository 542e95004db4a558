"""``hmn-bygg serve``: start the dashboard (Panel server) on this machine."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Annotated

import typer

from hmn_bygg.cli.app import app
from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.messages import Msg

PortOption = Annotated[int, typer.Option("--port", "-p", min=1, max=65535)]


def check_port(address: str, port: int) -> None:
    """Refuse, before anything runs, a port that is taken or an address this machine lacks.

    Parameters
    ----------
    address : str
        Interface to bind (``127.0.0.1`` by default).
    port : int
        TCP port.

    Raises
    ------
    InputError
        Naming the address and port and what to do.
    """
    with socket.socket() as s:
        try:
            s.bind((address, port))
        except OSError as err:
            problem = Problem(
                "--port" if err.errno == 98 else "--address",
                Msg("cli.cannot_listen"),
                expected=Msg("cli.a_free_port"),
                found=f"{address}:{port}: {err.strerror or err}",
            )
            raise InputError([problem], title=Msg("cli.dashboard_cannot_start")) from None


@app.command("serve")
def serve_cmd(
    port: PortOption = 5006,
    address: Annotated[str, typer.Option("--address")] = "127.0.0.1",
    show: Annotated[bool, typer.Option("--show/--no-show")] = True,
    scenarios: Annotated[Path | None, typer.Option("--scenarios")] = None,
) -> None:
    # help and --help: "serve" in texts.yaml
    from hmn_bygg.dashboard import serve

    if scenarios is not None:
        from hmn_bygg.cli.arguments import check_arguments

        check_arguments(inputs={"--scenarios": scenarios})
    check_port(address, port)
    from hmn_bygg.cli.texts import say

    print(say("dashboard_at", address=address, port=port), flush=True)
    extra = {"scenarios_path": str(scenarios)} if scenarios is not None else {}
    serve(port=port, address=address, show=show, **extra)
