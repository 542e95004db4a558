"""The board brief (styrenotat): key figures, scenarios side by side, charts, decision points.

Public API
----------
- :func:`make_brief`: results Dataset -> PDF, self-contained HTML and one PNG per chart;
- :func:`build_brief`: the same in memory (:class:`Brief`), nothing written, no browser;
- :class:`BriefFiles`: the paths :func:`make_brief` wrote.

Example
-------
>>> from hmn_bygg.engine.run import run
>>> from hmn_bygg.report.brief import make_brief
>>> files = make_brief(run(), pdf="brief.pdf", html="brief.html")  # doctest: +SKIP

Modules: :mod:`~hmn_bygg.report.brief.facts` (numbers), :mod:`~hmn_bygg.report.brief.decisions` (the
generated sentences), :mod:`~hmn_bygg.report.brief.figures` (matplotlib charts),
:mod:`~hmn_bygg.report.brief.assumptions` (parameters and register provenance),
:mod:`~hmn_bygg.report.brief.content` (everything formatted), :mod:`~hmn_bygg.report.brief.render`
(Jinja2 HTML, Chromium PDF, atomic writes), :mod:`~hmn_bygg.report.brief.texts` (the words).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import xarray as xr

from hmn_bygg.config import Model
from hmn_bygg.core.io import write_bytes_atomic as write_atomic
from hmn_bygg.core.paths import BRIEF_PDF
from hmn_bygg.report.brief.content import BriefContent, build_content
from hmn_bygg.report.brief.render import render_html, render_pdf
from hmn_bygg.report.brief.texts import Lang

__all__ = ["Brief", "BriefContent", "BriefFiles", "build_brief", "make_brief"]

PathLike = str | os.PathLike[str]


@dataclass(frozen=True)
class Brief:
    """A brief in memory.

    Attributes
    ----------
    content : BriefContent
        What it says, formatted.
    html : str
        The self-contained HTML of the board paper.
    appendix_html : str
        The self-contained HTML of its appendix (tables, sources, parameters).
    pngs : dict of str to bytes
        One PNG per chart, by file name (``vttg.png``, ...).
    """

    content: BriefContent
    html: str
    pngs: dict[str, bytes]
    appendix_html: str = ""

    def pdf(self) -> bytes:
        """Print the HTML to an A4 PDF with headless Chromium (see :func:`render_pdf`)."""
        return render_pdf(self.content, self.html)


@dataclass(frozen=True)
class BriefFiles:
    """The files :func:`make_brief` wrote (``None`` for an output not asked for).

    Attributes
    ----------
    pdf, html : pathlib.Path or None
        The PDF and the HTML.
    appendix : pathlib.Path or None
        The appendix (self-contained HTML).
    pngs : list of pathlib.Path
        One PNG per chart.
    """

    pdf: Path | None = None
    html: Path | None = None
    pngs: list[Path] = field(default_factory=list)
    appendix: Path | None = None


def build_brief(
    ds: xr.Dataset,
    *,
    lang: Lang = "nb",
    scenarios: Sequence[str] | None = None,
    models: Mapping[str, Model] | None = None,
    labels: Mapping[str, str] | None = None,
    date: dt.date | None = None,
    risk: xr.Dataset | None = None,
) -> Brief:
    """Build a board brief in memory (HTML and PNGs; no browser, nothing written).

    Parameters
    ----------
    ds : xr.Dataset
        Results of :func:`hmn_bygg.engine.run.run`.
    lang : {"nb", "en"}
        Bokmål (default) or English.
    scenarios : sequence of str, optional
        Scenarios side by side, in order; the first is the reference the decision points
        compare with. Default: every scenario in ``ds``.
    models : mapping of str to Model, optional
        The validated scenarios behind ``ds`` (:func:`hmn_bygg.config.load_scenarios`); their
        parameters, units and sources fill the appendix.
    labels : mapping of str to str, optional
        Friendly scenario names.
    date : datetime.date, optional
        Date printed on the brief (default today).
    risk : xr.Dataset, optional
        Breach probabilities of a risk run (:func:`hmn_bygg.risk.breach.any_year`), stated per
        HF in the liquidity section; without it the brief has no probabilities.

    Returns
    -------
    Brief

    Raises
    ------
    InputError
        For an unknown scenario or language, or results without the variables a brief needs.
    """
    content = build_content(
        ds, lang=lang, scenarios=scenarios, models=models, labels=labels, date=date, risk=risk
    )
    pngs = {f"{chart.name}.png": chart.png for chart in content.charts}
    return Brief(content, render_html(content), pngs, render_html(content, "appendix"))


def make_brief(
    ds: xr.Dataset,
    *,
    lang: Lang = "nb",
    scenarios: Sequence[str] | None = None,
    models: Mapping[str, Model] | None = None,
    pdf: PathLike | None = BRIEF_PDF,
    html: PathLike | None = None,
    png_dir: PathLike | None = None,
    labels: Mapping[str, str] | None = None,
    date: dt.date | None = None,
    appendix: PathLike | None = None,
    risk: xr.Dataset | None = None,
) -> BriefFiles:
    """Build a board brief and write it: PDF, self-contained HTML, one PNG per chart.

    Parameters
    ----------
    ds : xr.Dataset
        Results of :func:`hmn_bygg.engine.run.run`.
    lang : {"nb", "en"}
        Bokmål (default) or English.
    scenarios : sequence of str, optional
        Scenarios side by side (default all; the first is the reference).
    models : mapping of str to Model, optional
        The validated scenarios behind ``ds``, for the appendix of parameters.
    pdf : path-like or None
        Where to write the PDF (A4, printed by headless Chromium); ``None`` for none.
    html : path-like or None
        Where to write the self-contained HTML; ``None`` for none.
    png_dir : path-like or None
        Folder for the charts as PNG (``vttg.png``, ``area.png``, ``upgrade_need.png`` and
        ``liquidity.png`` when present); ``None`` for none.
    labels : mapping of str to str, optional
        Friendly scenario names.
    date : datetime.date, optional
        Date printed on the brief (default today).
    appendix : path-like or None
        Where to write the appendix (self-contained HTML); ``None`` for none.
    risk : xr.Dataset, optional
        Breach probabilities of a risk run, as for :func:`build_brief`.

    Returns
    -------
    BriefFiles
        The paths written.

    Raises
    ------
    InputError
        For an unknown scenario or language, results without the variables a brief needs,
        or (with ``pdf``) when Chromium cannot be started.

    Notes
    -----
    Every file is written atomically (a temporary file in the same folder, then
    :func:`os.replace`), so a reader never sees half a file. The PDF is made before anything
    is written, so a failing browser leaves no partial set of outputs.
    """
    brief = build_brief(
        ds, lang=lang, scenarios=scenarios, models=models, labels=labels, date=date, risk=risk
    )
    pdf_bytes = brief.pdf() if pdf is not None else None
    written = BriefFiles(
        pdf=write_atomic(pdf, pdf_bytes) if pdf is not None and pdf_bytes is not None else None,
        html=write_atomic(html, brief.html.encode("utf-8")) if html is not None else None,
        pngs=[write_atomic(Path(png_dir) / name, png) for name, png in brief.pngs.items()]
        if png_dir is not None
        else [],
        appendix=write_atomic(appendix, brief.appendix_html.encode("utf-8"))
        if appendix is not None
        else None,
    )
    return written
