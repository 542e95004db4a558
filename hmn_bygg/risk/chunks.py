"""Chunks of a Monte Carlo ensemble: how many draws a task takes, and in what order they run.

:func:`hmn_bygg.risk.ensemble.run_ensemble` splits the draws along ``draw`` into tasks. A task's
memory is bounded by its draws (:func:`default_chunk_draws`); the chunks get smaller towards
the end (:func:`guided_bounds`) so that the workers (:func:`scheduler_workers`) finish
together.
"""

from __future__ import annotations

from typing import Any

import dask
from dask.system import CPU_COUNT


def chunk_bounds(draws: int, chunk_draws: int) -> list[tuple[int, int]]:
    """Return ``[(start, stop), ...]`` covering ``0 .. draws - 1`` in chunks of ``chunk_draws``."""
    step = max(1, int(chunk_draws))
    return [(a, min(a + step, draws)) for a in range(0, draws, step)]


def guided_bounds(draws: int, largest: int, workers: int) -> list[tuple[int, int]]:
    """Chunks of at most ``largest`` draws that get smaller towards the end, so that
    ``workers`` workers taking them in order finish together.

    Each chunk is at most a ``1 / (2 · workers)`` share of the draws left (guided
    self-scheduling), in whole blocks of :data:`~hmn_bygg.condition.simulate.ROW_BLOCK` draws
    (a block is simulated together); one worker gets chunks of ``largest`` draws.

    Parameters
    ----------
    draws : int
        Draws to cover.
    largest : int
        Most draws in a chunk (:func:`default_chunk_draws`).
    workers : int
        Workers that run the chunks.

    Returns
    -------
    list of (int, int)
        ``(start, stop)`` in draw order, which is the order to run them in.

    Examples
    --------
    >>> [b - a for a, b in guided_bounds(1000, 256, 2)]
    [256, 192, 192, 128, 64, 64, 64, 40]
    """
    from hmn_bygg.condition.simulate import ROW_BLOCK

    if workers <= 1:
        return chunk_bounds(draws, largest)
    unit = max(1, min(ROW_BLOCK, int(largest)))
    most = max(1, int(largest) // unit)
    left = -(-draws // unit)  # units still to hand out
    out, start = [], 0
    while left > 0:
        size = min(most, -(-left // (2 * workers)))
        out.append((start, min(start + size * unit, draws)))
        start, left = out[-1][1], left - size
    return out


def scheduler_workers(scheduler: Any) -> int:
    """Return how many chunks run at once on ``scheduler`` (:func:`run_ensemble`'s argument).

    One for ``"sync"``; dask's ``num_workers`` setting or the cores here for the local
    threads; the cores here for anything else (a guess for a cluster).
    """
    if scheduler in ("sync", "synchronous"):
        return 1
    if scheduler in (None, "threads"):
        return int(dask.config.get("num_workers", None) or CPU_COUNT)
    return CPU_COUNT


BOOK_FLOATS_PER_YEAR = 370
"""What booking the long-term budget adds to a chunk task's peak memory, per draw and simulated
year [floats of 8 bytes]: measured with ``tracemalloc`` on :meth:`EnsemblePlan.run_chunk` of the
scenario ``today`` on the bundled register (294 buildings, 28 years; chunks of 256 and 1 024
draws): 0,111 MB a draw with the budget booked against 0,028 MB without, the difference
0,083 MB = 370 × 28 × 8 bytes (December 2026, issue 17)."""


def default_chunk_draws(
    n_scenarios: int,
    n_years: int,
    n_buildings: int,
    draws: int,
    budget_mb: float = 48.0,
    book: bool = False,
) -> int:
    """Draws per chunk: about ``budget_mb`` [MB] of rows per task, and at least eight tasks.

    A task keeps per row its inputs (open and disposal years per building) and aggregates
    (years × HFs × ~20 variables, and the long-term budget's flows); the year loop works on
    blocks of :data:`hmn_bygg.condition.simulate.ROW_BLOCK` rows whatever the chunk. Booking
    the budget also holds the projects' flows and the loans per row, ``project × HF × year``
    arrays that do not grow with the buildings (the disposal cash only for the buildings some
    row disposes of): :data:`BOOK_FLOATS_PER_YEAR` floats per simulated year and draw.

    Parameters
    ----------
    n_scenarios, n_years, n_buildings, draws : int
        Sizes of the run (draws per scenario).
    budget_mb : float
        Memory per task [MB].
    book : bool
        Whether the tasks book the long-term budget.

    Returns
    -------
    int
        Draws per chunk, 1–2 048.
    """
    from hmn_bygg.condition.simulate import ROW_BLOCK

    per_row = n_years * 64 + 4 * n_buildings + (BOOK_FLOATS_PER_YEAR * n_years if book else 0)
    per_draw = n_scenarios * 8 * per_row / 1e6
    by_memory = int(budget_mb // max(per_draw, 1e-9))
    by_tasks = max(ROW_BLOCK, -(-draws // 8))
    return int(max(1, min(2048, by_memory, by_tasks)))
