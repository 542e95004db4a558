"""The dashboard needs nothing from the internet: every stylesheet of its page is served by
the dashboard's own server, also in a session made without the page render (a tab that
reconnects after its first session expired builds its models straight into the document)."""

from __future__ import annotations

import panel as pn
import pytest
from bokeh.document import Document
from bokeh.models import ImportedStyleSheet
from panel.io.resources import CDN_DIST, LOCAL_DIST
from panel.io.state import set_curdoc

from hmn_bygg.dashboard.app import Dashboard
from hmn_bygg.dashboard.state import SessionState

pytestmark = pytest.mark.slow  # builds the whole page on the bundled model


def test_no_stylesheet_of_the_page_comes_from_a_cdn():
    pn.extension("tabulator", inline=True)
    doc = Document()
    doc._template_variables["dist_url"] = LOCAL_DIST  # what serve_stylesheets_here sets
    with set_curdoc(doc):
        root = Dashboard(SessionState()).layout().get_root(doc)
    urls = [str(s.url) for s in root.select({"type": ImportedStyleSheet})]
    assert urls, "the page has no imported stylesheets: the check would check nothing"
    assert [u for u in urls if u.startswith(CDN_DIST)] == []
