"""The ``hmn-bygg`` command line: a thin typer layer over the library.

Each command group lives in its own module and adds itself to :data:`app`. Any
:class:`hmn_bygg.core.errors.InputError` ends the command with its message and exit code 1,
never a traceback; so do usage errors (exit code 2). Help, the commands' own messages and
every error are in the language of ``--lang`` or ``$HMN_BYGG_LANG`` (bokmål by default): help
and notices from ``texts.yaml`` (:mod:`hmn_bygg.cli.texts`), errors rendered with
``err.render(lang)`` from the stages' ``messages.yaml``, and click's own words ("Usage:",
"Error: No such option") from a gettext catalogue (:mod:`hmn_bygg.cli.click_words`).
"""

from __future__ import annotations

import os
import sys

import typer
import typer.main

from hmn_bygg.cli import (  # noqa: F401  (they add commands)
    brief_cmd,
    config_cmd,
    docs_cmd,
    excel_cmd,
    ltb_cmd,
    main_cmd,
    register_cmd,
    run_cmd,
    serve_cmd,
    solve_cmd,
    survey_cmd,
    synth_cmd,
    track_cmd,
    validate_cmd,
)
from hmn_bygg.cli.app import app
from hmn_bygg.core.errors import InputError
from hmn_bygg.core.fmt import Lang

__all__ = ["app", "main"]


def _click_exception_types() -> tuple[type[BaseException], ...]:
    """Return click's exception base classes, including the copy typer may vendor."""
    import click

    types: list[type[BaseException]] = [click.ClickException]
    try:  # typer >= 0.16 may ship its own click
        from typer._click.exceptions import ClickException as VendoredClickException

        types.append(VendoredClickException)
    except ImportError:
        pass
    return tuple(types)


def main() -> None:
    """Run the CLI; turn input and usage errors into a clear message and an exit code."""
    from hmn_bygg.cli import click_words, texts
    from hmn_bygg.core.lazy_dask import defer_dask_when_xarray_loads

    defer_dask_when_xarray_loads()  # only the ensemble needs dask: see core/lazy_dask.py
    lang = texts.cli_lang()
    env = os.environ.get(texts.ENV)
    if env is not None and env.strip().lower() not in texts.LANGS:
        print(f"{texts.ENV}: " + texts.say("bad_lang", lang, found=env), file=sys.stderr)
    refused = texts.lang_problem(sys.argv[1:])
    if refused is not None:
        print(refused, file=sys.stderr)
        sys.exit(2)
    click_words.use(lang)  # typer's own words (gettext) in the language
    try:
        _run(lang)
    finally:  # as they were, for whatever runs next in this process (tests)
        click_words.use("en")


def _run(lang: Lang) -> None:
    """Run the command line in ``lang``; always ends with ``sys.exit``."""
    from hmn_bygg.cli import click_words, texts
    from hmn_bygg.cli.arguments import ArgumentError

    command = typer.main.get_command(app)
    args = texts.without_lang(command, sys.argv[1:])
    if texts.shows_help(command, args):  # the help texts only when help is shown
        texts.localise(command, lang)
    try:
        code = command.main(args=args, prog_name="hmn-bygg", standalone_mode=False)
    except ArgumentError as err:  # refused before any work: one line per argument
        print(err.render(lang), file=sys.stderr)
        sys.exit(2)
    except InputError as err:
        print(err.render(lang), file=sys.stderr)
        sys.exit(1)
    except _click_exception_types() as err:
        click_words.show_error(err, lang)  # click's words in the language
        sys.exit(getattr(err, "exit_code", 2))
    except (typer.Exit, SystemExit) as err:
        code = getattr(err, "exit_code", getattr(err, "code", 0))
    except (typer.Abort, KeyboardInterrupt):
        print(texts.say("aborted", lang), file=sys.stderr)
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)
