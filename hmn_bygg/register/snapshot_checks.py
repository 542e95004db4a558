"""Checks across the surveys of a register: changes the record does not explain.

Each survey is checked on its own when it is read (:func:`hmn_bygg.register.load.load_register`);
here every later survey is compared with the one before it and with its own year. Each
finding is a :class:`SurveyWarning` naming the building and the years; nothing is dropped:

- ``vanished``: a building of the earlier survey is missing from the later one and neither the
  register nor the plan being tracked (``disposals``: a scenario's disposal years, with its
  overrides and ``delay_years``) disposes of it by the later survey's year;
- ``improved_unpaid``: a building's grade improved by more than :data:`GRADE_TOLERANCE`
  while the later survey records no money spent on it (``spent_since_survey_mnok``);
- ``future_part``: a part's survey year lies after the survey it belongs to;
- ``area_unnoted``: the floor area changed by more than :data:`AREA_TOLERANCE_M2` with no
  ``note``.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from hmn_bygg.core.fmt import Lang
from hmn_bygg.core.messages import Msg
from hmn_bygg.register.snapshots import Snapshot
from hmn_bygg.register.weighting import building_grade

GRADE_TOLERANCE = 0.01
"""Smallest fall of a building grade [TG] counted as an improvement (rounding in exports)."""
AREA_TOLERANCE_M2 = 0.5
"""Smallest change of floor area [m²] counted as a change (rounding in exports)."""


@dataclass(frozen=True)
class SurveyWarning:
    """A change between two surveys that the record does not explain.

    Parameters
    ----------
    kind : str
        ``vanished``, ``improved_unpaid``, ``future_part`` or ``area_unnoted``.
    building : str
        Building id.
    years : tuple of int
        The survey years compared (one year for ``future_part``).
    detail : Msg
        What was found, figures included (``hmn_bygg/register/messages.yaml``).
    """

    kind: str
    building: str
    years: tuple[int, ...]
    detail: Msg

    def render(self, lang: Lang = "en") -> str:
        """The warning as one line in ``lang``: ``"HMR-0005 (2024–2026): ..."``."""
        span = "–".join(str(y) for y in self.years)
        line = Msg(
            "register.survey_warning", building=self.building, years=span, detail=self.detail
        )
        return line.render(lang)

    def __str__(self) -> str:
        return self.render("en")


def _text(ds, name: str, bid: str) -> str:
    return str(ds[name].sel(building=bid).item()) if name in ds else ""


def _year_text(year: float) -> Msg | str:
    return Msg("register.no_year") if np.isnan(year) else f"{year:.0f}"


def _grade(value: float) -> float:
    """A building grade as shown in a warning: two decimals (``1.35``, ``1,35`` in bokmål)."""
    return round(float(value), 2)


def _vanished(
    old: Snapshot, new: Snapshot, disposals: Mapping[str, float] | None
) -> list[SurveyWarning]:
    """Buildings of ``old`` missing from ``new`` that no disposal by ``new.year`` explains."""
    a, kept, out = old.register, set(new.register["building"].values.tolist()), []
    for bid in a["building"].values.tolist():
        if bid in kept:
            continue
        planned = float(a["planned_disposal_year"].sel(building=bid))
        plan = np.nan if disposals is None else float(disposals.get(bid, np.nan))
        if not (planned <= new.year or plan <= new.year):  # NaN: no disposal
            when = Msg("register.disposal_register", year=_year_text(planned))
            if disposals is not None:
                when = Msg("register.disposal_register_plan", year=_year_text(planned),
                           plan=_year_text(plan))  # fmt: skip
            detail = Msg("register.vanished", year=str(new.year), when=when)
            out.append(SurveyWarning("vanished", bid, (old.year, new.year), detail))
    return out


def _pair(old: Snapshot, new: Snapshot) -> list[SurveyWarning]:
    a, b = old.register, new.register
    years = (old.year, new.year)
    out = []
    both = [bid for bid in b["building"].values.tolist() if bid in set(a["building"].values)]
    g_old = building_grade(a["condition_grade"], a["cost_share"]).sel(building=both)
    g_new = building_grade(b["condition_grade"], b["cost_share"]).sel(building=both)
    spent = b["spent_since_survey_mnok"] if "spent_since_survey_mnok" in b else None
    for bid, go, gn in zip(both, g_old.values, g_new.values, strict=True):
        money = float(spent.sel(building=bid)) if spent is not None else np.nan
        if gn < go - GRADE_TOLERANCE and not money > 0:
            detail = Msg("register.improved_unpaid", old=_grade(go), new=_grade(gn))
            out.append(SurveyWarning("improved_unpaid", bid, years, detail))
        area_old = float(a["floor_area"].sel(building=bid))
        area_new = float(b["floor_area"].sel(building=bid))
        if abs(area_new - area_old) > AREA_TOLERANCE_M2 and not _text(b, "note", bid).strip():
            detail = Msg("register.area_unnoted", old=round(area_old), new=round(area_new))
            out.append(SurveyWarning("area_unnoted", bid, years, detail))
    return out


def _future_parts(snap: Snapshot) -> list[SurveyWarning]:
    ds = snap.register
    late = ds["survey_year"] > snap.year
    out = []
    for bid in ds["building"].values[late.any("part").values].tolist():
        row = ds["survey_year"].sel(building=bid)
        parts = [f"{p} ({y:.0f})" for p, y in zip(ds["part"].values, row.values, strict=True)
                 if y > snap.year]  # fmt: skip
        detail = Msg("register.future_parts", year=str(snap.year), parts=parts)
        out.append(SurveyWarning("future_part", bid, (snap.year,), detail))
    return out


def check_snapshots(
    snapshots: Sequence[Snapshot], disposals: Mapping[str, float] | None = None
) -> list[SurveyWarning]:
    """Return every unexplained change across a register's surveys.

    Parameters
    ----------
    snapshots : sequence of Snapshot
        The surveys, oldest first (:func:`hmn_bygg.register.snapshots.load_snapshots`).
    disposals : mapping of str to float, optional
        The disposal year of each building in the plan being tracked [year; NaN or absent:
        none], e.g. a scenario's ``disposal_year`` (:func:`hmn_bygg.report.track_run.track_model`).
        A building gone by a survey is explained by the register's planned year or by this one;
        without it, by the register's alone.

    Returns
    -------
    list of SurveyWarning
        Per later survey: parts surveyed after it, then the changes from the survey before
        (buildings gone first).
    """
    out = []
    for old, new in itertools.pairwise(snapshots):
        out += _future_parts(new) + _vanished(old, new, disposals) + _pair(old, new)
    return out
