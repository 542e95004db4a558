"""The command line's one catalogue of words (hmn_bygg/cli/texts.yaml), and --lang for help
and messages (issue 18)."""

from __future__ import annotations

import doctest
import re
import string

import pytest
import typer

from hmn_bygg.cli import app, texts
from hmn_bygg.core.messages import catalogue
from tests.cli_invoke import invoke


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_has_both_languages_with_the_same_fields():
    catalogue = texts.catalogue()
    assert set(catalogue) == {"help"}
    for section, entries in catalogue.items():
        for key, entry in entries.items():
            assert isinstance(entry, dict) and set(entry) == set(texts.LANGS), (section, key)
            nb, en = entry["nb"], entry["en"]
            assert isinstance(nb, str) and nb.strip() and isinstance(en, str) and en.strip(), (
                section,
                key,
            )
            assert _fields(nb) == _fields(en), (section, key)


def test_every_command_option_and_argument_has_help_and_no_key_is_stale():
    command = typer.main.get_command(app)
    keys = [key for key, _, _ in texts.walk(command)]
    helps = texts.catalogue()["help"]
    missing = [k for k in keys if k not in helps]
    assert not missing, f"add these to hmn_bygg/cli/texts.yaml (help): {missing}"
    stale = sorted(set(helps) - set(keys) - {"--help"})
    assert not stale, f"no command has these keys of hmn_bygg/cli/texts.yaml: {stale}"


def test_the_catalogue_is_the_only_place_of_the_help():
    """No command, option or argument brings help of its own (a ``help=`` or a docstring)."""
    command = typer.main.get_command(app)  # as typer builds it, before localise
    own = [key for key, cmd, param in texts.walk(command)
           if (cmd.help if param is None else param.help)]  # fmt: skip
    assert not own, f"help written in the code, not in hmn_bygg/cli/texts.yaml: {own}"


def test_every_message_the_commands_ask_for_is_in_the_catalogue():
    from pathlib import Path

    used: set[str] = set()
    for path in Path(texts.__file__).parent.glob("*.py"):
        used |= set(re.findall(r"\bsay\(\s*\"([a-z_]+)\"", path.read_text(encoding="utf-8")))
    assert used, "no command uses the catalogue"
    messages = set(catalogue("cli"))
    assert used <= messages, used - messages


def test_the_language_comes_from_lang_anywhere_then_the_environment():
    failed, _ = doctest.testmod(texts, optionflags=doctest.ELLIPSIS)
    assert failed == 0
    assert texts.lang_from(["--lang", "en", "run", "--lang", "nb"], {}) == "nb"
    assert texts.lang_from(["run", "--", "--lang", "en"], {}) == "nb"
    assert texts.lang_from(["run"], {texts.ENV: " EN "}) == "en"
    assert texts.lang_from(["run"], {texts.ENV: "de"}) == "nb"


@pytest.mark.parametrize(
    ("args", "env", "expected", "absent"),
    [
        (["template", "--help"], None, "Forutsetningsarbeidsboken som skrives.", "Show this"),
        (["template", "--help"], "en", "Assumptions workbook to write.", "Vis denne"),
        (["template", "--lang", "en", "--help"], None, "Show this message and exit.", "Vis"),
        (["--lang", "en", "solve", "disposals", "--help"], None, "--allow-use", "Bygg-id"),
        (["run", "--lang", "en", "--help"], "nb", "Scenario to run", "Scenario som kjøres"),
        (["--help"], None, "Planlegg en sykehusbyggportefølje", "Plan a hospital"),
    ],
)
def test_help_follows_lang_and_the_environment(monkeypatch, args, env, expected, absent):
    if env is None:
        monkeypatch.delenv(texts.ENV, raising=False)
    else:
        monkeypatch.setenv(texts.ENV, env)
    code, out = invoke(args)
    assert code == 0, out
    assert expected in out and absent not in out, out


def test_messages_follow_lang_and_a_bad_language_is_refused(monkeypatch, tmp_path):
    monkeypatch.delenv(texts.ENV, raising=False)
    target = tmp_path / "ltb.xlsx"
    code, out = invoke(["template", "--xlsx", str(target), "--lang", "en"])
    assert code == 0 and f"Template written to {target}" in out, out
    code, out = invoke(["template", "--xlsx", str(target)])
    assert code == 0 and f"Mal skrevet til {target}" in out, out
    code, out = invoke(["--lang", "de", "template", "--xlsx", str(target)])
    assert code == 2 and "forventet nb eller en; fant 'de'" in out, out
    monkeypatch.setenv(texts.ENV, "fr")
    code, out = invoke(["template", "--xlsx", str(target)])
    assert code == 0 and "HMN_BYGG_LANG: forventet nb eller en; fant 'fr'" in out, out


def test_the_catalogue_is_read_again_when_it_changes(monkeypatch, tmp_path):
    """The JSON copy beside the byte code saves PyYAML at help time; an edit is seen at once."""
    copy = tmp_path / "texts.yaml"
    copy.write_text(texts._FILE.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(texts, "_FILE", copy)
    texts.catalogue.cache_clear()
    try:
        help_option = texts.catalogue()["help"]["--help"]
        assert help_option["nb"] == "Vis denne hjelpen og avslutt."
        assert len(list((tmp_path / "__pycache__").glob("texts.*.json"))) == 1
        texts.catalogue.cache_clear()
        assert texts.catalogue()["help"]["--help"]["en"] == "Show this message and exit."
        copy.write_text(
            copy.read_text(encoding="utf-8").replace(
                'nb: "Vis denne hjelpen og avslutt."', 'nb: "Vis hjelpen."'
            ),
            encoding="utf-8",
        )
        texts.catalogue.cache_clear()
        assert texts.catalogue()["help"]["--help"]["nb"] == "Vis hjelpen."
    finally:
        texts.catalogue.cache_clear()
