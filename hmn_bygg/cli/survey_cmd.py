"""``hmn-bygg register surveys`` and ``hmn-bygg register synthesize-survey``: several surveys.

``surveys`` reads every survey of a register folder (:mod:`hmn_bygg.register.snapshots`) and
prints each with its VTTG and the warnings across them; ``synthesize-survey`` writes the
bundled register's second, synthetic survey (:mod:`hmn_bygg.register.synth_survey`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hmn_bygg.cli.register_cmd import register_app
from hmn_bygg.cli.texts import cli_lang, say

ModelOption = Annotated[Path | None, typer.Option()]


@register_app.command("surveys")
def surveys_cmd(model: ModelOption = None) -> None:
    # help and --help: "register surveys" in texts.yaml
    from hmn_bygg.cli.arguments import check_arguments, model_inputs

    check_arguments(inputs=model_inputs(model))
    from hmn_bygg.config import load_model
    from hmn_bygg.core.fmt import fmt_number
    from hmn_bygg.register.snapshot_checks import check_snapshots
    from hmn_bygg.register.snapshots import load_snapshots, register_folder
    from hmn_bygg.register.weighting import building_grade, weighted_mean

    lang = cli_lang()
    snaps = load_snapshots(*register_folder(load_model(model)))
    for snap in snaps:
        ds = snap.register
        grade = building_grade(ds["condition_grade"], ds["cost_share"])
        vttg = float(weighted_mean(grade, ds["floor_area"]))
        typer.echo(say("survey_line", lang, year=snap.year, n=ds.sizes["building"],
                       area=fmt_number(float(ds["floor_area"].sum()), 0, lang),
                       vttg=fmt_number(vttg, 2, lang), folder=snap.folder))  # fmt: skip
        for text in ds.attrs.get("notes", []):
            typer.echo("  " + say("note", lang, note=text.render(lang)))
    warnings = check_snapshots(snaps)
    for w in warnings:
        typer.echo(say("warning", lang, warning=w.render(lang)))
    if len(snaps) > 1 and not warnings:
        typer.echo(say("survey_no_changes", lang))


@register_app.command("synthesize-survey")
def synthesize_survey_cmd(
    out: Annotated[Path | None, typer.Option("--out")] = None,
    seed: Annotated[int, typer.Option("--seed")] = 2024,
    force: Annotated[bool, typer.Option("--force")] = False,
) -> None:
    # help and --help: "register synthesize-survey" in texts.yaml
    from hmn_bygg.cli.arguments import check_arguments

    check_arguments(folders={"--out": out}, seeds={"--seed": seed})
    import pandas as pd

    from hmn_bygg.config import load_model
    from hmn_bygg.core import paths
    from hmn_bygg.core.errors import InputError, Problem
    from hmn_bygg.core.messages import Msg
    from hmn_bygg.register.synth_survey import FOLLOW_UP, follow_up_survey, write_survey

    base = paths.register_dir()
    folder = out if out is not None else base / "surveys" / str(FOLLOW_UP.year)
    targets = [folder / "buildings.csv", folder / "parts.csv"]
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        raise InputError(
            [
                Problem(str(t), Msg("cli.file_exists"), expected=Msg("cli.force_to_overwrite"))
                for t in existing
            ],
            title=Msg("cli.nothing_written"),
        )
    m = load_model()
    read = {"dtype": {"building_id": str, "part": str}, "keep_default_na": False,
            "na_values": [""]}  # fmt: skip
    b = pd.read_csv(base / "buildings.csv", **read)
    p = pd.read_csv(base / "parts.csv", **read)
    lives = {str(k): float(v) for k, v in m.condition.part_life_years.value.items()}
    must = {str(k): float(v) for k, v in m.upgrade_cost.must_nok_per_m2.value.items()}
    b2, p2 = follow_up_survey(b, p, lives, must, base_year=int(m.model.start_year), seed=seed)
    for path in write_survey(folder, b2, p2):
        typer.echo(say("wrote", None, path=path))
