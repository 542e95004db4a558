"""Wear rates from the record: estimate each part group's wear from two surveys.

With two or more surveys of one register (:mod:`hmn_bygg.register.snapshots`), the first and
the last are compared. Only buildings in both with **no money recorded** between them
(``spent_since_survey_mnok`` empty or 0) tell how parts wear untouched, and only parts whose
wear-only grade (:func:`hmn_bygg.report.track.wear_only`) stays below TG3 (a part at the cap
tells nothing about speed). Per NS 3451 part group:

- observed rate ``r = mean(g_last − g_first) / Δt`` [TG/year] with its standard error
  ``sd / √n / Δt``;
- the model's rate ``m = mean(g_wear − g_first) / Δt`` on the same parts;
- speed ``k = r / m`` (1: as the model assumes) and the life that gives it, ``life / k``, with
  a 95 % interval from ``k ± 1,96 se / m``.

:func:`calibration_overrides` turns the estimate into an override that a user can adopt (a
scenario, :func:`hmn_bygg.config.user_scenarios.save_scenario`): the part lives, and the
spread of the estimated speeds as the uncertainty of ``condition.wear_rate_factor`` for the
Monte Carlo. Nothing is changed unless the user saves and runs it. The observed grades are
capped at TG3, so a fast-wearing group is estimated a little low; integer survey grades make
single buildings coarse, the mean over many is what is estimated.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from hmn_bygg.config import Model
from hmn_bygg.register.snapshots import Snapshot
from hmn_bygg.report.track import wear_only

Z95 = 1.96
"""Normal quantile of a two-sided 95 % interval."""


def calibrate_wear(model: Model, snapshots: Sequence[Snapshot]) -> pd.DataFrame:
    """Estimate the wear speed per part group from the first and last survey.

    Parameters
    ----------
    model : Model
        Gives the assumed lives, wear speed and shape.
    snapshots : sequence of Snapshot
        At least two surveys, oldest first.

    Returns
    -------
    pandas.DataFrame
        Index the part codes; columns ``n`` (parts used), ``observed`` and ``model`` [TG/year],
        ``speed`` [-] and ``speed_se`` [-], ``life_model``, ``life_estimate``, ``life_low``,
        ``life_high`` [years]; NaN where no part could tell.
    """
    if len(snapshots) < 2:
        raise ValueError("calibration needs two or more surveys")
    first, last = snapshots[0], snapshots[-1]
    years = last.year - first.year
    a, b = first.register, last.register
    both = [x for x in b["building"].values.tolist() if x in set(a["building"].values.tolist())]
    spent = b["spent_since_survey_mnok"] if "spent_since_survey_mnok" in b else None
    unpaid = [x for x in both if spent is None or not float(spent.sel(building=x)) > 0]
    g0 = a["condition_grade"].sel(building=unpaid)
    g1 = b["condition_grade"].sel(building=unpaid)
    gw = wear_only(a, model, years).sel(building=unpaid)
    lives = model.condition.part_life_years.value
    rows = []
    for part in a["part"].values.tolist():
        use = (gw.sel(part=part) < 3.0) & g0.sel(part=part).notnull() & g1.sel(part=part).notnull()
        obs = (g1.sel(part=part) - g0.sel(part=part)).values[use.values] / years
        mod = (gw.sel(part=part) - g0.sel(part=part)).values[use.values] / years
        n = int(obs.size)
        life = float(lives[str(part)])
        if n < 2 or mod.mean() <= 0:
            rows.append(dict(part=str(part), n=n, life_model=life))
            continue
        se = float(obs.std(ddof=1) / math.sqrt(n))
        k, m = float(obs.mean() / mod.mean()), float(mod.mean())
        k_se = se / m
        low_k, high_k = k + Z95 * k_se, max(k - Z95 * k_se, 1e-9)
        rows.append(dict(part=str(part), n=n, observed=float(obs.mean()), model=m, speed=k,
                         speed_se=k_se, life_model=life, life_estimate=life / max(k, 1e-9),
                         life_low=life / low_k, life_high=life / high_k))  # fmt: skip
    return pd.DataFrame(rows).set_index("part")


def calibration_overrides(
    table: pd.DataFrame, years: tuple[int, int], factor: float = 1.0
) -> dict[str, Any]:
    """Return the estimate as overrides (the scenario-file forms), ready to adopt.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`calibrate_wear`.
    years : tuple of int
        The two survey years compared.
    factor : float
        The model's ``condition.wear_rate_factor`` the lives were estimated under [-].

    Returns
    -------
    dict
        ``condition.part_life_years`` (estimated lives; the model's where a group could not
        tell) and ``condition.wear_rate_factor`` with a log-normal uncertainty whose sigma is
        the spread of the estimated speeds (the part groups' standard errors, pooled).
    """
    est = table["life_estimate"].fillna(table["life_model"]) / max(factor, 1e-12)
    lives = {str(p): round(float(v), 1) for p, v in est.items()}
    told = table.dropna(subset=["speed"])
    rel = (told["speed_se"] / told["speed"]).to_numpy()
    sigma = round(float(np.sqrt(np.mean(rel**2))), 3) if rel.size else 0.0
    where = f"surveys {years[0]} and {years[1]} (hmn-bygg track --calibrate)"
    return {
        "condition.part_life_years": {
            "value": lives,
            "source": f"calibrated from the {where}: buildings with no money recorded, "
            "parts below TG3; groups without evidence keep the model's life",
        },
        "condition.wear_rate_factor": {
            "value": 1.0,
            "source": f"calibrated lives carry the speed ({where})",
            "uncertainty": {
                "dist": "lognormal",
                "sigma": max(sigma, 0.001),
                "source": f"standard errors of the speeds estimated from the {where}, pooled",
            },
        },
    }
