"""Fan charts of the uncertainty pages: a band between two quantiles and its median line,
with hover text formatted the Norwegian way (:func:`hmn_bygg.core.fmt.fmt_number`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from bokeh.models import ColumnDataSource, HoverTool
from bokeh.plotting import figure

from hmn_bygg.core.fmt import Lang, fmt_number


def band_data(
    years: Sequence[int] | np.ndarray,
    low: Sequence[float] | np.ndarray,
    mid: Sequence[float] | np.ndarray,
    high: Sequence[float] | np.ndarray,
    lang: Lang,
    decimals: int = 0,
    unit: str = "",
) -> dict[str, list]:
    """Return a fan band's ColumnDataSource data: ``x``, ``p10``, ``p50``, ``p90`` and hover text.

    Parameters
    ----------
    years : array-like of int
        X values.
    low, mid, high : array-like of float
        The lower edge, the median and the upper edge of the band (e.g. p10, p50, p90).
    lang : {"nb", "en"}
        Number format of the hover text.
    decimals : int
        Decimals of the hover text.
    unit : str
        Unit after the numbers in the hover text.

    Returns
    -------
    dict
        Columns ``x``, ``p10``, ``p50``, ``p90`` and ``text`` (``p50 (p10–p90)``).
    """
    suffix = f" {unit}" if unit else ""

    def f(v: float) -> str:
        return fmt_number(v, decimals, lang).replace("-", "\u2212")

    lo, md, hi = (np.asarray(a, dtype=float) for a in (low, mid, high))
    return {
        "x": [int(v) for v in years],
        "p10": [float(v) for v in lo],
        "p50": [float(v) for v in md],
        "p90": [float(v) for v in hi],
        "text": [
            f"{f(m)}{suffix} ({f(a)}\u2013{f(b)})" for a, m, b in zip(lo, md, hi, strict=True)
        ],
    }


def add_band(
    fig: figure,
    data: Mapping[str, list],
    colour: str,
    *,
    band_label: str,
    line_label: str,
    name: str | None = None,
) -> ColumnDataSource:
    """Add a shaded band (``p10``–``p90``) with its median line (``p50``) and a hover.

    Parameters
    ----------
    fig : bokeh.plotting.figure
        The plot.
    data : mapping
        From :func:`band_data`.
    colour : str
        Colour of the band (light) and the median line.
    band_label, line_label : str
        Legend labels of the band and the line.
    name : str, optional
        Name of the ColumnDataSource (the browser tests find it by name).

    Returns
    -------
    ColumnDataSource
        The band's source, to update in place.
    """
    src = ColumnDataSource(dict(data), name=name)
    fig.varea("x", "p10", "p90", source=src, color=colour, alpha=0.25, legend_label=band_label)
    line = fig.line("x", "p50", source=src, color=colour, line_width=2.5, legend_label=line_label)
    fig.add_tools(HoverTool(renderers=[line], tooltips=[("", "@x: @text")], mode="vline"))
    return src
