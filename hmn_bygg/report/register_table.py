"""The register summary as a Tabell-1 style text table (bokmål or English) or plain JSON figures.

Takes the output of :func:`hmn_bygg.register.summary.register_summary` and lays it out for the
command line (``hmn-bygg register summary``, ``hmn-bygg main``) and for scripts (``--json``).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from hmn_bygg.core import paths
from hmn_bygg.core.fmt import Lang, fmt_number
from hmn_bygg.core.messages import Msg
from hmn_bygg.register import summary

_GROUP_HEADER = {
    "hf": Msg("register.head_hf"),
    "site": Msg("register.head_site"),
    "use": Msg("register.head_use"),
}
_PER = {
    "hf": Msg("register.per_hf"),
    "site": Msg("register.per_site"),
    "use": Msg("register.per_use"),
}
_COLUMNS = (
    ("buildings", Msg("register.head_buildings"), 0),
    ("floor_area_m2", Msg("register.head_area"), 0),
    ("weighted_age_years", Msg("register.head_age"), 1),
    ("grade", Msg("register.head_grade"), 2),
    ("upgrade_need_mnok", Msg("register.head_need"), 0),
)
"""Column, heading and decimals of the summary table (the words in register/messages.yaml)."""


def _total_label(by: str, lang: Lang) -> str:
    """The total row's label: by HF the region's name (``models/organisation.csv``), else Sum."""
    if by == "hf":
        from hmn_bygg.config.region import load_region

        return load_region().authority.name(lang)
    return Msg("register.total").render(lang)


def _group_names(by: str, lang: Lang) -> dict[str, str]:
    if by == "site":
        return {}
    org = pd.read_csv(paths.models_dir() / "organisation.csv", dtype=str)
    org = org[org["kind"] == by]
    return dict(zip(org["code"], org[f"name_{lang}"], strict=True))


def _notes(table: pd.DataFrame, lang: Lang = "nb") -> list[str]:
    """Return the footnotes of a summary table in ``lang``."""
    notes = [Msg("register.note_age", year=str(int(table.attrs["survey_year"]))).render(lang)]
    if table.attrs["grade_origin"] == "building":
        notes.append(Msg("register.note_grade_per_building").render(lang))
    if table.attrs["weighting"] == "value":
        notes.append(Msg("register.note_value_weighting").render(lang))
    if table.attrs["by"] == "hf":
        notes += summary.published_discrepancies(lang)
        notes += summary.register_discrepancies(table, lang)
    return notes


def _render_table(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    return [line(headers), *(line(r) for r in rows)]


def render_summary(table: pd.DataFrame, lang: Lang = "nb") -> str:
    """Return a summary table as text in the layout of Tabell 1.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`hmn_bygg.register.summary.register_summary`.
    lang : {"nb", "en"}
        Language of the headings, names and footnotes; numbers are formatted the same way
        (``709 719`` and ``1,45`` in bokmål, ``709,719`` and ``1.45`` in English).

    Returns
    -------
    str
        The table, the comparison with Tabell 1 (by HF) and numbered footnotes.
    """
    by = table.attrs["by"]
    names = _group_names(by, lang)
    cols = [c for c in _COLUMNS if c[0] in table]
    headers = [_GROUP_HEADER[by].render(lang), *(c[1].render(lang) for c in cols)]
    rows = []
    for group, r in table.iterrows():
        total = group == summary.TOTAL
        label = _total_label(by, lang) if total else names.get(str(group), str(group))
        rows.append([label, *(fmt_number(r[key], d, lang) for key, _, d in cols)])
    area = table.attrs["weighting"] == "area"
    weight = Msg("register.area_weighted") if area else Msg("register.value_weighted")
    lines = [Msg("register.summary_title", group=_PER[by], weight=weight).render(lang), ""]
    lines += _render_table(headers, rows)
    if by == "hf":
        comp = summary.register_vs_published(table)
        lines += ["", Msg("register.compared_with_table_1").render(lang)]
        rows = []
        for hf, r in comp.iterrows():
            label = _total_label(by, lang) if hf == summary.TOTAL else str(hf)
            cells = [label]
            for key, _, d in cols[:4]:
                pd_ = summary.printed_decimals(key)
                cells.append(
                    f"{fmt_number(r[f'{key}_published'], pd_, lang)} / "
                    f"{fmt_number(r[f'{key}_register'], d, lang)}"
                )
            rows.append(cells)
        lines += _render_table(headers[:5], rows)
    notes = _notes(table, lang)
    if notes:
        lines += ["", Msg("register.notes_heading").render(lang)]
        lines += [f"{i}) {n}" for i, n in enumerate(notes, start=1)]
    return "\n".join(lines)


def _plain(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return _plain(value.item())
    return value


def summary_json(table: pd.DataFrame, sources: list[str] | None = None) -> dict[str, Any]:
    """Return the figures of a summary table as plain JSON-ready data.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`hmn_bygg.register.summary.register_summary`.
    sources : list of str, optional
        Files the register was read from.

    Returns
    -------
    dict
        ``by``, ``weighting``, ``survey_year``, ``grade_origin``, ``sources``, ``rows`` (one
        dict per group, plain numbers in m², years, TG and MNOK), ``total`` (the region row),
        and by HF also ``published`` (Tabell 1 next to the register) and ``published_checks``;
        ``notes`` are the footnotes in bokmål.
    """

    def record(group: str, r: pd.Series) -> dict[str, Any]:
        out: dict[str, Any] = {"group": group}
        for k, v in r.items():
            is_count = str(k).startswith("buildings") and not str(k).endswith("matches")
            out[str(k)] = int(v) if is_count else _plain(v)
        return out

    rows = [record(str(g), r) for g, r in table.iterrows() if g != summary.TOTAL]
    out: dict[str, Any] = {
        "by": table.attrs["by"],
        "weighting": table.attrs["weighting"],
        "survey_year": int(table.attrs["survey_year"]),
        "grade_origin": table.attrs["grade_origin"],
        "sources": list(sources or []),
        "rows": rows,
        "total": record(summary.TOTAL, table.loc[summary.TOTAL]),
    }
    if table.attrs["by"] == "hf":
        comp = summary.register_vs_published(table)
        out["published"] = [record(str(h), r) for h, r in comp.iterrows()]
        out["published_checks"] = [
            {k: _plain(v) for k, v in c.items()} for c in summary.published_checks()
        ]
    out["notes"] = _notes(table)
    return out
