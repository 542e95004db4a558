"""The command line's own words in bokmål and English: its help and its messages.

- **Help** (``texts.yaml``, section ``help``, each entry ``{nb: ..., en: ...}``; the same keys
  in both languages, ``tests/test_cli_texts.py`` fails on a key missing in either, and on a
  command or option without help): the help of every command (key: the command path,
  ``"solve disposals"``; ``""`` for ``hmn-bygg`` itself), option (``"run --scenario"``) and
  argument (``"run MODEL"``), and ``"--help"``, the help option's own line.
- **Messages** the commands print (notices, headings, answers, errors) are entries of
  ``messages.yaml``, the CLI's catalogue of :mod:`hmn_bygg.core.messages` that every stage
  uses: :func:`say` for a line the command prints, ``Msg("cli.<entry>")`` in an error. Numbers
  go in formatted by :func:`hmn_bygg.core.fmt.fmt_number` in the same language.

The catalogue is the only place of the help: the typer definitions carry no ``help=`` and the
command functions no docstring (typer would show it), and :func:`localise` sets every text
before help is shown (``hmn-bygg`` and ``docs build``, which writes ``docs/cli.md`` from the
English).

**The language** is that of ``--lang`` wherever it is written on the command line
(``hmn-bygg --lang en run``, ``hmn-bygg run --lang en``), else of the environment variable
``HMN_BYGG_LANG``, else bokmål. The command line is scanned for ``--lang`` before click parses
it, because ``--help`` is answered while the options are parsed: ``hmn-bygg run --lang en
--help`` and ``HMN_BYGG_LANG=en hmn-bygg template --help`` both print English help. A command
that prints a table in a language (``run``, ``track``, ``validate``, ``brief``) takes the
same language as its default.

Help costs no heavy import: the catalogue is plain YAML, read once with PyYAML's C loader and
then from a JSON copy beside the byte code (:func:`catalogue`), and :func:`localise` only
sets the help texts of the click commands that typer has built, when help may be shown
(``benchmarks/cli_start.py`` keeps ``--help`` under 0,3 s of CPU).
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, cast

__all__ = ["ENV", "LANGS", "cli_lang", "localise", "say"]

Lang = Literal["nb", "en"]
LANGS = ("nb", "en")
ENV = "HMN_BYGG_LANG"
"""The environment variable that sets the language when ``--lang`` is not given."""
_FILE = Path(__file__).with_name("texts.yaml")


@functools.cache
def catalogue() -> dict[str, dict[str, dict[str, str]]]:
    """Return the help catalogue: ``{"help": {key: {lang: text}}}``.

    The parsed catalogue is kept as JSON beside Python's own byte code
    (``__pycache__/texts.<crc32 of the YAML>.json``), so that a help text does not pay for importing
    PyYAML (about 25 ms of CPU); a changed ``texts.yaml`` is read again, and a folder that
    cannot be written only means the YAML is read every time.
    """
    import json
    import zlib

    text = _FILE.read_bytes()
    cached = _FILE.parent / "__pycache__" / f"texts.{zlib.crc32(text):08x}.json"
    try:
        return dict(json.loads(cached.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        pass
    import yaml

    source = text.decode("utf-8")  # libyaml's safe loader, when there is one:
    data = dict(yaml.load(source, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
    try:
        cached.parent.mkdir(exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        partial.replace(cached)  # whole or not at all, also with two commands at once
    except OSError:
        pass
    return data


def lang_from(argv: Sequence[str], environ: Mapping[str, str]) -> Lang:
    """Return the language of a command line: ``--lang`` in ``argv``, else ``$HMN_BYGG_LANG``.

    Parameters
    ----------
    argv : sequence of str
        The arguments after the program name.
    environ : mapping of str to str
        The environment.

    Returns
    -------
    str
        ``"nb"`` or ``"en"``; an unknown value counts as ``"nb"`` here (``--lang`` itself
        refuses it with a message when the command parses its options).

    Examples
    --------
    >>> lang_from(["run", "--lang", "en"], {}), lang_from(["--lang=en", "run"], {})
    ('en', 'en')
    >>> lang_from(["run"], {"HMN_BYGG_LANG": "en"}), lang_from(["run"], {})
    ('en', 'nb')
    """
    given: str | None = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            given = argv[i + 1]
        elif arg.startswith("--lang="):
            given = arg.split("=", 1)[1]
    value = (given if given is not None else environ.get(ENV, "nb")).strip().lower()
    return cast(Lang, value) if value in LANGS else "nb"


def cli_lang() -> Lang:
    """Return the language of the running command line (see :func:`lang_from`)."""
    return lang_from(sys.argv[1:], os.environ)


def say(key: str, lang: str | None = None, /, **fields: Any) -> str:
    """Return the message ``key`` of the catalogue in ``lang`` (default :func:`cli_lang`).

    Parameters
    ----------
    key : str
        Entry of the CLI's messages (``hmn_bygg/cli/messages.yaml``, the catalogue of
        :mod:`hmn_bygg.core.messages`); the fields are filled in as given (format numbers
        with :func:`hmn_bygg.core.fmt.fmt_number` first).
    lang : {"nb", "en"}, optional
        Language; default the command line's.
    **fields
        Values of the ``{name}`` fields of the text.
    """
    from hmn_bygg.core.messages import catalogue_entry

    text = catalogue_entry("cli." + key)[lang or cli_lang()]
    return text.format(**fields) if fields else text


def param_key(path: str, param: Any) -> str:
    """The catalogue key of an option (``"run --scenario"``) or argument (``"run MODEL"``)."""
    if param.param_type_name == "option":
        name = next((o for o in param.opts if o.startswith("--")), param.opts[0])
    else:
        name = (param.name or "").upper()
    return f"{path} {name}".strip()


def walk(command: Any, path: str = "") -> list[tuple[str, Any, Any]]:
    """Every command, option and argument under ``command``: ``(key, command, param)``.

    ``param`` is ``None`` for the command itself; ``--help`` is left out (click's own text
    comes from the ``help`` entry ``--help``).
    """
    found: list[tuple[str, Any, Any]] = [(path, command, None)]
    for param in command.params:
        if param.name != "help":
            found.append((param_key(path, param), command, param))
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        found += walk(sub, f"{path} {name}".strip())
    return found


def localise(command: Any, lang: str) -> None:
    """Set the help of every command, option and argument under ``command`` from the catalogue.

    Parameters
    ----------
    command : click.Command
        The command tree typer built (``typer.main.get_command(app)``).
    lang : {"nb", "en"}
        Language.
    """
    from hmn_bygg.cli.click_words import localise_type, localise_usage

    texts = catalogue()["help"]
    help_option = texts["--help"][lang]
    for key, cmd, param in walk(command):
        entry = texts.get(key)
        if param is None:
            localise_usage(cmd, lang)  # "Usage:", [OPTIONS], COMMAND [ARGS]...
            if entry is not None:
                cmd.help = entry[lang]
            cmd.get_help_option = _localised_help_option(cmd.get_help_option, help_option)
        else:
            localise_type(param, lang)  # <path>, <int>
            if entry is not None:
                param.help = entry[lang]


def lang_problem(args: Sequence[str]) -> str | None:
    """The first ``--lang`` value in ``args`` that is neither nb nor en, said in bokmål or
    English (the language of ``$HMN_BYGG_LANG``), or ``None``."""
    for i, arg in enumerate(args):
        if arg == "--":
            break
        value = args[i + 1] if arg == "--lang" and i + 1 < len(args) else None
        value = arg.split("=", 1)[1] if arg.startswith("--lang=") else value
        if value is not None and value.strip().lower() not in LANGS:
            return "--lang: " + say("bad_lang", lang_from([], os.environ), found=value)
    return None


def without_lang(command: Any, args: list[str]) -> list[str]:
    """``args`` without the ``--lang X`` that :func:`cli_lang` has read already.

    ``--lang`` may then follow any command, not only those with an option of that name (which
    keep it: they print tables in the language), and the group's option is never parsed, which
    would load pydantic for a help text (typer checks every value it is given).

    Examples
    --------
    >>> import typer
    >>> from hmn_bygg.cli import app
    >>> without_lang(typer.main.get_command(app), ["template", "--lang", "en", "--help"])
    ['template', '--help']
    >>> without_lang(typer.main.get_command(app), ["--lang=en", "run", "--lang", "en"])
    ['run', '--lang', 'en']
    """
    leaf, i, front = command, 0, []
    group = "commands"  # only groups have them: a leaf command's own --lang stays below
    while (
        i < len(args)
        and hasattr(leaf, group)
        and (args[i] in leaf.commands or args[i].split("=")[0] == "--lang")
    ):
        if args[i].split("=")[0] == "--lang":
            i += 1 if "=" in args[i] else 2
            continue
        front.append(args[i])
        leaf, i = leaf.commands[args[i]], i + 1
    if front and any("--lang" in p.opts for p in leaf.params):
        return front + list(args[i:])
    rest, j = front, i
    while j < len(args):
        if args[j] == "--":
            return rest + list(args[j:])
        if args[j] == "--lang":
            j += 2
            continue
        if not args[j].startswith("--lang="):
            rest.append(args[j])
        j += 1
    return rest


def shows_help(command: Any, args: Sequence[str]) -> bool:
    """Whether ``args`` may show help: ``--help`` given, or a group named without a command.

    Examples
    --------
    >>> import typer
    >>> from hmn_bygg.cli import app
    >>> root = typer.main.get_command(app)
    >>> shows_help(root, ["solve"]), shows_help(root, ["run", "--help"]), shows_help(root, ["run"])
    (True, True, False)
    """
    leaf, i = command, 0
    while i < len(args) and args[i] in getattr(leaf, "commands", {}):
        leaf, i = leaf.commands[args[i]], i + 1
    return "--help" in args or hasattr(leaf, "commands")


def _localised_help_option(made: Any, text: str) -> Any:
    """Wrap a command's ``get_help_option`` so that its ``--help`` says ``text``."""

    def get_help_option(ctx: Any) -> Any:
        option = made(ctx)
        if option is not None:
            option.help = text
        return option

    return get_help_option
