"""Options of the best plan, read from ``models/solve_plan.yaml`` (every leaf with its source)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from hmn_bygg.core.messages import Msg
from hmn_bygg.core.paths import models_dir
from hmn_bygg.stock.leaf_file import LeafKeys, read_leaf_values

_NUMBERS: dict[str, tuple[float, float]] = {
    "maintenance_low_share": (0.0, 10.0),
    "maintenance_high_share": (0.0, 20.0),
    "upgrades_per_hf_year": (0.0, 1000.0),
    "dispose_min_grade": (0.0, 3.0),
    "pulse_share": (0.01, 10.0),
    "kernel_step_years": (1.0, 50.0),
    "trust_share": (0.01, 20.0),
    "penalty_mnok": (1.0, 1e9),
    "time_limit_s": (1.0, 86400.0),
    "mip_gap": (0.0, 1.0),
    "milp_max_buildings": (1.0, 1e7),
}
DECOMPOSITIONS = ("auto", "none", "relax_round")
_KEYS = LeafKeys(
    _NUMBERS,
    integers=frozenset({"upgrades_per_hf_year", "kernel_step_years", "milp_max_buildings"}),
    choices={"decomposition": DECOMPOSITIONS},
    use_lists=frozenset({"protected_uses"}),
)


@dataclass(frozen=True)
class PlanOptions:
    """Bounds and solver settings of the best plan (see ``models/solve_plan.yaml``).

    Attributes
    ----------
    maintenance_low_share, maintenance_high_share : float
        An HF's maintenance budget in a plan year lies between these shares of the scenario's
        own budget [1].
    upgrades_per_hf_year : int
        Whole-building upgrades an HF may start in one year [buildings/yr].
    protected_uses : tuple of str
        Uses never disposed of.
    dispose_min_grade : float
        A building in use may be disposed of only at this grade or worse in the plan year [TG].
    pulse_share : float
        Size of the maintenance pulse that measures the grade response [share of a year's
        budget].
    kernel_step_years : int
        Years between the start years at which the grade response is measured [years].
    trust_share : float
        Half-width of the trust region of the second round, as a share of each HF's own
        budget; halved every round [1].
    penalty_mnok : float
        Objective cost of one unit of slack (MNOK of credit, 0,01 TG, 1 000 m²) [MNOK].
    time_limit_s : float
        Solver time limit [s].
    mip_gap : float
        Relative MIP gap at which the solver stops [1].
    decomposition : str
        ``none`` (the whole MILP), ``relax_round`` (solve the linear relaxation, round the
        buildings' actions, solve the rest), or ``auto`` (``relax_round`` above
        ``milp_max_buildings`` candidate buildings).
    milp_max_buildings : int
        Largest register solved as one MILP under ``auto`` [buildings].
    """

    maintenance_low_share: float = 0.0
    maintenance_high_share: float = 3.0
    upgrades_per_hf_year: int = 2
    protected_uses: tuple[str, ...] = ("somatic", "mental_health")
    dispose_min_grade: float = 1.8
    pulse_share: float = 1.0
    kernel_step_years: int = 4
    trust_share: float = 1.0
    penalty_mnok: float = 10000.0
    time_limit_s: float = 60.0
    mip_gap: float = 0.01
    decomposition: str = "auto"
    milp_max_buildings: int = 1000

    def with_(self, **changes: object) -> PlanOptions:
        """Return a copy with the given fields changed (``None`` values are ignored)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})  # type: ignore[arg-type]


def load_plan_options(path: Path | None = None) -> PlanOptions:
    """Read the plan options file (default ``models/solve_plan.yaml``).

    Parameters
    ----------
    path : Path, optional
        The options file.

    Returns
    -------
    PlanOptions
        The options (the file must set every one, with its source).

    Raises
    ------
    InputError
        For an unreadable file, an unknown or missing key, a leaf without ``value`` and
        ``source``, or a value out of range (naming file, key and line).
    """
    path = Path(path) if path is not None else models_dir() / "solve_plan.yaml"
    values = read_leaf_values(path, _KEYS, unreadable=Msg("solve.plan_options_unreadable"),
                              invalid=Msg("solve.plan_options_invalid"))  # fmt: skip
    return PlanOptions(**values)  # type: ignore[arg-type]
