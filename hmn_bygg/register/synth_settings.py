"""What the synthetic register is made of: its sites and the generator's shape settings.

The sites (HF, site, main building name, use, counts, share of the HF's area, built years,
years of planned disposal) and the shape settings of :mod:`hmn_bygg.register.synth`. The
generator is calibrated to the published Tabell 1 (utviklingsplan 2018); everything here is
an assumption about what a plausible register of that shape looks like, not HMN's data.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SiteSpec:
    """One hospital site of the synthetic register.

    Parameters
    ----------
    hf : str
        Owning health trust (HMR, HNT, STO).
    site : str
        Site name, e.g. ``"Molde"`` or ``"Øya"``.
    label : str
        Prefix of building names, e.g. ``"Molde sjukehus"``.
    main_use : str
        Use of the site's main blocks (``somatic`` or ``mental_health``).
    n_buildings : int
        Number of buildings on the site (blocks included).
    n_blocks : int
        Number of main blocks; they take the site's area left after the small buildings.
    area_share : float
        The site's share of its HF's floor area [fraction]; shares of an HF sum to 1.
    built : tuple of int
        Range of built years drawn before calibration [year].
    disposal_years : tuple of int
        Planned disposal years drawn for the site's buildings [year]; empty for none.
    disposal_uses : tuple of str
        Uses that carry a disposal year; empty means every use.
    """

    hf: str
    site: str
    label: str
    main_use: str
    n_buildings: int
    n_blocks: int
    area_share: float
    built: tuple[int, int]
    disposal_years: tuple[int, ...] = ()
    disposal_uses: tuple[str, ...] = ()


SNR_SITE = ((2026,), ("somatic", "mental_health", "office", "technical", "other"))


SITES: tuple[SiteSpec, ...] = (
    SiteSpec("HMR", "Ålesund", "Ålesund sjukehus", "somatic", 40, 7, 0.435, (1960, 2012)),
    SiteSpec("HMR", "Volda", "Volda sjukehus", "somatic", 18, 3, 0.115, (1955, 2008)),
    SiteSpec("HMR", "Molde", "Molde sjukehus", "somatic", 27, 5, 0.195, (1950, 1995), *SNR_SITE),
    SiteSpec(
        "HMR",
        "Kristiansund",
        "Kristiansund sjukehus",
        "somatic",
        20,
        4,
        0.175,
        (1950, 1992),
        *SNR_SITE,
    ),
    SiteSpec("HMR", "Mork", "Mork rehabiliteringssenter", "somatic", 6, 1, 0.045, (1965, 2000)),
    SiteSpec("HMR", "Åndalsnes", "Åndalsnes sjukehus", "somatic", 6, 1, 0.035, (1955, 1990)),
    SiteSpec("HNT", "Levanger", "Sykehuset Levanger", "somatic", 26, 5, 0.56, (1955, 2015)),
    SiteSpec("HNT", "Namsos", "Sykehuset Namsos", "somatic", 20, 4, 0.37, (1950, 2005)),
    SiteSpec("HNT", "Stjørdal", "DPS Stjørdal", "mental_health", 6, 2, 0.07, (1975, 2005)),
    SiteSpec("STO", "Øya", "St. Olavs hospital Øya", "somatic", 50, 12, 0.62, (1960, 2013)),
    SiteSpec("STO", "Østmarka", "Østmarka", "mental_health", 20, 4, 0.09, (1950, 2000)),
    SiteSpec("STO", "Brøset", "Brøset", "mental_health", 14, 2, 0.05, (1955, 1990), (2027, 2028)),
    SiteSpec("STO", "Orkdal", "Orkdal sjukehus", "somatic", 17, 3, 0.12, (1960, 2012)),
    SiteSpec("STO", "Røros", "Røros sykehus", "somatic", 8, 2, 0.04, (1960, 2000)),
    SiteSpec("STO", "Tiller", "Tiller DPS", "mental_health", 8, 2, 0.05, (1980, 2010)),
    SiteSpec("STO", "Hysnes", "Hysnes", "mental_health", 6, 1, 0.03, (1960, 1995)),
)


BY_USE_AREA = dict(
    somatic=1500.0, mental_health=900.0, housing=450.0, technical=250.0, office=800.0, other=350.0
)


BY_USE_VALUE = dict(
    somatic=65e3, mental_health=60e3, office=40e3, housing=32e3, technical=38e3, other=30e3
)


@dataclass(frozen=True)
class SynthSettings:
    """Shape parameters of the generator (settings, not model assumptions).

    Parameters
    ----------
    sites : tuple of SiteSpec
        The sites and their building counts, area shares and eras.
    small_uses, small_area_median, small_area_sigma : dict, dict, float
        Probability of each use among a site's small buildings (``"main"``: the site's main
        use); median floor area by use [m²]; log-normal spread of the areas [-].
    block_sigma, max_small_fraction : float
        Log-normal spread of the main blocks' sizes [-]; the most of a site's area the small
        buildings may take [fraction].
    replacement_value, replacement_value_spread : dict, float
        Replacement value by use [NOK/m²] (hospital space 60 000–70 000, Sykehusbygg 2019; the
        other uses are assumptions) and its seeded relative variation [fraction].
    part_offset, age_slope, building_sd, part_sd : dict, float, float, float
        Latent grade [TG]: offset by NS 3451 part (installations 3, 4, 5 wear faster), slope
        per year of age [TG/year], spread between buildings and between parts [TG].
    share_sd : float
        Log-normal spread of cost shares around ``models/parts.csv`` [-].
    adaptability_years_per_step, adaptability_sd : float
        Years of age per adaptability step [year]; spread of adaptability [grade].
    survey_span, newest_built_lag, age_slack : int
        Survey years run from ``as_of_year - survey_span`` to ``as_of_year``; no building is
        younger than ``newest_built_lag``; calibration may move built years ``age_slack``
        outside a site's era [year].
    age_tolerance, grade_tolerance : float
        Calibrate the area-weighted age [year] and the VTTG [TG] to within these of Tabell 1.
    """

    sites: tuple[SiteSpec, ...] = SITES
    small_uses: dict[str, float] = field(
        default_factory=lambda: dict(
            main=0.15, housing=0.35, technical=0.22, office=0.15, other=0.13
        )
    )
    small_area_median: dict[str, float] = field(default_factory=lambda: dict(BY_USE_AREA))
    small_area_sigma: float = 0.5
    block_sigma: float = 0.45
    max_small_fraction: float = 0.5
    replacement_value: dict[str, float] = field(default_factory=lambda: dict(BY_USE_VALUE))
    replacement_value_spread: float = 0.05
    part_offset: dict[str, float] = field(
        default_factory=lambda: {"2": 0.0, "3": 0.35, "4": 0.3, "5": 0.45, "6": 0.2, "7": 0.1}
    )
    age_slope: float = 0.025
    building_sd: float = 0.3
    part_sd: float = 0.45
    share_sd: float = 0.1
    adaptability_years_per_step: float = 20.0
    adaptability_sd: float = 0.6
    survey_span: int = 3
    newest_built_lag: int = 2
    age_slack: int = 10
    age_tolerance: float = 0.05
    grade_tolerance: float = 0.001


SETTINGS = SynthSettings()


SMALL_NOUN = {
    "somatic": "behandlingsbygg",
    "mental_health": "sengepost",
    "housing": "personalbolig",
    "technical": "teknisk bygg",
    "office": "administrasjonsbygg",
    "other": "servicebygg",
}
