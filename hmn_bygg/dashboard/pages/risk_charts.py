"""Charts and tables of the Risiko page: fan charts, probabilities and the drivers.

Each takes the summary of an ensemble (:func:`hmn_bygg.risk.summary.summarize`) and the
session's deterministic results, and returns a Bokeh figure or an HTML table in the session's
language (:mod:`hmn_bygg.dashboard.pages.risk` puts them on the page).
"""

from __future__ import annotations

from html import escape
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from hmn_bygg.config.param_labels import project_names  # noqa: F401  (the risk page uses it)
from hmn_bygg.core.fmt import Lang, fmt_number, fmt_percent
from hmn_bygg.core.targets import target_area, target_vttg
from hmn_bygg.dashboard.bands import add_band, band_data
from hmn_bygg.dashboard.charts import (
    TARGET_COLOUR,
    add_target,
    hf_colours,
    new_figure,
    target_line,
)
from hmn_bygg.dashboard.text import hf_name, input_label, t, var_label
from hmn_bygg.finance.breaches import credit_line

QUANTILES = (0.1, 0.5, 0.9)
"""The band: p10 to p90 around the median."""
TOP_DRIVERS = 5
VTTG_COLOUR = "#00509e"

TABLE_CSS = """
table { border-collapse: collapse; font-family: system-ui, sans-serif; font-size: 13px; }
th, td { padding: 4px 10px; border-bottom: 1px solid #e3e3e3; text-align: right; }
th { background: #f4f6f8; font-weight: 600; }
td.l, th.l { text-align: left; }
.bar { display: inline-block; height: 10px; vertical-align: middle; margin-right: 6px; }
.se { color: #666; font-size: 11px; white-space: nowrap; }
"""


def _band(summary: xr.Dataset, var: str, **sel: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    da = summary[var].sel(**sel) if sel else summary[var]
    low, mid, high = (da.sel(quantile=q).to_numpy() for q in QUANTILES)
    return low, mid, high


def vttg_chart(summary: xr.Dataset, results: xr.Dataset, lang: Lang):
    """Return the fan of regional VTTG with the target line."""
    years = summary["year"].to_numpy()
    fig = new_figure(t("risk_vttg", lang), var_label("vttg_region", lang), lang, name="risk-vttg")
    data = band_data(years, *_band(summary, "vttg_region"), lang, 2)
    add_band(
        fig,
        data,
        VTTG_COLOUR,
        band_label=t("band_80", lang),
        line_label=t("p50", lang),
        name="risk-vttg-band",
    )
    add_target(fig, results, "vttg_region", lang)
    return fig


def liquidity_chart(summary: xr.Dataset, results: xr.Dataset, scenario: str, hf: str, lang: Lang):
    """Return the fan of one HF's liquidity with its credit floor (minus the credit line)."""
    years = summary["year"].to_numpy()
    fig = new_figure(
        t("risk_liq", lang, hf=hf_name(hf, lang)),
        var_label("liquidity", lang),
        lang,
        name=f"risk-liquidity-{hf}",
    )
    data = band_data(years, *_band(summary, "liquidity", hf=hf), lang, 0, "MNOK")
    add_band(
        fig,
        data,
        hf_colours([hf])[hf],
        band_label=t("band_80", lang),
        line_label=t("p50", lang),
        name=f"risk-liquidity-{hf}-band",
    )
    if "credit_limit" in results:  # the line in each year's kroner of the price basis
        line = credit_line(results).sel(scenario=scenario, hf=hf)
        line = line.max([d for d in line.dims if d != "year"]) if line.ndim > 1 else line
        floor = -line.reindex(year=years).to_numpy()

        def shown(v: float) -> str:
            return fmt_number(v, 0, lang).replace("-", "\u2212")

        if np.allclose(floor, floor[0]):
            text = t("credit_floor_at", lang, value=shown(floor[0]))
            target_line(fig, float(floor[0]), f"{text} MNOK", years)
        else:
            text = t("credit_floor_at", lang, value=f"{shown(floor[0])} … {shown(floor[-1])}")
            fig.line(years, floor, color=TARGET_COLOUR, line_dash="dashed", line_width=2,
                     legend_label=f"{text} MNOK")  # fmt: skip
    return fig


def _pct(p: float, lang: Lang) -> str:
    """A probability as ``45 %``; ``< 1 %`` and ``> 99 %`` rather than a rounded 0 or 100."""
    if not np.isfinite(p):
        return "–"
    if 0 < p < 0.005:
        return "< " + fmt_percent(0.01, 0, lang)
    if 0.995 < p < 1:
        return "> " + fmt_percent(0.99, 0, lang)
    return fmt_percent(p, 0, lang)


def probability_rows(summary: xr.Dataset, lang: Lang) -> list[tuple[str, xr.DataArray]]:
    """The probability rows of the table: (label, values by year)."""
    rows = []
    target = target_vttg(summary)
    area = target_area(summary)
    if "vttg_target_probability_region" in summary:
        label = t("p_vttg", lang, target=fmt_number(target, 1, lang))
        rows.append((label, summary["vttg_target_probability_region"]))
    if "area_target_probability_region" in summary:
        label = t("p_area", lang, target=fmt_number(area, 0, lang))
        rows.append((label, summary["area_target_probability_region"]))
    if "liquidity_breach_probability" in summary:
        for hf in summary["hf"].to_numpy():
            label = t("p_breach", lang, hf=hf_name(str(hf), lang))
            rows.append((label, summary["liquidity_breach_probability"].sel(hf=hf)))
    return rows


def _with_se(p: float, draws: int, lang: Lang) -> str:
    """A probability and its Monte Carlo standard error: ``45 % ± 1,6`` (percentage points)."""
    from hmn_bygg.core.sampling import standard_error

    if draws < 1 or not np.isfinite(p):
        return escape(_pct(p, lang))
    se = fmt_number(100 * float(standard_error(p, draws)), 1, lang)
    return f'{escape(_pct(p, lang))} <span class="se">± {se}</span>'


def probability_table(summary: xr.Dataset, lang: Lang) -> str:
    """Return the probabilities by year as an HTML table (``data-testid="risk-probs"``), each
    with its binomial Monte Carlo standard error ``√(p (1 − p) / draws)`` in percentage points
    (:func:`hmn_bygg.core.sampling.standard_error`)."""
    from hmn_bygg.report.tables import default_years

    years = default_years(summary)
    draws = int(summary.attrs.get("draws", 0))
    head = '<th class="l"></th>' + "".join(f"<th>{y}</th>" for y in years)
    body = []
    for label, values in probability_rows(summary, lang):
        cells = "".join(
            f"<td>{_with_se(float(values.sel(year=y)), draws, lang)}</td>" for y in years
        )
        body.append(f'<tr><td class="l">{escape(label)}</td>{cells}</tr>')
    return (
        f'<table data-testid="risk-probs"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _signed(v: float, decimals: int, lang: Lang) -> str:
    return fmt_number(v, decimals, lang).replace("-", "\u2212")


def drivers_table(
    df: pd.DataFrame,
    lang: Lang,
    decimals: int,
    unit: str,
    projects: dict[str, str],
    name: str,
    higher_is_worse: bool,
    draws: int = 0,
) -> str:
    """Return the top drivers of a tornado as an HTML table with a bar per rank correlation.

    The bar is red where a higher value of the input makes the outcome worse (a higher VTTG,
    a lower liquidity: ``higher_is_worse`` says which), blue where it makes it better, and
    grey where the correlation is within sampling noise of zero (``|ρ| < 2/√draws``).
    """
    noise = 2.0 / np.sqrt(draws) if draws > 0 else 0.0
    top = df.dropna(subset=["abs_rank_correlation"]).head(TOP_DRIVERS)
    suffix = f" {unit}" if unit else ""
    rows = []
    for _, r in top.iterrows():
        rho = float(r["rank_correlation"])
        worse = rho > 0 if higher_is_worse else rho < 0
        colour = "#bdbdbd" if abs(rho) < noise else "#d73027" if worse else "#4575b4"
        bar = f'<span class="bar" style="width:{abs(rho) * 80:.0f}px;background:{colour}"></span>'
        swing = (
            f"{_signed(r['low'], decimals, lang)} → {_signed(r['high'], decimals, lang)}{suffix}"
        )
        rows.append(
            f'<tr><td class="l">{escape(input_label(str(r["input"]), lang, projects))}</td>'
            f'<td class="l">{bar}{_signed(rho, 2, lang)}</td><td>{swing}</td></tr>'
        )
    head = (
        f'<th class="l">{t("driver_input", lang)}</th><th class="l">{t("driver_rho", lang)}</th>'
        f"<th>{t('driver_swing', lang)}</th>"
    )
    return (
        f'<table data-testid="risk-drivers-{name}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
