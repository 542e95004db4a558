"""Errors of core (files, outputs, limits), stock, solve, the brief and the solve, synth and serve
commands read in the user's language: bokmål by default, English with ``--lang en`` (issue 18).

Each stage gets a few representative bad inputs, checked through the real command where one
reaches it (``tests/cli_invoke.invoke`` with and without ``--lang en``), else through the
reader; the bokmål text must carry no English framing.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from hmn_bygg.core.errors import InputError
from hmn_bygg.core.paths import models_dir
from tests.cli_invoke import invoke

ENGLISH_FRAMING = ("; expected ", ", found ", "; found ", " problem", ", row ", ", column ")


def _refused(args: list[str]) -> str:
    code, out = invoke(args)
    assert code != 0 and "Traceback" not in out, out
    return out


def _bokmal(text: str) -> None:
    """No English framing (expected, found, problems, row, column) in a bokmål error."""
    assert not [w for w in ENGLISH_FRAMING if w in text], text


# --- through the real command -------------------------------------------------------------


def _bad_plan_options(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    text = (models_dir() / "solve_plan.yaml").read_text(encoding="utf-8")
    text = text.replace("mip_gap:\n", "foo:\n  value: 1\n  source: y\nmip_gap:\n", 1)
    (tmp_path / "solve_plan.yaml").write_text(text.replace("time_limit_s:", "time_limit:"))
    monkeypatch.setattr("hmn_bygg.solve.plan_options.models_dir", lambda: tmp_path)
    return ["solve", "disposals"]


def _unknown_building(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    scenarios = tmp_path / "scenarios.yaml"
    scenarios.write_text(
        "overrides:\n  gone:\n    portfolio.disposals.by_building:\n"
        "      value: {NOPE-1: 2030}\n      source: test\nscenarios:\n  gone: [gone]\n",
        encoding="utf-8",
    )
    return ["run", "--scenarios", str(scenarios), "-s", "gone"]


def _empty_results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    (tmp_path / "results.nc").write_bytes(b"")
    return ["export", str(tmp_path / "results.nc"), "--xlsx", str(tmp_path / "x.xlsx")]


def _synth_over_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    from hmn_bygg.register import synth

    (tmp_path / synth.BUILDINGS_CSV).write_text("keep me\n", encoding="utf-8")
    return ["register", "synthesize", "--out", str(tmp_path), "--seed", "7"]


CASES = {
    # solve: a grade target outside the scale
    "budget_target": (
        lambda tmp_path, monkeypatch: ["solve", "budget", "--target", "9"],
        ["The budget question cannot be answered (1 problem)",
         "grade target outside the grade scale; expected a VTTG between 0 and 3 (e.g. 1.2)"],
        ["Budsjettspørsmålet kan ikke besvares (1 feil)",
         "tilstandsmålet er utenfor tilstandsskalaen; forventet en VTTG mellom 0 og 3 (f.eks. "
         "1,2), fant '9.0'"],
    ),
    # cli: the capacity question, every bad option at once
    "capacity_question": (
        lambda tmp_path, monkeypatch: ["solve", "capacity", "--hf", "XX", "--year", "1900"],
        ["Cannot compute the carrying capacity (2 problems)",
         "--hf: unknown HF; expected one of HMR, HNT, STO, found 'XX'",
         "--year: outside the model years; expected 2018–2045, found '1900'"],
        ["Investeringsrommet kan ikke beregnes (2 feil)",
         "--hf: ukjent HF; forventet en av HMR, HNT, STO, fant 'XX'",
         "--year: utenfor modellens år; forventet 2018–2045, fant '1900'"],
    ),
    # cli: refused before any work
    "allow_use": (
        lambda tmp_path, monkeypatch: ["solve", "disposals", "--allow-use", "nope"],
        ["--allow-use: unknown use; expected one of somatic, mental_health, office"],
        ["--allow-use: ukjent bruk; forventet en av somatic, mental_health, office"],
    ),
    # stock: the shared leaf-file reader, on models/solve_plan.yaml
    "plan_options": (
        _bad_plan_options,
        ["The plan options have problems", "column 'foo': unknown key",
         "column 'time_limit_s': missing key; expected a leaf {value, unit, source}"],
        ["Planvalgene har feil", "kolonne 'foo': ukjent nøkkel; forventet en av",
         "kolonne 'time_limit_s': mangler nøkkel; forventet en oppføring {value, unit, source}"],
    ),
    # stock: a disposal override naming a building the register lacks
    "unknown_building": (
        _unknown_building,
        ["The disposal overrides have problems",
         "column 'portfolio.disposals.by_building.NOPE-1': no building in the register has "
         "this id; found 'NOPE-1'"],
        ["Avhendingene i scenarioet har feil",
         "kolonne 'portfolio.disposals.by_building.NOPE-1': ingen bygg i registeret har denne "
         "bygnings-ID-en; fant 'NOPE-1'"],
    ),
    # core/io: a results file that is empty
    "empty_results": (
        _empty_results,
        ["results.nc: not a netCDF results file (the file is empty); expected a results file "
         "(.nc) from 'hmn-bygg run -o'"],
        ["results.nc: ikke en netCDF-resultatfil (filen er tom); forventet en resultatfil (.nc) "
         "fra 'hmn-bygg run -o'"],
    ),
    # cli: synth never writes over a register
    "synth_exists": (
        _synth_over_files,
        ["Nothing written (1 problem)", "the file exists; expected --force to overwrite it"],
        ["Ingenting er skrevet (1 feil)", "filen finnes allerede; forventet --force for å skrive "
         "over den"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(CASES))
def test_errors_in_english_with_lang_en(case, tmp_path, monkeypatch):
    make, english, _ = CASES[case]
    out = _refused([*make(tmp_path, monkeypatch), "--lang", "en"])
    assert all(e in out for e in english), out


@pytest.mark.parametrize("case", sorted(CASES))
def test_errors_in_bokmal_by_default(case, tmp_path, monkeypatch):
    make, _, bokmal = CASES[case]
    out = _refused(make(tmp_path, monkeypatch))
    assert all(b in out for b in bokmal), out
    _bokmal(out)


def test_nothing_is_written_or_changed_by_a_refusal(tmp_path, monkeypatch):
    from hmn_bygg.register import synth

    _refused([*_synth_over_files(tmp_path, monkeypatch), "--lang", "en"])
    assert (tmp_path / synth.BUILDINGS_CSV).read_text(encoding="utf-8") == "keep me\n"
    _refused([*_empty_results(tmp_path, monkeypatch), "--lang", "en"])
    assert not (tmp_path / "x.xlsx").exists()


# --- through the readers (the same messages as the commands show) --------------------------


def _error(call) -> InputError:
    with pytest.raises(InputError) as caught:
        call()
    return caught.value


def test_leaf_file_errors_point_at_the_bad_value_in_both_languages(tmp_path):
    from hmn_bygg.solve.plan_options import load_plan_options

    bad = tmp_path / "opts.yaml"
    bad.write_text("mip_gap:\n  unit: '1'\n  value: 2\n  source: x\n", encoding="utf-8")
    err = _error(lambda: load_plan_options(bad))
    (gap,) = [p for p in err.problems if p.column == "mip_gap"]
    assert gap.row == 3  # the line of the value, not of the key
    assert "value out of range; expected a number 0–1, found '2'" in gap.render("en")
    assert "verdien er utenfor gyldig område; forventet et tall fra 0 til 1, fant '2'" in (
        gap.render("nb")
    )
    _bokmal(err.render("nb"))


def test_disposal_score_reads_with_the_same_reader(tmp_path):
    from hmn_bygg.stock.disposal_score import COMPONENTS, load_disposal_score

    leaves = {k: "{value: 0, unit: '1', source: s}" for k in COMPONENTS}
    leaves["age_full_years"] = "{value: 50, unit: years, source: s}"
    zero = tmp_path / "score.yaml"
    zero.write_text("".join(f"{k}: {v}\n" for k, v in leaves.items()), encoding="utf-8")
    err = _error(lambda: load_disposal_score(zero))
    assert err.render("en").startswith("The disposal score has problems (1 problem):")
    assert "column 'grade': every weight is 0; expected one weight above 0" in err.render("en")
    assert err.render("nb").startswith("Poengfilen for avhending har feil (1 feil):")
    assert "alle vektene er 0; forventet minst én vekt over 0" in err.render("nb")
    leaves["grade"] = "[1]"
    zero.write_text("".join(f"{k}: {v}\n" for k, v in leaves.items()), encoding="utf-8")
    err = _error(lambda: load_disposal_score(zero))
    assert "a leaf needs value and source; found '[1]'" in err.render("en")
    assert "oppføringen må ha value og source; fant '[1]'" in err.render("nb")


def test_an_output_that_is_a_folder_is_refused_in_both_languages(tmp_path):
    from hmn_bygg.core.io import write_json

    err = _error(lambda: write_json({}, tmp_path))
    assert err.render("en") == (
        f"The output cannot be written (1 problem):\n  - {tmp_path}: is a folder; expected a "
        "file name"
    )
    assert err.render("nb") == (
        f"Resultatet kan ikke skrives (1 feil):\n  - {tmp_path}: er en mappe; forventet et filnavn"
    )


def test_an_input_that_is_no_file_says_what_it_is(tmp_path):
    from hmn_bygg.core.paths import not_a_file

    os.mkfifo(tmp_path / "pipe")
    problem = not_a_file(tmp_path / "pipe", "pipe", "a YAML file")
    assert problem.render("en") == "pipe: not a regular file (a pipe (FIFO)); expected a YAML file"
    assert problem.render("nb").startswith("pipe: ikke en vanlig fil (et rør (FIFO)); forventet")
    missing = not_a_file(tmp_path / "gone", "gone", "a YAML file")
    assert missing.render("nb").startswith("gone: fant ikke filen")


def test_limits_are_numbers_in_the_language():
    from hmn_bygg.core.limits import draws_problem

    problem = draws_problem(2_000_000)
    assert problem is not None
    assert "too many draws for one run; expected at most 1,000,000 (10,000 are" in (
        problem.render("en")
    )
    assert "for mange trekk for én kjøring; forventet høyst 1 000 000 (10 000 er nok" in (
        problem.render("nb")
    )


def test_the_question_names_every_bad_option_in_both_languages():
    from hmn_bygg.config import load_scenarios
    from hmn_bygg.solve.budget import check_question

    model = load_scenarios(None, None, ["today"])["today"]
    err = _error(lambda: check_question(model, target=1.2, by=2010, entity="XX", from_year=None))
    assert [p.column for p in err.problems] == ["--hf", "--by"]  # --from is not blamed for --by
    nb = err.render("nb")
    assert "ukjent HF; forventet en av region, HMR, HNT, STO, fant 'XX'" in nb
    assert "året er utenfor modellens tidshorisont; forventet 2019–2045, fant '2010'" in nb
    _bokmal(nb)


def _results(scenarios: list[str]) -> xr.Dataset:
    from hmn_bygg.report.brief.facts import REQUIRED

    shape = (len(scenarios), 2)
    data = {name: (("scenario", "year"), np.zeros(shape)) for name in REQUIRED}
    return xr.Dataset(data, coords={"scenario": scenarios, "year": [2026, 2027]})


def test_the_brief_names_an_unknown_scenario_in_both_languages():
    from hmn_bygg.report.brief import facts
    from hmn_bygg.report.brief.content import build_content

    ds = _results(["today", "catch_up"])
    err = _error(lambda: facts.check_results(ds, ["todya", "today", "today"]))
    assert "no scenario named 'todya'" in err.render("en")
    assert "available: today, catch_up" in err.render("en")
    nb = err.render("nb")
    assert nb.startswith("Styrenotatet kan ikke vise disse scenarioene (2 feil):")
    assert "ingen scenario heter 'todya'" in nb and "tilgjengelige: today, catch_up" in nb
    assert "et scenario er nevnt to ganger; fant 'todya, today, today'" in nb
    err = _error(lambda: facts.check_results(ds.drop_vars("vttg"), None))
    assert "kolonne 'vttg': variabelen mangler; forventet resultater fra hmn-bygg run" in (
        err.render("nb")
    )
    err = _error(lambda: build_content(ds, lang="xx"))  # type: ignore[arg-type]
    assert err.render("nb").endswith("brief: ukjent språk; forventet nb eller en, fant 'xx'")


@pytest.mark.slow
def test_the_what_if_save_error_reads_in_the_page_language(tmp_path, monkeypatch):
    from hmn_bygg.config.user_scenarios import USER_SCENARIOS_ENV
    from hmn_bygg.dashboard.save_whatif import SaveWhatIf
    from hmn_bygg.dashboard.state import SessionState

    monkeypatch.setenv(USER_SCENARIOS_ENV, str(tmp_path))  # a folder where the file should be
    state = SessionState()
    for lang, text in (("nb", "ikke en vanlig fil (en mappe)"),
                       ("en", "not a regular file (a folder)")):  # fmt: skip
        state.lang = lang
        save = SaveWhatIf(state, dict)
        save.name.value = "mitt_forslag"
        assert save.save() is None
        assert text in save.message.object, save.message.object
