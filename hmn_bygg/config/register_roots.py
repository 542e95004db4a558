"""Where a model's building register may lie: the project, folders the user names, and the
folders in ``HMN_BYGG_DATA_ROOTS``; a register path that leads elsewhere is refused.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from hmn_bygg.config.sections import Model
from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.messages import Msg
from hmn_bygg.core.paths import project_root

PathLike = str | os.PathLike[str]


DATA_ROOTS_ENV = "HMN_BYGG_DATA_ROOTS"
"""Environment variable: further folders (``os.pathsep``-separated) a register may lie in."""


def allowed_roots(
    model_file: PathLike | None = None, extra: Sequence[PathLike] | None = None
) -> list[Path]:
    """Return the folders a model's register may lie in.

    Parameters
    ----------
    model_file : path-like, optional
        The model file. Its project (the folder above the model file's folder, i.e. the
        folder holding ``models/``) is allowed; without a file, the bundled project
        (:func:`hmn_bygg.core.paths.project_root`).
    extra : sequence of path-like, optional
        Further folders the user named (e.g. a data folder on a shared drive).

    Returns
    -------
    list of pathlib.Path
        Resolved folders: the project, ``extra``, and the folders in the environment variable
        ``HMN_BYGG_DATA_ROOTS`` (separated by ``os.pathsep``).
    """
    base = Path(model_file).resolve().parent.parent if model_file is not None else project_root()
    roots = [base, *(Path(p).expanduser().resolve() for p in extra or ())]
    env = os.environ.get(DATA_ROOTS_ENV, "")
    roots += [Path(p).expanduser().resolve() for p in env.split(os.pathsep) if p.strip()]
    return list(dict.fromkeys(roots))


def register_path_problems(
    model: Model,
    roots: Sequence[PathLike] | None = None,
    *,
    file: str | None = None,
    row: int | None = None,
) -> list[Problem]:
    """Report register paths of a model that escape the allowed folders.

    Parameters
    ----------
    model : Model
        A validated model; relative paths are taken from its file's folder.
    roots : sequence of path-like, optional
        Extra allowed folders (see :func:`allowed_roots`).
    file : str, optional
        File to name in the problems (default: the model's file).
    row : int, optional
        Line of the ``register`` key.

    Returns
    -------
    list of Problem
        One per path (after resolving ``..`` and symbolic links) outside every allowed root,
        with the key ``model.register``.
    """
    allowed = allowed_roots(model.file, roots)
    name = file or (str(model.file) if model.file is not None else "model")
    listed = [str(r) for r in allowed]
    inside: Msg | str = listed[-1]
    if len(listed) > 1:
        inside = Msg("config.one_of", items=", ".join(listed[:-1]), last=listed[-1])
    problems = []
    for path in model.register_paths():
        if not any(path.is_relative_to(root) for root in allowed):
            problems.append(
                Problem(
                    name,
                    Msg("config.register_outside"),
                    row=row,
                    column="model.register",
                    expected=Msg("config.register_inside", roots=inside, env=DATA_ROOTS_ENV),
                    found=str(path),
                )
            )
    return problems


def checked_register_paths(model: Model, roots: Sequence[PathLike] | None = None) -> list[Path]:
    """Return :meth:`Model.register_paths`, refusing paths outside the allowed folders.

    Parameters
    ----------
    model : Model
        A validated model (also one changed by overrides).
    roots : sequence of path-like, optional
        Extra allowed folders (see :func:`allowed_roots`).

    Returns
    -------
    list of pathlib.Path
        The resolved register paths.

    Raises
    ------
    hmn_bygg.core.errors.InputError
        Naming ``model.register`` and each path outside the allowed folders.
    """
    problems = register_path_problems(model, roots)
    if problems:
        raise InputError(problems, title=Msg("config.register_not_allowed"))
    return model.register_paths()
