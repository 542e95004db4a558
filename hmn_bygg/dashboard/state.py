"""One browser session's state: the models, the register, the results, language and scenario.

A :class:`SessionState` is created for every session (:func:`hmn_bygg.dashboard.create_app`).
The baseline (the validated scenarios, the bundled register and the results of every
scenario on it) is computed once per server process and model files, then shared by the
sessions *read-only*: its arrays are flagged not writeable, so a page that tried to change
them in place would fail loudly instead of leaking into another session. Everything a
session changes (language, scenario, an uploaded register and its results, what-ifs) is its
own. What-ifs re-run one scenario against the session's register with
:func:`hmn_bygg.engine.run.run_models`, in two steps: condition and area first, then the long-term
budget booked on that same simulation (:func:`book_whatif`).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import param
import xarray as xr

from hmn_bygg.config import Model, apply_overrides, default_model_path, load_scenarios
from hmn_bygg.config.labels import scenario_labels
from hmn_bygg.core.errors import InputError
from hmn_bygg.engine.run import book_results, register_for, run_models
from hmn_bygg.stock import plan as scenario_portfolio

WHATIF = "whatif"
Labels = dict[str, dict[str, str]]


@dataclass(frozen=True)
class Baseline:
    """What every session of one server starts from (shared, read-only).

    Attributes
    ----------
    models : dict of str to Model
        The validated scenarios, in file order.
    register : xr.Dataset
        The register the models name.
    whatif_register : xr.Dataset
        ``register`` with every scenario's new buildings appended (what the results hold).
    results : xr.Dataset
        Every scenario on ``register``, with the long-term budget.
    labels : dict
        Scenario display names from the scenario file, ``{name: {"nb": .., "en": ..}}``.
    saved_stamp : tuple of int, optional
        The user scenarios file's stamp when its saved scenarios were read
        (:func:`hmn_bygg.config.user_scenarios.user_file_stamp`).
    saved_error : InputError, optional
        Why the saved scenarios were left out (the user file did not validate); rendered in
        the page's language where it is shown.
    """

    models: dict[str, Model]
    register: xr.Dataset
    whatif_register: xr.Dataset
    results: xr.Dataset
    labels: Labels
    saved_stamp: tuple[int, int] | None = None
    saved_error: InputError | None = None


_BASELINES: dict[tuple, Baseline] = {}
_LOCK = threading.Lock()


def _file_stamps(paths: list[Path]) -> tuple[tuple[str, int, int], ...]:
    """Return (path, mtime, size) of each file, or of each file in each folder."""
    files: list[Path] = []
    for p in paths:
        files += sorted(f for f in p.iterdir() if f.is_file()) if p.is_dir() else [p]
    out = []
    for f in files:
        try:
            st = f.stat()
        except OSError:
            continue
        out.append((str(f), st.st_mtime_ns, st.st_size))
    return tuple(out)


def read_only(ds: xr.Dataset) -> xr.Dataset:
    """Flag every NumPy array of ``ds`` (data and coordinates) not writeable; return ``ds``."""
    for var in ds.variables.values():
        data = var.data  # the array itself for NumPy-backed variables (no copy)
        if isinstance(data, np.ndarray):
            data.flags.writeable = False
    return ds


def load_baseline(model_path: str | None = None, scenarios_path: str | None = None) -> Baseline:
    """Return the shared baseline of ``model_path``, computing it when its files changed.

    Parameters
    ----------
    model_path : str, optional
        Model file (default: the bundled ``models/hmn.yaml``).
    scenarios_path : str, optional
        Scenario file (default ``scenarios.yaml`` beside the model), e.g. the user scenarios
        file with saved what-ifs; a change to it is seen by the next session. The scenarios
        saved in the user scenarios file come after its own
        (:func:`hmn_bygg.config.user_scenarios.saved_scenarios`).

    Returns
    -------
    Baseline
        Cached per model file and the modification times of the model folder's files, the
        register's files and the user scenarios file; one baseline is kept at a time.

    Raises
    ------
    hmn_bygg.core.errors.InputError
        When the model files or the register have problems.
    """
    from hmn_bygg.config.user_scenarios import saved_scenarios, user_file_stamp

    path = Path(model_path) if model_path is not None else default_model_path()
    stamp = user_file_stamp()
    models = load_scenarios(model_path, scenarios_path)
    try:
        models |= saved_scenarios(model_path, set(models))
        saved_error = None
    except InputError as err:  # a hand-edited user file: shown on the comparison page
        saved_error = err
    first = next(iter(models.values()))
    key = (
        str(path.resolve()),
        _file_stamps([path.resolve().parent]),
        _file_stamps(first.register_paths()),
        _file_stamps([Path(scenarios_path)]) if scenarios_path else (),
        stamp,
        tuple(models),
    )
    with _LOCK:
        hit = _BASELINES.get(key)
        if hit is None:
            register = register_for(models)
            results = run_models(models, register)
            labels = scenario_labels(model_path)
            hit = Baseline(
                models=dict(models),
                register=read_only(register),
                whatif_register=read_only(scenario_portfolio.with_new_buildings(register, models)),
                results=read_only(results),
                labels=labels,
                saved_stamp=stamp,
                saved_error=saved_error,
            )
            _BASELINES.clear()
            _BASELINES[key] = hit
    return hit


class SessionState(param.Parameterized):
    """State shared by the pages of one session.

    Parameters
    ----------
    model_path : str, optional
        Model file (default: the bundled ``models/hmn.yaml``).
    scenarios_path : str, optional
        Scenario file (default beside the model), e.g. the user scenarios file.
    """

    lang = param.Selector(default="nb", objects=["nb", "en"], doc="Language of the pages.")
    scenario = param.String(default="", doc="Scenario shown on the pages.")
    results = param.ClassSelector(class_=xr.Dataset, doc="Results of every scenario.")
    register_origin = param.Selector(default="bundled", objects=["bundled", "uploaded"])
    saved = param.Integer(default=0, doc="Counts the changes of the saved scenarios taken in.")

    def __init__(
        self, model_path: str | None = None, scenarios_path: str | None = None, **params: Any
    ) -> None:
        base = load_baseline(model_path, scenarios_path)
        super().__init__(results=base.results, scenario=next(iter(base.models)), **params)
        self.models: dict[str, Model] = dict(base.models)
        self.labels: Labels = base.labels
        self.register: xr.Dataset = base.register
        self.bundled_register: xr.Dataset = base.register
        self.whatif_register: xr.Dataset = base.whatif_register
        self._bundled = base
        self.model_path, self.scenarios_path = model_path, scenarios_path

    @property
    def scenario_names(self) -> list[str]:
        """The scenarios in file order."""
        return list(self.models)

    @property
    def saved_error(self) -> InputError | None:
        """Why the user scenarios file's saved scenarios were left out (None: they were not)."""
        return self._bundled.saved_error

    @property
    def model(self) -> Model:
        """The chosen scenario's validated model."""
        return self.models[self.scenario]

    def use_register(self, register: xr.Dataset, origin: str) -> None:
        """Run every scenario on ``register`` and make it the session's register.

        Raises
        ------
        hmn_bygg.core.errors.InputError
            When the scenarios cannot run on it (the state is then unchanged).
        """
        if register is self._bundled.register:
            results, extended = self._bundled.results, self._bundled.whatif_register
        else:
            results = run_models(self.models, register)
            extended = scenario_portfolio.with_new_buildings(register, self.models)
        self.register, self.whatif_register = register, extended
        with param.parameterized.batch_call_watchers(self):
            self.register_origin = origin
            self.results = results

    def results_for(self, base: Baseline) -> xr.Dataset:
        """Return every scenario of ``base`` on the session's register, in its price basis.

        Reads only the session's register and results, so it may run in a worker thread.
        """
        from hmn_bygg.finance.price_basis import index_for, reprice

        bundled = self.register is self._bundled.register
        results = base.results if bundled else run_models(base.models, self.register)
        prices = self.results.attrs.get("prices")
        if prices is not None and results.attrs.get("prices") != prices:
            results = reprice(results, prices, index_for(next(iter(base.models.values()))))
        return results

    def take_saved(self, base: Baseline, results: xr.Dataset) -> None:
        """Take the scenarios of ``base`` (saved ones come or go) with their ``results``
        (:meth:`results_for`) without drawing the pages again: a what-if in progress keeps its
        settings. Only ``saved`` moves; the comparison and the sidebar's list watch it.
        """
        if self.register is self._bundled.register:
            self.register = self.bundled_register = base.register
            self.whatif_register = base.whatif_register
        else:
            self.whatif_register = scenario_portfolio.with_new_buildings(self.register, base.models)
        self.models, self.labels, self._bundled = dict(base.models), base.labels, base
        with param.parameterized.discard_events(self):
            self.results = results
        if self.scenario not in self.models:  # removed from the file by hand: redraw all
            self.scenario = next(iter(self.models))
        self.saved += 1

    def whatif_inputs(self, overrides: Mapping[str, Any]) -> tuple[Model, xr.Dataset]:
        """Return the chosen scenario with ``overrides`` and the register for a what-if.

        Parameters
        ----------
        overrides : mapping of str to Any
            Override forms as in ``models/scenarios.yaml`` (dotted keys); a disposal shift is
            ``portfolio.disposals.delay_years``.

        Returns
        -------
        (Model, xr.Dataset)
            For :func:`run_whatif_model` and :func:`book_whatif`.
        """
        model = apply_overrides(self.model, dict(overrides)) if overrides else self.model
        return model, self.whatif_register

    def run_whatif(self, overrides: Mapping[str, Any], *, book: bool = True) -> xr.Dataset:
        """Run the chosen scenario with ``overrides`` (dotted keys).

        Parameters
        ----------
        overrides : mapping of str to Any
            Override forms as in ``models/scenarios.yaml``.
        book : bool
            Book the long-term budget too (slower); ``False`` gives condition and area only.

        Returns
        -------
        xr.Dataset
            Results with one scenario, named ``"whatif"``.
        """
        return run_whatif_model(*self.whatif_inputs(overrides), book=book)


def run_whatif_model(model: Model, register: xr.Dataset, *, book: bool = True) -> xr.Dataset:
    """Run one what-if scenario (see :meth:`SessionState.whatif_inputs`) on ``register``."""
    return run_models({WHATIF: model}, register, book=book)


def book_whatif(
    condition: xr.Dataset, model: Model, register: xr.Dataset, prices: str | None = None
) -> xr.Dataset:
    """Book the long-term budget on a what-if's condition results (``book=False``).

    Gives what :func:`run_whatif_model` with ``book=True`` gives, without simulating again:
    the same steps as :func:`hmn_bygg.engine.run.run_models` after the simulation. Reads only its
    arguments, so it may run in a worker thread. ``prices`` (``nominal`` or ``real:YYYY``,
    default the model's ``model.price_basis``) is the basis the money is shown in: the
    session's, so that the what-if and the baseline it is drawn against are in one basis.
    """
    scenarios = {WHATIF: model}
    register = scenario_portfolio.with_new_buildings(register, scenarios)
    return book_results(condition, scenarios, register, prices)
