"""``hmn-bygg register ...``: check, summarise and synthesise building registers."""

from __future__ import annotations

import typer

from hmn_bygg.cli import app

register_app = typer.Typer(
    help="Check, summarise and synthesise building registers.", no_args_is_help=True
)
app.add_typer(register_app, name="register")
