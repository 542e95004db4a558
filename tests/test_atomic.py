"""Outputs are written atomically; inputs are only read.

A run killed with SIGKILL in the middle of writing a netCDF file leaves the good file it was
replacing intact and loadable; the temporary file it leaves never blocks the next write, and
the next write removes it once it is older than ``hmn_bygg.core.io.STALE_TMP_SECONDS``.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from hmn_bygg.config import load_model
from hmn_bygg.core.io import STALE_TMP_SECONDS, atomic_path, write_json, write_netcdf
from hmn_bygg.register.load import load_register
from tests.harness.deadline import deadline_s

FIXTURES = Path(__file__).parent / "fixtures"

WRITER = """
import sys
import numpy as np
import xarray as xr
from hmn_bygg.core.io import write_netcdf

rng = np.random.default_rng(0)
ds = xr.Dataset({"x": (("a", "b"), rng.random((4000, 4000)))})
ds["x"].encoding = {"zlib": True, "complevel": 9}  # slow on purpose: random data
write_netcdf(ds, sys.argv[1])
"""


def small_results() -> xr.Dataset:
    return xr.Dataset({"vttg": ("year", np.array([1.5, 1.4, 1.3]))}, coords={"year": [1, 2, 3]})


def leftovers(target: Path) -> list[Path]:
    return sorted(target.parent.glob(f".{target.name}.*.tmp"))


@pytest.mark.slow
def test_sigkill_mid_write_keeps_the_old_file(tmp_path):
    target = tmp_path / "results.nc"
    good = small_results()
    write_netcdf(good, target)
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(target)])
    try:
        deadline = time.monotonic() + deadline_s()
        while time.monotonic() < deadline and proc.poll() is None:
            tmp = leftovers(target)
            if tmp and tmp[0].stat().st_size > 0:  # the writer has started writing
                break
            time.sleep(0.005)
        assert proc.poll() is None, "the writer finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    with xr.open_dataset(target, engine="h5netcdf") as back:
        xr.testing.assert_identical(back.load(), good)
    left = leftovers(target)
    assert len(left) == 1  # SIGKILL leaves the temporary file behind ...
    newer = small_results() * 2
    write_netcdf(newer, target)  # ... which never blocks the next write,
    with xr.open_dataset(target, engine="h5netcdf") as back:
        xr.testing.assert_identical(back.load(), newer)
    assert leftovers(target) == left  # is kept while it may belong to a running write,
    old = time.time() - STALE_TMP_SECONDS - 60
    os.utime(left[0], (old, old))
    write_netcdf(good, target)  # and is removed by the next write once stale.
    assert leftovers(target) == []


def test_a_failed_write_leaves_the_target_and_no_temp_file(tmp_path):
    target = tmp_path / "out.json"
    write_json({"a": 1}, target)
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("interrupted")
    assert target.read_text(encoding="utf-8").strip() == '{\n  "a": 1\n}'
    assert leftovers(target) == []


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_inputs_are_opened_read_only_and_left_unchanged(tmp_path):
    folder = tmp_path / "register"
    shutil.copytree(FIXTURES / "register" / "basic", folder)
    models = tmp_path / "models"
    models.mkdir()
    shutil.copy(FIXTURES / "config" / "model.yaml", models / "model.yaml")
    for path in [*folder.iterdir(), models / "model.yaml"]:
        path.chmod(0o444)
    folder.chmod(0o555)
    before = snapshot(folder), snapshot(models)
    try:
        assert load_register(folder).sizes["building"] > 0
        assert load_model(models / "model.yaml").model.name == "tiny"
        after = snapshot(folder), snapshot(models)
    finally:
        folder.chmod(0o755)
    assert after == before
    assert sorted(p.name for p in folder.iterdir()) == sorted(before[0])
