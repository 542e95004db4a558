"""Checks every command makes on its arguments before it does any work.

A command names its inputs (files or folders it reads), its outputs (files and folders it
writes) and its numbers (seeds, counts, shares); :func:`check_arguments` refuses, before
anything is read or run:

- an output that is one of the inputs: the same path, a symbolic or hard link to it (same
  device and inode), or a name that differs only in case where the file system ignores case
  (:func:`same_file`); also two outputs that are one file;
- an output in a place that cannot be written: a missing parent folder, a folder that is read
  only or not a folder (``-o /sys/x.nc``), an existing folder where a file is wanted, or a
  device or pipe;
- an input that exists but is not a regular file or folder (a pipe, a device, a link to one),
  which would otherwise block the command or be read as garbage;
- a seed outside ``0 … 2**32 - 1``, a count below its minimum, a number that is not finite or
  outside its range.

Each refusal is one line naming the option (:class:`ArgumentError`); the CLI prints it and
exits with code 2, without a traceback. Only the standard library is used here, so that the
check costs nothing before the heavy imports of a command.
"""

from __future__ import annotations

import math
import os
import stat
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.fmt import Lang
from hmn_bygg.core.messages import Msg

__all__ = [
    "MAX_SEED",
    "ArgumentError",
    "check_arguments",
    "decimal",
    "model_inputs",
    "same_file",
]

MAX_SEED = 2**32 - 1
"""Largest seed accepted (seeds are reproducible across NumPy versions in this range)."""

PathArg = Path | str | Sequence[Path | str] | None


class ArgumentError(InputError):
    """Arguments refused before any work; one line per problem (``Feil: ...``/``Error: ...``)."""

    def render(self, lang: Lang = "en") -> str:
        """One line per problem in ``lang``."""
        lines = [Msg("cli.error", problem=p.render(lang)).render(lang) for p in self.problems]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.render("en")


class NumberError(ValueError):
    """A typed text that is no number (:func:`decimal`); ``found`` is the text."""

    def __init__(self, found: str) -> None:
        super().__init__(f"expected a number such as 1,2 or 1.2; found {found!r}")
        self.found = found


def decimal(text: str | float) -> float:
    """Read a typed number with a decimal comma or point (``1,2``, ``1.2``, ``650 000``).

    Give it as ``parser=decimal`` to a typer option; a text that is no number is a usage
    error naming the option (typer turns the ``ValueError`` into one).

    Raises
    ------
    ValueError
        When ``text`` is not a number.
    """
    from hmn_bygg.core.numbers import parse_number

    if not isinstance(text, str):  # a default value, already a number
        return float(text)
    if text.strip().lower().lstrip("+-") in ("nan", "inf", "infinity"):
        return float(text)  # a number, but never in range: the range check names the option
    try:
        value = parse_number(text, ",")
    except ValueError:  # nan and inf pass on, for check_arguments to call out of range
        value = float(text) if str(text).strip().lower().lstrip("+-") in ("nan", "inf") else None
    if value is None or "%" in str(text):
        raise NumberError(text)
    return value


def _shown(number: float) -> float | int | str:
    """A bound as a message field: a whole number as an int, infinity as text."""
    if not math.isfinite(number):
        return str(number)
    return int(number) if float(number).is_integer() else number


def _normcase(path: str) -> str:
    """Fold a path the way the file system compares names (case-insensitive on Windows)."""
    return os.path.normcase(path)


def _key(path: Path) -> str:
    return _normcase(os.path.realpath(path))


def same_file(a: Path, b: Path) -> bool:
    """Return whether writing ``a`` would replace ``b``.

    True for the same path, a symbolic link to it (either way, through any folder links),
    a hard link (same device and inode) and, on file systems that ignore case, a name that
    differs only in case.

    Examples
    --------
    >>> same_file(Path("a/../b.txt"), Path("b.txt"))
    True
    """
    try:
        if os.path.samefile(a, b):
            return True
    except OSError:  # one of them does not exist (yet)
        pass
    return _key(a) == _key(b)


def _kind(path: Path) -> str | None:
    """Return ``"file"``, ``"folder"``, ``"other"`` (device, pipe, socket) or None (missing)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError:  # a link loop, a name too long: neither a file nor a folder
        return "other"
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "folder"
    return "other"


def _as_list(value: PathArg) -> list[Path]:
    if value is None:
        return []
    if isinstance(value, str | os.PathLike):
        return [Path(value)]
    return [Path(v) for v in value]


def _writable_folder(folder: Path) -> Msg | None:
    """Return why files cannot be made in ``folder``, or None when they can."""
    kind = _kind(folder)
    if kind is None:
        return Msg("cli.no_folder")
    if kind != "folder":
        return Msg("cli.not_a_folder")
    try:  # os.access says yes to root, and knows nothing of read-only mounts
        fd, probe = tempfile.mkstemp(prefix=".hmn-bygg-probe.", dir=folder)
    except OSError as err:
        return Msg("cli.not_writable", why=err.strerror or type(err).__name__)
    os.close(fd)
    os.unlink(probe)
    return None


@dataclass
class _Check:
    problems: list[Problem] = field(default_factory=list)

    def refuse(self, option: str, message: Msg, expected: Msg, found: object) -> None:
        self.problems.append(Problem(option, message, expected=expected, found=str(found)))


def _input_files(inputs: Mapping[str, PathArg], check: _Check) -> list[tuple[str, Path]]:
    """The input files (folders expanded to their files); refuse pipes and devices."""
    files: list[tuple[str, Path]] = []
    for option, value in inputs.items():
        for path in _as_list(value):
            kind = _kind(path)
            if kind == "other":
                check.refuse(option, Msg("cli.not_regular"), Msg("cli.file_or_folder"), path)
            elif kind == "folder":
                try:
                    files += [(option, p) for p in sorted(path.iterdir()) if _kind(p) == "file"]
                except OSError:
                    pass
            elif kind == "file":
                files.append((option, path))
    return files


def _check_output(
    option: str, path: Path, folder: bool, inputs: list[tuple[str, Path]], check: _Check
) -> None:
    kind = _kind(path)
    if folder:
        if kind not in (None, "folder"):
            check.refuse(option, Msg("cli.no_folder_here"), Msg("core.kind_folder"), path)
            return
        target = path if kind == "folder" else path.parent
    else:
        if kind == "folder":
            check.refuse(option, Msg("cli.output_is_folder"), Msg("core.a_file_name"), path)
            return
        if kind == "other":
            check.refuse(option, Msg("cli.output_not_regular"), Msg("core.a_file_name"), path)
            return
        for in_option, source in inputs:
            if same_file(path, source):
                check.refuse(
                    option,
                    Msg("cli.output_is_input", option=in_option, source=str(source)),
                    Msg("cli.another_file_name"),
                    path,
                )
                return
        target = path.parent
    why = _writable_folder(target if str(target) else Path("."))
    if why is not None:
        check.refuse(option, Msg("cli.cannot_write", why=why), Msg("cli.writable_folder"),
                     target)  # fmt: skip


def check_arguments(
    *,
    inputs: Mapping[str, PathArg] | None = None,
    outputs: Mapping[str, Path | str | None] | None = None,
    folders: Mapping[str, Path | str | None] | None = None,
    seeds: Mapping[str, int | None] | None = None,
    counts: Mapping[str, tuple[int | None, int]] | None = None,
    numbers: Mapping[str, tuple[float | None, float, float]] | None = None,
) -> None:
    """Refuse bad arguments of a command before it works.

    Parameters
    ----------
    inputs : mapping of option to path(s), optional
        Files or folders the command reads (a folder stands for the files in it); None
        values are skipped. Give the defaults the command falls back on too.
    outputs : mapping of option to path, optional
        Files the command writes.
    folders : mapping of option to path, optional
        Folders the command writes into (made if missing; their parent must exist).
    seeds : mapping of option to int, optional
        Seeds, accepted in ``0 … MAX_SEED``.
    counts : mapping of option to (int, minimum), optional
        Counts and their smallest allowed value.
    numbers : mapping of option to (float, low, high), optional
        Numbers that must be finite and lie in ``[low, high]``.

    Raises
    ------
    ArgumentError
        One :class:`~hmn_bygg.core.errors.Problem` per refused argument; its ``file`` is the
        option (``--xlsx``), ``found`` the value given.
    """
    check = _Check()
    for option, seed in (seeds or {}).items():
        if seed is not None and not 0 <= seed <= MAX_SEED:
            seeds_ok = Msg("cli.seed_range", top=str(MAX_SEED))
            check.refuse(option, Msg("cli.bad_seed"), seeds_ok, seed)
    for option, (count, least) in (counts or {}).items():
        if count is not None and count < least:
            check.refuse(option, Msg("cli.too_small"), Msg("cli.at_least", least=least), count)
    for option, (number, low, high) in (numbers or {}).items():
        if number is not None and not (math.isfinite(number) and low <= number <= high):
            span = Msg("cli.number_span", low=_shown(low), high=_shown(high))
            check.refuse(option, Msg("cli.out_of_range"), span, number)
    files = _input_files(inputs or {}, check)
    given: list[tuple[str, Path]] = []
    for option, value in (outputs or {}).items():
        if value is None:
            continue
        path = Path(value)
        twin = next((o for o, p in given if same_file(path, p)), None)
        if twin is not None:
            check.refuse(option, Msg("cli.same_file", twin=twin), Msg("cli.two_files"), path)
            continue
        given.append((option, path))
        _check_output(option, path, False, files, check)
    for option, value in (folders or {}).items():
        if value is not None:
            _check_output(option, Path(value), True, files, check)
    if check.problems:
        raise ArgumentError(check.problems, title=Msg("cli.refused"))


def model_inputs(
    model: Path | None, scenarios: Path | None = None, *, option: str = "--model"
) -> dict[str, PathArg]:
    """Return the model and scenario files a command reads, defaults included.

    Parameters
    ----------
    model : pathlib.Path or None
        The ``--model`` given, or None for ``models/hmn.yaml``.
    scenarios : pathlib.Path or None
        The ``--scenarios`` given, or None for ``scenarios.yaml`` beside the model.
    option : str
        How the command names the model (``--model``, or ``MODEL`` for an argument).

    Returns
    -------
    dict
        ``{option: ..., "--scenarios": ...}`` for :func:`check_arguments`.
    """
    from hmn_bygg.core.paths import models_dir

    model_path = model if model is not None else models_dir() / "hmn.yaml"
    scen = scenarios if scenarios is not None else model_path.parent / "scenarios.yaml"
    return {option: model_path, "--scenarios": scen}


def register_inputs(models: Mapping[str, object]) -> dict[str, PathArg]:
    """Return the register files or folders that loaded models read (``model.register``)."""
    paths = {p for m in models.values() for p in m.register_paths()}  # type: ignore[attr-defined]
    return {"model.register": sorted(paths)}
