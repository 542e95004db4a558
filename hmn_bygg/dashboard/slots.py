"""The page slots of the dashboard's tabs: a placeholder until a page is built, one update.

A page is built when its tab is shown (:class:`hmn_bygg.dashboard.app.Dashboard`); until then
its slot holds :func:`placeholder` (a spinner and "Henter …"), so a tab is never blank.
:func:`one_update` sends a set of changes to the browser as one message.
"""

from __future__ import annotations

import contextlib
import html
from collections.abc import Iterable, Iterator

import panel as pn

from hmn_bygg.core.fmt import Lang
from hmn_bygg.dashboard.text import t

__all__ = ["is_placeholder", "new_slots", "one_update", "placeholder", "served"]

PLACEHOLDER_CSS = ".page-loading { color: #555; font-size: 15px; margin: 24px 8px; }"


def placeholder(key: str, lang: Lang) -> pn.Row:
    """Return what a page's slot shows at once while the page is built: a spinner and a line.

    The line carries ``data-testid="page-loading"`` and the page's key, for the browser tests.
    """
    text = html.escape(t("page_loading", lang, page=t(f"page_{key}", lang)))
    return pn.Row(
        pn.indicators.LoadingSpinner(value=True, size=28, margin=(24, 4, 0, 10)),
        pn.pane.HTML(
            f'<div class="page-loading" data-testid="page-loading" data-page="{key}">{text}</div>',
            stylesheets=[PLACEHOLDER_CSS],
        ),
        sizing_mode="stretch_width",
        name="page-placeholder",
    )


def is_placeholder(slot: pn.Column) -> bool:
    """Whether a page's slot holds its placeholder (not a page)."""
    return len(slot) == 1 and getattr(slot[0], "name", "") == "page-placeholder"


def new_slots(keys: Iterable[str], lang: Lang | None = None) -> dict[str, pn.Column]:
    """Return a column for each page of ``keys``, by key (pages are built when shown).

    With ``lang`` (a served session) each holds the page's placeholder in that language, so
    a tab shows it the moment it is chosen; without, the columns are empty.
    """
    return {
        k: pn.Column(*([placeholder(k, lang)] if lang else []), sizing_mode="stretch_width", name=k)
        for k in keys
    }


def served() -> bool:
    """Whether the code runs in a served session (a browser is on the other end)."""
    doc = pn.state.curdoc
    return doc is not None and doc.session_context is not None


@contextlib.contextmanager
def one_update() -> Iterator[None]:
    """Send the session's changes made inside to the browser together, as one message.

    Panel's own dispatch (:func:`panel.io.document.unlocked`, which Panel uses for its own
    updates and :func:`panel.io.hold` wraps): the changes are collected and written to the
    browser as one ``PATCH-DOC`` message, queued behind any message still being written, so
    the browser applies them in one step and lays the page out once (a language switch
    shows no frame with both languages). Bokeh's own hold would send one message per change.
    The what-if page's results go through the same queue (``pn.io.hold``), so they never
    overtake the page they belong to. Outside a served session it does nothing.
    """
    from panel.io.document import unlocked

    doc = pn.state.curdoc
    if doc is None or doc.session_context is None:
        yield
        return
    with unlocked():
        yield
