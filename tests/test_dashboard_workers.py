"""Background work of the dashboard (hmn_bygg/dashboard/workers.py): a failure never leaves a
page busy."""

from __future__ import annotations

import asyncio
import concurrent.futures

import panel as pn
import pytest

from hmn_bygg.core.errors import InputError
from hmn_bygg.dashboard import workers


class _Session:
    """A served session's document: next-tick callbacks are kept and run by the test."""

    session_context = object()

    def __init__(self) -> None:
        self.callbacks: list = []

    def add_next_tick_callback(self, callback) -> None:
        self.callbacks.append(callback)


def _serve(monkeypatch, compute) -> list:
    doc = _Session()
    monkeypatch.setattr(type(pn.state), "curdoc", property(lambda _: doc))
    results: list = []
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        workers.run_in_worker(pool, compute, results.append)
        asyncio.run(doc.callbacks.pop(0)())  # the worker's await, then done on the "loop"
        doc.callbacks.pop(0)()
    return results


def _broken() -> None:
    raise RuntimeError("a defect in the model code")


def test_a_result_and_an_input_error_reach_done(monkeypatch):
    assert _serve(monkeypatch, lambda: 42) == [42]
    error = InputError([])
    (got,) = _serve(monkeypatch, lambda: (_ for _ in ()).throw(error))
    assert got is error


def test_any_failure_in_a_served_session_reaches_done_and_is_logged(monkeypatch, caplog):
    (got,) = _serve(monkeypatch, _broken)
    assert isinstance(got, RuntimeError)  # the page shows it and leaves its busy state
    assert "background work of the dashboard failed" in caplog.text


def test_outside_a_session_a_defect_propagates(monkeypatch):
    monkeypatch.setattr(type(pn.state), "curdoc", property(lambda _: None))
    with pytest.raises(RuntimeError):
        workers.run_in_worker(concurrent.futures.ThreadPoolExecutor(1), _broken, print)
