"""The fused year loop and the in-service aggregates per distinct row (issue 17).

The compiled year loop (:mod:`hmn_bygg.condition.year_kernel`) must give, bit for bit, what the
general path of the year loop gives (wear and need, water-filling, measures and sums as separate
passes); the in-service masks and aggregates computed once per distinct row must equal those
computed for every row as the rows lie in memory.
"""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
from conftest import HFS, make_inputs, registers, tiny_register
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hmn_bygg.condition import in_service
from hmn_bygg.condition import simulate as sim
from hmn_bygg.condition.in_service import distinct_rows, service_masks, service_rows, service_sums
from hmn_bygg.condition.waterfill import Blocks
from hmn_bygg.stock.portfolio import in_service_array

SETTINGS = settings(deadline=None, max_examples=40, suppress_health_check=[HealthCheck.too_slow])
YEARS = 13


@st.composite
def cases(draw):
    """A register and rows that differ in budgets, policy, weighting, wear and stock years."""
    reg = draw(registers())
    n_b, rows = reg.sizes["building"], draw(st.integers(1, 5))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    budget = rng.choice([0.0, 0.5, 3.0, 20.0, 200.0], (rows, len(HFS), YEARS))
    disposal = np.tile(reg["planned_disposal_year"].to_numpy(), (rows, 1))
    if draw(st.booleans()):  # disposal years drawn per row, in whole years (a delay)
        disposal = disposal + rng.integers(-2, 3, (rows, 1))
    opens = np.full((rows, n_b), np.nan)
    if draw(st.booleans()):
        opens[:, -1] = rng.choice([np.nan, 2021.0, 2023.0, np.inf], rows)
    changes = {
        "budget_mnok": budget,
        "result_grade": np.ones(rows),
        "policy": rng.choice(["worst_first", "best_value"], rows),
        "weighting": rng.choice(["area", "value"], rows) if draw(st.booleans()) else None,
        "wear_rate_factor": rng.choice([0.0, 0.7, 1.0, 1.6], rows),
        "disposal_year": disposal,
        "open_year": opens,
    }
    return reg, make_inputs(reg, rows, **{k: v for k, v in changes.items() if v is not None})


@SETTINGS
@given(cases(), st.booleans())
def test_the_fused_year_loop_is_the_general_path_bit_for_bit(case, aggregates):
    reg, inputs = case
    fused = sim.simulate(reg, inputs, aggregates_only=aggregates)
    try:
        sim._FUSED = False
        general = sim.simulate(reg, inputs, aggregates_only=aggregates)
    finally:
        sim._FUSED = True
    xr.testing.assert_identical(fused, general)


def test_the_fused_loop_runs_the_usual_case_and_only_it(monkeypatch):
    calls = []
    real = sim.run_linear
    monkeypatch.setattr(sim, "run_linear", lambda *a, **k: calls.append(1) or real(*a, **k))
    reg = tiny_register()
    inputs = make_inputs(reg, 2, result_grade=np.ones(2))
    sim.simulate(reg, inputs)
    assert calls
    calls.clear()
    sim.simulate(reg, make_inputs(reg, 2, result_grade=np.ones(2), wear_shape=np.array([1, 1.5])))
    sim.simulate(reg, make_inputs(reg, 2, result_grade=np.array([1.0, 0.0])))
    assert not calls


def _old_layout(x: np.ndarray) -> np.ndarray:
    """``x`` as the year loop gets it: ``inputs.x[:, order]`` lies row-fastest in memory, and
    one row when every row is the same (``simulate._shared``)."""
    return sim._shared(np.asfortranarray(x))


@SETTINGS
@given(
    st.integers(1, 9),
    st.integers(1, 8),
    st.integers(0, 2**32 - 1),
    st.sampled_from(["same", "few", "all"]),
    st.booleans(),
)
def test_in_service_per_distinct_row_equals_every_row(rows, n_b, seed, spread, own_weights):
    rng = np.random.default_rng(seed)
    years = np.arange(2018, 2018 + YEARS)
    base_open = rng.choice([np.nan, 2020.0, 2025.0, np.inf], (1, n_b))
    base_disp = rng.choice([np.nan, 2019.0, 2024.0, 2029.0], (1, n_b))
    shift = {"same": 0, "few": rng.integers(0, 2, (rows, 1)), "all": rng.integers(-3, 4, (rows, 1))}
    disposal = _old_layout(np.broadcast_to(base_disp + shift[spread], (rows, n_b)).copy())
    opens = _old_layout(np.repeat(base_open, rows, axis=0))
    horizon = np.full((1, 1, 1), 5.0)
    # the old step: every row at once
    act = in_service_array(opens, disposal, years)
    ok = np.isnan(disposal)[:, None, :] | (disposal[:, None, :] - years[None, :, None] > horizon)
    wearing = np.zeros_like(act)
    wearing[:, 1:] = act[:, 1:] & act[:, :-1]
    got = service_masks(opens, disposal, horizon, years)
    for a, b in zip(got, (act, act & ok, wearing), strict=True):
        assert np.array_equal(np.broadcast_to(a, b.shape), b)
    area, value = rng.uniform(50, 5e4, n_b), rng.uniform(1e4, 8e4, n_b)
    graded = rng.random(n_b) < 0.8
    weight = area * value if not own_weights else rng.uniform(1, 1e4, (rows, n_b))
    weight = np.atleast_2d(weight)
    blocks = Blocks(np.array([n_b // 2, 0, n_b - n_b // 2]))
    area_in = area * act
    value_mnok = area_in * value / 1e6
    w = weight[:, None, :] * act * graded

    def own(x: np.ndarray) -> np.ndarray:  # each row's own (pairwise) sum, whatever the rest
        return np.stack([np.ascontiguousarray(r).sum(-1) for r in x])

    want = {
        "area": blocks.sums(area_in),
        "area_region": own(area_in),
        "replacement_value_total": blocks.sums(value_mnok),
        "value_region": own(value_mnok),
        "vttg_den": blocks.sums(w),
        "vttg_den_region": own(w),
    }
    sums = service_sums(blocks, area, value, graded, weight, got[0])
    for k, x in want.items():
        n = max(x.shape[0], sums[k].shape[0])
        assert np.array_equal(
            np.broadcast_to(sums[k], (n, *x.shape[1:])), np.broadcast_to(x, (n, *x.shape[1:]))
        ), k


@SETTINGS
@given(st.integers(2, 9), st.integers(1, 8), st.integers(0, 2**32 - 1), st.booleans())
def test_service_rows_with_a_memo_equal_masks_then_sums(rows, n_b, seed, value_weighted):
    """Blocks that share a memo (and outgrow it) get the bits of service_masks + service_sums."""
    rng = np.random.default_rng(seed)
    years = np.arange(2018, 2018 + YEARS)
    area, value = rng.uniform(50, 5e4, n_b), rng.uniform(1e4, 8e4, n_b)
    graded = rng.random(n_b) < 0.8
    weight = np.atleast_2d(area * value if value_weighted else area)
    blocks = Blocks(np.array([n_b // 2, 0, n_b - n_b // 2]))
    base_open = rng.choice([np.nan, 2020.0, 2025.0, np.inf], (1, n_b))
    base_disp = rng.choice([np.nan, 2019.0, 2024.0, 2029.0], (1, n_b))
    memo: dict = {}
    for block in range(6):
        shift = rng.integers(-3, 4, (rows, 1)) if block % 3 else rng.integers(0, 2, (rows, 1))
        disposal = _old_layout(np.broadcast_to(base_disp + shift, (rows, n_b)).copy())
        opens = _old_layout(np.repeat(base_open + (block == 5), rows, axis=0))
        horizon = np.full((1, 1, 1), 5.0)
        want = service_masks(opens, disposal, horizon, years)
        want_sums = service_sums(blocks, area, value, graded, weight, want[0])
        got = service_rows(
            opens, disposal, horizon, years, blocks, (area, value, graded), weight, memo
        )
        for a, b in zip(got[:3], want, strict=True):
            assert a.dtype == b.dtype and np.array_equal(np.broadcast_to(a, b.shape), b)
        for k, x in want_sums.items():
            n = max(x.shape[0], got[3][k].shape[0])
            assert np.array_equal(
                np.broadcast_to(got[3][k], (n, *x.shape[1:])), np.broadcast_to(x, (n, *x.shape[1:]))
            ), k
        assert len(memo) <= in_service.MEMO_ROWS


def test_service_rows_memo_stays_bounded(monkeypatch):
    monkeypatch.setattr(in_service, "MEMO_ROWS", 8)
    years = np.arange(2018, 2030)
    area = np.array([100.0, 200.0])
    blocks = Blocks(np.array([1, 0, 1]))
    memo: dict = {}
    for k in range(20):
        disposal = np.array([[2020.0 + k, np.nan], [2040.0 + k, 2021.0]])
        opens = np.full((1, 2), np.nan)
        one = (area, area, np.ones(2, bool))
        got = service_rows(
            opens, disposal, np.full((1, 1, 1), 5.0), years, blocks, one, area[None], memo
        )
        want = service_masks(opens, disposal, np.full((1, 1, 1), 5.0), years)
        assert all(np.array_equal(a, b) for a, b in zip(got[:3], want, strict=True))
        assert len(memo) <= 8


def test_distinct_rows_tell_nan_from_inf_and_keep_first_appearance():
    x = np.array([[1.0, np.nan], [1.0, np.inf], [1.0, np.nan], [2.0, np.nan]])
    first, inverse = distinct_rows(x, np.array([[True], [True], [True], [True]]))
    assert first.tolist() == [0, 1, 3] and inverse.tolist() == [0, 1, 0, 2]
    assert distinct_rows(x[:1]) is None


@pytest.mark.parametrize("rows", [1, 3])
def test_keep_grades_gives_every_year_of_the_fused_loop(rows):
    reg = tiny_register()
    inputs = make_inputs(reg, rows, result_grade=np.ones(rows))
    ds = sim.simulate(reg, inputs)
    assert ds.condition_grade.notnull().any()
    assert float(ds.condition_grade.max()) <= 3.0
