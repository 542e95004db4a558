"""Scenarios saved while a dashboard is open reach every open session without a reload.

A what-if saved with "Lagre som scenario" (in this session, another tab, or ``hmn-bygg run
--ltb F --save-scenario NAME`` in another process) lands in the user scenarios file. Each served
session watches that file's stamp (:func:`hmn_bygg.config.user_scenarios.user_file_stamp`, one
``stat`` call) every :data:`POLL_MS` ms; a save in this server process also tells every session
of the process at once (:func:`saved_here`). When the stamp changed, the shared baseline is
loaded again in a worker thread (:func:`hmn_bygg.dashboard.state.load_baseline`: every scenario
run once per server, about a second, the loop stays free; the other sessions then find it in
the cache) and the session takes it (:meth:`~hmn_bygg.dashboard.state.SessionState.take_saved`):
the comparison and the sidebar's scenario list show the new scenario, and no page is drawn
again, so a what-if in progress keeps its settings.
"""

from __future__ import annotations

import weakref
from typing import Any

import panel as pn
from panel.io.state import set_curdoc

from hmn_bygg.config.user_scenarios import user_file_stamp
from hmn_bygg.dashboard.state import SessionState, load_baseline
from hmn_bygg.dashboard.workers import run_in_worker, worker_pool

POLL_MS = 1000
"""How often a session looks at the user scenarios file's stamp [ms]."""

_WATCHES: weakref.WeakSet[SavedWatch] = weakref.WeakSet()


class SavedWatch:
    """Takes the scenarios saved meanwhile into one session's state.

    Parameters
    ----------
    state : SessionState
        The session; its baseline's ``saved_stamp`` is the stamp already taken in.
    """

    def __init__(self, state: SessionState) -> None:
        self.state = state
        self.stamp = state._bundled.saved_stamp
        self.loading = False
        self.doc: Any = None

    def start(self) -> SavedWatch:
        """Look at the file every :data:`POLL_MS` ms while the session lives (served only)."""
        doc = pn.state.curdoc
        if doc is not None and doc.session_context is not None:
            self.doc = doc
            doc.add_periodic_callback(self.check, POLL_MS)  # ends with the session
            _WATCHES.add(self)
        return self

    def check(self) -> None:
        """Take the saved scenarios in when the file changed since they were last read."""
        stamp = user_file_stamp()
        if stamp == self.stamp or self.loading:
            return
        self.loading = True
        state = self.state

        def load() -> tuple[Any, Any]:
            base = load_baseline(state.model_path, state.scenarios_path)
            return base, state.results_for(base)

        def take(result: Any) -> None:
            self.loading = False
            if isinstance(result, Exception):  # the model files themselves went wrong
                self.stamp = stamp  # shown when the next session starts; not again here
                return
            self.stamp = result[0].saved_stamp
            if result[0] is not state._bundled:
                state.take_saved(*result)

        with set_curdoc(self.doc):  # None outside a served session: runs at once
            run_in_worker(worker_pool("saved"), load, take)


def saved_here() -> None:
    """Tell every watching session of this server process to look at the file now."""
    for watch in list(_WATCHES):
        doc = watch.doc
        if doc is not None and doc.session_context is not None:
            doc.add_next_tick_callback(watch.check)
