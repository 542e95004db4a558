"""Utvikling: each later survey of the register beside what the plan expected, with causes.

The same table as ``hmn-bygg track`` and the sheet "Utvikling"
(:func:`hmn_bygg.report.track_run.track_model`, words from
:mod:`hmn_bygg.report.track_texts`): region, HF and site, the plan's VTTG, the surveyed VTTG,
the difference split into causes, and the warnings across the surveys. The comparison runs
the plan scenario once per model and register folder (cached for every session).
"""

from __future__ import annotations

import threading
from html import escape

import panel as pn

from hmn_bygg.core.errors import InputError
from hmn_bygg.core.fmt import Lang
from hmn_bygg.dashboard.components import heading, note
from hmn_bygg.dashboard.state import SessionState
from hmn_bygg.report.track_run import PLAN_SCENARIO, Tracking, track_model
from hmn_bygg.report.track_texts import track_cells, track_text

_CACHE: dict[str, Tracking] = {}
_LOCK = threading.Lock()
TABLE_CSS = (
    "table { border-collapse: collapse; font-size: 13px; }"
    " th, td { padding: 3px 8px; border-bottom: 1px solid #dde2e7; text-align: right; }"
    " th { background: #f4f6f8; } td.l, th.l { text-align: left; }"
)


def tracking(state: SessionState) -> Tracking:
    """Return the tracking of the session's model (computed once per model file)."""
    model = state.models[PLAN_SCENARIO]
    key = str(model.file)
    with _LOCK:
        if key not in _CACHE:
            _CACHE[key] = track_model(scenarios={PLAN_SCENARIO: model},
                                      levels=("region", "hf", "site"))  # fmt: skip
        return _CACHE[key]


def table_html(t: Tracking, lang: Lang) -> str:
    """Return the tracking table as an HTML table (every cell escaped)."""
    heads, rows = track_cells(t.table, lang)
    left = 3
    head = "".join(f'<th class="{"l" if i < left else ""}">{escape(h)}</th>'
                   for i, h in enumerate(heads))  # fmt: skip
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="{"l" if i < left else ""}">{escape(c)}</td>' for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f'<table data-testid="progress-table"><tr>{head}</tr>{body}</table>'


def build(state: SessionState) -> pn.Column:
    """Return the progress page in the session's language."""
    lang = state.lang
    if PLAN_SCENARIO not in state.models:
        return pn.Column(note(track_text("no_plan", lang, plan=PLAN_SCENARIO)))
    try:
        t = tracking(state)
    except InputError as err:
        return pn.Column(note(escape(err.render(lang)), "danger"))
    parts: list = [heading(track_text("title", lang, plan=PLAN_SCENARIO, base=t.base_year))]
    if t.synthetic_years:
        years = ", ".join(str(y) for y in t.synthetic_years)
        parts.append(note(track_text("synthetic", lang, years=years), "warning"))
    if t.table.empty:
        parts.append(note(track_text("no_later_survey", lang, base=t.base_year, folder=t.folder)))
        return pn.Column(*parts, sizing_mode="stretch_width")
    parts.append(pn.pane.HTML(table_html(t, lang), stylesheets=[TABLE_CSS]))
    parts.append(pn.pane.Markdown(track_text("causes_note", lang)))
    if t.warnings:
        items = "".join(f"<li>{escape(w.render(lang))}</li>" for w in t.warnings)
        parts.append(pn.pane.HTML(f"<b>{escape(track_text('warnings', lang))}</b><ul>{items}</ul>"))
    return pn.Column(*parts, sizing_mode="stretch_width")
