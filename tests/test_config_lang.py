"""The config stage's problems read in bokmål and in English (issue 18, point 3).

Every bad model, scenario, override, region and data file the config tests keep is read; each
error is rendered in both languages: the bokmål has none of the English framing or wording,
and every message differs between the languages (it was translated, not passed through).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from hmn_bygg.config import apply_overrides, load_model, load_scenarios
from hmn_bygg.config.actuals import load_actuals
from hmn_bygg.config.region import load_region
from hmn_bygg.core.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures" / "config"
ENGLISH = re.compile(
    r"\b(expected|found|row|column|problems?|has problems|unknown|missing|wrong|must|"
    r"out of range|did you mean|given twice|not a|needs|Input should|Value error)\b"
)
MODELS = sorted(p.name for p in FIXTURES.glob("model_*.yaml"))
SCENARIOS = sorted(p.name for p in FIXTURES.glob("scenarios_*.yaml"))


def _both(err: InputError) -> tuple[str, str]:
    """The error in bokmål and English; the bokmål has no English but in ``found`` (what the
    file holds, or a library's own words such as PyYAML's)."""
    nb, en = err.render("nb"), err.render("en")
    assert en == str(err)
    for p in err.problems:
        assert p.render("nb") != p.render("en"), p
        said = replace(p, found=None).render("nb")
        assert not ENGLISH.search(said), said
    return nb, en


@pytest.mark.parametrize("name", MODELS)
def test_a_bad_model_file_reads_in_both_languages(name):
    with pytest.raises(InputError) as caught:
        load_model(FIXTURES / name)
    nb, en = _both(caught.value)
    assert f"Modellfilen {caught.value.problems[0].file} har feil" in nb, nb
    assert "The model file" in en


@pytest.mark.parametrize("name", SCENARIOS)
def test_a_bad_scenario_file_reads_in_both_languages(name):
    with pytest.raises(InputError) as caught:
        load_scenarios(FIXTURES / "model.yaml", FIXTURES / name)
    nb, _ = _both(caught.value)
    assert "Scenariofilen" in nb, nb


@pytest.mark.parametrize(
    ("overrides", "nb"),
    [
        ({"maintenance.budget_mnok.HMR": -1}, "verdien er utenfor tillatt område; forventet en"),
        ({"maintenance.extra_budgt_mnok": 1}, "ukjent nøkkel; mente du 'maintenance.extra_"),
        ({"condition.wear_shape": "fast"}, "feil type; forventet et gyldig tall, fant 'fast'"),
        ({"condition.wear_shape": {"from": "x", "value": 2}}, "'from' må være et år"),
        ({"maintenance.budget_mnok.HMR": float("nan")}, "ikke et endelig tall"),
        ({"maintenance.budget_mnok": {"HMR": 1}}, "tabellen mangler 'HNT', 'STO'"),
    ],
)
def test_an_override_reads_in_both_languages(overrides, nb):
    with pytest.raises(InputError) as caught:
        apply_overrides(load_model(FIXTURES / "model.yaml"), overrides, file="--ltb")
    text, _ = _both(caught.value)
    assert "Overstyringene har feil" in text and nb in text, text


def test_region_and_actuals_read_in_both_languages(tmp_path):
    table = tmp_path / "organisation.csv"
    table.write_text("kind,code,name_nb,name_en\nhf,HMR,,Møre\nhf,HMR,b,b\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_region(table)
    nb, en = _both(caught.value)
    assert "HF-koden er oppgitt to ganger" in nb and "regionens egen rad mangler" in nb, nb
    assert "HF code given twice" in en
    actuals = tmp_path / "actuals.yaml"
    actuals.write_text(
        "rows:\n  - {id: a, what: vttg, hf: NORD, year: 2020, value: 1, unit: TG, kind: actual,"
        " source: rapport}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_actuals(actuals)
    nb, en = _both(caught.value)
    assert "Filen" in nb and "(utfall) har feil" in nb and "ikke et HF i regionen" in nb, nb
    assert "'region' eller 'HMR', 'HNT' eller 'STO' (HF-ene i" in nb, nb
    assert "The actuals file" in en and "not an HF of the region" in en, en


def test_a_missing_parameter_is_described_in_the_language(tmp_path):
    """The expected form names the parameter by its bokmål label (config/param_labels.yaml),
    or by the field's English description."""
    import yaml

    from hmn_bygg.config import load_model
    from hmn_bygg.core.errors import InputError
    from hmn_bygg.core.paths import models_dir

    data = yaml.safe_load((models_dir() / "hmn.yaml").read_text(encoding="utf-8"))
    del data["maintenance"]["budget_mnok"]
    for f in models_dir().iterdir():
        if f.is_file() and f.name != "hmn.yaml":
            (tmp_path / f.name).write_bytes(f.read_bytes())
    (tmp_path / "hmn.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    with pytest.raises(InputError) as err:
        load_model(tmp_path / "hmn.yaml")
    assert "(Vedlikeholdsbudsjett per helseforetak)" in err.value.render("nb")
    assert "(Maintenance budget of each HF" in err.value.render("en")
