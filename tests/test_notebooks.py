"""The walkthrough notebooks run top to bottom on the bundled data, with outputs cleared."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hmn_bygg.core.paths import project_root

NOTEBOOKS = sorted((project_root() / "notebooks").glob("*.ipynb"))
TIMEOUT_S = 240  # per notebook, generous for a loaded CI machine (each takes < 30 s alone)


def test_the_four_walkthroughs_exist() -> None:
    names = [p.stem for p in NOTEBOOKS]
    for stem in ("01_register", "02_scenarios", "03_risk_and_inverse", "04_own_register"):
        assert stem in names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_outputs_are_cleared(path: Path) -> None:
    book = json.loads(path.read_text(encoding="utf-8"))
    for cell in book["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], f"{path.name}: a cell has outputs"
            assert cell["execution_count"] is None, f"{path.name}: a cell has an execution count"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path: Path, tmp_path: Path) -> None:
    home = project_root() / ".home"  # git-ignored; keeps Jupyter's files out of the user's HOME
    home.mkdir(exist_ok=True)
    env = {**os.environ, "HOME": str(home), "MPLBACKEND": "Agg", "JUPYTER_PLATFORM_DIRS": "1"}
    env.pop("PYTHONWARNINGS", None)
    command = [
        sys.executable,
        "-m",
        "jupyter",
        "nbconvert",
        "--to",
        "notebook",
        "--execute",
        f"--ExecutePreprocessor.timeout={TIMEOUT_S}",
        "--output-dir",
        str(tmp_path),
        str(path),
    ]
    done = subprocess.run(
        command, env=env, cwd=path.parent, capture_output=True, text=True, timeout=TIMEOUT_S + 60
    )
    assert done.returncode == 0, done.stderr[-4000:]
    executed = json.loads((tmp_path / path.name).read_text(encoding="utf-8"))
    errors = [
        out
        for cell in executed["cells"]
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    ]
    assert not errors
