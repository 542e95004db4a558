"""Tests of the shared foundation: number formats, glossary, weighting, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from hmn_bygg.core import fmt, variables
from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.register import model as register_model
from hmn_bygg.register import weighting


@pytest.mark.parametrize(
    ("value", "decimals", "lang", "expected"),
    [
        (709769, 0, "nb", "709 769"),
        (1.3456, 2, "nb", "1,35"),
        (-1234.5, 1, "nb", "-1 234,5"),
        (709769, 0, "en", "709,769"),
        (-0.001, 1, "nb", "0,0"),
        (None, 0, "nb", "–"),
    ],
)
def test_fmt_number(value, decimals, lang, expected):
    assert fmt.fmt_number(value, decimals, lang) == expected


def test_fmt_html_keeps_nbsp():
    assert fmt.fmt_number(709769, html=True) == "709\u00a0769"


def test_glossary_entries_are_complete():
    table = variables.glossary()
    assert "condition_grade" in table
    for entry in table.values():
        assert entry["units"] and entry["description"]


def test_problem_message_names_place_expected_and_found():
    p = Problem("b.csv", "grade outside 0–3", row=4, column="TG", expected="0–3", found="5")
    assert str(p) == "b.csv, row 4, column 'TG': grade outside 0–3; expected 0–3, found '5'"
    err = InputError([p, p])
    assert "2 problems" in str(err)


def _tiny_register() -> xr.Dataset:
    b = pd.DataFrame(
        {
            "building_id": ["A", "B", "C"],
            "name": ["a", "b", "c"],
            "hf": ["HMR", "STO", "STO"],
            "site": ["Molde", "Øya", "Øya"],
            "floor_area": [100.0, 300.0, 100.0],
            "built_year": [1970, 2000, 2010],
            "replacement_value": [50_000.0, 70_000.0, np.nan],
            "condition_grade": [2.0, 1.0, 0.0],
        }
    )
    return register_model.build_register(b, default_replacement_value=60_000.0)


def test_build_register_copies_overall_grade_and_says_so():
    ds = _tiny_register()
    assert ds.attrs["grade_origin"] == "building"
    assert (ds.condition_grade.sel(building="A") == 2.0).all()
    np.testing.assert_allclose(ds.cost_share.sum("part"), 1.0)
    assert float(ds.replacement_value.sel(building="C")) == 60_000.0


def test_vttg_by_area_and_value():
    ds = _tiny_register()
    g = weighting.building_grade(ds.condition_grade, ds.cost_share)
    groups = weighting.membership(ds.hf, "hf")
    by_area = weighting.weighted_mean_by_group(g, ds.floor_area, groups)
    assert float(by_area.sel(hf="STO")) == pytest.approx(0.75)
    w = weighting.building_weight(ds.floor_area, ds.replacement_value, "value")
    by_value = weighting.weighted_mean_by_group(g, w, groups)
    assert float(by_value.sel(hf="STO")) == pytest.approx(21.0 / 27.0)
    region = weighting.weighted_mean(g, ds.floor_area)
    assert float(region) == pytest.approx((200 + 300) / 500)
