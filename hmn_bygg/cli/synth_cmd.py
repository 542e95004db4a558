"""``hmn-bygg register synthesize`` and ``hmn-bygg register summary``.

``synthesize`` writes the seeded synthetic register (:mod:`hmn_bygg.register.synth`); ``summary``
prints a register in the layout of Tabell 1 (:mod:`hmn_bygg.register.summary`), in bokmål, or the
same
figures as JSON for scripts.
"""

from __future__ import annotations

import json
import math
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
import xarray as xr

from hmn_bygg.cli.register_cmd import register_app
from hmn_bygg.core import paths
from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.fmt import fmt_number
from hmn_bygg.register import summary, synth, synth_report


class By(StrEnum):
    """Grouping of the summary rows."""

    hf = "hf"
    site = "site"
    use = "use"


class Weight(StrEnum):
    """Weight of a building in the VTTG."""

    area = "area"
    value = "value"


_GROUP_HEADER = {"hf": "Foretak", "site": "Lokasjon", "use": "Formål"}
_TOTAL_LABEL = {"hf": "Helse Midt-Norge", "site": "Sum", "use": "Sum"}
_COLUMNS = (
    ("buildings", "Antall bygg", 0),
    ("floor_area_m2", "Areal (m²)", 0),
    ("weighted_age_years", "Alder (vektet)", 1),
    ("grade", "VTTG", 2),
    ("upgrade_need_mnok", "Oppgr.behov (MNOK)", 0),
)


@register_app.command("synthesize")
def synthesize_cmd(
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Folder to write to (default: the bundled register)."),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the generator.")] = (
        synth.DEFAULT_SEED
    ),
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
) -> None:
    """Write the synthetic register (buildings.csv, parts.csv), calibrated to Tabell 1."""
    from hmn_bygg.cli.arguments import check_arguments

    check_arguments(folders={"--out": out}, seeds={"--seed": seed})
    folder = out if out is not None else paths.register_dir()
    bundled = folder.resolve() == paths.register_dir().resolve()
    targets = [folder / synth.BUILDINGS_CSV, folder / synth.PARTS_CSV]
    existing = [t for t in targets if t.exists()]
    if existing and not force and not (bundled and seed == synth.DEFAULT_SEED):
        raise InputError(
            [
                Problem(str(t), "the file exists", expected="--force to overwrite it")
                for t in existing
            ],
            title="Nothing written",
        )
    written = synth.write_register(folder, seed)
    for path in written:
        typer.echo(f"Skrev {path}")
    b, p = synth.synthesize(seed)
    fig = synth_report.calibration_figures(b, p)
    typer.echo("Kalibrert mot Tabell 1 (utviklingsplan 2018):")
    for hf, r in fig.iterrows():
        typer.echo(
            f"  {hf}: {int(r['buildings_register'])} bygg, "
            f"{fmt_number(r['floor_area_m2_register'])} m², "
            f"alder {fmt_number(r['weighted_age_years_register'], 2)} år, "
            f"VTTG {fmt_number(r['grade_register'], 3)}"
        )


def _load_register(files: list[Path], include_hidden: bool = False) -> xr.Dataset:
    """Load a register with the shared reader (the bundled one when ``files`` is empty)."""
    from hmn_bygg.register.load import load_register

    return load_register(files or None, include_hidden=include_hidden)


def _group_names(by: str) -> dict[str, str]:
    if by == "site":
        return {}
    org = pd.read_csv(paths.models_dir() / "organisation.csv", dtype=str)
    org = org[org["kind"] == by]
    return dict(zip(org["code"], org["name_nb"], strict=True))


def _notes(table: pd.DataFrame) -> list[str]:
    """Return the footnotes (bokmål) of a summary table."""
    notes = [
        "Alder er arealvektet og regnet fra byggeår til registerets siste registreringsår "
        f"({int(table.attrs['survey_year'])})."
    ]
    if table.attrs["grade_origin"] == "building":
        notes.append(
            "Registeret har én tilstandsgrad per bygg, ikke per bygningsdel; VTTG er vektet "
            "gjennomsnitt av byggenes grader."
        )
    if table.attrs["weighting"] == "value":
        notes.append(
            "VTTG er vektet med gjenanskaffelsesverdi (areal × kr/m²); Tabell 1 oppgir ikke "
            "sin vekting."
        )
    if table.attrs["by"] == "hf":
        notes += summary.published_discrepancies()
        notes += summary.register_discrepancies(table)
    return notes


def _render_table(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    return [line(headers), *(line(r) for r in rows)]


def render_summary(table: pd.DataFrame) -> str:
    """Return a summary table as bokmål text in the layout of Tabell 1.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`hmn_bygg.register.summary.register_summary`.

    Returns
    -------
    str
        The table, the comparison with Tabell 1 (by HF) and numbered footnotes.
    """
    by = table.attrs["by"]
    names = _group_names(by)
    cols = [c for c in _COLUMNS if c[0] in table]
    headers = [_GROUP_HEADER[by], *(c[1] for c in cols)]
    rows = []
    for group, r in table.iterrows():
        label = _TOTAL_LABEL[by] if group == summary.TOTAL else names.get(str(group), str(group))
        rows.append([label, *(fmt_number(r[key], d) for key, _, d in cols)])
    weight = "arealvektet" if table.attrs["weighting"] == "area" else "verdivektet"
    lines = [f"Bygningsmasse per {_GROUP_HEADER[by].lower()} (VTTG {weight})", ""]
    lines += _render_table(headers, rows)
    if by == "hf":
        comp = summary.register_vs_published(table)
        lines += ["", "Sammenligning med Tabell 1 (utviklingsplan 2018): publisert / register"]
        rows = []
        for hf, r in comp.iterrows():
            label = _TOTAL_LABEL[by] if hf == summary.TOTAL else str(hf)
            cells = [label]
            for key, _, d in cols[:4]:
                pd_ = summary.printed_decimals(key)
                cells.append(
                    f"{fmt_number(r[f'{key}_published'], pd_)} / "
                    f"{fmt_number(r[f'{key}_register'], d)}"
                )
            rows.append(cells)
        lines += _render_table([_GROUP_HEADER[by], *(c[1] for c in cols[:4])], rows)
    notes = _notes(table)
    if notes:
        lines += ["", "Merknader:"]
        lines += [f"{i}) {n}" for i, n in enumerate(notes, start=1)]
    return "\n".join(lines)


def _plain(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return _plain(value.item())
    return value


def summary_json(table: pd.DataFrame, sources: list[str] | None = None) -> dict[str, Any]:
    """Return the figures of a summary table as plain JSON-ready data.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`hmn_bygg.register.summary.register_summary`.
    sources : list of str, optional
        Files the register was read from.

    Returns
    -------
    dict
        ``by``, ``weighting``, ``survey_year``, ``grade_origin``, ``sources``, ``rows`` (one
        dict per group, plain numbers in m², years, TG and MNOK), ``total`` (the region row),
        and by HF also ``published`` (Tabell 1 next to the register) and ``published_checks``;
        ``notes`` are the footnotes in bokmål.
    """

    def record(group: str, r: pd.Series) -> dict[str, Any]:
        out = {"group": group}
        for k, v in r.items():
            is_count = str(k).startswith("buildings") and not str(k).endswith("matches")
            out[str(k)] = int(v) if is_count else _plain(v)
        return out

    rows = [record(str(g), r) for g, r in table.iterrows() if g != summary.TOTAL]
    out: dict[str, Any] = {
        "by": table.attrs["by"],
        "weighting": table.attrs["weighting"],
        "survey_year": int(table.attrs["survey_year"]),
        "grade_origin": table.attrs["grade_origin"],
        "sources": list(sources or []),
        "rows": rows,
        "total": record(summary.TOTAL, table.loc[summary.TOTAL]),
    }
    if table.attrs["by"] == "hf":
        comp = summary.register_vs_published(table)
        out["published"] = [record(str(h), r) for h, r in comp.iterrows()]
        out["published_checks"] = [
            {k: _plain(v) for k, v in c.items()} for c in summary.published_checks()
        ]
    out["notes"] = _notes(table)
    return out


@register_app.command("summary")
def summary_cmd(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Register files (default: the bundled register).", show_default=False),
    ] = None,
    by: Annotated[By, typer.Option("--by", help="Group rows by HF, site or use.")] = By.hf,
    weight: Annotated[
        Weight, typer.Option("--weight", help="Weight buildings in the VTTG by area or value.")
    ] = Weight.area,
    as_json: Annotated[bool, typer.Option("--json", help="Print plain figures as JSON.")] = False,
    model: Annotated[
        Path | None,
        typer.Option(help="Model whose cost norms price the upgrade need (default the bundled)."),
    ] = None,
    include_hidden: Annotated[
        bool, typer.Option("--include-hidden", help="Also read the hidden sheets of workbooks.")
    ] = False,
) -> None:
    """Summarise a register like Tabell 1: buildings, area, weighted age and VTTG per group."""
    from hmn_bygg.cli.arguments import check_arguments, model_inputs

    check_arguments(inputs={"FILES": files, **model_inputs(model)})
    from hmn_bygg.config import load_model
    from hmn_bygg.engine.run import register_upgrade_need

    ds = _load_register(list(files or []), include_hidden)
    need = register_upgrade_need(ds, load_model(model))
    table = summary.register_summary(ds, by=by.value, weighting=weight.value, upgrade_need=need)
    if as_json:
        data = summary_json(table, [str(s) for s in ds.attrs.get("sources", [])])
        data["register_notes"] = list(ds.attrs.get("notes", []))
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        typer.echo(render_summary(table))
        for note in ds.attrs.get("notes", []):
            typer.echo(f"Note: {note}", err=True)
