"""Writing outputs safely: a temporary file in the target folder, renamed into place.

An interrupted run therefore never leaves a half-written file where a good one was.
Inputs are never written.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import xarray as xr


@contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` on success.

    Parameters
    ----------
    target : str or Path
        The file to write.

    Yields
    ------
    pathlib.Path
        Where to write; removed again if the block raises.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_atomic(target: str | Path, write: Callable[[Path], Any]) -> Path:
    """Call ``write(tmp_path)`` and rename the result onto ``target``; return ``target``."""
    with atomic_path(target) as tmp:
        write(tmp)
    return Path(target)


def write_netcdf(ds: xr.Dataset, target: str | Path) -> Path:
    """Write a results Dataset to netCDF (h5netcdf engine) atomically.

    Parameters
    ----------
    ds : xr.Dataset
        Results.
    target : str or Path
        The ``.nc`` file.

    Returns
    -------
    pathlib.Path
        ``target``.
    """
    return write_atomic(target, lambda tmp: ds.to_netcdf(tmp, engine="h5netcdf"))


def write_json(data: Any, target: str | Path) -> Path:
    """Write ``data`` as UTF-8 JSON atomically and return ``target``."""
    text = json.dumps(data, ensure_ascii=False, indent=2, default=float)
    return write_atomic(target, lambda tmp: tmp.write_text(text + "\n", encoding="utf-8"))
