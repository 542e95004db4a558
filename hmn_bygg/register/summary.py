"""A Tabell-1 style summary of a building register, and checks of the published Tabell 1.

:func:`register_summary` groups a register by HF, site or use: number of buildings, floor
area [m²], area-weighted age [years] and VTTG [TG] (area- or value-weighted), plus the upgrade
need [MNOK] when given. The region row is computed from the group rows above it (sums, and
weighted means with each group's total weight), so it always agrees with them.

:func:`published_checks` compares the printed region row of Tabell 1
(``models/published_tabell1.csv``) with its own HF rows, allowing for the rounding of the
printed figures; :func:`register_vs_published` compares a register with the table.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import xarray as xr

from hmn_bygg.core import paths
from hmn_bygg.core.fmt import Lang, fmt_number
from hmn_bygg.core.messages import Msg
from hmn_bygg.register.weighting import (
    Weighting,
    building_grade,
    building_weight,
    membership,
    weighted_mean_by_group,
)

GroupBy = Literal["hf", "site", "use"]
GROUPINGS: tuple[str, ...] = ("hf", "site", "use")
TOTAL = "total"
MEASURES: tuple[str, ...] = ("buildings", "floor_area_m2", "weighted_age_years", "grade")
PUBLISHED_CSV = "published_tabell1.csv"

_LABEL = {
    "buildings": Msg("register.label_buildings"),
    "floor_area_m2": Msg("register.label_area"),
    "weighted_age_years": Msg("register.label_age"),
    "grade": Msg("register.label_grade"),
}
_WEIGHT = {"area": Msg("register.weighted_by_area"), "count": Msg("register.weighted_by_count")}


def _figure(value: float, measure: str, lang: Lang) -> str:
    """A figure of Tabell 1 with its printed decimals and unit: ``709 769 m²``, ``48 år``."""
    text = fmt_number(value, printed_decimals(measure), lang)
    if measure == "floor_area_m2":
        return f"{text} m²"
    if measure == "weighted_age_years":
        return text + Msg("register.years_unit").render(lang)
    return text


def _published_raw() -> pd.DataFrame:
    """Tabell 1 as text, from the project's models folder (cached per file: a new
    ``HMN_BYGG_HOME`` reads its own)."""
    return _published_file(paths.models_dir() / PUBLISHED_CSV)


@cache
def _published_file(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False).set_index("hf")


def published_tabell1() -> pd.DataFrame:
    """Return Tabell 1 of the utviklingsplan 2018 as printed (``models/published_tabell1.csv``).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``hf`` (HMR, HNT, STO and ``total``, the printed region row):
        ``buildings``, ``floor_area_m2`` [m²], ``weighted_age_years`` [year], ``grade`` [TG]
        as floats, and ``source``.
    """
    raw = _published_raw()
    out = raw[list(MEASURES)].astype(float)
    out["source"] = raw["source"]
    return out


def printed_decimals(measure: str) -> int:
    """Return the number of decimals a Tabell 1 figure is printed with (read from the CSV text).

    Parameters
    ----------
    measure : str
        One of :data:`MEASURES`.

    Returns
    -------
    int
        Decimals of the most precise printed value in the column, e.g. 2 for ``grade``.
    """
    text = _published_raw()[measure]
    return max(len(v.split(".")[1]) if "." in v else 0 for v in text)


def _half_unit(measure: str) -> float:
    return 0.5 * 10.0 ** (-printed_decimals(measure))


def published_checks() -> list[dict]:
    """Check the printed region row of Tabell 1 against its own HF rows.

    Returns
    -------
    list of dict
        One entry per (measure, weighting) with ``measure``, ``weighting`` (``"sum"``,
        ``"area"`` or ``"count"``), ``printed`` (the printed region figure), ``computed`` (from
        the HF rows), ``margin`` (the difference the rounding of the printed figures allows)
        and ``consistent`` (``|printed - computed| <= margin``).

    Notes
    -----
    Counts and areas are sums. Ages and grades are weighted means of the HF figures; each HF
    figure is rounded to the printed decimals (half a unit ``h``), so the exact mean lies
    within ``h`` of the mean of the printed figures, and the printed region figure adds its own
    half unit: ``margin = 2 h``. A measure is reported consistent when any weighting fits.
    """
    pub = published_tabell1()
    hf, total = pub.drop(index=TOTAL), pub.loc[TOTAL]
    checks = []
    for measure in MEASURES:
        if measure in ("buildings", "floor_area_m2"):
            options = {"sum": float(hf[measure].sum())}
            margin = 0.0
        else:
            options = {
                "area": float(np.average(hf[measure], weights=hf["floor_area_m2"])),
                "count": float(np.average(hf[measure], weights=hf["buildings"])),
            }
            margin = 2 * _half_unit(measure)
        for weighting, computed in options.items():
            printed = float(total[measure])
            checks.append(
                {
                    "measure": measure,
                    "weighting": weighting,
                    "printed": printed,
                    "computed": computed,
                    "margin": margin,
                    "consistent": bool(abs(printed - computed) <= margin + 1e-9),
                }
            )
    return checks


def published_discrepancies(lang: Lang = "nb") -> list[str]:
    """Return footnotes on where Tabell 1's printed region row does not add up.

    Parameters
    ----------
    lang : {"nb", "en"}
        Language of the footnotes (numbers formatted the same way).

    Returns
    -------
    list of str
        One sentence per measure for which no weighting of the HF rows gives the printed
        figure; empty when the table is consistent.
    """
    notes = []
    checks = published_checks()
    for measure in MEASURES:
        mine = [c for c in checks if c["measure"] == measure]
        if any(c["consistent"] for c in mine):
            continue
        label, first = _LABEL[measure], mine[0]
        printed = _figure(first["printed"], measure, lang)
        if first["weighting"] == "sum":
            diff = _figure(abs(first["printed"] - first["computed"]), measure, lang)
            computed = _figure(first["computed"], measure, lang)
            note = Msg("register.published_not_sum", label=label, printed=printed,
                       computed=computed, diff=diff)  # fmt: skip
        else:
            parts = [
                Msg(
                    "register.weighted_figure",
                    weighting=_WEIGHT[c["weighting"]],
                    figure=_figure(c["computed"], measure, lang),
                )
                for c in mine
            ]
            value = fmt_number(first["printed"], printed_decimals(measure), lang)
            note = Msg("register.published_not_derived", label=label, printed=printed,
                       parts=parts, value=value)  # fmt: skip
        notes.append(note.render(lang))
    return notes


def _categories(ds: xr.Dataset, by: str) -> list[str]:
    values = [str(v) for v in ds[by].values]
    order = list(dict.fromkeys(values))  # file order
    if by in ("hf", "use"):
        org = pd.read_csv(paths.models_dir() / "organisation.csv", dtype=str)
        known = list(org.loc[org["kind"] == by, "code"])
        order = [c for c in known if c in order] + [c for c in order if c not in known]
    return order


def register_summary(
    ds: xr.Dataset,
    by: GroupBy = "hf",
    weighting: Weighting = "area",
    upgrade_need: xr.DataArray | None = None,
) -> pd.DataFrame:
    """Summarise a register per group in the layout of Tabell 1, with a region row.

    Parameters
    ----------
    ds : xr.Dataset
        A register from :func:`hmn_bygg.register.model.build_register`.
    by : {"hf", "site", "use"}
        Grouping of the rows.
    weighting : {"area", "value"}
        Weight of a building in the VTTG: floor area [m²] or area x replacement value [NOK].
    upgrade_need : xr.DataArray, optional
        Upgrade need per building [MNOK], dim ``building``; summed per group when given.

    Returns
    -------
    pandas.DataFrame
        Index: the groups, then ``"total"`` (the region). Columns: ``buildings``,
        ``floor_area_m2`` [m²], ``weighted_age_years`` [year, area-weighted, as of the
        register's last survey year], ``grade`` [TG, VTTG], ``grade_weight`` (the group's
        total weight of graded buildings, [m²] or [NOK]) and, when given,
        ``upgrade_need_mnok`` [MNOK]. ``attrs`` hold ``by``, ``weighting``, ``survey_year``
        and ``grade_origin``.

    Notes
    -----
    Building grade :math:`g_b = \\sum_p s_{bp} g_{bp}`; group grade
    :math:`G_h = \\sum_{b \\in h} w_b g_b / W_h` with :math:`W_h = \\sum_{b \\in h} w_b`; region
    :math:`G = \\sum_h W_h G_h / \\sum_h W_h`, which equals the direct weighted mean over all
    buildings. Ages are always area-weighted, as in Tabell 1.
    """
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {GROUPINGS}, found {by!r}")
    groups = membership(ds[by], by, _categories(ds, by))
    area = ds["floor_area"]
    survey_year = float(ds["survey_year"].max())
    age = survey_year - ds["built_year"]
    grade = building_grade(ds["condition_grade"], ds["cost_share"])
    weight = building_weight(area, ds["replacement_value"], weighting)
    table = pd.DataFrame(
        {
            "buildings": groups.sum("building").to_numpy().astype(np.int64),
            "floor_area_m2": xr.dot(area, groups, dim="building").to_numpy(),
            "weighted_age_years": weighted_mean_by_group(age, area, groups).to_numpy(),
            "grade": weighted_mean_by_group(grade, weight, groups).to_numpy(),
            "grade_weight": xr.dot(
                weight.where(grade.notnull(), 0.0), groups, dim="building"
            ).to_numpy(),
        },
        index=pd.Index([str(c) for c in groups[by].values], name=by),
    )
    if upgrade_need is not None:
        need = upgrade_need.reindex(building=ds["building"].values)
        table["upgrade_need_mnok"] = (need * groups).sum("building", min_count=1).to_numpy()
    table.loc[TOTAL] = _region_row(table)
    table["buildings"] = table["buildings"].astype(np.int64)
    table.attrs.update(
        by=by,
        weighting=weighting,
        survey_year=survey_year,
        grade_origin=str(ds.attrs.get("grade_origin", "part")),
    )
    return table


def _wmean(values: pd.Series, weights: pd.Series) -> float:
    ok = values.notna() & (weights > 0)
    if not ok.any():
        return float("nan")
    return float((values[ok] * weights[ok]).sum() / weights[ok].sum())


def _region_row(table: pd.DataFrame) -> dict[str, float]:
    """Return the region row from the group rows: sums and weighted means of group means."""
    row = {
        "buildings": float(table["buildings"].sum()),
        "floor_area_m2": float(table["floor_area_m2"].sum()),
        "weighted_age_years": _wmean(table["weighted_age_years"], table["floor_area_m2"]),
        "grade": _wmean(table["grade"], table["grade_weight"]),
        "grade_weight": float(table["grade_weight"].sum()),
    }
    if "upgrade_need_mnok" in table:
        need = table["upgrade_need_mnok"]
        row["upgrade_need_mnok"] = float(need.sum()) if need.notna().any() else float("nan")
    return row


def register_vs_published(summary: pd.DataFrame) -> pd.DataFrame:
    """Put a by-HF register summary next to Tabell 1.

    Parameters
    ----------
    summary : pandas.DataFrame
        Output of :func:`register_summary` with ``by="hf"``.

    Returns
    -------
    pandas.DataFrame
        Index: HF codes and ``"total"``; for each measure ``<measure>_published``,
        ``<measure>_register`` and ``<measure>_matches``.

    Notes
    -----
    An HF figure matches when the register's figure rounds to the printed one (lies within
    half a printed unit ``h``). The printed region age and grade are means of figures known
    only to ``h`` each, so the region matches within ``2 h`` (as in :func:`published_checks`);
    counts and areas must match exactly.
    """
    if summary.attrs.get("by") != "hf":
        raise ValueError("register_vs_published needs a summary by hf")
    pub = published_tabell1()
    index = [h for h in pub.index if h in summary.index]
    out = pd.DataFrame(index=pd.Index(index, name="hf"))
    for m in MEASURES:
        p = pub.loc[index, m].to_numpy(dtype=float)
        r = summary.loc[index, m].to_numpy(dtype=float)
        out[f"{m}_published"] = p
        out[f"{m}_register"] = r
        margin = np.full(len(index), _half_unit(m))
        if m not in ("buildings", "floor_area_m2"):
            margin[[h == TOTAL for h in index]] *= 2
        out[f"{m}_matches"] = np.abs(p - r) <= margin + 1e-9
    return out


def register_discrepancies(summary: pd.DataFrame, lang: Lang = "nb") -> list[str]:
    """Return footnotes where a by-HF register summary differs from Tabell 1.

    Parameters
    ----------
    summary : pandas.DataFrame
        Output of :func:`register_summary` with ``by="hf"``.
    lang : {"nb", "en"}
        Language of the footnotes.

    Returns
    -------
    list of str
        One sentence per (row, measure) whose register figure does not round to the printed
        one; a region row is left out when every HF row matches (then the published total is
        inconsistent, which :func:`published_discrepancies` reports).
    """
    comp = register_vs_published(summary)
    hf_rows = comp.drop(index=TOTAL, errors="ignore")
    notes = []
    for hf, row in comp.iterrows():
        who = Msg("register.the_region") if hf == TOTAL else str(hf)
        for m in MEASURES:
            if row[f"{m}_matches"]:
                continue
            if hf == TOTAL and bool(hf_rows[f"{m}_matches"].all()):
                continue  # the published total itself is off: published_discrepancies says so
            note = Msg("register.register_differs", label=_LABEL[m], who=who,
                       register=_figure(row[f"{m}_register"], m, lang),
                       published=_figure(row[f"{m}_published"], m, lang))  # fmt: skip
            notes.append(note.render(lang))
    return notes
