"""Where the bundled model, register and schema tables live.

The project root is the folder above the package (an editable install from a clone), or the
folder named by the environment variable ``HMN_BYGG_HOME``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hmn_bygg.core.errors import Problem
    from hmn_bygg.core.messages import Text

PACKAGE_DIR = Path(__file__).resolve().parents[1]

BRIEF_PDF = "styrenotat.pdf"
"""The one default file name of the board brief (CLI, main job, dashboard download)."""


def brief_appendix(pdf: str | os.PathLike[str]) -> Path:
    """Return where the appendix of a brief goes: beside the PDF, ``<name>_vedlegg.html``."""
    path = Path(pdf)
    return path.with_name(f"{path.stem}_vedlegg.html")


def project_root() -> Path:
    """Return the project folder that holds ``models/`` and ``data/``.

    Returns
    -------
    pathlib.Path
        ``$HMN_BYGG_HOME`` when set, else the folder above the installed package.
    """
    env = os.environ.get("HMN_BYGG_HOME")
    return Path(env).resolve() if env else PACKAGE_DIR.parent


def models_dir() -> Path:
    """Return the folder of the bundled model and scenario files (``models/``)."""
    return project_root() / "models"


def register_dir() -> Path:
    """Return the folder of the bundled building register (``data/building_register/``)."""
    return project_root() / "data" / "building_register"


REGISTER_COLUMNS_CSV = PACKAGE_DIR / "register" / "columns.csv"


def not_a_file(path: Path, name: str, expected: Text) -> Problem:
    """Return the Problem for an input that is not a regular file: missing, or something else.

    A missing file (or a link to one) is "file not found"; a folder, a device, a pipe or a
    socket (also through a link) is "not a regular file", saying which.

    Parameters
    ----------
    path : pathlib.Path
        The input, which :meth:`pathlib.Path.is_file` found not to be a file.
    name : str
        The file as the user named it.
    expected : str
        What the input should be (``"a YAML file"``).
    """
    import stat

    from hmn_bygg.core.errors import Problem

    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        link = " (a link to a missing file)" if os.path.islink(path) else ""
        return Problem(name, "file not found" + link, expected=expected)
    except OSError as err:
        return Problem(name, "cannot be opened", expected=expected, found=err.strerror or "")
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a pipe (FIFO)"),
             (stat.S_ISSOCK, "a socket"))  # fmt: skip
    found = next((what for test, what in kinds if test(mode)), "not a file")
    return Problem(name, "not a regular file", expected=expected, found=found)
