"""The brief button prints off the server loop: other sessions are served meanwhile."""

from __future__ import annotations

import asyncio
import inspect
import threading

from hmn_bygg.dashboard import app, brief_link


def test_the_brief_is_printed_in_a_worker_while_the_loop_runs(monkeypatch):
    started, release = threading.Event(), threading.Event()

    class Brief:
        def pdf(self) -> bytes:
            return b"%PDF-1.7 test"

    def slow_build(ds, lang="nb", models=None, labels=None):
        assert threading.current_thread() is not threading.main_thread()
        started.set()
        release.wait(10)
        return Brief()

    monkeypatch.setattr(brief_link, "build_brief", slow_build)

    async def session() -> tuple[bytes, int]:
        task = asyncio.create_task(brief_link.brief_pdf_async(None, "nb"))
        while not started.is_set():  # the worker has begun printing ...
            await asyncio.sleep(0.01)
        served = 0
        for _ in range(20):  # ... and the loop still serves other callbacks meanwhile
            await asyncio.sleep(0)
            served += 1
        assert not task.done()
        release.set()
        return await task, served

    pdf, served = asyncio.run(session())
    assert pdf.startswith(b"%PDF") and served == 20


def test_the_button_callback_is_a_coroutine():
    # Panel's FileDownload awaits a coroutine callback on the loop instead of blocking it
    assert inspect.iscoroutinefunction(app.Dashboard.brief_pdf)
