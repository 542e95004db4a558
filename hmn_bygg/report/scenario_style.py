"""How a scenario looks in every chart and table: one colour per scenario, one dash per line.

The brief and the dashboard both take a scenario's colour from here, by the scenario's place
in the bundled scenario file (``models/scenarios.yaml``), so a scenario has one colour
wherever it is shown. Within one chart the lines also differ by dash and width (by their
place in the chart), so two scenarios with the same path never hide each other.
"""

from __future__ import annotations

__all__ = [
    "DASHES",
    "PALETTE",
    "bokeh_dash",
    "scenario_colour",
    "scenario_dash",
    "scenario_width",
]

PALETTE: tuple[str, ...] = (
    "#1f5fa8", "#e07b00", "#2a9d5c", "#8e44ad", "#6b6b6b", "#c2185b", "#00838f",
)  # fmt: skip
"""Colours of the scenarios, in the order of the scenario file (colour-blind safe pairs)."""

DASHES: tuple[tuple[float, ...], ...] = (
    (), (6.0, 2.0), (1.5, 1.5), (7.0, 2.0, 1.5, 2.0), (3.0, 1.5), (9.0, 3.0), (1.0, 3.0),
)  # fmt: skip
"""Dash patterns (on, off, ... in points) of the lines of one chart, by place; () is solid."""


def scenario_colour(name: str, shown: tuple[str, ...] | list[str] = ()) -> str:
    """Return a scenario's colour.

    Parameters
    ----------
    name : str
        Scenario name.
    shown : sequence of str
        The scenarios shown together, for a scenario that is not in the bundled file (it
        takes a colour after the bundled ones, by its place here).

    Returns
    -------
    str
        A ``#rrggbb`` colour, the same for a scenario in the brief and the dashboard.
    """
    from hmn_bygg.config.labels import bundled_labels

    order = list(bundled_labels())
    extra = [s for s in shown if s not in order]
    index = (
        order.index(name)
        if name in order
        else len(order) + (extra.index(name) if name in extra else 0)
    )
    return PALETTE[index % len(PALETTE)]


def scenario_dash(i: int) -> tuple[float, ...]:
    """Return the dash pattern of the ``i``-th line of a chart (``()`` for solid)."""
    return DASHES[i % len(DASHES)]


def scenario_width(i: int, n: int) -> float:
    """Line width of the ``i``-th of ``n`` lines [pt]: earlier ones wider, so equal paths show."""
    return 1.3 + 0.45 * (n - 1 - i)


def bokeh_dash(dash: tuple[float, ...]) -> str:
    """Return a dash pattern as Bokeh writes it (``"solid"`` or ``"9 3"`` in pixels)."""
    return " ".join(str(max(1, round(v * 1.5))) for v in dash) if dash else "solid"
