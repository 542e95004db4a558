"""The register's columns as ``hmn_bygg/register/columns.csv`` defines them: what each column
may hold (:class:`ColumnSpec`), the headings accepted for it, and matching a table's headings
to columns.

Nothing here is code-defined: types, bounds, requirement and aliases come from the column
table (read through :func:`hmn_bygg.register.model.columns_table`). The values of the rows
are checked in :mod:`hmn_bygg.register.checks`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from hmn_bygg.core.errors import Problem
from hmn_bygg.core.messages import Msg
from hmn_bygg.register.model import columns_table
from hmn_bygg.register.table import RawTable, norm_key

TABLES = ("buildings", "parts")


IGNORE = ""
"""Mapping target that means "ignore this heading"."""


@dataclass(frozen=True)
class ColumnSpec:
    """One row of ``register_columns.csv``: what a register column may hold."""

    table: str
    name: str
    type: str
    unit: str
    required: bool
    lo: float | None
    hi: float | None
    aliases: tuple[str, ...]
    description: str

    @property
    def numeric(self) -> bool:
        """True for ``float`` and ``int`` columns."""
        return self.type in ("float", "int")

    @property
    def positive(self) -> bool:
        """True when the value must be > 0 (a ``float`` with ``min`` 0 and no ``max``)."""
        return self.type == "float" and self.lo == 0 and self.hi is None

    @property
    def not_future(self) -> bool:
        """True for a year column without a ``max``: the value may not pass this year."""
        return self.unit == "year" and self.hi is None

    def range_text(self, this_year: int | None = None) -> str:
        """Return the allowed values in words, e.g. ``"from 0 to 3"`` or ``"> 0"``.

        Parameters
        ----------
        this_year : int, optional
            The current year, for year columns that may not lie in the future; when None,
            the words "this year" stand in (for the documentation).
        """
        hi = self.hi
        hi_text = None if hi is None else f"{hi:g}"
        if self.not_future:
            hi_text = "this year" if this_year is None else str(this_year)
        if self.positive:
            return "> 0"
        if self.lo is not None and hi_text is not None:
            return f"from {self.lo:g} to {hi_text}"
        if self.lo is not None:
            return f"≥ {self.lo:g}"
        if hi_text is not None:
            return f"≤ {hi_text}"
        return ""

    def range_msg(self, this_year: int) -> Msg | None:
        """Return the allowed values as a message (:meth:`range_text` in either language)."""
        lo = None if self.lo is None else f"{self.lo:g}"
        hi = None if self.hi is None else f"{self.hi:g}"
        if self.not_future:
            hi = str(this_year)
        if self.positive:
            return Msg("register.range_positive")
        if lo is not None and hi is not None:
            return Msg("register.range_from_to", low=lo, high=hi)
        if lo is not None:
            return Msg("register.range_at_least", low=lo)
        if hi is not None:
            return Msg("register.range_at_most", high=hi)
        return None

    def expected(self, this_year: int) -> Msg:
        """Return what a valid value looks like, for :attr:`Problem.expected`.

        E.g. "a number > 0 [m²]", "a year from 1800 to 2025" ("et årstall fra 1800 til 2025").
        """
        kind = (
            Msg("register.kind_whole_number") if self.type == "int" else Msg("register.kind_number")
        )
        if self.unit == "year":
            kind = Msg("register.kind_year")
        span = self.range_msg(this_year)
        unit = _UNITS.get(self.unit, self.unit) if self.unit != "year" else ""
        if span is not None and unit:
            return Msg("register.value_range_unit", kind=kind, range=span, unit=unit)
        if span is not None:
            return Msg("register.value_range", kind=kind, range=span)
        if unit:
            return Msg("register.value_unit", kind=kind, unit=unit)
        return kind


_UNITS: dict[str, Msg] = {
    "NOK/m²": Msg("register.unit_nok_per_m2"),
    "grade 0–3": Msg("register.unit_grade"),
    "fraction": Msg("register.unit_fraction"),
}
"""Units of ``columns.csv`` written differently in bokmål (the others, m², TG 0–3, are the same)."""


def _bound(text: str) -> float | None:
    return float(text) if text.strip() else None


@cache
def specs(table: str) -> dict[str, ColumnSpec]:
    """Return the column definitions of ``"buildings"`` or ``"parts"`` in file order."""
    rows = columns_table()
    rows = rows[rows["table"] == table]
    return {
        r["name"]: ColumnSpec(
            table=table,
            name=r["name"],
            type=r["type"],
            unit=r["unit"],
            required=r["required"].strip().lower() == "yes",
            lo=_bound(r["min"]),
            hi=_bound(r["max"]),
            aliases=tuple(a.strip() for a in r["aliases"].split("|") if a.strip()),
            description=r["description"],
        )
        for _, r in rows.iterrows()
    }


@cache
def heading_lookup(table: str) -> dict[str, str]:
    """Return folded heading (name or alias) -> column name for one table.

    Raises
    ------
    ValueError
        When two columns of the table claim the same folded heading (a broken column table).
    """
    lookup: dict[str, str] = {}
    for spec in specs(table).values():
        for heading in (spec.name, *spec.aliases):
            key = norm_key(heading)
            if lookup.get(key, spec.name) != spec.name:
                raise ValueError(
                    f"register_columns.csv: heading {heading!r} is given for both "
                    f"{lookup[key]!r} and {spec.name!r} in table {table!r}"
                )
            lookup[key] = spec.name
    return lookup


def all_column_names() -> list[str]:
    """Return every column name of both tables (the valid targets of a mapping)."""
    return list(dict.fromkeys(n for t in TABLES for n in specs(t)))


def resolve(heading: str, table: str, mapping: Mapping[str, str]) -> str | None:
    """Return our column name for a heading of a table, or None when it is not ours.

    An explicit mapping (folded heading -> column name) wins over the aliases; a mapping to
    a column of the other table leaves the heading unused here.
    """
    key = norm_key(heading)
    if key in mapping:
        target = mapping[key]
        return target if target in specs(table) else None
    return heading_lookup(table).get(key)


def classify(raw: RawTable, mapping: Mapping[str, str]) -> str:
    """Return ``"parts"`` when a heading names the building part, else ``"buildings"``."""
    is_parts = any(resolve(h, "parts", mapping) == "part" for h in raw.headings)
    return "parts" if is_parts else "buildings"


def match_columns(raw: RawTable, mapping: Mapping[str, str]) -> list[Problem]:
    """Match a table's headings to our columns (sets ``raw.columns``); report clashes.

    Missing required columns are reported by :func:`missing_columns`, which knows whether the
    overall building grade is required.
    """
    problems = []
    raw.columns = {}
    for i, heading in enumerate(raw.headings):
        name = resolve(heading, raw.kind, mapping) if heading else None
        if name is None:
            continue
        if name in raw.columns:
            first = raw.headings[raw.columns[name]]
            problems.append(
                Problem(
                    raw.file,
                    Msg("register.two_columns_one_name", name=name),
                    row=raw.header_row,
                    column=heading,
                    expected=Msg("register.one_column_for", name=name),
                    found=Msg("register.these_two", first=first, second=heading),
                )
            )
            continue
        raw.columns[name] = i
    return problems


_TABLE_NAMES = {"buildings": Msg("register.buildings_table"), "parts": Msg("register.parts_table")}


def missing_columns(raw: RawTable, required: set[str]) -> list[Problem]:
    """Report each required column a table lacks, with the headings accepted for it."""
    problems = []
    for name in required - set(raw.columns):
        spec = specs(raw.kind)[name]
        accepted = ", ".join((spec.name, *spec.aliases))
        problems.append(
            Problem(
                raw.file,
                Msg("register.missing_column", name=name, table=_TABLE_NAMES[raw.kind]),
                row=raw.header_row,
                column=name,
                expected=Msg("register.heading_such_as", accepted=accepted),
                found=", ".join(h for h in raw.headings if h),
            )
        )
    return sorted(problems, key=lambda p: list(specs(raw.kind)).index(p.column or ""))
