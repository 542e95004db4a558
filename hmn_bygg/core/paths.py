"""Where the bundled model, register and schema tables live.

The project root is the folder above the package (an editable install from a clone), or the
folder named by the environment variable ``HMN_BYGG_HOME``.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]


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
