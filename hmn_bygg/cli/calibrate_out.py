"""``hmn-bygg track --calibrate``: print the wear estimate and offer it as an override."""

from __future__ import annotations

import math
from pathlib import Path

import typer
import yaml

from hmn_bygg.core.fmt import Lang, fmt_number
from hmn_bygg.report.track_run import Tracking


def show_calibration(t: Tracking, lang: Lang, save: str | None, model: Path | None) -> None:
    """Print the estimate per part group and the override; save it as scenario ``save``.

    Parameters
    ----------
    t : Tracking
        The surveys (:func:`hmn_bygg.report.track_run.track_model`).
    lang : {"nb", "en"}
        Language.
    save : str, optional
        Scenario name to save the override under (user scenarios file).
    model : Path, optional
        The model file.
    """
    from hmn_bygg.cli.texts import say
    from hmn_bygg.cli.validate_cmd import aligned
    from hmn_bygg.config import load_model
    from hmn_bygg.report.calibrate import calibrate_wear, calibration_overrides
    from hmn_bygg.report.track_texts import track_text

    if len(t.snapshots) < 2:
        typer.echo(track_text("cal_none", lang))
        return
    m = load_model(model)
    table = calibrate_wear(m, t.snapshots)
    years = (t.snapshots[0].year, t.snapshots[-1].year)

    def num(v: float, dec: int) -> str:
        return "–" if v != v else fmt_number(v, dec, lang)

    rows = []
    for part, r in table.iterrows():
        interval = "–" if math.isnan(r.get("life_low", math.nan)) else (
            f"{num(r['life_low'], 0)}–{num(r['life_high'], 0)}")  # fmt: skip
        rows.append([str(part), str(int(r["n"])), num(r.get("speed", math.nan), 2),
                     num(r.get("speed_se", math.nan), 2), num(r["life_model"], 0),
                     num(r.get("life_estimate", math.nan), 1), interval])  # fmt: skip
    if t.synthetic_years:
        years_text = ", ".join(str(y) for y in t.synthetic_years)
        typer.echo(track_text("synthetic", lang, years=years_text))
    typer.echo(track_text("cal_title", lang, y0=years[0], y1=years[1]) + ":")
    typer.echo(aligned(track_text("cal_heads", lang).split("|"), rows, left=1))
    overrides = calibration_overrides(table, years, float(m.condition.wear_rate_factor.value))
    typer.echo(track_text("cal_offer", lang))
    name = save or f"wear_{years[0]}_{years[1]}"
    typer.echo(yaml.safe_dump({"overrides": {name: overrides}}, allow_unicode=True,
                              sort_keys=False, width=100))  # fmt: skip
    if save is not None:
        from hmn_bygg.config.user_scenarios import save_scenario

        path = save_scenario(save, overrides, source="hmn-bygg track --calibrate",
                             model_path=model)  # fmt: skip
        typer.echo(say("scenario_saved", lang, name=save, path=path))
