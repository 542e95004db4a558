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
    socket (also through a link) is "not a regular file (a folder)", saying which.

    Parameters
    ----------
    path : pathlib.Path
        The input, which :meth:`pathlib.Path.is_file` found not to be a file.
    name : str
        The file as the user named it.
    expected : Msg or str
        What the input should be (a :class:`~hmn_bygg.core.messages.Msg` such as "a YAML
        file", so that the problem reads in the user's language).
    """
    import stat

    from hmn_bygg.core.errors import Problem
    from hmn_bygg.core.messages import Msg

    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        link = os.path.islink(path)
        missing = Msg("core.file_not_found_link") if link else Msg("core.file_not_found")
        return Problem(name, missing, expected=expected)
    except OSError as err:
        return Problem(name, Msg("core.cannot_be_opened"), expected=expected,
                       found=err.strerror or "")  # fmt: skip
    kinds = ((stat.S_ISDIR, Msg("core.kind_folder")), (stat.S_ISCHR, Msg("core.kind_char_device")),
             (stat.S_ISBLK, Msg("core.kind_block_device")), (stat.S_ISFIFO, Msg("core.kind_pipe")),
             (stat.S_ISSOCK, Msg("core.kind_socket")))  # fmt: skip
    kind = next((what for test, what in kinds if test(mode)), Msg("core.kind_other"))
    return Problem(name, Msg("core.not_a_regular_file", kind=kind), expected=expected)
