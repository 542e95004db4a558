"""Every ``hmn-bygg`` command the README shows runs, end to end, as the README writes it.

``tests/test_readme_commands.py`` parses each command (with and without its optional parts);
here each one is run, in the README's order of need (``template`` before ``run --ltb``,
``run --out`` before ``export``), in one scratch folder with its own home, so the user
scenarios file of ``--save-scenario`` is the one ``run --scenarios ~/...`` reads. Each runs
without its optional ``[...]`` parts, and Monte Carlo runs with at most :data:`MAX_DRAWS` draws.

A few commands run in tests of their own instead, named in :data:`ELSEWHERE` with the reason;
a test checks that each named test file does invoke that command, so the list cannot go stale.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from test_readme_commands import PLACEHOLDERS, readme_commands, variants
from typer.testing import CliRunner

from hmn_bygg.cli import app
from hmn_bygg.core import paths

ROOT = paths.project_root()
TESTS = Path(__file__).resolve().parent
MAX_DRAWS = 20
"""Draws of a README Monte Carlo command here (the README's 1 000 take minutes on 2 cores)."""

ELSEWHERE: dict[str, tuple[str, str, str]] = {
    "serve": ("harness/server.py", '"serve", "--no-show"', "runs until stopped; browser tests"),
    "main": ("test_main_cmd.py", '"main", "--no-serve"', "``main --no-serve``, then it serves"),
    "main --no-serve": ("test_main_cmd.py", '"main", "--no-serve"', "checked figure by figure"),
    "solve plan": (
        "test_solve_plan_engine.py",
        "solve_verified(",
        "minutes on the bundled register; the test runs its solve and the engine's check",
    ),
    "docs build": ("test_docs.py", "stale_docs()", "it would rewrite the committed docs"),
    "brief": ("test_brief_cli.py", '"brief", *args, "-o"', "Chromium prints the PDF there"),
}
"""Command (its first words) -> (the test file that runs it, what in that file does, why not
here)."""

FIRST = ("template", "run --out", "run --ltb ltb.xlsx", "run")
"""Commands that make what later ones read, run first in this order (by their first words)."""


def elsewhere(command: str) -> str | None:
    """The key of :data:`ELSEWHERE` that ``command`` falls under, if any (longest first)."""
    for key in sorted(ELSEWHERE, key=len, reverse=True):
        if command == key or command.startswith(key + " "):
            return key
    return None


def runnable() -> list[str]:
    """The README's commands run here, those that make files first."""
    mine = [c for c in readme_commands() if elsewhere(c) is None]

    def rank(command: str) -> tuple[int, str]:
        bare = " ".join(variants(command)[0])
        hits = [i for i, first in enumerate(FIRST) if bare.startswith(first)]
        return (min(hits) if hits else len(FIRST), command)

    return sorted(mine, key=rank)


def as_run(command: str, home: Path) -> list[str]:
    """The bare variant of ``command``: placeholders filled, ``~`` this test's home, few draws."""
    args = variants(command)[0]
    args = [a.replace("~", str(home), 1) if a.startswith("~") else a for a in args]
    register = [str(ROOT / PLACEHOLDERS["FILE"]), str(ROOT / "data/building_register/parts.csv")]
    many = "FILE..." in command  # the bundled register: its two tables
    args = [
        x
        for a in args
        for x in ((register if many else register[:1]) if a == PLACEHOLDERS["FILE"] else [a])
    ]
    for i, a in enumerate(args[:-1]):
        if a == "--draws":
            args[i + 1] = str(min(int(args[i + 1]), MAX_DRAWS))
        if a == "--save-scenario":  # a new name: a saved scenario never replaces one
            args[i + 1] = "lagret_fra_excel"
    return args


@pytest.mark.slow
def test_every_readme_command_runs(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("HMN_BYGG_USER_SCENARIOS", raising=False)
    runner = CliRunner()
    # what `export results.nc` reads: the README's `run [... --out results.nc ...]`
    made = runner.invoke(app, ["run", "--out", "results.nc"])
    assert made.exit_code == 0, made.output
    ran = []
    for command in runnable():
        args = as_run(command, home)
        result = runner.invoke(app, args)
        assert result.exit_code == 0, f"hmn-bygg {shlex.join(args)}:\n{result.output}"
        assert "Traceback" not in result.output, shlex.join(args)
        ran.append(command)
    assert Path("ltb.xlsx").is_file() and Path("out.xlsx").is_file()
    assert (home / ".hmn_bygg" / "scenarios.yaml").is_file()  # run --ltb --save-scenario NAME
    assert len(ran) + sum(elsewhere(c) is not None for c in readme_commands()) == len(
        readme_commands()
    )


@pytest.mark.parametrize("key", sorted(ELSEWHERE))
def test_commands_run_elsewhere_are_run_there(key):
    name, needle, why = ELSEWHERE[key]
    assert why
    assert any(elsewhere(c) == key for c in readme_commands()), f"{key!r} is not in the README"
    assert needle in (TESTS / name).read_text(encoding="utf-8"), f"{name} no longer runs {key}"
