"""The dashboard's shared baseline is read-only: no session can change another's figures."""

from __future__ import annotations

import re

import numpy as np
import pytest
import xarray as xr

from hmn_bygg.dashboard.state import read_only


def test_read_only_flags_data_and_coordinates():
    ds = xr.Dataset({"a": (("x",), np.arange(3.0))}, coords={"x": [1, 2, 3]})
    read_only(ds)
    with pytest.raises(ValueError, match="read-only"):
        ds["a"].values[0] = 5.0
    assert ds["a"].values.tolist() == [0.0, 1.0, 2.0]


def test_record_tables_show_years_plain_and_grades_with_two_decimals():
    import pandas as pd

    from hmn_bygg.dashboard.record import _fmt

    frame = pd.DataFrame(
        {"what": ["vttg", "open_year", "operating_result"], "public": [1.35, 2025.0, -1234.0]}
    )
    cells = _fmt(frame, ["public"], "nb", kind="what")["public"].tolist()
    assert cells[:2] == ["1,35", "2025"]  # a grade with two decimals; a year with no grouping
    assert re.fullmatch(r"[-\u2212]1\s234", cells[2])  # money grouped the Norwegian way


def test_disposal_shift_is_the_disposal_delay_on_top_of_the_scenarios_own():
    """The what-if page's disposal shift is ``portfolio.disposals.delay_years`` (so a saved
    what-if keeps it), added to the scenario's own delay; how a delay moves each disposal is
    tested in test_scenario_portfolio."""
    from hmn_bygg.config import apply_overrides, load_model
    from hmn_bygg.dashboard.whatif_inputs import disposal_shift

    model = apply_overrides(load_model(), {"portfolio.disposals.delay_years": 1})
    assert disposal_shift(model, 0) == {}
    assert disposal_shift(model, -3) == {"portfolio.disposals.delay_years": -2}
    moved = apply_overrides(model, disposal_shift(model, 2))  # the moved plan is a valid model
    assert moved.portfolio.disposals.delay_years.value == 3
