"""``hmn-bygg track``: each later survey beside what the plan expected, and why they differ."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from hmn_bygg.cli.app import app


class Level(StrEnum):
    """Finest level of the tracking table."""

    hf = "hf"
    site = "site"
    building = "building"


LEVELS = {"hf": ("region", "hf"), "site": ("region", "hf", "site"),
          "building": ("region", "hf", "site", "building")}  # fmt: skip


@app.command("track")
def track_cmd(
    model: Annotated[Path | None, typer.Option()] = None,
    scenarios: Annotated[Path | None, typer.Option()] = None,
    plan: Annotated[str, typer.Option()] = "plan_2018",
    by: Annotated[Level, typer.Option()] = Level.hf,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    lang: Annotated[str | None, typer.Option()] = None,
    calibrate: Annotated[bool, typer.Option("--calibrate")] = False,
    save_scenario: Annotated[str | None, typer.Option("--save-scenario")] = None,
) -> None:
    # help and --help: "track" in texts.yaml
    from hmn_bygg.cli.app import check_lang
    from hmn_bygg.cli.arguments import check_arguments, model_inputs
    from hmn_bygg.cli.texts import cli_lang

    lang = check_lang(lang or cli_lang())
    check_arguments(inputs={**model_inputs(model), "--scenarios": scenarios})
    from hmn_bygg.cli.validate_cmd import aligned
    from hmn_bygg.report.track_run import track_model
    from hmn_bygg.report.track_texts import track_cells, track_text

    if save_scenario is not None and not calibrate:
        raise typer.BadParameter("needs --calibrate", param_hint="--save-scenario")
    t = track_model(model, plan, scenarios_path=scenarios, levels=LEVELS[by.value])
    if calibrate:
        from hmn_bygg.cli.calibrate_out import show_calibration

        show_calibration(t, lang, save_scenario, model)  # type: ignore[arg-type]
        return
    if as_json:
        typer.echo(t.table.to_json(orient="records", force_ascii=False, indent=2))
        for w in t.warnings:
            typer.echo(w.render(lang), err=True)  # type: ignore[arg-type]
        return
    if t.synthetic_years:
        years = ", ".join(str(y) for y in t.synthetic_years)
        typer.echo(track_text("synthetic", lang, years=years))  # type: ignore[arg-type]
    if t.table.empty:
        typer.echo(track_text("no_later_survey", lang, base=t.base_year, folder=t.folder))  # type: ignore[arg-type]
    else:
        typer.echo(track_text("title", lang, plan=plan, base=t.base_year) + ":")  # type: ignore[arg-type]
        heads, rows = track_cells(t.table, lang)  # type: ignore[arg-type]
        typer.echo(aligned(heads, rows, left=3))
        typer.echo(track_text("causes_note", lang))  # type: ignore[arg-type]
    if t.warnings:
        typer.echo(track_text("warnings", lang) + ":")  # type: ignore[arg-type]
        for w in t.warnings:
            typer.echo(f"  {w.render(lang)}")  # type: ignore[arg-type]
