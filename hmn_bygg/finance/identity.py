"""The cash identity, written independently of the bridge that books the cash flow.

:func:`hmn_bygg.finance.cash.cash_flow_arrays` turns the booked items into results and
liquidity through one formula (``cash.bridge``). A check that reuses that formula cannot see a
sign error in it. This module states the same money rules a second time, as a table of signs
(:data:`CASH_SIGNS`: +1 brings cash in, -1 takes it out, depreciation is not cash), and checks

- :math:`L_t - L_{t-1} = \\sum_i s_i f_{i,t}` (liquidity moves by the signed flows), with
  :math:`L_{-1}` the opening liquidity;
- :math:`B_t - B_{t-1} = D_t - R_t` (the loan balance moves by drawdown less repayment), with
  :math:`B_{-1} = 0`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

__all__ = ["CASH_SIGNS", "independent_identity_errors"]

CASH_SIGNS: dict[str, int] = {
    "operating_result_before": +1,  # income less the costs that are not building items
    "project_savings": +1,
    "maintenance_capitalised": +1,  # not a cost in the result ...
    "maintenance_spend": -1,  # ... but all maintenance money is paid out
    "fdv_cost": -1,
    "project_running_cost": -1,
    "loan_interest": -1,
    "demolition_cost": -1,
    "investment_total": -1,  # includes the capitalised maintenance as an investment
    "loan_drawdown": +1,
    "loan_repayment": -1,
    "sale_proceeds": +1,
}
"""How each booked item moves cash [sign]; ``depreciation`` is absent: it is not cash."""


def independent_identity_errors(
    arrays: Mapping[str, np.ndarray],
    opening: np.ndarray,
    where: Sequence[str] = (),
    tol: float = 1e-6,
) -> list[str]:
    """Return one message per rule that fails; empty when both identities hold.

    Parameters
    ----------
    arrays : mapping of str to numpy.ndarray
        The booked items of :data:`CASH_SIGNS`, ``liquidity`` and, when present,
        ``loan_balance``, ``loan_drawdown`` and ``loan_repayment`` [MNOK/yr, MNOK], one shape
        with ``year`` last.
    opening : numpy.ndarray
        Liquidity at the start of the first year [MNOK], the shape without ``year``.
    where : sequence of str
        A label for the messages (e.g. ``("HF",)``).
    tol : float
        Largest residual accepted [MNOK].
    """
    signed = sum(sign * np.asarray(arrays[name]) for name, sign in CASH_SIGNS.items())
    liquidity = np.asarray(arrays["liquidity"])
    before = np.concatenate([np.asarray(opening)[..., None], liquidity[..., :-1]], axis=-1)
    errors = []
    worst = np.nanmax(np.abs(liquidity - before - signed), initial=0.0)
    if not worst <= tol:
        errors.append(f"{' '.join(where)}: liquidity does not move by the signed cash flows "
                      f"(largest residual {worst:.6g} MNOK)")  # fmt: skip
    if "loan_balance" in arrays:
        balance = np.asarray(arrays["loan_balance"])
        prior = np.concatenate([np.zeros((*balance.shape[:-1], 1)), balance[..., :-1]], axis=-1)
        moved = np.asarray(arrays["loan_drawdown"]) - np.asarray(arrays["loan_repayment"])
        worst = np.nanmax(np.abs(balance - prior - moved), initial=0.0)
        if not worst <= tol:
            errors.append(f"{' '.join(where)}: the loan balance does not move by drawdown "
                          f"less repayment (largest residual {worst:.6g} MNOK)")  # fmt: skip
    return errors
