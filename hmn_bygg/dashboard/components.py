"""Small page parts: key-figure cards, a legend shared by plots, notes, headings and Norwegian
table formatters."""

from __future__ import annotations

import html
from collections.abc import Sequence

import panel as pn

from hmn_bygg.core.fmt import Lang, fmt_number
from hmn_bygg.dashboard.charts import STATUS_COLOURS
from hmn_bygg.dashboard.text import status_word

MINUS = "\u2212"

CARD_CSS = """
:host { margin: 4px; }
.kpi { border: 1px solid #d9d9d9; border-left: 8px solid var(--c); border-radius: 6px;
       padding: 8px 12px; width: 210px; min-height: 92px; background: #fff;
       font-family: system-ui, sans-serif; }
.kpi .t { font-size: 13px; color: #444; }
.kpi .v { font-size: 24px; font-weight: 600; color: #111; margin: 2px 0; white-space: nowrap; }
.kpi .v.small { font-size: 16px; padding: 5px 0; }
.kpi .d { font-size: 12px; color: #555; }
.kpi .s { font-size: 12px; font-weight: 600; color: var(--c); }
"""


def kpi_card(
    title: str,
    value: str,
    detail: str = "",
    status: str | None = None,
    lang: Lang = "nb",
    *,
    test_id: str = "",
    words: str | None = None,
) -> pn.pane.HTML:
    """Return a key-figure card (see :func:`kpi_html` for the parameters)."""
    return pn.pane.HTML(
        kpi_html(title, value, detail, status, lang, test_id=test_id, words=words),
        stylesheets=[CARD_CSS],
        margin=0,
    )


def kpi_html(
    title: str,
    value: str,
    detail: str = "",
    status: str | None = None,
    lang: Lang = "nb",
    *,
    test_id: str = "",
    words: str | None = None,
) -> str:
    """Return the HTML of a key-figure card: a traffic-light border and the status in words.

    Parameters
    ----------
    title : str
        What the figure is, e.g. ``VTTG 2030``.
    value : str
        The figure, already formatted (``1,35``).
    detail : str
        Lines under the figure (``mål 1,2``), separated by ``\\n``.
    status : {"green", "amber", "red"}, optional
        Traffic light; ``None`` draws a grey border and no status words.
    lang : {"nb", "en"}
        Language of the status words.
    test_id : str
        ``data-testid`` of the card, for the browser tests.
    words : str, optional
        The status in words where the figure has no target (liquidity against its credit
        line); default the target words of ``status`` (``på mål``, ``nær mål``, ...).

    Returns
    -------
    str
        HTML styled by :data:`CARD_CSS`.
    """
    colour = STATUS_COLOURS.get(status or "", "#9e9e9e")
    said = html.escape(words) if words is not None else status_word(status, lang) if status else ""
    words = f'<div class="s">● {said}</div>' if status else ""
    return (
        f'<div class="kpi" style="--c:{colour}" data-testid="{html.escape(test_id)}">'
        f'<div class="t">{html.escape(title)}</div>'
        f'<div class="{"v small" if len(value) > 13 else "v"}">{html.escape(value)}</div>'
        + "".join(f'<div class="d">{html.escape(line)}</div>' for line in detail.split("\n"))
        + f"{words}</div>"
    )


def legend_html(entries: Sequence[tuple[str, str, str, float]]) -> str:
    """Return one legend for several plots, as HTML: a line sample and a label per entry.

    Parameters
    ----------
    entries : sequence of (label, colour, dash, width)
        The label (already in the page's language), the line colour, ``"solid"`` or
        ``"dashed"``, and the line width [px], as the plots draw the line.

    Returns
    -------
    str
        A row of inline SVG line samples with their labels (12 px text, as a plot legend).
    """
    items = []
    for label, colour, dash, width in entries:
        pattern = ' stroke-dasharray="6 4"' if dash == "dashed" else ""
        sample = (
            f'<svg width="30" height="10" aria-hidden="true"><line x1="0" y1="5" x2="30" y2="5"'
            f' stroke="{colour}" stroke-width="{width:g}"{pattern}/></svg>'
        )
        items.append(
            '<span style="display:inline-flex;align-items:center;gap:5px;margin-right:18px">'
            f"{sample}{html.escape(label)}</span>"
        )
    return (
        '<div data-testid="chart-legend" style="font-size:12px;color:#333;'
        f'font-family:system-ui,sans-serif">{"".join(items)}</div>'
    )


def fmt_signed(value: float, decimals: int = 0, lang: Lang = "nb", unit: str = "") -> str:
    """Format a change with its sign: ``+1,20``, ``−0,43``, ``0`` (a true minus sign).

    Examples
    --------
    >>> fmt_signed(-4554, 0)
    '\u22124 554'
    >>> fmt_signed(0.004, 2)
    '0,00'
    """
    text = fmt_number(value, decimals, lang)
    if text.startswith("-"):
        text = MINUS + text[1:]
    elif value > 0 and any(c not in "0,. " for c in text):
        text = "+" + text
    return text + unit


def fmt_value(value: float, decimals: int = 0, lang: Lang = "nb", unit: str = "") -> str:
    """Format a figure with a true minus sign when negative: ``−55 MNOK``."""
    text = fmt_number(value, decimals, lang)
    return (MINUS + text[1:] if text.startswith("-") else text) + unit


def note(text: str, kind: str = "info") -> pn.pane.Alert:
    """Return an alert box (``kind``: info, warning, danger, success) with Markdown text."""
    return pn.pane.Alert(text, alert_type=kind, sizing_mode="stretch_width")


def heading(text: str, level: int = 3) -> pn.pane.Markdown:
    """Return a Markdown heading."""
    return pn.pane.Markdown("#" * level + " " + text, margin=(4, 10, 0, 10))


def table_config(lang: Lang = "nb") -> dict[str, object]:
    """Return Tabulator options that put its own words (pagination) in ``lang``."""
    if lang != "nb":
        return {}
    pagination = {
        "first": "Første",
        "first_title": "Første side",
        "last": "Siste",
        "last_title": "Siste side",
        "prev": "Forrige",
        "prev_title": "Forrige side",
        "next": "Neste",
        "next_title": "Neste side",
        "all": "Alle",
        "page_size": "Rader per side",
        "counter": {"showing": "Viser", "of": "av", "rows": "rader", "pages": "sider"},
    }
    return {
        "locale": "nb",
        "langs": {"nb": {"pagination": pagination, "data": {"loading": "Laster", "error": "Feil"}}},
    }


def money_formatter(decimals: int = 0, lang: Lang = "nb") -> dict[str, object]:
    """Return a Tabulator number formatter with Norwegian (or English) separators."""
    return {
        "type": "money",
        "thousand": "\u00a0" if lang == "nb" else ",",
        "decimal": "," if lang == "nb" else ".",
        "precision": decimals,
    }


def rule() -> pn.pane.HTML:
    """Return a horizontal rule across the sidebar.

    Not ``pn.layout.Divider``: it builds its Bokeh model without the session's stylesheet
    address, so in a session made without the page render (a tab that reconnects late) it
    asks Panel's CDN for its stylesheet, which offline fails.
    """
    return pn.pane.HTML(
        "<hr>",
        sizing_mode="stretch_width",
        stylesheets=["hr { margin: 0 0 3px 0; }"],
        margin=(5, 10),
    )
