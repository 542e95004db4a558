"""Each benchmark script's ``--quick`` mode runs and writes its JSON (CI smoke test)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
@pytest.mark.parametrize("script", ["risk_ensemble.py", "national_scale.py"])
def test_benchmark_quick_mode(script, tmp_path):
    out = tmp_path / "figures.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), "--quick", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads((tmp_path / "figures_quick.json").read_text(encoding="utf-8"))
    assert figures["peak_rss_mib"] > 0 and figures["draws"] > 0
