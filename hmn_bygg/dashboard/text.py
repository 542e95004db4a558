"""User-facing words of the dashboard in bokmål (default) and English.

Variable names, units and descriptions come from the glossary (:mod:`hmn_bygg.variables`);
this module holds only the words of the pages themselves (titles, buttons, notes).
"""

from __future__ import annotations

from collections.abc import Mapping

from hmn_bygg.fmt import Lang
from hmn_bygg.variables import glossary

HF_NAMES: dict[str, str] = {
    "HMR": "Møre og Romsdal",
    "HNT": "Nord-Trøndelag",
    "STO": "St. Olavs hospital",
}

WORDS: dict[str, tuple[str, str]] = {
    "app_title": ("Helse Midt-Norge – byggporteføljen", "Helse Midt-Norge – building portfolio"),
    "scenario": ("Scenario", "Scenario"),
    "language": ("Språk", "Language"),
    "register": ("Bygningsregister", "Building register"),
    "upload": ("Last opp register (.csv/.xlsx)", "Upload a register (.csv/.xlsx)"),
    "upload_help": (
        "Bygningstabell og eventuelt deltabell (NS 3451). Filene leses kontrollert; "
        "ingenting lagres.",
        "Buildings table and optionally a parts table (NS 3451). Files are checked; "
        "nothing is stored.",
    ),
    "upload_ok": (
        "Registeret er lastet: {n} bygg, {area} m².",
        "Register loaded: {n} buildings, {area} m².",
    ),
    "upload_bad": ("Registeret kunne ikke leses", "The register could not be read"),
    "reset_register": ("Bruk innebygd register", "Use the bundled register"),
    "bundled_register": ("Innebygd (syntetisk) register", "Bundled (synthetic) register"),
    "uploaded_register": ("Opplastet register", "Uploaded register"),
    "brief": ("Last ned styrenotat (PDF)", "Download board brief (PDF)"),
    "price_basis": ("Kroner: {basis}", "Money: {basis}"),
    "year": ("År", "Year"),
    "region": ("Regionen", "Region"),
    "target": ("Mål", "Target"),
    "not_computed": (
        "Økonomien (likviditet, lån, investeringer) er ikke beregnet ennå i denne versjonen "
        "av modellen.",
        "The finances (liquidity, loans, investments) are not computed yet in this version "
        "of the model.",
    ),
    # pages
    "page_overview": ("Oversikt", "Overview"),
    "page_condition": ("Tilstand", "Condition"),
    "page_area": ("Areal", "Area"),
    "page_finance": ("Økonomi", "Finance"),
    "page_scenarios": ("Scenarier", "Scenarios"),
    "page_whatif": ("Hva om", "What if"),
    "page_risk": ("Risiko", "Risk"),
    "page_assumptions": ("Forutsetninger", "Assumptions"),
    "page_buildings": ("Bygg", "Buildings"),
    # overview
    "overview_intro": (
        "Nøkkeltall for scenario **{scenario}** mot målene i regional utviklingsplan: "
        "VTTG {vttg} og {area} m².",
        "Key figures for scenario **{scenario}** against the targets of the regional plan: "
        "VTTG {vttg} and {area} m².",
    ),
    "years_shown": ("Vis år", "Show years"),
    "vttg_in": ("VTTG {year}", "VTTG {year}"),
    "area_in": ("Areal {year}", "Area {year}"),
    "need_in": ("Oppgraderingsbehov {year}", "Upgrade need {year}"),
    "fci_in": ("Tilstandsindeks (FCI) {year}", "Condition index (FCI) {year}"),
    "target_is": ("mål {target}", "target {target}"),
    "area_target_year": ("Arealmålet nås {year}", "Area target met {year}"),
    "area_target_never": ("Arealmålet nås ikke innen {year}", "Area target not met by {year}"),
    "change_since": ("{sign}{value} siden {year}", "{sign}{value} since {year}"),
    "lowest_liquidity": ("Laveste likviditet {hf}", "Lowest liquidity {hf}"),
    "in_year": ("i {year}", "in {year}"),
    "breach_years": ("brudd på kredittrammen: {years}", "credit line breached: {years}"),
    "no_breach": ("innenfor kredittrammen", "within the credit line"),
    "status_legend": (
        "Grønn: når målet. Gul: nær målet. Rød: langt fra målet.",
        "Green: meets the target. Amber: close. Red: far from the target.",
    ),
    # condition
    "vttg_by_hf": ("Teknisk tilstand per helseforetak", "Technical condition per health trust"),
    "grade_bands": ("Andel areal per tilstandsgrad", "Share of area by condition grade"),
    "share_area": ("Andel av arealet (%)", "Share of floor area (%)"),
    "worst_buildings": (
        "Bygg i dårligst tilstand i {year}",
        "Buildings in the worst condition in {year}",
    ),
    "table_year": ("År i tabellen", "Year in the table"),
    # area
    "area_path": ("Areal i bruk, mot målet", "Floor area in service, against the target"),
    "area_by_hf": ("Areal per helseforetak", "Floor area by health trust"),
    "wf_below": ("Under målet", "Below target"),
    "area_changes": ("Nye bygg og avhending per år", "New buildings and disposals per year"),
    "waterfall": ("Fra dagens areal til {target} m²", "From today's area to {target} m²"),
    "wf_today": ("Areal {year}", "Area {year}"),
    "wf_disposed": ("Avhendet", "Disposed of"),
    "wf_opened": ("Nye bygg", "New buildings"),
    "wf_end": ("Areal {year}", "Area {year}"),
    "wf_gap": ("Gjenstår til målet", "Still above target"),
    "wf_target": ("Mål", "Target"),
    "opened": ("Åpnet", "Opened"),
    "area_m2": ("Areal (m²)", "Floor area (m²)"),
    "disposed": ("Avhendet", "Disposed of"),
    # finance
    "liquidity_vs_credit": ("Likviditet mot kredittrammen", "Liquidity against the credit line"),
    "credit_floor": ("kredittramme", "credit line"),
    "credit_floor_dashed": ("stiplet: kredittrammen", "dashed: credit line"),
    "investments": ("Investeringer per prosjekt", "Investments by project"),
    "investments_hf": ("Investeringer per helseforetak", "Investments by health trust"),
    "loans": ("Lånesaldo", "Loan balance"),
    "cash_flow": ("Netto kontantstrøm", "Net cash flow"),
    # scenarios
    "compare": ("Sammenlign scenarier (2–4)", "Compare scenarios (2–4)"),
    "pick_two": ("Velg minst to scenarier.", "Choose at least two scenarios."),
    "differences": ("Forskjeller mellom scenariene", "Differences between the scenarios"),
    "measure": ("Nøkkeltall", "Key figure"),
    "diff_vs": ("Forskjell mot {name}", "Difference from {name}"),
    "year_vttg_target": ("År VTTG når {target}", "Year VTTG reaches {target}"),
    "never": ("ikke innen {year}", "not by {year}"),
    "min_liquidity": ("Laveste likviditet, regionen", "Lowest liquidity, region"),
    # what-if
    "whatif_intro": (
        "Endre forutsetningene og se virkningen med én gang. Grunnlaget er scenario "
        "**{scenario}**; endringene lagres ikke.",
        "Change the assumptions and see the effect at once. The baseline is scenario "
        "**{scenario}**; the changes are not saved.",
    ),
    "extra_maintenance": ("Ekstra vedlikehold (MNOK/år)", "Extra maintenance (MNOK/yr)"),
    "from_year": ("Fra år", "From year"),
    "policy": ("Prioritering av vedlikehold", "Maintenance priority"),
    "worst_first": ("Dårligst først", "Worst first"),
    "best_value": ("Mest tilstand per krone", "Most condition per krone"),
    "disposal_shift": (
        "Avhending (år tidligere −/senere +)",
        "Disposals (years earlier −/later +)",
    ),
    "reset": ("Tilbakestill", "Reset"),
    "baseline": ("Grunnlag", "Baseline"),
    "change": ("Endring", "Change"),
    "unchanged": ("Uendret", "Unchanged"),
    "whatif": ("Hva om", "What if"),
    "whatif_vttg": ("VTTG, regionen: grunnlag og hva om", "VTTG, region: baseline and what if"),
    "whatif_need": ("Oppgraderingsbehov, regionen", "Upgrade need, region"),
    "whatif_area": ("Areal, regionen", "Floor area, region"),
    "whatif_liq": ("Likviditet, regionen", "Liquidity, region"),
    "whatif_result": ("Hva om-resultat", "What-if result"),
    "finance_sliders_later": (
        "Glidere for SNR, Helseplattformen, rente og likviditet kommer når økonomimodellen "
        "er på plass.",
        "Sliders for SNR, Helseplattformen, interest and liquidity arrive with the finance model.",
    ),
    # risk
    "risk_note": (
        "Usikkerhet er ikke beregnet i dashbordet. Analytikere kan beregne den med "
        "`hmn-bygg run --draws N`, som gir vifter (5–95 % og 25–75 %) for tilstand, areal og "
        "likviditet i resultatfilen.",
        "Uncertainty is not computed in the dashboard. Analysts can compute it with "
        "`hmn-bygg run --draws N`, which gives fan charts (5–95 % and 25–75 %) for condition, "
        "area and liquidity in the results file.",
    ),
    "fan": ("{name}: median og usikkerhet", "{name}: median and uncertainty"),
    "median": ("Median", "Median"),
    "band_90": ("5–95 %", "5–95 %"),
    "band_50": ("25–75 %", "25–75 %"),
    # assumptions
    "filter": ("Søk", "Search"),
    "key": ("Nøkkel", "Key"),
    "value": ("Verdi", "Value"),
    "unit": ("Enhet", "Unit"),
    "source": ("Kilde", "Source"),
    "description": ("Beskrivelse", "Description"),
    "assumptions_intro": (
        "Alle forutsetninger i scenario **{scenario}**, med verdi, enhet og kilde. "
        "«assumption» betyr at tallet ikke er offentlig og er en antakelse i modellen. "
        "Kilder og beskrivelser står som i modellfilene (for det meste på engelsk).",
        "Every assumption of scenario **{scenario}**, with value, unit and source. "
        "'assumption' means the figure is not public and is assumed by the model.",
    ),
    # buildings
    "buildings_intro": (
        "Velg et bygg i tabellen for å se tilstand og oppgraderingsbehov over tid.",
        "Select a building in the table to see its condition and upgrade need over time.",
    ),
    "building_history": ("{name}: tilstand over tid", "{name}: condition over time"),
    "building_need": ("{name}: oppgraderingsbehov", "{name}: upgrade need"),
    "col_id": ("Bygg-ID", "Building ID"),
    "col_name": ("Navn", "Name"),
    "col_hf": ("HF", "Trust"),
    "col_site": ("Sted", "Site"),
    "col_use": ("Bruk", "Use"),
    "col_area": ("Areal (m²)", "Area (m²)"),
    "col_built": ("Byggeår", "Built"),
    "col_grade": ("Tilstandsgrad", "Condition grade"),
    "col_need": ("Oppgr.behov (MNOK)", "Upgrade need (MNOK)"),
    "col_disposal": ("Planlagt avhendet", "Planned disposal"),
}


STATUS_WORDS: dict[str, tuple[str, str]] = {
    "green": ("på mål", "on target"),
    "amber": ("nær mål", "close"),
    "red": ("ikke på mål", "off target"),
}

USE_NAMES: dict[str, tuple[str, str]] = {
    "somatic": ("Somatikk", "Somatic"),
    "mental_health": ("Psykisk helsevern", "Mental health"),
    "office": ("Kontor", "Office"),
    "housing": ("Bolig", "Housing"),
    "technical": ("Teknisk", "Technical"),
    "other": ("Annet", "Other"),
}


def t(key: str, lang: Lang = "nb", **kwargs: object) -> str:
    """Return the dashboard text ``key`` in ``lang``, formatted with ``kwargs``.

    Parameters
    ----------
    key : str
        A key of :data:`WORDS`.
    lang : {"nb", "en"}
        Bokmål or English.
    **kwargs
        Values for the ``{placeholders}`` of the text.

    Returns
    -------
    str
        The text.
    """
    nb, en = WORDS[key]
    text = nb if lang == "nb" else en
    return text.format(**kwargs) if kwargs else text


def var_label(name: str, lang: Lang = "nb", *, unit: bool = True) -> str:
    """Return a variable's glossary label, with its unit in brackets: ``Areal (m²)``.

    Parameters
    ----------
    name : str
        Glossary name, e.g. ``"vttg"``.
    lang : {"nb", "en"}
        Bokmål or English.
    unit : bool
        Append the unit (``TG 0–3`` is shown as ``TG``; ``fraction`` as ``%``).

    Returns
    -------
    str
        The label.
    """
    entry = glossary()[name]
    text = str(entry[f"label_{lang}"])
    if not unit:
        return text
    units = {"TG 0–3": "TG", "fraction": "%", "bool": "", "year": ""}.get(
        str(entry["units"]), str(entry["units"])
    )
    if not units:
        return text
    return f"{text}, {units}" if text.endswith(")") else f"{text} ({units})"


def hf_name(code: str) -> str:
    """Return a health trust's short display name (the same in both languages)."""
    return HF_NAMES.get(code, code)


def use_name(code: str, lang: Lang = "nb") -> str:
    """Return the display name of a building use category."""
    nb, en = USE_NAMES.get(code, (code, code))
    return nb if lang == "nb" else en


def scenario_name(
    name: str, lang: Lang = "nb", labels: Mapping[str, Mapping[str, str]] | None = None
) -> str:
    """Return a scenario's display name from ``models/scenarios.yaml`` (else its name).

    Parameters
    ----------
    name : str
        Scenario name in the scenario file.
    lang : {"nb", "en"}
        Bokmål or English.
    labels : mapping, optional
        The labels of the session's scenario file (``{name: {"nb": .., "en": ..}}``, see
        :func:`hmn_bygg.config.labels.scenario_labels`); default: the bundled file's.
    """
    from hmn_bygg.config.labels import bundled_labels

    table = bundled_labels() if labels is None else labels
    return table.get(name, {}).get(lang, name)


def status_word(status: str, lang: Lang = "nb") -> str:
    """Return the words of a traffic light: ``på mål``, ``nær mål``, ``ikke på mål``."""
    nb, en = STATUS_WORDS[status]
    return nb if lang == "nb" else en
