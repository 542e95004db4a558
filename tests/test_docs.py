"""The generated parts of docs/ equal what the code produces now (they cannot drift)."""

from __future__ import annotations

import pytest

from hmn_bygg.cli.docs_gen import (
    GENERATORS,
    render_cli,
    render_parameters,
    stale_docs,
    update_sections,
)
from hmn_bygg.cli.rst_markdown import rst_to_markdown
from hmn_bygg.core.paths import project_root


@pytest.mark.slow
def test_committed_docs_are_up_to_date() -> None:
    stale = stale_docs()
    assert not stale, f"run 'hmn-bygg docs build': out of date: {[p.name for p in stale]}"


def test_every_docs_file_has_its_markers() -> None:
    for rel, sections in GENERATORS.items():
        text = (project_root() / rel).read_text(encoding="utf-8")
        for name in sections:
            assert f"<!-- BEGIN generated:{name} -->" in text, rel
            assert f"<!-- END generated:{name} -->" in text, rel


def test_parameters_cover_every_key_with_unit_and_source() -> None:
    text = render_parameters()
    assert "| `budget_mnok` | {HMR: 100, HNT: 40, STO: 140} | MNOK/year |" in text
    assert "### `finance`" in text and "`state_loan.rate`" in text
    assert "| `catch_up` | maintenance_catch_up |" in text


def test_cli_reference_lists_the_commands() -> None:
    text = render_cli()
    for command in ("hmn-bygg run", "hmn-bygg export", "hmn-bygg template", "hmn-bygg docs build"):
        assert f"### `{command}`" in text
    assert "`--xlsx <path>`" in text


def test_rst_math_becomes_markdown() -> None:
    text = rst_to_markdown("Title\n-----\n\nTerm\n    body ``x``\n\n.. math:: a &= b \\\\ c &= d\n")
    assert "**Title**" in text and "- **Term**: body `x`" in text
    assert "```math\n\\begin{aligned}" in text


def test_update_sections_needs_markers() -> None:
    with pytest.raises(ValueError, match="lacks the markers"):
        update_sections("no markers", {"x": "y"}, "f.md")


def test_benchmark_verdict_names_every_target_missed() -> None:
    from hmn_bygg.cli.docs_readme import _verdict

    targets = {"meets_a": "5 s", "meets_b": "15 × the floor"}
    assert _verdict({"meets_a": True, "meets_b": True}, targets) == "yes"
    assert _verdict({"meets_a": True, "meets_b": False}, targets) == "**no**: 15 × the floor"
    assert _verdict({"meets_a": True}, targets) == "–"  # a target the file does not record
    assert _verdict({"meets": False}, "meets") == "**no**"
    assert _verdict({}, None) == "–"
