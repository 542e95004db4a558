"""Short result tables for the CLI: per scenario, per HF and the region, for chosen years."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import xarray as xr

from hmn_bygg.core.fmt import Lang, fmt_number

REGION = "Region"

# (variable per HF, variable for the region, short bokmål label, English label, decimals)
COLUMNS: tuple[tuple[str, str, str, str, int], ...] = (
    ("vttg", "vttg_region", "VTTG", "VTTG", 2),
    ("upgrade_need", "upgrade_need_region", "Oppgr.behov MNOK", "Upgrade need MNOK", 0),
    ("maintenance_spend", "maintenance_spend_region", "Vedlikehold MNOK", "Maintenance MNOK", 0),
    ("area", "area_region", "Areal m²", "Area m²", 0),
    ("liquidity", "liquidity_region", "Likviditet MNOK", "Liquidity MNOK", 0),
    ("loan_balance", "loan_balance_region", "Lånesaldo MNOK", "Loan balance MNOK", 0),
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
        Results of :func:`hmn_bygg.engine.run.run`.
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
        if "credit_breach" in ds:
            blocks.append(render_liquidity_lines(ds, str(scenario), lang))
        blocks.append("")
    return "\n".join(blocks)


def render_liquidity_lines(ds: xr.Dataset, scenario: str, lang: Lang = "nb") -> str:
    """Return each HF's lowest liquidity, its year, the credit limit and the breach years.

    Parameters
    ----------
    ds : xr.Dataset
        A booked result (with ``liquidity``, ``credit_limit`` and ``credit_breach``).
    scenario : str
        The scenario.
    lang : {"nb", "en"}
        Language and number format.

    Returns
    -------
    str
        One line per HF, e.g. ``HMR  laveste 87 MNOK (2024), kredittramme -600 MNOK, brudd:
        ingen``.
    """
    from hmn_bygg.finance.ltb import liquidity_summary

    table = liquidity_summary(ds.sel(scenario=[scenario]), at_years=())
    head = (
        "  Likviditet mot nedre grense (driftskreditten)"
        if lang == "nb"
        else "  Liquidity against its floor (the operating credit)"
    )
    lines = [head]
    for (_, hf), row in table.iterrows():
        lowest = fmt_number(row["lowest_liquidity"], 0, lang)
        limit = fmt_number(-abs(row["credit_limit"]), 0, lang)
        breach = row["breach_years"] or ("ingen" if lang == "nb" else "none")
        if lang == "nb":
            text = f"laveste {lowest} MNOK ({row['lowest_year']}), nedre grense {limit} MNOK"
            lines.append(f"  {hf:<20}{text}, brudd: {breach}")
        else:
            text = f"lowest {lowest} MNOK ({row['lowest_year']}), floor {limit} MNOK"
            lines.append(f"  {hf:<20}{text}, breaches: {breach}")
    return "\n".join(lines)


def risk_table(summary: xr.Dataset, years: Sequence[int] | None = None) -> pd.DataFrame:
    """Return the Monte Carlo bands and probabilities per scenario and year (region).

    Parameters
    ----------
    summary : xr.Dataset
        From :func:`hmn_bygg.risk.summary.summarize`.
    years : sequence of int, optional
        Years to show (default :func:`default_years`).

    Returns
    -------
    pandas.DataFrame
        Columns ``scenario``, ``year``, VTTG p10/p50/p90 (``vttg_p10`` …), the probability of
        VTTG at or below the target by that year, of the area at or below the area target, and
        (with the long-term budget) the largest of the HFs' probabilities of breaching the
        credit line that year (``p_breach_max_hf``: a lower bound of the probability that any
        HF breaches; each HF's own is in :mod:`hmn_bygg.risk.breach`).
    """
    years = list(years or default_years(summary))
    v = summary["vttg_region"].sel(year=years)
    out = {}
    for q in v["quantile"].to_numpy():
        out[f"vttg_p{round(100 * float(q))}"] = v.sel(quantile=q).drop_vars("quantile")
    out["p_vttg_target"] = summary["vttg_target_probability_region"].sel(year=years)
    if "area_target_probability_region" in summary:
        out["p_area_target"] = summary["area_target_probability_region"].sel(year=years)
    if "liquidity_breach_probability" in summary:
        out["p_breach_max_hf"] = summary["liquidity_breach_probability"].sel(year=years).max("hf")
    table = xr.Dataset(out).to_dataframe().reset_index()
    return table[["scenario", "year", *out]]


def render_risk_table(
    summary: xr.Dataset, years: Sequence[int] | None = None, lang: Lang = "nb"
) -> str:
    """Return :func:`risk_table` as aligned text (bokmål or English)."""
    table = risk_table(summary, years)
    nb = lang == "nb"
    names = {
        "p_vttg_target": "P(VTTG≤mål)" if nb else "P(VTTG≤target)",
        "p_area_target": "P(areal≤mål)" if nb else "P(area≤target)",
        "p_breach_max_hf": "P(brudd) høyeste HF" if nb else "P(breach) top HF",
    }
    cols = [c for c in table.columns if c not in ("scenario", "year")]
    names.update({c: f"VTTG {c.removeprefix('vttg_')}" for c in cols if c.startswith("vttg_p")})
    head = f"  {'År' if nb else 'Year':<6}" + "".join(f"{names.get(c, c):>20}" for c in cols)
    draws = summary.attrs.get("draws")
    title = (
        f"Usikkerhet ({draws} trekk, regionen)" if nb else f"Uncertainty ({draws} draws, region)"
    )
    lines = [title]
    for scenario, part in table.groupby("scenario", sort=False):
        lines.append(f"Scenario: {scenario}")
        lines.append(head)
        for _, row in part.iterrows():
            cells = "".join(f"{_risk_cell(c, row[c], lang):>20}" for c in cols)
            lines.append(f"  {int(row['year']):<6}" + cells)
    return "\n".join(lines)


def _risk_cell(column: str, value: float, lang: Lang) -> str:
    if column.startswith("vttg"):
        return fmt_number(value, 2, lang)
    return fmt_number(100 * value, 0, lang) + (" %" if lang == "nb" else "%")


def write_results(ds: xr.Dataset, target: str | Path, summary: xr.Dataset | None = None) -> Path:
    """Write results to netCDF atomically; Monte Carlo bands go in the group ``risk``.

    Parameters
    ----------
    ds : xr.Dataset
        Deterministic results (the root group).
    target : str or Path
        The ``.nc`` file.
    summary : xr.Dataset, optional
        Bands and probabilities from :func:`hmn_bygg.risk.summary.summarize`; read back with
        ``xr.open_dataset(path, group="risk")``.

    Returns
    -------
    pathlib.Path
        ``target``.
    """
    from hmn_bygg.core.io import write_atomic

    def write(tmp: Path) -> None:
        ds.to_netcdf(tmp, engine="h5netcdf")
        if summary is not None:
            summary.to_netcdf(tmp, engine="h5netcdf", mode="a", group="risk")

    return write_atomic(target, write)
