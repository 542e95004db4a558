"""``hmn-bygg run``: run scenarios, print the key figures, write the results as netCDF."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from hmn_bygg.cli.app import app
from hmn_bygg.fmt import fmt_number


def _parse_years(text: str | None) -> list[int] | None:
    if not text:
        return None
    try:
        return [int(part) for part in text.replace(";", ",").split(",") if part.strip()]
    except ValueError:
        raise typer.BadParameter(f"expected years like 2025,2030,2035, found {text!r}") from None


@app.command("run")
def run_cmd(
    model: Annotated[
        Path | None, typer.Argument(help="Model file (default models/hmn.yaml).")
    ] = None,
    scenario: Annotated[
        list[str] | None,
        typer.Option("--scenario", "-s", help="Scenario to run; repeat for more (default all)."),
    ] = None,
    scenarios_file: Annotated[
        Path | None, typer.Option("--scenarios", help="Scenarios file (default beside model).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write the full results to this .nc file.")
    ] = None,
    years: Annotated[
        str | None, typer.Option(help="Years to show, e.g. 2025,2030,2035 (default every 5th).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the table as JSON.")] = False,
    lang: Annotated[str, typer.Option(help="Language of the table: nb or en.")] = "nb",
) -> None:
    """Run the bundled (or given) scenarios together and show VTTG, upgrade need and money."""
    from hmn_bygg.io import write_netcdf
    from hmn_bygg.run import run
    from hmn_bygg.tables import render_scenario_table, scenario_table

    if lang not in ("nb", "en"):
        raise typer.BadParameter(f"expected nb or en, found {lang!r}", param_hint="--lang")
    ds = run(model, scenario or None, scenarios_path=scenarios_file)
    chosen = _parse_years(years)
    if chosen:
        unknown = sorted(set(chosen) - set(int(y) for y in ds.year.to_numpy()))
        if unknown:
            raise typer.BadParameter(
                f"years {unknown} are outside the model's horizon "
                f"{int(ds.year[0])}–{int(ds.year[-1])}",
                param_hint="--years",
            )
    if out is not None:
        write_netcdf(ds, out)
    if as_json:
        table = scenario_table(ds, chosen)
        payload = {
            "price_basis": ds.attrs.get("price_basis"),
            "vttg_target": ds.attrs.get("vttg_target"),
            "rows": json.loads(table.to_json(orient="records")),
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        target = fmt_number(ds.attrs.get("vttg_target"), 1, lang)  # type: ignore[arg-type]
        typer.echo(f"Prisgrunnlag: {ds.attrs.get('price_basis')}; VTTG-mål {target}")
        typer.echo(render_scenario_table(ds, chosen, lang))  # type: ignore[arg-type]
    if out is not None:
        typer.echo(f"Resultater skrevet til {out}", err=True)
