"""A later, synthetic survey of a register: the earlier one plus documented wear and spending.

The bundled register holds one real-shaped but **synthetic** survey (2018, :mod:`.synth`). To
show how a register is tracked over time (:mod:`.snapshots`), the generator makes a second
survey from it, written to ``surveys/<year>/`` of the register folder. What happens between
the two surveys is set here and nowhere else (:class:`FollowUpSettings`):

- **wear**: every part steps one grade worse in a year with probability ``3 / life × speed``
  (the Markov wear of :func:`hmn_bygg.condition.wear.markov_matrix`, capped at TG3), with the
  part lives passed in (the CLI takes them from the model) and ``speed`` the documented
  difference from those lives;
- **spending**: a seeded share of the buildings with a part at TG2 or worse had those parts
  renewed to TG1 shortly before the survey; the money recorded per building is the model's
  cost of bringing a part from TG3 to TG1 (``upgrade_cost.must_nok_per_m2``, passed in) times
  the grade steps / 2, times the floor area;
- **disposals**: buildings whose planned disposal year is by the survey year are gone;
- **changes with a note**: the listed extensions change a building's area, with a note;
- **new buildings**: the listed buildings appear, surveyed at TG0–1.

Everything is an assumption about a plausible register, not HMN's data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from hmn_bygg.register.synth import to_csv_text

SYNTHETIC_NOTE = "syntetisk oppfølgingsregistrering (ikke HMN-data)"
"""The note every changed or new building of the synthetic survey carries."""


@dataclass(frozen=True)
class FollowUpSettings:
    """What happens between the two synthetic surveys (settings, not model assumptions).

    Parameters
    ----------
    year : int
        Year of the later survey [year].
    wear_speed : dict
        Speed of wear per NS 3451 part relative to the given lives [-]: 1 wears as the lives
        say; 1,2 is 20 % faster. Installations (3, 4, 5) are set to wear faster than the
        bundled model assumes, so that tracking has a wear difference to show.
    spend_share : float
        Share of the buildings with a part at TG2 or worse that got money [fraction].
    extensions : tuple of (str, float)
        Buildings whose floor area grew, with the added area [m²] (noted in ``note``).
    new_buildings : tuple of dict
        Buildings that appear in the later survey (buildings-table columns).
    """

    year: int = 2024
    wear_speed: dict[str, float] = field(
        default_factory=lambda: {"2": 1.0, "3": 1.3, "4": 1.3, "5": 1.2, "6": 1.0, "7": 0.8}
    )
    spend_share: float = 0.4
    extensions: tuple[tuple[str, float], ...] = (("STO-0001", 850.0),)
    new_buildings: tuple[dict[str, object], ...] = (
        dict(
            building_id="HNT-N001",
            name="Levanger sykehus, nytt behandlingsbygg (syntetisk)",
            hf="HNT",
            site="Levanger",
            use="somatic",
            floor_area=4200,
            built_year=2022,
            replacement_value=70000,
        ),
    )


FOLLOW_UP = FollowUpSettings()


def follow_up_survey(
    buildings: pd.DataFrame,
    parts: pd.DataFrame,
    life_years: dict[str, float],
    must_nok_per_m2: dict[str, float],
    *,
    base_year: int,
    seed: int,
    settings: FollowUpSettings = FOLLOW_UP,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return a later survey made from an earlier one by :class:`FollowUpSettings`.

    Parameters
    ----------
    buildings, parts : pandas.DataFrame
        The earlier survey, canonical columns (as :func:`hmn_bygg.register.synth.synthesize`).
    life_years : dict
        Part life per NS 3451 part [years] (TG0 to TG3).
    must_nok_per_m2 : dict
        Cost of bringing a part from TG3 to TG1 per m² of floor area [NOK/m²].
    base_year : int
        Year of the earlier survey [year].
    seed : int
        Seed of the draws; the same inputs give the same survey.
    settings : FollowUpSettings
        What happens between the surveys.

    Returns
    -------
    buildings, parts : pandas.DataFrame
        The later survey; ``buildings`` gains ``spent_since_survey_mnok`` [MNOK] and ``note``.
    """
    s = settings
    rng = np.random.default_rng(seed)
    years = s.year - base_year
    gone = buildings["planned_disposal_year"].le(s.year).fillna(False).astype(bool)
    b = buildings.loc[~gone].reset_index(drop=True).copy()
    p = parts[parts["building_id"].isin(b["building_id"])].reset_index(drop=True).copy()
    code = p["part"].astype(str)
    speed = code.map(s.wear_speed).astype(float).to_numpy()
    life = code.map(life_years).astype(float).to_numpy()
    step = np.clip(3.0 / life * speed, 0.0, 1.0)
    grade = p["condition_grade"].astype(float).to_numpy()
    grade = np.minimum(3.0, grade + rng.binomial(years, step))
    area = p["building_id"].map(b.set_index("building_id")["floor_area"]).astype(float)
    worn = pd.Series(grade >= 2, index=p.index).groupby(p["building_id"]).any()
    candidates = np.asarray(sorted(worn[worn].index))
    chosen = rng.choice(candidates, size=round(s.spend_share * len(candidates)), replace=False)
    renew = p["building_id"].isin(chosen).to_numpy() & (grade >= 2)
    cost = np.where(renew, area * code.map(must_nok_per_m2).astype(float) * (grade - 1) / 2, 0)
    grade = np.where(renew, 1.0, grade)
    p["condition_grade"] = grade.astype(int)
    p["survey_year"] = s.year
    spent = pd.Series(cost, index=p.index).groupby(p["building_id"]).sum() / 1e6
    b["spent_since_survey_mnok"] = (
        b["building_id"].map(spent.round(2)).where(b["building_id"].isin(chosen))
    )
    b["note"] = ""
    for bid, added in s.extensions:
        row = b["building_id"] == bid
        b.loc[row, "floor_area"] = b.loc[row, "floor_area"] + added
        b.loc[row, "note"] = f"tilbygg {added:.0f} m², {SYNTHETIC_NOTE}"
    new = pd.DataFrame(list(s.new_buildings))
    new["note"] = f"nytt bygg, {SYNTHETIC_NOTE}"
    b = pd.concat([b, new], ignore_index=True)
    codes = sorted(p["part"].astype(str).unique())
    shares = parts.groupby(parts["part"].astype(str))["cost_share"].mean()
    new_parts = pd.DataFrame(
        [
            dict(
                building_id=nb["building_id"],
                part=c,
                condition_grade=int(rng.integers(0, 2)),
                survey_year=s.year,
                cost_share=round(float(shares[c]), 4),
            )
            for nb in s.new_buildings
            for c in codes
        ]
    )
    p = pd.concat([p, new_parts], ignore_index=True)
    for col in buildings.columns:
        whole = buildings[col].dropna()
        if pd.api.types.is_float_dtype(whole) and (whole % 1 == 0).all():
            b[col] = b[col].astype("Int64")
    return b[[*buildings.columns, "spent_since_survey_mnok", "note"]], p[list(parts.columns)]


def write_survey(folder: str | Path, buildings: pd.DataFrame, parts: pd.DataFrame) -> list[Path]:
    """Write a survey's ``buildings.csv`` and ``parts.csv`` into ``folder`` (created).

    Parameters
    ----------
    folder : str or Path
        Target folder, e.g. ``data/building_register/surveys/2024``.
    buildings, parts : pandas.DataFrame
        The survey (:func:`follow_up_survey`).

    Returns
    -------
    list of Path
        The files written (byte-identical for identical tables).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = [folder / "buildings.csv", folder / "parts.csv"]
    for path, frame in zip(out, (buildings, parts), strict=True):
        path.write_bytes(to_csv_text(frame).encode("utf-8"))
    return out
