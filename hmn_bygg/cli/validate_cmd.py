"""``hmn-bygg validate`` and ``hmn-bygg plan-vs-outcome``: the model beside the public record."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from hmn_bygg.cli.app import app

ModelOption = Annotated[Path | None, typer.Option()]
LangOption = Annotated[str | None, typer.Option()]
PricesOption = Annotated[str, typer.Option("--prices")]


def _checked_lang(lang: str | None) -> str:
    """``--lang`` as given, else the command line's language; refused when neither nb nor en."""
    from hmn_bygg.cli.app import check_lang
    from hmn_bygg.cli.texts import cli_lang

    return check_lang(lang or cli_lang())


def aligned(heads: list[str], rows: list[list[str]], left: int) -> str:
    """Return a text table: the first ``left`` columns left-aligned, the others right."""
    widths = [max(len(str(c)) for c in col) for col in zip(heads, *rows, strict=True)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            f"{c:<{w}}" if i < left else f"{c:>{w}}"
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return "\n".join([line(heads), *(line(r) for r in rows)])


def validation_text(table, lang: str = "nb") -> str:
    """Return the validation table as aligned text in ``lang`` (its number format too)."""
    from hmn_bygg.report.record_texts import validation_cells

    heads, rows = validation_cells(table, lang)
    return aligned(heads, rows, left=4)


def _check_record_arguments(model: Path | None, lang: str | None, prices: str) -> str:
    """Refuse a bad language, price basis or model file before any work (both record views);
    return the language."""
    from hmn_bygg.cli.arguments import check_arguments, model_inputs
    from hmn_bygg.finance.price_basis import parse_basis

    chosen = _checked_lang(lang)
    parse_basis(prices)
    check_arguments(inputs=model_inputs(model))
    return chosen


@app.command("validate")
def validate_cmd(
    scenario: Annotated[str, typer.Option()] = "today",
    model: ModelOption = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    lang: LangOption = None,
    prices: PricesOption = "nominal",
) -> None:
    # help and --help: "validate" in texts.yaml
    from hmn_bygg.config import load_scenarios

    lang = _check_record_arguments(model, lang, prices)
    from hmn_bygg.engine.run import run_models
    from hmn_bygg.report.record_texts import basis_words, record_text
    from hmn_bygg.report.validation import validation_table

    scenarios = load_scenarios(model, None, [scenario])
    ds = run_models(scenarios, prices="nominal")
    table = validation_table(ds, scenarios[scenario], scenario, prices=prices)
    if as_json:
        typer.echo(table.to_json(orient="records", force_ascii=False, indent=2))
        return
    basis = basis_words(prices, lang)
    typer.echo(record_text("validation_title", lang, scenario=scenario, basis=basis) + ":")
    typer.echo(validation_text(table, lang))
    checked = table[table["check"] & table["history"]]
    bad = checked[checked["within"] == False]  # noqa: E712
    typer.echo(record_text("summary", lang, ok=len(checked) - len(bad), n=len(checked)))


@app.command("plan-vs-outcome")
def plan_vs_outcome_cmd(
    model: ModelOption = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    lang: LangOption = None,
    prices: PricesOption = "nominal",
) -> None:
    # help and --help: "plan-vs-outcome" in texts.yaml
    from hmn_bygg.config import load_scenarios

    lang = _check_record_arguments(model, lang, prices)
    from hmn_bygg.engine.run import run_models
    from hmn_bygg.report.record_texts import basis_words, pvo_cells, record_text
    from hmn_bygg.report.validation import plan_vs_outcome

    scenarios = load_scenarios(model, None, ["today", "plan_2018"])
    ds = run_models(scenarios, prices="nominal")
    table = plan_vs_outcome(ds, scenarios["plan_2018"], scenarios["today"], prices=prices,
                            lang=lang)  # fmt: skip
    if as_json:
        typer.echo(json.dumps(json.loads(table.to_json(orient="records", force_ascii=False)),
                              ensure_ascii=False, indent=2))  # fmt: skip
        return
    typer.echo(record_text("pvo_title", lang, basis=basis_words(prices, lang)) + ":")
    heads, rows = pvo_cells(table, lang)
    typer.echo(aligned(heads, rows, left=2))
