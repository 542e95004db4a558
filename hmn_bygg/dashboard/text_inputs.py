"""Display names of the uncertain inputs (risk page), by dotted key, in bokmål and English."""

from __future__ import annotations

from collections.abc import Mapping

from hmn_bygg.core.fmt import Lang

__all__ = ["INPUT_LABELS", "PROJECT_FIELDS", "input_label"]


INPUT_LABELS: dict[str, tuple[str, str]] = {
    "condition.wear_rate_factor": (
        "Slitasjetempo (levetid for bygningsdeler)",
        "Wear rate (life of building parts)",
    ),
    "condition.wear_shape": ("Slitasjeforløp", "Shape of wear"),
    "condition.part_life_years": ("Levetid for bygningsdeler", "Life of building parts"),
    "maintenance.budget_mnok": (
        "Realisert vedlikeholdsbudsjett",
        "Maintenance budget realised",
    ),
    "upgrade_cost.must_nok_per_m2": ("Kostnad for må-tiltak", "Cost of must-do measures"),
    "upgrade_cost.should_nok_per_m2": ("Kostnad for bør-tiltak", "Cost of should-do measures"),
    "upgrade_cost.renew_tg1_nok_per_m2": ("Kostnad for fornyelse", "Cost of renewal"),
    "portfolio.sale_price_nok_per_m2": (
        "Salgspris for avhendede bygg",
        "Sale price of disposed buildings",
    ),
    "finance.state_loan.rate": ("Rente på statslån", "Interest rate on state loans"),
}
"""Display names of uncertain inputs by dotted key (projects: :data:`PROJECT_FIELDS`)."""

PROJECT_FIELDS: dict[str, tuple[str, str]] = {
    "cost_mnok": ("kostnad", "cost"),
    "savings_mnok": ("gevinster", "benefits"),
    "open_year": ("åpningsår", "opening year"),
    "loan_frame_mnok": ("låneramme", "loan frame"),
}


def input_label(key: str, lang: Lang = "nb", projects: Mapping[str, str] | None = None) -> str:
    """Return the display name of an uncertain input, or its dotted key when it has none.

    Parameters
    ----------
    key : str
        Dotted key, e.g. ``finance.projects.snr.cost_mnok``.
    lang : {"nb", "en"}
        Bokmål or English.
    projects : mapping of str to str, optional
        Project display names by project key (``finance.projects.<key>.name``).

    Examples
    --------
    >>> input_label("finance.projects.snr.cost_mnok", "nb", {"snr": "SNR"})
    'SNR: kostnad'
    >>> input_label("some.other.key")
    'some.other.key'
    """
    if key in INPUT_LABELS:
        nb, en = INPUT_LABELS[key]
        return nb if lang == "nb" else en
    parts = key.split(".")
    if len(parts) == 4 and parts[:2] == ["finance", "projects"] and parts[3] in PROJECT_FIELDS:
        name = (projects or {}).get(parts[2]) or parts[2]
        nb, en = PROJECT_FIELDS[parts[3]]
        return f"{name}: {nb if lang == 'nb' else en}"
    return key
