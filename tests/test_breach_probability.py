"""Breach probabilities with their Monte Carlo standard error (issue 17 point 4, issue 18):
``run --draws``, the dashboard's risk table and the board brief."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pypdf
import pytest
import xarray as xr

from hmn_bygg.core.fmt import fmt_number, fmt_percent
from hmn_bygg.core.paths import project_root
from hmn_bygg.core.sampling import standard_error
from hmn_bygg.report.brief import build_brief, make_brief
from hmn_bygg.risk import breach
from hmn_bygg.risk.ensemble import run_ensemble
from hmn_bygg.risk.summary import summarize
from tests.cli_invoke import invoke

DRAWS, SEED, PLAN = 24, 5, 2027
DATE = dt.date(2025, 3, 14)


@pytest.fixture(scope="module")
def ens(models):
    chosen = {s: models[s] for s in ("today", "plan_2018")}
    return run_ensemble(chosen, None, DRAWS, SEED, quiet=True)


def test_standard_error_is_the_binomial_one():
    p = np.array([0.0, 0.1, 0.5, 1.0])
    np.testing.assert_allclose(standard_error(p, 100), np.sqrt(p * (1 - p) / 100))
    with pytest.raises(ValueError, match="at least 1"):
        standard_error(0.5, 0)


def test_yearly_and_any_year_are_shares_of_the_draws(ens):
    by_year = breach.yearly(summarize(ens))
    hits = ens["credit_breach"].to_numpy()  # scenario, draw, year, hf
    p = hits.mean(axis=1)
    np.testing.assert_allclose(by_year["p"].transpose("scenario", "year", "hf").to_numpy(), p)
    np.testing.assert_allclose(
        by_year["se"].transpose("scenario", "year", "hf").to_numpy(),
        np.sqrt(p * (1 - p) / DRAWS),
    )
    assert by_year.attrs["draws"] == DRAWS
    years = ens["year"].to_numpy()
    anywhere = breach.any_year(ens, PLAN)
    expected = hits[:, :, years >= PLAN, :].any(axis=2).mean(axis=1)
    np.testing.assert_allclose(anywhere["p"].transpose("scenario", "hf").to_numpy(), expected)
    assert anywhere.attrs == {"draws": DRAWS, "from_year": PLAN, "to_year": 2045, "seed": SEED}
    rows = breach.breach_rows(by_year, [2030, 2035])
    assert list(rows.columns) == ["scenario", "hf", "year", "p", "se"]
    assert len(rows) == 2 * 3 * 2 and rows["scenario"].iloc[0] == "today"


def test_without_a_booked_budget_there_is_nothing_to_say(ens):
    condition_only = ens.drop_vars(["credit_breach"])
    assert breach.any_year(condition_only) is None
    assert breach.yearly(summarize(condition_only)) is None


def test_dashboard_table_shows_each_probability_with_its_standard_error(ens):
    from hmn_bygg.dashboard.pages.risk_charts import probability_table

    summary = summarize(ens).sel(scenario="today")
    html = probability_table(summary, "nb")
    p = float(summary["liquidity_breach_probability"].sel(hf="HMR", year=2030))
    se = 100 * np.sqrt(p * (1 - p) / DRAWS)
    assert f"± {se:.1f}".replace(".", ",") in html
    assert "± " in probability_table(summary, "en") and "risk-probs" in html


def test_dashboard_offers_ten_thousand_draws():
    from hmn_bygg.dashboard.pages.risk import DRAW_CHOICES

    assert max(DRAW_CHOICES) == 10_000


def test_run_prints_and_writes_breach_probabilities_per_hf_and_year():
    args = ["run", "-s", "today", "--draws", "8", "--seed", "3", "--quiet", "--years", "2030"]
    code, nb = invoke(args)
    assert code == 0, nb
    assert "Sannsynlighet for brudd på kredittrammen per helseforetak og år" in nb
    assert "standardfeil √(p(1−p)/n)" in nb
    line = next(x for x in nb.splitlines() if x.strip().startswith("HMR") and "±" in x)
    assert "," in line.split("±")[0]  # decimal comma
    code, en = invoke([*args, "--lang", "en"])
    assert code == 0 and "Probability of a credit-line breach by health trust and year" in en
    code, text = invoke([*args, "--json"])
    payload = json.loads(text[text.index("{") :])["breach_probability"]
    assert payload["draws"] == 8 and "sqrt(p (1 - p) / draws)" in payload["standard_error"]
    row = payload["by_year"][0]
    assert set(row) == {"scenario", "hf", "year", "p", "se"}
    assert row["se"] == pytest.approx(np.sqrt(row["p"] * (1 - row["p"]) / 8))
    assert payload["any_year"]["from_year"] == PLAN and len(payload["any_year"]["rows"]) == 3


def _risk(ens) -> xr.Dataset:
    return breach.any_year(ens, PLAN)


def test_brief_states_each_hf_breach_probability_in_both_languages(results, models, ens):
    ds = results.sel(scenario=["today", "plan_2018"])
    risk = _risk(ens)
    nb = build_brief(ds, models=models, date=DATE, risk=risk)
    assert nb.content.breach is not None
    head, rows = nb.content.breach.table
    assert len(rows) == 3 and len(head) == 3  # HF, today, plan_2018
    assert 'data-testid="brief-breach"' in nb.html
    assert "minst ett år 2027–2045" in nb.html and "Monte Carlo med 24 trekk" in nb.html
    p, se = (float(risk[v].sel(scenario="today", hf="HMR")) for v in ("p", "se"))
    assert f"{fmt_percent(p, 0, 'nb')} ± {fmt_number(100 * se, 1, 'nb')}" in nb.html
    en = build_brief(ds, lang="en", models=models, date=DATE, risk=risk)
    assert "at least one year 2027–2045" in en.html and "Monte Carlo with 24 draws" in en.html


def test_brief_without_a_risk_run_is_unchanged(results, models):
    ds = results.sel(scenario=["today"])
    plain = build_brief(ds, models=models, date=DATE)
    assert plain.content.breach is None and "brief-breach" not in plain.html


@pytest.fixture
def browser_home(monkeypatch):
    home = project_root() / ".home" / "test_brief_breach"
    home.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("HOME", str(home))
    return home


@pytest.mark.browser
def test_brief_with_breach_probabilities_stays_within_four_pages(
    results, models, tmp_path, browser_home
):
    from hmn_bygg.report.brief.facts import default_scenarios

    shown = default_scenarios(results)
    ens = run_ensemble({s: models[s] for s in shown}, None, 8, SEED, quiet=True)
    pdf = tmp_path / "styrenotat.pdf"
    make_brief(results, models=models, pdf=pdf, date=DATE, risk=breach.any_year(ens, PLAN))
    reader = pypdf.PdfReader(pdf)
    assert len(reader.pages) <= 4
    flat = " ".join("\n".join(p.extract_text() for p in reader.pages).split())
    assert "Sannsynlighet for at helseforetaket er under kredittrammen" in flat
