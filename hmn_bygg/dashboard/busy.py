"""A page's busy state: shown from the moment its inputs change until every output is updated.

:class:`Busy` holds a small status line (``data-testid="<name>-status"`` with ``data-state``
``busy`` or ``ready`` and the generation it is for) and the panes it greys out while a
computation runs. A page tags each computation with a generation number and calls
:meth:`Busy.ready` only for the newest, so a result that a newer change has made out of date
never clears the busy state.

The panes are greyed by their inline style (``opacity``), not by Panel's ``loading``
spinner: ``loading`` changes a pane's CSS classes, and Bokeh lays out the whole page again
on every CSS-class change (about 100 ms a time in Chromium on the what-if page, twice per
change), while a style change only repaints the pane. The status line keeps its height when
it is empty, so that the page below it does not move (and is not laid out again) when the
busy state comes and goes.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

import panel as pn

from hmn_bygg.core.fmt import Lang
from hmn_bygg.dashboard.text import t

__all__ = ["Busy"]

CSS = """
:host { min-height: 18px; }
.busy-status { font-size: 12px; min-height: 18px; color: #555; }
.busy-status [data-state="busy"] { color: #8a5a00; font-weight: 600; }
"""
GREYED = {"opacity": "0.45"}
"""Inline style of a pane while busy [CSS]; ready panes get ``NORMAL``."""
NORMAL = {"opacity": "1"}


class Busy:
    """The busy state of one page.

    Parameters
    ----------
    name : str
        Prefix of the status line's test id (``whatif`` -> ``whatif-status``).
    panes : sequence of panel objects
        The outputs that are greyed out while busy.
    """

    def __init__(self, name: str, panes: Sequence[Any] = ()) -> None:
        self.name = name
        self.panes = list(panes)
        self.generation = 0
        self.state = "ready"
        self.status = pn.pane.HTML("", stylesheets=[CSS], css_classes=["busy-status"], margin=0)

    def _show(self, state: str, generation: int, lang: Lang) -> None:
        self.state, self.generation = state, generation
        text = t(f"{self.name}_{state}", lang) if state == "busy" else ""
        look = GREYED if state == "busy" else NORMAL
        with pn.io.hold():  # the status line and the greyed panes in one message
            self.status.object = (
                f'<span data-testid="{self.name}-status" data-state="{state}" '
                f'data-gen="{generation}">{escape(text)}</span>'
            )
            for pane in self.panes:
                if pane.styles != look:
                    pane.styles = dict(look)

    def busy(self, generation: int, lang: Lang) -> None:
        """Show that the outputs are being recomputed for ``generation``."""
        self._show("busy", generation, lang)

    def ready(self, generation: int, lang: Lang) -> None:
        """Show the outputs as up to date, if ``generation`` is the newest asked for."""
        if generation >= self.generation:
            self._show("ready", generation, lang)
