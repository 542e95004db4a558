"""The "Last ned styrenotat" button: the board brief of a session's results, off the loop.

Printing the brief takes a few seconds (charts, then headless Chromium). The button's callback
is a coroutine that hands the work to one worker thread shared by every session of the server
(:func:`brief_pool`: one Chromium at a time bounds the memory) and awaits it, so the server
loop stays free for other sessions meanwhile. The worker reads only the session's results and
models, which are not changed in place, and never touches the document.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Mapping
from typing import Any

import xarray as xr

from hmn_bygg.core.fmt import Lang
from hmn_bygg.dashboard.workers import worker_pool
from hmn_bygg.report.brief import build_brief


def brief_pool() -> concurrent.futures.ThreadPoolExecutor:
    """The thread that prints briefs (:func:`hmn_bygg.dashboard.workers.worker_pool`)."""
    return worker_pool("brief")


def brief_pdf(
    ds: xr.Dataset,
    lang: Lang = "nb",
    *,
    models: Mapping[str, Any] | None = None,
    labels: Mapping[str, str] | None = None,
) -> bytes:
    """Return the board brief of ``ds`` as PDF bytes (blocking: seconds).

    Parameters
    ----------
    ds : xr.Dataset
        Results of :func:`hmn_bygg.engine.run.run_models`.
    lang : {"nb", "en"}
        Language of the brief.
    models : mapping of str to Model, optional
        The scenarios, for the appendix of assumptions.
    labels : mapping of str to str, optional
        Display names of the scenarios.
    """
    return bytes(build_brief(ds, lang=lang, models=models, labels=labels).pdf())


async def brief_pdf_async(
    ds: xr.Dataset,
    lang: Lang = "nb",
    *,
    models: Mapping[str, Any] | None = None,
    labels: Mapping[str, str] | None = None,
) -> bytes:
    """Return :func:`brief_pdf` computed in :func:`brief_pool`, awaited without blocking."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(
        brief_pool(), lambda: brief_pdf(ds, lang, models=models, labels=labels)
    )
