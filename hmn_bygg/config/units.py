"""Units as written in model files: one canonical spelling, and which units are money."""

from __future__ import annotations

import re

__all__ = ["is_money_unit", "normalize_unit"]

_UNIT_WORDS = {"yr": "year", "years": "year", "år": "year", "kr": "NOK"}


def normalize_unit(unit: str) -> str:
    """Canonical spelling of a unit for comparison (``m2`` = ``m²``, ``yr`` = ``year``).

    >>> normalize_unit("MNOK / yr") == normalize_unit("MNOK/year")
    True
    """
    text = unit.replace("²", "2").replace(" ", "")
    text = re.sub(r"[A-Za-zå]+", lambda m: _UNIT_WORDS.get(m.group(0), m.group(0)), text)
    return text.lower()


def is_money_unit(unit: str) -> bool:
    """Whether a unit is an amount of money (NOK, MNOK, NOK/m², MNOK/year, ...).

    >>> is_money_unit("MNOK/yr"), is_money_unit("m²")
    (True, False)
    """
    return "nok" in normalize_unit(unit)
