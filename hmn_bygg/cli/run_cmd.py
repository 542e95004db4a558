"""``hmn-bygg run``: run scenarios, print the key figures, write the results as netCDF."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, cast

import typer

from hmn_bygg.cli.app import app
from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.fmt import Lang, fmt_number
from hmn_bygg.core.messages import Msg, render


def _parse_years(text: str | None) -> list[int] | None:
    if not text:
        return None
    try:
        return [int(part) for part in text.replace(";", ",").split(",") if part.strip()]
    except ValueError:
        from hmn_bygg.cli.texts import cli_lang

        said = Msg("cli.years_format", found=repr(text)).render(cli_lang())
        raise typer.BadParameter(said) from None


@app.command("run")
def run_cmd(
    model: Annotated[Path | None, typer.Argument()] = None,
    scenario: Annotated[list[str] | None, typer.Option("--scenario", "-s")] = None,
    scenarios_file: Annotated[Path | None, typer.Option("--scenarios")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o")] = None,
    years: Annotated[str | None, typer.Option()] = None,
    ltb: Annotated[Path | None, typer.Option("--ltb")] = None,
    xlsx: Annotated[Path | None, typer.Option("--xlsx")] = None,
    draws: Annotated[int, typer.Option("--draws", min=0)] = 0,
    seed: Annotated[int, typer.Option("--seed")] = 2018,
    chunk_draws: Annotated[int | None, typer.Option("--chunk-draws")] = None,
    scheduler: Annotated[str | None, typer.Option("--scheduler")] = None,
    store: Annotated[Path | None, typer.Option("--store")] = None,
    quiet: Annotated[bool, typer.Option("--quiet")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    lang: Annotated[str | None, typer.Option()] = None,
    prices: Annotated[str | None, typer.Option("--prices")] = None,
    plan_start: Annotated[int | None, typer.Option("--plan-start")] = None,
    save_scenario: Annotated[str | None, typer.Option("--save-scenario")] = None,
) -> None:
    # help and --help: "run" in texts.yaml
    from hmn_bygg.cli.app import check_lang
    from hmn_bygg.cli.arguments import check_arguments, model_inputs, register_inputs
    from hmn_bygg.cli.texts import cli_lang, say
    from hmn_bygg.config import apply_overrides, load_model, load_scenarios
    from hmn_bygg.core.limits import draws_problem
    from hmn_bygg.engine.run import run_models
    from hmn_bygg.report.tables import (
        render_risk_table,
        render_scenario_table,
        risk_table,
        scenario_table,
        write_results,
    )

    lang = check_lang(lang or cli_lang())
    said_in = cast(Lang, lang)
    outputs = {"--out": out, "--xlsx": xlsx}
    inputs = {**model_inputs(model, scenarios_file, option="MODEL"), "--ltb": ltb}
    check_arguments(
        inputs=inputs,
        outputs=outputs,
        folders={"--store": store if draws else None},
        seeds={"--seed": seed},
        counts={"--draws": (draws, 0), "--chunk-draws": (chunk_draws, 1)},
    )
    local = (None, "threads", "sync", "processes")
    if draws:  # refuse a hopeless ensemble before the deterministic run
        too_many = draws_problem(draws)
        if too_many is not None:
            raise InputError([too_many], title=Msg("cli.ensemble_cannot_run"))
        if scheduler not in local and "://" not in str(scheduler):
            said = Msg("cli.scheduler_expected", found=f"'{scheduler}'").render(said_in)
            raise typer.BadParameter(said, param_hint="--scheduler")
    scenarios = load_scenarios(model, scenarios_file, scenario or None, plan_start=plan_start)
    check_arguments(inputs=register_inputs(scenarios), outputs=outputs)
    if ltb is not None:
        from hmn_bygg.excel.template import overrides_from_workbook

        notes: list[Msg | str] = []
        changes = overrides_from_workbook(ltb, load_model(model), notes=notes)
        for note in notes:
            typer.echo(say("note", lang, note=render(note, cast(Lang, lang))), err=True)
        if save_scenario is not None:
            from hmn_bygg.cli.save_scenario import save_ltb_scenario

            save_ltb_scenario(save_scenario, changes, ltb, model, lang)  # type: ignore[arg-type]
        scenarios = {
            name: apply_overrides(m, changes, file=str(ltb)) for name, m in scenarios.items()
        }
    elif save_scenario is not None:
        said = Msg("cli.save_needs_ltb").render(said_in)
        raise typer.BadParameter(said, param_hint="--save-scenario")
    if prices is not None:
        from hmn_bygg.finance.price_basis import parse_basis

        parse_basis(prices)  # a clear error before the run
    ds = run_models(scenarios, prices=prices)
    chosen = _parse_years(years)
    if chosen:
        unknown = sorted(set(chosen) - set(int(y) for y in ds.year.to_numpy()))
        if unknown:
            outside = Msg("cli.years_outside", years=[str(y) for y in unknown],
                          first=str(int(ds.year[0])), last=str(int(ds.year[-1])))  # fmt: skip
            raise typer.BadParameter(outside.render(said_in), param_hint="--years")
    summary = breach = breach_any = None
    if draws:
        from hmn_bygg.risk.ensemble import run_ensemble
        from hmn_bygg.risk.summary import summarize

        try:
            ens = run_ensemble(
                scenarios,
                None,
                draws,
                seed,
                chunk_draws=chunk_draws,
                scheduler=scheduler,
                store=store,
                quiet=quiet,
            )
        except OSError as err:  # an unreachable scheduler: say so, no traceback
            if scheduler in local:
                raise
            first = (str(err).strip().splitlines() or [type(err).__name__])[0]
            problem = Problem("--scheduler", Msg("cli.scheduler_unreachable"),
                              expected=Msg("cli.scheduler_running"),
                              found=f"{scheduler}: {first}")  # fmt: skip
            raise InputError([problem], title=Msg("cli.ensemble_cannot_run")) from None
        summary = summarize(ens)
        from hmn_bygg.risk import breach as risk_breach

        breach = risk_breach.yearly(summary)
        plan_year = min(m.model.first_plan_year for m in scenarios.values())
        breach_any = risk_breach.any_year(ens, plan_year)
    if out is not None:
        write_results(ds, out, summary)
    if xlsx is not None:
        from hmn_bygg.report.excel_export import export_results

        export_results(ds, xlsx, scenarios=scenarios)
    if as_json:
        table = scenario_table(ds, chosen)
        payload = {
            "price_basis": ds.attrs.get("price_basis"),
            "vttg_target": ds.attrs.get("vttg_target"),
            "rows": json.loads(table.to_json(orient="records")),
        }
        if "credit_breach" in ds:
            from hmn_bygg.finance.ltb import liquidity_summary

            liq = liquidity_summary(ds, at_years=()).reset_index()
            payload["liquidity"] = json.loads(liq.to_json(orient="records"))
        if summary is not None:
            risk = risk_table(summary, chosen)
            payload["risk"] = json.loads(risk.to_json(orient="records"))
            payload["draws"] = draws
            if breach is not None and breach_any is not None:
                payload["breach_probability"] = breach_payload(breach, breach_any)
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        from hmn_bygg.finance.price_basis import basis_label

        target = fmt_number(ds.attrs.get("vttg_target"), 1, lang)  # type: ignore[arg-type]
        basis = basis_label(str(ds.attrs.get("prices", "nominal")), lang)
        typer.echo(say("price_basis", lang, basis=basis, target=target))
        typer.echo(render_scenario_table(ds, chosen, lang))  # type: ignore[arg-type]
        if summary is not None:
            typer.echo(render_risk_table(summary, chosen, lang))  # type: ignore[arg-type]
            if breach is not None:
                from hmn_bygg.report.breach_text import render_breach_table

                typer.echo(render_breach_table(breach, chosen, lang))  # type: ignore[arg-type]
    for path in (out, xlsx):
        if path is not None:
            typer.echo(say("results_written", lang, path=path), err=True)


def breach_payload(breach, breach_any) -> dict:
    """The breach probabilities of ``run --draws --json``: per HF and year, and in any year.

    Parameters
    ----------
    breach : xr.Dataset
        :func:`hmn_bygg.risk.breach.yearly` (``p``, ``se`` by scenario, year and HF).
    breach_any : xr.Dataset
        :func:`hmn_bygg.risk.breach.any_year` from the plan year on.

    Returns
    -------
    dict
        ``draws``, ``standard_error`` (how it is computed), ``by_year`` (records ``scenario,
        hf, year, p, se``, every year) and ``any_year`` (records ``scenario, hf, p, se``, with
        ``from_year`` and ``to_year``); probabilities and standard errors as fractions.
    """
    from hmn_bygg.risk.breach import breach_rows

    any_rows = breach_any[["p", "se"]].to_dataframe().reset_index()
    return {
        "draws": int(breach.attrs["draws"]),
        "standard_error": "binomial Monte Carlo standard error sqrt(p (1 - p) / draws)",
        "by_year": json.loads(breach_rows(breach).to_json(orient="records")),
        "any_year": {
            "from_year": int(breach_any.attrs["from_year"]),
            "to_year": int(breach_any.attrs["to_year"]),
            "rows": json.loads(any_rows[["scenario", "hf", "p", "se"]].to_json(orient="records")),
        },
    }
