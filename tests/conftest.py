"""Shared test fixtures: a tiny register and stacked inputs for it; the dashboard server.

Markers (``pyproject.toml``): ``slow``, ``browser``, ``notebook``; all run by default. Under
``--dist loadscope`` (``pyproject.toml``) a module's tests run on one worker in file order, so
the browser tests share one server (``xdist_group`` marks would not: pytest-xdist 3.8's
``loadgroup`` does not group under pytest 9); the server starts once per test session (per
worker) and answers before the first test that asks for it. Every wait in the browser tests
has the one deadline of :mod:`tests.harness.deadline` (``HMN_TEST_DEADLINE_S``). See
``tests/README.md``.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from hypothesis import settings
from hypothesis import strategies as st

from hmn_bygg.condition.inputs import ConditionInputs
from hmn_bygg.register import model as register_model

HFS = ("HMR", "HNT", "STO")

# Property tests: a bounded default (no per-example deadline: a loaded machine can make one
# example slow, which is no bug); HYPOTHESIS_PROFILE=thorough for a long hunt.
settings.register_profile("default", max_examples=40, deadline=None)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


RISK_FIXTURE = Path(__file__).parent / "fixtures" / "risk" / "model.yaml"
"""A small model with uncertainty declared on every kind of input (the risk tests)."""


def one_building(grade: float) -> xr.Dataset:
    """One HMR building of 1 000 m², every part at ``grade``."""
    b = pd.DataFrame(
        {
            "building_id": ["OLD"],
            "name": ["Gammel"],
            "hf": ["HMR"],
            "site": ["Gml"],
            "use": ["somatic"],
            "floor_area": [1000.0],
            "built_year": [1970],
            "replacement_value": [60000.0],
            "planned_disposal_year": [np.nan],
        }
    )
    parts = pd.DataFrame(
        {"building_id": "OLD", "part": [str(p) for p in range(2, 8)], "condition_grade": grade}
    )
    return register_model.build_register(b, parts)


def tiny_register(grades: list[list[float]] | None = None) -> xr.Dataset:
    """Return a register of four buildings in three HFs, with part grades."""
    b = pd.DataFrame(
        {
            "building_id": ["A", "B", "C", "D"],
            "name": ["Blokk A", "Blokk B", "Bolig C", "Senter D"],
            "hf": ["HMR", "HMR", "HNT", "STO"],
            "site": ["Molde", "Kristiansund", "Levanger", "Øya"],
            "use": ["somatic", "somatic", "housing", "somatic"],
            "floor_area": [10_000.0, 5_000.0, 800.0, 20_000.0],
            "built_year": [1970, 1980, 1960, 2010],
            "replacement_value": [65_000.0, 65_000.0, 30_000.0, 70_000.0],
            "planned_disposal_year": [np.nan, 2022, np.nan, np.nan],
        }
    )
    grades = grades or [
        [2, 3, 2, 2, 1, 2],
        [3, 3, 3, 2, 2, 2],
        [1, 2, 1, 1, 0, 1],
        [0, 1, 1, 0, 0, 1],
    ]
    rows = [
        {"building_id": bid, "part": str(p), "condition_grade": float(g)}
        for bid, gs in zip(b.building_id, grades, strict=True)
        for p, g in zip(range(2, 8), gs, strict=True)
    ]
    return register_model.build_register(b, pd.DataFrame(rows))


def make_inputs(register: xr.Dataset, scenarios: int | list[str] = 1, **changes) -> ConditionInputs:
    """Return inputs for ``register`` with plausible defaults, one row per scenario."""
    names = [f"s{i}" for i in range(scenarios)] if isinstance(scenarios, int) else list(scenarios)
    s = len(names)
    years = np.arange(2018, 2031)
    n_b = register.sizes["building"]
    base = {
        "scenarios": tuple(names),
        "years": years,
        "hfs": HFS,
        "wear_model": np.array(["deterministic"] * s),
        "wear_shape": np.ones(s),
        "part_life": np.tile([60.0, 35.0, 35.0, 20.0, 30.0, 35.0], (s, 1)),
        "wear_rate_factor": np.ones(s),
        "should_nok_per_m2": np.tile([2080.0, 1040.0, 640.0, 360.0, 200.0, 240.0], (s, 1)),
        "must_nok_per_m2": np.tile([5200.0, 2600.0, 1600.0, 900.0, 500.0, 600.0], (s, 1)),
        "renew_nok_per_m2": np.tile([520.0, 260.0, 160.0, 90.0, 50.0, 60.0], (s, 1)),
        "budget_mnok": np.full((s, len(HFS), len(years)), 5.0),
        "policy": np.array(["worst_first"] * s),
        "risk_weight": np.tile([1.0, 1.2, 1.2, 1.0, 0.8, 0.6], (s, 1)),
        "result_grade": np.zeros(s),
        "disposal_horizon": np.full(s, 5.0),
        "weighting": np.array(["area"] * s),
        "disposal_year": np.tile(register["planned_disposal_year"].to_numpy(), (s, 1)),
        "open_year": np.full((s, n_b), np.nan),
    }
    base.update(changes)
    return ConditionInputs(**base)


@pytest.fixture
def register() -> xr.Dataset:
    return tiny_register()


@pytest.fixture(scope="session")
def dashboard_url(worker_id: str):
    """The URL of one dashboard server (``hmn-bygg serve``) for the whole test session.

    Started on first use and answering (``/liveness``) before the test that asked for it
    runs; one per pytest-xdist worker (tests that use it share an ``xdist_group``).
    """
    from hmn_bygg.report.chromium import DEFAULT_CHROMIUM
    from tests.harness import start_server, stop_server

    if not Path(DEFAULT_CHROMIUM).exists():
        pytest.fail(f"no Chromium at {DEFAULT_CHROMIUM}: run scripts/setup.sh --test")
    home = Path(__file__).resolve().parents[1] / ".home" / f"dashboard_tests_{worker_id}"
    # what-ifs saved by an earlier test run would join every session's scenarios
    (home / ".hmn_bygg" / "scenarios.yaml").unlink(missing_ok=True)
    proc, url = start_server(home=home)
    try:
        yield url
    finally:
        stop_server(proc)


@pytest.fixture(scope="module")
def models():
    """The bundled model's scenarios (``load_scenarios()``), once per test module."""
    from hmn_bygg.config import load_scenarios

    return load_scenarios()


@pytest.fixture(scope="module")
def results(models):
    """The results of :func:`models` (``run_models``), once per test module."""
    from hmn_bygg.engine.run import run_models

    return run_models(models)


@st.composite
def registers(draw) -> xr.Dataset:
    """Small valid registers (hypothesis): 1–6 buildings, random HFs, areas and part grades."""
    n = draw(st.integers(1, 6))
    hf = draw(st.lists(st.sampled_from(HFS), min_size=n, max_size=n))
    area = draw(st.lists(st.floats(50, 50_000), min_size=n, max_size=n))
    grades = draw(
        st.lists(
            st.lists(st.sampled_from([0.0, 1.0, 2.0, 3.0, 1.5, 2.4]), min_size=6, max_size=6),
            min_size=n,
            max_size=n,
        )
    )
    disposal = draw(
        st.lists(st.sampled_from([np.nan, np.nan, 2020.0, 2024.0]), min_size=n, max_size=n)
    )
    b = pd.DataFrame(
        {
            "building_id": [f"B{i}" for i in range(n)],
            "name": [f"Bygg {i}" for i in range(n)],
            "hf": hf,
            "site": ["Sted"] * n,
            "floor_area": area,
            "built_year": [1970] * n,
            "planned_disposal_year": disposal,
        }
    )
    rows = [
        {"building_id": f"B{i}", "part": str(p + 2), "condition_grade": g}
        for i in range(n)
        for p, g in enumerate(grades[i])
    ]
    return register_model.build_register(b, pd.DataFrame(rows))
