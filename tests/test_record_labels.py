"""The record views (validation, 2018 plan against the outcome) speak one language at a time.

In English no bokmål is left (`--lang en` on the CLI, the brief, the dashboard's English
option), and in bokmål no English; the ids of the actuals are names, not words, and are left
out of the check.
"""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from hmn_bygg.cli import app
from hmn_bygg.config import load_scenarios
from hmn_bygg.engine.run import run_models
from hmn_bygg.report.record_texts import pvo_cells, validation_cells
from hmn_bygg.report.validation import plan_vs_outcome, validation_table
from tests.test_cli_errors import invoke

BOKMAL = {"hva", "foretak", "år", "offentlig", "modell", "avvik", "toleranse", "innenfor", "ja",
          "nei", "vises", "enhet", "utfall", "grunnlag", "kostnadsramme", "åpningsår", "brukt",
          "investering", "driftskostnad", "bruk", "areal", "avhending", "likviditet", "regionen",
          "ikke", "offentlige", "løpende", "faste", "ramme", "mot", "fra", "planen", "utfallet",
          "driftsresultat", "bygginvesteringer", "statslån", "utbetalt", "bruttoareal",
          "åpnet", "prosjektkostnad", "året", "og", "tall", "kontrollerte", "historiske",
          "ligger", "nominelt", "faktisk", "av", "plan 2018"}  # fmt: skip
ENGLISH = {"what", "hf", "year", "public", "model", "difference", "tolerance", "within", "yes",
           "no", "shown", "unit", "outcome", "basis", "cost", "frame", "opening", "spent",
           "investment", "running", "live", "floor", "area", "disposals", "liquidity", "not",
           "current", "vs", "from", "the", "against", "operating", "result", "building",
           "state", "loan", "drawn", "opened", "spending", "checked", "history", "figures",
           "lie", "nominal", "actual", "of", "end", "to"}  # fmt: skip


def words(text: str) -> set[str]:
    """The words of a text, lower case (numbers and codes like hmr_result_2019 left out)."""
    found = set(re.findall(r"(?<![\w-])[^\W\d_]+(?![\w-])", text.lower()))
    return found | ({"plan 2018"} if "plan 2018" in text.lower() else set())


def assert_one_language(text: str, lang: str) -> None:
    other = ENGLISH if lang == "nb" else BOKMAL
    wrong = sorted(words(text) & other)
    assert not wrong, f"{lang} text holds {wrong}:\n{text}"


@pytest.fixture(scope="module")
def record():
    scenarios = load_scenarios(None, None, ["today", "plan_2018"])
    return scenarios, run_models(scenarios, prices="nominal")


def _text(heads, rows, skip_first: bool) -> str:
    cut = 1 if skip_first else 0
    return "\n".join(" | ".join(map(str, r[cut:])) for r in [heads, *rows])


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("prices", ["nominal", "real:2026"])
def test_tables_in_one_language(record, lang, prices):
    scenarios, ds = record
    table = validation_table(ds, scenarios["today"], prices=prices)
    assert_one_language(_text(*validation_cells(table, lang), skip_first=True), lang)
    pvo = plan_vs_outcome(ds, scenarios["plan_2018"], scenarios["today"], prices=prices,
                          lang=lang)  # fmt: skip
    assert_one_language(_text(*pvo_cells(pvo, lang), skip_first=False), lang)


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_cli_views_in_one_language(lang):
    for command in ("validate", "plan-vs-outcome"):
        result = CliRunner().invoke(app, [command, "--lang", lang, "--prices", "real:2026"])
        assert result.exit_code == 0, result.output
        text = result.output
        lines = text.splitlines()
        body = [re.sub(r"^\S+_\S+\s", "", line) for line in lines]  # the ids of the actuals
        assert_one_language("\n".join(body), lang)
        assert "2026" in lines[0]


def test_cli_refuses_an_unknown_language():
    out = invoke(["validate", "--lang", "de"])
    assert "--lang" in out and "forventet nb eller en" in out and "de" in out


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_brief_record_section_in_one_language(lang):
    from hmn_bygg.report.brief.record import record_section

    scenarios = load_scenarios()
    ds = run_models(scenarios)
    section = record_section(ds, list(scenarios), {s: s for s in scenarios}, scenarios, lang)
    assert section is not None
    heads, rows = section.validation
    text = _text(heads, rows, skip_first=True)
    heads, rows = section.pvo
    text += "\n" + _text(heads, rows, skip_first=False)
    text += "\n" + section.validation_title + "\n" + section.pvo_title
    assert_one_language(text, lang)
    assert "2026" in section.pvo_title  # the brief's price basis


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_dashboard_record_panel_in_one_language(lang):
    import panel as pn

    from hmn_bygg.dashboard.record import record_panel
    from hmn_bygg.dashboard.state import SessionState

    state = SessionState()
    state.lang = lang
    panel = record_panel(state)
    assert panel is not None
    texts = []
    for part in panel:
        if isinstance(part, pn.pane.DataFrame):
            frame = part.object
            cols = [c for c in frame.columns if c not in ("Id", "Scenario")]
            texts.append(" | ".join(map(str, cols)))
            texts += [" | ".join(map(str, row)) for row in frame[cols].itertuples(index=False)]
    assert_one_language("\n".join(texts), lang)
