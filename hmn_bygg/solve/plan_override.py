"""A solved plan as scenario overrides (dotted keys, as in ``models/scenarios.yaml``).

The engine has no per-building upgrade: an upgrade is carried as its cost added to the HF's
maintenance budget in its year, which the engine spends by the scenario's policy
(``maintenance.policy``). The optimiser counts an upgrade's grade gain as the smaller of the
building's own gain and what the engine's policy makes of the same money, so the simulated
plan is not credited with more than the engine gives.
"""

from __future__ import annotations

import numpy as np

from hmn_bygg.config import Model, as_hf_year_array, hf_codes
from hmn_bygg.engine.run import model_years
from hmn_bygg.solve.plan_data import budget_path


def plan_overrides(
    model: Model,
    years: np.ndarray,
    budget: np.ndarray,
    disposals: dict[str, int],
    source: str | None = None,
) -> dict:
    """Return the overrides that make ``model`` follow a plan.

    Parameters
    ----------
    model : Model
        The scenario the plan starts from.
    years : numpy.ndarray
        Plan years ``(T,)``.
    budget : numpy.ndarray
        Each HF's maintenance budget incl. its upgrades [MNOK, kroner of
        ``maintenance.budget_mnok``], ``(H, T)``.
    disposals : dict of str to int
        Disposal year by building id.
    source : str, optional
        Source text written on every key.

    Returns
    -------
    dict
        ``maintenance.budget_mnok.<HF>`` year paths (history unchanged), the regional extra
        budget set to zero from the plan year (it is inside the HF budgets), and
        ``portfolio.disposals.by_building`` (the model's own entries kept).
    """
    all_years = model_years(model)
    hfs = hf_codes()
    old = as_hf_year_array(model.maintenance.budget_mnok, hfs, all_years).to_numpy()
    out: dict[str, dict] = {}
    for i, hf in enumerate(hfs):
        new = {int(y): float(v) for y, v in zip(years, budget[i], strict=True)}
        out[f"maintenance.budget_mnok.{hf}"] = {"value": budget_path(old[i], all_years, new)}
    out["maintenance.extra_budget_mnok"] = {"from": int(years[0]), "value": 0.0}
    if disposals:
        mine = {str(k): v for k, v in model.portfolio.disposals.by_building.value.items()}
        out["portfolio.disposals.by_building"] = {"value": mine | dict(sorted(disposals.items()))}
    if source:
        out = {k: {**v, "source": source} for k, v in out.items()}
    return out


def overrides_yaml(name: str, overrides: dict) -> str:
    """Return overrides as a block to paste under ``overrides:`` in ``scenarios.yaml``."""
    import yaml

    text = yaml.safe_dump({name: overrides}, allow_unicode=True, sort_keys=False, width=88)
    return "\n".join("  " + line for line in text.splitlines())
