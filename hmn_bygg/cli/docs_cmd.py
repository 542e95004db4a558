"""``hmn-bygg docs build``: regenerate the generated sections of ``docs/``."""

from __future__ import annotations

from typing import Annotated

import typer

from hmn_bygg.cli.app import app, group_settings

docs_app = typer.Typer(no_args_is_help=True, context_settings=group_settings())
app.add_typer(docs_app, name="docs")


@docs_app.command("build")
def build_cmd(
    check: Annotated[bool, typer.Option("--check")] = False,
) -> None:
    # help and --help: "docs build" in texts.yaml
    from hmn_bygg.cli.docs_gen import build_docs, stale_docs
    from hmn_bygg.cli.texts import say

    if check:
        stale = stale_docs()
        for path in stale:
            typer.echo(say("docs_stale", path=path))
        raise typer.Exit(1 if stale else 0)
    changed = build_docs()
    for path in changed:
        typer.echo(say("docs_updated", path=path))
    if not changed:
        typer.echo(say("docs_current"))
