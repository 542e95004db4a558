"""Monte Carlo sampling error of a share of draws (used by :mod:`hmn_bygg.risk.breach` and
:mod:`hmn_bygg.solve.probability`)."""

from __future__ import annotations

from typing import TypeVar

import numpy as np

T = TypeVar("T")


def standard_error(p: T, n: int) -> T:
    """Return the binomial Monte Carlo standard error ``√(p (1 − p) / n)`` of a share.

    Parameters
    ----------
    p : float, numpy.ndarray or xarray.DataArray
        Share of draws [fraction, 0–1].
    n : int
        Number of draws (≥ 1).

    Returns
    -------
    float, numpy.ndarray or xarray.DataArray
        The standard error [fraction], the type and shape of ``p``. It measures the sampling
        noise of the draws only: ±0,005 at ``p = 0,5`` and ``n = 10 000``; 0 when every draw
        agrees (read a share of 0 as "fewer than about 3 in ``n``", the rule of three).

    Examples
    --------
    >>> float(standard_error(0.5, 10_000))
    0.005
    """
    if n < 1:
        raise ValueError(f"the number of draws must be at least 1, found {n}")
    q = np.clip(p, 0.0, 1.0)  # type: ignore[call-overload]
    return np.sqrt(q * (1.0 - q) / n)
