"""A register tracked over time: several surveys (snapshots) of one building register.

Layout of a register folder with several surveys::

    data/building_register/
        buildings.csv, parts.csv          the survey the model runs from (model.start_year)
        surveys/2024/buildings.csv ...    each later survey, in a folder named for its year

Each survey is an ordinary export of the property system (the same two tables, read by
:func:`hmn_bygg.register.load.load_register`); a later survey may add the columns
``spent_since_survey_mnok`` (money spent on the building since the previous survey) and
``note`` (why it changed). The model itself only reads the top-level survey, so adding a
survey never changes what ``hmn-bygg run`` computes; tracking (:mod:`hmn_bygg.report.track`)
reads them all. Checks across surveys are in :mod:`.snapshot_checks`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import xarray as xr

from hmn_bygg.config import Model
from hmn_bygg.config.register_roots import checked_register_paths
from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.messages import Msg
from hmn_bygg.register.load import load_register

SURVEYS_DIR = "surveys"
"""Name of the folder, inside a register folder, that holds the later surveys."""


@dataclass(frozen=True)
class Snapshot:
    """One survey of a register.

    Parameters
    ----------
    year : int
        Survey year [year].
    folder : Path
        The folder its tables were read from.
    register : xr.Dataset
        The register as :func:`hmn_bygg.register.load.load_register` returns it.
    """

    year: int
    folder: Path
    register: xr.Dataset


def survey_folders(folder: str | Path) -> list[tuple[int, Path]]:
    """Return the later surveys of a register folder, ``(year, folder)`` in year order.

    Parameters
    ----------
    folder : str or Path
        A register folder.

    Returns
    -------
    list of (int, Path)
        One per sub-folder of ``surveys/`` named by a four-digit year.

    Raises
    ------
    hmn_bygg.core.errors.InputError
        For a sub-folder of ``surveys/`` whose name is not a year.
    """
    root = Path(folder) / SURVEYS_DIR
    if not root.is_dir():
        return []
    found, problems = [], []
    for sub in sorted(p for p in root.iterdir() if p.is_dir()):
        if sub.name.isdigit() and len(sub.name) == 4:
            found.append((int(sub.name), sub))
        else:
            problems.append(
                Problem(str(sub), Msg("register.survey_folder_name"),
                        expected=Msg("register.four_digit_year"), found=sub.name)
            )  # fmt: skip
    if problems:
        raise InputError(problems, title=Msg("register.surveys_cannot_be_read"))
    return sorted(found)


def load_snapshots(folder: str | Path, base_year: int) -> list[Snapshot]:
    """Read every survey of a register folder, oldest first.

    Parameters
    ----------
    folder : str or Path
        A register folder: its own tables are the survey of ``base_year``; each
        ``surveys/<year>/`` folder a later one.
    base_year : int
        Year of the top-level survey [year] (the model's ``start_year``).

    Returns
    -------
    list of Snapshot
        The surveys in year order (the top-level one first).

    Raises
    ------
    hmn_bygg.core.errors.InputError
        With every problem of every survey (each names its file), or a later survey dated
        no later than the top-level one.
    """
    folder = Path(folder)
    snaps, problems = [], []
    for year, sub in [(base_year, folder), *survey_folders(folder)]:
        if sub != folder and year <= base_year:
            problems.append(
                Problem(str(sub), Msg("register.survey_not_after"),
                        expected=Msg("register.a_year_after", year=str(base_year)),
                        found=str(year))
            )  # fmt: skip
            continue
        try:
            snaps.append(Snapshot(year, sub, load_register(sub)))
        except InputError as err:
            problems += err.problems
    if problems:
        raise InputError(problems, title=Msg("register.surveys_have_problems"))
    return snaps


def register_folder(model: Model) -> tuple[Path, int]:
    """Return a model's register folder and the year of its survey (``model.start_year``).

    Parameters
    ----------
    model : Model
        A validated model.

    Returns
    -------
    tuple of (Path, int)
        The folder and the year; the arguments of :func:`load_snapshots`.

    Raises
    ------
    hmn_bygg.core.errors.InputError
        When the register is not one folder (several surveys need a folder), or lies outside
        the allowed folders.
    """
    paths = checked_register_paths(model)
    if len(paths) != 1 or not paths[0].is_dir():
        raise InputError(
            [
                Problem(
                    str(model.file),
                    Msg("register.surveys_need_folder"),
                    column="model.register",
                    expected=Msg("register.a_folder"),
                    found=", ".join(str(p) for p in paths),
                )
            ],
            title=Msg("register.no_surveys"),
        )
    return paths[0], int(model.model.start_year)
