"""The brief's section on the record: plan year, investment room, validation, plan vs outcome.

:func:`record_section` builds, in bokmål or English, what the board needs to read the numbers
against the public record: which years are history and from which year it decides; each HF's
investment room (how much more it could commit in cash without breaking its credit line
later); the validation table (public figures beside the model); and the 2018 plan beside the
outcome. The validation and the plan comparison run the scenarios ``today`` and ``plan_2018``
in nominal kroner, as the record is, and show them in the brief's price basis (the public
figures converted by the deflator in fixed prices); their words come from
:mod:`hmn_bygg.report.record_texts`, in the brief's language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import xarray as xr

from hmn_bygg.config import Model
from hmn_bygg.core.fmt import fmt_number

__all__ = ["RecordSection", "record_section"]

TEXTS = {
    "nb": {
        "title": "Plan fra i dag, mot de offentlige tallene",
        "intro": "Årene før {plan} er historie: offentlige driftsresultater der de finnes, ellers "
        "simulert. Beslutninger gjelder fra {plan}. Investeringsrommet er hvor mye mer hvert "
        "foretak kan binde seg til i kontanter i {plan} uten å gå under driftskreditten noe "
        "senere år ({basis}). Er det null, bærer ikke planen mer uten nye lån, salg eller kutt.",
        "room": "Investeringsrom {plan} (MNOK)",
        "validation": "Offentlige tall mot modellen ({basis}, scenario «{today}»)",
        "pvo": "Planen fra 2018 mot utfallet ({basis})",
    },
    "en": {
        "title": "Planning from today, against the public record",
        "intro": "The years before {plan} are history: published operating results where they "
        "exist, simulated otherwise. Decisions act from {plan}. The investment room is how much "
        "more each HF could commit in cash in {plan} without going below its credit line in "
        "any later year ({basis}). Where it is zero, the plan carries no more without new "
        "loans, sales or cuts.",
        "room": "Investment room {plan} (MNOK)",
        "validation": "Public figures against the model ({basis}, scenario '{today}')",
        "pvo": "The 2018 plan against the outcome ({basis})",
    },
}  # fmt: skip


@dataclass(frozen=True)
class RecordSection:
    """Texts and plain tables (head, rows of text cells) of the section."""

    title: str
    intro: str
    room_title: str
    room: tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]
    validation_title: str
    validation: tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]
    pvo_title: str
    pvo: tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]


def _v(value: float, unit: str, lang: str) -> str:
    if value != value:
        return "–"
    if unit in ("year", "år"):
        return str(round(value))
    return fmt_number(value, 2 if unit == "TG" else 0, lang)  # type: ignore[arg-type]


def record_section(
    ds: xr.Dataset,
    chosen: Sequence[str],
    names: Mapping[str, str],
    models: Mapping[str, Model] | None,
    lang: str = "nb",
) -> RecordSection | None:
    """Return the section, or ``None`` without the results or models it needs."""
    if "investment_room" not in ds or not models or "today" not in models:
        return None
    from hmn_bygg.engine.run import run_models
    from hmn_bygg.report.record_texts import (
        READER_COLUMNS,
        basis_words,
        pvo_cells,
        validation_cells,
    )
    from hmn_bygg.report.validation import plan_vs_outcome, validation_table

    tx = TEXTS[lang]
    plan = int(ds.attrs.get("plan_start", int(ds["year"][0]) + 1))
    hfs = [str(h) for h in ds["hf"].to_numpy()]
    room = ds["investment_room"].sel(year=plan)
    room_rows = tuple(
        (names.get(s, s), *(_v(float(room.sel(scenario=s, hf=h)), "MNOK", lang) for h in hfs))
        for s in chosen
    )
    both = {n: models[n] for n in ("today", "plan_2018") if n in models}
    prices = str(ds.attrs.get("prices", "nominal"))
    nominal = run_models(both, prices="nominal")
    table = validation_table(nominal, both["today"], prices=prices)
    v_heads, v_cells = validation_cells(table, lang)
    keep = READER_COLUMNS  # what, HF, year, public, model, difference, within (no raw id)
    v_rows = tuple(tuple(row[i] for i in keep) for row in v_cells)
    p_heads: list[str] = []
    p_rows: tuple = ()
    if "plan_2018" in both:
        pvo = plan_vs_outcome(nominal, both["plan_2018"], both["today"], prices=prices,
                              lang=lang)  # fmt: skip
        p_heads, p_cells = pvo_cells(pvo, lang)
        p_rows = tuple(tuple(row[:5]) for row in p_cells)
    words = basis_words(prices, lang)
    return RecordSection(
        title=tx["title"],
        intro=tx["intro"].format(plan=plan, basis=words),  # the reader's words, not the code
        room_title=tx["room"].format(plan=plan),
        room=(("", *hfs), room_rows),
        validation_title=tx["validation"].format(basis=words, today=names.get("today", "today")),
        validation=(tuple(v_heads[i] for i in keep), v_rows),
        pvo_title=tx["pvo"].format(basis=words),
        pvo=(tuple(p_heads[:5]), p_rows),
    )
