"""``hmn-bygg register synthesize`` and ``hmn-bygg register summary``.

``synthesize`` writes the seeded synthetic register (:mod:`hmn_bygg.register.synth`); ``summary``
prints a register in the layout of Tabell 1 (:mod:`hmn_bygg.register.summary`), in bokmål, or the
same
figures as JSON for scripts.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hmn_bygg.cli.arguments import check_arguments, model_inputs
from hmn_bygg.cli.register_cmd import register_app
from hmn_bygg.cli.texts import cli_lang, say
from hmn_bygg.register import SYNTH_SEED

if TYPE_CHECKING:
    import xarray as xr


class By(StrEnum):
    """Grouping of the summary rows."""

    hf = "hf"
    site = "site"
    use = "use"


class Weight(StrEnum):
    """Weight of a building in the VTTG."""

    area = "area"
    value = "value"


@register_app.command("synthesize")
def synthesize_cmd(
    out: Annotated[Path | None, typer.Option("--out")] = None,
    seed: Annotated[int, typer.Option("--seed")] = SYNTH_SEED,
    force: Annotated[bool, typer.Option("--force")] = False,
) -> None:
    # help and --help: "register synthesize" in texts.yaml
    from hmn_bygg.core import paths
    from hmn_bygg.core.errors import InputError, Problem
    from hmn_bygg.core.fmt import fmt_number
    from hmn_bygg.core.messages import Msg
    from hmn_bygg.register import synth, synth_report

    check_arguments(folders={"--out": out}, seeds={"--seed": seed})
    folder = out if out is not None else paths.register_dir()
    bundled = folder.resolve() == paths.register_dir().resolve()
    targets = [folder / synth.BUILDINGS_CSV, folder / synth.PARTS_CSV]
    existing = [t for t in targets if t.exists()]
    if existing and not force and not (bundled and seed == synth.DEFAULT_SEED):
        raise InputError(
            [
                Problem(str(t), Msg("cli.file_exists"), expected=Msg("cli.force_to_overwrite"))
                for t in existing
            ],
            title=Msg("cli.nothing_written"),
        )
    written = synth.write_register(folder, seed)
    lang = cli_lang()
    for path in written:
        typer.echo(say("wrote", lang, path=path))
    b, p = synth.synthesize(seed)
    fig = synth_report.calibration_figures(b, p)
    typer.echo(say("synth_calibrated", lang))
    for hf, r in fig.iterrows():
        typer.echo("  " + say("synth_line", lang, hf=hf, n=int(r["buildings_register"]),
                              area=fmt_number(r["floor_area_m2_register"], 0, lang),
                              age=fmt_number(r["weighted_age_years_register"], 2, lang),
                              vttg=fmt_number(r["grade_register"], 3, lang)))  # fmt: skip


def _load_register(files: list[Path], include_hidden: bool = False) -> xr.Dataset:
    """Load a register with the shared reader (the bundled one when ``files`` is empty)."""
    from hmn_bygg.register.load import load_register

    return load_register(files or None, include_hidden=include_hidden)


@register_app.command("summary")
def summary_cmd(
    files: Annotated[list[Path] | None, typer.Argument(show_default=False)] = None,
    by: Annotated[By, typer.Option("--by")] = By.hf,
    weight: Annotated[Weight, typer.Option("--weight")] = Weight.area,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    model: Annotated[Path | None, typer.Option()] = None,
    include_hidden: Annotated[bool, typer.Option("--include-hidden")] = False,
) -> None:
    # help and --help: "register summary" in texts.yaml
    check_arguments(inputs={"FILES": files, **model_inputs(model)})
    from hmn_bygg.condition.wear import register_upgrade_need
    from hmn_bygg.config import load_model
    from hmn_bygg.register import summary
    from hmn_bygg.report.register_table import render_summary, summary_json

    ds = _load_register(list(files or []), include_hidden)
    need = register_upgrade_need(ds, load_model(model))
    table = summary.register_summary(ds, by=by.value, weighting=weight.value, upgrade_need=need)
    if as_json:
        data = summary_json(table, [str(s) for s in ds.attrs.get("sources", [])])
        data["register_notes"] = [str(n) for n in ds.attrs.get("notes", [])]
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        typer.echo(render_summary(table, cli_lang()))
        for note in ds.attrs.get("notes", []):
            typer.echo(say("note", cli_lang(), note=note.render(cli_lang())), err=True)
