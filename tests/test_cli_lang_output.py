"""What the commands print follows the language (issue 18, point 3): in English no bokmål
sentence and in bokmål no English one, every fixed word from a catalogue."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
import yaml

from hmn_bygg.cli import texts
from hmn_bygg.core.messages import catalogue
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
    pairs = [(e["nb"], e["en"]) for e in catalogue("cli").values()]
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
        ("solve budget --probability 0,75 --draws 4 --seed 2 --cap 10".split(), True),
        (["solve", "capacity", "--hf", "HNT", "--year", "2030"], True),
        ("solve capacity --hf HNT --year 2030 --probability 0,5 --draws 4 --seed 2".split(), True),
        (["register", "surveys"], True),
        (["config", "check"], True),
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


@pytest.mark.parametrize("lang", texts.LANGS)
def test_solve_plan_prints_every_part_in_its_language(capsys, lang):
    """Every branch of the plan's printout (a plan that misses a target, with shadow prices
    and an inconsistent check), with the plan's own names as the solver gives them."""
    from types import SimpleNamespace

    from hmn_bygg.cli.solve_plan_out import print_plan

    short = {"constraint": "credit line", "hf": "HMR", "year": 2027, "by": 12.5, "unit": "MNOK"}
    sol = SimpleNamespace(
        status="ok", termination="optimal", mip_gap=0.004, cost_mnok=5123.4, shortfalls=[short],
        actions=[{"year": 2028, "hf": "HNT", "action": a, "building": "HNT-0001",
                  "area_m2": 1234.0, "grade": 2.4, "cash_mnok": 5.5}
                 for a in ("dispose", "upgrade")],
        hfs=["HMR"], years=[2027, 2028], budget_mnok=[[150.0, 160.0]],
        shadow_prices=[{"constraint": c, "hf": "STO", "year": 2035, "saving_mnok": 1.5, "per": p}
                       for c, p in (("credit line", "MNOK of credit line"),
                                    ("grade", "0,01 TG of target"),
                                    ("area", "1 000 m² of target"))],
    )  # fmt: skip
    breach = {"hf": "HMR", "year": 2027, "below_mnok": 10.0, "stated_mnok": 12.5}
    check = {
        "vttg": [1.3, 1.2],
        "liquidity_breaches": [breach],
        "targets_met": False,
        "present_cost": {"plan": {"mnok": 5000.0, "meets": False}},
        "consistent": False,
    }
    print_plan(sol, check, [0.01], SimpleNamespace(by=2027), lang)
    out = capsys.readouterr().out
    _check(out, lang, every_line=False)
    lines = out.splitlines()
    assert len(lines) == 17, out
    other = texts.LANGS[1 - texts.LANGS.index(lang)]
    for key in ("plan_credit_line", "plan_dispose", "plan_upgrade", "plan_area"):
        word = texts.say(key, other)
        assert not any(f" {word} " in line for line in lines), (word, out)
    step = texts.say("plan_per_grade", lang, step="0,01" if lang == "nb" else "0.01")
    assert any(line.endswith(step) for line in lines), out


@pytest.mark.parametrize("lang", texts.LANGS)
def test_a_written_survey_is_said_in_the_language(monkeypatch, tmp_path, lang):
    monkeypatch.delenv(texts.ENV, raising=False)
    code, out = invoke(["register", "synthesize-survey", "--out", str(tmp_path), "--lang", lang])
    assert code == 0 and str(tmp_path / "buildings.csv") in out, out
    _check(out, lang, every_line=True)
