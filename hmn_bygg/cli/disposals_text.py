"""The words of ``hmn-bygg solve disposals``: each proposal's reason and the verdict, in the
user's language (catalogue ``texts.yaml``), from the numbers of
:func:`hmn_bygg.stock.disposals.plan_disposals`."""

from __future__ import annotations

import math

import pandas as pd

from hmn_bygg.cli.texts import Lang, say
from hmn_bygg.core.fmt import fmt_number

__all__ = ["proposal_reason", "verdict"]


def proposal_reason(row: pd.Series, lang: Lang) -> str:
    """Return why a building is proposed: its score and what the score is made of.

    Parameters
    ----------
    row : pandas.Series
        A row of the plan (``score``, ``grade`` [TG], ``adaptability``,
        ``upgrade_need_per_m2`` [NOK/m²], ``age`` [years], ``net_sale_per_m2`` [NOK/m²]).
    lang : {"nb", "en"}
        Language.
    """

    def number(value: float, decimals: int = 0) -> str:
        return fmt_number(value, decimals, lang)

    def per_m2(value: float) -> str:  # rounded to 100 kr/m²
        return say("per_m2", lang, amount=number(round(value, -2)))

    adapt, need = row["adaptability"], row["upgrade_need_per_m2"]
    parts = [
        say("reason_score", lang, score=number(row["score"], 2)),
        say("reason_grade", lang, grade=number(row["grade"], 1)),
        say("reason_adapt", lang,
            adapt=say("not_surveyed", lang) if math.isnan(adapt) else number(adapt)),
        say("reason_need", lang,
            need=say("unknown", lang) if math.isnan(need) else per_m2(need)),
    ]  # fmt: skip
    if not math.isnan(row["age"]):
        parts.append(say("reason_age", lang, age=number(row["age"])))
    if not math.isnan(row["net_sale_per_m2"]):
        parts.append(say("reason_net", lang, net=per_m2(row["net_sale_per_m2"])))
    return ", ".join(parts)


def verdict(plan: pd.DataFrame, lang: Lang) -> str:
    """Return whether the plan meets the area target, and with how much.

    Parameters
    ----------
    plan : pandas.DataFrame
        The plan, with its ``attrs`` (``target_m2``, ``by_year``, ``area_before``,
        ``remaining_gap``).
    lang : {"nb", "en"}
        Language.
    """
    a = plan.attrs
    where = {"target": fmt_number(a["target_m2"], 0, lang), "by": a["by_year"]}
    if a["area_before"] <= a["target_m2"]:
        return say("disposals_none_needed", lang, **where)
    if a["remaining_gap"] > 0:
        rest = fmt_number(a["remaining_gap"], 0, lang)
        return say("disposals_short", lang, n=len(plan), rest=rest, **where)
    area = fmt_number(plan["floor_area"].sum(), 0, lang)
    return say("disposals_proposed", lang, n=len(plan), area=area, **where)
