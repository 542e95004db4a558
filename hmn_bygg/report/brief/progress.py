"""The brief's short section on progress against the plan (:mod:`hmn_bygg.report.track`).

One sentence per later survey (the region's surveyed VTTG beside the plan's, and the largest
cause of the difference) and one small table per HF with the causes; words from
:mod:`hmn_bygg.report.track_texts`. ``None`` when the models have no plan scenario or the
register has a single survey.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from hmn_bygg.config import Model
from hmn_bygg.core.fmt import Lang, fmt_number
from hmn_bygg.report.track import CAUSES

__all__ = ["ProgressSection", "progress_section"]


@dataclass(frozen=True)
class ProgressSection:
    """Title, sentences and a plain table (head, rows of text cells) of the section."""

    title: str
    lines: tuple[str, ...]
    table: tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]
    note: str


def progress_section(
    models: Mapping[str, Model] | None, lang: Lang = "nb"
) -> ProgressSection | None:
    """Return the section, or ``None`` without a plan scenario or a later survey.

    Parameters
    ----------
    models : mapping of str to Model, optional
        The brief's scenarios; the plan scenario (``plan_2018``) is run again.
    lang : {"nb", "en"}
        Language.

    Returns
    -------
    ProgressSection or None
    """
    from hmn_bygg.report.track_run import PLAN_SCENARIO, track_model
    from hmn_bygg.report.track_texts import track_cells, track_text

    if not models or PLAN_SCENARIO not in models:
        return None
    t = track_model(scenarios=dict(models), plan=PLAN_SCENARIO)
    if t.table.empty:
        return None
    lines = []
    for _, r in t.table[t.table["level"] == "region"].iterrows():
        cause = max(CAUSES, key=lambda c: abs(r[c]) if r[c] == r[c] else 0.0)
        lines.append(track_text("brief_line", lang, year=r["survey_year"], base=t.base_year,
                                surveyed=fmt_number(r["surveyed"], 2, lang),
                                expected=fmt_number(r["expected"], 2, lang),
                                cause=track_text(cause, lang).lower(),
                                value=fmt_number(r[cause], 2, lang)))  # fmt: skip
    if t.synthetic_years:
        years = ", ".join(str(y) for y in t.synthetic_years)
        lines.append(track_text("synthetic", lang, years=years))
    if t.warnings:
        lines.append(track_text("brief_warnings", lang, n=len(t.warnings)))
    heads, rows = track_cells(t.table, lang)
    keep = [0, 2, 3, 4, 5, 6, 7, 8, 9, 10]  # year, entity, expected … wear
    return ProgressSection(
        title=track_text("brief_title", lang),
        lines=tuple(lines),
        table=(tuple(heads[i] for i in keep), tuple(tuple(row[i] for i in keep) for row in rows)),
        note=track_text("causes_note", lang),
    )
