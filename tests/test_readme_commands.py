"""Every ``hmn-bygg`` command the README shows is a command the CLI takes.

Each command written in the README (inline code or a shell block) is parsed by the CLI itself
(click's ``make_context``: the command exists, every option exists and every value converts),
once bare and once with every optional ``[...]`` part filled in; placeholders (``NAME``,
``FILE``, ``HF``) are replaced by real values. The cheap commands are also run end to end.
"""

from __future__ import annotations

import re
import shlex

import pytest
import typer.main
from typer.testing import CliRunner

from hmn_bygg.cli import app
from hmn_bygg.core import paths

README = paths.project_root() / "README.md"
PLACEHOLDERS = {
    "NAME": "today",
    "FILE": "data/building_register/buildings.csv",
    "ID": "B001",
    "HF": "HMR",
    "F": "brief.html",
    "D": "charts",
    "N": "10",
    "S": "1",
    "HOST:PORT": "127.0.0.1:8786",
    "dotted.key": "model.targets.vttg_target",
}


def readme_commands() -> list[str]:
    """Every ``hmn-bygg`` command of the README, whitespace folded, ``\\|`` unescaped."""
    text = README.read_text(encoding="utf-8")
    found = re.findall(r"`(?:\.venv/bin/)?hmn-bygg\b([^`]*)`", text)
    found += re.findall(r"^\s*(?:\S*&&\s*)?\.venv/bin/hmn-bygg\b(.*)$", text, flags=re.M)
    folded = [" ".join(c.replace("\\|", "|").split()) for c in found]
    return sorted({c for c in folded if c})


def _fill(words: str) -> list[str]:
    out = []
    for word in shlex.split(words):
        word = word.removesuffix("...")
        if "|" in word and not word.startswith("tcp:"):
            word = word.split("|")[0]  # one of the alternatives
        for name, value in PLACEHOLDERS.items():
            word = re.sub(rf"(?<![\w.-]){re.escape(name)}(?![\w.-])", value, word)
        out.append(word)
    return out


def variants(command: str) -> list[list[str]]:
    """The command without its optional parts and with all of them."""
    bare = re.sub(r"\[[^\]]*\]", " ", command)
    full = re.sub(r"\[([^\]]*)\]", r" \1 ", command)
    return [_fill(bare), _fill(full)]


def _parse(args: list[str]) -> None:
    """Parse ``args`` as the CLI would, down to the leaf command, without running it."""
    command = typer.main.get_command(app)
    name = "hmn-bygg"
    while hasattr(command, "commands"):  # a group (typer may vendor its own click)
        assert args, f"no command after {name}"
        sub, args = args[0], args[1:]
        assert sub in command.commands, f"unknown command {sub!r} under {name}"
        command, name = command.commands[sub], sub
    command.make_context(name, list(args))  # raises on an unknown option or a bad value


def test_the_readme_shows_the_main_commands():
    commands = readme_commands()
    for first in ("main", "run", "solve budget", "template", "brief", "export", "config show"):
        assert any(c.startswith(first) for c in commands), first


@pytest.mark.parametrize("command", readme_commands())
def test_readme_command_parses(command):
    for args in variants(command):
        _parse(args)


runner = CliRunner()


@pytest.mark.parametrize(
    "command",
    [
        "template --xlsx ltb.xlsx",
        "solve budget --target 1,2 --by 2035",
        "solve budget --target 1.2 --by 2035",
        "config show --key model.targets.vttg_target",
        "config check",
    ],
)
def test_cheap_readme_commands_run(command, tmp_path, monkeypatch):
    assert command in readme_commands() or command.startswith(("solve budget", "config"))
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, shlex.split(command))
    assert result.exit_code == 0, result.output
    if command.startswith("solve budget"):
        assert "MNOK/år" in result.output and "Målet nås første gang i 2035" in result.output


def test_run_speaks_english_with_lang_en():
    result = runner.invoke(app, ["run", "--lang", "en", "--years", "2030", "-s", "today"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Price basis: ") and "VTTG target 1.2" in result.output
    assert "Prisgrunnlag" not in result.output and "mål" not in result.output
