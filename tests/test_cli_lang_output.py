"""What the commands print follows the language (issue 18, point 3): in English no bokmål
sentence and in bokmål no English one, every fixed word from a catalogue."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
import yaml

from hmn_bygg.cli import texts
from tests.cli_invoke import invoke

_TRACK = Path(texts.__file__).parents[1] / "report" / "track_texts.yaml"


def _pattern(template: str) -> re.Pattern[str]:
    """A whole line made from ``template``: its fixed words, anything for each field."""
    parts = []
    for literal, field, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if field is not None:
            parts.append(".+?")
    return re.compile("".join(parts) + "[.:]?")  # a message may end a sentence or head a list


def _templates() -> dict[str, list[tuple[str, str]]]:
    """``{lang: [(nb text, en text), ...]}`` of the CLI's messages and the tracking words."""
    pairs = [(e["nb"], e["en"]) for e in texts.catalogue()["msg"].values()]
    track = yaml.safe_load(_TRACK.read_text(encoding="utf-8"))
    pairs += [(track["nb"][k], track["en"][k]) for k in track["nb"]]
    return {"nb": pairs, "en": pairs}


def _own_and_foreign(lang: str) -> tuple[list[re.Pattern[str]], list[re.Pattern[str]]]:
    """Patterns of ``lang``'s messages, and of the other language's where the two differ."""
    i = texts.LANGS.index(lang)
    pairs = _templates()[lang]
    own = [_pattern(p[i]) for p in pairs]
    foreign = [_pattern(p[1 - i]) for p in pairs if p[0] != p[1]]
    return own, foreign


def _check(out: str, lang: str, *, every_line: bool) -> None:
    own, foreign = _own_and_foreign(lang)
    for line in (raw.strip() for raw in out.splitlines()):
        if not line:
            continue
        wrong = [p.pattern for p in foreign if p.fullmatch(line)]
        mine = any(p.fullmatch(line) for p in own)
        assert mine or not wrong, f"{lang}: a line in the other language: {line!r} ({wrong})"
        if every_line:
            assert mine, f"{lang}: a line not from the catalogue: {line!r}\n{out}"


@pytest.mark.slow
@pytest.mark.parametrize("lang", texts.LANGS)
@pytest.mark.parametrize(
    ("args", "every_line"),
    [
        (["solve", "budget", "--target", "1,2", "--by", "2035"], True),
        (["solve", "budget", "--target", "1,2", "--by", "2030", "--cap", "10"], True),
        (["solve", "budget", "--probability", "0,75", "--draws", "4", "--seed", "2"], True),
        (["solve", "capacity", "--hf", "HNT", "--year", "2030"], True),
        ("solve capacity --hf HNT --year 2030 --probability 0,5 --draws 4 --seed 2".split(), True),
        (["register", "surveys"], True),
        (["track"], False),  # the table's cells are data
    ],
)
def test_a_command_prints_only_its_language(monkeypatch, args, every_line, lang):
    monkeypatch.delenv(texts.ENV, raising=False)
    code, out = invoke([*args, "--lang", lang])
    assert code == 0, out
    assert out.strip()
    _check(out, lang, every_line=every_line)


def test_the_check_finds_a_line_in_the_other_language():
    line = texts.say("budget_first_met", "nb", year=2031)
    with pytest.raises(AssertionError, match="other language"):
        _check("  " + line, "en", every_line=False)
    with pytest.raises(AssertionError, match="not from the catalogue"):
        _check("Vedlikehold i 2031 er for lavt", "nb", every_line=True)
    _check("  " + line, "nb", every_line=True)
