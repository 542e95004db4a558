"""What the board brief says: key figures, tables, decision points, charts and assumptions.

:func:`build_content` turns a results Dataset into a :class:`BriefContent`, every figure
already formatted in the reader's language. :mod:`hmn_bygg.report.brief.render` only lays it out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import xarray as xr
from babel.dates import format_date

from hmn_bygg.config import Model
from hmn_bygg.core.fmt import fmt_number
from hmn_bygg.core.targets import target_area, target_vttg
from hmn_bygg.report.brief import facts
from hmn_bygg.report.brief.assumptions import (
    ParamRow,
    display_path,
    parameter_rows,
    provenance,
    scenario_changes,
    tabell1_note,
)
from hmn_bygg.report.brief.breach import BreachSection, breach_section
from hmn_bygg.report.brief.decisions import Decision, decisions, years_text
from hmn_bygg.report.brief.figures import Chart, charts, colour
from hmn_bygg.report.brief.progress import ProgressSection, progress_section
from hmn_bygg.report.brief.record import RecordSection, record_section
from hmn_bygg.report.brief.texts import LANGS, Lang, hf_name, region_name, scenario_label, t

_LOCALES = {"nb": "nb_NO", "en": "en_GB"}


@dataclass(frozen=True)
class Cell:
    """A table cell: its text and a status, ``"ok"`` (meets the target), ``"bad"`` or ``""``."""

    text: str
    status: str = ""


@dataclass(frozen=True)
class Row:
    """A table row: label, unit and one cell per column."""

    label: str
    unit: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Group:
    """Rows under an optional heading row (a scenario), with the scenario's colour."""

    title: str
    rows: tuple[Row, ...]
    colour: str = ""


@dataclass(frozen=True)
class Table:
    """A table: the column headings after label and unit, and groups of rows."""

    head: tuple[str, ...]
    groups: tuple[Group, ...]
    head_colours: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScenarioInfo:
    """A chosen scenario: name, friendly label, colour and what it changes in the model."""

    name: str
    label: str
    colour: str
    changes: tuple[str, ...] | None = None


@dataclass(frozen=True)
class BriefContent:
    """Everything the brief shows, formatted for one language.

    Attributes
    ----------
    lang : {"nb", "en"}
        Language.
    title, subtitle, date, price_basis, model_name : str
        Header lines.
    scenarios : tuple of ScenarioInfo
        The chosen scenarios in order.
    decisions : tuple of Decision
        “Hva styret må ta stilling til”.
    key_table, vttg_table : Table
        Key figures by scenario; VTTG per HF and region by scenario.
    liquidity_table : Table or None
        Liquidity per HF by scenario, when the results carry it.
    charts : tuple of Chart
        The charts (PNG).
    parameters : tuple of ParamRow
        Every parameter with value, unit and source (empty without a model).
    model_file : str
        The model file the parameters come from.
    provenance : str
        The register's provenance.
    notes : tuple of str
        Notes under the key figures (e.g. a median over draws).
    register_notes : tuple of str
        Notes on the register (e.g. Tabell 1's printed region row).
    breach : BreachSection or None
        Each HF's breach probability by scenario, when the brief has a risk run.
    """

    lang: Lang
    title: str
    subtitle: str
    date: str
    price_basis: str
    model_name: str
    scenarios: tuple[ScenarioInfo, ...]
    decisions: tuple[Decision, ...]
    key_table: Table
    vttg_table: Table
    liquidity_table: Table | None
    charts: tuple[Chart, ...]
    parameters: tuple[ParamRow, ...] = ()
    model_file: str = ""
    provenance: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)
    register_notes: tuple[str, ...] = field(default_factory=tuple)
    record: RecordSection | None = None
    progress: ProgressSection | None = None
    breach: BreachSection | None = None

    def text(self, key: str, **values: object) -> str:
        """Return a fixed text of the brief in its language (for the template)."""
        return t(self.lang, key, **values)


def _n(value: float | None, decimals: int, lang: Lang) -> str:
    return fmt_number(value, decimals, lang, html=True)


def _status(value: float, target: float) -> str:
    return "ok" if value <= target + facts.TOL else "bad"


def key_table(
    ds: xr.Dataset, scenarios: Sequence[str], labels: Mapping[str, str], lang: Lang
) -> Table:
    """Key figures of the region, one column per scenario."""
    y0, yend, marks = facts.years_of(ds)
    vt, at = target_vttg(ds), target_area(ds)
    rows: list[Row] = []

    def row(label: str, unit: str, cells: list[Cell]) -> None:
        rows.append(Row(label, unit, tuple(cells)))

    vttg = {s: facts.series(ds["vttg_region"].sel(scenario=s)) for s in scenarios}
    for year in (y0, *marks):
        cells = [Cell(_n(vttg[s][year], 2, lang), _status(vttg[s][year], vt)) for s in scenarios]
        row(t(lang, "row_vttg", year=year), "TG", cells)
    cells = []
    for s in scenarios:
        met = facts.first_year_at_or_below(vttg[s], vt)
        text = t(lang, "not_reached", yend=yend) if met is None else str(met)
        cells.append(Cell(text, "bad" if met is None else "ok"))
    row(t(lang, "row_vttg_year", target=_n(vt, 1, lang)), "", cells)
    area = {s: facts.series(ds["area_region"].sel(scenario=s)) for s in scenarios}
    for year in (y0, yend):
        cells = [Cell(_n(area[s][year], 0, lang), _status(area[s][year], at)) for s in scenarios]
        row(t(lang, "row_area", year=year), "m²", cells)
    cells = []
    for s in scenarios:
        met_year, _ = facts.area_target_result(ds, s)
        if met_year is None:
            cells.append(Cell(t(lang, "not_reached", yend=yend), "bad"))
        else:
            cells.append(Cell(str(met_year), "ok"))
    row(t(lang, "row_area_target", target=_n(at, 0, lang)), "", cells)
    need = ds["upgrade_need_region"]
    for year in (y0, yend):
        cells = [Cell(_n(float(need.sel(scenario=s, year=year)), 0, lang)) for s in scenarios]
        row(t(lang, "row_need", year=year), "MNOK", cells)
    if "maintenance_budget" in ds:
        cells = [Cell(_n(facts.mean_budget(ds, s), 0, lang)) for s in scenarios]
        row(t(lang, "row_budget", y1=facts.plan_from(ds), yend=yend), t(lang, "per_year"), cells)
    invest = [facts.investment_total(ds, s) for s in scenarios]
    if all(v is not None for v in invest):
        row(t(lang, "row_invest", y0=y0, yend=yend), "MNOK", [Cell(_n(v, 0, lang)) for v in invest])
    if facts.has_liquidity(ds):
        cells = []
        for s in scenarios:
            liq = facts.liquidity_of(ds, s, None)  # the region's sum: no verdict (see below)
            cells.append(Cell(f"{_n(liq.lowest, 0, lang)} ({liq.lowest_year})"))
        row(t(lang, "row_liq_min"), "MNOK", cells)
        cells = []
        for s in scenarios:
            years = sorted(
                {
                    y
                    for hf in ds["hf"].to_numpy().astype(str)
                    for y in facts.liquidity_of(ds, s, hf).breach_years
                }
            )
            cells.append(Cell(years_text(years, lang), "bad" if years else "ok"))
        row(t(lang, "row_breach_years"), "", cells)
    head = tuple(labels[s] for s in scenarios)
    colours = tuple(colour(s, scenarios) for s in scenarios)
    return Table(head, (Group("", tuple(rows)),), colours)


def vttg_table(
    ds: xr.Dataset, scenarios: Sequence[str], labels: Mapping[str, str], lang: Lang
) -> Table:
    """VTTG per HF and region at the first year and the milestones, one group per scenario."""
    y0, yend, marks = facts.years_of(ds)
    target = target_vttg(ds)
    head = (t(lang, "now", year=y0), *map(str, marks), t(lang, "target_year"))
    groups = []
    for s in scenarios:
        rows = []
        entities = [*ds["hf"].to_numpy().astype(str), None]
        for hf in entities:
            da = ds["vttg_region"] if hf is None else ds["vttg"].sel(hf=hf)
            path = facts.series(da.sel(scenario=s))
            cells = [Cell(_n(path[y], 2, lang), _status(path[y], target)) for y in (y0, *marks)]
            year = facts.first_year_at_or_below(path, target)
            cells.append(
                Cell(
                    t(lang, "not_reached", yend=yend) if year is None else str(year),
                    "bad" if year is None else "ok",
                )
            )
            label = t(lang, "region") if hf is None else hf_name(hf, lang)
            rows.append(Row(label, "", tuple(cells)))
        groups.append(Group(labels[s], tuple(rows), colour(s, scenarios)))
    return Table(head, tuple(groups))


def liquidity_table(
    ds: xr.Dataset, scenarios: Sequence[str], labels: Mapping[str, str], lang: Lang
) -> Table:
    """Lowest liquidity, credit limit, negative and breach years per HF, one group per scenario."""
    head = (
        t(lang, "liq_min"),
        t(lang, "credit_limit"),
        t(lang, "negative_years"),
        t(lang, "breach_years"),
    )
    groups = []
    for s in scenarios:
        rows = []
        for hf in [*ds["hf"].to_numpy().astype(str), None]:
            liq = facts.liquidity_of(ds, s, hf)
            cells = (
                Cell(
                    f"{_n(liq.lowest, 0, lang)} ({liq.lowest_year})",
                    "bad" if liq.breach_years else "",
                ),
                Cell(_n(-abs(liq.credit_limit), 0, lang)),  # the floor, as everywhere
                Cell(years_text(liq.negative_years, lang)),
                Cell(years_text(liq.breach_years, lang), "bad" if liq.breach_years else "ok"),
            )
            label = t(lang, "region") if hf is None else hf_name(hf, lang)
            rows.append(Row(label, "", cells))
        groups.append(Group(labels[s], tuple(rows), colour(s, scenarios)))
    return Table(head, tuple(groups))


def build_content(
    ds: xr.Dataset,
    *,
    lang: Lang = "nb",
    scenarios: Sequence[str] | None = None,
    models: Mapping[str, Model] | None = None,
    labels: Mapping[str, str] | None = None,
    date: dt.date | None = None,
    risk: xr.Dataset | None = None,
) -> BriefContent:
    """Turn results into the content of a board brief.

    Parameters
    ----------
    ds : xr.Dataset
        Results of :func:`hmn_bygg.engine.run.run` (``scenario`` a dimension).
    lang : {"nb", "en"}
        Bokmål (default) or English.
    scenarios : sequence of str, optional
        Scenarios to show, in order; the first is the reference. Default: those of the
        bundled ``brief:`` list (``models/scenarios.yaml``) that ``ds`` holds and every other
        scenario of ``ds`` that reaches the VTTG or the area target, else all.
    models : mapping of str to Model, optional
        The validated scenarios behind ``ds``, for the appendix of parameters. Without them
        the appendix shows only the register's provenance.
    labels : mapping of str to str, optional
        Friendly scenario names (default: the bundled names, else the scenario's name).
    date : datetime.date, optional
        Date of the brief (default today).
    risk : xr.Dataset, optional
        Breach probabilities of a risk run (:func:`hmn_bygg.risk.breach.any_year`); the
        liquidity section then states each HF's.

    Returns
    -------
    BriefContent

    Raises
    ------
    InputError
        For an unknown language or scenario, or results that lack what the brief needs.
    """
    from hmn_bygg.core.errors import InputError, Problem
    from hmn_bygg.core.messages import Msg

    if lang not in LANGS:
        raise InputError(
            [Problem("brief", Msg("report.unknown_language"), expected=Msg("report.nb_or_en"),
                     found=str(lang))],
            title=Msg("report.brief_cannot_be_made"),
        )  # fmt: skip
    if scenarios is None:  # the brief's list and every scenario that reaches a target
        scenarios = facts.default_scenarios(ds)
    chosen = facts.check_results(ds, scenarios)
    notes: list[str] = []
    if "draw" in ds.dims:
        notes.append(t(lang, "note_draw"))
    ds = facts.reduce_draws(ds)
    names = {s: scenario_label(s, lang, dict(labels or {})) for s in chosen}
    y0, yend, _ = facts.years_of(ds)
    picked = None
    if models is not None:
        picked = {s: models[s] for s in chosen if s in models}
        picked = picked if len(picked) == len(chosen) else None
    changes = scenario_changes(picked, lang) if picked else {}
    infos = tuple(
        ScenarioInfo(s, names[s], colour(s, chosen), tuple(changes[s]) if s in changes else None)
        for s in chosen
    )
    prov, synthetic = provenance(ds, lang)
    note = tabell1_note(ds, chosen, lang) if synthetic else None
    first_model = next(iter(picked.values())) if picked else None
    when = date or dt.date.today()
    return BriefContent(
        lang=lang,
        title=t(lang, "title", region=region_name(lang)),
        subtitle=t(lang, "subtitle", y0=y0, yend=yend),
        date=format_date(when, format="long", locale=_LOCALES[lang]),
        price_basis=facts.price_words(ds, lang),
        model_name=first_model.model.name if first_model is not None else "",
        scenarios=infos,
        decisions=tuple(decisions(ds, chosen, names, lang)),
        key_table=key_table(ds, chosen, names, lang),
        vttg_table=vttg_table(ds, chosen, names, lang),
        liquidity_table=liquidity_table(ds, chosen, names, lang)
        if facts.has_liquidity(ds)
        else None,
        charts=tuple(charts(ds, chosen, names, lang)),
        parameters=tuple(parameter_rows(picked, lang, names)) if picked else (),
        model_file=display_path(first_model.file)
        if first_model is not None and first_model.file is not None
        else "",
        provenance=prov,
        notes=tuple(notes),
        register_notes=(note,) if note else (),
        record=record_section(ds, chosen, names, picked or models, lang),
        progress=progress_section(picked or models, lang),
        breach=breach_section(risk, chosen, names, lang) if facts.has_liquidity(ds) else None,
    )
