"""Weights of the disposal planner's score, read from ``models/disposal_score.yaml``.

Every leaf is ``{value, unit, source}`` like the model file; the weights are assumptions with
their reasons in the file. :func:`hmn_bygg.stock.disposals.plan_disposals` uses them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hmn_bygg.config.yaml_files import display_name, read_yaml
from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.paths import models_dir

COMPONENTS: tuple[str, ...] = ("grade", "adaptability", "upgrade_need", "age", "net_sale")
"""The score's components, each in [0, 1] (1 = the strongest case for disposing)."""
_RANGES: dict[str, tuple[float, float]] = {k: (0.0, 100.0) for k in COMPONENTS} | {
    "age_full_years": (1.0, 500.0)
}


@dataclass(frozen=True)
class DisposalScore:
    """The score's weights and its age scale (see ``models/disposal_score.yaml``).

    Attributes
    ----------
    weights : dict of str to float
        Weight of each component of :data:`COMPONENTS` [1]; at least one above 0.
    age_full_years : float
        Age at which the age component reaches 1 [years].
    """

    weights: dict[str, float]
    age_full_years: float = 50.0


def load_disposal_score(path: Path | None = None) -> DisposalScore:
    """Read the score file (default ``models/disposal_score.yaml``).

    Parameters
    ----------
    path : Path, optional
        The score file.

    Returns
    -------
    DisposalScore

    Raises
    ------
    InputError
        For an unreadable file, an unknown or missing key, a leaf without ``value`` and
        ``source``, a value out of range, or weights that are all 0 (naming file, key, line).
    """
    path = Path(path) if path is not None else models_dir() / "disposal_score.yaml"
    name = display_name(path)
    data, lines, problems = read_yaml(path)
    if problems:
        raise InputError(problems, title="The disposal score cannot be read")
    if not isinstance(data, dict):
        found = type(data).__name__
        raise InputError([Problem(name, "expected a mapping of score keys", found=found)])
    values: dict[str, float] = {}
    for key, leaf in data.items():
        row = lines.get((str(key),))
        if key not in _RANGES:
            expected = ", ".join(_RANGES)
            problems.append(Problem(name, "unknown key", row, str(key), expected, str(key)))
        elif not isinstance(leaf, dict) or "value" not in leaf or not leaf.get("source"):
            msg = "a leaf needs value and source"
            problems.append(Problem(name, msg, row, key, None, str(leaf)))
        else:
            lo, hi = _RANGES[key]
            value = leaf["value"]
            row = lines.get((key, "value"), row)
            number = isinstance(value, int | float) and not isinstance(value, bool)
            if not number or not lo <= value <= hi:
                expected = f"a number {lo:g}–{hi:g}"
                problems.append(Problem(name, "value out of range", row, key, expected, str(value)))
            else:
                values[key] = float(value)
    for key in (k for k in _RANGES if k not in data):
        problems.append(Problem(name, "missing key", None, key, "a leaf {value, unit, source}"))
    if not problems and not any(values[k] > 0 for k in COMPONENTS):
        problems.append(Problem(name, "every weight is 0", None, "grade", "one weight above 0"))
    if problems:
        raise InputError(problems, title="The disposal score has problems")
    weights = {k: values[k] for k in COMPONENTS}
    return DisposalScore(weights, values["age_full_years"])
