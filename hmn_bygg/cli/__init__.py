"""The ``hmn-bygg`` command line: a thin typer layer over the library.

Each command group lives in its own module and adds itself to :data:`app`. Any
:class:`hmn_bygg.errors.InputError` ends the command with its message and exit code 1,
never a traceback.
"""

from __future__ import annotations

import sys

import typer

from hmn_bygg.errors import InputError

app = typer.Typer(
    name="hmn-bygg",
    help="Plan a hospital building portfolio and the money behind it (Helse Midt-Norge).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Command groups register themselves on import.
from hmn_bygg.cli import register_cmd  # noqa: E402, F401


def main() -> None:
    """Run the CLI; turn input errors into a clear message and exit code 1."""
    try:
        app(standalone_mode=False)
    except InputError as err:
        print(str(err), file=sys.stderr)
        sys.exit(1)
    except (typer.Exit, SystemExit) as err:
        code = getattr(err, "exit_code", getattr(err, "code", 0))
        sys.exit(code if isinstance(code, int) else 0)
    except typer.Abort:
        print("Aborted.", file=sys.stderr)
        sys.exit(130)
    except Exception as err:  # click usage errors and the like
        import click

        if isinstance(err, click.ClickException):
            err.show()
            sys.exit(err.exit_code)
        raise
