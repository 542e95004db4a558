"""The dashboard's panel on the record: plan year, investment room, validation, 2018 plan.

Shown on the Økonomi page. The validation table and the plan-vs-outcome table run the
scenarios ``today`` and ``plan_2018`` in nominal kroner (cached per session's models, price
basis and language) and show them in the session's price basis and language.
"""

from __future__ import annotations

import pandas as pd
import panel as pn

from hmn_bygg.core.fmt import fmt_number
from hmn_bygg.dashboard.state import SessionState
from hmn_bygg.dashboard.text import t
from hmn_bygg.report.record_texts import (
    READER_COLUMNS,
    basis_words,
    pvo_cells,
    validation_cells,
)

__all__ = ["record_panel"]

_CACHE: dict[tuple, tuple[pd.DataFrame, pd.DataFrame | None]] = {}


def _tables(models, prices: str, lang: str) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The validation and plan-vs-outcome tables in ``prices`` and ``lang`` (cached)."""
    key = (id(models.get("today")), id(models.get("plan_2018")), prices, lang)
    if key not in _CACHE:
        from hmn_bygg.engine.run import run_models
        from hmn_bygg.report.validation import plan_vs_outcome, validation_table

        both = {n: models[n] for n in ("today", "plan_2018") if n in models}
        ds = run_models(both, prices="nominal")
        pvo = (
            plan_vs_outcome(ds, both["plan_2018"], both["today"], prices=prices, lang=lang)
            if len(both) == 2
            else None
        )
        if len(_CACHE) > 8:
            _CACHE.clear()
        _CACHE[key] = (validation_table(ds, both["today"], prices=prices), pvo)
    return _CACHE[key]


def _decimals(kind: str) -> int | None:
    """Decimals for a figure of this kind or unit; ``None`` for a year (no digit grouping)."""
    kind = kind.lower()
    if "year" in kind or kind in ("år", "open_year"):
        return None
    return 2 if "vttg" in kind or kind.startswith("tg") else 0


def _fmt(frame: pd.DataFrame, cols: list[str], lang, kind: str | None = None) -> pd.DataFrame:
    """Format ``cols`` the Norwegian (or English) way; years plain, grades with 2 decimals.

    ``kind`` names the column that says what each row's figures are (``what`` or ``unit``).
    """
    out = frame.copy()
    kinds = out[kind].astype(str) if kind is not None else pd.Series("", index=out.index)
    for c in cols:
        cells = []
        for v, k in zip(out[c], kinds, strict=True):
            d = _decimals(k)
            if v != v:
                cells.append("–")
            elif d is None:
                cells.append(str(int(v)))
            else:
                cells.append(fmt_number(float(v), d, lang))
        out[c] = cells
    return out


def _basis(ds, lang) -> str:
    from hmn_bygg.finance.price_basis import basis_label

    prices = ds.attrs.get("prices")
    return basis_label(str(prices), lang) if prices else str(ds.attrs.get("price_basis", ""))


def record_panel(state: SessionState) -> pn.Column | None:
    """Return the panel, or ``None`` when the results or the scenarios do not allow it."""
    ds, lang = state.results, state.lang
    if "investment_room" not in ds or "today" not in state.models:
        return None
    plan = int(ds.attrs.get("plan_start", int(ds["year"][0]) + 1))
    # rename_axis, not ``columns.name = None``: the columns are the results' own ``hf`` index
    room = ds["investment_room"].sel(year=plan).to_pandas().rename_axis(columns=None)
    room = _fmt(room.reset_index(), [c for c in room.columns], lang)
    labels = getattr(state, "labels", {}) or {}
    room["scenario"] = [labels.get(s, {}).get(lang, s) for s in room["scenario"]]
    room = room.rename(columns={"scenario": "Scenario"})
    prices = str(ds.attrs.get("prices", "nominal"))
    validation, pvo = _tables(state.models, prices, lang)
    words = basis_words(prices, lang)
    v_heads, v_rows = validation_cells(validation, lang)
    keep = READER_COLUMNS  # what, HF, year, public, model, difference, within (no raw id)
    v = pd.DataFrame([[row[i] for i in keep] for row in v_rows], columns=[v_heads[i] for i in keep])
    parts = [
        pn.pane.Markdown(f"### {t('record_title', lang)}"),
        pn.pane.Markdown(t("record_intro", lang, plan=plan, basis=_basis(ds, lang))),
        pn.pane.Markdown(f"**{t('record_room', lang, plan=plan)}**"),
        pn.pane.DataFrame(room, index=False, sizing_mode="stretch_width"),
    ]
    if pvo is not None:
        p_heads, p_rows = pvo_cells(pvo, lang)
        p = pd.DataFrame(p_rows, columns=p_heads)
        parts += [pn.pane.Markdown(f"**{t('record_pvo', lang, basis=words)}**"),
                  pn.pane.DataFrame(p, index=False, sizing_mode="stretch_width")]  # fmt: skip
    parts += [pn.pane.Markdown(f"**{t('record_validation', lang, basis=words)}**"),
              pn.pane.DataFrame(v, index=False, sizing_mode="stretch_width")]  # fmt: skip
    return pn.Column(*parts, sizing_mode="stretch_width", css_classes=["record-panel"])
