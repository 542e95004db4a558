"""The independent cash identity catches a sign error the bridge's own check cannot (item 9)."""

from __future__ import annotations

import numpy as np
import pytest

from hmn_bygg.config import apply_overrides, load_model
from hmn_bygg.engine.run import run_models
from hmn_bygg.finance import cash
from hmn_bygg.finance.cash_identity import check_cash_identity
from hmn_bygg.finance.identity import CASH_SIGNS, independent_identity_errors
from hmn_bygg.finance.ltb import CashIdentityError
from tests.conftest import tiny_register

MODEL = apply_overrides(load_model(), {"model.end_year": 2030})


def _planted(items):
    """The bridge with one sign turned: the FDV cost added to the result, not taken off."""
    operating = items["operating_result_before"]
    for name in cash.CREDIT_ITEMS:
        operating = operating + items[name]
    for name in cash.COST_ITEMS:
        operating = operating + items[name] if name == "fdv_cost" else operating - items[name]
    from_operations = operating + items["depreciation"]
    f = [items[name] for name in cash.FLOW_ITEMS]
    return operating, from_operations, from_operations - f[0] + f[1] - f[2] + f[3]


def test_the_bundled_run_closes_on_the_independent_identity():
    ds = run_models({"s": MODEL}, tiny_register(), prices="nominal")
    arrays = {n: ds[n].transpose("scenario", "hf", "year").to_numpy() for n in CASH_SIGNS}
    for n in ("liquidity", "loan_balance", "loan_drawdown", "loan_repayment"):
        arrays[n] = ds[n].transpose("scenario", "hf", "year").to_numpy()
    opening = ds["liquidity_opening"].transpose("scenario", "hf", "year").to_numpy()[..., 0]
    assert independent_identity_errors(arrays, opening) == []


def test_a_planted_sign_error_is_caught(monkeypatch):
    monkeypatch.setattr(cash, "bridge", _planted)
    with pytest.raises(CashIdentityError, match="signed cash flows"):
        run_models({"s": MODEL}, tiny_register())


def test_the_old_check_alone_misses_the_planted_error(monkeypatch):
    """Why item 9 asked for it: the bridge's own check reuses the bridge and passes."""
    monkeypatch.setattr(cash, "bridge", _planted)
    monkeypatch.setattr(
        "hmn_bygg.finance.ltb.independent_identity_errors",
        lambda *a, **k: [],
    )
    ds = run_models({"s": MODEL}, tiny_register(), prices="nominal")
    assert check_cash_identity(ds) == []  # the old check passes the wrong sign
    assert float(ds["fdv_cost"].sum()) > 0


def test_a_planted_loan_error_is_caught():
    arrays = {n: np.zeros((1, 3)) for n in CASH_SIGNS}
    arrays["liquidity"] = np.zeros((1, 3))
    arrays["loan_drawdown"] = np.array([[10.0, 0, 0]])
    arrays["loan_repayment"] = np.array([[0, 1.0, 1.0]])
    arrays["loan_balance"] = np.array([[10.0, 11.0, 10.0]])  # repayment added, not taken
    errors = independent_identity_errors(arrays, np.zeros(1))
    assert any("loan balance" in e for e in errors)
