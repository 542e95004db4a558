"""Lay the brief out: a self-contained HTML page (Jinja2) and a PDF of it (headless Chromium).

The HTML has its CSS inline and its charts as ``data:`` URIs, so it opens offline and makes no
request. The PDF is that page printed by Chromium through Playwright (A4, backgrounds on),
with every network request blocked. Files are written atomically: a temporary file in the
same folder, then :func:`os.replace`.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import os
import tempfile
from pathlib import Path
from typing import Any, Literal

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.messages import Msg
from hmn_bygg.report.brief.content import BriefContent
from hmn_bygg.report.chromium import CHROMIUM_ARGS, CHROMIUM_ENV, DEFAULT_CHROMIUM, chromium_path

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE = "brief.html.j2"
PDF_MARGINS: Any = {"top": "12mm", "bottom": "14mm", "left": "13mm", "right": "13mm"}


def data_uri(png: bytes) -> str:
    """Return a PNG as a ``data:image/png;base64,...`` URI."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def break_opportunities(text: str) -> Markup:
    """Escape ``text`` and let it wrap after dots and underscores (``<wbr>``), for long keys."""
    out = str(escape(text))
    return Markup(out.replace(".", ".<wbr>").replace("_", "_<wbr>"))


def render_html(content: BriefContent, part: Literal["main", "appendix"] = "main") -> str:
    """Render the brief, or its appendix, as one self-contained HTML document.

    Parameters
    ----------
    content : BriefContent
        What the brief says (:func:`hmn_bygg.report.brief.content.build_content`).
    part : {"main", "appendix"}
        The board paper (decisions, key figures, charts, the record) or its appendix (tables
        per HF, the public figures against the model, scenarios, register, parameters).

    Returns
    -------
    str
        HTML5 with inline CSS and the charts as data URIs; no external references.
    """
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["data_uri"] = data_uri
    env.filters["wbr"] = break_opportunities
    return env.get_template(TEMPLATE).render(c=content, part=part)


def footer_template(content: BriefContent) -> str:
    """Return Chromium's PDF footer: the title and ``side 1 av 3`` / ``page 1 of 3``."""
    page, of = ("side", "av") if content.lang == "nb" else ("page", "of")
    return (
        "<div style=\"font-family: 'DejaVu Sans', sans-serif; font-size: 7px; color: #666;"
        ' width: 100%; padding: 0 13mm; display: flex; justify-content: space-between;">'
        f"<span>{escape(content.title)} · {escape(content.date)}</span>"
        f'<span>{page} <span class="pageNumber"></span> {of} '
        '<span class="totalPages"></span></span></div>'
    )


def _print_pdf(html: str, footer: str) -> tuple[bytes, list[str]]:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []

    def block(route) -> None:
        url = route.request.url
        if url.startswith(("data:", "about:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    with tempfile.TemporaryDirectory(prefix="hmn_bygg_chromium_") as home:
        env: dict[str, str | float | bool] = {**os.environ, "HOME": home}
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path=chromium_path(), args=list(CHROMIUM_ARGS), env=env
                )
                try:
                    page = browser.new_page()
                    page.route("**/*", block)
                    page.set_content(html, wait_until="load")
                    page.evaluate("document.fonts.ready.then(() => true)")
                    pdf = page.pdf(
                        format="A4",
                        print_background=True,
                        margin=PDF_MARGINS,
                        display_header_footer=True,
                        header_template="<span></span>",
                        footer_template=footer,
                    )
                finally:
                    browser.close()
        except PlaywrightError as err:
            first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            raise InputError(
                [
                    Problem(
                        "chromium",
                        Msg("report.chromium_failed"),
                        expected=Msg("report.a_chromium", path=DEFAULT_CHROMIUM, env=CHROMIUM_ENV),
                        found=first,
                    )
                ],
                title=Msg("report.pdf_cannot_be_made"),
            ) from None
    return pdf, blocked


def render_pdf(content: BriefContent, html: str | None = None) -> bytes:
    """Print the brief's HTML to an A4 PDF with headless Chromium.

    Parameters
    ----------
    content : BriefContent
        What the brief says (for the footer).
    html : str, optional
        The HTML (default :func:`render_html` of ``content``).

    Returns
    -------
    bytes
        The PDF.

    Raises
    ------
    InputError
        When Chromium cannot be started (not installed, wrong path).
    RuntimeError
        When the page tried to load anything from the network (it must not).

    Notes
    -----
    Runs Playwright's synchronous API in a worker thread when called inside a running event
    loop (e.g. a notebook), where the synchronous API refuses to run. Chromium gets a temporary
    ``HOME`` so it writes nothing into the user's home folder.
    """
    html = render_html(content) if html is None else html
    footer = footer_template(content)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pdf, blocked = _print_pdf(html, footer)
    else:
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            pdf, blocked = pool.submit(_print_pdf, html, footer).result()
    if blocked:
        raise RuntimeError(f"the brief tried to load external resources: {blocked[:3]}")
    return pdf
