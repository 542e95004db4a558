"""Breach probabilities as text: ``hmn-bygg run --draws N`` prints them per HF and year.

The numbers come from :func:`hmn_bygg.risk.breach.yearly`: the share of draws in which an HF's
liquidity is below minus its credit line, and its binomial Monte Carlo standard error
``√(p (1 − p) / n)``, both shown in percent (``12,3 ± 1,0``: 12,3 % with a standard error of
1,0 percentage points).
"""

from __future__ import annotations

from collections.abc import Sequence

import xarray as xr

from hmn_bygg.core.fmt import Lang, fmt_number
from hmn_bygg.risk.breach import breach_rows

CELL = 14
"""Width of a year column [characters]."""


def probability_cell(p: float, se: float, lang: Lang = "nb") -> str:
    """Return ``"12,3 ± 1,0"``: a probability and its standard error in percent, one decimal.

    Examples
    --------
    >>> probability_cell(0.123, 0.0104)
    '12,3 ± 1,0'
    >>> probability_cell(0.5, 0.005, "en")
    '50.0 ± 0.5'
    """
    return f"{fmt_number(100 * p, 1, lang)} ± {fmt_number(100 * se, 1, lang)}"


def render_breach_table(
    breach: xr.Dataset, years: Sequence[int] | None = None, lang: Lang = "nb"
) -> str:
    """Return the breach probabilities per HF (rows) and year (columns), one block a scenario.

    Parameters
    ----------
    breach : xr.Dataset
        From :func:`hmn_bygg.risk.breach.yearly` (``p``, ``se``; ``attrs["draws"]``).
    years : sequence of int, optional
        The columns (default :func:`hmn_bygg.report.tables.default_years`: the first year and
        every fifth).
    lang : {"nb", "en"}
        Bokmål (default) or English headings and numbers.

    Returns
    -------
    str
        Aligned text.
    """
    from hmn_bygg.report.tables import default_years

    shown = [int(y) for y in (years or default_years(breach))]
    rows = breach_rows(breach, shown)
    n = fmt_number(int(breach.attrs["draws"]), 0, lang)
    nb = lang == "nb"
    title = (
        f"Sannsynlighet for brudd på kredittrammen per helseforetak og år, % ± standardfeil "
        f"i prosentpoeng ({n} trekk; standardfeil √(p(1−p)/n))"
        if nb
        else f"Probability of a credit-line breach by health trust and year, % ± standard "
        f"error in percentage points ({n} draws; standard error √(p(1−p)/n))"
    )
    lines = [title]
    head = f"  {'HF':<6}" + "".join(f"{y:>{CELL}}" for y in shown)
    for scenario, part in rows.groupby("scenario", sort=False):
        lines += [f"Scenario: {scenario}", head]
        for hf, one in part.groupby("hf", sort=False):
            cells = {int(r.year): probability_cell(r.p, r.se, lang) for r in one.itertuples()}
            lines.append(f"  {hf:<6}" + "".join(f"{cells[y]:>{CELL}}" for y in shown))
    return "\n".join(lines)
