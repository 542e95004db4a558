"""The walkthrough notebooks run top to bottom on the bundled data, with outputs cleared.

Each runs in a fresh kernel driven by nbclient from the test process (what ``jupyter
nbconvert --execute`` does, without starting nbconvert's own process for each notebook);
a cell's error fails the test. Each cell may take up to the suite's one deadline
(:mod:`tests.harness.deadline`).
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from hmn_bygg.core.paths import project_root
from tests.harness.deadline import deadline_s

NOTEBOOKS = sorted((project_root() / "notebooks").glob("*.ipynb"))


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


@pytest.mark.notebook
@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = project_root() / ".home"  # git-ignored; keeps Jupyter's files out of the user's HOME
    home.mkdir(exist_ok=True)
    monkeypatch.setenv("HOME", str(home))  # the kernel inherits this environment
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    monkeypatch.delenv("PYTHONWARNINGS", raising=False)
    book = nbformat.read(path, as_version=4)
    client = NotebookClient(
        book,
        timeout=int(deadline_s()),
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()  # raises CellExecutionError at the first cell that fails
    errors = [
        out
        for cell in book.cells
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    ]
    assert not errors
    ran = [c for c in book.cells if c.cell_type == "code" and c.source.strip()]
    assert ran and all(c.execution_count is not None for c in ran)  # every cell ran
