"""``hmn-bygg register ...``: check, summarise and synthesise building registers."""

from __future__ import annotations

from pathlib import Path

import typer

from hmn_bygg.cli.app import app, group_settings

register_app = typer.Typer(
    no_args_is_help=True, rich_markup_mode=None, context_settings=group_settings()
)
app.add_typer(register_app, name="register")


@register_app.command("check")
def check(
    paths: list[Path] | None = typer.Argument(  # noqa: B008
        None, show_default=False
    ),
    mapping: Path | None = typer.Option(  # noqa: B008
        None, "--mapping"
    ),
    include_hidden: bool = typer.Option(False, "--include-hidden"),
) -> None:
    # help and --help: "register check" in texts.yaml
    from hmn_bygg.cli.arguments import check_arguments

    check_arguments(inputs={"PATHS": paths, "--mapping": mapping})
    from hmn_bygg.cli.texts import cli_lang, say
    from hmn_bygg.register.load import describe_register, load_register

    ds = load_register(paths or None, mapping=mapping, include_hidden=include_hidden)
    lang = cli_lang()
    typer.echo(say("register_ok", summary=describe_register(ds, lang)))
    for note in ds.attrs.get("notes", []):
        typer.echo(say("note", note=note.render(lang)))
