"""Reading an uploaded register safely: names checked, a temporary copy, the usual checks.

The widget hands over file names and bytes, never paths. Each file is written under a fresh
temporary folder with a cleaned name and read with :func:`hmn_bygg.register.load.load_register`;
problems come back with the names the user uploaded.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import xarray as xr

from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.messages import Msg
from hmn_bygg.register.load import load_register

ALLOWED_SUFFIXES = (".csv", ".xlsx")
MAX_BYTES = 20 * 1024 * 1024


def safe_name(name: str, index: int) -> str:
    """Return a file name without folders or odd characters, keeping its suffix.

    Examples
    --------
    >>> safe_name("../../etc/bygg liste.csv", 0)
    'bygg_liste.csv'
    """
    base = Path(name.replace("\\", "/")).name
    stem, suffix = Path(base).stem, Path(base).suffix.lower()
    stem = re.sub(r"[^\w\-]+", "_", stem).strip("._") or f"file{index}"
    return f"{stem[:80]}{suffix}"


def read_uploaded_register(files: Sequence[tuple[str, bytes]]) -> xr.Dataset:
    """Read a register from uploaded files.

    Parameters
    ----------
    files : sequence of (str, bytes)
        The uploaded files' names and contents (a buildings table, optionally a parts table).

    Returns
    -------
    xr.Dataset
        The checked register; ``attrs["notes"]`` (hidden sheets skipped, hidden rows, links
        to other workbooks, total rows skipped, ...) name the files as uploaded.

    Raises
    ------
    hmn_bygg.core.errors.InputError
        For a wrong file type, an empty or too large file, or any problem the register
        reader finds.
    """
    problems: list[Problem] = []
    if not files:
        problems.append(Problem("", Msg("register.no_file_uploaded")))
    named: list[tuple[str, str, bytes]] = []
    for i, (name, data) in enumerate(files):
        clean = safe_name(name or "", i)
        if Path(clean).suffix not in ALLOWED_SUFFIXES:
            problems.append(
                Problem(
                    name,
                    Msg("register.not_a_register_file"),
                    expected=Msg("register.csv_or_xlsx"),
                    found=Path(clean).suffix or Msg("register.no_suffix"),
                )
            )
        elif not data:
            problems.append(Problem(name, Msg("register.file_is_empty")))
        elif len(data) > MAX_BYTES:
            at_most = Msg("register.at_most_megabytes", size=MAX_BYTES // 2**20)
            problems.append(Problem(name, Msg("register.upload_too_large"), expected=at_most))
        named.append((name, clean, data))
    if len({c for _, c, _ in named}) < len(named):
        problems.append(Problem("", Msg("register.same_names")))
    if problems:
        raise InputError(problems, title=Msg("register.upload_cannot_be_read"))
    with tempfile.TemporaryDirectory(prefix="hmn_bygg_upload_") as tmp:
        paths = []
        for _, clean, data in named:
            path = Path(tmp) / clean
            path.write_bytes(data)
            paths.append(path)
        back = {str(p): orig for p, (orig, _, _) in zip(paths, named, strict=True)}
        back |= {p.name: orig for p, (orig, _, _) in zip(paths, named, strict=True)}
        try:
            ds = load_register(paths)
        except InputError as err:
            fixed = [_rename(p, back, tmp) for p in err.problems]
            raise InputError(fixed, title=err.title) from None
    ds.attrs["notes"] = [_rename_note(n, back, tmp) for n in ds.attrs.get("notes", [])]
    return ds


def _rename_note(note: Any, back: dict[str, str], tmp: str) -> Any:
    """Show the uploaded names instead of the temporary paths in a note (a Msg's fields)."""
    if isinstance(note, Msg):
        fields = {k: _rename_note(v, back, tmp) for k, v in note.fields.items()}
        return type(note)(note.key, **fields)
    if isinstance(note, list):
        return [_rename_note(v, back, tmp) for v in note]
    if not isinstance(note, str):
        return note
    for path, orig in sorted(back.items(), key=lambda kv: -len(kv[0])):
        if "/" in path:
            note = note.replace(path, orig)
    return note.replace(tmp + "/", "")


def _rename(problem: Problem, back: dict[str, str], tmp: str) -> Problem:
    """Show the uploaded name instead of the temporary path."""
    file = back.get(problem.file, problem.file.replace(tmp + "/", ""))
    return Problem(
        file, problem.message, problem.row, problem.column, problem.expected, problem.found
    )


def upload_css(text: str) -> str:
    """Return the file input's stylesheet that shows ``text`` on its button.

    The browser writes its own words on a file input ("Choose Files", "No file chosen") in
    the browser's language; the dashboard's language decides here instead: the native
    words are made transparent and ``text`` is drawn over the button.
    """
    quoted = text.replace("\\", "\\\\").replace('"', '\\"')
    return (
        ":host { position: relative; }\n"
        "input[type=file], input[type=file]::file-selector-button { color: transparent; }\n"
        f':host::after {{ content: "{quoted}"; position: absolute; left: 12px; top: 50%; '
        "transform: translateY(-50%); pointer-events: none; font-size: 13px; color: #222; }\n"
    )
