"""The charts of the board brief: matplotlib figures rendered to PNG bytes.

Each chart shows the chosen scenarios side by side in the same colours, its target as a
dashed line, and Norwegian (or English) number formats on the axes. The figures are built
with :class:`matplotlib.figure.Figure` (no pyplot), so nothing global is touched and no window
opens.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib
import numpy as np
import xarray as xr
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter, FuncFormatter, MaxNLocator

from hmn_bygg.core.fmt import fmt_number
from hmn_bygg.core.targets import target_area, target_vttg
from hmn_bygg.finance.breaches import credit_line
from hmn_bygg.report.brief import facts
from hmn_bygg.report.brief.texts import Lang, hf_name, t
from hmn_bygg.report.scenario_style import scenario_colour, scenario_dash, scenario_width

#: Scenario colours, in the order the scenarios are chosen (colour-blind friendly).
TARGET_COLOUR = "#b00020"
DPI = 200
FULL_WIDTH = 7.1  # inches: an A4 page less margins
STYLE: Any = {
    "font.family": "DejaVu Sans",
    "font.size": 8.0,
    "axes.titlesize": 8.5,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "svg.hashsalt": "hmn_bygg",
}


@dataclass(frozen=True)
class Chart:
    """One chart of the brief.

    Parameters
    ----------
    name : str
        File stem, e.g. ``"vttg"`` (the PNG is ``<name>.png``).
    title : str
        Title (also drawn in the image).
    caption : str
        What the chart shows, for the text under it.
    png : bytes
        The image.
    width : str
        CSS width in the brief, e.g. ``"100%"``.
    """

    name: str
    title: str
    caption: str
    png: bytes
    width: str = "100%"


def colour(name: str, shown: Sequence[str] = ()) -> str:
    """Return the colour of a scenario (the same as in the dashboard)."""
    return scenario_colour(name, list(shown))


def _line(i: int, scenarios: Sequence[str]) -> dict[str, Any]:
    """Colour, width and dash of the ``i``-th scenario's line (equal paths stay visible)."""
    dash = scenario_dash(i)
    return {
        "color": colour(scenarios[i], scenarios),
        "lw": scenario_width(i, len(scenarios)),
        "linestyle": (0, dash) if dash else "-",
    }


class LocaleFormatter(Formatter):
    """Tick labels in the reader's number format, with as many decimals as the tick step needs.

    Parameters
    ----------
    lang : {"nb", "en"}
        ``1,2`` and ``700 000`` in bokmål; ``1.2`` and ``700,000`` in English.
    """

    def __init__(self, lang: Lang) -> None:
        self.lang = lang
        self.decimals = 0

    def set_locs(self, locs) -> None:
        """Take the decimals from the smallest step between the ticks."""
        super().set_locs(locs)
        steps = np.diff(np.asarray(locs, dtype=float))
        step = float(np.min(np.abs(steps[steps != 0]))) if np.any(steps != 0) else 1.0
        self.decimals = max(0, int(np.ceil(-np.log10(step) - 1e-9)))

    def __call__(self, x, pos=None) -> str:
        """Return the label of the tick at ``x``."""
        return fmt_number(x, self.decimals, self.lang)


def _axes_format(ax: Axes, lang: Lang, year_bins: int = 6) -> None:
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 5, 10]))
    ax.yaxis.set_major_formatter(LocaleFormatter(lang))
    ax.xaxis.set_major_locator(MaxNLocator(nbins=year_bins, steps=[1, 2, 5, 10], integer=True))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}"))
    ax.tick_params(length=2.5)


def _target_line(ax: Axes, value: float, label: str) -> None:
    ax.axhline(value, color=TARGET_COLOUR, linestyle="--", linewidth=1.1, label=label, zorder=3)


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()


def _legend(fig: Figure, ax: Axes, ncols: int | None = None) -> None:
    """One legend under the panels, in as many rows as the labels need (at most 3 a row)."""
    handles, labels = ax.get_legend_handles_labels()
    ncols = ncols or (len(labels) if len(labels) <= 4 else 3)
    fig.legend(handles, labels, loc="outside lower center", ncols=ncols)


def _figure(width: float, height: float, nrows: int = 1, ncols: int = 1, **kw) -> tuple:
    fig = Figure(figsize=(width, height), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False, **kw)
    return fig, axes


def vttg_chart(
    ds: xr.Dataset, scenarios: Sequence[str], labels: Mapping[str, str], lang: Lang
) -> Chart:
    """VTTG per HF and for the region (one panel each), scenarios as lines, target dashed."""
    target = target_vttg(ds)
    hfs = [str(h) for h in ds["hf"].to_numpy()]
    panels = [*hfs, None]
    ncols = 2
    nrows = int(np.ceil(len(panels) / ncols))
    with matplotlib.rc_context(STYLE):
        height = 1.5 * nrows + 0.45 + 0.18 * np.ceil((len(scenarios) + 1) / 3)
        fig, axes = _figure(FULL_WIDTH, height, nrows, ncols, sharex=True, sharey=True)
        years = ds["year"].to_numpy()
        for k, hf in enumerate(panels):
            ax = axes.flat[k]
            for i, s in enumerate(scenarios):
                da = ds["vttg_region"] if hf is None else ds["vttg"].sel(hf=hf)
                ax.plot(
                    years,
                    da.sel(scenario=s),
                    **_line(i, scenarios),
                    label=labels[s],
                )
            _target_line(ax, target, t(lang, "legend_target", value=fmt_number(target, 1, lang)))
            ax.set_title(t(lang, "region") if hf is None else hf_name(hf, lang), loc="left")
            _axes_format(ax, lang)
        for ax in axes.flat[len(panels) :]:
            ax.set_visible(False)
        lo = min(float(ds["vttg"].min()), float(ds["vttg_region"].min()), target)
        hi = max(float(ds["vttg"].max()), float(ds["vttg_region"].max()), target)
        axes.flat[0].set_ylim(max(0.0, lo - 0.1), min(3.0, hi + 0.1))
        fig.suptitle(t(lang, "fig_vttg"), fontweight="bold", fontsize=9.5, x=0.01, ha="left")
        _legend(fig, axes.flat[0])
        png = _png(fig)
    caption = t(lang, "fig_vttg_caption", target=fmt_number(target, 1, lang, html=True))
    return Chart("vttg", t(lang, "fig_vttg"), caption, png)


def _single(
    ds: xr.Dataset,
    var: str,
    scenarios: Sequence[str],
    labels: Mapping[str, str],
    lang: Lang,
    *,
    title: str,
    unit: str,
    target: tuple[float, str] | None,
    from_zero: bool,
) -> bytes:
    with matplotlib.rc_context(STYLE):
        fig, axes = _figure(FULL_WIDTH / 2 - 0.05, 2.4)
        ax = axes[0, 0]
        years = ds["year"].to_numpy()
        for i, s in enumerate(scenarios):
            ax.plot(
                years,
                ds[var].sel(scenario=s),
                **_line(i, scenarios),
                label=labels[s],
            )
        if target is not None:
            _target_line(ax, *target)
        values = ds[var].sel(scenario=list(scenarios)).to_numpy()
        hi = float(np.nanmax(values))
        lo = 0.0 if from_zero else float(np.nanmin(values))
        if target is not None:
            hi, lo = max(hi, target[0]), min(lo, target[0])
        pad = 0.06 * (hi - lo or 1.0)
        ax.set_ylim(0.0 if from_zero else lo - pad, hi + pad)
        _axes_format(ax, lang)
        ax.set_title(f"{title} [{unit}]", loc="left")
        _legend(fig, ax, ncols=2)  # under the chart, never over a line
        return _png(fig)


def area_chart(
    ds: xr.Dataset, scenarios: Sequence[str], labels: Mapping[str, str], lang: Lang
) -> Chart:
    """The region's floor area in service per scenario with the area target."""
    target = target_area(ds)
    tgt = fmt_number(target, 0, lang)
    png = _single(
        ds,
        "area_region",
        scenarios,
        labels,
        lang,
        title=t(lang, "fig_area"),
        unit="m²",
        target=(target, t(lang, "legend_target", value=f"{tgt} m²")),
        from_zero=False,
    )
    caption = t(lang, "fig_area_caption", target=fmt_number(target, 0, lang, html=True))
    peak = facts.area_peak(ds, scenarios[0])
    if peak is not None:  # the one-year rise is the opening and disposal dates, said so
        caption += " " + t(
            lang,
            "fig_area_peak",
            year=peak.year,
            next=peak.year + 1,
            opened=fmt_number(peak.opened, 0, lang, html=True),
            disposed=fmt_number(peak.disposed, 0, lang, html=True),
        )
    return Chart("area", t(lang, "fig_area"), caption, png, width="49%")


def need_chart(
    ds: xr.Dataset, scenarios: Sequence[str], labels: Mapping[str, str], lang: Lang
) -> Chart:
    """The region's upgrade need per scenario [MNOK]."""
    png = _single(
        ds,
        "upgrade_need_region",
        scenarios,
        labels,
        lang,
        title=t(lang, "fig_need"),
        unit="MNOK",
        target=None,
        from_zero=True,
    )
    caption = t(lang, "fig_need_caption", price_basis=facts.price_words(ds, lang))
    return Chart("upgrade_need", t(lang, "fig_need"), caption, png, width="49%")


def liquidity_chart(
    ds: xr.Dataset, scenarios: Sequence[str], labels: Mapping[str, str], lang: Lang
) -> Chart:
    """Closing liquidity per HF (one panel each), scenarios as lines, minus the credit limit."""
    hfs = [str(h) for h in ds["hf"].to_numpy()]
    years = ds["year"].to_numpy()
    with matplotlib.rc_context(STYLE):
        height = 2.2 + 0.18 * np.ceil((len(scenarios) + 1) / 3)
        fig, axes = _figure(FULL_WIDTH, height, 1, len(hfs), sharex=True)
        for k, hf in enumerate(hfs):
            ax = axes[0, k]
            ax.axhline(0.0, color="#888888", lw=0.8, zorder=1)
            limits = (  # each year's kroner of the price basis, like liquidity
                credit_line(ds).sel(hf=hf, scenario=list(scenarios)).transpose("scenario", "year")
            ).to_numpy()
            same = bool(np.allclose(limits, limits[0], equal_nan=True))
            for i, s in enumerate(scenarios):
                liq = ds["liquidity"].sel(scenario=s, hf=hf)
                ax.plot(years, liq, **_line(i, scenarios), label=labels[s])
            for i in range(len(scenarios)):
                if not same or i == 0:
                    ax.plot(
                        years,
                        -limits[i],
                        color=TARGET_COLOUR if same else colour(s, scenarios),
                        linestyle="--",
                        lw=1.1,
                        label=t(lang, "legend_credit") if i == 0 else None,
                    )
            ax.set_title(hf_name(hf, lang), loc="left")
            _axes_format(ax, lang, year_bins=4)
        fig.suptitle(
            t(lang, "fig_liq") + " [MNOK]", fontweight="bold", fontsize=9.5, x=0.01, ha="left"
        )
        _legend(fig, axes[0, 0])
        png = _png(fig)
    return Chart("liquidity", t(lang, "fig_liq"), t(lang, "fig_liq_caption"), png)


def charts(
    ds: xr.Dataset, scenarios: Sequence[str], labels: Mapping[str, str], lang: Lang
) -> list[Chart]:
    """Return every chart of the brief, liquidity only when the results carry it.

    Parameters
    ----------
    ds : xr.Dataset
        Results (without ``draw``).
    scenarios : sequence of str
        Chosen scenarios, in colour order.
    labels : mapping of str to str
        Friendly scenario names for the legends.
    lang : {"nb", "en"}
        Language of titles and number formats.

    Returns
    -------
    list of Chart
        VTTG, area, upgrade need and (when present) liquidity.
    """
    out = [
        vttg_chart(ds, scenarios, labels, lang),
        area_chart(ds, scenarios, labels, lang),
        need_chart(ds, scenarios, labels, lang),
    ]
    if facts.has_liquidity(ds):
        out.append(liquidity_chart(ds, scenarios, labels, lang))
    return out
