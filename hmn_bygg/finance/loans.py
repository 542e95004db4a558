"""Capital over time: loan tranches, straight-line depreciation, net present value.

Every year's drawdown is a *tranche*: a loan of its own, repaid by a fixed schedule that starts
the year after the drawdown (after any grace years) and ends ``term_years`` later. The schedule
per 1 NOK drawn is the *repayment kernel* (principal repaid at each year of age), so the
repayments of a stream of drawdowns are the convolution of drawdowns with the kernel along
``year`` (:mod:`hmn_bygg.finance.by_age`: no loop over tranches, scenarios or draws in Python).

The state-loan rules (70 % of the cost frame, 90 % from 2025; at most 35 years; annuity or
serial; 25 years serial before 2019; interest near the state's rate plus a margin) are
*parameters* of these functions, set in the model files, never written into the code.

Conventions
-----------
- Years are consecutive integers on a ``year`` coordinate.
- A drawdown in year ``t`` is paid out at the end of ``t`` by default, so it earns no interest in
  ``t`` (``interest_on_drawdown=0``); ``0.5`` charges half a year (paid out mid-year on
  average), ``1`` a full year.
- Interest in year ``t`` = ``rate`` x (opening balance + ``interest_on_drawdown`` x drawdown).
  With the default, an annuity tranche pays the same ``repayment + interest`` every year of its
  term, equal to ``numpy_financial.pmt``.
- Repayments that fall after the last model year are not shown; they remain in the closing
  ``loan_balance`` of the last year.

Depreciation is the same convolution with a boxcar kernel, and ranking options such as upgrade
versus dispose-and-rent by net present value is :mod:`hmn_bygg.finance.depreciation`'s.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy_financial as npf
import xarray as xr

from hmn_bygg.core.variables import annotate
from hmn_bygg.finance.by_age import age_weights, by_age, check_years

LoanKind = Literal["annuity", "serial"]
LOAN_KINDS: tuple[str, ...] = ("annuity", "serial")


def repayment_kernel(
    term_years: int, rate: float, kind: LoanKind = "annuity", grace_years: int = 0
) -> np.ndarray:
    """Return the principal repaid at each year of age per 1 NOK drawn.

    Parameters
    ----------
    term_years : int
        Repayment period [years] after the grace years, at least 1.
    rate : float
        Yearly interest rate [fraction], e.g. ``0.03``; shapes the annuity only.
    kind : {"annuity", "serial"}
        ``"annuity"``: level payment (principal + interest); ``"serial"``: level principal.
    grace_years : int
        Years after the drawdown year with interest only [years].

    Returns
    -------
    numpy.ndarray
        ``k[a]`` for age ``a = 0 .. grace_years + term_years`` [NOK per NOK drawn]; ``k[a] = 0``
        for ``a <= grace_years``; the kernel sums to 1.

    Notes
    -----
    Serial: :math:`k_a = 1/n` for :math:`g < a \\le g + n`.

    Annuity: the principal part of the level payment,
    :math:`k_{g+j} = P \\,(1+r)^{j-1} \\cdot r / ((1+r)^n - 1)`, :math:`j = 1..n`, from
    ``numpy_financial.ppmt``; at ``r = 0`` it equals the serial kernel.

    Examples
    --------
    A zero rate makes an annuity serial:

    >>> repayment_kernel(4, 0.0, "annuity").tolist()
    [0.0, 0.25, 0.25, 0.25, 0.25]

    A one-year term repays everything the year after the drawdown, after one grace year here:

    >>> repayment_kernel(1, 0.05, "annuity", grace_years=1).tolist()
    [0.0, 0.0, 1.0]
    """
    if kind not in LOAN_KINDS:
        raise ValueError(f"kind must be one of {LOAN_KINDS}, found {kind!r}")
    term = int(term_years)
    grace = int(grace_years)
    if term != term_years or term < 1:
        raise ValueError(f"term_years must be a whole number >= 1, found {term_years!r}")
    if grace != grace_years or grace < 0:
        raise ValueError(f"grace_years must be a whole number >= 0, found {grace_years!r}")
    if not np.isfinite(rate) or rate < 0:
        raise ValueError(f"rate must be a finite fraction >= 0, found {rate!r}")
    kernel = np.zeros(grace + term + 1)
    if kind == "serial" or rate < 1e-12:  # an annuity at (near) zero rate is serial
        kernel[grace + 1 :] = 1.0 / term
    else:
        with np.errstate(all="ignore"):
            principal = npf.ppmt(rate, np.arange(1, term + 1), term, -1.0)
        kernel[grace + 1 :] = principal / principal.sum()  # remove rounding: sums to 1
    return kernel


def repayment_kernels(
    term_years: int, rates: np.ndarray, kind: LoanKind = "annuity", grace_years: int = 0
) -> np.ndarray:
    """Return :func:`repayment_kernel` for many rates at once, ``(R, grace + term + 1)``.

    Row ``i`` is ``repayment_kernel(term_years, rates[i], kind, grace_years)`` bit for bit (the
    same elementwise formula on an array of rates): the loans of many Monte Carlo draws, each
    with its own drawn rate, get their schedules in one call.

    Parameters
    ----------
    term_years, kind, grace_years
        As in :func:`repayment_kernel` [years].
    rates : numpy.ndarray
        Yearly interest rates [fraction], ``(R,)``.
    """
    rates = np.asarray(rates, dtype=float).reshape(-1)
    base = repayment_kernel(term_years, 0.0, kind, grace_years)  # checks term, kind, grace
    bad = ~np.isfinite(rates) | (rates < 0)
    if bad.any():
        raise ValueError(f"rate must be a finite fraction >= 0, found {rates[bad][0]!r}")
    term, grace = int(term_years), int(grace_years)
    out = np.broadcast_to(base, (rates.size, base.size)).copy()
    annuity = (rates >= 1e-12) if kind == "annuity" else np.zeros(rates.size, dtype=bool)
    if annuity.any():
        with np.errstate(all="ignore"):
            principal = npf.ppmt(rates[annuity, None], np.arange(1, term + 1)[None, :], term, -1.0)
        out[annuity, grace + 1 :] = principal / principal.sum(axis=1, keepdims=True)
    return out


def remaining_kernel(kernel: np.ndarray) -> np.ndarray:
    """Return the balance left at the end of each year of age per 1 NOK drawn.

    Parameters
    ----------
    kernel : numpy.ndarray
        Repayment kernel from :func:`repayment_kernel` (or kernels ``(..., age)`` from
        :func:`repayment_kernels`).

    Returns
    -------
    numpy.ndarray
        ``b[a] = 1 - sum(k[0..a])`` clipped at 0 and exactly 0 at the last age [NOK per NOK],
        the shape of ``kernel``.
    """
    remaining = np.clip(1.0 - np.cumsum(kernel, axis=-1), 0.0, None)
    remaining[..., -1] = 0.0
    return remaining


def loan_flows(
    drawdown: xr.DataArray,
    rate: float,
    term_years: int,
    kind: LoanKind = "annuity",
    grace_years: int = 0,
    *,
    interest_on_drawdown: float = 0.0,
) -> xr.Dataset:
    """Return drawdown, repayment, interest and closing balance of a stream of tranches.

    Parameters
    ----------
    drawdown : xr.DataArray
        Loan paid out per year [MNOK], >= 0, dims ``(..., year)`` (e.g. ``scenario``, ``hf``,
        ``project``, ``draw``); all leading dims broadcast.
    rate : float
        Yearly interest rate [fraction].
    term_years : int
        Repayment period after the grace years [years] (state loans: at most 35).
    kind : {"annuity", "serial"}
        Repayment profile of every tranche.
    grace_years : int
        Interest-only years after the drawdown year [years].
    interest_on_drawdown : float
        Share of a year the drawdown earns interest in its own year [fraction of a year]:
        ``0`` = paid out at year end (default), ``0.5`` = mid-year on average.

    Returns
    -------
    xr.Dataset
        ``loan_drawdown``, ``loan_repayment``, ``loan_interest`` [MNOK/yr] and ``loan_balance``
        (closing) [MNOK], each with the dims of ``drawdown``.

    Notes
    -----
    With kernel :math:`k` (:func:`repayment_kernel`) and remaining balance
    :math:`b_a = 1 - \\sum_{j \\le a} k_j`:

    .. math::

        R_t = \\sum_{s \\le t} D_s k_{t-s}, \\qquad
        B_t = \\sum_{s \\le t} D_s b_{t-s} = B_{t-1} + D_t - R_t, \\qquad
        I_t = r \\,(B_{t-1} + \\phi D_t)

    with :math:`\\phi` = ``interest_on_drawdown``. Every tranche is repaid in full at the end of
    its term; the part due after the last model year stays in :math:`B` of the last year.

    Examples
    --------
    One tranche of 100 at 0 % over 2 years, serial:

    >>> d = xr.DataArray([100.0, 0, 0, 0], dims="year", coords={"year": [2025, 2026, 2027, 2028]})
    >>> f = loan_flows(d, 0.0, 2, "serial")
    >>> f.loan_repayment.values.tolist(), f.loan_balance.values.tolist()
    ([0.0, 50.0, 50.0, 0.0], [100.0, 50.0, 0.0, 0.0])
    """
    check_years(drawdown)
    d = drawdown.astype(float).transpose(..., "year")
    flows = loan_arrays(d.to_numpy(), rate, term_years, kind, grace_years, interest_on_drawdown)

    def wrap(values: np.ndarray) -> xr.DataArray:
        return xr.DataArray(values, dims=d.dims, coords=d.coords).transpose(*drawdown.dims)

    ds = xr.Dataset(
        {
            "loan_drawdown": drawdown.astype(float),
            "loan_repayment": wrap(flows["loan_repayment"]),
            "loan_interest": wrap(flows["loan_interest"]),
            "loan_balance": wrap(flows["loan_balance"]),
        }
    )
    ds.attrs.update(
        loan_rate=float(rate),
        loan_term_years=int(term_years),
        loan_kind=kind,
        loan_grace_years=int(grace_years),
        interest_on_drawdown=float(interest_on_drawdown),
    )
    return annotate(ds)


def loan_arrays(
    drawdown: np.ndarray,
    rate: float | np.ndarray,
    term_years: int,
    kind: LoanKind = "annuity",
    grace_years: int = 0,
    interest_on_drawdown: float = 0.0,
    kernels: tuple[np.ndarray, np.ndarray] | None = None,
    which: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Return the :func:`loan_flows` of drawdowns on a NumPy array, ``year`` last.

    Parameters
    ----------
    drawdown : numpy.ndarray
        Loan paid out per year [MNOK], >= 0, shape ``(..., year)`` over consecutive years.
    rate, term_years, kind, grace_years, interest_on_drawdown
        As in :func:`loan_flows` (rate [fraction], years [years]); ``rate`` may be an array
        that broadcasts against ``drawdown`` (e.g. ``(N, 1, 1)``, one rate per loan).
    kernels : (numpy.ndarray, numpy.ndarray), optional
        With ``which``: the repayment kernels and their :func:`remaining_kernel`, ``(U, A)``
        for ``U`` schedules (:func:`repayment_kernels` of the distinct rates), when already
        worked out.
    which : numpy.ndarray, optional
        ``(N,)``: the schedule of each of the ``N`` loans along the first axis of
        ``drawdown`` (an index into ``kernels``).

    Returns
    -------
    dict of str to numpy.ndarray
        ``loan_drawdown``, ``loan_repayment``, ``loan_interest`` [MNOK/yr] and
        ``loan_balance`` [MNOK], each of the shape of ``drawdown``.
    """
    if not 0.0 <= interest_on_drawdown <= 1.0:
        raise ValueError(f"interest_on_drawdown must be in [0, 1], found {interest_on_drawdown!r}")
    drawdown = np.asarray(drawdown, dtype=float)
    if not bool(np.isfinite(drawdown).all() & (drawdown >= 0).all()):
        raise ValueError("drawdown must be finite and >= 0 in every year")
    if (kernels is None) != (which is None):
        raise ValueError("loan_arrays: kernels and which go together")
    if kernels is None or which is None:
        kernel = repayment_kernel(term_years, rate, kind, grace_years)  # type: ignore[arg-type]
        n = drawdown.shape[-1]
        repayment = drawdown @ age_weights(kernel, n).T
        balance = drawdown @ age_weights(remaining_kernel(kernel), n).T
    else:  # each loan on its own schedule: y_t = Σ_s x_s k[t − s], compiled, loan by loan
        flat = drawdown.reshape(drawdown.shape[0], -1, drawdown.shape[-1])
        repayment = by_age(flat, kernels[0], which).reshape(drawdown.shape)
        balance = by_age(flat, kernels[1], which).reshape(drawdown.shape)
    opening = np.concatenate([np.zeros_like(balance[..., :1]), balance[..., :-1]], axis=-1)
    interest = rate * (opening + interest_on_drawdown * drawdown)
    return {
        "loan_drawdown": drawdown,
        "loan_repayment": repayment,
        "loan_interest": interest,
        "loan_balance": balance,
    }
