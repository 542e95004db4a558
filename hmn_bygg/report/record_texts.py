"""Words of the record views in bokmål and English: the validation table, the 2018 plan
against the outcome.

One place for the labels that the CLI (``hmn-bygg validate``, ``hmn-bygg plan-vs-outcome``),
the results workbook, the dashboard and the board brief show beside the numbers of
:mod:`hmn_bygg.report.validation`, so that an English view has no bokmål left in it and a
bokmål view no English. :func:`validation_cells` and :func:`pvo_cells` turn the tables into
text cells with headings in one language.
"""

from __future__ import annotations

import math
from typing import Literal

import pandas as pd

from hmn_bygg.core.fmt import fmt_number

__all__ = [
    "PVO_ITEMS",
    "READER_COLUMNS",
    "money_unit",
    "pvo_basis",
    "pvo_cells",
    "record_text",
    "validation_cells",
]

Lang = Literal["nb", "en"]
UnitKind = Literal["frame", "year", "money", "money_year", "m2"]

PVO_ITEMS: dict[str, tuple[dict[str, str], UnitKind]] = {
    "snr_cost": ({"nb": "SNR: kostnadsramme", "en": "SNR: cost frame"}, "frame"),
    "snr_open": ({"nb": "SNR: åpningsår", "en": "SNR: opening year"}, "year"),
    "snr_spent_2020": ({"nb": "SNR: brukt t.o.m. 2020", "en": "SNR: spent to end of 2020"},
                       "money"),
    "hp_investment": ({"nb": "Helseplattformen: investering",
                       "en": "Helseplattformen: investment"}, "frame"),
    "hp_running": ({"nb": "Helseplattformen: driftskostnad",
                    "en": "Helseplattformen: running cost"}, "money_year"),
    "hp_live": ({"nb": "Helseplattformen: i bruk {hf}", "en": "Helseplattformen: live at {hf}"},
                "year"),  # one row per HF: hp_live_<HF>
    "area_2026": ({"nb": "Areal 2026 (avhending)", "en": "Floor area 2026 (disposals)"}, "m2"),
    "liquidity_2025": ({"nb": "Likviditet regionen 2025", "en": "Liquidity, region, 2025"},
                       "money"),
    "liquidity_2030": ({"nb": "Likviditet regionen 2030", "en": "Liquidity, region, 2030"},
                       "money"),
}  # fmt: skip
"""Each row of the plan-vs-outcome view: its label by language and the kind of its unit
(``hp_live`` stands for every ``hp_live_<HF>`` row)."""

_BASIS = {
    "snr_open": ("plan 2018 / åpnet juni 2025", "2018 plan / opened June 2025"),
    "snr_spent_2020": ("modell / ca. 600 MNOK nominelt (NRK)",
                       "model / about 600 MNOK nominal (NRK)"),
    "hp_investment": ("2 963 + 522 (2023)", "2,963 + 522 (2023)"),
    "area_2026": ("modell", "model"),
    "liquidity_2025": ("modell (ikke offentlig)", "model (not public)"),
    "liquidity_2030": ("modell (ikke offentlig)", "model (not public)"),
}  # fmt: skip

TEXTS: dict[str, tuple[str, str]] = {
    "validation_title": ("Validering mot offentlige tall, scenario {scenario} ({basis})",
                         "Validation against public figures, scenario {scenario} ({basis})"),
    "pvo_title": ("Planen fra 2018 mot utfallet ({basis})",
                  "The 2018 plan against the outcome ({basis})"),
    "summary": ("{ok} av {n} kontrollerte historiske tall ligger innenfor toleransen.",
                "{ok} of {n} checked history figures lie within the tolerance."),
    "heads_v": ("Id|Hva|Foretak|År|Offentlig|Modell|Avvik|Toleranse|Innenfor",
                "Id|What|HF|Year|Public|Model|Difference|Tolerance|Within"),
    "heads_p": ("Hva|Enhet|Plan 2018|Utfall|Avvik|Grunnlag",
                "What|Unit|2018 plan|Outcome|Difference|Basis"),
    "yes": ("ja", "yes"),
    "no": ("NEI", "NO"),
    "shown": ("vises", "shown"),
    "nominal": ("løpende kroner", "current kroner"),
    "real": ("faste {year}-kroner", "{year} kroner"),
    "year": ("år", "year"),
    "frame": ("MNOK (ramme)", "MNOK (frame)"),
}  # fmt: skip

WHAT: dict[str, tuple[str, str]] = {
    "operating_result": ("driftsresultat", "operating result"),
    "project_spend": ("prosjektkostnad i året", "project spending in the year"),
    "project_spend_to": ("prosjektkostnad t.o.m. året", "project spending to the year"),
    "building_spend": ("bygginvesteringer", "building investment"),
    "loan_drawn": ("statslån utbetalt", "state loan drawn"),
    "open_year": ("åpnet / i bruk", "opened / live"),
    "running_cost": ("driftskostnad", "running cost"),
    "floor_area": ("bruttoareal", "floor area"),
    "vttg": ("VTTG", "VTTG"),
}
"""The ``what`` codes of the actuals, as a reader says them."""

KIND: dict[str, tuple[str, str]] = {
    "actual": ("faktisk", "actual"),
    "forecast": ("prognose", "forecast"),
    "derived": ("avledet", "derived"),
}
"""The ``kind`` of an actual, as a reader says it."""

UNITS_NB: dict[str, str] = {"MNOK/year": "MNOK/år", "year": "år"}
"""Units of the actuals as a bokmål table shows them (the others read alike)."""


def record_text(key: str, lang: str, **fields: object) -> str:
    """Return one text of the record views in ``lang`` (``nb`` or ``en``), filled in."""
    return TEXTS[key][0 if lang == "nb" else 1].format(**fields)


def basis_words(prices: str, lang: str) -> str:
    """``løpende kroner`` / ``faste 2026-kroner`` (or the English) for a price basis."""
    if prices.startswith("real:"):
        return record_text("real", lang, year=prices.split(":", 1)[1])
    return record_text("nominal", lang)


def money_unit(kind: UnitKind, prices: str, lang: str) -> str:
    """The unit shown for a row of the plan-vs-outcome view."""
    if kind == "year":
        return record_text("year", lang)
    if kind == "m2":
        return "m²"
    per_year = "/år" if lang == "nb" else "/year"
    if not prices.startswith("real:"):  # stated amounts keep their own kroner (see basis)
        if kind == "frame":
            return record_text("frame", lang)
        if kind == "money_year":
            return f"MNOK{per_year}"
    return f"MNOK{per_year if kind == 'money_year' else ''}, {basis_words(prices, lang)}"


def pvo_basis(
    key: str, prices: str, lang: str, price_years: tuple[object, object] | None = None
) -> str:
    """The ``basis`` cell of a plan-vs-outcome row (where the figures come from)."""
    i = 0 if lang == "nb" else 1
    if key.startswith("hp_live_"):
        return ("plan / faktisk", "plan / actual")[i]
    if price_years is not None:
        a, b = price_years
        if prices.startswith("real:"):
            said = (f"fra {a}- og {b}-kroner", f"from {a} and {b} kroner")[i]
            return f"{said} → {basis_words(prices, lang)}"
        return (f"{a}- mot {b}-kroner", f"{a} vs {b} kroner")[i]
    return _BASIS[key][i]


def _n(value: float, unit: str, lang: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if unit in ("year", "år"):
        return str(round(float(value)))
    return fmt_number(float(value), 2 if unit == "TG" else 0, lang)  # type: ignore[arg-type]


def validation_cells(table: pd.DataFrame, lang: str) -> tuple[list[str], list[list[str]]]:
    """Return headings and text rows of a validation table in ``lang``.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`hmn_bygg.report.validation.validation_table`.
    lang : {"nb", "en"}
        Language and number format.

    Returns
    -------
    (list of str, list of list of str)
        ``Id, What, HF, Year, Public, Model, Difference, Tolerance, Within`` and one row per
        public figure; ``Within`` says yes/no, and ``(shown)`` when no test holds the row.
    """
    i = 0 if lang == "nb" else 1
    rows = []
    for r in table.itertuples():
        if r.what in ("open_year", "vttg"):
            tol = f"±{fmt_number(r.tolerance, 2, lang)}"  # type: ignore[arg-type]
        else:
            pct = fmt_number(100 * r.tolerance, 1 if r.tolerance < 0.01 else 0, lang)  # type: ignore[arg-type]
            tol = f"±{pct} %"
        ok = "–" if r.within != r.within else record_text("yes" if r.within else "no", lang)
        ok += "" if r.check else f" ({record_text('shown', lang)})"
        numbers = [_n(v, r.unit, lang) for v in (r.public, r.model, r.difference)]
        rows.append([r.id, WHAT[r.what][i], r.hf, str(r.year), *numbers, tol, ok])
    return record_text("heads_v", lang).split("|"), rows


READER_COLUMNS = (1, 2, 3, 4, 5, 6, 8)
"""The columns of :func:`validation_cells` a reader sees (brief, dashboard): what, HF, year,
public, model, difference, within; not the row's id (``hmr_result_2019``) or tolerance."""


def pvo_cells(table: pd.DataFrame, lang: str) -> tuple[list[str], list[list[str]]]:
    """Return headings and text rows of a plan-vs-outcome table (already in ``lang``)."""
    rows = []
    for r in table.itertuples():
        unit = "year" if r.unit in ("år", "year") else r.unit
        rows.append([r.item, r.unit, _n(r.plan, unit, lang), _n(r.outcome, unit, lang),
                     _n(r.difference, unit, lang), r.basis])  # fmt: skip
    return record_text("heads_p", lang).split("|"), rows
