"""Norwegian (bokmål) and English number formats and labels.

Numbers follow the locale's conventions through Babel (CLDR): bokmål groups thousands with a
space and uses a decimal comma (``709 769``, ``1,35``); English uses ``709,769`` and ``1.35``.
Plain-text outputs (CLI tables) use an ordinary space as the group separator so that they
copy cleanly; HTML outputs keep CLDR's no-break space so that numbers never wrap.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Literal

Lang = Literal["nb", "en"]
_LOCALES = {"nb": "nb_NO", "en": "en_GB"}


def fmt_number(
    value: float | int | None,
    decimals: int = 0,
    lang: Lang = "nb",
    *,
    html: bool = False,
    missing: str = "–",
) -> str:
    """Format a number the way a reader of ``lang`` expects.

    Parameters
    ----------
    value : float or int or None
        The number; ``None``, NaN and infinities print as ``missing``.
    decimals : int
        Digits after the decimal mark (fixed, not trimmed).
    lang : {"nb", "en"}
        Bokmål (default) or English.
    html : bool
        Keep the no-break space as group separator (for HTML); else an ordinary space.
    missing : str
        Text for a missing value.

    Returns
    -------
    str
        The formatted number.

    Examples
    --------
    >>> fmt_number(709769)
    '709 769'
    >>> fmt_number(1.3456, 2)
    '1,35'
    >>> fmt_number(1.3456, 2, "en")
    '1.35'
    >>> fmt_number(float("nan"))
    '–'
    """
    if value is None:
        return missing
    v = float(value)
    if math.isnan(v) or math.isinf(v):
        return missing
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    from babel.numbers import format_decimal  # imported on first use: a fast CLI start

    text = format_decimal(round(v, decimals) + 0.0, format=pattern, locale=_LOCALES[lang])
    if not html:
        text = text.replace("\u00a0", " ").replace("\u202f", " ")
    if text.startswith("-") and set(text[1:]) <= set("0,. "):
        text = text[1:]  # no "-0"
    return text


def fmt_percent(value: float | None, decimals: int = 1, lang: Lang = "nb") -> str:
    """Format a fraction as a percentage (``0.053`` -> ``5,3 %`` in bokmål).

    Parameters
    ----------
    value : float or None
        Fraction, 1.0 = 100 %.
    decimals : int
        Digits after the decimal mark.
    lang : {"nb", "en"}
        Bokmål or English.

    Returns
    -------
    str
        The percentage with a space before ``%`` in bokmål and none in English.

    Examples
    --------
    >>> fmt_percent(0.053)
    '5,3 %'
    >>> fmt_percent(0.053, lang="en")
    '5.3%'
    """
    if value is None or math.isnan(float(value)):
        return "–"
    number = fmt_number(100.0 * float(value), decimals, lang)
    return f"{number} %" if lang == "nb" else f"{number}%"


def year_spans(years: Iterable[int]) -> str:
    """Return years as runs: ``[2028, 2023, 2024, 2025]`` -> ``"2023–2025, 2028"`` (en dash).

    Duplicates are dropped and the order does not matter; no years give ``""``.

    Examples
    --------
    >>> year_spans([2028, 2023, 2024, 2025, 2024])
    '2023–2025, 2028'
    >>> year_spans([])
    ''
    """
    runs: list[list[int]] = []
    for y in sorted({int(y) for y in years}):
        if runs and y == runs[-1][1] + 1:
            runs[-1][1] = y
        else:
            runs.append([y, y])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)
