"""Bokeh figure helpers: Norwegian number axes, consistent colours, target lines, hover text.

Bokeh's ``NumeralTickFormatter`` knows no Norwegian, so the y axes use a small
``CustomJSTickFormatter`` (space as thousands separator, decimal comma;
:mod:`hmn_bygg.dashboard.js_formats`) and hover tooltips show text that Python has already
formatted with :func:`hmn_bygg.core.fmt.fmt_number` (or, for lines that change often, that
the browser formats the same way). Fan
charts of the uncertainty pages are in :mod:`hmn_bygg.dashboard.bands`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import xarray as xr
from bokeh.models import (
    ColumnDataSource,
    HoverTool,
    Label,
    Legend,
    PrintfTickFormatter,
    Span,
)
from bokeh.plotting import figure

from hmn_bygg.core.fmt import Lang, fmt_number
from hmn_bygg.core.targets import target_area, target_vttg
from hmn_bygg.dashboard.js_formats import hover_number, number_formatter

__all__ = [
    "add_lines",
    "add_target",
    "hf_colours",
    "hover_number",
    "line_data",
    "new_figure",
    "number_formatter",
    "target_line",
    "wrap_legend",
]

HF_PALETTE: tuple[str, ...] = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442",
)  # fmt: skip
"""HF colours (Okabe–Ito, colour-blind safe), given out in the region's HF order."""
REGION_COLOUR = "#333333"
TARGET_COLOUR = "#B2182B"
TG_COLOURS: tuple[str, ...] = ("#1a9850", "#91cf60", "#fdae61", "#d73027")
STATUS_COLOURS: dict[str, str] = {"green": "#1a9850", "amber": "#f0a202", "red": "#d73027"}


def hf_colours(hfs: Iterable[object] | None = None) -> dict[str, str]:
    """Return the colour of each HF: by its place in the region's order, then other codes.

    Parameters
    ----------
    hfs : iterable, optional
        HF codes to colour (e.g. a results Dataset's ``hf``); default the region's.

    Returns
    -------
    dict
        Code -> colour of :data:`HF_PALETTE`. The region's HFs (``models/organisation.csv``)
        take the palette in their table's order, so an HF keeps its colour on every chart;
        a code not in the region gets the next colour after them (never an error).
    """
    from hmn_bygg.config.region import hf_codes

    region = hf_codes()
    codes = list(region) if hfs is None else [str(h) for h in hfs]
    others = [c for c in dict.fromkeys(codes) if c not in region]
    place = {c: i for i, c in enumerate((*region, *others))}
    return {c: HF_PALETTE[place[c] % len(HF_PALETTE)] for c in codes}


def new_figure(
    title: str,
    y_label: str,
    lang: Lang = "nb",
    *,
    height: int = 330,
    x_label: str | None = None,
    name: str | None = None,
    x_range: Sequence[str] | None = None,
    y_scale: float = 1.0,
    y_suffix: str = "",
    legend: bool = True,
) -> figure:
    """Return a figure with the dashboard's look: title, axis labels, Norwegian y ticks.

    Parameters
    ----------
    title : str
        Plot title (in ``lang``).
    y_label : str
        Y axis label with unit.
    lang : {"nb", "en"}
        Language of the tick formats.
    height : int
        Height [px]; the width follows the page.
    x_label : str, optional
        X axis label (default: none; the x axis is years).
    name : str, optional
        Bokeh model name, used by the browser tests to find the plot.
    x_range : sequence of str, optional
        Categories for a categorical x axis.
    y_scale, y_suffix
        Passed to :func:`number_formatter`.
    legend : bool
        Give the plot its legend below it; ``False`` for plots that share one legend in the
        page (:func:`~hmn_bygg.dashboard.components.legend_html`), which also spares the
        browser drawing it at each repaint.

    Returns
    -------
    bokeh.plotting.figure
    """
    extra = {"x_range": list(x_range)} if x_range is not None else {}
    fig = figure(
        title=title,
        height=height,
        sizing_mode="stretch_width",
        tools="pan,wheel_zoom,box_zoom,reset,save",
        toolbar_location="right",
        name=name,
        **extra,
    )
    fig.toolbar.logo = None
    fig.title.text_font_size = "15px"
    fig.yaxis.axis_label = y_label
    fig.yaxis.formatter = number_formatter(lang, scale=y_scale, suffix=y_suffix)
    if x_label:
        fig.xaxis.axis_label = x_label
    if x_range is None:
        fig.xaxis.formatter = PrintfTickFormatter(format="%d")
    if legend:
        fig.add_layout(
            Legend(
                orientation="horizontal",
                click_policy="hide",
                label_text_font_size="12px",
                border_line_color=None,
                margin=0,
                padding=4,
            ),
            "below",
        )
    fig.grid.grid_line_alpha = 0.4
    fig.outline_line_color = None
    fig.background_fill_color = "#ffffff"
    return fig


def target_line(
    fig: figure,
    value: float,
    text: str,
    years: Sequence[int] | np.ndarray | None = None,
    *,
    dimension: str = "width",
) -> None:
    """Draw a dashed red target line with a label, e.g. ``Mål 1,2``.

    Parameters
    ----------
    fig : bokeh.plotting.figure
        The plot.
    value : float
        Position on the y axis (or x axis for ``dimension="height"``).
    text : str
        Label text, already formatted.
    years : array-like of int, optional
        The x values of the plot; when given, an invisible line keeps the target inside the
        automatic y range.
    dimension : {"width", "height"}
        A horizontal (default) or vertical line.
    """
    fig.add_layout(
        Span(
            location=value,
            dimension=dimension,
            line_color=TARGET_COLOUR,
            line_dash="dashed",
            line_width=2,
        )
    )
    if years is not None and len(years):
        fig.line([int(years[0]), int(years[-1])], [value, value], alpha=0)
    if dimension == "width":
        label = Label(
            x=5,
            y=value,
            x_units="screen",
            text=text,
            text_color=TARGET_COLOUR,
            text_font_size="12px",
            text_font_style="bold",
            y_offset=4,
            background_fill_color="white",
            background_fill_alpha=0.7,
        )
        fig.add_layout(label)


def line_data(
    years: Sequence[int] | np.ndarray,
    values: Sequence[float] | np.ndarray,
    series: str,
    lang: Lang,
    decimals: int,
    unit: str = "",
    *,
    text: bool = True,
) -> dict[str, list]:
    """Return a line's ColumnDataSource data with pre-formatted hover text.

    Parameters
    ----------
    years : array-like of int
        X values.
    values : array-like of float
        Y values.
    series : str
        Name shown in the hover (HF, scenario).
    lang : {"nb", "en"}
        Number format of the hover text.
    decimals : int
        Decimals of the hover text.
    unit : str
        Unit after the number in the hover text.
    text : bool
        Whether to add the ``text`` column (not for a hover that formats in the browser,
        :func:`hover_number`).

    Returns
    -------
    dict
        Columns ``x``, ``y``, ``series`` and ``text``.
    """
    y = np.asarray(values, dtype=float)
    suffix = f" {unit}" if unit else ""
    data: dict[str, list] = {
        "x": [int(v) for v in years],
        "y": [float(v) for v in y],
        "series": [series] * len(y),
    }
    if text:
        data["text"] = [fmt_number(v, decimals, lang).replace("-", "\u2212") + suffix for v in y]
    return data


def add_lines(
    fig: figure,
    years: Sequence[int] | np.ndarray,
    series: Mapping[str, Sequence[float] | np.ndarray],
    colours: Mapping[str, str],
    lang: Lang,
    *,
    decimals: int = 0,
    unit: str = "",
    dashes: Mapping[str, str] | None = None,
    width: float = 2.5,
    widths: Mapping[str, float] | None = None,
    browser_text: bool = False,
    legend: bool = True,
) -> dict[str, ColumnDataSource]:
    """Add one line per series, with a hover that shows pre-formatted numbers.

    Parameters
    ----------
    fig : bokeh.plotting.figure
        The plot.
    years : array-like of int
        X values shared by all series.
    series : mapping of str to array-like
        Label -> y values.
    colours : mapping of str to str
        Label -> colour.
    lang : {"nb", "en"}
        Number format of the hover text.
    decimals : int
        Decimals of the hover text.
    unit : str
        Unit of the hover text.
    dashes : mapping of str to str, optional
        Label -> line dash (default solid).
    width : float
        Line width [px].
    widths : mapping of str to float, optional
        Label -> line width [px] where it differs from ``width``.
    browser_text : bool
        Let the browser format the hover's numbers (:func:`hover_number`), so that an
        update of a source needs only its ``y`` values; default: the ``text`` column.
    legend : bool
        Give each line an item in the plot's legend (``False``: the page shows one legend
        for several plots, :func:`~hmn_bygg.dashboard.components.legend_html`).

    Returns
    -------
    dict of str to ColumnDataSource
        The sources, so that callers can update them in place.
    """
    sources: dict[str, ColumnDataSource] = {}
    renderers = []
    for label, values in series.items():
        data = line_data(years, values, label, lang, decimals, unit, text=not browser_text)
        src = ColumnDataSource(data)
        r = fig.line(
            "x",
            "y",
            source=src,
            line_width=(widths or {}).get(label, width),
            color=colours.get(label, REGION_COLOUR),
            line_dash=(dashes or {}).get(label, "solid"),
            **({"legend_label": label} if legend else {}),
        )
        sources[label] = src
        renderers.append(r)
    value = "@y{custom}" if browser_text else "@text"
    formatters = {"@y": hover_number(lang, decimals, unit)} if browser_text else {}
    fig.add_tools(
        HoverTool(
            renderers=renderers,
            tooltips=[("", "@series"), ("", f"@x: {value}")],
            formatters=formatters,
            mode="mouse",
        )
    )
    return sources


def wrap_legend(fig: figure, width: int = 520) -> None:
    """Spread a legend below the plot over several rows when one row would not fit.

    Parameters
    ----------
    fig : bokeh.plotting.figure
        A plot with its legend below (see :func:`new_figure`); call after adding glyphs.
    width : int
        Width the legend may take [px] (about half the page on a laptop screen).

    Notes
    -----
    Item widths are estimated from the label lengths (about 6,2 px a character at 12 px
    text, plus 30 px for the glyph and spacing); the height grows by one legend row for
    each extra row.
    """
    if not fig.legend:
        return
    legend = fig.legend[0]
    labels = [str(getattr(item.label, "value", "") or "") for item in legend.items]
    if not labels:
        return
    widths = [int(6.2 * len(label)) + 30 for label in labels]
    if sum(widths) <= width:
        return
    ncols = max(1, width // max(widths))
    legend.ncols = ncols
    rows = -(-len(labels) // ncols)
    fig.height += 20 * (rows - 1)


def add_target(fig: figure, ds: xr.Dataset, var: str, lang: Lang) -> None:
    """Draw the plan's target for ``var``: VTTG 1,2 for grades, 650 000 m² for areas.

    Parameters
    ----------
    fig : bokeh.plotting.figure
        A plot with years on the x axis.
    ds : xr.Dataset
        Results (targets from ``attrs["vttg_target"]`` and ``attrs["area_target_m2"]``).
    var : str
        The plotted variable; other variables get no line.
    lang : {"nb", "en"}
        Language of the label.
    """
    word = "Mål" if lang == "nb" else "Target"
    years = ds["year"].to_numpy()
    if var.startswith("vttg"):
        target = target_vttg(ds)
        target_line(fig, target, f"{word} {fmt_number(target, 1, lang)}", years)
    elif var.startswith("area"):
        target = target_area(ds)
        target_line(fig, target, f"{word} {fmt_number(target, 0, lang)} m²", years)
