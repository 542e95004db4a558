"""``hmn-bygg run --ltb FILE --save-scenario NAME``: keep an LTB workbook's changes by name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from hmn_bygg.cli.texts import say
from hmn_bygg.core.fmt import Lang


def save_ltb_scenario(
    name: str, changes: dict[str, Any], ltb: Path, model: Path | None, lang: Lang
) -> Path:
    """Save the workbook's overrides as scenario ``name`` and tell where (stderr).

    Parameters
    ----------
    name : str
        Scenario name.
    changes : dict
        Overrides read from the workbook (relative to the base model).
    ltb : Path
        The workbook (named in the source of every value).
    model : Path, optional
        The model file.
    lang : {"nb", "en"}
        Language of the message.

    Returns
    -------
    Path
        The user scenarios file.
    """
    import datetime as dt

    from hmn_bygg.config.user_scenarios import save_scenario

    day = dt.date.today().isoformat()
    path = save_scenario(name, changes, source=f"LTB workbook {ltb.name}, saved {day}",
                         model_path=model)  # fmt: skip
    typer.echo(say("scenario_saved", lang, name=name, path=path), err=True)
    return path
