"""The validation table and the plan-vs-outcome view: the model beside the public record.

:func:`validation_table` puts each row of the actuals (``models/actuals.yaml``) beside the
model's value for the same thing in one scenario (default ``today``, the realistic cost base),
with the difference and whether it lies within the row's stated tolerance (relative for money
and area, absolute for years and grades). :func:`plan_vs_outcome` sets the 2018 plan
(scenario ``plan_2018``) beside what happened (the actuals, and ``today`` where the record is
silent) for SNR, Helseplattformen, disposals and liquidity. Both read results in **nominal**
kroner (``run_models(..., prices="nominal")``), as the record is nominal.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from hmn_bygg.config import Model
from hmn_bygg.finance.actuals import Actual, actuals_for
from hmn_bygg.finance.nominal import BUILDING_CLASSES, project_series
from hmn_bygg.finance.price_basis import factor, index_for, parse_basis
from hmn_bygg.report.record_texts import PVO_ITEMS, money_unit, pvo_basis

__all__ = ["model_value", "plan_vs_outcome", "validation_table"]

ABSOLUTE = ("open_year", "vttg")


def _cum(da: xr.DataArray, year: int) -> float:
    return float(da.sel(year=slice(None, year)).sum())


def model_value(ds: xr.Dataset, model: Model, row: Actual) -> float:
    """Return the model's value for the thing a row of the actuals measures.

    Parameters
    ----------
    ds : xr.Dataset
        One scenario's results (no ``scenario`` dim), nominal kroner.
    model : Model
        That scenario's model.
    row : Actual
        The row.

    Returns
    -------
    float
        In the row's unit (MNOK nominal, year, m², TG); NaN when the year is outside the model.
    """
    hfs = list(row.hfs)
    years = ds["year"].to_numpy()
    if row.what not in ("open_year",) and row.year not in years:
        return float("nan")
    region = row.hf == "region"
    if row.what == "operating_result":
        return float(ds["operating_result"].sel(hf=hfs, year=row.year).sum())
    if row.what in ("project_spend", "project_spend_to"):
        inv = ds["investment"].sel(project=row.project, hf=hfs).sum("hf")
        return float(inv.sel(year=row.year)) if row.what == "project_spend" else _cum(inv, row.year)
    if row.what == "building_spend":
        projects = dict(model.finance.projects.items())
        keys = [k for k, p in projects.items() if p.asset_class.value in BUILDING_CLASSES]
        keys.append("ordinary_investment")
        return float(ds["investment"].sel(project=keys, hf=hfs, year=row.year).sum())
    if row.what == "loan_drawn":
        return float(ds["loan_drawdown_by_project"].sel(project=row.project, hf=hfs,
                                                        year=row.year).sum())  # fmt: skip
    if row.what == "open_year":
        assert row.project is not None  # Actual refuses an open_year row without a project
        opens = dict(model.finance.projects.items())[row.project].open_year.value
        return float(min(opens[h] for h in hfs))
    if row.what == "running_cost":
        return float(ds["project_running_cost"].sel(hf=hfs, year=row.year).sum())
    if row.what == "floor_area":
        da = ds["area_region"] if region else ds["area"].sel(hf=hfs).sum("hf")
        return float(da.sel(year=row.year))
    da = ds["vttg_region"] if region else ds["vttg"].sel(hf=hfs[0])
    return float(da.sel(year=row.year))


def _public(model: Model, row: Actual) -> float:
    """The row's value in nominal kroner of its year (money in fixed prices is converted)."""
    if row.price_year in (None, "nominal") or row.price_year == row.year:
        return row.value
    f = factor(index_for(model), "deflator", row.price_year, np.array([row.year]))[0]
    return row.value * float(f)


def _shown(model: Model, prices: str, year: int) -> float:
    """Kroner of the price basis ``prices`` per nominal krone of ``year`` [-]."""
    kind, basis = parse_basis(prices)
    if kind == "nominal":
        return 1.0
    d = index_for(model).values("deflator", np.array([year, basis]))
    return float(d[1] / d[0])


def validation_table(
    ds: xr.Dataset, model: Model, scenario: str = "today", *, prices: str = "nominal"
) -> pd.DataFrame:
    """Return each public figure beside the model's value for the same thing.

    Parameters
    ----------
    ds : xr.Dataset
        Results in nominal kroner with ``scenario``.
    model : Model
        The scenario's model (its actuals file, projects and price index).
    scenario : str
        Which scenario to compare.
    prices : str
        ``nominal`` (the record's own kroner) or ``real:YYYY``: money rows are shown in fixed
        prices of that year (public figure and model alike, by the deflator), so the
        difference keeps its sign and relative size.

    Returns
    -------
    pandas.DataFrame
        One row per actual: ``id, what, hf, year, unit, kind, public, model, difference,
        relative, tolerance, within, check, history, source``. ``public`` is kroner of the
        row's year (nominal) or of the price basis; ``within`` is NaN where the model has no
        value. ``attrs["prices"]`` says the basis.
    """
    one = ds.sel(scenario=scenario)
    plan = model.model.first_plan_year
    rows = []
    for row in actuals_for(model).rows:
        public, value = _public(model, row), model_value(one, model, row)
        if row.unit.startswith("MNOK"):
            k = _shown(model, prices, row.year)
            public, value = public * k, value * k
        diff = value - public
        rel = diff / abs(public) if public else np.nan
        limit = row.tolerance if row.what in ABSOLUTE else row.tolerance * abs(public)
        within = np.nan if np.isnan(value) else bool(abs(diff) <= limit + 1e-9)
        rows.append({"id": row.id, "what": row.what, "hf": row.hf, "year": row.year,
                     "unit": row.unit, "kind": row.kind, "public": public, "model": value,
                     "difference": diff, "relative": rel, "tolerance": row.tolerance,
                     "within": within, "check": row.check, "history": row.year < plan,
                     "source": row.source})  # fmt: skip
    out = pd.DataFrame(rows)
    out.attrs["prices"] = prices
    return out


def plan_vs_outcome(
    ds: xr.Dataset, plan: Model, outcome: Model, *, prices: str = "nominal", lang: str = "nb"
) -> pd.DataFrame:
    """Return the 2018 plan beside what happened (the record, else the realistic model).

    Parameters
    ----------
    ds : xr.Dataset
        Nominal results with the scenarios ``plan_2018`` and ``today``.
    plan, outcome : Model
        The two scenarios' models.
    prices : str
        ``nominal`` or ``real:YYYY``. Nominal shows the cost frames in the kroner they were
        set in (the ``basis`` column says which) and the model's money in each year's kroner;
        ``real:YYYY`` shows every amount in kroner of that year (cost frames by their own
        index, the rest by the deflator).
    lang : {"nb", "en"}
        Language of ``item``, ``unit`` and ``basis``.

    Returns
    -------
    pandas.DataFrame
        ``key, item, unit, plan, outcome, difference, basis`` for SNR (cost frame, opening
        year, spending to 2020), Helseplattformen (investment frame, running cost, go-lives),
        disposals (floor area in 2026) and regional liquidity (2025, 2030); ``key`` is the
        same in every language. ``attrs["prices"]`` says the basis.
    """
    p, o = ds.sel(scenario="plan_2018"), ds.sel(scenario="today")
    kind, basis_year = parse_basis(prices)
    real = kind == "real"
    index = index_for(outcome)
    years = ds["year"].to_numpy()
    k = (  # kroner of the basis per nominal krone, by year
        np.ones(years.size) if not real else factor(index, "deflator", basis_year, years) ** -1
    )

    def frame(project, leaf) -> float:  # a stated amount in its kroner, or the basis's
        if not real or leaf.price_year in (None, "nominal"):
            return float(leaf.value)
        series = project_series(project) if leaf is project.cost_mnok else "deflator"
        return float(leaf.value) * float(
            factor(index, series, leaf.price_year, np.array([basis_year]))[0]
        )

    def spent(d: xr.Dataset) -> float:
        inv = d["investment"].sel(project="snr").sum("hf").to_numpy()
        return float((inv * k)[years <= 2020].sum())

    def liquidity(d: xr.Dataset, year: int) -> float:
        return float(d["liquidity_region"].sel(year=year)) * float(k[years == year][0])

    snr_p, snr_o = plan.finance.projects.snr, outcome.finance.projects.snr
    hp_p = plan.finance.projects.helseplattformen
    hp_o = outcome.finance.projects.helseplattformen
    shares = snr_o.hf_share.value
    owner = max(shares, key=shares.__getitem__)  # the HF that carries SNR (models/hmn.yaml)
    go_lives = sorted(hp_o.open_year.value, key=hp_o.open_year.value.__getitem__)  # stable
    years_of = {"snr_cost": (snr_p.cost_mnok.price_year, snr_o.cost_mnok.price_year),
                "hp_running": (hp_p.running_cost_mnok.price_year,
                               hp_o.running_cost_mnok.price_year)}  # fmt: skip
    values = {
        "snr_cost": (frame(snr_p, snr_p.cost_mnok), frame(snr_o, snr_o.cost_mnok)),
        "snr_open": (snr_p.open_year.value[owner], snr_o.open_year.value[owner]),
        "snr_spent_2020": (spent(p), spent(o)),
        "hp_investment": (frame(hp_p, hp_p.cost_mnok), frame(hp_o, hp_o.cost_mnok)),
        "hp_running": (frame(hp_p, hp_p.running_cost_mnok), frame(hp_o, hp_o.running_cost_mnok)),
        **{f"hp_live_{h}": (hp_p.open_year.value[h], hp_o.open_year.value[h]) for h in go_lives},
        "area_2026": (
            float(p["area_region"].sel(year=2026)),
            float(o["area_region"].sel(year=2026)),
        ),
        "liquidity_2025": (liquidity(p, 2025), liquidity(o, 2025)),
        "liquidity_2030": (liquidity(p, 2030), liquidity(o, 2030)),
    }
    rows = []
    for key, (a, b) in values.items():
        item, unit = PVO_ITEMS["hp_live" if key.startswith("hp_live_") else key]
        label = item[lang].format(hf=key.removeprefix("hp_live_"))
        shown_unit = money_unit(unit, prices, lang)
        rows.append((key, label, shown_unit, a, b, pvo_basis(key, prices, lang, years_of.get(key))))
    out = pd.DataFrame(rows, columns=["key", "item", "unit", "plan", "outcome", "basis"])
    out.insert(5, "difference", out["outcome"].astype(float) - out["plan"].astype(float))
    out.attrs["prices"] = prices
    return out
