"""Options of the best plan, read from ``models/solve_plan.yaml`` (every leaf with its source)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from hmn_bygg.config.yaml_files import read_yaml
from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.paths import models_dir

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
    data, lines, problems = read_yaml(path)
    if problems:
        raise InputError(problems, title="The plan options cannot be read")
    data = data or {}
    known = set(_NUMBERS) | {"protected_uses", "decomposition"}
    values: dict[str, object] = {}
    name = str(path)
    for key, leaf in data.items() if isinstance(data, dict) else []:
        row = lines.get((str(key),)) if isinstance(lines, dict) else None
        if key not in known:
            problems.append(
                Problem(
                    name,
                    "unknown key",
                    row=row,
                    column=str(key),
                    expected=", ".join(sorted(known)),
                    found=str(key),
                )
            )
            continue
        if not isinstance(leaf, dict) or "value" not in leaf or not leaf.get("source"):
            problems.append(
                Problem(
                    name, "a leaf needs value and source", row=row, column=str(key), found=str(leaf)
                )
            )
            continue
        value = leaf["value"]
        if key == "decomposition":
            if value not in DECOMPOSITIONS:
                problems.append(
                    Problem(name, "unknown decomposition", row=row, column=key,
                            expected=", ".join(DECOMPOSITIONS), found=str(value))
                )  # fmt: skip
                continue
            values[key] = value
            continue
        if key == "protected_uses":
            if not isinstance(value, list) or not all(isinstance(u, str) for u in value):
                problems.append(
                    Problem(name, "expected a list of uses", row=row, column=key, found=str(value))
                )
                continue
            values[key] = tuple(value)
            continue
        lo, hi = _NUMBERS[key]
        if isinstance(value, bool) or not isinstance(value, int | float) or not lo <= value <= hi:
            problems.append(
                Problem(
                    name,
                    "value out of range",
                    row=row,
                    column=str(key),
                    expected=f"a number {lo:g}–{hi:g}",
                    found=str(value),
                )
            )
            continue
        values[key] = (
            int(value)
            if key in ("upgrades_per_hf_year", "kernel_step_years", "milp_max_buildings")
            else float(value)
        )
    if isinstance(data, dict):
        for key in sorted(known - set(data)):
            leaf = "a leaf {value, unit, source}"
            problems.append(Problem(name, "missing key", column=key, expected=leaf, found="-"))
    if not isinstance(data, dict):
        problems.append(
            Problem(name, "expected a mapping of option names", found=type(data).__name__)
        )
    if problems:
        raise InputError(problems, title="The plan options have problems")
    return PlanOptions(**values)  # type: ignore[arg-type]
