"""Building results without merging them again, and what a booking keeps between runs.

:func:`hmn_bygg.core.assemble.assemble` must build the Dataset xarray's constructor builds;
the memos of a booking (:func:`hmn_bygg.finance.rows.model_memo`, ``Rows.memo``) must give
the same bits as working everything out again.
"""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from hmn_bygg.config import load_scenarios
from hmn_bygg.core import assemble as assemble_module
from hmn_bygg.core.assemble import assemble, variable
from hmn_bygg.engine.run import book_results, register_for, run_models
from hmn_bygg.finance import ltb
from hmn_bygg.finance.investment_room import investment_room
from hmn_bygg.finance.price_basis import apply_price_basis, index_for
from hmn_bygg.finance.project_flows import stack_projects
from hmn_bygg.finance.rows import Rows, model_memo
from hmn_bygg.stock import plan as scenario_portfolio


@pytest.fixture(scope="module")
def runs():
    scenarios = load_scenarios()
    register = scenario_portfolio.with_new_buildings(register_for(scenarios), scenarios)
    return scenarios, register, run_models(scenarios, register, book=False)


def test_assemble_builds_what_the_constructor_builds():
    years = np.arange(2025, 2029)
    data = {
        "liquidity": xr.Variable(("scenario", "year"), np.arange(8.0).reshape(2, 4), {"u": 1}),
        "flag": xr.Variable("year", np.array([True, False, True, True])),
        "kind": xr.Variable("scenario", np.array(["sale", "demolition"], dtype=object)),
    }
    coords = {
        "scenario": xr.Variable("scenario", ["a", "b"]),
        "year": xr.Variable("year", years),
        "name": xr.Variable("scenario", np.array(["A", "B"], dtype=object)),
    }
    built = assemble({**data, **coords}, coords, {"price_basis": "x"})
    expected = xr.Dataset(data, coords=coords, attrs={"price_basis": "x"})
    xr.testing.assert_identical(built, expected)
    assert list(built.variables) == [*data, *coords]
    assert built.sel(year=2026, scenario="b")["liquidity"].item() == 5.0  # indexes work
    with pytest.raises(ValueError, match="dimension year has size 3"):
        assemble({**data, "bad": xr.Variable("year", np.zeros(3))}, [])


def test_assemble_without_xarrays_internal_constructor_builds_the_same(monkeypatch):
    data = {"liquidity": xr.Variable(("scenario", "year"), np.arange(4.0).reshape(2, 2))}
    coords = {"scenario": xr.Variable("scenario", ["a", "b"]), "year": xr.Variable("year", [1, 2])}
    fast = assemble({**data, **coords}, coords, {"price_basis": "x"})
    monkeypatch.setattr(assemble_module, "_DIRECT", None)
    slow = assemble({**data, **coords}, coords, {"price_basis": "x"})
    xr.testing.assert_identical(slow, fast)
    assert slow.sel(year=2, scenario="b")["liquidity"].item() == 3.0


def test_variable_is_the_variable_xarray_makes():
    for values in (np.arange(6.0).reshape(2, 3), np.ones((2, 3), dtype=bool)):
        xr.testing.assert_identical(
            variable(("a", "b"), values, {"units": "MNOK"}),
            xr.Variable(("a", "b"), values, {"units": "MNOK"}),
        )
    names = xr.Variable("b", np.array(["x", "y", "z"], dtype=object), {"label": "kept out"})
    xr.testing.assert_identical(variable("b", names), xr.Variable("b", names.to_numpy()))


def test_model_memo_works_a_value_out_once_per_model_object_and_key(runs):
    scenarios = runs[0]
    first, second = list(scenarios.values())[:2]
    calls: list[int] = []

    def make() -> list[int]:
        calls.append(1)
        return [len(calls)]

    key = ("test", object())  # a key no other caller uses
    assert model_memo(first, key, make) == [1]
    assert model_memo(first, key, make) == [1]  # kept
    assert model_memo(second, key, make) == [2]  # another model object: its own
    assert len(calls) == 2


def test_booking_again_reuses_the_memo_and_gives_the_same_bits(runs):
    scenarios, register, condition = runs
    rows = Rows.of_models(scenarios)
    assert Rows.of_models(scenarios).memo is rows.memo  # kept with the first model
    booked = book_results(condition, scenarios, register)
    assert rows.memo  # project flows, loan schedules
    again = book_results(condition, scenarios, register)
    xr.testing.assert_identical(booked, again)
    for name in booked.data_vars:
        assert booked[name].to_numpy().tobytes() == again[name].to_numpy().tobytes(), name


def test_a_project_no_row_draws_books_alike_in_every_row(runs):
    scenarios, _, condition = runs
    model = next(iter(scenarios.values()))
    years = condition["year"].to_numpy()
    hfs = [str(h) for h in condition["hf"].to_numpy()]
    spend = condition["maintenance_spend"].isel(scenario=[0] * 3)
    spend = spend.transpose("scenario", "hf", "year").to_numpy()
    three = Rows(("a", "b", "c"), (model,), np.zeros(3, dtype=int))  # one model, no draws
    one = Rows(("a",), (model,), np.zeros(1, dtype=int))
    _, flows, lives, _ = stack_projects(three, hfs, years, spend, index_for(model))
    _, alone, alone_lives, _ = stack_projects(one, hfs, years, spend[:1], index_for(model))
    for name, values in flows.items():
        for r in range(3):
            assert values[r].tobytes() == alone[name][0].tobytes(), name
    assert (lives == alone_lives).all()


def test_price_basis_without_a_copy_shows_the_same_results(runs):
    scenarios, register, condition = runs
    booked = ltb.book(condition, scenarios, register)
    index = index_for(next(iter(scenarios.values())))
    copied = apply_price_basis(booked, "real:2030", index)
    copied["liquidity"].attrs["marked"] = True  # a copy: the booked results keep their own
    assert "marked" not in booked["liquidity"].attrs
    del copied["liquidity"].attrs["marked"]
    xr.testing.assert_identical(copied, apply_price_basis(booked, "real:2030", index, copy=False))


def test_investment_room_of_a_scenario_is_the_same_alone_or_with_others(runs):
    scenarios, register, condition = runs
    booked = ltb.book(condition, scenarios, register, room=False)
    shy = ("scenario", "hf", "year")
    liquidity = booked["liquidity"].transpose(*shy).to_numpy()
    credit = booked["credit_limit"].transpose(*shy).to_numpy()
    years = booked["year"].to_numpy()
    together = investment_room(liquidity, credit, years, scenarios)
    for s, (name, model) in enumerate(scenarios.items()):
        alone = investment_room(liquidity[[s]], credit[[s]], years, {name: model})
        assert alone.tobytes() == together[[s]].tobytes()
    assert np.isnan(together[..., years < 2026]).all() and np.isfinite(together[..., -1]).all()


def test_assemble_reuses_an_index_only_for_the_same_name_dtype_and_values():
    def built(name, values):
        var = xr.Variable(name, values)
        return assemble({name: var}, [name]).xindexes[name]

    first = built("hf", ["HMR", "HNT"])
    again = built("hf", ["HMR", "HNT"])
    assert again.index.equals(first.index) and again.index is not first.index  # a copy each
    first.index.name = "renamed"  # in place, as a DataFrame sharing the index may
    assert built("hf", ["HMR", "HNT"]).index.name == "hf"
    assert built("hf", ["HMR", "STO"]).index.tolist() == ["HMR", "STO"]
    other = built("hf", np.array(["HMR", "HNT"], dtype=object))  # another dtype
    assert other.coord_dtype.kind == "O" and first.coord_dtype.kind == "U"
    assert built("scenario", ["HMR", "HNT"]).index.name == "scenario"  # another name
    ints, mixed = built("x", np.array([1, 2])), built("x", np.array([1, True], dtype=object))
    assert ints.index.tolist() == [1, 2] and mixed.index.tolist() == [1, True]


def test_project_loans_kept_for_the_same_drawdowns_only_and_given_as_copies(runs):
    from hmn_bygg.finance.nominal import _project_loans, project_loans
    from hmn_bygg.finance.project_flows import project_keys

    scenarios, _, condition = runs
    rows = Rows.of_models(scenarios)
    years = condition["year"].to_numpy()
    hfs = [str(h) for h in condition["hf"].to_numpy()]
    spend = condition["maintenance_spend"].transpose("scenario", "hf", "year").to_numpy()
    _, flows, _, _ = stack_projects(rows, hfs, years, spend, index_for(rows.first))
    keys, drawdown = project_keys(rows), np.nan_to_num(flows["drawdown"])
    first = project_loans(drawdown, rows, keys)
    first["loan_balance"][...] = -1.0  # a copy: the kept flows stay as they were
    for more in (0.0, 5.0):  # the same drawdowns, then others: each as worked out afresh
        moved = drawdown + more
        got, fresh = project_loans(moved, rows, keys), _project_loans(moved, rows, keys)
        for name, values in fresh.items():
            assert got[name].tobytes() == values.tobytes(), name
