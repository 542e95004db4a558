"""The what-if page's key-figure cards: the what-if's figures beside the baseline's.

The cards carry what they were computed for (``data-scenario``, ``data-extra``, ``data-gen``,
``data-step`` = ``condition`` or ``full``, ``data-lang``), so tests and benchmarks can wait
for exactly the result of their input. No Panel here: the page puts the HTML into its pane.
"""

from __future__ import annotations

from html import escape as html_escape

import numpy as np
import xarray as xr

from hmn_bygg.core.fmt import Lang, fmt_number
from hmn_bygg.dashboard import metrics
from hmn_bygg.dashboard.components import fmt_signed, fmt_value, kpi_html
from hmn_bygg.dashboard.text import t

__all__ = ["cards_html", "summary"]


def summary(ds: xr.Dataset, target: float) -> dict[str, float]:
    """Return the what-if key figures of a one-scenario result.

    Parameters
    ----------
    ds : xr.Dataset
        Results with one scenario (condition only, or with the finances).
    target : float
        The VTTG target [-].

    Returns
    -------
    dict
        ``vttg_end`` [-], ``vttg_year`` [year, NaN: never], ``need_end`` [MNOK],
        ``area_end`` [m²] and, with the finances, ``liquidity_min`` [MNOK].
    """

    def first(var: str) -> np.ndarray:  # the first scenario's values by year (NumPy: fast)
        return ds[var].transpose("scenario", "year").to_numpy()[0]

    year = metrics.first_year_at_or_below(ds["vttg_region"].isel(scenario=0), target)
    out = {
        "vttg_end": float(first("vttg_region")[-1]),
        "vttg_year": np.nan if year is None else float(year),
        "need_end": float(first("upgrade_need_region")[-1]),
        "area_end": float(first("area_region")[-1]),
    }
    if "liquidity_region" in ds:
        out["liquidity_min"] = float(np.nanmin(first("liquidity_region")))
    return out


def cards_html(
    new: dict[str, float],
    base: dict[str, float],
    *,
    target: float,
    last_year: int,
    lang: Lang,
    stamp: dict | None = None,
    done: bool = True,
) -> str:
    """Return the what-if key figures with their change from the baseline, as HTML.

    Parameters
    ----------
    new, base : dict
        :func:`summary` of the what-if and of the baseline; a figure the what-if lacks
        (the finances before they are booked) shows ``…``.
    target : float
        The VTTG target [-].
    last_year : int
        The last model year [year].
    lang : {"nb", "en"}
        Language and number format.
    stamp : dict, optional
        What the result was computed for (scenario, extra maintenance, generation).
    done : bool
        Whether this is the last step of the update (``data-step`` ``full``).
    """
    tgt = fmt_number(target, 1, lang)
    never = t("never", lang, year=last_year)
    spec = [
        ("vttg_end", t("vttg_in", lang, year=last_year), 2, ""),
        ("vttg_year", t("year_vttg_target", lang, target=tgt), 0, "year"),
        ("need_end", t("need_in", lang, year=last_year), 0, " MNOK"),
        ("area_end", t("area_in", lang, year=last_year), 0, " m²"),
        ("liquidity_min", t("min_liquidity", lang), 0, " MNOK"),
    ]
    html = []
    word = t("baseline", lang)
    for key, title, dec, unit in spec:
        if key not in base:
            continue
        v, b = new.get(key, np.nan), base[key]
        if unit == "year":
            value = never if np.isnan(v) else str(int(v))
            detail = f"{word}: {never if np.isnan(b) else int(b)}"
        elif np.isnan(v):
            value, detail = "…", f"{word}: {fmt_value(b, dec, lang, unit)}"
        else:
            value = fmt_value(v, dec, lang, unit)
            change = fmt_signed(v - b, dec, lang)
            change = (
                t("unchanged", lang)
                if change.lstrip("0,. ") == ""
                else f"{t('change', lang)}: {change}"
            )
            detail = f"{word}: {fmt_value(b, dec, lang, unit)}\n{change}"
        html.append(kpi_html(title, value, detail, None, lang, test_id=f"whatif-{key}"))
    attrs = " ".join(
        f'data-{k}="{html_escape(str(v))}"'
        for k, v in {**(stamp or {}), "step": "full" if done else "condition", "lang": lang}.items()
    )
    return (
        f'<div data-testid="whatif-cards" {attrs} '
        'style="display:flex;flex-wrap:wrap;gap:6px">' + "".join(html) + "</div>"
    )
