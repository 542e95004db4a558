"""The one deadline of every wait in the browser tests and the load drivers.

Tests wait for conditions (a model value in the page, a busy flag cleared, a download
finished), never for fixed times; each wait gives up only after :func:`deadline_s`, a
generous bound that a loaded machine does not reach while the dashboard works, and that
still ends a test that hangs. Set it with ``HMN_TEST_DEADLINE_S`` (seconds).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TypeVar

DEADLINE_ENV = "HMN_TEST_DEADLINE_S"
DEFAULT_DEADLINE_S = 300.0
POLL_S = 0.2

T = TypeVar("T")


def deadline_s() -> float:
    """Return the deadline of one wait [s]: ``$HMN_TEST_DEADLINE_S``, else 300."""
    text = os.environ.get(DEADLINE_ENV, "")
    try:
        value = float(text) if text else DEFAULT_DEADLINE_S
    except ValueError:
        raise ValueError(f"{DEADLINE_ENV} must be a number of seconds, not {text!r}") from None
    if value <= 0:
        raise ValueError(f"{DEADLINE_ENV} must be positive, not {text!r}")
    return value


def deadline_ms() -> float:
    """Return :func:`deadline_s` in milliseconds (Playwright's unit)."""
    return deadline_s() * 1000.0


def wait_until(condition: Callable[[], T | None], what: str) -> T:
    """Poll ``condition`` until it returns a truthy value, and return that value.

    Raises
    ------
    TimeoutError
        When :func:`deadline_s` passes first; the message says what was waited for.
    """
    limit = deadline_s()
    end = time.monotonic() + limit
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > end:
            raise TimeoutError(f"{what}: not within {limit:.0f} s ({DEADLINE_ENV})")
        time.sleep(POLL_S)
