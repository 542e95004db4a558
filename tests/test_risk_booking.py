"""The long-term budget booked for a block of Monte Carlo draws at once (issue 17).

A chunk books all its draws together on arrays (rows ``scenario × draw``), sharing what the
draws share; booking each draw alone is the per-draw path. Both must give the same money, to
1e-9 MNOK, whatever the draws.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hmn_bygg.config import load_scenarios
from hmn_bygg.engine.run import prepare_inputs, register_for
from hmn_bygg.risk.inputs import uncertain_inputs
from hmn_bygg.risk.plan import AGGREGATES, EnsemblePlan, base_budgets

TOL_MNOK = 1e-9


@pytest.fixture(scope="module")
def plan() -> EnsemblePlan:
    scenarios = load_scenarios(None, None, ["today"])
    register, inputs = prepare_inputs(scenarios, register_for(scenarios))
    uncertain = tuple(uncertain_inputs(scenarios))
    keys = {u.key for u in uncertain}
    # the bundled scenario varies money, loans, open years and disposals: every booking path
    assert {"finance.state_loan.rate", "portfolio.disposals.delay_years"} <= keys
    assert any(k.endswith(".open_year") for k in keys)
    return EnsemblePlan(
        register,
        inputs,
        tuple(scenarios.values()),
        uncertain,
        base_budgets(scenarios, inputs.years),
        2018,
        True,
        {},
    )


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**31 - 1), start=st.integers(0, 10_000), n=st.integers(2, 5))
def test_a_block_of_draws_books_what_each_draw_books_alone(plan, seed, start, n):
    block = replace(plan, seed=seed)
    together = block.run_chunk(start, start + n)
    money = [v for v in AGGREGATES if v in together and together[v].dtype.kind == "f"]
    assert {"liquidity", "liquidity_region", "loan_balance", "liquidity_headroom"} <= set(money)
    for d in range(n):
        alone = block.run_chunk(start + d, start + d + 1)
        for name in money:
            got = together[name].sel(draw=[start + d]).to_numpy()
            want = alone[name].to_numpy()
            assert got.shape == want.shape
            np.testing.assert_allclose(got, want, rtol=0, atol=TOL_MNOK, err_msg=name)
        for name in ("credit_breach", "liquidity_negative"):
            assert (together[name].sel(draw=[start + d]) == alone[name]).all()


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 2**31 - 1),
    start=st.integers(0, 10_000),
    n=st.integers(1, 6),
    wild=st.booleans(),
)
def test_draws_as_arrays_book_what_a_drawn_model_per_draw_books(plan, seed, start, n, wild):
    """The booking of a chunk's draws as arrays over rows (finance.rows.Rows) against the
    per-draw path: one perturbed model per draw, booked as scenarios. ``wild`` moves the draws
    beyond the declared distributions: open years and disposals earlier as well as later,
    rates and prices anywhere."""
    from hmn_bygg.condition.simulate import simulate
    from hmn_bygg.finance.rows import Rows
    from hmn_bygg.risk.booking import book_aggregates, booking_disposals, booking_rows
    from hmn_bygg.risk.inputs import draw_inputs
    from hmn_bygg.risk.plan import stack_inputs

    block = replace(plan, seed=seed)
    x = draw_inputs(block.uncertain, len(block.models), seed, start, start + n)
    if wild:
        rng = np.random.default_rng(seed)
        for k, u in enumerate(block.uncertain):
            if u.key.endswith((".open_year", ".delay_years")):
                x[..., k] = rng.integers(-3, 4, x.shape[:2])
            elif u.specs[0] is not None and u.specs[0].effect == "add":
                x[..., k] = rng.normal(0.0, 0.02, x.shape[:2])
            else:
                x[..., k] *= rng.uniform(0.3, 3.0, x.shape[:2])
    rows = stack_inputs(block.inputs, n, start)
    condition = simulate(block.register, rows, aggregates_only=True)
    arrays = booking_rows(block, rows.scenarios, x)
    per_draw = booking_rows(block, rows.scenarios, x, arrays=False)
    assert isinstance(arrays, Rows) and not isinstance(per_draw, Rows)
    got = book_aggregates(condition, arrays, block.register, booking_disposals(block, x))
    want = book_aggregates(condition, per_draw, block.register)
    assert set(got) == set(want) >= {"liquidity", "loan_balance", "credit_breach"}
    for name, (dims, values) in want.items():
        assert got[name][0] == dims, name
        if values.dtype.kind == "f":
            np.testing.assert_allclose(got[name][1], values, rtol=0, atol=TOL_MNOK, err_msg=name)
        else:
            assert (got[name][1] == values).all(), name


@pytest.mark.parametrize(
    ("key", "spread"),
    [
        ("finance.hf_support_mnok", {"dist": "normal", "sd": 50.0, "effect": "add"}),
        ("finance.opening_liquidity_mnok", {"dist": "lognormal", "sigma": 0.5}),
        ("finance.credit_limit_mnok", {"dist": "uniform", "low": 0.5, "high": 1.5}),
        ("finance.operating_result_before_mnok", {"dist": "normal", "sd": 80.0, "effect": "add"}),
        ("finance.existing_depreciation_mnok", {"dist": "lognormal", "sigma": 0.3}),
        ("portfolio.demolition_cost_nok_per_m2", {"dist": "lognormal", "sigma": 0.4}),
    ],
)
def test_every_key_booked_as_arrays_books_what_a_drawn_model_books(plan, key, spread):
    """The keys the booking reads as arrays (finance.rows.ARRAY_KEYS) that the bundled model
    does not declare uncertain, each declared here and booked both ways."""
    from hmn_bygg.condition.simulate import simulate
    from hmn_bygg.finance.rows import Rows, array_key
    from hmn_bygg.risk.booking import book_aggregates, booking_disposals, booking_rows
    from hmn_bygg.risk.inputs import declare, draw_inputs
    from hmn_bygg.risk.plan import stack_inputs

    assert array_key(key)
    model = declare(plan.models[0], {key: {**spread, "source": "assumption: test"}})
    block = replace(plan, models=(model,), uncertain=tuple(uncertain_inputs({"today": model})))
    n = 5
    x = draw_inputs(block.uncertain, 1, 11, 0, n)
    rows = stack_inputs(block.inputs, n, 0)
    condition = simulate(block.register, rows, aggregates_only=True)
    arrays = booking_rows(block, rows.scenarios, x)
    assert isinstance(arrays, Rows) and key in arrays.keys
    got = book_aggregates(condition, arrays, block.register, booking_disposals(block, x))
    want = book_aggregates(condition, booking_rows(block, rows.scenarios, x, arrays=False),
                           block.register)  # fmt: skip
    for name, (_, values) in want.items():
        np.testing.assert_allclose(got[name][1], values, rtol=0, atol=TOL_MNOK, err_msg=name)
    fixed = x.copy()
    fixed[..., [u.key for u in block.uncertain].index(key)] = np.nan  # the key not drawn
    still = book_aggregates(condition, booking_rows(block, rows.scenarios, fixed), block.register,
                            booking_disposals(block, fixed))  # fmt: skip
    assert not np.allclose(still["liquidity_headroom"][1], got["liquidity_headroom"][1])


def test_a_chunk_gives_the_same_bits_whether_earlier_chunks_filled_the_memo_or_not(plan):
    fresh = replace(plan, seed=11, memo={})
    cold = fresh.run_chunk(300, 340)
    assert fresh.memo  # the open years and disposal plans of the drawn sets are kept
    warm = replace(plan, seed=11, memo={})
    warm.run_chunk(0, 300)  # fills the memo with the sets these draws hit
    again = warm.run_chunk(300, 340)
    for name in cold.data_vars:
        assert cold[name].to_numpy().tobytes() == again[name].to_numpy().tobytes(), name
