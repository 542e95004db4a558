"""Many concurrent dashboard sessions in one headless Chromium, with the server's memory."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from tests.harness import browser as pages
from tests.harness.deadline import deadline_ms
from tests.harness.server import percentiles, rss_mib, session_counts
from tests.harness.server import wait_sessions_closed as wait_closed


@dataclass
class SessionRun:
    """What one session of :func:`run_load` saw.

    Attributes
    ----------
    extra : int
        The what-if value it set last [MNOK/yr].
    first_ms, full_ms : list of float
        Per change: input set -> VTTG chart source changed (or, when the value leaves the VTTG
        line as it was, the full update); -> cards with the finances.
    vttg_end : float
        The what-if VTTG of the last year, from the chart's data source.
    need_end : float
        The what-if upgrade need of the last year [MNOK], from the chart's data source.
    liquidity_min : float or None
        The lowest what-if liquidity of the region [MNOK], from the chart's data source.
    card_vttg : str
        The text of the what-if VTTG card.
    errors, external : list of str
        Console and page errors; requests to anywhere but 127.0.0.1.
    """

    extra: int
    first_ms: list[float] = field(default_factory=list)
    full_ms: list[float] = field(default_factory=list)
    vttg_end: float = float("nan")
    need_end: float = float("nan")
    liquidity_min: float | None = None
    card_vttg: str = ""
    errors: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)


async def _session(
    context: Any,
    url: str,
    values: Sequence[int],
    ready: asyncio.Barrier,
    timeout_ms: float,
) -> SessionRun:
    """Open one session, go to the what-if page and set ``values`` in turn, in step with all."""
    run = SessionRun(extra=int(values[-1]))
    page = await context.new_page()
    try:
        page.on("console", lambda m: m.type == "error" and run.errors.append(pages.console_text(m)))
        page.on("pageerror", lambda e: run.errors.append(str(e)))
        page.on(
            "request",
            lambda r: (
                None if r.url.startswith(pages.LOCAL_PREFIXES) else run.external.append(r.url)
            ),
        )
        await page.goto(url, wait_until="networkidle", timeout=timeout_ms)
        await page.wait_for_function(pages.MODEL_EXISTS_JS, arg="overview-vttg", timeout=timeout_ms)
        await pages.tab_locator(page, pages.WHATIF_TAB).click()
        await page.locator(pages.whatif_selector(0)).wait_for(state="attached", timeout=timeout_ms)
        for value in values:
            if not await page.evaluate(pages.WATCH_JS, [int(value)]):
                raise RuntimeError("the what-if page has no VTTG chart or cards")
            await ready.wait()  # every session changes its input at the same moment
            if not await page.evaluate(pages.SET_SLIDER_JS, [pages.EXTRA_SLIDER, int(value)]):
                raise RuntimeError("no extra-maintenance slider in the page")
            try:
                await page.wait_for_function(pages.WATCH_DONE_JS, polling=100, timeout=timeout_ms)
            except Exception as err:
                seen = await page.evaluate(pages.WATCH_READ_JS)
                cards = await page.locator('[data-testid="whatif-cards"]').evaluate_all(
                    "els => els.map(e => e.outerHTML.slice(0, 160))"
                )
                raise RuntimeError(
                    f"session {run.extra}: no full what-if for {value}: {seen} {cards}"
                ) from err
            w = await page.evaluate(pages.WATCH_READ_JS)
            # Only changed lines are sent: a value that leaves the VTTG line as it was (e.g. one
            # past the point where more money no longer helps) changes no chart source, and the
            # first thing the session sees is then the full update.
            first = w["first"] if w["first"] is not None else w["full"]
            run.first_ms.append(first - w["t0"])
            run.full_ms.append(w["full"] - w["t0"])
            await page.locator(pages.whatif_selector(value)).wait_for(
                state="attached", timeout=timeout_ms
            )
        vttg = json.loads(await page.evaluate(pages.MODEL_DATA_JS, "whatif-src-vttg_region"))
        need = json.loads(
            await page.evaluate(pages.MODEL_DATA_JS, "whatif-src-upgrade_need_region")
        )
        liq = await page.evaluate(pages.MODEL_DATA_JS, "whatif-src-liquidity_region")
        run.vttg_end = float(vttg["y"][-1])
        run.need_end = float(need["y"][-1])
        run.liquidity_min = None if liq is None else float(min(json.loads(liq)["y"]))
        run.card_vttg = await page.locator('[data-testid="whatif-vttg_end"] .v').inner_text()
    except Exception:
        await ready.abort()  # the other sessions must not wait for this one
        raise
    finally:
        await page.close()
    return run


async def _sessions(
    url: str, plans: Sequence[Sequence[int]], timeout_ms: float, rss: Any
) -> list[SessionRun]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await pages.launch_chromium(p)
        try:
            # One context (shared HTTP cache, like tabs of one browser); every page is its own
            # dashboard session on the server.
            context = await browser.new_context(viewport=pages.VIEWPORT, locale="nb-NO")
            context.set_default_timeout(timeout_ms)  # every wait and click: the one deadline
            context.set_default_navigation_timeout(timeout_ms)
            ready = asyncio.Barrier(len(plans))
            tasks = [_session(context, url, v, ready, timeout_ms) for v in plans]
            sampler = asyncio.create_task(rss())
            try:
                return list(await asyncio.gather(*tasks))
            finally:
                sampler.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await sampler
        finally:
            await browser.close()


def session_values(sessions: int, rounds: int = 1, step: int = 10) -> list[list[int]]:
    """Return each session's what-if values: session ``i`` ends on ``(i + 1) · step``.

    Earlier rounds use ``(i + 1) · step + k · sessions · step`` (distinct from the last
    round); every value stays within the slider's 0–600 MNOK/yr.
    """
    top = 600
    plans = []
    for i in range(sessions):
        last = (i + 1) * step
        earlier = [last + (rounds - 1 - k) * sessions * step for k in range(rounds - 1)]
        plans.append([min(v, top) for v in earlier] + [last])
    return plans


@dataclass
class LoadRun:
    """The result of :func:`run_load`: the sessions, the server's memory [MiB] and counts.

    ``counts_warm`` and ``counts_after`` are the server's ``/sessions`` figures after the
    warm-up and at the end (both once every session was destroyed).
    """

    sessions: list[SessionRun]
    rss_start_mib: float
    rss_warm_mib: float
    rss_peak_mib: float
    rss_after_mib: float
    seconds_to_destroy: float
    seconds_total: float
    counts_warm: dict[str, int]
    counts_after: dict[str, int]

    def summary(self) -> dict[str, Any]:
        """Figures for a JSON report: latency percentiles [ms] and memory [MiB]."""
        first = [x for s in self.sessions for x in s.first_ms]
        full = [x for s in self.sessions for x in s.full_ms]
        return {
            "sessions": len(self.sessions),
            "changes": len(first),
            "first_chart_ms": percentiles(first),
            "full_update_ms": percentiles(full),
            "rss_start_mib": self.rss_start_mib,
            "rss_warm_mib": self.rss_warm_mib,
            "rss_peak_mib": self.rss_peak_mib,
            "rss_after_mib": self.rss_after_mib,
            "rss_after_minus_warm_mib": self.rss_after_mib - self.rss_warm_mib,
            "seconds_to_destroy_sessions": self.seconds_to_destroy,
            "seconds_total": self.seconds_total,
            "session_counts_warm": self.counts_warm,
            "session_counts_after": self.counts_after,
        }

    def as_dict(self) -> dict[str, Any]:
        """Everything, sessions included."""
        return {**self.summary(), "per_session": [asdict(s) for s in self.sessions]}


def run_load(
    url: str,
    pid: int,
    sessions: int = 20,
    rounds: int = 1,
    *,
    warmup: int = 2,
    timeout_ms: float | None = None,
) -> LoadRun:
    """Drive ``sessions`` concurrent browser sessions against one server and watch its memory.

    First ``warmup`` sessions run one what-if each and close, so that imports, caches and
    the baseline are in memory (``rss_warm_mib``, once the server says they are destroyed
    and their memory released). Then every session opens in a page of its own (tabs of one
    browser, sharing its HTTP cache), goes to the what-if page, and, all at the same moment,
    sets its own extra-maintenance value (:func:`session_values`), ``rounds`` times. The
    server's resident memory is sampled all along (``rss_peak_mib``) and measured again once
    the server says it has destroyed the closed sessions and released their memory
    (:func:`~tests.harness.server.wait_sessions_closed`).

    Parameters
    ----------
    url : str
        The dashboard (see :func:`start_server`).
    pid : int
        The server's process id (its memory is measured).
    sessions, rounds : int
        Concurrent sessions; changes per session.
    warmup : int
        Sessions of the warm-up.
    timeout_ms : float, optional
        Deadline of each browser wait [ms] (default :func:`~tests.harness.deadline.deadline_ms`).

    Returns
    -------
    LoadRun
    """
    timeout_ms = deadline_ms() if timeout_ms is None else timeout_ms
    t_start = time.monotonic()
    rss_start = rss_mib(pid)
    peak = [rss_start]

    async def sample() -> None:
        while True:
            peak.append(rss_mib(pid))
            await asyncio.sleep(0.25)

    if warmup:
        asyncio.run(_sessions(url, [[10 * (i + 1)] for i in range(warmup)], timeout_ms, sample))
        wait_closed(url)
    rss_warm = rss_mib(pid)
    counts_warm = session_counts(url)
    runs = asyncio.run(_sessions(url, session_values(sessions, rounds), timeout_ms, sample))
    destroy = wait_closed(url)
    return LoadRun(
        sessions=runs,
        rss_start_mib=rss_start,
        rss_warm_mib=rss_warm,
        rss_peak_mib=max(peak),
        rss_after_mib=rss_mib(pid),
        seconds_to_destroy=destroy,
        seconds_total=time.monotonic() - t_start,
        counts_warm=counts_warm,
        counts_after=session_counts(url),
    )


def expected_whatif(extras: Sequence[int], scenario: str | None = None) -> dict[int, dict]:
    """What the what-if page should show for each extra-maintenance value, computed directly.

    Runs the scenario (default: the first) with each value added from the page's default
    start year, all values as scenarios of one :func:`hmn_bygg.engine.run.run_models` call on the
    plain register (not the dashboard's code path).

    Returns
    -------
    dict
        ``{extra: {"vttg_end", "need_end", "liquidity_min"}}``.
    """
    from hmn_bygg.config import apply_overrides, load_scenarios
    from hmn_bygg.dashboard.whatif_inputs import extra_maintenance
    from hmn_bygg.engine.run import model_years, register_for, run_models

    models = load_scenarios(None)
    name = scenario or next(iter(models))
    model = models[name]
    years = model_years(model)
    from_year = model.model.first_plan_year  # the page's default
    runs = {
        f"x{e}": apply_overrides(model, extra_maintenance(model, years, e, from_year))
        if e
        else model
        for e in extras
    }
    ds = run_models(runs, register_for(models))
    out = {}
    for e in extras:
        s = ds.sel(scenario=f"x{e}")
        out[int(e)] = {
            "vttg_end": float(s["vttg_region"].isel(year=-1)),
            "need_end": float(s["upgrade_need_region"].isel(year=-1)),
            "liquidity_min": float(s["liquidity_region"].min()),
        }
    return out
