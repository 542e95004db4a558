"""Where Chromium is and how it is started: for the board brief's PDF and the browser tests.

One place for the executable and the flags, so that the brief (:mod:`hmn_bygg.report.brief.render`)
and the dashboard's test harness (``tests/harness``, not installed) start the same browser
the same way. Setup installs Debian's ``chromium``; ``$HMN_BYGG_CHROMIUM`` names another.
"""

from __future__ import annotations

import os
from pathlib import Path

#: Environment variable naming another Chromium executable.
CHROMIUM_ENV = "HMN_BYGG_CHROMIUM"
#: Debian's Chromium (installed by ``scripts/setup.sh``).
DEFAULT_CHROMIUM = "/usr/bin/chromium"
#: Flags for a headless, offline, quiet browser (no background requests, no sandbox in CI).
CHROMIUM_ARGS: tuple[str, ...] = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)


def chromium_path() -> str | None:
    """Return the Chromium to launch: ``$HMN_BYGG_CHROMIUM``, else Debian's, else ``None``.

    Returns
    -------
    str or None
        A path, or ``None`` when neither exists (Playwright's own browser is then tried).
    """
    env = os.environ.get(CHROMIUM_ENV)
    if env:
        return env
    return DEFAULT_CHROMIUM if Path(DEFAULT_CHROMIUM).is_file() else None
