"""Norwegian number formats in the browser: Bokeh tick and hover formatters in JavaScript.

Bokeh's ``NumeralTickFormatter`` knows no Norwegian; these write numbers the way
:func:`hmn_bygg.core.fmt.fmt_number` does (``709 769`` and ``1,35`` in bokmål, ``709,769`` and
``1.35`` in English, a true minus sign), from one JavaScript function ``fmt(v, d)``.
"""

from __future__ import annotations

import json

from bokeh.models import CustomJSHover, CustomJSTickFormatter

from hmn_bygg.core.fmt import Lang

__all__ = ["hover_number", "number_formatter"]

_FORMAT_JS = """
const nb = LANG === "nb";
function fmt(v, d) {
  if (v === null || v === undefined || !isFinite(v)) return "\\u2013";
  const parts = Math.abs(v).toFixed(d).split(".");
  const group = nb ? "\\u00a0" : ",";
  const whole = parts[0].replace(/\\B(?=(\\d{3})+(?!\\d))/g, group);
  const text = parts.length > 1 ? whole + (nb ? "," : ".") + parts[1] : whole;
  const zero = Math.abs(v) < Math.pow(10, -d) / 2;
  return (v < 0 && !zero ? "\\u2212" : "") + text;
}
"""
"""JavaScript ``fmt(v, d)``: ``v`` with ``d`` decimals, grouped, as :func:`fmt_number` does."""

_NUMBER_JS = (
    _FORMAT_JS
    + """
let d = 0;
for (const t of ticks) {
  const s = Math.abs(t * SCALE).toFixed(6).replace(/0+$/, "");
  const f = s.includes(".") ? s.split(".")[1].length : 0;
  d = Math.max(d, Math.min(f, 3));
}
return fmt(tick * SCALE, d) + SUFFIX;
"""
)


def number_formatter(
    lang: Lang = "nb", *, scale: float = 1.0, suffix: str = ""
) -> CustomJSTickFormatter:
    """Return a tick formatter with Norwegian (or English) grouping and decimal mark.

    Parameters
    ----------
    lang : {"nb", "en"}
        ``709 769`` and ``1,35`` (bokmål) or ``709,769`` and ``1.35`` (English).
    scale : float
        Multiply ticks by this before formatting (``100`` for percentages of fractions).
    suffix : str
        Text after the number, e.g. ``" %"``.

    Returns
    -------
    bokeh.models.CustomJSTickFormatter
        Uses as many decimals as the ticks need (at most three).
    """
    code = (
        _NUMBER_JS.replace("LANG", f'"{lang}"')
        .replace("SCALE", repr(float(scale)))
        .replace("SUFFIX", repr(suffix).replace("'", '"'))
    )
    return CustomJSTickFormatter(code=code)


def hover_number(lang: Lang = "nb", decimals: int = 0, unit: str = "") -> CustomJSHover:
    """Return a hover formatter that writes a value as :func:`line_data`'s text does.

    For lines whose values change often (the what-if page): the browser formats the number
    it shows, so an update sends the values only, not a text per value.

    Parameters
    ----------
    lang : {"nb", "en"}
        ``709 769`` and ``1,35`` (bokmål) or ``709,769`` and ``1.35`` (English).
    decimals : int
        Decimals shown.
    unit : str
        Unit after the number, e.g. ``MNOK``.
    """
    suffix = f" {unit}" if unit else ""
    code = _FORMAT_JS.replace("LANG", f'"{lang}"') + (
        f"return fmt(value, {int(decimals)}) + {json.dumps(suffix)};"
    )
    return CustomJSHover(code=code)
