"""Generated sections of the documentation in ``docs/``: they come from running the code.

A generated section sits between two markers in a Markdown file::

    <!-- BEGIN generated:parameters -->
    ...written by build_docs...
    <!-- END generated:parameters -->

Everything outside the markers is hand-written and kept. :func:`build_docs` (the command
``hmn-bygg docs build``) rewrites the sections; :func:`stale_docs` lists files whose
committed text differs from what the generator would write now (a test asserts it is empty,
so the docs cannot drift from the code).

Sections
--------
- ``parameters`` (docs/parameters.md): every dotted key of the base model with value, unit,
  source and description (:func:`hmn_bygg.config.valid_keys`, :func:`~hmn_bygg.config.resolve_key`),
  and the bundled scenarios' overrides;
- ``cli`` (docs/cli.md): every command of ``hmn-bygg`` with its usage and options, from the
  typer app;
- ``formulas`` (docs/model.md): the module docstrings and the ``Notes`` of the model modules;
- ``results`` (docs/model.md): key figures of the bundled scenarios;
- ``register`` (docs/data.md): the bundled register per HF against the published Tabell 1.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import Any

from hmn_bygg.cli.docs_cli_ref import render_cli
from hmn_bygg.cli.docs_readme import render_benchmarks, render_scenario_overview
from hmn_bygg.cli.docs_results import render_register, render_results
from hmn_bygg.cli.docs_validation import render_plan_vs_outcome, render_validation
from hmn_bygg.cli.rst_markdown import inline_markdown, numpydoc_section, rst_to_markdown
from hmn_bygg.core import paths
from hmn_bygg.core.io import write_atomic

__all__ = [
    "GENERATORS",
    "build_docs",
    "render_cli",
    "render_formulas",
    "render_parameters",
    "render_register",
    "render_results",
    "stale_docs",
    "update_sections",
]

MODEL_MODULES = (
    "condition.wear",
    "condition.maintenance",
    "condition.waterfill",
    "condition.ceiling",
    "condition.grade_sums",
    "condition.year_kernel",
    "condition.lane_kernel",
    "condition.in_service",
    "register.weighting",
    "stock.portfolio",
    "stock.disposals",
    "finance.loans",
    "finance.by_age",
    "finance.depreciation",
    "finance.cash",
    "finance.cash_identity",
    "finance.capacity",
    "finance.ltb",
    "condition.simulate",
)
"""Modules whose docstrings document the model's formulas (each must exist)."""


# --- reStructuredText (numpydoc) -> Markdown ----------------------------------------------


# --- sections -----------------------------------------------------------------------------


def _cell(value: Any) -> str:
    text = _format_value(value)
    return text.replace("|", "\\|").replace("\n", " ")


def _format_value(value: Any) -> str:
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {_format_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_format_value(v) for v in value) + "]"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "model_dump"):
        return _format_value({k: v for k, v in value.model_dump().items() if v is not None})
    return str(value)


def render_parameters() -> str:
    """Return the parameter reference: every dotted key of the base model, then the scenarios.

    Returns
    -------
    str
        Markdown: one table per section (key, value, unit, source, description) and a table
        of the bundled scenarios with their overrides.
    """
    import yaml

    from hmn_bygg.config import default_model_path, key_index, load_model, resolve_key

    model = load_model()
    index = key_index()
    out: list[str] = []
    section = None
    for key, info in index.items():
        if info.kind == "entry":
            continue
        top = key.split(".")[0]
        if top != section:
            section = top
            out += ["", f"### `{top}`", ""]
            out += ["| key | value | unit | source | description |", "|---|---|---|---|---|"]
        r = resolve_key(model, key)
        unit = r.unit if r.unit is not None else "(setting)"
        rel = key.removeprefix(top + ".")
        out.append(
            f"| `{rel}` | {_cell(r.value)} | {_cell(unit)} | {_cell(r.source or '')} | "
            f"{_cell(inline_markdown(r.description))} |"
        )
    scen_path = default_model_path().parent / "scenarios.yaml"
    data = yaml.safe_load(scen_path.read_text(encoding="utf-8")) or {}
    overrides = data.get("overrides") or {}
    out += ["", "### Bundled scenarios (`models/scenarios.yaml`)", ""]
    out += ["| scenario | overrides | changes |", "|---|---|---|"]
    for name, onames in (data.get("scenarios") or {}).items():
        changes = "; ".join(
            f"`{k}`: {_cell(v)}" for o in onames or [] for k, v in (overrides.get(o) or {}).items()
        )
        out.append(f"| `{name}` | {', '.join(onames or []) or '(base model)'} | {changes} |")
    return "\n".join(out).strip()


def render_formulas() -> str:
    """Return the formulas of the model: module docstrings and the ``Notes`` of functions.

    Returns
    -------
    str
        Markdown, one heading per module of :data:`MODEL_MODULES` that exists, and below it
        the public functions that document a formula.
    """
    out: list[str] = []
    for short in MODEL_MODULES:
        name = f"hmn_bygg.{short}"
        module = importlib.import_module(name)
        out += ["", f"### `{name}`", "", rst_to_markdown(inspect.getdoc(module) or "")]
        for fname, func in inspect.getmembers(module, inspect.isfunction):
            if fname.startswith("_") or func.__module__ != name:
                continue
            doc = inspect.getdoc(func) or ""
            notes = numpydoc_section(doc, "Notes")
            if not notes:
                continue
            summary = doc.strip().splitlines()[0]
            out += ["", f"#### `{fname}`", "", inline_markdown(summary), "", rst_to_markdown(notes)]
    return "\n".join(out).strip()


GENERATORS: dict[str, dict[str, Callable[[], str]]] = {
    "docs/parameters.md": {"parameters": render_parameters},
    "docs/cli.md": {"cli": render_cli},
    "docs/model.md": {"formulas": render_formulas, "results": render_results},
    "docs/data.md": {"register": render_register},
    "docs/validation.md": {
        "validation": render_validation,
        "plan_vs_outcome": render_plan_vs_outcome,
    },
    "README.md": {"scenarios": render_scenario_overview, "benchmarks": render_benchmarks},
}
"""Generated sections by file (relative to the project root) and section name."""


def _markers(name: str) -> tuple[str, str]:
    return f"<!-- BEGIN generated:{name} -->", f"<!-- END generated:{name} -->"


def update_sections(text: str, sections: Mapping[str, str], file: str = "docs") -> str:
    """Replace the generated sections of a Markdown text.

    Parameters
    ----------
    text : str
        The file's text.
    sections : mapping of str to str
        Section name -> new content.
    file : str
        Name for error messages.

    Returns
    -------
    str
        The text with each section's content between its markers replaced.

    Raises
    ------
    ValueError
        When a file lacks the markers of a section.

    Examples
    --------
    >>> update_sections("a\\n<!-- BEGIN generated:x -->\\nold\\n<!-- END generated:x -->\\n",
    ...                 {"x": "new"})
    'a\\n<!-- BEGIN generated:x -->\\nnew\\n<!-- END generated:x -->\\n'
    """
    for name, content in sections.items():
        begin, end = _markers(name)
        if begin not in text or end not in text:
            raise ValueError(f"{file} lacks the markers {begin} ... {end}")
        head, rest = text.split(begin, 1)
        _, tail = rest.split(end, 1)
        text = f"{head}{begin}\n{content.strip()}\n{end}{tail}"
    return text


def _expected(root: Path) -> dict[Path, tuple[str, str]]:
    out = {}
    for rel, gens in GENERATORS.items():
        path = root / rel
        old = path.read_text(encoding="utf-8")
        new = update_sections(old, {name: gen() for name, gen in gens.items()}, rel)
        out[path] = (old, new)
    return out


def stale_docs(root: str | Path | None = None) -> list[Path]:
    """Return the docs files whose generated sections differ from what the code gives now."""
    base = Path(root) if root is not None else paths.project_root()
    return [path for path, (old, new) in _expected(base).items() if old != new]


def build_docs(root: str | Path | None = None) -> list[Path]:
    """Regenerate every generated section in ``docs/`` (atomically); return changed files.

    Parameters
    ----------
    root : str or Path, optional
        Project root (default :func:`hmn_bygg.core.paths.project_root`).

    Returns
    -------
    list of pathlib.Path
        Files that changed.
    """
    base = Path(root) if root is not None else paths.project_root()
    changed = []
    for path, (old, new) in _expected(base).items():
        if old != new:
            write_atomic(path, partial(Path.write_text, data=new, encoding="utf-8"))
            changed.append(path)
    return changed
