"""A seeded, deterministic generator of the bundled (synthetic) building register.

HMN's real building register is not public. The bundled register is therefore *synthetic*:
292 made-up buildings on the real hospital sites, calibrated so that each health trust's
figures equal the published aggregates of the utviklingsplan 2018, Tabell 1
(``models/published_tabell1.csv``):

- number of buildings and floor area [m²]: exactly, by construction;
- area-weighted age [years, as of ``as_of_year``]: within ``age_tolerance`` of the published
  value, by moving single buildings' built years;
- VTTG [TG] (part grades weighted by cost share, buildings by area): within
  ``grade_tolerance``, by changing single integer part grades.

Everything else (sites, uses, sizes, replacement values, adaptability, survey years) is only
plausible. The shape parameters below are generator settings, not model assumptions; the
targets are data. ``hmn-bygg register synthesize`` writes the two CSV files; see
``data/building_register/PROVENANCE.md``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from hmn_bygg.register import SYNTH_SEED as DEFAULT_SEED
from hmn_bygg.register.model import SURVEY_ONLY, columns_table, part_table
from hmn_bygg.register.summary import published_tabell1
from hmn_bygg.register.synth_settings import (
    SETTINGS,
    SMALL_NOUN,
    SiteSpec,
    SynthSettings,
)

DEFAULT_AS_OF_YEAR = 2018
BUILDINGS_CSV = "buildings.csv"
PARTS_CSV = "parts.csv"
# canonical columns (hmn_bygg/register/columns.csv); no overall building grade, the parts have it
_COLUMNS = list(zip(columns_table()["table"], columns_table()["name"], strict=True))
BUILDING_COLUMNS = tuple(
    n for t, n in _COLUMNS if t == "buildings" and n not in ("condition_grade", *SURVEY_ONLY)
)
PART_COLUMNS = tuple(n for t, n in _COLUMNS if t == "parts")


# SNR (opened June 2025) replaces the hospitals in Molde and Kristiansund: about 90 000 m² of
# poor buildings are to be sold or demolished (utviklingsplan 2018, section 2.11). Disposal
# 2026 is an assumption (the year after SNR opened). Brøset: "planlagt solgt eller revet"
# (section 2.11); the years 2027-2028 are an assumption.


# hospital space 60 000-70 000 NOK/m² (Sykehusbygg 2019); the other uses are assumptions


def _round_to_total(values: np.ndarray, total: int) -> np.ndarray:
    """Round non-negative ``values`` to integers that sum to ``total`` (largest remainder)."""
    scaled = values * (total / values.sum())
    out = np.floor(scaled).astype(np.int64)
    short = int(total - out.sum())
    order = np.argsort(-(scaled - out), kind="stable")
    out[order[:short]] += 1
    return out


def _site_buildings(
    spec: SiteSpec, site_area: int, rng: np.random.Generator, s: SynthSettings
) -> list[dict]:
    """Draw one site's buildings with areas that sum to ``site_area`` [m²]."""
    n_small = spec.n_buildings - spec.n_blocks
    uses = list(s.small_uses)
    probs = np.array([s.small_uses[u] for u in uses])
    drawn = rng.choice(len(uses), size=n_small, p=probs / probs.sum())
    small_use = [spec.main_use if uses[i] == "main" else uses[i] for i in drawn]
    median = np.array([s.small_area_median[u] for u in small_use])
    small = median * np.exp(rng.normal(0.0, s.small_area_sigma, n_small))
    cap = s.max_small_fraction * site_area
    if small.sum() > cap:
        small *= cap / small.sum()
    small_area = np.maximum(np.round(small), 30).astype(np.int64)
    block_rel = np.exp(rng.normal(0.0, s.block_sigma, spec.n_blocks))
    block_area = _round_to_total(block_rel, site_area - int(small_area.sum()))
    rows = []
    for k, area in enumerate(sorted(block_area, reverse=True)):
        rows.append(
            {"name": f"{spec.label}, blokk {chr(ord('A') + k)}", "use": spec.main_use, "area": area}
        )
    counters: dict[str, int] = {}
    for use, area in zip(small_use, small_area, strict=True):
        counters[use] = counters.get(use, 0) + 1
        name = f"{spec.label}, {SMALL_NOUN[use]} {counters[use]}"
        rows.append({"name": name, "use": use, "area": int(area)})
    lo, hi = spec.built
    for row in rows:
        row["built"] = int(rng.integers(lo, hi + 1))
        row["site"], row["hf"] = spec.site, spec.hf
        row["lo"] = lo - s.age_slack
        row["hi"] = hi + s.age_slack
        disposal = np.nan
        if spec.disposal_years and (not spec.disposal_uses or row["use"] in spec.disposal_uses):
            disposal = float(rng.choice(spec.disposal_years))
        row["disposal"] = disposal
    return rows


def _calibrate_built_years(
    built: np.ndarray,
    area: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    target_age: float,
    as_of_year: int,
    tol: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """Move single built years until the area-weighted age is within ``tol`` of the target.

    Each pass visits the buildings in a seeded order and moves each by at most 3 years toward
    the target, so small buildings do the fine tuning and large blocks keep their era.
    """
    built = built.copy()
    total = float(area.sum())
    for _ in range(200):
        err = target_age - float(((as_of_year - built) * area).sum() / total)
        if abs(err) <= tol:
            return built
        need = err * total  # area-years to add
        for b in rng.permutation(len(built)):
            k = int(np.clip(np.round(need / area[b]), -3, 3))
            new = int(np.clip(built[b] - k, lo[b], hi[b]))
            need -= (built[b] - new) * area[b]
            built[b] = new
            if abs(need) <= tol * total / 2:
                break
    raise RuntimeError("could not calibrate built years; widen age_slack")


def _calibrate_grades(
    latent: np.ndarray, weight: np.ndarray, target: float, tol: float
) -> np.ndarray:
    """Round latent part grades to integers 0–3 whose weighted mean is within ``tol``.

    Parameters
    ----------
    latent : numpy.ndarray
        Latent grade per (building, part) [TG, continuous].
    weight : numpy.ndarray
        Weight of each (building, part) in the HF grade: area x cost share / HF area [-].
    target : float
        Target HF grade [TG].
    tol : float
        Tolerance [TG].

    Notes
    -----
    First a common shift ``c`` is found by bisection so that ``round(latent + c)`` comes near
    the target; then single grades are moved one step, each time the one whose latent value
    lies closest to its rounding threshold and whose step does not overshoot.
    """

    def grades(c: float) -> np.ndarray:
        return np.clip(np.round(latent + c), 0, 3)

    lo, hi = -4.0, 4.0
    for _ in range(60):
        mid = (lo + hi) / 2
        if float((grades(mid) * weight).sum()) < target:
            lo = mid
        else:
            hi = mid
    c = (lo + hi) / 2
    g = grades(c)
    x = latent + c
    for _ in range(100_000):
        err = target - float((g * weight).sum())
        if abs(err) <= tol:
            return g.astype(np.int64)
        step = 1.0 if err > 0 else -1.0
        new = g + step
        cost = (g + 0.5 - x) if step > 0 else (x - (g - 0.5))
        ok = (new >= 0) & (new <= 3) & (weight <= abs(err) + tol)
        if not ok.any():
            break
        cost = np.where(ok, cost, np.inf)
        i = np.unravel_index(int(np.argmin(cost)), g.shape)
        g[i] = new[i]
    raise RuntimeError("could not calibrate grades")


def _cost_shares(n: int, rng: np.random.Generator, s: SynthSettings) -> np.ndarray:
    """Draw cost shares around the defaults, rounded to 4 decimals that sum to exactly 1."""
    base = part_table()["default_cost_share"].astype(float).to_numpy()
    raw = base[None, :] * np.exp(rng.normal(0.0, s.share_sd, (n, len(base))))
    raw /= raw.sum(axis=1, keepdims=True)
    shares = np.round(raw, 4)
    shares[:, 0] = np.round(1.0 - shares[:, 1:].sum(axis=1), 4)
    return shares


def _hf_tables(
    hf: str,
    b: pd.DataFrame,
    target: pd.Series,
    codes: list[str],
    as_of_year: int,
    rng: np.random.Generator,
    s: SynthSettings,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Calibrate one HF's drawn buildings (ages, grades) and return its two tables."""
    area = b["area"].to_numpy(dtype=float)
    hi = np.minimum(b["hi"].to_numpy(), as_of_year - s.newest_built_lag)
    built = b["built"].to_numpy(dtype=np.int64)
    target_age = float(target["weighted_age_years"])
    built = _calibrate_built_years(
        built, area, b["lo"].to_numpy(), hi, target_age, as_of_year, s.age_tolerance, rng
    )
    age = (as_of_year - built).astype(float)
    n, n_p = len(b), len(codes)
    share = _cost_shares(n, rng, s)
    latent = (
        np.array([s.part_offset[c] for c in codes])[None, :]
        + s.age_slope * age[:, None]
        + rng.normal(0.0, s.building_sd, (n, 1))
        + rng.normal(0.0, s.part_sd, (n, n_p))
    )
    weight = area[:, None] * share / area.sum()
    grade = _calibrate_grades(latent, weight, float(target["grade"]), s.grade_tolerance)
    survey = rng.integers(as_of_year - s.survey_span, as_of_year + 1, n)
    survey = np.clip(np.maximum(survey, built + 1), None, as_of_year)
    survey[int(np.argmax(area))] = as_of_year
    adapt = age / s.adaptability_years_per_step + rng.normal(0, s.adaptability_sd, n)
    adapt = np.where(b["use"] == "technical", np.nan, np.clip(np.round(adapt), 0, 3))
    rv = np.array([s.replacement_value[u] for u in b["use"]])
    rv = rv * (1 + rng.uniform(-1, 1, n) * s.replacement_value_spread)
    ids = [f"{hf}-{i + 1:04d}" for i in range(n)]
    buildings = b.assign(
        building_id=ids,
        hf=hf,
        floor_area=b["area"].astype(np.int64),
        built_year=built.astype(np.int64),
        adaptability=pd.array(adapt, dtype="Int64"),
        replacement_value=(np.round(rv / 500) * 500).astype(np.int64),
        planned_disposal_year=pd.array(b["disposal"], dtype="Int64"),
    )[list(BUILDING_COLUMNS)]
    parts = pd.DataFrame(
        {
            "building_id": np.repeat(ids, n_p),
            "part": np.tile(codes, n),
            "condition_grade": grade.reshape(-1),
            "survey_year": np.repeat(survey, n_p).astype(np.int64),
            "cost_share": share.reshape(-1),
        }
    )
    return buildings, parts


def synthesize(
    seed: int = DEFAULT_SEED,
    as_of_year: int = DEFAULT_AS_OF_YEAR,
    settings: SynthSettings = SETTINGS,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Generate the synthetic building register, calibrated to Tabell 1.

    Parameters
    ----------
    seed : int
        Seed of the random generator; the same seed gives the same register.
    as_of_year : int
        Year the ages refer to and the last survey year [year].
    settings : SynthSettings
        Shape parameters of the generator.

    Returns
    -------
    buildings : pandas.DataFrame
        One row per building with the canonical columns of ``register_columns.csv``
        (``floor_area`` [m², integer], ``replacement_value`` [NOK/m²], ...).
    parts : pandas.DataFrame
        One row per (building, NS 3451 part "2".."7") with an integer ``condition_grade``
        [TG 0–3], ``survey_year`` [year] and ``cost_share`` [fraction].

    Notes
    -----
    Targets come from ``models/published_tabell1.csv``. Counts and areas are exact; the
    area-weighted age is within ``settings.age_tolerance`` and the VTTG within
    ``settings.grade_tolerance`` of the published values.
    """
    s = settings
    rng = np.random.default_rng(seed)
    targets = published_tabell1().drop(index="total")
    codes = list(part_table().index)
    frames_b, frames_p = [], []
    for hf, target in targets.iterrows():
        specs = [sp for sp in s.sites if sp.hf == hf]
        if sum(sp.n_buildings for sp in specs) != int(target["buildings"]):
            raise ValueError(f"site building counts of {hf} do not add up to Tabell 1")
        shares = np.array([sp.area_share for sp in specs])
        site_area = _round_to_total(shares, int(target["floor_area_m2"]))
        rows = []
        for sp, sa in zip(specs, site_area, strict=True):
            rows += _site_buildings(sp, int(sa), rng, s)
        b, p = _hf_tables(str(hf), pd.DataFrame(rows), target, codes, as_of_year, rng, s)
        frames_b.append(b)
        frames_p.append(p)
    buildings = pd.concat(frames_b, ignore_index=True)[list(BUILDING_COLUMNS)]
    parts = pd.concat(frames_p, ignore_index=True)[list(PART_COLUMNS)]
    return buildings, parts


def to_csv_text(frame: pd.DataFrame) -> str:
    """Return a register table as CSV text (UTF-8, comma, decimal point, ``\\n`` line ends)."""
    return frame.to_csv(index=False, lineterminator="\n", float_format="%.4f", na_rep="")


def write_register(
    folder: str | Path,
    seed: int = DEFAULT_SEED,
    as_of_year: int = DEFAULT_AS_OF_YEAR,
) -> tuple[Path, Path]:
    """Write ``buildings.csv`` and ``parts.csv`` of :func:`synthesize` into ``folder``.

    Parameters
    ----------
    folder : str or Path
        Target folder; created when missing. Existing files are overwritten (the CLI guards).
    seed : int
        Seed of the generator.
    as_of_year : int
        Year the ages refer to [year].

    Returns
    -------
    tuple of Path
        The two files written; the same arguments always give byte-identical files.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    buildings, parts = synthesize(seed, as_of_year)
    out = (folder / BUILDINGS_CSV, folder / PARTS_CSV)
    for path, frame in zip(out, (buildings, parts), strict=True):
        path.write_bytes(to_csv_text(frame).encode("utf-8"))
    return out
