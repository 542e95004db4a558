"""Numbers typed by people: ``254 836``, ``1 234,5``, ``1,234.5``, ``0,25``, ``52 %``, ``−3``.

One reader for every place a person writes a number: a register file, the LTB workbook, a
value in a model file (``value: "210,5"``) and a number typed on the command line.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

__all__ = ["parse_number", "typed_numbers"]

_SPACES = "\u0020\u00a0\u202f\u2009\u2007"


_SPACE_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:[" + _SPACES + r"]\d{3})+(?:[.,]\d+)?$")


_COMMA_THOUSANDS = re.compile(r"^[+-]?[1-9]\d{0,2}(?:,\d{3})+$")


_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")


def parse_number(value: Any, decimal: str = ",") -> float | None:
    """Return a cell as a number, or None when it is empty.

    Parameters
    ----------
    value : Any
        Cell value: a number from a workbook, or text such as ``"254 836"``, ``"1 234,5"``,
        ``"1,234.5"``, ``"0,25"``, ``"52 %"`` (read as 0.52) or ``"−3"`` (Unicode minus).
    decimal : {",", "."}
        Decimal mark of the file, used only when a text is ambiguous: ``"1,234"`` is 1.234
        with ``","`` and 1234 with ``"."``. A lone ``.`` is always a decimal point; when both
        marks appear, the last one is the decimal mark; thousands may be grouped by spaces
        or no-break spaces in groups of three.

    Returns
    -------
    float or None
        The number, or None for an empty cell.

    Raises
    ------
    ValueError
        When the cell holds something that is not a number (including true/false), or a
        number that is not finite (``inf``, ``1e309``, a workbook's NaN stays empty).

    Examples
    --------
    >>> parse_number("1 234,5"), parse_number("1,234", "."), parse_number("12 %")
    (1234.5, 1234.0, 0.12)
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        if value != value:
            return None  # NaN is an empty cell
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(value)
        return number
    return _parse_text(str(value), decimal)


@lru_cache(maxsize=8192)
def _parse_text(value: str, decimal: str) -> float | None:
    # Cached: a register repeats its years, grades and shares thousands of times. A text that
    # is not a number raises ValueError, which is not cached and raised again each time.
    text = value.strip().replace("\u2212", "-")
    if not text:
        return None
    scale = 1.0
    if text.endswith("%"):
        text, scale = text[:-1].rstrip(), 0.01
    if any(c in text for c in _SPACES):
        if not _SPACE_GROUPED.match(text):
            raise ValueError(value)
        text = "".join(c for c in text if c not in _SPACES)
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        if decimal == "." and _COMMA_THOUSANDS.match(text):
            text = text.replace(",", "")
        elif text.count(",") == 1:
            text = text.replace(",", ".")
        else:
            raise ValueError(value)
    if not _PLAIN_NUMBER.match(text):
        raise ValueError(value)
    number = float(text) * scale if scale != 1.0 else float(text)
    if not math.isfinite(number):
        raise ValueError(value)
    return number


_TYPED = re.compile(r"\d[," + _SPACES + r"]\d")


def typed_numbers(value: Any) -> Any:
    """Return ``value`` with every text written as a number with a decimal comma or grouped
    thousands (``"210,5"``, ``"650 000"``) read as a float, in year paths and tables too.

    Other texts stay as they are (a field's own check then says what is wrong with them).

    Examples
    --------
    >>> typed_numbers({"HMR": "210,5", 2027: "650 000", "kind": "serial"})
    {'HMR': 210.5, 2027: 650000.0, 'kind': 'serial'}
    """
    if isinstance(value, str) and _TYPED.search(value):
        try:
            return parse_number(value, ",")
        except ValueError:
            return value
    if isinstance(value, Mapping):
        return {k: typed_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed_numbers(v) for v in value]
    return value
