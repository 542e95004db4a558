"""Every command checks its arguments before it works (hmn_bygg/cli/arguments.py).

- No command can overwrite one of its inputs: a property test over the path options of the
  commands that write files, with the output named as the input itself, through a symbolic
  link, a hard link, a detour through ``..``, or (where the file system ignores case) another
  case.
- No traceback for any argument of any command: every command (the test fails for a command
  it does not know) is driven with bad arguments; each gives a message and a non-zero exit.

Commands run in-process through :func:`hmn_bygg.cli.main`, as the console script runs them.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from unittest import mock

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hmn_bygg.cli import app, arguments
from hmn_bygg.core.paths import models_dir
from tests.cli_invoke import invoke

PRECIOUS = b"the finance staff's assumptions\n"


@pytest.fixture(autouse=True)
def _english(monkeypatch):
    """These tests read the English messages (bokmål: tests/test_cli_error_lang.py)."""
    monkeypatch.setenv("HMN_BYGG_LANG", "en")


def refused(args: list[str]) -> str:
    code, text = invoke(args)
    assert code not in (0, None), (args, text)
    assert text.strip(), args
    assert "Traceback" not in text, text
    return text


# --- the examples of the issue -------------------------------------------------------------


def test_run_refuses_to_overwrite_its_ltb_workbook(tmp_path):
    book = tmp_path / "in.xlsx"
    book.write_bytes(PRECIOUS)
    text = refused(["run", "--ltb", str(book), "--xlsx", str(book)])
    assert text.startswith("Error: --xlsx: the output is the input --ltb")
    assert len(text.strip().splitlines()) == 1
    assert book.read_bytes() == PRECIOUS


def test_export_refuses_to_overwrite_its_results(tmp_path):
    results = tmp_path / "r.nc"
    results.write_bytes(PRECIOUS)
    text = refused(["export", str(results), "--xlsx", str(results)])
    assert "--xlsx: the output is the input RESULTS" in text
    assert results.read_bytes() == PRECIOUS


def test_the_bundled_model_is_an_input_too(tmp_path):
    model = models_dir() / "hmn.yaml"
    before = model.read_bytes()
    text = refused(["run", "-s", "today", "--xlsx", str(model)])
    assert "--xlsx: the output is the input MODEL" in text
    text = refused(["template", "--xlsx", str(models_dir() / "scenarios.yaml")])
    assert "the output is the input --scenarios" in text
    assert model.read_bytes() == before


def test_a_register_file_the_model_names_is_an_input(tmp_path):
    buildings = models_dir().parent / "data" / "building_register" / "buildings.csv"
    before = buildings.read_bytes()
    text = refused(["run", "-s", "today", "-o", str(buildings)])
    assert "--out: the output is the input model.register" in text
    assert buildings.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "option", "text"),
    [
        (["run", "-s", "today", "-o", "/sys/x.nc"], "--out", "not writable"),
        (["run", "-s", "today", "-o", "{tmp}/no_such_folder/x.nc"], "--out", "does not exist"),
        (["run", "-s", "today", "--xlsx", "{tmp}"], "--xlsx", "the output is a folder"),
        (["run", "-s", "today", "--draws", "2", "--seed", "-1"], "--seed", "invalid seed"),
        (["run", "--draws", "2", "--seed", str(2**40)], "--seed", "invalid seed"),
        (["run", "--draws", "2", "--chunk-draws", "0"], "--chunk-draws", "too small"),
        (["register", "synthesize", "--seed", "-1"], "--seed", "invalid seed"),
        (["solve", "budget", "--cap", "nan"], "--cap", "out of range"),
        (["solve", "disposals", "--target-area", "inf"], "--target-area", "out of range"),
        (["brief", "-o", "{tmp}/a.pdf", "--html", "{tmp}/a.pdf"], "--html", "the same file"),
        (["solve", "budget", "--probability", "1"], "--probability", "out of range"),
        (
            ["solve", "capacity", "--hf", "HMR", "--year", "2027", "--probability", "0"],
            "--probability",
            "out of range",
        ),
    ],
)
def test_bad_arguments_are_refused_in_one_line(tmp_path, args, option, text):
    out = refused([a.replace("{tmp}", str(tmp_path)) for a in args])
    assert out.startswith(f"Error: {option}: ") and text in out, out


def test_read_only_folder_is_refused(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        if os.access(folder, os.W_OK) and os.geteuid() == 0:
            pytest.skip("root writes into read-only folders")
        out = refused(["config", "schema", "-o", str(folder / "s.json")])
        assert "--output: cannot write here" in out
    finally:
        folder.chmod(0o755)


def test_same_file_ignores_case_where_the_file_system_does(tmp_path):
    book = tmp_path / "In.xlsx"
    book.write_bytes(PRECIOUS)
    upper = tmp_path / "IN.XLSX"
    assert not arguments.same_file(upper, book) or os.path.exists(upper)
    with mock.patch.object(arguments, "_normcase", str.casefold):
        assert arguments.same_file(upper, book)
        out = refused(["run", "--ltb", str(book), "--xlsx", str(upper)])
    assert "the output is the input --ltb" in out


# --- no command overwrites its inputs: a property over the path options ---------------------

WRITERS = [
    ("run", ["--xlsx", "--out"], {"--ltb": "in.xlsx", "MODEL": "model.yaml"}),
    ("export", ["--xlsx"], {"RESULTS": "r.nc", "--model": "model.yaml"}),
    ("template", ["--xlsx"], {"--model": "model.yaml", "--scenarios": "s.yaml"}),
    ("brief", ["--output", "--html"], {"--results": "r.nc", "--model": "model.yaml"}),
]
ALIASES = ("same", "symlink", "hardlink", "dotdot", "case")


def _args(command: str, inputs: dict[str, Path], out_option: str, out: Path) -> list[str]:
    args = command.split()
    for option, path in inputs.items():
        if option.isupper():
            args.insert(1, str(path))
        else:
            args += [option, str(path)]
    return [*args, out_option, str(out)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    writer=st.sampled_from(WRITERS),
    pick=st.data(),
    alias=st.sampled_from(ALIASES),
)
def test_no_command_overwrites_an_input(writer, pick, alias):
    command, out_options, input_names = writer
    out_option = pick.draw(st.sampled_from(out_options))
    victim = pick.draw(st.sampled_from(sorted(input_names)))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "sub").mkdir()
        inputs = {o: folder / name for o, name in input_names.items()}
        for path in inputs.values():
            path.write_bytes(PRECIOUS)
        target = inputs[victim]
        out = {
            "same": target,
            "symlink": folder / "link.out",
            "hardlink": folder / "hard.out",
            "dotdot": folder / "sub" / ".." / target.name,
            "case": folder / target.name.upper(),
        }[alias]
        if alias == "symlink":
            out.symlink_to(target)
        elif alias == "hardlink":
            os.link(target, out)
        patch = mock.patch.object(arguments, "_normcase", str.casefold)
        with patch if alias == "case" else contextlib.nullcontext():
            code, text = invoke(_args(command, inputs, out_option, out))
        assert code != 0, text
        assert f"{out_option}: the output is the input {victim}" in text, text
        assert "Traceback" not in text
        for path in inputs.values():
            assert path.read_bytes() == PRECIOUS
        assert sorted(p.name for p in folder.iterdir()) == sorted(
            [
                *input_names.values(),
                "sub",
                *([out.name] if alias in ("symlink", "hardlink") else []),
            ]
        )


# --- no traceback for any argument of any command ----------------------------------------


def _commands() -> set[str]:
    """Every command of the CLI, as its words (``"config check"``)."""
    root = typer.main.get_command(app)
    found: set[str] = set()

    def walk(group, prefix: str) -> None:
        for name, cmd in group.commands.items():
            words = f"{prefix} {name}".strip()
            if hasattr(cmd, "commands"):
                walk(cmd, words)
            else:
                found.add(words)

    walk(root, "")
    return found


def _bad_arguments(tmp: Path) -> dict[str, list[list[str]]]:
    """Command -> argument lists each of which must be refused with a message."""
    os.mkfifo(tmp / "pipe.yaml")
    (tmp / "device.yaml").symlink_to("/dev/null")
    (tmp / "folder").mkdir()
    (tmp / "file.txt").write_text("x", encoding="utf-8")
    (tmp / "r.nc").write_bytes(b"not netcdf")
    pipe, device, folder, file = (str(tmp / n) for n in ("pipe.yaml", "device.yaml", "folder",
                                                         "file.txt"))  # fmt: skip
    return {
        "main": [["--port", "0"], ["--no-serve", "-o", file], ["-o", "/sys/out"], ["--bogus"]],
        "serve": [
            ["--port", "70000"],
            ["--port", "x"],
            ["--address", "256.0.0.1"],
            ["--scenarios", pipe],
        ],
        "run": [
            [device],
            [pipe],
            ["--seed", "-1", "--draws", "1"],
            ["--draws", "-1"],
            ["--seed", "abc"],
            ["--lang", "xx"],
            ["--scenario", "nope"],
            ["--scenarios", pipe],
            ["--ltb", file, "--xlsx", file],
            ["-o", "/proc/x.nc"],
        ],
        "export": [
            [],
            ["r.nc"],
            [str(tmp / "r.nc"), "--xlsx", str(tmp / "r.nc")],
            [str(tmp / "missing.nc"), "--xlsx", str(tmp / "x.xlsx")],
            [pipe, "--xlsx", str(tmp / "x.xlsx")],
        ],
        "template": [
            [],
            ["--xlsx", folder],
            ["--xlsx", "/sys/t.xlsx"],
            ["--model", device, "--xlsx", str(tmp / "t.xlsx")],
            ["--scenario", "nope", "--xlsx", str(tmp / "t.xlsx")],
        ],
        "brief": [
            ["--lang", "de"],
            ["--results", pipe],
            ["-o", folder],
            ["--png-dir", file],
            ["--results", str(tmp / "r.nc"), "-o", str(tmp / "r.nc")],
        ],
        "config schema": [["-o", folder], ["-o", "/sys/s.json"], ["--bogus"]],
        "config check": [[pipe], [device], [folder], [str(tmp / "missing.yaml")]],
        "config show": [["--key", "nope.key"], ["--model", pipe], ["--scenario", "nope"]],
        "docs build": [["--bogus"], ["extra"]],
        "register check": [
            [pipe],
            [device],
            [str(tmp / "missing.csv")],
            ["--mapping", pipe],
            [file],
        ],
        "register summary": [["--by", "nope"], ["--weight", "x"], [pipe], ["--model", device]],
        "register synthesize": [["--seed", "-5"], ["--out", "/sys/reg"], ["--out", file]],
        "solve budget": [["--cap", "nan"], ["--cap", "-1"], ["--by", "x"], ["--model", pipe]],
        "solve disposals": [["--target-area", "nan"], ["--model", device], ["--by", "x"]],
        "validate": [["--model", pipe], ["--model", device], ["--scenario", "nope"]],
        "plan-vs-outcome": [["--model", folder], ["--model", pipe]],
        "solve capacity": [
            [],
            ["--hf", "HMR", "--year", "2030", "--loan-share", "2"],
            ["--hf", "HMR", "--year", "x"],
        ],
        "track": [
            ["--model", pipe],
            ["--lang", "xx"],
            ["--plan", "nope"],
            ["--by", "x"],
            ["--save-scenario", "x"],
        ],
        "solve plan": [
            ["--model", pipe],
            ["--by", "x"],
            ["--scenario", "nope"],
            ["--gap", "-1"],
            ["--time-limit", "0"],
            ["--target", "nan"],
            ["--rounds", "0"],
        ],
        "register surveys": [["--model", device], ["--model", pipe]],
        "register synthesize-survey": [["--seed", "-5"], ["--out", "/sys/reg"], ["--out", file]],
    }


def test_every_command_refuses_bad_arguments_without_a_traceback(tmp_path):
    bad = _bad_arguments(tmp_path)
    assert set(bad) == _commands(), "give the new command bad arguments here"
    for command, cases in bad.items():
        for args in cases:
            refused([*command.split(), *args])
    assert (tmp_path / "file.txt").read_text(encoding="utf-8") == "x"
    assert (tmp_path / "r.nc").read_bytes() == b"not netcdf"
