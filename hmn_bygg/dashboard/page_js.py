"""JavaScript the served page runs once it is ready: a repaint that forces no needless restyling.

BokehJS (3.9) keeps the position of every part of a plot (axes, grids, glyphs, legend, title)
in a small ``<style>`` element and writes that element's text anew at every repaint, even
when the text is the same. Each write marks the page's styles stale, and Bokeh reads the
style of each drawn part (``getComputedStyle``, about 1 000 reads per what-if update), so the
browser recomputes styles again and again within one repaint. :data:`SAME_STYLE_JS` makes
such a write skip a text that is already there: the page looks exactly the same, and a
what-if update costs the browser about a third less work (measured in headless Chromium:
forced style recalculation 13 -> 4 ms of about 45 ms per update).

The script runs when the document is ready (:func:`install`), in every session; it changes
nothing when Bokeh's internals are not as expected (another Bokeh version), and marks the page
(``window.hmnSameStyle``) so that a browser test can see it is in force.
"""

from __future__ import annotations

from typing import Any

from bokeh.models import CustomJS

__all__ = ["SAME_STYLE_JS", "install"]

SAME_STYLE_JS = """
try {
  const sheet = window.Bokeh.require("core/dom").InlineStyleSheet;
  const proto = sheet && sheet.prototype;
  if (proto && typeof proto._update === "function" && !proto._update.hmnSameStyle) {
    const write = proto._update;
    const update = function (css) {
      if (this.el == null || this.el.textContent !== css) write.call(this, css);
    };
    update.hmnSameStyle = true;
    proto._update = update;
  }
  window.hmnSameStyle = Boolean(proto && proto._update.hmnSameStyle);
} catch (err) {
  window.hmnSameStyle = false;
}
"""
"""Make Bokeh's ``InlineStyleSheet`` skip writing the text it already holds (see above)."""


def install(doc: Any) -> None:
    """Run :data:`SAME_STYLE_JS` in the browser when ``doc`` is ready.

    Parameters
    ----------
    doc : bokeh.document.Document or None
        The session's document (``pn.state.curdoc``); ``None`` (no session) does nothing.
    """
    if doc is None:
        return
    doc.js_on_event("document_ready", CustomJS(code=SAME_STYLE_JS))
