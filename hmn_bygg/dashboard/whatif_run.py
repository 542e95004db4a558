"""The what-if page's re-runs: off the server loop, newest change only, nothing run twice.

A change of the controls starts a *generation*. Its model runs in the server's ``whatif``
worker thread (:func:`hmn_bygg.dashboard.workers.run_in_worker`), so that the server loop
stays free: the busy state reaches the browser at once, while the model runs. The run is
the condition and area stage (``run_models(..., book=False)``) and, when the results hold
the long-term budget, the budget booked on that same simulation
(:func:`~hmn_bygg.dashboard.state.book_whatif`); the page gets the result on the server loop
in one piece, so the browser draws every chart and card once per change.

- A generation that is no longer the newest when the worker gets to it is skipped (a burst
  of slider events runs the model for the last value), and a result that a newer change has
  made out of date is dropped.
- The condition results are kept with the overrides they can see
  (:func:`~hmn_bygg.dashboard.whatif_inputs.condition_key`): a change that only the budget
  sees (a project's cost or spending, the loan rate) books the kept simulation instead of
  running it again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import xarray as xr

from hmn_bygg.dashboard.state import SessionState, book_whatif, run_whatif_model
from hmn_bygg.dashboard.whatif_inputs import condition_key
from hmn_bygg.dashboard.workers import run_in_worker, worker_pool

__all__ = ["WhatIfRuns"]

WORKERS = 1
"""Threads of the server's what-if pool, shared by every session (one model run at a time)."""


@dataclass(frozen=True)
class _Kept:
    """The condition results of the last run, with what they were computed from."""

    key: tuple
    results: xr.Dataset


class WhatIfRuns:
    """The re-runs of one session's what-if page.

    Parameters
    ----------
    state : SessionState
        The session (chosen scenario, register, baseline results).
    show : callable
        ``show(generation, results)``, called on the server loop with the results of the
        newest generation (one scenario, with the finances when the baseline has them).
    fail : callable
        ``fail(generation, error)``, called on the server loop when the inputs of the newest
        generation cannot run (an :class:`~hmn_bygg.core.errors.InputError` or
        ``ValueError``).
    """

    def __init__(
        self,
        state: SessionState,
        show: Callable[[int, xr.Dataset], None],
        fail: Callable[[int, Exception], None],
    ) -> None:
        self.state = state
        self.show, self.fail = show, fail
        self.generation = 0
        self._kept: _Kept | None = None
        self._baseline: tuple[str, xr.Dataset, xr.Dataset] | None = None

    def start(self, overrides: dict[str, Any]) -> int:
        """Start a generation for ``overrides`` (dotted keys); return its number.

        Without overrides the baseline is shown at once (nothing to run).
        """
        self.generation += 1
        gen = self.generation
        if not overrides:
            self.show(gen, self.baseline())
            return gen
        state = self.state
        key = (state.scenario, id(state.model), id(state.whatif_register), condition_key(overrides))
        run_in_worker(
            worker_pool("whatif", WORKERS),
            lambda: self._run(gen, key, overrides),
            lambda result: self._done(gen, result),
        )
        return gen

    def baseline(self) -> xr.Dataset:
        """The chosen scenario's own results (kept per scenario and results: a selection of
        every variable costs about 15 ms)."""
        name, results = self.state.scenario, self.state.results
        kept = self._baseline
        if kept is None or kept[0] != name or kept[1] is not results:  # the very same results
            kept = self._baseline = (name, results, results.sel(scenario=[name]))
        return kept[2]

    def cancel(self) -> int:
        """Start a generation that runs nothing (its inputs are wrong); return its number.

        Whatever an earlier generation still has on its way is dropped.
        """
        self.generation += 1
        return self.generation

    def current(self, gen: int) -> bool:
        """Whether ``gen`` is the newest generation."""
        return gen == self.generation

    def _run(self, gen: int, key: tuple, overrides: dict[str, Any]) -> xr.Dataset | None:
        """Run generation ``gen`` (in the worker); None when a newer one has started."""
        if not self.current(gen):
            return None
        model, register = self.state.whatif_inputs(overrides)
        kept = self._kept
        if kept is not None and kept.key == key:
            condition = kept.results
        else:
            condition = run_whatif_model(model, register, book=False)
            self._kept = _Kept(key, condition)
        if "liquidity_region" not in self.state.results:  # the baseline has no finances
            return condition
        # in the session's price basis (the sidebar's switch), as the baseline it is drawn with
        return book_whatif(condition, model, register, self.state.results.attrs.get("prices"))

    def _done(self, gen: int, result: xr.Dataset | Exception | None) -> None:
        """Hand the result of ``gen`` to the page (on the loop), unless it is out of date."""
        if result is None or not self.current(gen):
            return
        if isinstance(result, Exception):
            self.fail(gen, result)
        else:
            self.show(gen, result)
