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


def test_disposal_shift_moves_years_and_disposals_tied_to_an_opening():
    """A disposal tied to a project's opening moves by its years after the opening (it has
    no year of its own); a dated one moves by the shift but never before the plan year."""
    from hmn_bygg.config import apply_overrides, load_model
    from hmn_bygg.dashboard.whatif_inputs import disposal_shift

    model = apply_overrides(
        load_model(),
        {
            "portfolio.disposals.by_site": {
                "Brøset": {"after_opening": "snr", "years_after": 1},
                "Orkdal": 2030,
            }
        },
    )
    first = model.model.first_plan_year
    later = disposal_shift(model, 2)["portfolio.disposals.by_site"]
    assert later["Brøset"]["years_after"] == 3 and "year" not in later["Brøset"]
    assert later["Orkdal"]["year"] == 2032
    earlier = disposal_shift(model, -10)["portfolio.disposals.by_site"]
    assert earlier["Brøset"]["years_after"] == 0
    assert earlier["Orkdal"]["year"] == first
    assert apply_overrides(model, disposal_shift(model, 2))  # the moved plan is a valid model
