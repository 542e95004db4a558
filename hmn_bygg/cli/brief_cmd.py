"""``hmn-bygg brief``: the board brief (styrenotat) as PDF, self-contained HTML and PNG charts."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hmn_bygg.cli.app import app
from hmn_bygg.core.errors import InputError
from hmn_bygg.core.messages import Msg
from hmn_bygg.core.paths import BRIEF_PDF, brief_appendix

if TYPE_CHECKING:
    import xarray as xr


class BriefLang(StrEnum):
    """Language of the brief."""

    nb = "nb"
    en = "en"


def read_results(path: Path) -> xr.Dataset:
    """Read a results netCDF file (see :func:`hmn_bygg.core.io.read_results`)."""
    from hmn_bygg.core.io import read_results as read

    return read(path)


@app.command("brief")
def brief_cmd(
    model: Annotated[Path | None, typer.Option("--model", "-m")] = None,
    scenarios: Annotated[Path | None, typer.Option("--scenarios")] = None,
    scenario: Annotated[list[str] | None, typer.Option("--scenario", "-s")] = None,
    output: Annotated[Path, typer.Option("--output", "-o")] = Path(BRIEF_PDF),
    html: Annotated[Path | None, typer.Option("--html")] = None,
    png_dir: Annotated[Path | None, typer.Option("--png-dir")] = None,
    lang: Annotated[BriefLang | None, typer.Option("--lang")] = None,
    results: Annotated[Path | None, typer.Option("--results")] = None,
    draws: Annotated[int, typer.Option("--draws")] = 0,
    seed: Annotated[int, typer.Option("--seed")] = 2018,
) -> None:
    # help and --help: "brief" in texts.yaml
    from hmn_bygg.cli.arguments import check_arguments, model_inputs
    from hmn_bygg.cli.texts import cli_lang, say

    lang = lang or BriefLang(cli_lang())
    check_arguments(
        inputs={**model_inputs(model), "--results": results, "--scenarios": scenarios},
        outputs={"--output": output, "--html": html, "appendix": brief_appendix(output)},
        folders={"--png-dir": png_dir},
        seeds={"--seed": seed},
        counts={"--draws": (draws, 0)},
    )
    if draws:
        from hmn_bygg.core.limits import draws_problem

        too_many = draws_problem(draws)
        if too_many is not None:
            raise InputError([too_many], title=Msg("cli.risk_cannot_start"))
    from hmn_bygg.config import load_scenarios
    from hmn_bygg.engine.run import run_models
    from hmn_bygg.report.brief import make_brief

    names = list(scenario) if scenario else None
    try:
        if results is not None:
            ds = read_results(results)
            known = [str(s) for s in ds["scenario"].to_numpy()] if "scenario" in ds else []
            wanted = names or known
            try:
                models = load_scenarios(model, scenarios, wanted)
            except InputError:
                models = None
                note = say("brief_no_parameters", lang.value)
                print(say("note", lang.value, note=note), file=sys.stderr)
        else:
            models = load_scenarios(model, scenarios, names)
            ds = run_models(models)
        risk = _breach(models, names, ds, draws, seed) if draws else None
        files = make_brief(
            ds,
            lang=lang.value,
            labels=_labels(model, scenarios, lang.value),
            scenarios=names,
            models=models,
            pdf=output,
            html=html,
            png_dir=png_dir,
            appendix=brief_appendix(output),
            risk=risk,
        )
    except InputError as err:
        print(err.render(lang.value), file=sys.stderr)
        raise typer.Exit(1) from None
    for path in (files.pdf, files.appendix, files.html, *files.pngs):
        if path is not None:
            print(say("wrote", lang.value, path=path))


def _labels(model: Path | None, scenarios: Path | None, lang: str) -> dict[str, str] | None:
    """Display names from a given scenario file (``--scenarios``), else None (the bundled)."""
    if scenarios is None:
        return None
    from hmn_bygg.config.labels import label, scenario_labels

    labels = scenario_labels(model, scenarios)
    return {name: label(labels, name, lang) for name in labels}


def _breach(models, names: list[str] | None, ds: xr.Dataset, draws: int, seed: int):
    """Each HF's probability of breaching its credit line in a year from the plan year on, for
    the scenarios the brief shows (:func:`hmn_bygg.risk.breach.any_year` of a Monte Carlo run)."""
    if not models:
        from hmn_bygg.core.errors import Problem

        problem = Problem("--draws", Msg("cli.draws_need_model"),
                          expected=Msg("cli.results_in_model"))  # fmt: skip
        raise InputError([problem], title=Msg("cli.risk_cannot_start"))
    from hmn_bygg.report.brief.facts import default_scenarios
    from hmn_bygg.risk.breach import any_year
    from hmn_bygg.risk.ensemble import run_ensemble

    shown = names or default_scenarios(ds) or list(models)
    chosen = {s: models[s] for s in shown if s in models}
    ens = run_ensemble(chosen, None, draws, seed)
    return any_year(ens, min(m.model.first_plan_year for m in chosen.values()))
