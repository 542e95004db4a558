"""The words of the board brief in bokmål (``"nb"``) and English (``"en"``).

Every fixed text of the brief lives here, keyed by language; numbers are never part of these
strings: they are filled in with :func:`str.format` from the results. Placeholders are named
(``{label}``, ``{v0}``, ...) so both languages may order them freely.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["nb", "en"]
LANGS: tuple[Lang, ...] = ("nb", "en")

TEXTS: dict[str, dict[str, str]] = {
    "nb": {
        "title": "Styrenotat: bygningsmassen i {region}",
        "subtitle": "Teknisk tilstand, areal og økonomi – scenarioer {y0}–{yend}",
        "date": "Dato",
        "price_basis": "Prisnivå",
        "model": "Modell",
        "scenarios": "Scenarioer",
        "decisions": "Hva styret må ta stilling til",
        "key_figures": "Nøkkeltall per scenario",
        "charts": "Utviklingen",
        "by_hf": "Tilstand per helseforetak",
        "liquidity_by_hf": "Likviditet per helseforetak",
        "appendix": "Vedlegg: forutsetninger",
        "scenario_defs": "Scenarioene",
        "assumptions": "Parametere i modellen",
        "provenance": "Bygningsregisteret",
        "notes": "Merknader",
        "figure": "Figur",
        "region": "Regionen",
        "hf": "Helseforetak",
        "key": "Nøkkel",
        "value": "Verdi",
        "unit": "Enhet",
        "source": "Kilde",
        "figure_text": "Nøkkeltall",
        "not_reached": "ikke innen {yend}",
        "never": "ingen",
        "base_model": "Basismodellen uten endringer.",
        "changes_from_base": "Endringer fra basismodellen:",
        "from_year": "fra {year}",
        "legend_target": "Mål {value}",
        "legend_credit": "Driftskreditt (nedre grense)",
        "year_axis": "År",
        # key-figure rows
        "row_vttg": "VTTG, regionen, {year}",
        "row_vttg_year": "VTTG under målet {target} fra",
        "row_area": "Areal, regionen, {year}",
        "row_area_target": "Areal under målet {target} m² fra",
        "row_need": "Oppgraderingsbehov, {year}",
        "row_budget": "Vedlikeholdsbudsjett, snitt {y1}–{yend}",
        "row_invest": "Investeringer i alt, {y0}–{yend}",
        "row_liq_min": "Laveste likviditet, regionen",
        "row_breach_years": "År med brudd på driftskreditten (et HF)",
        "liq_min": "Laveste likviditet, MNOK (år)",
        "credit_limit": "Driftskredittramme, MNOK",
        "negative_years": "År med negativ likviditet",
        "breach_years": "År med brudd på kreditten",
        "target_year": "Under målet fra",
        "now": "{year} (nå)",
        "per_year": "MNOK/år",
        # figures
        "fig_vttg": "Vektet teknisk tilstandsgrad (VTTG) per helseforetak",
        "fig_vttg_caption": (
            "VTTG (TG 0–3, lavere er bedre) per helseforetak og for regionen, per scenario. "
            "Stiplet linje: målet {target}."
        ),
        "fig_area": "Areal i bruk, regionen",
        "fig_area_caption": (
            "Bruttoareal i bruk (m²) per scenario. Stiplet linje: målet {target} m²."
        ),
        "fig_need": "Oppgraderingsbehov, regionen",
        "fig_need_caption": (
            "Kostnaden ved å løfte alle bygningsdeler til TG1 (MNOK, {price_basis}), per scenario."
        ),
        "fig_liq": "Likviditet og driftskreditt per helseforetak",
        "fig_liq_caption": (
            "Likviditet ved årets slutt (MNOK) per scenario. Stiplet linje: minus "
            "driftskredittrammen; under den er kreditten brutt."
        ),
        # decisions
        "and": "og",
        "yes": "ja",
        "no": "nei",
        "d_not_group": "{labels} når ikke målet {target} innen {yend} (VTTG {range} i {yend}).",
        "d_need_range": (
            "Behovet er {u0} MNOK i {y0}. I {yend} er det fra {lo} MNOK ({lo_labels}) til {hi} "
            "MNOK ({hi_labels})."
        ),
        "d_need_same": "Behovet er {u0} MNOK i {y0} og {u} MNOK i {yend} i alle scenarioene.",
        "d_liq_hf": (
            "{hf} bryter driftskreditten (ramme {limit} MNOK) {cases}; lavest {min} MNOK i {year}."
        ),
        "d_liq_case": "med {label} i {years}",
        "d_liq_negative": (
            "{hf} får negativ likviditet og trekker på driftskreditten (ramme {limit} MNOK) "
            "{cases}; lavest {min} MNOK i {year}."
        ),
        "d_liq_no_plan": (
            "Etter {year} har modellen ingen nye byggeprosjekter (bare de kjente er med, og "
            "utstyr og vedlikehold går som før), så likviditeten vokser med driftsoverskuddet: "
            "det er handlingsrom for nye prosjekter, ikke penger som blir liggende."
        ),
        "lead_condition": "Tilstand",
        "lead_hf": "Helseforetak",
        "lead_area": "Areal",
        "lead_need": "Oppgraderingsbehov",
        "lead_liquidity": "Likviditet",
        "lead_decision": "Beslutning",
        "rises": "stiger",
        "falls": "synker",
        "stays": "holder seg",
        "d_first": (
            "Med {label} {verb} VTTG for regionen fra {v0} i {y0} til {v1} i {y1} og {vend} "
            "i {yend}. {target_clause}"
        ),
        "d_other": "{label} gir VTTG {v1} i {y1} og {vend} i {yend}. {target_clause}",
        "d_target_met": "Målet {target} nås i {year}.",
        "d_target_not": "Målet {target} nås ikke innen {yend}.",
        "d_cost": (
            " Det krever {extra} MNOK {more_less} til vedlikehold i {y1}–{yend} "
            "({per_year} MNOK/år i snitt) enn {base}."
        ),
        "more": "mer",
        "less": "mindre",
        "d_hf_not": (
            "{hf} har dårligst tilstand (VTTG {v0} i {y0}) og ligger over målet {target} "
            "i {yend} i alle scenarioene."
        ),
        "d_hf_met": (
            "{hf} har dårligst tilstand (VTTG {v0} i {y0}) og når målet {target} tidligst "
            "i {year} ({label})."
        ),
        "d_area_same_not": (
            "Planlagte avhendinger tar arealet fra {a0} m² i {y0} til {aend} m² i {yend} i alle "
            "scenarioene, {gap} m² over målet på {target} m²."
        ),
        "d_area_same_met": (
            "Planlagte avhendinger tar arealet fra {a0} m² i {y0} til {aend} m² i {yend} i alle "
            "scenarioene; målet på {target} m² nås i {year}."
        ),
        "d_area_group_not": "{labels}: {aend} m² i {yend}, {gap} m² over målet.",
        "d_area_group_met": "{labels}: målet nås i {year} ({aend} m² i {yend}).",
        "d_area_each": "Arealet er {a0} m² i {y0}; målet er {target} m². {clauses}",
        "d_liq_ok": (
            "Alle helseforetak har positiv likviditet i alle scenarioene; lavest er "
            "{min} MNOK ({hf}, {year}, {label})."
        ),
        "d_decide_raise": (
            "Skal vedlikeholdet økes til nivået i {label} ({budget} MNOK/år i snitt mot "
            "{base_budget} MNOK/år)? Da nås VTTG-målet {target} i {year}{instead}."
        ),
        "d_decide_instead": " i stedet for {year}",
        "d_decide_instead_never": ", ellers ikke innen {yend}",
        "d_decide_none": (
            "Ingen av scenarioene når VTTG-målet {target} for regionen innen {yend}. Styret "
            "bør be om et scenario som gjør det (se «hmn-bygg solve budget»)."
        ),
        "d_decide_keep": (
            "{label} når VTTG-målet {target} i {year} uten mer vedlikehold enn i dag; "
            "styret bør slå fast nivået i langtidsbudsjettet."
        ),
        # notes and provenance
        "note_tabell1": (
            "Utviklingsplanen 2018 (Tabell 1) oppgir {pub_area} m² og VTTG {pub_vttg} for "
            "regionen. Summen av helseforetakenes rader er {area} m², og arealvektet gir de "
            "VTTG {vttg}; notatet bruker tallene fra helseforetakenes rader."
        ),
        "note_draw": "Resultatene har usikkerhet (dimensjonen «draw»); notatet viser medianen.",
        "provenance_synthetic": (
            "Registeret er syntetisk: {n} oppdiktede bygg på helseforetakenes virkelige "
            "sykehusområder, generert av et program med fast frø og kalibrert slik at hvert "
            "helseforetaks antall bygg, areal, arealvektede alder og VTTG stemmer med Tabell 1 i "
            "Regional utviklingsplan 2018. Det er ikke Helse Midt-Norges egne bygningsdata. "
            "Se {file}."
        ),
        "provenance_real": "Registeret er lest fra: {files}.",
        "assumptions_intro": (
            "Alle parametere med verdi, enhet og kilde slik de står i modellfilen {file} "
            "(kildene er gjengitt uendret). Verdier som avviker i et scenario, står under "
            "verdien."
        ),
        "assumptions_none": "Modellfilen var ikke tilgjengelig; parameterne vises ikke.",
    },
    "en": {
        "title": "Board brief: the building portfolio of {region}",
        "subtitle": "Technical condition, floor area and finances – scenarios {y0}–{yend}",
        "date": "Date",
        "price_basis": "Price basis",
        "model": "Model",
        "scenarios": "Scenarios",
        "decisions": "What the board must decide",
        "key_figures": "Key figures by scenario",
        "charts": "The outlook",
        "by_hf": "Condition by health trust",
        "liquidity_by_hf": "Liquidity by health trust",
        "appendix": "Appendix: assumptions",
        "scenario_defs": "The scenarios",
        "assumptions": "Model parameters",
        "provenance": "The building register",
        "notes": "Notes",
        "figure": "Figure",
        "region": "Region",
        "hf": "Health trust",
        "key": "Key",
        "value": "Value",
        "unit": "Unit",
        "source": "Source",
        "figure_text": "Key figures",
        "not_reached": "not by {yend}",
        "never": "none",
        "base_model": "The base model unchanged.",
        "changes_from_base": "Changes from the base model:",
        "from_year": "from {year}",
        "legend_target": "Target {value}",
        "legend_credit": "Operating credit (floor)",
        "year_axis": "Year",
        "row_vttg": "VTTG, region, {year}",
        "row_vttg_year": "VTTG at target {target} from",
        "row_area": "Floor area, region, {year}",
        "row_area_target": "Area at target {target} m² from",
        "row_need": "Upgrade need, {year}",
        "row_budget": "Maintenance budget, mean {y1}–{yend}",
        "row_invest": "Investments in total, {y0}–{yend}",
        "row_liq_min": "Lowest liquidity, region",
        "row_breach_years": "Years the credit line is breached (any trust)",
        "liq_min": "Lowest liquidity, MNOK (year)",
        "credit_limit": "Operating credit limit, MNOK",
        "negative_years": "Years of negative liquidity",
        "breach_years": "Years credit line breached",
        "target_year": "At target from",
        "now": "{year} (now)",
        "per_year": "MNOK/yr",
        "fig_vttg": "Weighted condition grade (VTTG) by health trust",
        "fig_vttg_caption": (
            "VTTG (TG 0–3, lower is better) by health trust and for the region, by scenario. "
            "Dashed line: the target {target}."
        ),
        "fig_area": "Floor area in service, region",
        "fig_area_caption": (
            "Gross floor area in service (m²) by scenario. Dashed line: the target {target} m²."
        ),
        "fig_need": "Upgrade need, region",
        "fig_need_caption": (
            "The cost of bringing every building part to TG1 (MNOK, {price_basis}), by scenario."
        ),
        "fig_liq": "Liquidity and operating credit by health trust",
        "fig_liq_caption": (
            "Closing liquidity (MNOK) by scenario. Dashed line: minus the operating credit "
            "limit; below it the credit line is breached."
        ),
        "and": "and",
        "yes": "yes",
        "no": "no",
        "d_not_group": (
            "{labels} do not meet the target {target} by {yend} (VTTG {range} in {yend})."
        ),
        "d_need_range": (
            "The need is {u0} MNOK in {y0}. In {yend} it ranges from {lo} MNOK ({lo_labels}) to "
            "{hi} MNOK ({hi_labels})."
        ),
        "d_need_same": "The need is {u0} MNOK in {y0} and {u} MNOK in {yend} in every scenario.",
        "d_liq_hf": (
            "{hf} breaches its operating credit (limit {limit} MNOK) {cases}; lowest {min} MNOK "
            "in {year}."
        ),
        "d_liq_case": "with {label} in {years}",
        "d_liq_negative": (
            "{hf} runs negative liquidity and draws on its operating credit (limit {limit} MNOK) "
            "{cases}; lowest {min} MNOK in {year}."
        ),
        "d_liq_no_plan": (
            "After {year} the model holds no new building project (only the known ones are in "
            "it; equipment and maintenance go on as before), so liquidity grows with the "
            "operating surplus: that is room for new projects, not cash that will pile up."
        ),
        "lead_condition": "Condition",
        "lead_hf": "Health trusts",
        "lead_area": "Floor area",
        "lead_need": "Upgrade need",
        "lead_liquidity": "Liquidity",
        "lead_decision": "Decision",
        "rises": "rises",
        "falls": "falls",
        "stays": "stays",
        "d_first": (
            "With {label} the region's VTTG {verb} from {v0} in {y0} to {v1} in {y1} and {vend} "
            "in {yend}. {target_clause}"
        ),
        "d_other": "{label} gives VTTG {v1} in {y1} and {vend} in {yend}. {target_clause}",
        "d_target_met": "The target {target} is met in {year}.",
        "d_target_not": "The target {target} is not met by {yend}.",
        "d_cost": (
            " It takes {extra} MNOK {more_less} maintenance in {y1}–{yend} "
            "({per_year} MNOK/yr on average) than {base}."
        ),
        "more": "more",
        "less": "less",
        "d_hf_not": (
            "{hf} is in the worst condition (VTTG {v0} in {y0}) and is above the target {target} "
            "in {yend} in every scenario."
        ),
        "d_hf_met": (
            "{hf} is in the worst condition (VTTG {v0} in {y0}) and meets the target {target} "
            "in {year} at the earliest ({label})."
        ),
        "d_area_same_not": (
            "Planned disposals take the floor area from {a0} m² in {y0} to {aend} m² in {yend} in "
            "every scenario, {gap} m² above the target of {target} m²."
        ),
        "d_area_same_met": (
            "Planned disposals take the floor area from {a0} m² in {y0} to {aend} m² in {yend} in "
            "every scenario; the target of {target} m² is met in {year}."
        ),
        "d_area_group_not": "{labels}: {aend} m² in {yend}, {gap} m² above the target.",
        "d_area_group_met": "{labels}: the target is met in {year} ({aend} m² in {yend}).",
        "d_area_each": "The floor area is {a0} m² in {y0}; the target is {target} m². {clauses}",
        "d_liq_ok": (
            "Every health trust keeps positive liquidity in every scenario; the lowest is "
            "{min} MNOK ({hf}, {year}, {label})."
        ),
        "d_decide_raise": (
            "Should maintenance be raised to the level of {label} ({budget} MNOK/yr on average "
            "against {base_budget} MNOK/yr)? The VTTG target {target} is then met in {year}"
            "{instead}."
        ),
        "d_decide_instead": " instead of {year}",
        "d_decide_instead_never": "; otherwise not by {yend}",
        "d_decide_none": (
            "No scenario meets the region's VTTG target {target} by {yend}. The board should ask "
            "for a scenario that does (see “hmn-bygg solve budget”)."
        ),
        "d_decide_keep": (
            "{label} meets the VTTG target {target} in {year} without more maintenance than "
            "today; the board should fix that level in the long-term budget."
        ),
        "note_tabell1": (
            "The 2018 development plan (Tabell 1) prints {pub_area} m² and VTTG {pub_vttg} for the "
            "region. The health trusts' rows sum to {area} m² and give VTTG {vttg} weighted by "
            "area; this brief uses the figures of the health trusts' rows."
        ),
        "note_draw": "The results are uncertain (dimension “draw”); the brief shows the median.",
        "provenance_synthetic": (
            "The register is synthetic: {n} invented buildings on the health trusts' real "
            "hospital sites, generated by a seeded program and calibrated so that each trust's "
            "building count, floor area, area-weighted age and VTTG equal Tabell 1 of the "
            "Regional utviklingsplan 2018. It is not Helse Midt-Norge's own building data. "
            "See {file}."
        ),
        "provenance_real": "The register was read from: {files}.",
        "assumptions_intro": (
            "Every parameter with value, unit and source as written in the model file {file} "
            "(sources quoted unchanged). Values that differ in a scenario are listed below the "
            "value."
        ),
        "assumptions_none": "The model file was not available; the parameters are not shown.",
    },
}


def t(lang: Lang, key: str, **values: object) -> str:
    """Return the text ``key`` in ``lang`` with ``values`` filled in.

    Parameters
    ----------
    lang : {"nb", "en"}
        Language.
    key : str
        Text key of :data:`TEXTS`.
    **values
        Placeholder values (already formatted numbers).

    Returns
    -------
    str
        The text.
    """
    text = TEXTS[lang][key]
    return text.format(**values) if values else text


def quote(text: str, lang: Lang) -> str:
    """Return ``«text»`` in bokmål and ``“text”`` in English."""
    return f"«{text}»" if lang == "nb" else f"“{text}”"


def join_list(items: list[str], lang: Lang) -> str:
    """Return ``"a, b og c"`` (bokmål) or ``"a, b and c"`` (English)."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {t(lang, 'and')} " + items[-1]


def scenario_label(name: str, lang: Lang, labels: dict[str, str] | None = None) -> str:
    """Return a scenario's friendly name: ``labels``, then ``models/scenarios.yaml``, then
    ``name``."""
    from hmn_bygg.config.labels import bundled_labels, label

    if labels and name in labels:
        return labels[name]
    return label(bundled_labels(), name, lang)


def hf_name(code: str, lang: Lang) -> str:
    """Return ``"Helse Møre og Romsdal (HMR)"`` for ``"HMR"``: the region's name of the HF
    (``models/organisation.csv``) with its code; the code alone for one not in the region."""
    from hmn_bygg.config.region import load_region

    entity = load_region().hf(code)
    return f"{entity.name(lang)} ({code})" if entity is not None else code


def region_name(lang: Lang) -> str:
    """Return the region's name in running text (``"Helse Midt-Norge"``), from
    ``models/organisation.csv``."""
    from hmn_bygg.config.region import load_region

    return load_region().authority.name(lang)
