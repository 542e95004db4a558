"""Monte Carlo ensembles (issue 5): draws, exactness, reproducibility, probabilities."""

from __future__ import annotations

import doctest
import io

import numpy as np
import pytest
import xarray as xr
from pydantic import ValidationError

from hmn_bygg.config import Param, apply_overrides, load_model, load_scenarios
from hmn_bygg.core.errors import InputError
from hmn_bygg.engine.run import register_for, run_models
from hmn_bygg.risk import chunks
from hmn_bygg.risk import ensemble as risk
from hmn_bygg.risk import inputs as risk_inputs
from hmn_bygg.risk import summary as risk_summary
from hmn_bygg.risk.ensemble import AGGREGATES, declare, run_ensemble
from hmn_bygg.risk.inputs import (
    draw_inputs,
    quantile_draw,
    standard_normals,
    uncertain_inputs,
)
from hmn_bygg.risk.summary import rank_correlation, summarize, tornado
from tests.conftest import RISK_FIXTURE as FIXTURE
from tests.conftest import one_building

SRC = "assumption: test"


@pytest.fixture(scope="module")
def fixture_model():
    return load_model(FIXTURE)


# --- declarations and draws ---------------------------------------------------------------


def test_uncertainty_is_validated_next_to_the_value():
    ok = Param[float].model_validate(
        {
            "value": 1,
            "unit": "1",
            "source": SRC,
            "uncertainty": {"dist": "normal", "sd": 0.1, "source": SRC},
        }
    )
    assert ok.uncertainty.effect == "add"
    for bad in (
        {"dist": "lognormal", "sigma": 0.2},  # no source
        {"dist": "triangular", "low": 2, "mode": 1, "high": 3, "source": SRC},
        {"dist": "delay_years", "p": [0.5, 0.2], "source": SRC},
        {"dist": "gamma", "source": SRC},
        {"dist": "uniform", "low": 0, "high": 1, "rho": 0.5, "source": SRC},  # rho w/o group
    ):
        with pytest.raises(ValidationError):
            Param[float].model_validate(
                {"value": 1, "unit": "1", "source": SRC, "uncertainty": bad}
            )


def test_random_streams_do_not_depend_on_the_chunking():
    whole = standard_normals(7, "x", 0, 3000)
    pieces = np.concatenate(
        [standard_normals(7, "x", a, min(a + 333, 3000)) for a in range(0, 3000, 333)]
    )
    np.testing.assert_array_equal(whole, pieces)
    assert not np.array_equal(whole, standard_normals(8, "x", 0, 3000))
    assert not np.array_equal(whole, standard_normals(7, "y", 0, 3000))
    memo: dict = {}  # the blocks kept for the next chunks: the same numbers, bounded memory
    kept = np.concatenate(
        [standard_normals(7, "x", a, min(a + 333, 3000), memo) for a in range(0, 3000, 333)]
    )
    np.testing.assert_array_equal(whole, kept)
    assert 0 < len(memo[("normals",)]) <= risk_inputs.KEPT_BLOCKS
    for b in range(risk_inputs.KEPT_BLOCKS + 5):
        standard_normals(7, "x", b * risk_inputs.BLOCK, b * risk_inputs.BLOCK + 1, memo)
    assert len(memo[("normals",)]) == risk_inputs.KEPT_BLOCKS


def test_distributions_have_their_declared_shape():
    z = standard_normals(1, "d", 0, 20000)
    lognormal = declare_spec({"dist": "lognormal", "sigma": 0.3, "median": 1.2})
    assert np.median(quantile_draw(lognormal, z)) == pytest.approx(1.2, rel=0.02)
    tri = quantile_draw(declare_spec({"dist": "triangular", "low": 1, "mode": 1.2, "high": 2}), z)
    assert tri.min() >= 1 and tri.max() <= 2 and tri.mean() == pytest.approx(4.2 / 3, rel=0.01)
    delay = quantile_draw(declare_spec({"dist": "delay_years", "p": [0.5, 0.3, 0.2]}), z)
    shares = [np.mean(delay == k) for k in range(3)]
    np.testing.assert_allclose(shares, [0.5, 0.3, 0.2], atol=0.015)


def declare_spec(spec: dict):
    model = declare(load_model(FIXTURE), {"condition.wear_shape": {**spec, "source": SRC}})
    return model.condition.wear_shape.uncertainty


def test_correlation_groups_give_the_declared_rank_correlation(fixture_model):
    cost = {"dist": "lognormal", "sigma": 0.25, "group": "construction_cost", "source": SRC}
    model = declare(
        fixture_model,
        {
            "upgrade_cost.must_nok_per_m2": {**cost, "rho": 0.6},
            "upgrade_cost.should_nok_per_m2": cost,
            "upgrade_cost.renew_tg1_nok_per_m2": {
                "dist": "uniform",
                "low": 0.9,
                "high": 1.1,
                "group": "construction_cost",
                "source": SRC,
            },
        },
    )
    inputs = uncertain_inputs({"m": model})
    x = draw_inputs(inputs, 1, seed=3, start=0, stop=6000)[0]
    keys = [u.key for u in inputs]
    must = x[:, keys.index("upgrade_cost.must_nok_per_m2")]
    for other in ("upgrade_cost.should_nok_per_m2", "upgrade_cost.renew_tg1_nok_per_m2"):
        assert rank_correlation(must, x[:, keys.index(other)]) == pytest.approx(0.6, abs=0.03)
    free = x[:, keys.index("condition.wear_rate_factor")]
    assert abs(rank_correlation(must, free)) < 0.04


def test_a_group_needs_one_rho(fixture_model):
    cost = {"dist": "lognormal", "sigma": 0.25, "group": "g", "source": SRC}
    with pytest.raises(InputError, match="rank correlation"):
        uncertain_inputs({"m": declare(fixture_model, {"upgrade_cost.must_nok_per_m2": cost})})


def test_unsupported_parameter_is_an_input_error(fixture_model):
    model = declare(
        fixture_model,
        {
            "maintenance.result_grade": {
                "dist": "uniform",
                "low": 0,
                "high": 1,
                "effect": "add",
                "source": SRC,
            }
        },
    )
    with pytest.raises(InputError, match="cannot vary"):
        run_ensemble({"m": model}, one_building(0.0), draws=2, book=False, quiet=True)


# --- the engine ------------------------------------------------------------------------------


def _zero_spread(model):
    zero = {"source": SRC}
    declared = {u.key: None for u in uncertain_inputs({"m": model})}
    model = declare(model, declared)  # the bundled model's own declarations off
    return declare(
        model,
        {
            "condition.wear_rate_factor": {"dist": "lognormal", "sigma": 0.0, **zero},
            "maintenance.budget_mnok": {
                "dist": "triangular",
                "low": 1,
                "mode": 1,
                "high": 1,
                **zero,
            },
            "finance.projects.snr.cost_mnok": {
                "dist": "lognormal",
                "sigma": 0.0,
                "group": "construction_cost",
                "rho": 0.8,
                **zero,
            },
            "finance.projects.helseplattformen.cost_mnok": {
                "dist": "lognormal",
                "sigma": 0.0,
                "group": "construction_cost",
                **zero,
            },
            "finance.projects.snr.open_year": {"dist": "delay_years", "p": [1.0], **zero},
            "finance.state_loan.rate": {"dist": "normal", "sd": 0.0, **zero},
            "portfolio.sale_price_nok_per_m2": {"dist": "uniform", "low": 1, "high": 1, **zero},
        },
    )


@pytest.fixture(scope="module")
def bundled():
    scenarios = load_scenarios(None, None, ["today", "plan_2018"])
    return scenarios, register_for(scenarios)


def test_zero_spread_equals_the_deterministic_run_exactly(bundled):
    scenarios, register = bundled
    det = run_models(scenarios, register)
    zero = {k: _zero_spread(m) for k, m in scenarios.items()}
    ens = run_ensemble(zero, register, draws=3, seed=5, chunk_draws=2, quiet=True)
    assert set(ens["input"].values) >= {"finance.state_loan.rate", "condition.wear_rate_factor"}
    kept = [v for v in AGGREGATES if v in ens]
    assert {"vttg", "area", "upgrade_need", "liquidity", "loan_balance"} <= set(kept)
    for name in kept:
        for d in range(3):
            got = ens[name].isel(draw=d, drop=True)
            want = det[name].transpose(*got.dims)
            xr.testing.assert_equal(got.reset_coords(drop=True), want.reset_coords(drop=True))


def _wear_model(fixture_model):
    return apply_overrides(fixture_model, {"portfolio.new_buildings": []})


def test_same_seed_same_draws_whatever_chunking_and_scheduler(fixture_model):
    models = {"a": fixture_model, "b": _wear_model(fixture_model)}
    reg = one_building(1.0)
    runs = [
        run_ensemble(
            models, reg, draws=23, seed=11, chunk_draws=23, scheduler="sync", book=False, quiet=True
        ),
        run_ensemble(
            models,
            reg,
            draws=23,
            seed=11,
            chunk_draws=4,
            scheduler="threads",
            book=False,
            quiet=True,
        ),
        run_ensemble(models, reg, draws=23, seed=11, chunk_draws=9, book=False, quiet=True),
    ]
    for other in runs[1:]:
        xr.testing.assert_identical(runs[0], other)
    different = run_ensemble(models, reg, draws=23, seed=12, book=False, quiet=True)
    assert not np.array_equal(different.vttg.values, runs[0].vttg.values)


@pytest.mark.parametrize("draws,largest,workers", [(1000, 256, 2), (10000, 450, 2), (23, 4, 3)])
def test_chunks_cover_the_draws_in_blocks_and_get_smaller_towards_the_end(draws, largest, workers):
    bounds = chunks.guided_bounds(draws, largest, workers)
    sizes = [b - a for a, b in bounds]
    assert bounds[0][0] == 0 and bounds[-1][1] == draws
    assert all(bounds[i][1] == bounds[i + 1][0] for i in range(len(bounds) - 1))
    assert max(sizes) <= largest and sizes == sorted(sizes, reverse=True)
    unit = min(64, largest)
    assert all(n % unit == 0 for n in sizes[:-1])
    assert sizes[-1] <= unit  # the workers finish within one block of each other


def test_the_local_scheduler_starts_the_chunks_in_draw_order(fixture_model, monkeypatch):
    import dask

    started = []
    real = risk._chunk_task

    def spy(plan, start, stop, path):
        started.append(start)
        return real(plan, start, stop, path)

    monkeypatch.setattr(risk, "_chunk_task", spy)
    with dask.config.set(num_workers=1):  # one worker: the start order is the task order
        run_ensemble({"a": fixture_model}, one_building(1.0), draws=40, seed=3, chunk_draws=3,
                     scheduler="threads", book=False, quiet=True)  # fmt: skip
    assert started == sorted(started) and len(started) == 14


@pytest.mark.parametrize("workers", [2, 5])  # one booking thread, two
def test_the_threaded_pipeline_books_what_one_thread_books_and_stops_on_an_error(
    fixture_model, monkeypatch, workers
):
    import dask

    models, reg = {"a": fixture_model}, one_building(1.0)
    one = run_ensemble(models, reg, draws=50, seed=8, scheduler="sync", quiet=True)
    with dask.config.set(num_workers=workers):  # the pipeline: workers and booking threads
        piped = run_ensemble(models, reg, draws=50, seed=8, chunk_draws=6, quiet=True)
        xr.testing.assert_identical(one, piped)
        real = risk.EnsemblePlan.condition_chunk

        def fails(plan, start, stop):
            if start >= 12:
                raise RuntimeError("chunk failed")
            return real(plan, start, stop)

        monkeypatch.setattr(risk.EnsemblePlan, "condition_chunk", fails)
        with pytest.raises(RuntimeError, match="chunk failed"):
            run_ensemble(models, reg, draws=50, seed=8, chunk_draws=6, quiet=True)


def test_store_writes_chunks_and_reads_them_back_lazily(fixture_model, tmp_path):
    models = {"a": fixture_model}
    reg = one_building(1.0)
    mem = run_ensemble(models, reg, draws=10, seed=4, chunk_draws=3, book=False, quiet=True)
    lazy = run_ensemble(
        models, reg, draws=10, seed=4, chunk_draws=3, book=False, quiet=True, store=tmp_path / "ens"
    )
    assert len(list((tmp_path / "ens").glob("part-*.nc"))) == 4
    assert lazy["vttg"].chunks is not None
    xr.testing.assert_equal(mem, lazy.compute())
    lazy.close()


def test_wear_probability_matches_its_closed_form(fixture_model):
    # one building at TG0, every part life 30, no money: grade(t) = 3 · t · w / 30 with the
    # wear factor w ~ U(0.5, 1.5); P(VTTG ≤ 1.2 in 2028, t = 10) = P(w ≤ 1.2) = 0.7
    draws = 4000
    ens = run_ensemble(
        {"m": _wear_model(fixture_model)},
        one_building(0.0),
        draws=draws,
        seed=2,
        book=False,
        quiet=True,
    )
    vttg = ens["vttg_region"].sel(scenario="m", year=2028).values
    w = ens["uncertain_input"].sel(scenario="m", input="condition.wear_rate_factor").values
    np.testing.assert_allclose(vttg, 3 * 10 * w / 30, rtol=1e-12)
    p_hat = np.mean(vttg <= 1.2)
    assert p_hat == np.mean(w <= 1.2)  # exact: the event is the input event
    assert abs(p_hat - 0.7) < 4 * np.sqrt(0.7 * 0.3 / draws)


def test_delay_gives_the_probability_of_reaching_the_target_by_each_year(fixture_model):
    # old building at TG3 (1 000 m²) + a TG0 building of 9 000 m² opening in 2020, a year late
    # with p = 0.3: VTTG = 0.3 + 0.9 g_new ≤ 1.2 once it opens; reached by 2020 with p = 0.7
    draws = 2000
    ens = run_ensemble(
        {"m": fixture_model}, one_building(3.0), draws=draws, seed=9, book=False, quiet=True
    )
    summary = summarize(ens)
    p = summary["vttg_target_probability_region"].sel(scenario="m")
    delay = ens["uncertain_input"].sel(scenario="m", input="finance.projects.snr.open_year")
    assert float(p.sel(year=2019)) == 0.0
    assert float(p.sel(year=2020)) == float((delay == 0).mean())  # exact for this seed
    assert abs(float(p.sel(year=2020)) - 0.7) < 4 * np.sqrt(0.21 / draws)
    assert float(p.sel(year=2021)) == 1.0
    assert (p.diff("year") >= 0).all()  # cumulative
    area = summary["area_target_probability_region"].sel(scenario="m")
    assert float(area.sel(year=2018)) == 1.0  # 1 000 m² ≤ 5 000 m² from the start
    band = summary["vttg_region"].sel(scenario="m", year=2030)
    assert list(band["quantile"].values) == [0.1, 0.5, 0.9]
    assert float(band[0]) <= float(band[1]) <= float(band[2])
    assert summary["vttg_target_probability"].attrs["units"] == "fraction"


def test_a_drawn_delay_moves_the_disposals_tied_to_the_project(fixture_model):
    # the old building (1 000 m², site Gml) leaves the year SNR's new 9 000 m² opens: 2020, or
    # 2021 in the draws where SNR is a year late; its area follows the drawn open year exactly
    tied = apply_overrides(
        fixture_model,
        {"portfolio.disposals.by_site": {"Gml": {"after_opening": "snr", "years_after": 0}}},
    )
    ens = run_ensemble({"m": tied}, one_building(3.0), draws=40, seed=2, book=True, quiet=True)
    delay = ens["uncertain_input"].sel(scenario="m", input="finance.projects.snr.open_year")
    area = ens["area_region"].sel(scenario="m")
    assert 0 < int(delay.sum()) < 40  # both outcomes drawn
    expected_2020 = np.where(delay.values == 0, 9000.0, 1000.0)
    np.testing.assert_array_equal(area.sel(year=2020).values, expected_2020)
    assert (area.sel(year=2021) == 9000.0).all()


def test_a_drawn_disposal_delay_keeps_the_building_in_service(fixture_model):
    # the old building (1 000 m²) is to go in 2022; a scenario declares a 50/50 delay of a year
    late = {"dist": "delay_years", "p": [0.5, 0.5], "source": "assumption: test"}
    model = apply_overrides(
        fixture_model,
        {
            "portfolio.disposals.by_site": {"Gml": 2022},
            "portfolio.disposals.delay_years": {"uncertainty": late},
        },
    )
    ens = run_ensemble({"m": model}, one_building(3.0), draws=40, seed=4, book=True, quiet=True)
    delay = ens["uncertain_input"].sel(scenario="m", input="portfolio.disposals.delay_years")
    assert 0 < int(delay.sum()) < 40
    area = ens["area_region"].sel(scenario="m")  # SNR's 9 000 m² are open by 2022 in every draw
    np.testing.assert_array_equal(area.sel(year=2022).values, 9000.0 + 1000.0 * delay.values)
    assert (area.sel(year=2023) == 9000.0).all()


def test_tornado_ranks_the_input_that_drives_the_output(fixture_model):
    model = declare(
        fixture_model,
        {"condition.wear_shape": {"dist": "uniform", "low": 0.999, "high": 1.001, "source": SRC}},
    )
    ens = run_ensemble(
        {"m": _wear_model(model)}, one_building(0.0), draws=400, seed=1, book=False, quiet=True
    )
    table = tornado(ens["uncertain_input"], ens["vttg_region"], 2028)
    assert table["input"].iloc[0] == "condition.wear_rate_factor"
    top = table.iloc[0]
    assert top["rank_correlation"] > 0.98
    assert top["high"] > top["low"] and top["swing"] == pytest.approx(top["high"] - top["low"])
    assert set(table.columns) >= {"scenario", "input", "rank_correlation", "swing"}


@pytest.mark.parametrize("module", [risk, risk_inputs, risk_summary])
def test_doctests(module):
    failed, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert failed == 0


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("quiet", [False, True])
def test_progress_bar_only_on_a_terminal_and_not_when_quiet(fixture_model, monkeypatch, quiet):
    err = _Terminal()
    monkeypatch.setattr("sys.stderr", err)
    run_ensemble(
        {"m": fixture_model},
        one_building(3.0),
        draws=10,
        seed=1,
        chunk_draws=4,
        book=False,
        quiet=quiet,
    )
    assert ("10/10" in err.getvalue()) is not quiet


def test_the_bundled_model_declares_uncertainty_with_a_spread():
    # models/hmn.yaml carries its own declarations: every one is supported, and the ensemble
    # of the base scenario has a real spread in grade and liquidity
    scenarios = load_scenarios(None, None, ["today"])
    declared = {u.key for u in uncertain_inputs(scenarios)}
    assert {
        "condition.wear_rate_factor",
        "maintenance.budget_mnok",
        "finance.projects.snr.cost_mnok",
        "finance.state_loan.rate",
        "portfolio.sale_price_nok_per_m2",
    } <= declared
    ens = run_ensemble(scenarios, draws=24, seed=3, quiet=True)
    summary = summarize(ens)
    vttg = summary["vttg_region"].sel(scenario="today", year=2035).values
    liquidity = summary["liquidity"].sel(scenario="today", hf="HMR", year=2025).values
    assert vttg[0] < vttg[1] < vttg[2] and liquidity[0] < liquidity[2]


def test_a_draw_gives_the_same_bits_whatever_its_chunk_on_the_bundled_register():
    """Regional sums over many buildings are each row's own pairwise sum, whatever rows share
    its block: chunking (a chunk of one draw included), scheduler and the machine's cores leave
    every bit as it is."""
    import dask

    models = load_scenarios(None, None, ["today"])
    reg = register_for(models)

    def run(**kw):
        return run_ensemble(models, reg, draws=30, seed=5, book=False, quiet=True, **kw)

    first = run(scheduler="sync", chunk_draws=7)
    with dask.config.set(num_workers=2):
        others = [run(), run(chunk_draws=64, scheduler="threads"), run(scheduler="sync")]
    others.append(run(scheduler="sync", chunk_draws=1))
    for other in others:
        xr.testing.assert_identical(first, other)
