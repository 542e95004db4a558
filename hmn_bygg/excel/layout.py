"""The layout of the assumptions workbook: which keys go on which sheet, and how.

See :mod:`hmn_bygg.excel.template` for the layout as a user sees it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from openpyxl.styles import PatternFill

from hmn_bygg.config import Model, is_year_path, key_index, resolve_key

__all__ = [
    "TEMPLATE_SHEETS",
    "TemplateRow",
    "price_year_of",
    "sheet_for",
    "template_rows",
    "template_years",
]

KEY, UNIT, VALUE, SOURCE, DESCRIPTION = "Nøkkel", "Enhet", "Verdi", "Kilde", "Beskrivelse"
LABEL = "Parameter"
"""The heading of the reader's name of a parameter (the dotted key is in the hidden ``Nøkkel``)."""
HIDDEN = (KEY, DESCRIPTION)
"""Columns the template hides: the dotted key (for the reader) and the English description."""
PRICE_YEAR = "Prisår"
"""The heading of the price-year column: a year or ``nominal`` for money, empty otherwise."""
ABOUT = "Les meg"
GREY = PatternFill("solid", fgColor="EEEEEE")
RowKind = Literal["value", "timed", "years"]

TEMPLATE_SHEETS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("Drift", ("finance",), "Driftsresultat, avskrivninger, støtte, MTU, levetider, priser"),
    (
        "Likviditet",
        (
            "finance.opening_liquidity_mnok",
            "finance.credit_limit_mnok",
            "finance.regional.opening_liquidity_mnok",
        ),
        "Inngående likviditet og driftskredittrammer",
    ),
    ("Investeringer", ("finance.projects",), "Investeringsprosjekter: kostnad, profil, drift"),
    ("Lån", ("finance.state_loan",), "Statslån: andel, løpetid, rente, profil"),
    ("Vedlikehold", ("maintenance",), "Vedlikeholdsbudsjett og prioritering"),
    ("Portefølje", ("portfolio",), "Salg, riving og FDV per m²"),
    ("Tilstand", ("model", "condition", "upgrade_cost"), "Mål, slitasje og kostnadsnormer"),
    ("Øvrige", ("",), "Andre parametre"),
)
"""(sheet name, dotted-key prefixes, description); a key goes to the longest matching prefix."""


@dataclass(frozen=True)
class TemplateRow:
    """One row of the assumptions workbook.

    Parameters
    ----------
    key : str
        Dotted config key.
    sheet : str
        Sheet the row is written to.
    kind : {"value", "timed", "years"}
        One value; a value per year (year path); a share per year (spend profile).
    value : Any
        The model's value.
    unit, source, description : str or None
        From the model.
    price_year : int, "nominal" or None
        The kroner of a money parameter (of its table, for an entry); ``None`` when it is not
        money.
    """

    key: str
    sheet: str
    kind: RowKind
    value: Any
    unit: str | None
    source: str | None
    description: str
    price_year: int | str | None = None


def price_year_of(model: Model, key: str) -> Any:
    """The price year of the parameter a dotted key belongs to (``None`` when not money)."""
    obj: Any = model
    for part in key.split("."):
        nxt = getattr(obj, part, None)
        if nxt is None:
            break
        obj = nxt
    return getattr(obj, "price_year", None)


def sheet_for(key: str) -> str:
    """Return the sheet a dotted key belongs to (longest matching prefix of TEMPLATE_SHEETS)."""
    best, length = TEMPLATE_SHEETS[-1][0], -1
    for name, prefixes, _ in TEMPLATE_SHEETS:
        for prefix in prefixes:
            if (not prefix or key == prefix or key.startswith(prefix + ".")) and len(
                prefix
            ) > length:
                best, length = name, len(prefix)
    return best


def _kind(value: Any, timed: bool) -> RowKind | None:
    if timed:
        return "timed"
    if isinstance(value, Mapping) and is_year_path(value):
        return "years"
    if value is None or isinstance(value, bool | int | float | str):
        return "value"
    return None


def template_rows(model: Model) -> tuple[list[TemplateRow], list[str]]:
    """Return the workbook rows of a model, and the keys that only the YAML file can set.

    Parameters
    ----------
    model : Model
        A validated model (a scenario).

    Returns
    -------
    rows : list of TemplateRow
        In key order.
    yaml_only : list of str
        Parameters whose values are lists or mappings of records.
    """
    index = key_index()
    with_entries = {i.key.rsplit(".", 1)[0] for i in index.values() if i.kind == "entry"}
    rows, yaml_only = [], []
    for key, info in index.items():
        if info.kind == "setting" or (info.kind == "leaf" and key in with_entries):
            continue
        r = resolve_key(model, key)
        kind = _kind(r.value, info.timed)
        if kind is None:
            yaml_only.append(key)
            continue
        row = TemplateRow(key, sheet_for(key), kind, r.value, r.unit, r.source, r.description,
                          price_year_of(model, key))  # fmt: skip
        rows.append(row)
    return rows, yaml_only


def template_years(model: Model, rows: list[TemplateRow]) -> list[int]:
    """Year columns: the model's years and any year of a spend profile."""
    years = set(range(model.model.start_year, model.model.end_year + 1))
    for row in rows:
        if row.kind == "years":
            years |= {int(y) for y in row.value}
    return sorted(years)


def headings(years: list[int]) -> list[Any]:
    """The headings of a topic sheet: name, unit, value, the years, price year, source, and the
    hidden key and description."""
    return [LABEL, UNIT, VALUE, *years, PRICE_YEAR, SOURCE, KEY, DESCRIPTION]
