"""Static checks in the suite, so that CI runs them: the type checker (mypy, configured in
``pyproject.toml``) on the package, and ruff's lint and format checks on package and tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.slow


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)


def test_the_package_type_checks():
    done = _run(str(BIN / "mypy"), "--cache-dir", str(ROOT / ".home" / "mypy_cache"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Success" in done.stdout


@pytest.mark.parametrize("check", [["check"], ["format", "--check"]], ids=["lint", "format"])
def test_ruff_is_clean(check):
    done = _run(str(BIN / "ruff"), *check, "hmn_bygg", "tests", "benchmarks", "scripts")
    assert done.returncode == 0, done.stdout + done.stderr
