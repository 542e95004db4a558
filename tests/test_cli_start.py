"""The command line starts without what it does not need (issue "One pipeline you can see").

Not the speed (``benchmarks/cli_start.py`` times it): which heavy packages a command loads.
Help loads none of pydantic, pandas, xarray or numba; ``register summary`` loads no numba
and no dask; ``run`` loads numba but no dask. And xarray, told to leave dask alone until dask
is imported (:mod:`hmn_bygg.core.lazy_dask`), still treats dask arrays as before once it is.
Each check runs in a fresh interpreter, as the console script does.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("pydantic", "numpy", "pandas", "xarray", "dask", "scipy", "numba", "openpyxl")

LOADED_BY = """
import json, sys
heavy = json.loads(sys.argv[2])
sys.argv = ["hmn-bygg", *json.loads(sys.argv[1])]
from hmn_bygg.cli import main
code = None
try:
    main()
except SystemExit as end:
    code = end.code
print(json.dumps({"code": code, "loaded": [m for m in heavy if m in sys.modules]}))
"""


def loaded_by(args: list[str]) -> list[str]:
    """The packages of :data:`HEAVY` that ``hmn-bygg ARGS`` loads (it must succeed)."""
    done = subprocess.run(
        [sys.executable, "-c", LOADED_BY, json.dumps(args), json.dumps(HEAVY)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["code"] in (0, None), done.stderr[-2000:]
    return result["loaded"]


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["run", "--help"],
        ["solve", "--help"],
        ["solve", "budget", "--help"],
        ["register", "summary", "--help"],
        ["config", "show", "--help"],
        ["docs", "build", "--help"],
    ],
)
def test_help_loads_nothing_heavy(args):
    assert loaded_by(args) == []


def test_register_summary_loads_no_numba_and_no_dask():
    loaded = loaded_by(["register", "summary", "--json"])
    assert "xarray" in loaded  # it does work: the register is a Dataset
    assert "numba" not in loaded and "dask" not in loaded


@pytest.mark.slow
def test_run_loads_numba_but_no_dask():
    loaded = loaded_by(["run", "--scenario", "today", "--quiet", "--json"])
    assert "numba" in loaded and "dask" not in loaded


DASK_AFTER_DEFER = """
import json, sys
import numpy as np
defer = sys.argv[1] == "defer"
if defer:
    from hmn_bygg.core.lazy_dask import defer_dask_when_xarray_loads
    defer_dask_when_xarray_loads()
import xarray as xr
from xarray.namedarray.utils import is_duck_dask_array
plain = xr.Dataset({"a": ("x", np.arange(4.0))}).sum()
before = "dask" in sys.modules
import dask.array as da
lazy = xr.DataArray(da.arange(4.0, chunks=2), dims="x")
masked = xr.Variable("x", da.ma.masked_equal(da.arange(4.0, chunks=2), 1.0))
print(json.dumps({
    "dask_before": before,
    "plain": float(plain["a"]),
    "chunks": [list(c) for c in lazy.chunks],
    "is_dask": bool(is_duck_dask_array(lazy.data)),
    "sum": float((lazy * 2).sum().compute()),
    "masked": [None if v != v else v for v in masked.values.tolist()],
    "masked_lazy": bool(is_duck_dask_array(masked.data)),
}))
"""


def test_xarray_without_dask_until_dask_is_imported():
    out = {}
    for mode in ("defer", "plain"):
        done = subprocess.run(
            [sys.executable, "-c", DASK_AFTER_DEFER, mode],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        out[mode] = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["defer"]["dask_before"] is False  # numpy-only work imported no dask
    assert out["plain"]["dask_before"] is True  # what xarray does on its own
    for key in ("plain", "chunks", "is_dask", "sum", "masked", "masked_lazy"):
        assert out["defer"][key] == out["plain"][key], key
    assert out["defer"]["chunks"] == [[2, 2]] and out["defer"]["is_dask"]
    assert out["defer"]["masked"] == [0.0, None, 2.0, 3.0]


DEFER_STATES = """
import json, sys
from hmn_bygg.core.lazy_dask import defer_dask, defer_dask_when_xarray_loads
defer_dask_when_xarray_loads()
import xarray
from xarray.namedarray import pycompat, utils
record = type(pycompat._cached_duck_array_modules.get("dask")).__name__
again = defer_dask()  # already deferred: nothing more to do
loader = type(xarray.__spec__.loader).__name__
import dask.array
found = pycompat.array_type("dask") == (dask.array.Array,)
healed = type(pycompat._cached_duck_array_modules["dask"]).__name__
after = defer_dask()  # dask is here: nothing to defer
print(json.dumps([record, again, loader, found, healed, after]))
"""


def test_defer_dask_steps_aside_once_dask_is_imported():
    done = subprocess.run(
        [sys.executable, "-c", DEFER_STATES],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    record, again, loader, found, healed, after = json.loads(done.stdout.splitlines()[-1])
    assert record == "DaskWhenImported" and again is False
    assert loader == "SourceFileLoader"  # xarray's own loader, only its exec_module wrapped
    assert found and healed == "DuckArrayModule"  # xarray's own record again
    assert after is False
