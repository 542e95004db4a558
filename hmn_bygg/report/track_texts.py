"""Words and text cells of the tracking views (:mod:`hmn_bygg.report.track`), both languages.

The words are data (``track_texts.yaml``, the same keys in bokmål and English); the CLI, the
sheet "Utvikling", the dashboard page and the brief take their labels and cells from here, so
the four views show the same figures in the same words.
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path
from typing import Literal

import pandas as pd
import yaml

from hmn_bygg.core.fmt import fmt_number
from hmn_bygg.report.track import CAUSES

Lang = Literal["nb", "en"]
COLUMNS = ("survey_year", "level", "entity", "expected", "surveyed", "difference", *CAUSES,
           "plan_spend_mnok", "recorded_spend_mnok")  # fmt: skip
"""Columns of the tracking table as the views show them, in order."""
GRADE_COLUMNS = ("expected", "surveyed", "difference", *CAUSES)


@cache
def _words() -> dict[str, dict[str, str]]:
    path = Path(__file__).with_name("track_texts.yaml")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def track_text(key: str, lang: Lang = "nb", **values: object) -> str:
    """Return the tracking word ``key`` in ``lang``, with ``{placeholders}`` filled.

    Parameters
    ----------
    key : str
        A key of ``track_texts.yaml``.
    lang : {"nb", "en"}
        Language.
    **values
        Values for the placeholders.

    Returns
    -------
    str
        The text.
    """
    return _words()[lang][key].format(**values)


def track_cells(table: pd.DataFrame, lang: Lang = "nb") -> tuple[list[str], list[list[str]]]:
    """Return headings and text cells of a tracking table (grades with two decimals).

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`hmn_bygg.report.track.track_table`.
    lang : {"nb", "en"}
        Language of headings, level names and numbers.

    Returns
    -------
    headings : list of str
    rows : list of list of str
        Grades [TG] with two decimals (differences signed), money [MNOK] whole; "–" when
        missing.
    """

    def cell(col: str, value: object) -> str:
        if col == "level":
            return track_text(f"level_{value}", lang)
        if col in ("survey_year", "entity"):
            return str(value)
        number = float(value)  # type: ignore[arg-type]
        if math.isnan(number):
            return "–"
        if col in GRADE_COLUMNS:
            text = fmt_number(number, 2, lang)
            return ("+" + text) if col not in ("expected", "surveyed") and number > 0 else text
        return fmt_number(number, 0, lang)

    heads = [track_text(c, lang) for c in COLUMNS]
    rows = [[cell(c, r[c]) for c in COLUMNS] for _, r in table.iterrows()]
    return heads, rows
