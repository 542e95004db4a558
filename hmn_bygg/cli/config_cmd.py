"""``hmn-bygg config ...``: check model and scenario files, show parameters, write the schema."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from hmn_bygg.cli.app import app, group_settings
from hmn_bygg.cli.texts import say
from hmn_bygg.core.errors import InputError, Problem

if TYPE_CHECKING:
    from hmn_bygg.config import Model

config_app = typer.Typer(
    no_args_is_help=True, rich_markup_mode=None, context_settings=group_settings()
)
app.add_typer(config_app, name="config")

ModelOption = Annotated[Path | None, typer.Option("--model", "-m")]
ScenariosOption = Annotated[Path | None, typer.Option("--scenarios", "-s")]


def _fail(err: InputError) -> SystemExit:
    """Print the problems in the command line's language; the caller raises the returned exit
    (code 1, no traceback)."""
    from hmn_bygg.cli.texts import cli_lang

    print(err.render(cli_lang()), file=sys.stderr)
    return SystemExit(1)


def format_value(value: Any) -> str:
    """Format a scalar, year path or table for the terminal: ``{2019: 0, 2020: 210}``."""
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {format_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


@config_app.command("schema")
def schema_cmd(
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
) -> None:
    # help and --help: "config schema" in texts.yaml
    from hmn_bygg.cli.arguments import check_arguments
    from hmn_bygg.config import schema_text

    check_arguments(outputs={"--output": output})
    text = schema_text()
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        print(say("wrote", path=output))


@config_app.command("check")
def check_cmd(
    model: Annotated[Path | None, typer.Argument()] = None,
    scenarios: ScenariosOption = None,
) -> None:
    # help and --help: "config check" in texts.yaml
    from hmn_bygg.cli.arguments import check_arguments, model_inputs
    from hmn_bygg.config import load_model, load_scenarios

    check_arguments(inputs=model_inputs(model, scenarios, option="MODEL"))
    from hmn_bygg.finance.actuals import actuals_for
    from hmn_bygg.finance.price_basis import index_for

    try:
        base = load_model(model)
        resolved = load_scenarios(model, scenarios)
        actuals, _ = actuals_for(base), index_for(base)
    except InputError as err:
        raise _fail(err) from None
    m = base.model
    print(say("config_model", name=m.name, file=base.file, first=m.start_year, last=m.end_year))
    names = ", ".join(resolved) or say("config_none")
    print(say("config_scenarios", n=len(resolved), names=names))
    print(say("config_actuals", n=len(actuals.rows), file=m.actuals, index=m.price_index,
              plan=m.first_plan_year))  # fmt: skip
    print(say("config_ok"))


def _show_lines(resolved: Model, key: str | None) -> list[str]:
    from hmn_bygg.config import key_index, resolve_key
    from hmn_bygg.config.keys import hint
    from hmn_bygg.core.messages import Msg

    index = key_index()
    if key in index:
        chosen = [key]
    else:
        prefix = "" if key is None else key + "."
        chosen = [k for k, i in index.items() if k.startswith(prefix) and i.kind != "entry"]
        if not chosen:
            msg = Msg("config.unknown_key", hint=hint(str(key), index))
            title = Msg("config.cannot_show_key")
            raise InputError([Problem("model", msg, column=key)], title=title)
    lines = []
    for k in chosen:
        info = resolve_key(resolved, k)
        unit = f" {info.unit}" if info.unit else ""
        lines.append(f"{k} = {format_value(info.value)}{unit}")
        if info.source is not None:
            lines.append(say("config_source", source=info.source))
    return lines


@config_app.command("show")
def show_cmd(
    key: Annotated[str | None, typer.Option("--key", "-k")] = None,
    scenario: Annotated[str | None, typer.Option("--scenario")] = None,
    model: ModelOption = None,
    scenarios: ScenariosOption = None,
) -> None:
    # help and --help: "config show" in texts.yaml
    from hmn_bygg.cli.arguments import check_arguments, model_inputs
    from hmn_bygg.config import load_model, load_scenarios

    check_arguments(inputs=model_inputs(model, scenarios))
    try:
        if scenario is None:
            resolved = load_model(model)
        else:
            resolved = load_scenarios(model, scenarios, [scenario])[scenario]
        lines = _show_lines(resolved, key)
    except InputError as err:
        raise _fail(err) from None
    print("\n".join(lines))
