"""Display names of scenarios, kept in the scenario file next to the scenarios.

``models/scenarios.yaml`` may hold a ``labels`` section: for each scenario a short name in
bokmål (``nb``) and English (``en``), used by the dashboard, the brief and the tables::

    labels:
      catch_up: {nb: "Innhenting +210 MNOK/år", en: "Catch-up +210 MNOK/yr"}

A scenario without a label is shown by its name. A label for a scenario that does not exist,
or a label that is not text, is an error naming the file and line.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hmn_bygg.errors import InputError, Problem

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
            Problem(file, "'labels' must be a mapping of scenario names", row=row,
                    column="labels", expected="{scenario: {nb: ..., en: ...}}", found=str(raw))
        )  # fmt: skip
        return labels, problems
    for sname, entry in raw.items():
        row = lines.get(("labels", str(sname)))
        if str(sname) not in scenarios:
            problems.append(
                Problem(file, f"label for an unknown scenario '{sname}'", row=row,
                        column=f"labels.{sname}", expected=f"one of {', '.join(scenarios)}")
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
                Problem(file, f"label of scenario '{sname}' must give text per language",
                        row=row, column=f"labels.{sname}",
                        expected="{nb: text, en: text}", found=str(entry))
            )  # fmt: skip
            continue
        nb = entry.get("nb", entry.get("en"))
        labels[str(sname)] = {"nb": nb, "en": entry.get("en", nb)}
    return labels, problems


def scenario_labels(model_path: str | Path | None = None) -> Labels:
    """Return the display names of the scenarios next to a model file.

    Parameters
    ----------
    model_path : path-like, optional
        Base model; default ``models/hmn.yaml``. Its ``scenarios.yaml`` is read.

    Returns
    -------
    dict
        ``{scenario: {"nb": text, "en": text}}``; empty when the file has no labels.

    Raises
    ------
    hmn_bygg.errors.InputError
        When the scenario file cannot be read or its labels are malformed.
    """
    from hmn_bygg.config.loader import default_model_path, read_yaml

    model = Path(model_path) if model_path is not None else default_model_path()
    path = model.parent / "scenarios.yaml"
    if not path.is_file():
        return {}
    data, lines, problems = read_yaml(path)
    if not problems and isinstance(data, Mapping):
        labels, problems = label_problems(
            data.get("labels"), data.get("scenarios") or {}, str(path), lines
        )
        if not problems:
            return labels
    raise InputError(problems, title=f"The scenario file {path} has problems")


@functools.lru_cache(maxsize=1)
def bundled_labels() -> Labels:
    """Return the display names of the bundled scenarios (read once per process)."""
    return scenario_labels()


def label(labels: Labels, name: str, lang: str = "nb") -> str:
    """Return a scenario's display name in ``lang``, or its name when it has no label."""
    return labels.get(name, {}).get(lang, name)
