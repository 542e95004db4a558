"""The generated CLI reference (``docs/cli.md``): every command of ``hmn-bygg`` with its
usage and options, from the typer app's own help texts."""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from typing import Any

__all__ = ["render_cli"]


def _option_rows(command: Any, ctx: Any) -> list[str]:
    """One table row per argument and option: how to write it, and its help (with default)."""
    rows = []
    for param in command.get_params(ctx):
        if param.name == "help":
            continue
        if param.param_type_name == "argument":
            how = (param.name or "").upper()
            text = getattr(param, "help", None) or ""
            if not param.required:
                how = f"[{how}]"
        else:
            record = param.get_help_record(ctx)
            if record is None:
                continue
            how, text = record
        if param.required and param.param_type_name == "argument":
            text = f"{text} [required]"
        text = " ".join(text.split()).replace("|", "\\|")
        rows.append(f"| `{how}` | {text} |")
    return rows


def _is_group(command: Any) -> bool:
    return hasattr(command, "list_commands")  # click's Group, or the copy typer may vendor


def _walk_commands(command: Any, ctx: Any, path: list[str]) -> Iterable[tuple[list[str], Any, Any]]:
    yield path, command, ctx
    if _is_group(command):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is None or getattr(sub, "hidden", False):
                continue
            sub_ctx = sub.context_class(sub, info_name=name, parent=ctx)
            yield from _walk_commands(sub, sub_ctx, [*path, name])


def render_cli() -> str:
    """Return the CLI reference in English, whatever language the command runs in (typer's
    own words such as "[default: ...]" and "[required]" too).

    Returns
    -------
    str
        See :func:`_render_cli`.
    """
    import typer.core

    from hmn_bygg.cli import click_words

    before = typer.core._
    click_words.use("en")
    try:
        return _render_cli()
    finally:
        typer.core._ = before


def _render_cli() -> str:
    """Return the CLI reference: every command of ``hmn-bygg`` with usage and options.

    Returns
    -------
    str
        Markdown, one heading per command (``hmn-bygg solve budget``), with the English help
        of the catalogue ``hmn_bygg/cli/texts.yaml``.
    """
    import typer

    from hmn_bygg.cli import app
    from hmn_bygg.cli.texts import localise

    root = typer.main.get_command(app)
    localise(root, "en")  # the reference in English, from the catalogue as the CLI shows it
    ctx = root.context_class(root, info_name="hmn-bygg")
    out: list[str] = []
    for path, command, cctx in _walk_commands(root, ctx, ["hmn-bygg"]):
        title = " ".join(path)
        out += ["", f"### `{title}`", ""]
        help_text = inspect.cleandoc(command.help or "")
        if help_text:
            out += [help_text.replace("\b\n", ""), ""]
        if _is_group(command):
            subs = list(command.list_commands(cctx))
            out += ["Commands: " + ", ".join(f"`{n}`" for n in subs), ""]
            continue
        usage = " ".join(command.collect_usage_pieces(cctx)).replace("{", "").replace("}", "")
        out += ["```", f"{title} {usage}".rstrip(), "```", ""]
        rows = _option_rows(command, cctx)
        if rows:
            out += ["| argument / option | help |", "|---|---|", *rows]
    return "\n".join(out).strip()
