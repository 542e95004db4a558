"""Worker threads shared by every session of a dashboard server, for work that takes seconds.

A Monte Carlo ensemble or printing the board brief must not run on the server loop: the page
hands it to a named pool and awaits it, so the loop stays free for other sessions. Each pool
is made on first use and lives as long as the server process.
"""

from __future__ import annotations

import concurrent.futures
import threading

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
