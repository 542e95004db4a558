"""Click's own words ("Usage:", "Options", "Error: No such option") in the command line's language.

The words come from two places, and both follow the language through one gettext catalogue,
``locale/nb/LC_MESSAGES/click.po`` (kept as data; its ``msgid`` is the English text as click
and typer write it, with ``{name}`` fields):

- **typer's words** (``typer/core.py``: "Options", "Arguments", "Commands", "Missing command.",
  "No such command {name!r}.", "default: {default}", "required", "Aborted!") are marked the
  standard way, ``from gettext import gettext as _``. :func:`use` points that ``_`` at the
  catalogue of the language (and back at :func:`gettext.gettext` for English), so they are
  translated where typer writes them.
- **click's words**: typer (0.16 and later) carries its own copy of click (``typer._click``)
  whose texts are English f-strings, not marked for gettext. Help gets its "Usage:",
  ``[OPTIONS]`` and ``COMMAND [ARGS]...`` from attributes set per command
  (:func:`localise_usage`), the type of each option (``<path>``) likewise
  (:func:`localise_type`); a usage error is shown by :func:`show_error`, which writes what
  ``UsageError.show`` writes (usage line, "Try ... for help.", "Error: ...") from the
  exception's fields, each text through the catalogue. A wrong value that typer's pydantic
  check refused is said by :func:`hmn_bygg.config.validation_errors.translate`.

The catalogue is compiled by babel once into a ``.mo`` file beside the byte code
(``__pycache__/click.nb.<crc32 of the .po>.mo``) and then read with the standard library's
:class:`gettext.GNUTranslations`, only when a word is asked for: help stays fast
(``benchmarks/cli_start.py``).
"""

from __future__ import annotations

import functools
import gettext
import os
import re
from pathlib import Path
from typing import Any

from hmn_bygg.core.fmt import Lang

__all__ = ["localise_type", "localise_usage", "show_error", "translations", "use"]

_PO = Path(__file__).with_name("locale") / "nb" / "LC_MESSAGES" / "click.po"

_TEMPLATES = (
    "Option {name!r} requires an argument.",
    "Option {name!r} does not take a value.",
    "Got unexpected extra argument(s) ({args})",
    "No such option: {name}",
)
"""Click's usage errors that reach us as finished English sentences: read back into their
fields (see :func:`_again`) and said again from the catalogue."""


@functools.cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalogue of ``lang`` (``nb``), or the English texts as they are (``en``)."""
    if lang != "nb":
        return gettext.NullTranslations()
    import zlib

    text = _PO.read_bytes()
    compiled = Path(__file__).parent / "__pycache__" / f"click.nb.{zlib.crc32(text):08x}.mo"
    try:
        with compiled.open("rb") as f:
            return gettext.GNUTranslations(f)
    except OSError:
        pass
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    buffer = io.BytesIO()
    write_mo(buffer, read_po(io.BytesIO(text), locale="nb"))
    try:
        compiled.parent.mkdir(exist_ok=True)
        partial = compiled.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(buffer.getvalue())
        partial.replace(compiled)  # whole or not at all, also with two commands at once
    except OSError:
        pass
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def _(text: str, lang: str) -> str:
    return translations(lang).gettext(text)


def use(lang: str) -> None:
    """Make typer's gettext-marked words speak ``lang`` (the catalogue is read when first used)."""
    import typer.core

    if lang == "nb":
        typer.core._ = lambda text: translations("nb").gettext(text)
    else:
        typer.core._ = gettext.gettext


class _Formatter:
    """Mixin of a help formatter whose usage line starts with "Usage:" in the language."""

    lang = "en"

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        prefix = _("Usage:", self.lang) + " " if prefix is None else prefix
        super().write_usage(prog, args, prefix)  # type: ignore[misc]


@functools.cache
def _context_class(base: type, lang: str) -> type:
    """``base`` (a click context class) whose help formatter speaks ``lang``."""
    formatter = type("Formatter", (_Formatter, base.formatter_class), {"lang": lang})  # type: ignore[attr-defined]
    return type("Context", (base,), {"formatter_class": formatter, "unlocalised": base})


def localise_usage(command: Any, lang: str) -> None:
    """Set the usage words of ``command`` ("Usage:", ``[OPTIONS]``, ``COMMAND [ARGS]...``).

    Parameters
    ----------
    command : click.Command
        One command of the tree typer built.
    lang : {"nb", "en"}
        Language.
    """
    if command.options_metavar:
        command.options_metavar = _("[OPTIONS]", lang)
    if getattr(command, "subcommand_metavar", None):
        command.subcommand_metavar = _("COMMAND [ARGS]...", lang)
    base = getattr(command.context_class, "unlocalised", command.context_class)
    command.context_class = _context_class(base, lang)


def localise_type(param: Any, lang: str) -> None:
    """Show the type of a parameter in help (``<path>``, ``<int>``) in ``lang``."""
    made = getattr(type(param), "display_type", None)
    if made is not None:
        param.display_type = lambda ctx: _(made(param, ctx), lang)


def _again(message: str, lang: str) -> str:
    """A finished English sentence of click's (:data:`_TEMPLATES`) said again in ``lang``."""
    for template in _TEMPLATES:
        pattern = re.escape(template)
        pattern = re.sub(r"\\\{(\w+)!r\\\}", r"'(?P<\1>.*)'", pattern)
        pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.*)", pattern)
        found = re.fullmatch(pattern, message)
        if found is not None:
            return _(template, lang).format(**found.groupdict())
    return message


def _value_problem(err: Any, lang: Lang) -> str:
    """What was wrong with a value: from typer's pydantic check, else the message itself."""
    cause = err.__cause__
    errors = getattr(cause, "errors", None)
    if not callable(errors):
        return _again(str(err.message), lang)
    from hmn_bygg.cli.arguments import NumberError
    from hmn_bygg.config.validation_errors import translate
    from hmn_bygg.core.messages import Msg, render

    first = errors(include_url=False)[0]
    wrong = (first.get("ctx") or {}).get("error")
    if isinstance(wrong, NumberError):
        return Msg("cli.not_a_number", found=repr(wrong.found)).render(lang)
    message, expected, found = translate(first)
    choice = re.fullmatch(r"'(.*)' is not one of (.*)\.", str(wrong))  # typer's choice check
    if choice is not None:
        message, found = Msg("config.not_allowed"), choice[1]
        expected = Msg("config.one_of_list", items=choice[2])
    text = str(render(message, lang))
    if expected is not None:
        text += Msg("core.expected", expected=render(expected, lang)).render(lang)
    if found is not None and expected is not None:
        text += Msg("core.found_after", found=repr(found)).render(lang)
    elif found is not None:
        text += Msg("core.found", found=repr(found)).render(lang)
    return text


def _message(err: Any, lang: Lang) -> str:
    """The error's message in ``lang``, as ``err.format_message()`` writes it in English."""
    from typer._click.exceptions import (
        BadParameter,
        MissingParameter,
        NoSuchOption,
        _join_param_hints,
    )

    if isinstance(err, NoSuchOption):
        text = _again(str(err.message), lang)
        if err.possibilities:
            listed = ", ".join(sorted(err.possibilities))
            text += " " + _("(Possible options: {possibilities})", lang).format(
                possibilities=listed
            )
        return text
    if not isinstance(err, BadParameter):
        return _again(err.format_message(), lang)
    hint = err.param_hint
    if hint is None and err.param is not None:
        hint = err.param.get_error_hint()
    hint = _join_param_hints(hint)
    if isinstance(err, MissingParameter):
        kind = err.param_type or (err.param.param_type_name if err.param is not None else "")
        shown = f" {hint}" if hint else ""
        return _("Missing {param_type}{param_hint}.", lang).format(
            param_type=_(str(kind), lang), param_hint=shown
        )
    if hint is None:
        return _("Invalid value: {message}", lang).format(message=_value_problem(err, lang))
    return _("Invalid value for {param_hint}: {message}", lang).format(
        param_hint=hint, message=_value_problem(err, lang)
    )


def show_error(err: Any, lang: Lang) -> None:
    """Show a click error as click does (usage, a hint, ``Error: ...``), its words in ``lang``.

    Parameters
    ----------
    err : click.ClickException
        The error (typer's copy of click, or click itself).
    lang : {"nb", "en"}
        Language.
    """
    import sys

    from typer._click.exceptions import NoArgsIsHelpError

    if isinstance(err, NoArgsIsHelpError) or not type(err).__module__.startswith("typer."):
        err.show()  # the help (already in the language), or plain click with its own gettext
        return
    ctx = getattr(err, "ctx", None)
    lines = []
    if ctx is not None:
        localise_usage(ctx.command, lang)  # ctx may be older: its "Usage:" may be English
        usage = ctx.command.get_usage(ctx).removeprefix("Usage: ")
        prefix = _("Usage:", lang) + " "
        lines.append(prefix + usage.removeprefix(prefix))
        if ctx.command.get_help_option(ctx) is not None:
            command = f"{ctx.command_path} {ctx.help_option_names[0]}"
            lines.append(_("Try '{command}' for help.", lang).format(command=command))
        lines.append("")
    lines.append(_("Error: {message}", lang).format(message=_message(err, lang)))
    print("\n".join(lines), file=sys.stderr)
