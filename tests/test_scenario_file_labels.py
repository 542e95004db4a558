"""A scenario file given with ``--scenarios`` brings its own display names (the brief's labels)."""

from __future__ import annotations

from pathlib import Path

from hmn_bygg.cli.brief_cmd import _labels
from hmn_bygg.config.labels import scenario_labels
from hmn_bygg.core.paths import models_dir


def _user_file(tmp_path: Path) -> Path:
    text = (models_dir() / "scenarios.yaml").read_text(encoding="utf-8")
    text = text.replace("\nscenarios:\n", "\nscenarios:\n  mitt: [maintenance_catch_up]\n", 1)
    text = text.replace("\nlabels:\n", '\nlabels:\n  mitt: {nb: "Mitt valg", en: "My pick"}\n', 1)
    path = tmp_path / "scenarios.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_given_scenario_file_names_its_scenarios(tmp_path):
    path = _user_file(tmp_path)
    assert scenario_labels(None, path)["mitt"] == {"nb": "Mitt valg", "en": "My pick"}
    assert "mitt" not in scenario_labels()  # the bundled file is not changed
    assert _labels(None, path, "nb")["mitt"] == "Mitt valg"
    assert _labels(None, path, "en")["mitt"] == "My pick"
    assert _labels(None, None, "nb") is None  # without --scenarios: the bundled names
