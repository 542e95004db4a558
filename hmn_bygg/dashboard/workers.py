"""Worker threads shared by every session of a dashboard server, for work that takes seconds.

A Monte Carlo ensemble or printing the board brief must not run on the server loop: the page
hands it to a named pool and awaits it, so the loop stays free for other sessions. Each pool
is made on first use and lives as long as the server process.
"""

from __future__ import annotations

import concurrent.futures
import logging
import threading
from collections.abc import Callable
from typing import Any

_POOLS: dict[str, concurrent.futures.ThreadPoolExecutor] = {}
_LOCK = threading.Lock()


def worker_pool(name: str, workers: int = 1) -> concurrent.futures.ThreadPoolExecutor:
    """Return the server's pool ``name`` of ``workers`` threads (made on first use).

    Parameters
    ----------
    name : str
        What the pool runs (``"risk"``, ``"brief"``); its threads are named after it.
    workers : int
        Threads of the pool when it is made; one bounds the memory of the work to one run.
    """
    with _LOCK:
        pool = _POOLS.get(name)
        if pool is None:
            pool = _POOLS[name] = concurrent.futures.ThreadPoolExecutor(
                max_workers=workers, thread_name_prefix=f"hmn-bygg-{name}"
            )
        return pool


def run_in_worker(
    pool: concurrent.futures.ThreadPoolExecutor,
    compute: Callable[[], Any],
    done: Callable[[Any], None],
) -> None:
    """Run ``compute`` in ``pool`` and hand its result (or its input error) to ``done``.

    In a served session the worker never touches the document: ``done`` runs on the server
    loop by a next-tick callback, so the loop stays free while the work runs. Outside a
    session (tests, a notebook) the work runs at once and ``done`` is called directly.

    Parameters
    ----------
    pool : concurrent.futures.ThreadPoolExecutor
        The pool to run in (:func:`worker_pool`).
    compute : callable
        The work; an :class:`~hmn_bygg.core.errors.InputError` or ``ValueError`` it raises is
        handed to ``done`` as the result, to be shown on the page. In a served session any
        other exception is too (and logged with its traceback in the server's log), so that a
        page never stays busy because its work failed; outside a session it propagates.
    done : callable
        Takes the result on the server loop.
    """
    import asyncio

    import panel as pn
    from bokeh.document import without_document_lock

    from hmn_bygg.core.errors import InputError

    def work() -> Any:
        try:
            return compute()
        except (InputError, ValueError) as err:
            return err

    doc = pn.state.curdoc
    if doc is None or doc.session_context is None:
        done(work())
        return

    @without_document_lock
    async def await_run() -> None:
        loop = asyncio.get_running_loop()
        try:
            result = await loop.run_in_executor(pool, work)
        except Exception as err:  # a defect: the page says it failed instead of staying busy
            logging.getLogger(__name__).exception("background work of the dashboard failed")
            result = err
        doc.add_next_tick_callback(lambda: done(result))

    doc.add_next_tick_callback(await_run)
