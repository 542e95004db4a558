"""The dashboard's shared baseline is read-only: no session can change another's figures."""

from __future__ import annotations

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
