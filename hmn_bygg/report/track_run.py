"""Tracking in one call: run the plan scenario, read the surveys, compare (:mod:`.track`).

:func:`track_model` is what ``hmn-bygg track``, the sheet "Utvikling", the dashboard page and
the brief's section all call, so the four show the same figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from hmn_bygg.config import Model, load_scenarios
from hmn_bygg.register.snapshot_checks import SurveyWarning, check_snapshots
from hmn_bygg.register.snapshots import Snapshot, load_snapshots, register_folder
from hmn_bygg.report.track import track_table

PLAN_SCENARIO = "plan_2018"
"""The default plan: the bundled scenario of the plan as it was made from the 2018 survey."""


@dataclass
class Tracking:
    """Everything the tracking views show.

    Parameters
    ----------
    plan : str
        Name of the plan scenario.
    base_year : int
        Year of the survey the plan was made from [year].
    folder : Path
        The register folder.
    snapshots : list of Snapshot
        The surveys, oldest first.
    table : pandas.DataFrame
        :func:`hmn_bygg.report.track.track_table` (empty with one survey).
    warnings : list of SurveyWarning
        Unexplained changes across the surveys; a building gone that the plan disposes of
        by then (its disposal years with the scenario's overrides and delay) is not one.
    """

    plan: str
    base_year: int
    folder: Path
    snapshots: list[Snapshot]
    table: pd.DataFrame
    warnings: list[SurveyWarning] = field(default_factory=list)

    @property
    def synthetic_years(self) -> list[int]:
        """Survey years of the bundled, synthetic register (empty for a user's register)."""
        from hmn_bygg.core.paths import register_dir

        bundled = self.folder.resolve() == register_dir().resolve()
        return [s.year for s in self.snapshots] if bundled else []


def track_model(
    model: str | Path | None = None,
    plan: str = PLAN_SCENARIO,
    *,
    scenarios_path: str | Path | None = None,
    levels: Sequence[str] = ("region", "hf"),
    scenarios: dict[str, Model] | None = None,
) -> Tracking:
    """Run the plan scenario and compare it with every later survey of the model's register.

    Parameters
    ----------
    model : str or Path, optional
        Model file (default the bundled one).
    plan : str
        The scenario that stands for the plan (run from the first survey).
    scenarios_path : str or Path, optional
        Scenarios file (default beside the model).
    levels : sequence of str
        Levels of the table: ``region``, ``hf``, ``site``, ``building``.
    scenarios : dict of Model, optional
        Scenarios already loaded (``plan`` among them); then ``model`` is not read.

    Returns
    -------
    Tracking
        The table, the warnings and the surveys.
    """
    from hmn_bygg.engine.run import run_models

    if scenarios is None:
        scenarios = load_scenarios(model, scenarios_path, [plan])
    chosen = {plan: scenarios[plan]}
    folder, year = register_folder(chosen[plan])
    snaps = load_snapshots(folder, year)
    table, disposals = pd.DataFrame(), None
    if len(snaps) > 1:
        results = run_models(chosen, prices="nominal").sel(scenario=plan)
        table = track_table(results, chosen[plan], snaps, levels=levels)
        gone = results["disposal_year"]  # the plan's disposals: overrides, delay_years
        disposals = dict(zip(gone["building"].values.tolist(), gone.values.tolist(), strict=True))
    return Tracking(plan, year, folder, snaps, table, check_snapshots(snaps, disposals))
