"""Forutsetninger: every parameter of the chosen scenario with value, unit and source."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import panel as pn

from hmn_bygg.config import Model, key_index, resolve_key
from hmn_bygg.config.param_labels import param_label, project_names, unit_label
from hmn_bygg.core.fmt import Lang, fmt_number
from hmn_bygg.dashboard.state import SessionState
from hmn_bygg.dashboard.text import scenario_name, t
from hmn_bygg.report.source_texts import source_text


def format_value(value: Any, lang: Lang = "nb") -> str:
    """Format a scalar, table or year path with Norwegian numbers: ``{HMR: 100, HNT: 40}``."""
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {format_value(v, lang)}" for k, v in value.items())
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int) and 1800 <= value <= 2200:
        return str(value)  # a year
    if isinstance(value, int | float):
        v = float(value)
        dec = 0 if v.is_integer() else min(len(repr(v).split(".")[1]), 4)
        return fmt_number(v, dec, lang)
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value)
    return str(value)


def assumptions_table(model: Model, lang: Lang = "nb") -> pd.DataFrame:
    """Return one row per parameter and setting (table entries are shown inside their table).

    Returns
    -------
    pandas.DataFrame
        Columns key, value, unit, source (in bokmål from ``report/source_texts.yaml``),
        description (in bokmål the parameter's label, ``config/param_labels.yaml``).
    """
    rows = []
    projects = project_names(model)
    for key, info in key_index().items():
        if info.kind == "entry":
            continue
        r = resolve_key(model, key)
        rows.append(
            {
                "key": key,
                "value": format_value(r.value, lang),
                "unit": unit_label(r.unit or "", lang),
                "source": source_text(r.source or "", lang),  # in bokmål as the brief has it
                # in bokmål the reader's name of the parameter (the model's help is English)
                "description": param_label(key, lang, projects) if lang == "nb" else r.description,
            }
        )
    return pd.DataFrame(rows)


def build(state: SessionState) -> pn.Column:
    """Return the assumptions page with a search box and header filters."""
    lang: Lang = state.lang
    df = assumptions_table(state.model, lang)
    search = pn.widgets.TextInput(
        label=t("filter", lang), placeholder="maintenance, SNR, …", width=360
    )
    titles = {c: t(c, lang) for c in ("key", "value", "unit", "source", "description")}
    table = pn.widgets.Tabulator(
        df,
        titles=titles,
        show_index=False,
        disabled=True,
        layout="fit_data_table",
        header_filters={
            "key": {"type": "input", "func": "like"},
            "source": {"type": "input", "func": "like"},
        },
        widths={"key": 250, "value": 190, "unit": 70, "source": 360, "description": 300},
        formatters={
            "key": {"type": "textarea"},
            "source": {"type": "textarea"},
            "description": {"type": "textarea"},
            "value": {"type": "textarea"},
        },
        sizing_mode="stretch_width",
        height=620,
    )

    def match(frame: pd.DataFrame, text: str) -> pd.DataFrame:
        if not text:
            return frame
        hay = frame.astype(str).agg(" ".join, axis=1).str.lower()
        return frame[hay.str.contains(text.lower(), regex=False)]

    table.add_filter(pn.bind(match, text=search.param.value_input))
    intro = pn.pane.Markdown(
        t("assumptions_intro", lang, scenario=scenario_name(state.scenario, lang, state.labels)),
        sizing_mode="stretch_width",
    )
    return pn.Column(intro, search, table, sizing_mode="stretch_width")
