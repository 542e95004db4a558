"""One browser session's state: the models, the register, the results, language and scenario.

A :class:`SessionState` is created for every session (:func:`hmn_bygg.dashboard.create_app`),
so sessions never share mutable objects. The register is loaded once per session; what-ifs
re-run one scenario against it with :func:`hmn_bygg.run.run_models`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import param
import xarray as xr

from hmn_bygg.config import Model, apply_overrides, load_scenarios
from hmn_bygg.run import register_for, run_models

WHATIF = "whatif"


class SessionState(param.Parameterized):
    """State shared by the pages of one session.

    Parameters
    ----------
    model_path : str, optional
        Model file (default: the bundled ``models/hmn.yaml``).
    """

    lang = param.Selector(default="nb", objects=["nb", "en"], doc="Language of the pages.")
    scenario = param.String(default="", doc="Scenario shown on the pages.")
    results = param.ClassSelector(class_=xr.Dataset, doc="Results of every scenario.")
    register_origin = param.Selector(default="bundled", objects=["bundled", "uploaded"])

    def __init__(self, model_path: str | None = None, **params: Any) -> None:
        models = load_scenarios(model_path)
        register = register_for(models)
        results = run_models(models, register)
        super().__init__(results=results, scenario=next(iter(models)), **params)
        self.models: dict[str, Model] = dict(models)
        self.register: xr.Dataset = register
        self.bundled_register: xr.Dataset = register

    @property
    def scenario_names(self) -> list[str]:
        """The scenarios in file order."""
        return list(self.models)

    @property
    def model(self) -> Model:
        """The chosen scenario's validated model."""
        return self.models[self.scenario]

    def use_register(self, register: xr.Dataset, origin: str) -> None:
        """Run every scenario on ``register`` and make it the session's register.

        Raises
        ------
        hmn_bygg.errors.InputError
            When the scenarios cannot run on it (the state is then unchanged).
        """
        results = run_models(self.models, register)
        self.register = register
        with param.parameterized.batch_call_watchers(self):
            self.register_origin = origin
            self.results = results

    def run_whatif(
        self, overrides: Mapping[str, Any], disposal_shift: int = 0, *, book: bool = True
    ) -> xr.Dataset:
        """Run the chosen scenario with ``overrides`` (dotted keys) and shifted disposals.

        Parameters
        ----------
        overrides : mapping of str to Any
            Override forms as in ``models/scenarios.yaml``.
        disposal_shift : int
            Years to move the register's planned disposals (negative: earlier) [years].
        book : bool
            Book the long-term budget too (slower); ``False`` gives condition and area only.

        Returns
        -------
        xr.Dataset
            Results with one scenario, named ``"whatif"``.
        """
        model = apply_overrides(self.model, dict(overrides)) if overrides else self.model
        register = self.register
        if disposal_shift:
            first = int(results_years(self.results)[0])
            moved = register["planned_disposal_year"] + disposal_shift
            moved = moved.where(moved.isnull() | (moved > first), first + 1)
            register = register.assign(planned_disposal_year=moved)
        if not book:
            return run_models({WHATIF: model}, register, book=False)
        return run_models({WHATIF: model}, register)


def results_years(ds: xr.Dataset) -> np.ndarray:
    """Return the model years of a results Dataset."""
    return ds["year"].to_numpy()
