"""Scenarios a user keeps: what-ifs saved by name into a user scenarios file.

A user scenarios file has the form of ``models/scenarios.yaml`` (``overrides`` and
``scenarios``) and starts as a copy of the bundled scenarios, so it runs on its own with
``hmn-bygg run --scenarios FILE`` and every bundled scenario stays beside the saved ones for
comparison. :func:`save_scenario` adds one override and one scenario of the same name (a
what-if's overrides on top of its scenario's own, :func:`whatif_overrides`):

- never into the bundled ``models/`` folder, never over an existing name (the file is locked
  while it is read, checked and replaced, so two sessions saving at once both keep their
  scenario, and the second one of a name is refused);
- every value carries a source saying where it came from (a bare value becomes
  ``{value: X, source: ...}``);
- the new file is validated like any scenario file (:func:`hmn_bygg.config.load_scenarios`)
  before it replaces the old one (atomically).

Where the file lies: ``HMN_BYGG_USER_SCENARIOS``, else ``~/.hmn_bygg/scenarios.yaml``.
:func:`saved_scenarios` reads the saved ones back for a dashboard served on another scenario
file, and :func:`user_file_stamp` tells cheaply whether the file changed.
"""

from __future__ import annotations

import fcntl
import os
import re
import tempfile
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from hmn_bygg.config.loader import load_scenarios
from hmn_bygg.config.overrides import FORM_KEYS
from hmn_bygg.config.sections import Model
from hmn_bygg.config.yaml_files import default_model_path, read_yaml
from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.io import write_bytes_atomic
from hmn_bygg.core.messages import Msg, Text
from hmn_bygg.core.paths import models_dir

USER_SCENARIOS_ENV = "HMN_BYGG_USER_SCENARIOS"
"""Environment variable: the user scenarios file."""
NAME_PATTERN = re.compile(r"^[A-Za-z0-9_æøåÆØÅ-]{1,60}$")
HEADER = (
    "# User scenarios (hmn_bygg): the bundled scenarios plus what-ifs saved by name\n"
    "# (dashboard 'Lagre som scenario', or hmn-bygg run --ltb FILE --save-scenario NAME).\n"
    "# Run them with: hmn-bygg run --scenarios THIS_FILE\n"
)


def user_scenarios_path() -> Path:
    """Return the user scenarios file: ``$HMN_BYGG_USER_SCENARIOS`` or
    ``~/.hmn_bygg/scenarios.yaml``."""
    given = os.environ.get(USER_SCENARIOS_ENV, "").strip()
    return Path(given).expanduser() if given else Path.home() / ".hmn_bygg" / "scenarios.yaml"


def user_file_stamp(target: str | os.PathLike[str] | None = None) -> tuple[int, int] | None:
    """Return the user scenarios file's modification time [ns] and size [bytes] (None: no file).

    One ``stat`` call: cheap enough to ask every second. The file is replaced atomically on
    every save, so a save always changes the stamp.
    """
    try:
        st = (Path(target) if target is not None else user_scenarios_path()).stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


def saved_scenarios(
    model_path: str | os.PathLike[str] | None,
    known: Collection[str],
    target: str | os.PathLike[str] | None = None,
) -> dict[str, Model]:
    """Return the scenarios of the user scenarios file that ``known`` lacks, validated.

    Parameters
    ----------
    model_path : path-like or None
        The model the scenarios apply to (default the bundled one).
    known : collection of str
        Scenario names already shown (those of the session's scenario file); the user file's
        copies of them are left out.
    target : path-like, optional
        The user scenarios file (default :func:`user_scenarios_path`).

    Returns
    -------
    dict of str to Model
        In file order; empty when there is no user file.

    Raises
    ------
    hmn_bygg.core.errors.InputError
        When the file cannot be read or a saved scenario does not validate (edited by hand).
    """
    path = Path(target) if target is not None else user_scenarios_path()
    if not path.is_file():
        return {}
    data, _, problems = read_yaml(path)
    if problems:
        raise InputError(problems, title=Msg("config.user_file_unreadable"))
    names = [str(n) for n in ((data or {}).get("scenarios") or {}) if str(n) not in known]
    return load_scenarios(model_path, path, names) if names else {}


def _refuse(file: Path, message: Msg, expected: Text, found: str) -> InputError:
    return InputError([Problem(str(file), message, expected=expected, found=found)],
                      title=Msg("config.scenario_not_saved"))  # fmt: skip


@contextmanager
def _locked(target: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``target``'s lock file (threads and processes alike)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.with_name(target.name + ".lock"), "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def with_sources(overrides: Mapping[str, Any], source: str) -> dict[str, Any]:
    """Return ``overrides`` with ``source`` on every value that has none.

    Parameters
    ----------
    overrides : mapping
        Dotted key -> override form (:mod:`hmn_bygg.config.overrides`).
    source : str
        Where the values come from, e.g. "what-if saved on the dashboard, 2026-12-07".

    Returns
    -------
    dict
        Bare values as ``{value: X, source: ...}``; forms without a source get one.
    """
    out: dict[str, Any] = {}
    for key, form in overrides.items():
        is_form = isinstance(form, Mapping) and form and set(form) <= FORM_KEYS
        if is_form and ("value" in form or "from" in form):
            out[key] = {**form, "source": form.get("source", source)}
        elif is_form:
            out[key] = dict(form)
        else:
            out[key] = {"value": form, "source": source}
    return out


def _plain(value: Any) -> Any:
    """Turn tuples and other sequences into lists so that the YAML is plain."""
    if isinstance(value, Mapping):
        return {(int(k) if isinstance(k, int) else str(k)): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and callable(value.item):
        return value.item()
    return value


def save_scenario(
    name: str,
    overrides: Mapping[str, Any],
    *,
    source: str,
    target: str | os.PathLike[str] | None = None,
    model_path: str | os.PathLike[str] | None = None,
) -> Path:
    """Save ``overrides`` as override and scenario ``name`` in the user scenarios file.

    Parameters
    ----------
    name : str
        The new scenario's name (letters, digits, ``_`` and ``-``, up to 60).
    overrides : mapping
        Dotted key -> override form, as a scenario file holds them.
    source : str
        Source written on every value that has none.
    target : path-like, optional
        The user scenarios file (default :func:`user_scenarios_path`).
    model_path : path-like, optional
        The model the scenarios apply to (default the bundled one).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    hmn_bygg.core.errors.InputError
        A bad name, a name already taken, a file in the bundled ``models/``, or a scenario
        that does not validate (the problems name the user file); the file is then unchanged.
    """
    path = Path(target) if target is not None else user_scenarios_path()
    if path.resolve().is_relative_to(models_dir().resolve()):
        raise _refuse(path, Msg("config.not_in_models"),
                      Msg("config.file_outside", folder=str(models_dir())), str(path))  # fmt: skip
    if not NAME_PATTERN.match(name):
        raise _refuse(path, Msg("config.not_a_name"), Msg("config.name_expected"), name)
    model = Path(model_path) if model_path is not None else default_model_path()
    with _locked(path):
        source_file = path if path.exists() else model.parent / "scenarios.yaml"
        data, _, problems = read_yaml(source_file)
        if problems:
            raise InputError(problems, title=Msg("config.scenario_not_saved"))
        data = dict(data or {})
        data.setdefault("overrides", {})
        data.setdefault("scenarios", {})
        if name in data["overrides"] or name in data["scenarios"]:
            raise _refuse(path, Msg("config.name_taken"), Msg("config.new_name"), name)
        data["overrides"] = {**data["overrides"], name: _plain(with_sources(overrides, source))}
        data["scenarios"] = {**data["scenarios"], name: [name]}
        text = HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
        _validate(text, path, model, name)
        return write_bytes_atomic(path, text.encode("utf-8"))


def _validate(text: str, path: Path, model: Path, name: str) -> None:
    """Load the would-be file as a scenario file; problems name ``path``."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".check.yaml", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    try:
        load_scenarios(model, tmp, [name])
    except InputError as err:
        problems = [replace(p, file=str(path)) if Path(tmp).name in p.file else p
                    for p in err.problems]  # fmt: skip
        raise InputError(problems, title=Msg("config.scenario_not_saved")) from None
    finally:
        os.unlink(tmp)


def whatif_overrides(
    scenario: str, changes: Mapping[str, Any], scenarios_file: str | os.PathLike[str] | None = None
) -> dict[str, Any]:
    """Return one set of overrides for a what-if: a scenario's own overrides plus ``changes``.

    Parameters
    ----------
    scenario : str
        The scenario the what-if started from.
    changes : mapping
        The what-if's overrides; each holds the key's whole new value (as the dashboard's
        controls make them), so it replaces the scenario's override of that key or of an
        entry under it.
    scenarios_file : path-like, optional
        The scenario file (default ``scenarios.yaml`` beside the bundled model).

    Returns
    -------
    dict
        The scenario's overrides in file order, those under a changed key left out, then
        ``changes``.
    """
    path = (
        Path(scenarios_file) if scenarios_file else default_model_path().parent / "scenarios.yaml"
    )
    data, _, problems = read_yaml(path)
    if problems:
        raise InputError(problems, title=Msg("config.scenario_file_unreadable"))
    out: dict[str, Any] = {}
    for oname in (data.get("scenarios") or {}).get(scenario) or []:
        out.update((data.get("overrides") or {}).get(oname) or {})
    covered = [k for k in out if any(k == c or k.startswith(c + ".") for c in changes)]
    for key in covered:
        del out[key]
    return out | dict(changes)
