"""Messages to the user as catalogue keys (hmn_bygg/core/messages.py), issue 18.

- every ``Msg("<stage>.<entry>")`` in the package names an entry of
  ``hmn_bygg/<stage>/messages.yaml`` (the key is a literal string, so this test can see it);
- every entry has both languages, non-empty, with the same ``{fields}``; no entry is unused;
- in no stage package is a :class:`Problem` message or expected text, or an
  :class:`InputError` title, an English sentence written in the code (a string literal or an
  f-string): it must be a ``Msg``, so it can be shown in the reader's language.
"""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.messages import Msg, catalogue

PACKAGE = Path(__file__).resolve().parent.parent / "hmn_bygg"
STAGES = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file())
"""Every stage package: none writes a problem as an English sentence."""
_MESSAGE_ARGS = {"Problem": {1: "message", 4: "expected"}, "InputError": {1: "title"}}


def _calls(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            yield name, node


def _sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _used_keys() -> dict[str, list[str]]:
    used: dict[str, list[str]] = {}
    for path in _sources():
        for name, call in _calls(path):
            if name != "Msg":
                continue
            first = call.args[0] if call.args else None
            where = f"{path.relative_to(PACKAGE.parent)}:{call.lineno}"
            key = first.value if isinstance(first, ast.Constant) else None
            assert isinstance(key, str), f"{where}: a Msg key must be a literal string"
            used.setdefault(key, []).append(where)
    return used


def _catalogues() -> dict[str, dict]:
    return {p.parent.name: dict(catalogue(p.parent.name)) for p in PACKAGE.glob("*/messages.yaml")}


def test_every_key_in_the_code_has_an_entry():
    entries = _catalogues()
    missing = [
        f"{key} ({', '.join(where)})"
        for key, where in _used_keys().items()
        if key.partition(".")[2] not in entries.get(key.partition(".")[0], {})
    ]
    assert not missing, "add these to the stage's messages.yaml: " + "; ".join(missing)


def test_every_entry_has_both_languages_with_the_same_fields_and_is_used():
    used = set(_used_keys())
    said = "".join(p.read_text(encoding="utf-8") for p in (PACKAGE / "cli").glob("*.py"))
    used |= {f"cli.{name}" for name in catalogue("cli") if f'"{name}"' in said}  # texts.say
    for stage, entries in _catalogues().items():
        for name, entry in entries.items():
            key = f"{stage}.{name}"
            assert isinstance(entry, dict) and set(entry) == {"nb", "en"}, key
            assert all(isinstance(t, str) and t.strip() for t in entry.values()), key
            assert _fields(entry["nb"]) == _fields(entry["en"]), key
            assert key in used, f"{key} is used nowhere: remove it"


def _is_sentence(node: ast.expr) -> bool:
    """A string literal, an f-string, or a sum or join built of them."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _is_sentence(node.left) or _is_sentence(node.right)
    return False


@pytest.mark.parametrize("stage", STAGES)
def test_no_problem_is_an_english_sentence_in_the_code(stage):
    found = []
    for path in sorted((PACKAGE / stage).rglob("*.py")):
        for name, call in _calls(path):
            for position, keyword in _MESSAGE_ARGS.get(name, {}).items():
                node = call.args[position] if len(call.args) > position else None
                for kw in call.keywords:
                    if kw.arg == keyword:
                        node = kw.value
                if node is not None and _is_sentence(node):
                    found.append(f"{path.relative_to(PACKAGE.parent)}:{call.lineno} {keyword}")
    assert not found, "write these as Msg(...) with a catalogue entry: " + "; ".join(found)


def test_an_error_reads_in_either_language():
    problem = Problem(
        "bygg.xlsx",
        Msg("core.input_has_problems"),
        row=1234,
        column="Areal",
        expected="x",
        found="y",
    )
    error = InputError([problem, problem])
    line = "  - bygg.xlsx, rad 1234, kolonne 'Areal': Inndataene har feil; forventet x, fant 'y'"
    assert error.render("nb").splitlines() == ["Inndataene har feil (2 feil):", line, line]
    assert str(error) == error.render("en")
    assert str(error).startswith("The input has problems (2 problems):")
    assert "row 1234, column 'Areal': The input has problems; expected x, found 'y'" in str(error)


def test_fields_are_shown_in_the_language():
    assert Msg("core.problem_count", n=12345).render("nb") == "12 345 feil"
    assert Msg("core.problem_count", n=12345).render("en") == "12,345 problems"
    nested = Msg("core.expected", expected=Msg("core.one_problem"))
    assert nested.render("nb") == "; forventet 1 feil"
    assert Msg("core.found", found=1.25).render("nb") == "; fant 1,25"
    assert Msg("core.at_row", row=2027).render("nb") == ", rad 2 027"  # a count is grouped
    assert Msg("config.year_or_later", year=2027).render("nb").count("2027") == 1  # a year not
    assert Msg("core.found", found=["a", 2]).render("en") == "; found a, 2"


def test_an_unknown_key_is_a_defect_of_the_code():
    with pytest.raises(KeyError, match="nosuch"):
        Msg("core.nosuch").render("nb")
    with pytest.raises(KeyError, match="nostage"):
        Msg("nostage.x").render("nb")
