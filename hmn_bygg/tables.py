"""Short result tables for the CLI: per scenario, per HF and the region, for chosen years."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import xarray as xr

from hmn_bygg.fmt import Lang, fmt_number

REGION = "Region"

# (variable per HF, variable for the region, short bokmål label, English label, decimals)
COLUMNS: tuple[tuple[str, str, str, str, int], ...] = (
    ("vttg", "vttg_region", "VTTG", "VTTG", 2),
    ("upgrade_need", "upgrade_need_region", "Oppgr.behov MNOK", "Upgrade need MNOK", 0),
    ("maintenance_spend", "maintenance_spend_region", "Vedlikehold MNOK", "Maintenance MNOK", 0),
    ("area", "area_region", "Areal m²", "Area m²", 0),
)


def default_years(ds: xr.Dataset) -> list[int]:
    """Return the register year and every fifth year after it up to the end, plus the end."""
    years = [int(y) for y in ds.year.to_numpy()]
    chosen = [years[0]] + [y for y in years[1:] if y % 5 == 0]
    if years[-1] not in chosen:
        chosen.append(years[-1])
    return chosen


def scenario_table(ds: xr.Dataset, years: Sequence[int] | None = None) -> pd.DataFrame:
    """Return the key figures per scenario, HF (and region) and year as a long table.

    Parameters
    ----------
    ds : xr.Dataset
        Results of :func:`hmn_bygg.run.run`.
    years : sequence of int, optional
        Years to show (default :func:`default_years`).

    Returns
    -------
    pandas.DataFrame
        Columns ``scenario``, ``entity`` (HF code or ``"Region"``), ``year`` and one column per
        variable in :data:`COLUMNS` that the Dataset has; plain numbers (for ``--json``).
    """
    years = list(years or default_years(ds))
    frames = []
    for per_hf, region, *_ in COLUMNS:
        if per_hf not in ds:
            continue
        a = ds[per_hf].sel(year=years).to_dataframe(name=per_hf)[[per_hf]].reset_index()
        a = a.rename(columns={"hf": "entity"})
        b = ds[region].sel(year=years).to_dataframe(name=per_hf)[[per_hf]].reset_index()
        b["entity"] = REGION
        frames.append(pd.concat([a, b]).set_index(["scenario", "entity", "year"]))
    table = pd.concat(frames, axis=1).reset_index()
    order = {e: i for i, e in enumerate([*ds.hf.to_numpy().tolist(), REGION])}
    scen = {s: i for i, s in enumerate(ds.scenario.to_numpy().tolist())}
    table = table.sort_values(
        ["scenario", "entity", "year"],
        key=lambda c: (
            c.map(scen) if c.name == "scenario" else c.map(order) if c.name == "entity" else c
        ),
    )
    return table.reset_index(drop=True)


def render_scenario_table(
    ds: xr.Dataset, years: Sequence[int] | None = None, lang: Lang = "nb"
) -> str:
    """Return the per-scenario table as aligned text with Norwegian (or English) numbers.

    Parameters
    ----------
    ds : xr.Dataset
        Results.
    years : sequence of int, optional
        Years to show.
    lang : {"nb", "en"}
        Language of labels and number formats.

    Returns
    -------
    str
        One block per scenario and variable: rows HF and region, columns years.
    """
    table = scenario_table(ds, years)
    shown_years = sorted(table["year"].unique())
    blocks = []
    for scenario, part in table.groupby("scenario", sort=False):
        blocks.append(f"Scenario: {scenario}")
        for per_hf, _region, label_nb, label_en, decimals in COLUMNS:
            if per_hf not in part:
                continue
            wide = part.pivot(index="entity", columns="year", values=per_hf)
            wide = wide.reindex([e for e in part["entity"].unique()])
            label = label_nb if lang == "nb" else label_en
            head = f"  {label:<20}" + "".join(f"{y:>12}" for y in shown_years)
            rows = [
                f"  {entity:<20}"
                + "".join(
                    f"{fmt_number(wide.loc[entity, y], decimals, lang):>12}" for y in shown_years
                )
                for entity in wide.index
            ]
            blocks.append("\n".join([head, *rows]))
        blocks.append("")
    return "\n".join(blocks)
