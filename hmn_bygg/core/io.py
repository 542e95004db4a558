"""Writing outputs safely: a temporary file in the target folder, renamed into place.

An interrupted run therefore never leaves a half-written file where a good one was: the
target is replaced in one step (:func:`os.replace`) only once the new file is complete.
Inputs are never written.

A run killed outright (``SIGKILL``, power loss) cannot remove its temporary file
``.<name>.<random>.tmp`` beside the target. Such a leftover never blocks a later write (each
write uses a fresh name), and the next write to the same target removes leftovers older than
:data:`STALE_TMP_SECONDS`; younger ones may belong to a write still running in another process.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import xarray as xr

if TYPE_CHECKING:
    from hmn_bygg.core.messages import Text

STALE_TMP_SECONDS = 15 * 60
"""Age [s] after which a temporary file left beside a target is taken as abandoned."""


def remove_stale_temp_files(
    target: str | os.PathLike[str], older_than: float = STALE_TMP_SECONDS
) -> int:
    """Remove temporary files that an interrupted write left beside ``target``.

    Parameters
    ----------
    target : str or Path
        The output file.
    older_than : float
        Only files not modified for this long [s] are removed.

    Returns
    -------
    int
        How many files were removed.
    """
    target = Path(target)
    if not target.parent.is_dir():
        return 0
    now, removed = time.time(), 0
    for leftover in target.parent.glob(f".{target.name}.*.tmp"):
        try:
            if now - leftover.stat().st_mtime > older_than:
                leftover.unlink()
                removed += 1
        except OSError:  # removed meanwhile by another run, or not ours to remove
            pass
    return removed


def _umask() -> int:
    """Return the process's umask (read by setting and restoring it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _target_problem(target: Path) -> Any:
    """Return a Problem when ``target`` cannot be an output file: a folder, or not writable."""
    from hmn_bygg.core.errors import Problem
    from hmn_bygg.core.messages import Msg

    if target.is_dir():
        return Problem(str(target), Msg("core.output_is_folder"), expected=Msg("core.a_file_name"))
    writable = Msg("core.a_writable_folder")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        return Problem(str(target), Msg("core.folder_cannot_be_made"), expected=writable,
                       found=err.strerror or str(err))  # fmt: skip
    if not os.access(target.parent, os.W_OK):
        return Problem(str(target), Msg("core.folder_not_writable"), expected=writable,
                       found=str(target.parent))  # fmt: skip
    return None


@contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` on success.

    Parameters
    ----------
    target : str or Path
        The file to write.

    Yields
    ------
    pathlib.Path
        Where to write; removed again if the block raises. Leftovers of earlier killed
        writes older than :data:`STALE_TMP_SECONDS` are removed first.

    Raises
    ------
    hmn_bygg.core.errors.InputError
        When ``target`` is a folder or its folder cannot be made or written to.
    """
    target = Path(target)
    problem = _target_problem(target)
    if problem is not None:
        from hmn_bygg.core.errors import InputError
        from hmn_bygg.core.messages import Msg

        raise InputError([problem], title=Msg("core.output_cannot_be_written"))
    remove_stale_temp_files(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        _fsync(tmp_path)  # the content is on disk before the name points at it
        # mkstemp makes the file private (0600); give it the mode a plain open() would
        os.chmod(tmp_path, 0o666 & ~_umask())
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def _fsync(path: Path) -> None:
    """Flush ``path``'s content to the disk (a writer may have closed it without fsync)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(target: str | os.PathLike[str], write: Callable[[Path], Any]) -> Path:
    """Call ``write(tmp_path)`` and rename the result onto ``target``; return ``target``."""
    with atomic_path(target) as tmp:
        write(tmp)
    return Path(target)


def write_bytes_atomic(target: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically (:func:`atomic_path`) and return ``target``."""
    return write_atomic(target, lambda tmp: tmp.write_bytes(data))


def write_netcdf(ds: xr.Dataset, target: str | os.PathLike[str]) -> Path:
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


def write_json(data: Any, target: str | os.PathLike[str]) -> Path:
    """Write ``data`` as UTF-8 JSON atomically and return ``target``."""
    text = json.dumps(data, ensure_ascii=False, indent=2, default=float)
    return write_atomic(target, lambda tmp: tmp.write_text(text + "\n", encoding="utf-8"))


def read_results(path: str | Path, *, title: Text | None = None) -> xr.Dataset:
    """Read a results file written by ``hmn-bygg run -o`` (netCDF) into memory, read-only.

    Parameters
    ----------
    path : str or Path
        The ``.nc`` file.
    title : Msg, optional
        Title of the error, naming what the results were wanted for (default "The results
        cannot be read").

    Returns
    -------
    xarray.Dataset
        The results.

    Raises
    ------
    hmn_bygg.core.errors.InputError
        When the file is missing, is not netCDF, or holds no ``scenario`` and ``year``
        dimensions (not results of this toolkit).
    """
    from hmn_bygg.core.errors import InputError, Problem
    from hmn_bygg.core.messages import Msg

    path = Path(path)
    title = Msg("core.results_cannot_be_read") if title is None else title
    expected = Msg("core.a_results_file")
    if not path.is_file():
        from hmn_bygg.core.paths import not_a_file

        raise InputError([not_a_file(path, str(path), expected)], title=title)
    with path.open("rb") as f:  # read-only; netCDF4 files are HDF5 files
        head = f.read(8)
    if head != b"\x89HDF\r\n\x1a\n":
        start = Msg("core.starts_with", head=repr(head[:4])) if head else Msg("core.is_empty")
        raise InputError(
            [Problem(str(path), Msg("core.not_netcdf", start=start), expected=expected)],
            title=title,
        )
    try:
        ds = xr.load_dataset(path, engine="h5netcdf")
    except (OSError, ValueError, TypeError, KeyError) as err:
        first = (str(err).strip().splitlines() or [type(err).__name__])[0]
        raise InputError(
            [Problem(str(path), Msg("core.netcdf_unreadable"), expected=expected, found=first)],
            title=title,
        ) from None
    missing = [d for d in ("scenario", "year") if d not in ds.dims]
    if missing:
        dims = [str(d) for d in ds.dims] or Msg("core.none")
        raise InputError(
            [Problem(str(path), Msg("core.not_results", dims=dims), expected=expected)],
            title=title,
        )
    return ds
