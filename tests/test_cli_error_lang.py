"""Errors, usage errors and help in the command line's language (issue 18, point 3).

Bokmål by default, English with ``--lang en``: the config stage's problems (file, key, what was
expected, what was found), the arguments refused before any work, and click's own words
("Usage:", "Error: No such option", "Options"), through :func:`hmn_bygg.cli.main` as the
console script runs it. No English framing is left in the bokmål output.
"""

from __future__ import annotations

import ast
import inspect
import re
import string
from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from hmn_bygg.cli import click_words
from hmn_bygg.config.validation_errors import translate
from hmn_bygg.core.messages import render
from tests.cli_invoke import invoke

FIXTURES = Path(__file__).parent / "fixtures" / "config"
ENGLISH_FRAMING = re.compile(
    r"\b(Usage|Error|Try|Options|Commands|Arguments|expected|found|row|column|problems?|"
    r"Invalid value|No such|Missing|unknown key|did you mean|wrong type|Input should)\b"
)


@pytest.fixture(autouse=True)
def _no_language_set(monkeypatch):
    monkeypatch.delenv("HMN_BYGG_LANG", raising=False)


def both(args: list[str]) -> tuple[str, str]:
    """The output of ``hmn-bygg ARGS`` in bokmål (the default) and with ``--lang en``."""
    code_nb, nb = invoke(args)
    code_en, en = invoke([*args, "--lang", "en"])
    assert code_nb == code_en != 0, (nb, en)
    assert "Traceback" not in nb + en
    return nb, en


@pytest.fixture
def bad_model(tmp_path):
    text = (FIXTURES / "model.yaml").read_text(encoding="utf-8")
    steep = '  wear_shape: {value: steep, unit: "1", source: "assumption: t"}\n'
    text = text.replace("condition:\n", "condition:\n" + steep, 1)
    text = text.replace("maintenance:\n", "maintenance:\n  polcy: x\n", 1)
    path = tmp_path / "modell.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_bad_model_file_in_bokmal_and_english(bad_model):
    nb, en = both(["config", "check", str(bad_model)])
    assert "Modellfilen" in nb and "har feil (2 feil):" in nb, nb
    assert "kolonne 'maintenance.polcy': ukjent nøkkel; mente du 'maintenance.policy'?" in nb
    assert "kolonne 'condition.wear_shape': feil type; forventet et gyldig tall, fant 'steep'" in nb
    assert "The model file" in en and "has problems (2 problems):" in en, en
    assert "column 'maintenance.polcy': unknown key; did you mean 'maintenance.policy'?" in en
    assert "column 'condition.wear_shape': wrong type; expected a valid number, found 'steep'" in en
    assert not ENGLISH_FRAMING.search(nb), nb


def test_an_unknown_scenario_in_bokmal_and_english():
    nb, en = both(["config", "show", "--scenario", "catchup"])
    assert "det finnes ikke noe scenario som heter 'catchup'; mente du 'catch_up'?" in nb, nb
    assert "tilgjengelige: today, " in nb and "Finner ikke scenarioet 'catchup'" in nb
    assert "no scenario named 'catchup'; did you mean 'catch_up'?; available: today" in en, en
    assert not ENGLISH_FRAMING.search(nb), nb


def test_an_argument_refused_before_any_work(tmp_path):
    nb, en = both(["run", "--seed", "-1"])
    assert nb.startswith("Feil: --seed: ugyldig frø (seed); forventet et heltall 0–"), nb
    assert en.startswith("Error: --seed: invalid seed; expected a whole number 0–"), en
    nb, en = both(["run", "-o", str(tmp_path)])
    assert "utdataene er en mappe; forventet et filnavn" in nb, nb
    assert "the output is a folder; expected a file name" in en, en


def test_a_usage_error_in_bokmal_and_english():
    nb, en = both(["run", "--nosuch"])
    assert nb.splitlines()[:2] == [
        "Bruk: hmn-bygg run [VALG] [model]",
        "Se 'hmn-bygg run --help' for hjelp.",
    ], nb
    assert "Feil: Ukjent valg: --nosuch" in nb
    assert en.splitlines()[:2] == [
        "Usage: hmn-bygg run [OPTIONS] [model]",
        "Try 'hmn-bygg run --help' for help.",
    ], en
    assert "Error: No such option: --nosuch" in en
    assert not ENGLISH_FRAMING.search(nb), nb


@pytest.mark.parametrize(
    ("args", "said_nb", "said_en"),
    [
        (
            ["run", "--draws", "x"],
            "Feil: Ugyldig verdi for '--draws': feil type; forventet et gyldig heltall, fant 'x'",
            "Error: Invalid value for '--draws': wrong type; expected a valid whole number, "
            "found 'x'",
        ),
        (
            ["solve", "budget", "--cap", "x"],
            "Feil: Ugyldig verdi for '--cap': forventet et tall som 1,2 eller 1.2; fant 'x'",
            "Error: Invalid value for '--cap': expected a number such as 1,2 or 1.2; found 'x'",
        ),
        (["export"], "Feil: Mangler argument 'results'.", "Error: Missing argument 'results'."),
        (
            ["track", "--by", "x"],
            "'--by': ikke en av de tillatte verdiene; forventet en av 'hf', 'site', 'building', "
            "fant 'x'",
            "'--by': not one of the allowed values; expected one of 'hf', 'site', 'building', "
            "found 'x'",
        ),
        ("run --quiet=x".split(), "Feil: Valget '--quiet' tar ingen verdi.", "take a value"),
        (["nosuch"], "Feil: Ukjent kommando 'nosuch'.", "Error: No such command 'nosuch'."),
        (
            ["config", "show", "--key"],
            "Feil: Valget '--key' krever en verdi.",
            "Error: Option '--key' requires an argument.",
        ),
    ],
)
def test_click_words_follow_the_language(args, said_nb, said_en):
    nb, en = both(args)
    assert said_nb in nb, nb
    assert said_en in en, en
    assert not ENGLISH_FRAMING.search(nb), nb


def test_a_group_without_a_command_shows_its_help():
    code, nb = invoke(["config"])
    assert code == 2  # as click has it: a usage error that shows the help
    assert nb.startswith("Bruk: hmn-bygg config [VALG] KOMMANDO [ARGUMENTER]...\n\n"), nb
    assert "Feil" not in nb and "Kommandoer:" in nb
    code, en = invoke(["config", "--lang", "en"])
    assert code == 2 and en.startswith("Usage: hmn-bygg config [OPTIONS] COMMAND [ARGS]...\n\n")


def test_help_in_bokmal_and_english():
    code, nb = invoke(["config", "--help"])
    assert code == 0
    assert nb.startswith("Bruk: hmn-bygg config [VALG] KOMMANDO [ARGUMENTER]..."), nb
    assert "\nValg:\n" in nb and "\nKommandoer:\n" in nb
    assert not ENGLISH_FRAMING.search(nb), nb
    code, en = invoke(["config", "--help", "--lang", "en"])
    assert code == 0
    assert en.startswith("Usage: hmn-bygg config [OPTIONS] COMMAND [ARGS]..."), en
    assert "\nOptions:\n" in en and "\nCommands:\n" in en
    code, nb = invoke(["config", "check", "--help"])
    assert "\nArgumenter:\n  model <sti>  " in nb and "\nValg:\n" in nb, nb
    code, en = invoke(["config", "check", "--help", "--lang", "en"])
    assert "\nArguments:\n  model <path>  " in en, en


def test_the_catalogue_translates_every_word_typer_marks():
    """Each ``_("...")`` of typer's own module and each text of click_words has a bokmål
    translation with the same fields (a typer upgrade with new words shows up here)."""
    import typer.core

    tree = ast.parse(inspect.getsource(typer.core))
    marked = {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "_"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }
    ours = set(click_words._TEMPLATES) | {"Usage:", "[OPTIONS]", "COMMAND [ARGS]..."}
    catalogue = click_words.translations("nb")
    for text in sorted(marked | ours):
        said = catalogue.gettext(text)
        assert said != text or text in ("argument", "parameter"), text

        def fields(t: str) -> set[str]:
            return {f for _, f, _, _ in string.Formatter().parse(t) if f}

        assert fields(said) == fields(text), text


class _Sample(BaseModel):
    model_config = ConfigDict(extra="forbid")
    count: int
    share: float = Field(ge=0, le=1)
    name: str = Field(min_length=2)
    kind: str = "a"


@pytest.mark.parametrize(
    ("data", "nb"),
    [
        ({"share": 0.5, "name": "ab"}, "påkrevd nøkkel mangler"),
        ({"count": "x", "share": 0.5, "name": "ab"}, "feil type; forventet et gyldig heltall"),
        (
            {"count": 1, "share": 2, "name": "ab"},
            "verdien er utenfor tillatt område; forventet en verdi <= 1",
        ),
        ({"count": 1, "share": 0.5, "name": "a"}, "for kort; forventet minst 2 tegn"),
        ({"count": 1, "share": 0.5, "name": "ab", "x": 1}, "ukjent nøkkel"),
    ],
)
def test_pydantic_errors_are_said_in_bokmal(data, nb):
    with pytest.raises(ValidationError) as caught:
        _Sample.model_validate(data)
    message, expected, _found = translate(caught.value.errors()[0])
    text = render(message, "nb") + (f"; forventet {render(expected, 'nb')}" if expected else "")
    assert text.startswith(nb), text
    assert not ENGLISH_FRAMING.search(text), text


def test_typer_words_are_english_again_after_a_command():
    """A command in bokmål leaves nothing behind for what runs next in the process."""
    import gettext

    import typer.core

    code, nb = invoke(["nosuch"])
    assert code == 2 and "Ukjent kommando" in nb
    assert typer.core._ is gettext.gettext


def test_the_cli_reference_is_english_whatever_language_the_command_speaks():
    import typer.core

    from hmn_bygg.cli import click_words
    from hmn_bygg.cli.docs_cli_ref import render_cli

    click_words.use("nb")  # as in `hmn-bygg docs build` with bokmål, the default
    try:
        before = typer.core._
        text = render_cli()
        assert typer.core._ is before  # the command's own language is kept
    finally:
        click_words.use("en")
    assert "[default: " in text and "[required]" in text
    assert "[standard: " not in text and "[påkrevd]" not in text
