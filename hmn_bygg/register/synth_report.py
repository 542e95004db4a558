"""How close a synthetic register comes to the published figures (Tabell 1, disposals).

:func:`calibration_figures` sets the achieved figures of :func:`hmn_bygg.register.synth.synthesize`
next to the published ones; :func:`provenance_figures_markdown` writes them as the table kept in
``data/building_register/PROVENANCE.md`` (a test checks that the two agree).
"""

from __future__ import annotations

import pandas as pd

from hmn_bygg.register.model import build_register
from hmn_bygg.register.summary import TOTAL, register_summary, register_vs_published


def calibration_figures(buildings: pd.DataFrame, parts: pd.DataFrame) -> pd.DataFrame:
    """Return the achieved Tabell 1 figures of a synthetic register next to the published ones.

    Parameters
    ----------
    buildings, parts : pandas.DataFrame
        Tables as returned by :func:`hmn_bygg.register.synth.synthesize`.

    Returns
    -------
    pandas.DataFrame
        Indexed by HF (HMR, HNT, STO): ``<measure>_register`` and ``<measure>_published`` for
        ``buildings``, ``floor_area_m2`` [m²], ``weighted_age_years`` [year] and ``grade``
        [TG, VTTG area-weighted], and ``disposal_area_m2`` [m²] (area with a planned disposal
        year).
    """
    table = register_summary(build_register(buildings, parts), by="hf", weighting="area")
    out = register_vs_published(table).drop(index=TOTAL)
    out = out[[c for c in out.columns if not c.endswith("_matches")]]
    disp = buildings[buildings["planned_disposal_year"].notna()]
    area = disp.groupby("hf")["floor_area"].sum()
    out["disposal_area_m2"] = area.reindex(out.index, fill_value=0).astype(float)
    return out


def provenance_figures_markdown(buildings: pd.DataFrame, parts: pd.DataFrame) -> str:
    """Return the achieved figures as the Markdown table kept in ``PROVENANCE.md``.

    Parameters
    ----------
    buildings, parts : pandas.DataFrame
        Tables as returned by :func:`hmn_bygg.register.synth.synthesize`.

    Returns
    -------
    str
        A Markdown table, one row per HF, plain numbers with a decimal point.
    """
    fig = calibration_figures(buildings, parts)
    lines = [
        "| HF | buildings | floor area m² | weighted age (yr) | published age "
        "| VTTG (area-weighted) | published VTTG | area with a disposal year m² |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for hf, r in fig.iterrows():
        lines.append(
            f"| {hf} | {int(r['buildings_register'])} | {int(r['floor_area_m2_register'])} "
            f"| {r['weighted_age_years_register']:.3f} | {r['weighted_age_years_published']:g} "
            f"| {r['grade_register']:.4f} | {r['grade_published']:.2f} "
            f"| {int(r['disposal_area_m2'])} |"
        )
    return "\n".join(lines)
