"""The language switch, on the server side: new tab titles, and only the visible page built.

With every page visited once, a language change used to render every page again (10–25 s in
the browser); now the pages are built again only when shown. The browser side of it is in
``test_dashboard_browser.py``.
"""

from __future__ import annotations

import panel as pn
import pytest
from bokeh.document import Document

from hmn_bygg.dashboard.app import PAGE_KEYS, Dashboard
from hmn_bygg.dashboard.state import SessionState
from hmn_bygg.dashboard.text import WORDS

# Bokeh's ColumnDataSource.from_df (tables on the pages) calls reset_index(inplace=True), which
# pandas 3.1 deprecates; Bokeh's, not ours (the served app runs without warnings as errors).
pytestmark = pytest.mark.filterwarnings(
    "ignore:The inplace keyword in DataFrame.reset_index:pandas.errors.Pandas4Warning"
)

NB_TITLES = [WORDS[f"page_{k}"][0] for k in PAGE_KEYS]
EN_TITLES = [WORDS[f"page_{k}"][1] for k in PAGE_KEYS]


@pytest.fixture
def served():
    """A dashboard in a Bokeh document, as the server holds it for one session."""
    doc = Document()
    old = pn.state.curdoc
    pn.state.curdoc = doc
    try:
        state = SessionState()
        dash = Dashboard(state)
        doc.add_root(dash.layout().get_root(doc))
        yield state, dash, doc
    finally:
        pn.state.curdoc = old


def _titles(doc: Document) -> list[str]:
    (tabs,) = [m for m in doc.models if type(m).__name__ == "Tabs"]
    return [p.title for p in tabs.tabs]


@pytest.mark.slow
def test_language_change_retitles_tabs_and_builds_only_the_visible_page(served):
    state, dash, doc = served
    assert _titles(doc) == NB_TITLES
    for i in range(len(PAGE_KEYS)):  # every page visited once
        dash.tabs.active = i
    assert all(len(dash.slots[k]) == 1 for k in PAGE_KEYS)
    dash.tabs.active = PAGE_KEYS.index("whatif")
    state.lang = "en"
    assert _titles(doc) == EN_TITLES
    built = [k for k in PAGE_KEYS if len(dash.slots[k])]
    assert built == ["whatif"]
    assert dash.tabs.active == PAGE_KEYS.index("whatif")
    assert dash.labels["scenario"].object == "**Scenario**"
    assert dash.labels["register"].object == "**Building register**"
    assert "buildings" in dash.register_info.object
    assert dash.download.filename == "styrenotat.pdf"
    dash.tabs.active = PAGE_KEYS.index("risk")  # a page is built in the language when shown
    assert [k for k in PAGE_KEYS if len(dash.slots[k])] == ["whatif", "risk"]
    state.lang = "nb"
    assert _titles(doc) == NB_TITLES
    assert [k for k in PAGE_KEYS if len(dash.slots[k])] == ["risk"]
    assert "bygg" in dash.register_info.object
