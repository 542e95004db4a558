"""``hmn-bygg export`` and ``hmn-bygg template``: Excel workbooks for finance staff."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hmn_bygg.cli.app import app

if TYPE_CHECKING:
    from hmn_bygg.config import Model
    from hmn_bygg.excel.layout import TemplateRow

ModelOption = Annotated[Path | None, typer.Option("--model", "-m")]
ScenariosOption = Annotated[Path | None, typer.Option("--scenarios")]


@app.command("export")
def export_cmd(
    results: Annotated[Path, typer.Argument()],
    xlsx: Annotated[Path, typer.Option("--xlsx")],
    model: ModelOption = None,
    scenarios_file: ScenariosOption = None,
) -> None:
    # help and --help: "export" in texts.yaml
    from hmn_bygg.cli.arguments import check_arguments, model_inputs

    check_arguments(
        inputs={"RESULTS": results, **model_inputs(model, scenarios_file)},
        outputs={"--xlsx": xlsx},
    )
    from hmn_bygg.config import load_scenarios
    from hmn_bygg.core.io import read_results
    from hmn_bygg.report.excel_export import export_results

    ds = read_results(results, title="Cannot export")
    made = dt.datetime.fromtimestamp(results.stat().st_mtime).astimezone()
    configs = load_scenarios(model, scenarios_file)
    export_results(
        ds,
        xlsx,
        scenarios=configs,
        made=f"{ds.attrs['run_at']} (kjøringen bak {results.name})"
        if ds.attrs.get("run_at")
        else f"{made.isoformat(timespec='seconds')} (resultatfilen {results.name} skrevet)",
    )
    from hmn_bygg.cli.texts import say

    typer.echo(say("workbook_written", path=xlsx))


@app.command("template")
def template_cmd(
    xlsx: Annotated[Path, typer.Option("--xlsx")],
    scenario: Annotated[str | None, typer.Option("--scenario", "-s")] = None,
    model: ModelOption = None,
    scenarios_file: ScenariosOption = None,
) -> None:
    # help and --help: "template" in texts.yaml
    from hmn_bygg.cli.arguments import check_arguments, model_inputs

    check_arguments(inputs=model_inputs(model, scenarios_file), outputs={"--xlsx": xlsx})
    from hmn_bygg.config import load_model, load_scenarios
    from hmn_bygg.excel import write_template

    if scenario is None:
        chosen = load_model(model)
    else:
        chosen = load_scenarios(model, scenarios_file, [scenario])[scenario]
    from hmn_bygg.cli.texts import say

    write_template(chosen, xlsx, scenario=scenario, names=reader_names(chosen))
    typer.echo(say("template_written", path=xlsx))


def reader_names(model: Model) -> Callable[[TemplateRow], tuple[str, str]]:
    """Return the bokmål name and unit of a template row (:mod:`hmn_bygg.config.param_labels`).

    Parameters
    ----------
    model : Model
        The model written (its project names name the project rows).

    Returns
    -------
    callable
        ``row -> (name, unit)`` for :func:`hmn_bygg.excel.write_template` ``names=``.
    """
    from hmn_bygg.config.param_labels import param_label, project_names, unit_label

    projects = project_names(model)

    def names(row: TemplateRow) -> tuple[str, str]:
        return param_label(row.key, "nb", projects), unit_label(row.unit or "", "nb")

    return names
