"""Helpers shared by the benchmark scripts: repeated timing and the machine's figures."""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Callable
from typing import Any


def times(fn: Callable[[], Any], repeat: int) -> list[float]:
    """Call ``fn`` once to warm up, then ``repeat`` times; return each call's wall time [s]."""
    fn()
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def machine_figures(load_before: float, load_after: float) -> dict[str, Any]:
    """Return cores, the 1-minute load average before and after [-], and machine/Python."""
    return {
        "cores": os.cpu_count(),
        "load_average_1min_before": load_before,
        "load_average_1min_after": load_after,
        "machine": f"{platform.machine()}, {platform.python_version()}",
    }
