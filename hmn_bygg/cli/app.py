"""The root typer application that every command module adds itself to."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="hmn-bygg",
    help="Plan a hospital building portfolio and the money behind it (Helse Midt-Norge).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
