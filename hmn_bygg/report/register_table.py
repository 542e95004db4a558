"""The register summary as a Tabell-1 style text table (bokmål) or plain JSON figures.

Takes the output of :func:`hmn_bygg.register.summary.register_summary` and lays it out for the
command line (``hmn-bygg register summary``, ``hmn-bygg main``) and for scripts (``--json``).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from hmn_bygg.core import paths
from hmn_bygg.core.fmt import fmt_number
from hmn_bygg.register import summary

_GROUP_HEADER = {"hf": "Foretak", "site": "Lokasjon", "use": "Formål"}
_TOTAL_LABEL = {"site": "Sum", "use": "Sum"}
"""The total row's label; by HF it is the region's name (``models/organisation.csv``)."""
_COLUMNS = (
    ("buildings", "Antall bygg", 0),
    ("floor_area_m2", "Areal (m²)", 0),
    ("weighted_age_years", "Alder (vektet)", 1),
    ("grade", "VTTG", 2),
    ("upgrade_need_mnok", "Oppgr.behov (MNOK)", 0),
)


def _total_label(by: str) -> str:
    if by == "hf":
        from hmn_bygg.config.region import load_region

        return load_region().authority.name("nb")
    return _TOTAL_LABEL[by]


def _group_names(by: str) -> dict[str, str]:
    if by == "site":
        return {}
    org = pd.read_csv(paths.models_dir() / "organisation.csv", dtype=str)
    org = org[org["kind"] == by]
    return dict(zip(org["code"], org["name_nb"], strict=True))


def _notes(table: pd.DataFrame) -> list[str]:
    """Return the footnotes (bokmål) of a summary table."""
    notes = [
        "Alder er arealvektet og regnet fra byggeår til registerets siste registreringsår "
        f"({int(table.attrs['survey_year'])})."
    ]
    if table.attrs["grade_origin"] == "building":
        notes.append(
            "Registeret har én tilstandsgrad per bygg, ikke per bygningsdel; VTTG er vektet "
            "gjennomsnitt av byggenes grader."
        )
    if table.attrs["weighting"] == "value":
        notes.append(
            "VTTG er vektet med gjenanskaffelsesverdi (areal × kr/m²); Tabell 1 oppgir ikke "
            "sin vekting."
        )
    if table.attrs["by"] == "hf":
        notes += summary.published_discrepancies()
        notes += summary.register_discrepancies(table)
    return notes


def _render_table(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    return [line(headers), *(line(r) for r in rows)]


def render_summary(table: pd.DataFrame) -> str:
    """Return a summary table as bokmål text in the layout of Tabell 1.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`hmn_bygg.register.summary.register_summary`.

    Returns
    -------
    str
        The table, the comparison with Tabell 1 (by HF) and numbered footnotes.
    """
    by = table.attrs["by"]
    names = _group_names(by)
    cols = [c for c in _COLUMNS if c[0] in table]
    headers = [_GROUP_HEADER[by], *(c[1] for c in cols)]
    rows = []
    for group, r in table.iterrows():
        total = group == summary.TOTAL
        label = _total_label(by) if total else names.get(str(group), str(group))
        rows.append([label, *(fmt_number(r[key], d) for key, _, d in cols)])
    weight = "arealvektet" if table.attrs["weighting"] == "area" else "verdivektet"
    lines = [f"Bygningsmasse per {_GROUP_HEADER[by].lower()} (VTTG {weight})", ""]
    lines += _render_table(headers, rows)
    if by == "hf":
        comp = summary.register_vs_published(table)
        lines += ["", "Sammenligning med Tabell 1 (utviklingsplan 2018): publisert / register"]
        rows = []
        for hf, r in comp.iterrows():
            label = _total_label(by) if hf == summary.TOTAL else str(hf)
            cells = [label]
            for key, _, d in cols[:4]:
                pd_ = summary.printed_decimals(key)
                cells.append(
                    f"{fmt_number(r[f'{key}_published'], pd_)} / "
                    f"{fmt_number(r[f'{key}_register'], d)}"
                )
            rows.append(cells)
        lines += _render_table([_GROUP_HEADER[by], *(c[1] for c in cols[:4])], rows)
    notes = _notes(table)
    if notes:
        lines += ["", "Merknader:"]
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
