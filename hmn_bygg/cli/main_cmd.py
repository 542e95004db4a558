"""``hmn-bygg main``: the README's main job on the bundled model and register.

Prints the register summary and the scenario table, writes the results (netCDF, Excel, the
board brief) to an output folder, and serves the dashboard on this machine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hmn_bygg.cli.app import app
from hmn_bygg.cli.serve_cmd import PortOption, check_port
from hmn_bygg.core.paths import BRIEF_PDF, brief_appendix


@app.command("main")
def main_job(
    out: Annotated[Path, typer.Option("--out", "-o")] = Path("out"),
    serve: Annotated[bool, typer.Option("--serve/--no-serve")] = True,
    port: PortOption = 5006,
    show: Annotated[bool, typer.Option("--show/--no-show")] = False,
) -> None:
    # help and --help: "main" in texts.yaml
    from hmn_bygg.cli.arguments import check_arguments, model_inputs
    from hmn_bygg.cli.texts import cli_lang, say
    from hmn_bygg.condition.wear import register_upgrade_need
    from hmn_bygg.config import load_scenarios
    from hmn_bygg.core.errors import InputError
    from hmn_bygg.core.io import write_netcdf
    from hmn_bygg.engine.run import register_for, run_models
    from hmn_bygg.register import summary
    from hmn_bygg.report.brief import make_brief
    from hmn_bygg.report.excel_export import export_results
    from hmn_bygg.report.register_table import render_summary
    from hmn_bygg.report.tables import render_scenario_table

    check_arguments(inputs=model_inputs(None), folders={"--out": out})
    lang = cli_lang()
    if serve:
        check_port("127.0.0.1", port)
    scenarios = load_scenarios()
    register = register_for(scenarios)
    first = next(iter(scenarios.values()))
    need = register_upgrade_need(register, first)
    typer.echo(render_summary(summary.register_summary(register, upgrade_need=need), lang))
    typer.echo("")
    ds = run_models(scenarios, register)
    typer.echo(render_scenario_table(ds, lang=lang))
    out.mkdir(parents=True, exist_ok=True)
    written = [write_netcdf(ds, out / "results.nc")]
    written.append(export_results(ds, out / "results.xlsx", scenarios=scenarios))
    try:
        files = make_brief(
            ds,
            lang=lang,
            models=scenarios,
            pdf=out / BRIEF_PDF,
            html=out / Path(BRIEF_PDF).with_suffix(".html"),
            appendix=brief_appendix(out / BRIEF_PDF),
        )
        written += [p for p in (files.pdf, files.appendix, files.html) if p is not None]
    except InputError as err:  # e.g. no Chromium for the PDF: say so, keep the other files
        typer.echo(say("brief_not_made", lang, err=err.render(lang)), err=True)
    typer.echo(say("files_written", lang, files=", ".join(str(p) for p in written)))
    if serve:
        from hmn_bygg.dashboard import serve as serve_dashboard

        typer.echo(say("dashboard_at", lang, address="127.0.0.1", port=port))
        serve_dashboard(port=port, address="127.0.0.1", show=show)
