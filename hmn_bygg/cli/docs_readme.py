"""Generated sections of the README: the bundled scenarios side by side, and benchmark figures.

Rendered by ``hmn-bygg docs build`` (see :mod:`hmn_bygg.cli.docs_gen`) from a fresh run of the
bundled scenarios and from the JSON files the scripts in ``benchmarks/`` write, so the README
never shows a figure that the code does not give.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from hmn_bygg.core import paths
from hmn_bygg.core.fmt import fmt_number
from hmn_bygg.core.targets import target_area, target_vttg

__all__ = ["render_benchmarks", "render_scenario_overview"]

OVERVIEW_YEARS = (2025, 2030, 2035, 2045)


def _n(value: float | None, decimals: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return fmt_number(value, decimals, "nb")


def render_scenario_overview() -> str:
    """Return the bundled scenarios side by side: grade, area and each HF's liquidity.

    Returns
    -------
    str
        Two Markdown tables computed by :func:`hmn_bygg.engine.run.run` on the bundled model: VTTG
        (region) and floor area [m²] in selected years with the year the area target is
        reached; and per HF the lowest liquidity [MNOK] with its year and the years below the
        credit limit. Norwegian number formats.
    """
    from hmn_bygg.config.labels import label, scenario_labels
    from hmn_bygg.engine.run import run
    from hmn_bygg.finance.ltb import liquidity_summary

    ds = run()
    labels = scenario_labels()
    years = [y for y in OVERVIEW_YEARS if y in set(ds["year"].to_numpy().tolist())]
    start, end = int(ds["year"][0]), int(ds["year"][-1])
    target, area_m2 = _n(target_vttg(ds), 1), _n(target_area(ds))
    out = [
        f"Region, {ds.attrs.get('price_basis')}; VTTG target {target}, area target {area_m2} m².",
        "",
        "| Scenario | VTTG " + " | ".join(map(str, [start, *years])) + " | area m² "
        + " | ".join(map(str, years)) + f" | {area_m2} m² reached |",
        "|---|" + "---:|" * (2 * len(years) + 2),
    ]  # fmt: skip
    for s in ds["scenario"].to_numpy().tolist():
        one = ds.sel(scenario=s)
        vttg = [_n(float(one["vttg_region"].sel(year=y)), 2) for y in [start, *years]]
        area = [_n(float(one["area_region"].sel(year=y))) for y in years]
        reached = float(one["area_target_year"])
        when = f"not by {end}" if math.isnan(reached) else str(int(reached))
        out.append("| " + " | ".join([f"{label(labels, s)} (`{s}`)", *vttg, *area, when]) + " |")
    liq = liquidity_summary(ds, at_years=())
    hfs = ds["hf"].to_numpy().tolist()
    out += [
        "",
        f"Each HF's lowest liquidity [MNOK, {ds.attrs.get('price_basis')}] (year) and the years "
        "below its credit limit:",
        "",
        "| Scenario | " + " | ".join(hfs) + " | years below the credit limit |",
        "|---|" + "---:|" * len(hfs) + "---|",
    ]
    for s in ds["scenario"].to_numpy().tolist():
        cells = []
        breaches = []
        for hf in hfs:
            row = liq.loc[(s, hf)]
            cells.append(f"{_n(row['lowest_liquidity'])} ({row['lowest_year']})")
            if row["breach_years"]:
                breaches.append(f"{hf} {row['breach_years']}")
        out.append(f"| `{s}` | " + " | ".join(cells) + f" | {'; '.join(breaches) or 'none'} |")
    plan = int(ds.attrs.get("plan_start", start + 1))
    room = ds["investment_room"].sel(year=plan)
    out += [
        "",
        f"Years before {plan} are history (published operating results where known, the rest "
        f"simulated); decisions start in {plan}. In every plan year each HF spends the cash its "
        "plan leaves over on ordinary renewal (finance.ordinary_investment_rule), so liquidity "
        f"does not pile up. Investment room in {plan} [MNOK], what each HF could still commit "
        "in cash without going below its credit line later: "
        + "; ".join(
            f"`{s}` " + ", ".join(f"{h} {_n(float(room.sel(scenario=s, hf=h)))}" for h in hfs)
            for s in ds["scenario"].to_numpy().tolist()
        )
        + ".",
    ]
    return "\n".join(out)


def _get(data: dict[str, Any], key: str) -> Any:
    for part in key.split("."):
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


# file -> (what, [(label, key, unit, decimals)], met key or {met key: target named when missed})
BENCHMARKS: dict[str, tuple[str, list[tuple[str, str, str, int]], str | dict[str, str] | None]] = {
    "simulate_speed.json": (
        "One deterministic scenario, 27 years, bundled register (target 50 ms)",
        [
            ("median", "simulate_median_ms", "ms", 0),
            ("throughput", "simulate_bpy_per_second", "building-part-years/s", 0),
            ("× a wear + upgrade-need NumPy pass", "simulate_vs_wear_and_need", "", 1),
        ],
        "meets_target",
    ),
    "ltb_book.json": (
        "Booking the long-term budget of one scenario (target 60 ms, for the what-if; "
        "condition and budget 10 ms)",
        [
            ("median", "one_scenario.median_ms", "ms", 0),
            ("all bundled scenarios", "all_scenarios.median_ms", "ms", 0),
            ("condition and budget", "condition_and_budget.median_ms", "ms", 0),
            ("load average before", "load_average_1min_before", "", 1),
        ],
        "meets_target",
    ),
    "risk_ensemble.json": (
        "10 000 draws of one scenario with liquidity for every HF, bundled register (targets "
        "5 s, 1 GiB, 15 × the floor; condition only 2 s)",
        [
            ("with liquidity: wall", "with_ltb_seconds", "s", 1),
            ("CPU", "with_ltb_cpu_seconds", "s", 1),
            ("× floor", "with_ltb_floor_ratio", "", 0),
            ("peak memory", "with_ltb_peak_rss_mib", "MiB", 0),
            ("condition only: wall", "condition_only_seconds", "s", 1),
            ("× floor", "condition_only_floor_ratio", "", 0),
            ("load average before", "load_average_1min_before", "", 1),
        ],
        {
            "meets_with_liquidity_time_target": "5 s",
            "meets_with_liquidity_memory_target": "1 GiB",
            "meets_with_liquidity_ratio_target": "15 × the floor",
            "meets_condition_only_target": "condition only 2 s",
        },
    ),
    "national_scale.json": (
        "National scale: 3 000 buildings × 1 000 draws through dask (target 4 GiB)",
        [
            ("wall", "ensemble_seconds", "s", 0),
            ("CPU", "ensemble_cpu_seconds", "s", 0),
            ("peak memory", "peak_rss_mib", "MiB", 0),
        ],
        "meets_memory_target",
    ),
    "risk_national.json": (
        "3 000 buildings × 1 000 draws with liquidity through dask (targets: linear in "
        "buildings, 2 GiB)",
        [
            ("wall", "largest.seconds", "s", 0),
            ("CPU", "largest.cpu_seconds", "s", 0),
            ("× floor", "largest.floor_ratio", "", 0),
            ("CPU per building against 1 000", "largest.cpu_per_building_vs_smallest", "", 2),
            ("peak memory", "peak_rss_mib", "MiB", 0),
        ],
        "meets_targets",
    ),
    "whatif_latency.json": (
        "Dashboard what-if: slider change to every chart and card painted in Chromium "
        "(target 150 ms median)",
        [
            ("median", "painted_ms.median", "ms", 0),
            ("p90", "painted_ms.p90", "ms", 0),
            ("× the round trip", "floor_ratio", "", 1),
            ("in one process: condition", "server_parts.condition_ms", "ms", 0),
            ("budget", "server_parts.budget_ms", "ms", 0),
            ("page update", "server_parts.push_ms", "ms", 0),
            ("load average before", "machine.load_average_1min_before", "", 1),
        ],
        "meets_target",
    ),
    "dashboard_load.json": (
        "20 concurrent dashboard sessions, each its own what-if",
        [
            ("first chart p50", "first_chart_ms.median", "ms", 0),
            ("p90", "first_chart_ms.p90", "ms", 0),
            ("all charts p50", "full_update_ms.median", "ms", 0),
            ("server memory warm / peak / after", "rss_warm_mib", "MiB", 0),
            ("", "rss_peak_mib", "MiB", 0),
            ("", "rss_after_mib", "MiB", 0),
        ],
        "results_match",
    ),
}
"""File -> (what, [(label, dotted key, unit, decimals)], key of the verdict)."""


def render_benchmarks(root: str | Path | None = None) -> str:
    """Return the latest benchmark figures from ``benchmarks/results/*.json`` as a table.

    Parameters
    ----------
    root : str or Path, optional
        Project root (default :func:`hmn_bygg.core.paths.project_root`).

    Returns
    -------
    str
        Markdown table: benchmark, figures with units, whether the target is met, and the
        command that produced the file. A missing file is listed as not run.
    """
    base = Path(root) if root is not None else paths.project_root()
    folder = base / "benchmarks" / "results"
    out = ["| Benchmark | Figures | Met | Command |", "|---|---|---|---|"]
    for name, (what, figures, met_key) in BENCHMARKS.items():
        path = folder / name
        if not path.is_file():
            out.append(f"| {what} | not run | – | – |")
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        shown = []
        for label_, key, unit, decimals in figures:
            value = _get(data, key)
            if value is not None:
                shown.append(f"{label_} {_n(float(value), decimals)} {unit}".strip())
        command = data.get("command", "")
        out.append(f"| {what} | {', '.join(shown)} | {_verdict(data, met_key)} | `{command}` |")
    return "\n".join(out)


def _verdict(data: dict, met_key: str | dict[str, str] | None) -> str:
    """``yes`` when every target of a benchmark is met, else ``**no**`` and the targets missed
    (``–`` when the file records none)."""
    keys = {met_key: ""} if isinstance(met_key, str) else dict(met_key or {})
    found = {k: _get(data, k) for k in keys}
    if not keys or any(v is None for v in found.values()):
        return "–"
    missed = [keys[k] for k, v in found.items() if not v]
    if not missed:
        return "yes"
    named = [m for m in missed if m]
    return "**no**" + (f": {', '.join(named)}" if named else "")
