"""Ordinary investment: the renewal an HF pays from its own cash besides the named projects.

``finance.ordinary_investment_mnok`` is the planned level per HF (building upgrades, small
works, IT; cash-financed, capitalised, depreciated over the ``upgrade`` life). With
``finance.ordinary_investment_rule: free_cash_flow`` the HF also spends, in every plan year, the
cash its plan leaves over, as an LTB turns the cash from depreciation into renewal instead of
piling it up: a year's positive net cash flow first brings liquidity back up to zero (the
operating credit is for short swings only, domain.md 'Money rules'), the rest is invested.
Liquidity then never rises above ``max(last year's, 0)`` in a plan year, and falls when the plan
needs more cash than the year brings. With ``plan`` only the planned level is spent. Cash from
operations does not depend on this spending (it is cash-financed and its depreciation is added
back), so one pass settles it.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from hmn_bygg.config import Model
from hmn_bygg.finance import cash
from hmn_bygg.finance.rows import Rows

__all__ = ["spend_free_cash"]


def spend_free_cash(
    items: Mapping[str, np.ndarray],
    flows: dict[str, np.ndarray],
    scenarios: Mapping[str, Model] | Rows,
    years: np.ndarray,
    ordinary: int,
    opening: np.ndarray,
) -> bool:
    """Add each plan year's free cash to the ordinary investment, in place.

    Parameters
    ----------
    items : mapping of str to numpy.ndarray
        The cash-flow bridge inputs ``(S, H, Y)`` [MNOK/yr, nominal] with the planned level.
    flows : dict of str to numpy.ndarray
        Project flows ``(S, P, H, Y)``; ``spend`` and ``capitalised`` of project ``ordinary``
        grow by the free cash.
    scenarios : mapping of str to Model
        The scenarios, in order (``finance.ordinary_investment_rule``, ``model.plan_start``).
    years : numpy.ndarray
        Model years ``(Y,)``.
    ordinary : int
        Index of the ordinary investment on the project axis.
    opening : numpy.ndarray
        Liquidity at the start of the first model year ``(S, H)`` [MNOK].

    Returns
    -------
    bool
        Whether anything was added (then the bridge must be booked again).
    """
    _, _, net = cash.bridge(items)
    groups: dict[int, list[int]] = {}  # rows by first plan year (Monte Carlo rows share it)
    for model, at in Rows.of_models(scenarios).groups():
        if model.finance.ordinary_investment_rule.value == "free_cash_flow":
            first = int(np.searchsorted(years, model.model.first_plan_year))
            groups.setdefault(first, []).extend(int(r) for r in at)
    changed = False
    for first, rows in groups.items():
        r = np.array(sorted(rows))
        level = opening[r] + net[r, :, :first].sum(axis=-1)  # liquidity before the plan
        extra = np.zeros(net[r].shape)
        for y in range(first, years.size):
            free = level + net[r, :, y] - np.maximum(level, 0.0)
            extra[:, :, y] = np.clip(np.minimum(net[r, :, y], free), 0.0, None)
            level = level + net[r, :, y] - extra[:, :, y]
        spent = extra.reshape(len(rows), -1).any(axis=1)
        if spent.any():
            flows["spend"][r[spent], ordinary] += extra[spent]
            flows["capitalised"][r[spent], ordinary] += extra[spent]
            changed = True
    return changed
