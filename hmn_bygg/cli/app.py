"""The root typer application that every command module adds itself to."""

from __future__ import annotations

from typing import Any

import typer


def group_settings() -> dict[str, Any]:
    """Return the ``context_settings`` of a command group: ``--help`` is off unless given.

    typer checks a group's ``--help`` flag that was not given (``hmn-bygg solve budget
    --help`` leaves the flags of ``hmn-bygg`` and ``solve`` unset) through a pydantic type
    adapter, which imports pydantic and costs more than the help text itself. With
    ``False`` as the flag's default there is nothing to check. Nothing else changes: the
    flag is ``False`` whenever it is not given.
    """
    return {"default_map": {"help": False}}


app = typer.Typer(
    name="hmn-bygg",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings=group_settings(),
)


def check_lang(lang: str, where: str = "--lang") -> str:
    """Return ``lang`` when it is ``nb`` or ``en``; else a usage error in the user's language.

    The language itself was read from the command line before click parsed it
    (:func:`hmn_bygg.cli.texts.cli_lang`); this only refuses a value that is neither.
    """
    from hmn_bygg.cli.texts import LANGS, say

    if lang not in LANGS:
        raise typer.BadParameter(say("bad_lang", found=lang), param_hint=where)
    return lang
