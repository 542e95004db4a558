"""The brief's breach probabilities: each HF's chance of going below its credit line.

Shown in the liquidity section when the brief has a risk run (``hmn-bygg brief --draws N``):
one row per HF, one column per scenario, each cell the share of Monte Carlo draws in which the
HF's liquidity is below minus its credit line in at least one year from the plan year to the
end, with its binomial standard error (:func:`hmn_bygg.risk.breach.any_year`). Words from
``texts.yaml``; ``None`` without a risk run, so the brief without draws is unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import xarray as xr

from hmn_bygg.core.fmt import fmt_number, fmt_percent
from hmn_bygg.report.brief.texts import Lang, hf_name, t

__all__ = ["BreachSection", "breach_section"]


@dataclass(frozen=True)
class BreachSection:
    """The sentence before the table, the plain table (head, rows of text cells) and a note."""

    intro: str
    table: tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]
    note: str


def _cell(p: float, se: float, lang: Lang) -> str:
    """``45 % ± 1,6``: the share and its standard error in percentage points."""
    return f"{fmt_percent(p, 0, lang)} ± {fmt_number(100 * se, 1, lang)}"


def breach_section(
    risk: xr.Dataset | None,
    scenarios: Sequence[str],
    names: Mapping[str, str],
    lang: Lang,
) -> BreachSection | None:
    """Return the breach probabilities of the brief's scenarios, or ``None``.

    Parameters
    ----------
    risk : xr.Dataset, optional
        :func:`hmn_bygg.risk.breach.any_year` of the risk run (``p``, ``se`` by scenario and
        HF; ``attrs`` ``draws``, ``from_year``, ``to_year`` and ``seed``).
    scenarios : sequence of str
        The brief's scenarios in order; those the risk run lacks are left out.
    names : mapping of str to str
        Display names of the scenarios.
    lang : {"nb", "en"}
        Language.

    Returns
    -------
    BreachSection or None
        ``None`` without a risk run or when it holds none of the scenarios.
    """
    if risk is None:
        return None
    present = {str(s) for s in risk["scenario"].to_numpy()}
    shown = [s for s in scenarios if s in present]
    if not shown:
        return None
    head = (t(lang, "hf"), *(names[s] for s in shown))
    rows = []
    for hf in risk["hf"].to_numpy().astype(str):
        one = risk.sel(hf=hf)
        cells = [
            _cell(float(one["p"].sel(scenario=s)), float(one["se"].sel(scenario=s)), lang)
            for s in shown
        ]
        rows.append((hf_name(hf, lang), *cells))
    a = risk.attrs
    intro = t(lang, "breach_intro", y0=a["from_year"], y1=a["to_year"])
    note = t(lang, "breach_note", draws=fmt_number(a["draws"], 0, lang), seed=a.get("seed", "–"))
    return BreachSection(intro, (head, tuple(rows)), note)
