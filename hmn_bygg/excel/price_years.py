"""The ``Prisår`` column of the assumptions workbook: each money parameter's price year.

A money parameter's amounts are in kroner of its price year (a year, or ``nominal``). The
workbook shows it beside the amounts, and a user may change it (then the amounts are read as
kroner of the new year). :func:`read_price_year` reads one cell; :func:`fold_price_years`
turns the changed ones into overrides: ``{value, price_year}`` on the parameter, and for a
table (one row per HF or part) on the whole table, since its entries share one price year.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hmn_bygg.config import key_index
from hmn_bygg.core.messages import Msg
from hmn_bygg.excel.layout import TemplateRow
from hmn_bygg.excel.sheet_reader import SheetReader, Where
from hmn_bygg.excel.template_sheets import YEARS

__all__ = ["fold_price_years", "read_price_year"]

_NOMINAL = ("nominal", "løpende", "løpende kroner")


def read_price_year(reader: SheetReader, raw: Any, where: str, row: int) -> int | str | None:
    """Return a ``Prisår`` cell as a year or ``nominal``; ``None`` when empty or not meant
    (then a problem naming the cell is in ``reader``)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if not reader.usable(raw, where, row):
        return None
    year: int | str
    if isinstance(raw, int | float) and not isinstance(raw, bool) and float(raw).is_integer():
        year = int(raw)
    else:
        text = str(raw).strip().casefold()
        year = "nominal" if text in _NOMINAL else int(text) if text.isdigit() else text
    if year == "nominal" or (isinstance(year, int) and year in YEARS):
        return year
    reader.problem(Msg("excel.not_a_price_year"), where, row, Msg("excel.a_price_year"), raw)
    return None


def _form(override: Any) -> dict[str, Any]:
    """An override as ``{value: ..., ...}`` (a year path ``{2018: 1.0}`` is a bare value)."""
    if isinstance(override, Mapping) and "value" in override:
        return dict(override)
    return {"value": override}


def fold_price_years(
    reader: SheetReader,
    by_key: Mapping[str, TemplateRow],
    values: Mapping[str, tuple[Any, str | None, Where]],
    price_years: Mapping[str, tuple[int | str, str, int]],
    overrides: dict[str, Any],
) -> None:
    """Add the changed price years to ``overrides``, in place.

    Parameters
    ----------
    reader : SheetReader
        Receives the problems: a price year on a parameter that is not money; entries of one
        table with different price years.
    by_key : mapping of str to TemplateRow
        The template's rows (with the model's price years).
    values : mapping
        Each key's value as read, its source and where (``ReadValues.values``).
    price_years : mapping of str to (year, cell, row)
        The ``Prisår`` cells given.
    overrides : dict
        The overrides so far (changed values and sources); a changed price year becomes
        ``{value, price_year[, source]}`` on the parameter, or on the table of an entry (its
        entries' overrides folded into it).
    """
    index = key_index()
    tables: dict[str, list[tuple[str, int | str, str, int]]] = {}
    for key, (year, cell, row) in price_years.items():
        current = by_key[key].price_year
        if current is None:
            reader.problem(Msg("excel.price_year_not_money"), cell, row,
                           Msg("excel.an_empty_cell"), year)  # fmt: skip
            continue
        if index[key].kind == "entry":
            tables.setdefault(key.rsplit(".", 1)[0], []).append((key, year, cell, row))
        elif year != current:
            form = _form(overrides.get(key, values[key][0]))
            form["price_year"] = year
            overrides[key] = form
    for table, given in tables.items():
        current = by_key[given[0][0]].price_year
        years = {year for _, year, _, _ in given}
        if len(years) > 1 or (years != {current} and len(given) < _entries(by_key, table)):
            key, year, cell, row = next(g for g in given if g[1] != current)
            one = Msg("excel.one_price_year", year=str(year), table=table, current=str(current))
            reader.problem(Msg("excel.price_years_differ"), cell, row, one, year)
            continue
        (year,) = years
        if year == current:
            continue
        table_form: dict[str, Any] = {"value": {}, "price_year": year}
        for key, spec in by_key.items():
            if key.rsplit(".", 1)[0] != table or index[key].kind != "entry":
                continue
            given_value = values[key][0] if key in values else spec.value
            entry = _form(overrides.pop(key, given_value))
            table_form["value"][index[key].entry] = entry["value"]
            if "source" in entry:
                table_form["source"] = entry["source"]
        overrides[table] = table_form


def _entries(by_key: Mapping[str, TemplateRow], table: str) -> int:
    return sum(1 for key in by_key if key.rsplit(".", 1)[0] == table)
