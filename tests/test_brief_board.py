"""The brief as a board member reads it, and what it shares with the dashboard.

- tables whose headings stand over their own columns (the investment room was one off);
- the appendix in bokmål quotes every source in Norwegian (``report/source_texts.yaml``)
  and holds no English sentence;
- the brief and the dashboard's Scenarier page show the same scenarios by default, from
  one list (``brief:`` in ``models/scenarios.yaml``);
- the one-year peak of the area chart is explained under it, in the brief and the dashboard.
"""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from pydantic import BaseModel

from hmn_bygg.config import key_index, load_scenarios, resolve_key
from hmn_bygg.engine.run import run_models
from hmn_bygg.report.brief import build_brief, facts
from hmn_bygg.report.source_texts import bokmal_source

# Bokeh's ColumnDataSource.from_df (the Scenarier page's table) calls reset_index(inplace=True),
# which pandas 3.1 deprecates; Bokeh's, not ours (as in test_dashboard_language.py).
pytestmark = pytest.mark.filterwarnings(
    "ignore:The inplace keyword in DataFrame.reset_index:pandas.errors.Pandas4Warning"
)


@pytest.fixture(scope="module")
def made() -> SimpleNamespace:
    """The bundled scenarios, their results, and the brief of them in bokmål and English."""
    models = load_scenarios()
    results = run_models(models)
    day = dt.date(2026, 12, 7)
    return SimpleNamespace(
        models=models,
        results=results,
        nb=build_brief(results, models=models, date=day),
        en=build_brief(results, lang="en", models=models, date=day),
    )


def tables(html: str, cls: str) -> list[tuple[list[str], list[list[str]]]]:
    """Each ``<table class=cls>``: the class of each heading, and of each row's cells."""
    out = []
    for body in re.findall(rf'<table class="{cls}">(.*?)</table>', html, flags=re.S):
        head = re.search(r"<thead>(.*?)</thead>", body, flags=re.S)
        heads = re.findall(r'<th(?: class="([^"]*)")?>', head.group(1) if head else "")
        rows = [
            re.findall(r'<td(?: class="([^"]*)")?>', row)
            for row in re.findall(r"<tr>(.*?)</tr>", body.split("</thead>")[-1], flags=re.S)
        ]
        out.append((heads, rows))
    return out


def test_table_headings_stand_over_their_own_columns(made):
    brief_nb = made.nb
    """The investment room (and every plain table): heading and cells aligned alike."""
    assert "Investeringsrom 2027 (MNOK)" in brief_nb.html
    found = tables(brief_nb.html, "record") + tables(brief_nb.appendix_html, "record")
    assert len(found) >= 3
    for heads, rows in found:
        assert rows
        for cells in rows:
            assert len(cells) == len(heads)
            assert cells == heads  # "num" over "num": numbers and their heading to the right


def shown_sources(models) -> set[str]:
    """Every source the appendix can show: each parameter's, in every bundled scenario,
    and the sources inside values (a new building's)."""

    def inside(value):
        if isinstance(value, BaseModel):
            value = value.model_dump(exclude_none=True)
        if isinstance(value, dict):
            for k, v in value.items():
                if k == "source" and isinstance(v, str):
                    yield v
                else:
                    yield from inside(v)
        elif isinstance(value, list | tuple):
            for v in value:
                yield from inside(v)

    found = set()
    for model in models.values():
        for key, info in key_index().items():
            if info.kind != "entry":
                r = resolve_key(model, key)
                found |= {" ".join(s.split()) for s in [r.source or "", *inside(r.value)] if s}
    return found


def test_every_source_the_appendix_shows_has_a_bokmal_form(made):
    models = made.models
    missing = sorted(s for s in shown_sources(models) if bokmal_source(s) is None)
    assert missing == [], f"add these to hmn_bygg/report/source_texts.yaml: {missing}"


def test_a_missing_bokmal_form_is_found():
    assert bokmal_source("assumption: a source nobody has translated yet") is None
    assert bokmal_source("computed by `hmn-bygg solve budget` on 2027-01-02: 1,0 MNOK/yr for HMR") \
        == "beregnet med `hmn-bygg solve budget` 2027-01-02: 1,0 MNOK/år for HMR"  # fmt: skip


ENGLISH = (" the ", " and ", " of ", " is ", " are ", " with ", "assumption", " not ", " by ")


def test_appendix_in_bokmal_has_no_english_sentence(made):
    brief_nb, brief_en = made.nb, made.en
    html = re.sub(r"<style>.*?</style>", "", brief_nb.appendix_html, flags=re.S)
    text = " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#39;", "'").split())
    # a quoted title of a source document (domain.md 'Corrections and additions') is a
    # citation, and a command a command; what is left is the appendix's own words
    words = re.sub(r"'[^']*'|`[^`]*`", " ", text)
    sentences = [s for s in re.split(r"(?<=[.;:])\s", words) if any(w in s for w in ENGLISH)]
    assert sentences == []
    assert "forutsetning:" in text and "avsnitt 5.6.2" in text
    assert "assumption:" in brief_en.appendix_html  # English stays English
    # the codes inside values in the reader's words (report/source_texts.yaml, words:)
    assert "type: salg" in text and "bruk: bolig" in text and "dårligste deler først" in text
    assert "kind: sale" in brief_en.appendix_html and "worst_first" in brief_en.appendix_html


def test_brief_and_dashboard_compare_the_same_scenarios(made):
    brief_nb, results = made.nb, made.results
    from hmn_bygg.dashboard.pages import scenarios as page
    from hmn_bygg.dashboard.state import SessionState

    state = SessionState()  # the bundled scenarios, as a dashboard session has them
    assert state.scenario_names == [str(s) for s in results["scenario"].to_numpy()]
    built = page.build(state)
    (choice,) = [o for o in built.objects if hasattr(o, "max_items")]
    shown = [s.name for s in brief_nb.content.scenarios]
    assert choice.value == shown == facts.default_scenarios(results)
    assert shown[:4] == ["today", "catch_up", "budget_1_2_by_2035", "plan_2018"]
    assert "faster_disposals" in shown  # reaches the area target, so both show it


def test_area_peak_is_explained_under_the_chart(made):
    brief_nb, brief_en, results = made.nb, made.en, made.results
    from hmn_bygg.dashboard.pages.overview import peak_note

    peak = facts.area_peak(results, "today")
    assert peak is not None and peak.year == 2025  # SNR opens, Molde/Kristiansund leave 2026
    caption = {c.name: c.caption for c in brief_nb.content.charts}["area"]
    assert "Toppen i 2025 er ingen dobbelttelling" in caption and "først avhendes i 2026" in caption
    caption_en = {c.name: c.caption for c in brief_en.content.charts}["area"]
    assert "The peak in 2025 is not a double count" in caption_en
    state = SimpleNamespace(results=results, lang="nb", scenario="today")
    assert "Toppen i 2025 er ingen dobbelttelling" in peak_note(state).object
    flat = results["area_region"].copy()
    flat[:] = 700_000.0
    assert facts.area_peak(results.assign(area_region=flat), "today") is None


def test_liquidity_cards_speak_of_the_credit_line_not_a_target(made):
    """Liquidity has a credit line, not a target: its cards never say "på mål"."""
    from hmn_bygg.dashboard.pages.overview import liquidity_cards

    cards = {c.object.split('data-testid="')[1].split('"')[0]: c.object
             for c in liquidity_cards(made.results, "today", "nb")}  # fmt: skip
    assert "● brudd på kredittrammen" in cards["kpi-liq-HMR"]  # 2024–2031 beyond its line
    assert "● under null, innenfor kredittrammen" in cards["kpi-liq-HNT"]
    assert "● aldri under null" in cards["kpi-liq-STO"]
    assert not any("mål" in html for html in cards.values())


def test_budget_figures_count_from_the_plan_year(made):
    """A decision changes the budget from the plan year on: the brief's budget figures say
    so, and a catch-up decided for 2027 is not spread over the history years."""
    from hmn_bygg.core.fmt import fmt_number

    brief_nb, results = made.nb, made.results
    plan, last = int(results.attrs["plan_start"]), int(results["year"][-1])
    assert plan == 2027
    budget = results["maintenance_budget"].sum("hf")
    history = budget.sel(year=slice(None, plan - 1))
    assert bool((history == history.sel(scenario="today")).all())  # history: the same
    n = last - plan + 1
    extra = (
        budget.sel(scenario="catch_up", year=slice(plan, None)).sum()
        - budget.sel(scenario="today", year=slice(plan, None)).sum()
    )
    assert facts.mean_budget(results, "catch_up") - facts.mean_budget(results, "today") == (
        pytest.approx(float(extra) / n)
    )
    rows = [r for g in brief_nb.content.key_table.groups for r in g.rows]
    (row,) = [r for r in rows if r.label.startswith("Vedlikeholdsbudsjett")]
    assert row.label.endswith(f"{plan}–{last}")
    text = " ".join(d.text for d in brief_nb.content.decisions)
    per_year = fmt_number(float(extra) / n, 0, "nb", html=True)
    assert f"til vedlikehold i {plan}–{last} ({per_year} MNOK/år i snitt)" in text


def test_price_basis_in_the_readers_words(made):
    assert made.nb.content.price_basis == "faste 2026-kroner"
    assert "2026" in made.en.content.price_basis and "faste" not in made.en.content.price_basis
    for brief in (made.nb, made.en):
        assert "real:" not in brief.content.price_basis  # the CLI's code, not a reader's word
