"""``hmn-bygg register check`` and the register format documentation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hmn_bygg.cli import app, main
from hmn_bygg.core import paths
from hmn_bygg.core.errors import InputError
from hmn_bygg.register.load import format_table_markdown, render_readme_tables
from hmn_bygg.register.model import columns_table
from tests.harness.deadline import deadline_s

FIXTURES = Path(__file__).parent / "fixtures" / "register"
HMN_BYGG = Path(sys.executable).parent / "hmn-bygg"
README = paths.project_root() / "data" / "building_register" / "README.md"


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(HMN_BYGG), "register", "check", *args],
        capture_output=True,
        text=True,
        timeout=deadline_s(),
    )


def _main(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """Run ``hmn-bygg register check ARGS`` in this process, through ``cli.main``."""
    monkeypatch.setattr(sys, "argv", ["hmn-bygg", "register", "check", *args])
    with pytest.raises(SystemExit) as done:
        main()
        sys.exit(0)
    out = capsys.readouterr()
    return done.value.code, out.out, out.err


def test_cli_in_a_real_process(tmp_path):
    done = _run(str(FIXTURES / "basic"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("OK: 3 bygg, 18 delrader (tilstandsgrad per del)")
    broken = tmp_path / "b.csv"
    broken.write_text("Bygningsnr;Navn;HF;Lokasjon;BTA;Byggeår;TG\nA;a;HMR;M;0;2999;5\n")
    done = _run(str(broken), "--lang", "en")
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    assert "3 problems" in done.stderr
    assert f"{broken}, row 2, column 'BTA': not positive" in done.stderr
    assert "column 'Byggeår': year in the future" in done.stderr


def test_cli_says_when_grades_are_per_building(monkeypatch, capsys):
    code, out, _ = _main(monkeypatch, capsys, str(FIXTURES / "overall_grade" / "buildings.csv"))
    assert code == 0
    assert "OK: 2 bygg, 0 delrader (én samlet tilstandsgrad per bygg" in out
    path = str(FIXTURES / "overall_grade" / "buildings.csv")
    code, out, _ = _main(monkeypatch, capsys, path, "--lang", "en")
    assert code == 0
    assert "OK: 2 buildings, 0 part rows (one overall grade per building" in out


def test_cli_mapping_option(monkeypatch, capsys):
    export = str(FIXTURES / "mapped" / "export.csv")
    code, out, err = _main(monkeypatch, capsys, export)
    assert code == 1 and "mangler obligatorisk kolonne 'floor_area'" in err  # bokmål default
    code, out, err = _main(monkeypatch, capsys, export, "--lang", "en")
    assert code == 1 and "missing required column 'floor_area'" in err
    code, out, err = _main(
        monkeypatch, capsys, export, "--mapping", str(FIXTURES / "mapped" / "mapping.yaml")
    )
    assert code == 0, err
    assert "OK: 2 bygg" in out and "Merk: " in out and "Merknad" in out  # bokmål default
    missing = str(FIXTURES / "mapped" / "missing.yaml")
    code, out, err = _main(monkeypatch, capsys, export, "--mapping", missing, "--lang", "en")
    assert code == 1 and "mapping file not found" in err and "Traceback" not in err


def test_cli_runner_in_process():
    runner = CliRunner()
    ok = runner.invoke(app, ["register", "check", *map(str, (FIXTURES / "norsk").iterdir())])
    assert ok.exit_code == 0, ok.output
    assert "OK: 3 bygg, 18 delrader" in ok.output
    bad = runner.invoke(app, ["register", "check", str(FIXTURES / "norsk" / "nope.csv")])
    assert bad.exit_code == 1
    assert isinstance(bad.exception, InputError)  # cli.main prints it and exits 1


# -- documentation -----------------------------------------------------------------------------


@pytest.mark.parametrize("table", ["buildings", "parts"])
def test_format_table_markdown_lists_every_column(table):
    text = format_table_markdown(table)
    names = columns_table().query("table == @table")["name"]
    assert len(text.splitlines()) == 2 + len(names)
    for name in names:
        assert f"| `{name}` |" in text
    if table == "buildings":
        assert "| `floor_area` | `BTA`, `Areal`" in text
        assert "| > 0 |" in text and "from 1800 to this year" in text


def test_readme_tables_are_generated_from_the_column_table():
    text = README.read_text(encoding="utf-8")
    for table in ("buildings", "parts"):
        assert format_table_markdown(table) in text
    assert render_readme_tables(text) == text, (
        'README column tables are stale; regenerate with: .venv/bin/python -c "from pathlib '
        "import Path; from hmn_bygg.register.load import render_readme_tables as r; "
        "p = Path('data/building_register/README.md'); p.write_text(r(p.read_text()))\""
    )


def test_readme_says_the_bundled_register_is_synthetic():
    head = README.read_text(encoding="utf-8")[:1500]
    assert "SYNTHETIC" in head and "PROVENANCE.md" in head
    assert "hmn-bygg register synthesize" in head and "Tabell 1" in head
