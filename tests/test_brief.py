"""The board brief (hmn_bygg.report.brief): content, self-contained HTML, PNG charts, PDF."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import numpy as np
import pypdf
import pytest

from hmn_bygg.config import key_index
from hmn_bygg.config.param_labels import param_label, project_names
from hmn_bygg.core.errors import InputError
from hmn_bygg.core.fmt import fmt_number, year_spans
from hmn_bygg.core.io import write_bytes_atomic as write_atomic
from hmn_bygg.core.paths import project_root
from hmn_bygg.report.brief import build_brief, facts, make_brief
from hmn_bygg.report.brief.assumptions import format_value
from hmn_bygg.report.brief.facts import first_year_at_or_below
from hmn_bygg.report.brief.render import render_pdf

DATE = dt.date(2025, 3, 14)
LIQUIDITY_VARS = [
    "liquidity",
    "credit_limit",
    "liquidity_region",
    "credit_limit_region",
    "credit_breach",
]


@pytest.fixture(scope="module")
def brief_nb(results, models):
    return build_brief(results, models=models, date=DATE)


@pytest.fixture(scope="module")
def brief_en(results, models):
    return build_brief(results, lang="en", models=models, date=DATE)


@pytest.fixture
def browser_home(monkeypatch):
    """Chromium and Playwright write into $HOME: keep it inside the (git-ignored) checkout."""
    home = project_root() / ".home" / "test_brief"
    home.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("HOME", str(home))
    return home


def plain(html: str) -> str:
    """The HTML with no-break spaces as spaces and without <wbr> (as a reader sees it)."""
    return html.replace("\u00a0", " ").replace("\u202f", " ").replace("<wbr>", "")


def first_scenario(ds) -> str:
    return str(ds["scenario"].to_numpy()[0])


def test_html_is_self_contained(brief_nb):
    html = brief_nb.html
    assert html.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    assert "url(" not in html and "@import" not in html and "<link" not in html
    assert "<script" not in html
    images = re.findall(r'<img src="([^"]+)"', html)
    assert len(images) == len(brief_nb.pngs) >= 3
    assert all(src.startswith("data:image/png;base64,") for src in images)


def test_key_figures_in_norwegian_format(brief_nb, results):
    text = plain(brief_nb.html)
    assert "Hva styret må ta stilling til" in text
    assert "1,45" in text  # VTTG of the region in 2018, area-weighted
    assert "709 719" in text  # sum of the HF areas (Tabell 1 prints 709 769)
    assert "709 769" in plain(brief_nb.appendix_html)  # the note on the printed region row
    assert "650 000 m²" in text and "Mål 1,2" not in text  # the target line is in the PNG
    assert "2026-kroner" in text
    assert "14. mars 2025" in text


def test_decision_points_come_from_the_numbers(brief_nb, results):
    s = first_scenario(results)
    decisions = " ".join(d.text for d in brief_nb.content.decisions).replace("\u00a0", " ")
    for year in (2018, 2030, 2045):
        value = float(results["vttg_region"].sel(scenario=s, year=year))
        assert fmt_number(value, 2) in decisions
    leads = [d.lead for d in brief_nb.content.decisions if d.lead]
    assert leads[:2] == ["Beslutning", "Tilstand"]
    assert "Likviditet" in leads


def test_liquidity_after_the_last_project_is_explained(brief_nb, brief_en, results):
    # the building projects end in 2030; after that only equipment and maintenance recur
    last = facts.last_project_year(results, list(results["scenario"].to_numpy()))
    invest = results["investment"].sum("hf")
    recurring = [
        p
        for p in results["project"].to_numpy()
        if p in ("ordinary_investment", "medtech", "capitalised_maintenance")
    ]
    others = invest.drop_sel(project=recurring).sum(["scenario", "project"])
    assert (
        float(others.sel(year=last)) > 0.5
        and float(others.sel(year=slice(last + 1, None)).max()) <= 0.5
    )
    nb = " ".join(d.text for d in brief_nb.content.decisions)
    assert f"Etter {last} har modellen ingen nye byggeprosjekter" in nb
    en = " ".join(d.text for d in brief_en.content.decisions)
    assert f"After {last} the model holds no new building project" in en


def test_english_variant(brief_en):
    text = plain(brief_en.html)
    assert '<html lang="en">' in brief_en.html
    assert "What the board must decide" in text
    assert "1.45" in text and "709,719" in text
    assert "Hva styret" not in text
    assert "14 March 2025" in text


def test_charts_are_png(brief_nb, results):
    names = set(brief_nb.pngs)
    assert {"vttg.png", "area.png", "upgrade_need.png"} <= names
    assert ("liquidity.png" in names) == ("liquidity" in results)
    for png in brief_nb.pngs.values():
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        assert len(png) > 10_000


def test_appendix_lists_every_parameter_with_its_source(brief_nb, models):
    text = plain(brief_nb.appendix_html)
    projects = project_names(next(iter(models.values())))
    for key, info in key_index().items():
        if info.kind != "entry":
            assert html.escape(param_label(key, "nb", projects), quote=False) in text, key
    assert "utviklingsplan 2018 avsnitt 5.6.2" in text  # the source, in bokmål
    assert "syntetisk" in text and "data/building_register/PROVENANCE.md" in text
    changed = brief_nb.content.scenarios[1].changes
    assert changed and any(line.startswith("Ekstra vedlikeholdsbudsjett") for line in changed)


def test_no_dotted_key_in_the_paper_or_its_appendix_labels(brief_nb):
    """A board member reads labels: no ``section.key`` in the paper, none as a row label."""
    dotted = re.compile(r"\b[a-z_]{2,}\.[a-z_]{2,}\.[a-z_0-9.]+\b")  # not t.o.m.
    main = re.sub(r"<style>.*?</style>|data:image/png;base64,[^\"]+", "", brief_nb.html, flags=re.S)
    assert not dotted.findall(re.sub(r"<[^>]+>", " ", main))
    labels = re.findall(r'<td class="key">([^<]*)</td>', brief_nb.appendix_html)
    assert labels and not [lab for lab in labels if dotted.search(lab)]


def test_every_scenario_that_reaches_a_target_is_in_the_brief(results, models):
    brief = build_brief(results, models=models, date=DATE)
    shown = [s.name for s in brief.content.scenarios]
    reaching = [s for s in map(str, results["scenario"].to_numpy())
                if facts.reaches_a_target(results, s)]  # fmt: skip
    assert "faster_disposals" in reaching  # 650 000 m² in 2028
    assert set(reaching) <= set(shown)


def test_wording_cannot_be_misread(brief_nb):
    text = plain(brief_nb.html)
    assert "VTTG-målet 1,2 nås i" in text and "nås ikke innen 2045" in text
    assert "under målet" not in text.lower()


def test_brief_without_liquidity_leaves_it_out(results, models):
    ds = results.drop_vars([v for v in LIQUIDITY_VARS if v in results])
    brief = build_brief(ds, models=models, scenarios=["today", "catch_up"], date=DATE)
    assert "liquidity.png" not in brief.pngs
    assert brief.content.liquidity_table is None
    assert "Likviditet" not in plain(brief.html)
    assert [s.name for s in brief.content.scenarios] == ["today", "catch_up"]


def test_credit_breach_is_named(results, models):
    assert "liquidity" in results  # the model books the long-term budget
    ds = results.sel(scenario=["today"]).copy()
    # the line has a year (fixed prices show a fixed nominal line in each year's kroner)
    limit = float(ds["credit_limit"].sel(scenario="today", hf="HMR").max())
    years = [2024, 2025]
    low = ds["liquidity"].copy()
    low.loc[dict(scenario="today", hf="HMR")] = 0.0  # no breach but the planted one
    low.loc[dict(scenario="today", hf="HMR", year=years)] = -limit - 100.0
    ds["liquidity"] = low
    brief = build_brief(ds, models=models, date=DATE)
    text = plain(brief.html)
    assert "Helse Møre og Romsdal (HMR) bryter driftskreditten" in text
    assert "2024–2025" in text
    assert fmt_number(-limit - 100.0, 0) in text


def test_unknown_scenario_and_language_are_input_errors(results):
    with pytest.raises(InputError, match="no scenario named 'nope'"):
        build_brief(results, scenarios=["today", "nope"])
    with pytest.raises(InputError, match="unknown language"):
        build_brief(results, lang="de")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="variable missing"):
        build_brief(results.drop_vars("vttg_region"))


def test_without_models_the_appendix_says_so(results):
    brief = build_brief(results, scenarios=["catch_up"], date=DATE)
    assert brief.content.parameters == ()
    assert "Modellfilen var ikke tilgjengelig" in brief.appendix_html


def test_helpers():
    assert first_year_at_or_below({2018: 1.3, 2019: 1.1, 2020: 1.25, 2021: 1.2}, 1.2) == 2021
    assert first_year_at_or_below({2018: 1.1, 2019: 1.3}, 1.2) is None
    assert year_spans([2028, 2023, 2024, 2025]) == "2023–2025, 2028"
    assert format_value({2019: 0.0, 2020: 210.0}, "nb") == "0 fra 2019; 210 fra 2020"
    assert format_value({"HMR": 100.0, "HNT": 1.5}, "en") == "HMR: 100 · HNT: 1.5"
    assert format_value(650000.0, "nb") == "650\u00a0000"
    assert format_value(True, "nb") == "ja"


def test_write_atomic_leaves_no_temporary_files(tmp_path):
    target = tmp_path / "sub" / "a.bin"
    write_atomic(target, b"one")
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["a.bin"]


def test_make_brief_writes_html_and_pngs(results, models, tmp_path):
    files = make_brief(
        results.sel(scenario=["today", "catch_up"]),
        models=models,
        pdf=None,
        html=tmp_path / "brief.html",
        png_dir=tmp_path / "png",
        date=DATE,
    )
    assert files.pdf is None
    assert files.html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in files.pngs) == sorted(
        p.name for p in (tmp_path / "png").iterdir()
    )
    assert not list(tmp_path.rglob("*.tmp"))


def pdf_text(path: Path) -> str:
    """The PDF's text, read with pypdf (a test dependency: missing, the module errors)."""
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


@pytest.mark.browser
def test_pdf_is_a4_and_has_the_key_figures(results, models, tmp_path, browser_home):
    pdf = tmp_path / "brief.pdf"
    ds = results.sel(scenario=["today", "catch_up"])
    files = make_brief(ds, models=models, pdf=pdf, date=DATE)
    data = files.pdf.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    pages = len(re.findall(rb"/Type\s*/Page\b", data))
    assert pages >= 2
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert box and np.allclose([float(box[1]), float(box[2])], [595.92, 842.88], atol=1.5)
    flat = " ".join(pdf_text(pdf).replace("\u00a0", " ").split())
    assert "Hva styret må ta stilling til" in flat
    # the register's published totals (Tabell 1: VTTG 1,45 over 709 719 m²)
    assert "1,45" in flat and "709 719" in flat
    assert not list(tmp_path.glob("*.tmp"))


@pytest.mark.browser
def test_pdf_blocks_any_network_request(brief_nb, browser_home):
    html = '<!DOCTYPE html><html><body><img src="http://example.invalid/x.png"></body></html>'
    with pytest.raises(RuntimeError, match="external resources"):
        render_pdf(brief_nb.content, html)


@pytest.mark.browser
def test_default_brief_is_four_pages_of_bokmal_with_an_appendix(results, models, tmp_path,
                                                                browser_home):  # fmt: skip
    pdf = tmp_path / "styrenotat.pdf"
    appendix = tmp_path / "styrenotat_vedlegg.html"
    files = make_brief(results, models=models, pdf=pdf, appendix=appendix, date=DATE)
    assert files.appendix == appendix and "Parametere i modellen" in appendix.read_text("utf-8")
    assert len(pypdf.PdfReader(pdf).pages) <= 4
    flat = " ".join(pdf_text(pdf).replace("\u00a0", " ").split())
    assert "Raskere avhending" in flat  # reaches the area target, so it is in the paper
    english = [w for w in (" the ", " and ", "assumption", " of ", " from ") if w in flat.lower()]
    assert not english, english
