"""Weights of the disposal planner's score, read from ``models/disposal_score.yaml``.

Every leaf is ``{value, unit, source}`` like the model file; the weights are assumptions with
their reasons in the file. :func:`hmn_bygg.stock.disposals.plan_disposals` uses them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hmn_bygg.config.yaml_files import display_name
from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.messages import Msg
from hmn_bygg.core.paths import models_dir
from hmn_bygg.stock.leaf_file import LeafKeys, read_leaf_values

COMPONENTS: tuple[str, ...] = ("grade", "adaptability", "upgrade_need", "age", "net_sale")
"""The score's components, each in [0, 1] (1 = the strongest case for disposing)."""
_KEYS = LeafKeys({k: (0.0, 100.0) for k in COMPONENTS} | {"age_full_years": (1.0, 500.0)})


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
    values = read_leaf_values(path, _KEYS, unreadable=Msg("stock.disposal_score_unreadable"),
                              invalid=Msg("stock.disposal_score_invalid"))  # fmt: skip
    weights = {k: float(values[k]) for k in COMPONENTS}  # type: ignore[arg-type]
    if not any(w > 0 for w in weights.values()):
        problem = Problem(display_name(path), Msg("stock.every_weight_zero"), None, "grade",
                          Msg("stock.one_weight_above_zero"))  # fmt: skip
        raise InputError([problem], title=Msg("stock.disposal_score_invalid"))
    return DisposalScore(weights, float(values["age_full_years"]))  # type: ignore[arg-type]
