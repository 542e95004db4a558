"""Caches of files under the project folder follow a change of HMN_BYGG_HOME."""

from __future__ import annotations

import shutil

from hmn_bygg.core import paths
from hmn_bygg.register import summary
from hmn_bygg.register.checks import organisation_lookup


def test_a_new_home_reads_its_own_files(tmp_path, monkeypatch):
    before = organisation_lookup("hf")
    tabell1 = summary.published_tabell1()
    home = tmp_path / "home"
    shutil.copytree(paths.models_dir(), home / "models")
    org = home / "models" / "organisation.csv"
    org.write_text(
        org.read_text("utf-8").replace("Helse Møre og Romsdal", "Helse Testfjord"), "utf-8"
    )
    pub = home / "models" / "published_tabell1.csv"
    pub.write_text(pub.read_text("utf-8").replace("709769", "709770"), "utf-8")
    monkeypatch.setenv("HMN_BYGG_HOME", str(home))
    after = organisation_lookup("hf")
    assert "helse testfjord" in after and "helse testfjord" not in before
    if "709769" in (paths.PACKAGE_DIR.parent / "models" / "published_tabell1.csv").read_text():
        assert summary.published_tabell1().loc["total", "floor_area_m2"] == 709770
    assert not tabell1.empty
