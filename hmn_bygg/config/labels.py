"""Display names of scenarios and the board brief's choice, kept in the scenario file.

``models/scenarios.yaml`` may hold a ``labels`` section: for each scenario a short name in
bokmål (``nb``) and English (``en``), used by the dashboard, the brief and the tables::

    labels:
      catch_up: {nb: "Innhenting +210 MNOK/år", en: "Catch-up +210 MNOK/yr"}

A scenario without a label is shown by its name. A label for a scenario that does not exist,
or a label that is not text, is an error naming the file and line.

A ``brief`` list names the scenarios the board brief shows by default (a brief with every
scenario side by side gets too long to read)::

    brief: [today, catch_up, budget_1_2_by_2035, actual_costs]
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.messages import Msg

LANGS = ("nb", "en")
Labels = dict[str, dict[str, str]]


def label_problems(
    raw: Any, scenarios: Mapping[str, Any], file: str, lines: Mapping[tuple[str, ...], int]
) -> tuple[Labels, list[Problem]]:
    """Validate a ``labels`` section against the scenarios of the same file.

    Parameters
    ----------
    raw : Any
        The parsed ``labels`` section (``None`` when absent).
    scenarios : mapping
        The scenarios of the file (names only are used).
    file : str
        File name for the problems.
    lines : mapping
        ``{key path: line}`` of the file.

    Returns
    -------
    (labels, problems)
        ``{scenario: {"nb": text, "en": text}}`` (a missing language falls back to the other)
        and the problems found.
    """
    labels: Labels = {}
    problems: list[Problem] = []
    if raw is None:
        return labels, problems
    if not isinstance(raw, Mapping):
        row = lines.get(("labels",))
        problems.append(
            Problem(file, Msg("config.labels_not_mapping"), row=row,
                    column="labels", expected=Msg("config.labels_form"), found=str(raw))
        )  # fmt: skip
        return labels, problems
    for sname, entry in raw.items():
        row = lines.get(("labels", str(sname)))
        if str(sname) not in scenarios:
            problems.append(
                Problem(file, Msg("config.label_unknown_scenario", name=str(sname)), row=row,
                        column=f"labels.{sname}", expected=Msg("config.one_of_list",
                                                                items=list(scenarios)))
            )  # fmt: skip
            continue
        ok = (
            isinstance(entry, Mapping)
            and entry
            and set(map(str, entry)) <= set(LANGS)
            and all(isinstance(v, str) and v.strip() for v in entry.values())
        )
        if not ok:
            problems.append(
                Problem(file, Msg("config.label_text_per_language", name=str(sname)),
                        row=row, column=f"labels.{sname}",
                        expected=Msg("config.label_form"), found=str(entry))
            )  # fmt: skip
            continue
        nb = entry.get("nb", entry.get("en"))
        labels[str(sname)] = {"nb": nb, "en": entry.get("en", nb)}
    return labels, problems


def brief_problems(
    raw: Any, scenarios: Mapping[str, Any], file: str, lines: Mapping[tuple[str, ...], int]
) -> tuple[list[str], list[Problem]]:
    """Validate a ``brief`` list (scenario names) against the scenarios of the same file.

    Returns
    -------
    (names, problems)
        The names (empty when absent) and the problems found.
    """
    if raw is None:
        return [], []
    row = lines.get(("brief",))
    if not isinstance(raw, list) or not all(isinstance(n, str) for n in raw) or not raw:
        names = Msg("config.name_list")
        return [], [Problem(file, Msg("config.brief_not_list"), row=row,
                            column="brief", expected=names, found=str(raw))]  # fmt: skip
    problems = [
        Problem(file, Msg("config.brief_unknown_scenario", name=n), row=row, column="brief",
                expected=Msg("config.one_of_list", items=list(scenarios)), found=n)
        for n in raw if n not in scenarios
    ]  # fmt: skip
    return list(raw), problems


def _scenario_file(
    model_path: str | Path | None, scenarios_path: str | Path | None = None
) -> tuple[Any, Any, str]:
    from hmn_bygg.config.yaml_files import default_model_path, read_yaml

    model = Path(model_path) if model_path is not None else default_model_path()
    path = Path(scenarios_path) if scenarios_path is not None else model.parent / "scenarios.yaml"
    if not path.is_file():
        return None, {}, str(path)
    data, lines, problems = read_yaml(path)
    if problems:
        raise InputError(problems, title=Msg("config.scenario_file_has_problems", file=str(path)))
    return data if isinstance(data, Mapping) else None, lines, str(path)


def brief_scenarios(model_path: str | Path | None = None) -> list[str]:
    """Return the scenarios the board brief shows by default (``brief:`` in the file).

    Parameters
    ----------
    model_path : path-like, optional
        Base model; default ``models/hmn.yaml``. Its ``scenarios.yaml`` is read.

    Returns
    -------
    list of str
        Scenario names; empty when the file names none (the brief then shows all).

    Raises
    ------
    hmn_bygg.core.errors.InputError
        When the scenario file cannot be read or the list is malformed.
    """
    data, lines, name = _scenario_file(model_path)
    if data is None:
        return []
    names, problems = brief_problems(data.get("brief"), data.get("scenarios") or {}, name, lines)
    if problems:
        raise InputError(problems, title=Msg("config.scenario_file_has_problems", file=name))
    return names


def scenario_labels(
    model_path: str | Path | None = None, scenarios_path: str | Path | None = None
) -> Labels:
    """Return the display names of the scenarios next to a model file (or in a given file).

    Parameters
    ----------
    model_path : path-like, optional
        Base model; default ``models/hmn.yaml``. Its ``scenarios.yaml`` is read.
    scenarios_path : path-like, optional
        A scenario file to read instead (a user's scenarios, ``--scenarios``).

    Returns
    -------
    dict
        ``{scenario: {"nb": text, "en": text}}``; empty when the file has no labels.

    Raises
    ------
    hmn_bygg.core.errors.InputError
        When the scenario file cannot be read or its labels are malformed.
    """
    data, lines, name = _scenario_file(model_path, scenarios_path)
    if data is None:
        return {}
    labels, problems = label_problems(data.get("labels"), data.get("scenarios") or {}, name, lines)
    if problems:
        raise InputError(problems, title=Msg("config.scenario_file_has_problems", file=name))
    return labels


@functools.lru_cache(maxsize=1)
def bundled_labels() -> Labels:
    """Return the display names of the bundled scenarios (read once per process)."""
    return scenario_labels()


def label(labels: Labels, name: str, lang: str = "nb") -> str:
    """Return a scenario's display name in ``lang``, or its name when it has no label."""
    return labels.get(name, {}).get(lang, name)
