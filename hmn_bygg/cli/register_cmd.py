"""``hmn-bygg register ...``: check, summarise and synthesise building registers."""

from __future__ import annotations

from pathlib import Path

import typer

from hmn_bygg.cli.app import app, group_settings

register_app = typer.Typer(
    help="Check, summarise and synthesise building registers.",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings=group_settings(),
)
app.add_typer(register_app, name="register")


@register_app.command("check")
def check(
    paths: list[Path] | None = typer.Argument(  # noqa: B008
        None,
        help="Register files (.csv, .xlsx) or folders with buildings.* and parts.*; "
        "default: the bundled (synthetic) register.",
        show_default=False,
    ),
    mapping: Path | None = typer.Option(  # noqa: B008
        None, "--mapping", help="YAML or CSV file: their heading -> our column name."
    ),
    include_hidden: bool = typer.Option(
        False, "--include-hidden", help="Also read the hidden sheets of workbooks."
    ),
) -> None:
    """Check a register export; print a one-line summary or every problem (exit code 1)."""
    from hmn_bygg.cli.arguments import check_arguments

    check_arguments(inputs={"PATHS": paths, "--mapping": mapping})
    from hmn_bygg.cli.texts import say
    from hmn_bygg.register.load import describe_register, load_register

    ds = load_register(paths or None, mapping=mapping, include_hidden=include_hidden)
    typer.echo(say("register_ok", what=describe_register(ds)))
    for note in ds.attrs.get("notes", []):
        typer.echo(say("note", note=note))
