"""Inverse questions with a probability (issue 17, point 4): solve budget/capacity --probability.

The budget answer is checked against a brute-force search: every budget of the tolerance grid
run as one scenario of a single ensemble (the same draws for all of them), the smallest whose
share of draws meeting the target reaches the probability.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hmn_bygg.config import apply_overrides, hf_codes, load_model
from hmn_bygg.risk.ensemble import run_ensemble
from hmn_bygg.solve.budget import area_shares, budget_overrides
from hmn_bygg.solve.probability import solve_budget_probability
from hmn_bygg.solve.probable_capacity import capacity_probability, largest_amount
from tests.cli_invoke import invoke
from tests.conftest import RISK_FIXTURE, tiny_register

DRAWS, SEED, TOL, CAP, BY = 120, 3, 0.5, 8.0, 2030


@pytest.fixture(scope="module")
def tiny():
    """The risk test model (uncertain wear speed and SNR opening) on the four-building register."""
    return load_model(RISK_FIXTURE), tiny_register()


@pytest.fixture(scope="module")
def brute_force(tiny):
    """Share of draws with regional VTTG ≤ 1,2 in 2030 for every budget 0, 0,5, …, 8 MNOK/yr."""
    model, reg = tiny
    budgets = [round(k * TOL, 9) for k in range(int(CAP / TOL) + 1)]
    share = area_shares(reg)
    plan = model.model.first_plan_year
    scenarios = {
        f"b{k}": apply_overrides(
            model,
            budget_overrides(model, np.full(len(hf_codes()), b), plan, "region", share),
            file="test",
        )
        for k, b in enumerate(budgets)
    }
    ens = run_ensemble(scenarios, reg, DRAWS, SEED, book=False, quiet=True)
    met = (ens["vttg_region"].sel(year=BY) <= 1.2 + 1e-12).mean("draw").to_numpy()
    return np.array(budgets), met


def test_more_budget_never_lowers_the_share_of_draws_meeting_the_target(brute_force):
    _budgets, met = brute_force
    assert np.all(np.diff(met) >= 0), met  # common random numbers: monotone in the budget
    assert met[0] < 0.5 < 0.9 < met[-1]  # the grid brackets the answers below


@pytest.mark.parametrize("probability", [0.5, 0.9])
def test_budget_with_probability_is_the_brute_force_answer(tiny, brute_force, probability):
    model, reg = tiny
    budgets, met = brute_force
    expected = budgets[np.argmax(met >= probability)]
    answer = solve_budget_probability(
        model, probability=probability, target=1.2, by=BY, register=reg, cap_mnok=CAP,
        tolerance_mnok=TOL, draws=DRAWS, seed=SEED, ensemble=run_ensemble,
    )  # fmt: skip
    assert answer.budget_mnok == pytest.approx(expected)
    assert answer.achieved == pytest.approx(met[budgets == expected][0])
    assert answer.achieved_se == pytest.approx(
        np.sqrt(answer.achieved * (1 - answer.achieved) / DRAWS)
    )
    assert len(answer.candidates) <= 2 + int(np.ceil(np.log2(CAP / TOL)))  # bisection
    for budget, share in answer.candidates:  # each tried budget saw the brute force's draws
        assert share == pytest.approx(met[np.isclose(budgets, budget)][0])


def test_budget_with_probability_out_of_reach_says_so(tiny):
    model, reg = tiny
    answer = solve_budget_probability(
        model,
        probability=0.9,
        target=1.2,
        by=BY,
        register=reg,
        cap_mnok=1.0,
        draws=40,
        seed=1,
        ensemble=run_ensemble,
    )
    assert answer.budget_mnok is None and answer.achieved < 0.9 and answer.overrides == {}


@given(
    st.lists(
        st.one_of(st.floats(0, 1000), st.just(-np.inf), st.just(np.inf)), min_size=1, max_size=40
    ),
    st.floats(0.01, 0.99),
)
def test_largest_amount_is_the_brute_force_largest_carried_amount(caps, probability):
    c = np.array(caps)
    amounts = sorted({0.0, *[x for x in c if x >= 0]})
    carried = [x for x in amounts if np.mean(c >= x) >= probability]
    amount, achieved = largest_amount(c, probability)
    if not carried:
        assert amount is None and achieved == pytest.approx(np.mean(c >= 0))
    else:
        assert amount == max(carried)
        assert achieved == pytest.approx(np.mean(c >= amount)) and achieved >= probability


@pytest.mark.slow
def test_capacity_with_probability_on_the_bundled_model():
    from hmn_bygg.config import load_scenarios

    model = load_scenarios(None, None, ["today"])["today"]
    low = capacity_probability(model, scenario="today", hf="HNT", year=2027, probability=0.9,
                               draws=16, seed=4, ensemble=run_ensemble)  # fmt: skip
    high = capacity_probability(model, scenario="today", hf="HNT", year=2027, probability=0.5,
                                draws=16, seed=4, ensemble=run_ensemble)  # fmt: skip
    for a in (low, high):  # an amount carried by the share asked, or none when even 0 is not
        assert (a.achieved >= a.probability) == (a.capacity_mnok is not None)
        assert a.capacity_mnok is not None or a.achieved == pytest.approx(1 - a.already_breached)
    lo_amount = -1.0 if low.capacity_mnok is None else low.capacity_mnok
    assert high.capacity_mnok is not None and high.capacity_mnok >= lo_amount  # more sure: less


@pytest.mark.parametrize(
    "args",
    [
        ["solve", "budget", "--probability", "1"],
        ["solve", "budget", "--probability", "0"],
        ["solve", "budget", "--probability", "-0,2"],
        ["solve", "budget", "--probability", "nan"],
        ["solve", "capacity", "--hf", "HMR", "--year", "2027", "--probability", "1,5"],
    ],
)
def test_probability_outside_zero_one_is_refused_in_one_line(args):
    code, text = invoke([*args, "--lang", "en"])
    assert code not in (0, None)
    assert text.startswith("Error: --probability: out of range"), text
    assert len(text.strip().splitlines()) == 1 and "Traceback" not in text


def test_draws_for_a_probability_must_be_positive():
    code, text = invoke(["solve", "budget", "--probability", "0,9", "--draws", "0", "--lang", "en"])
    assert code not in (0, None) and text.startswith("Error: --draws: too small"), text


@pytest.mark.slow
def test_capacities_of_many_scenarios_at_once_equal_one_at_a_time():
    from hmn_bygg.config import load_scenarios
    from hmn_bygg.engine.run import run_models
    from hmn_bygg.finance.investment_room import capacities, capacity

    models = load_scenarios()
    ds = run_models(models)
    model = models["today"]
    for hf in ("HMR", "HNT", "STO"):
        many = capacities(ds, model, hf=hf, year=2030, loan_share=0.3)
        one = [capacity(ds, model, scenario=s, hf=hf, year=2030, loan_share=0.3)
               for s in ds["scenario"].to_numpy()]  # fmt: skip
        np.testing.assert_array_equal(many.to_numpy(), one)


@pytest.mark.slow
def test_solve_budget_probability_cli_prints_the_share_and_its_standard_error():
    import json

    args = ["solve", "budget", "--probability", "0,75", "--draws", "4", "--seed", "2"]
    code, text = invoke([*args, "--json"])
    assert code == 0, text
    answer = json.loads(text[text.index("{") :])
    assert answer["probability"] == 0.75 and answer["draws"] == 4 and answer["seed"] == 2
    assert answer["achieved"] >= 0.75 and answer["budget_mnok"] > answer["today_mnok"]
    se = np.sqrt(answer["achieved"] * (1 - answer["achieved"]) / 4)
    assert answer["achieved_se"] == pytest.approx(se)
    code, text = invoke(args)
    assert code == 0 and "med minst 75,0 % sannsynlighet" in text
    assert "Andel trekk som når målet" in text and "standardfeil" in text
