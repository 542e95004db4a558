"""User-facing words of the dashboard in bokmål (default) and English.

Variable names, units and descriptions come from the glossary (:mod:`hmn_bygg.core.variables`);
this module holds only the words of the pages themselves (titles, buttons, notes).
"""

from __future__ import annotations

from collections.abc import Mapping

from hmn_bygg.core.fmt import Lang
from hmn_bygg.core.variables import glossary
from hmn_bygg.dashboard.text_inputs import INPUT_LABELS, PROJECT_FIELDS, input_label  # noqa: F401

WORDS: dict[str, tuple[str, str]] = {
    "app_title": ("{region} – byggporteføljen", "{region} – building portfolio"),
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
    "finance_no_plan": (
        "Etter {year} har modellen ingen nye byggeprosjekter (bare de kjente er med; utstyr og "
        "vedlikehold går som før), så likviditeten vokser med driftsoverskuddet. Les den "
        "stigende kurven som handlingsrom for nye prosjekter, ikke som penger som blir liggende.",
        "After {year} the model holds no new building project (only the known ones are in it; "
        "equipment and maintenance go on as before), so liquidity grows with the operating "
        "surplus. Read the rising curve as room for new projects, not as cash that will pile up.",
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
    "risk_intro": (
        "Hvor sikre er tallene for scenario **{scenario}**? Modellen kjøres mange ganger "
        "(trekk) med usikre forutsetninger trukket fra sine fordelinger: slitasjetempo, "
        "realisert vedlikehold, prosjektkostnader og -gevinster, åpningsår, rente og "
        "salgspriser. Båndet viser hvor 80 % av utfallene havner (p10–p90), linjen medianen "
        "(p50). Samme frø gir samme tall.",
        "How certain are the figures of scenario **{scenario}**? The model is run many times "
        "(draws) with uncertain assumptions drawn from their distributions: wear rate, "
        "realised maintenance, project costs and benefits, opening years, interest and sale "
        "prices. The band shows where 80 % of the outcomes fall (p10–p90), the line the median "
        "(p50). The same seed gives the same figures.",
    ),
    "risk_draws": ("Antall trekk", "Number of draws"),
    "risk_seed": ("Frø (seed)", "Seed"),
    "risk_run": ("Beregn usikkerhet", "Compute uncertainty"),
    "risk_busy": (
        "Beregner {draws} trekk for {scenario} … (noen sekunder)",
        "Computing {draws} draws for {scenario} … (a few seconds)",
    ),
    "risk_done": (
        "{draws} trekk, frø {seed}, beregnet på {seconds} s.",
        "{draws} draws, seed {seed}, computed in {seconds} s.",
    ),
    "risk_cached": (
        "{draws} trekk, frø {seed} (beregnet tidligere).",
        "{draws} draws, seed {seed} (computed earlier).",
    ),
    "risk_not_run": (
        "Trykk «Beregn usikkerhet» for å beregne vifter og sannsynligheter for dette scenarioet.",
        "Press 'Compute uncertainty' to compute fans and probabilities for this scenario.",
    ),
    "risk_failed": ("Usikkerheten kunne ikke beregnes", "The uncertainty could not be computed"),
    "risk_no_inputs": (
        "Modellen har ingen usikre forutsetninger (`uncertainty:` i modellfilen).",
        "The model declares no uncertain inputs (`uncertainty:` in the model file).",
    ),
    "risk_vttg": ("VTTG, regionen: p10–p90 og median", "VTTG, region: p10–p90 and median"),
    "risk_liq": (
        "Likviditet {hf}: p10–p90 og median",
        "Liquidity {hf}: p10–p90 and median",
    ),
    "band_80": ("p10–p90 (80 % av trekkene)", "p10–p90 (80 % of draws)"),
    "p50": ("Median (p50)", "Median (p50)"),
    "credit_floor_at": ("Kredittramme {value}", "Credit line {value}"),
    "risk_probs": ("Sannsynligheter", "Probabilities"),
    "risk_probs_note": (
        "Andel av trekkene. VTTG og areal: målet er nådd i minst ett år til og med året. "
        "Brudd: likviditeten er under kredittrammen det året.",
        "Share of draws. VTTG and area: the target is met in at least one year up to and "
        "including the year. Breach: liquidity is below the credit line that year.",
    ),
    "p_vttg": ("VTTG ≤ {target} nådd", "VTTG ≤ {target} reached"),
    "p_area": ("Areal ≤ {target} m² nådd", "Area ≤ {target} m² reached"),
    "p_breach": ("Brudd på kredittrammen, {hf}", "Credit line breached, {hf}"),
    "risk_drivers": ("Hva driver usikkerheten?", "What drives the uncertainty?"),
    "risk_drivers_note": (
        "De usikre forutsetningene som betyr mest for utfallet i {year}, rangert etter "
        "rangkorrelasjon (Spearman, fra −1 til 1). Rød stolpe: en høyere verdi av "
        "forutsetningen gir et dårligere utfall; blå: et bedre; grå: kan ikke skilles fra "
        "tilfeldig variasjon med dette antallet trekk. «Lav → høy» er gjennomsnittet "
        "av utfallet blant de 10 % laveste og de 10 % høyeste trekkene av forutsetningen.",
        "The uncertain assumptions that matter most for the outcome in {year}, ranked by rank "
        "correlation (Spearman, from −1 to 1). Red bar: a higher value of the assumption gives "
        "a worse outcome; blue: a better one; grey: not distinguishable from chance with this "
        "number of draws. 'Low → high' is the mean outcome among the "
        "lowest and the highest 10 % of draws of the assumption.",
    ),
    "driver_input": ("Forutsetning", "Assumption"),
    "driver_rho": ("Rangkorrelasjon", "Rank correlation"),
    "driver_swing": ("Lav → høy", "Low → high"),
    "drivers_vttg": ("VTTG i regionen, {year}", "VTTG of the region, {year}"),
    "drivers_liq": (
        "Likviditet i regionen, {year} (MNOK)",
        "Liquidity of the region, {year} (MNOK)",
    ),
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
    "prices_nominal": ("Løpende kroner", "Current kroner"),
    "prices_real": ("Faste 2026-kroner", "2026 kroner"),
    "record_title": (
        "Plan fra i dag mot de offentlige tallene",
        "Planning from today against the record",
    ),
    "record_intro": (
        "Før {plan}: historie. Fra {plan}: beslutninger. Investeringsrom = det foretaket kan "
        "binde i kontanter i {plan} uten å bryte driftskreditten senere ({basis}).",
        "Before {plan}: history. From {plan}: decisions. Investment room = what the HF can "
        "commit in cash in {plan} without breaking its credit line later ({basis}).",
    ),
    "record_room": ("Investeringsrom {plan} (MNOK)", "Investment room {plan} (MNOK)"),
    "yes": ("ja", "yes"),
    "no": ("nei", "no"),
    "record_validation": (
        "Offentlige tall mot modellen ({basis})",
        "Public figures against the model ({basis})",
    ),
    "record_pvo": (
        "Planen fra 2018 mot utfallet ({basis})",
        "The 2018 plan against the outcome ({basis})",
    ),
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


def hf_name(code: str, lang: Lang = "nb") -> str:
    """Return a health trust's name in running text, from the region's table
    (``models/organisation.csv``); the code itself for a code not in the region."""
    from hmn_bygg.config.region import hf_name as region_hf_name

    return region_hf_name(str(code), lang)


def region_name(lang: Lang = "nb") -> str:
    """Return the region's name in running text (``models/organisation.csv``)."""
    from hmn_bygg.config.region import load_region

    return load_region().authority.name(lang)


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
