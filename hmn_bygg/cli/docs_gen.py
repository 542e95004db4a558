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
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from pathlib import Path
from typing import Any

from hmn_bygg.cli.docs_readme import render_benchmarks, render_scenario_overview
from hmn_bygg.cli.rst_markdown import inline_markdown, numpydoc_section, rst_to_markdown
from hmn_bygg.core import paths
from hmn_bygg.core.fmt import fmt_number
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
    "condition.grade_sums",
    "register.weighting",
    "stock.portfolio",
    "finance.loans",
    "finance.cash",
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


def _option_rows(command: Any, ctx: Any) -> list[str]:
    """One table row per argument and option: how to write it, and its help (with default)."""
    rows = []
    for param in command.get_params(ctx):
        if param.name == "help":
            continue
        if param.param_type_name == "argument":
            how = (param.name or "").upper()
            text = getattr(param, "help", None) or ""
            if not param.required:
                how = f"[{how}]"
        else:
            record = param.get_help_record(ctx)
            if record is None:
                continue
            how, text = record
        if param.required and param.param_type_name == "argument":
            text = f"{text} [required]"
        text = " ".join(text.split()).replace("|", "\\|")
        rows.append(f"| `{how}` | {text} |")
    return rows


def _is_group(command: Any) -> bool:
    return hasattr(command, "list_commands")  # click's Group, or the copy typer may vendor


def _walk_commands(command: Any, ctx: Any, path: list[str]) -> Iterable[tuple[list[str], Any, Any]]:
    yield path, command, ctx
    if _is_group(command):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is None or getattr(sub, "hidden", False):
                continue
            sub_ctx = sub.context_class(sub, info_name=name, parent=ctx)
            yield from _walk_commands(sub, sub_ctx, [*path, name])


def render_cli() -> str:
    """Return the CLI reference: every command of ``hmn-bygg`` with usage and options.

    Returns
    -------
    str
        Markdown, one heading per command (``hmn-bygg solve budget``), from the typer app's
        own help texts.
    """
    import typer

    from hmn_bygg.cli import app

    root = typer.main.get_command(app)
    ctx = root.context_class(root, info_name="hmn-bygg")
    out: list[str] = []
    for path, command, cctx in _walk_commands(root, ctx, ["hmn-bygg"]):
        title = " ".join(path)
        out += ["", f"### `{title}`", ""]
        help_text = inspect.cleandoc(command.help or "")
        if help_text:
            out += [help_text.replace("\b\n", ""), ""]
        if _is_group(command):
            subs = list(command.list_commands(cctx))
            out += ["Commands: " + ", ".join(f"`{n}`" for n in subs), ""]
            continue
        usage = " ".join(command.collect_usage_pieces(cctx)).replace("{", "").replace("}", "")
        out += ["```", f"{title} {usage}".rstrip(), "```", ""]
        rows = _option_rows(command, cctx)
        if rows:
            out += ["| argument / option | help |", "|---|---|", *rows]
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


def render_results() -> str:
    """Return key figures of the bundled scenarios (region) in selected years.

    Returns
    -------
    str
        Markdown table: scenario, year, VTTG, upgrade need [MNOK], maintenance spent [MNOK],
        floor area [m²] for the region, computed by :func:`hmn_bygg.engine.run.run`.
    """
    from hmn_bygg.engine.run import run
    from hmn_bygg.report.tables import REGION, scenario_table

    ds = run()
    table = scenario_table(ds)
    table = table[table["entity"] == REGION]
    out = [
        f"Price basis: {ds.attrs.get('price_basis')}. Region = all three HFs.",
        "",
        "| scenario | year | VTTG | upgrade need MNOK | maintenance MNOK | area m² |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in table.itertuples():
        out.append(
            f"| `{row.scenario}` | {row.year} | {fmt_number(row.vttg, 2, 'en')} | "
            f"{fmt_number(row.upgrade_need, 0, 'en')} | "
            f"{fmt_number(row.maintenance_spend, 0, 'en')} | {fmt_number(row.area, 0, 'en')} |"
        )
    return "\n".join(out)


def render_register() -> str:
    """Return the bundled register per HF against the published Tabell 1, with discrepancies.

    Returns
    -------
    str
        Markdown table from :func:`hmn_bygg.register.summary.register_summary` of the bundled
        register,
        and the inconsistencies of the published table (:func:`published_discrepancies`).
    """
    from hmn_bygg.register.load import load_register
    from hmn_bygg.register.summary import (
        published_discrepancies,
        published_tabell1,
        register_summary,
    )

    summary = register_summary(load_register())
    published = published_tabell1()
    out = [
        "| HF | buildings | floor area m² | weighted age (yr) | VTTG (area-weighted) | "
        "published VTTG |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for hf, row in summary.iterrows():
        pub = published["grade"].get(hf) if "grade" in published else None
        out.append(
            f"| {hf} | {int(row['buildings'])} | {fmt_number(row['floor_area_m2'], 0, 'en')} | "
            f"{fmt_number(row['weighted_age_years'], 1, 'en')} | "
            f"{fmt_number(row['grade'], 3, 'en')} | {fmt_number(pub, 2, 'en')} |"
        )
    out += ["", "Inconsistencies in the published table (as the toolkit reports them):", ""]
    out += [f"- {text}" for text in published_discrepancies()]
    return "\n".join(out)


GENERATORS: dict[str, dict[str, Callable[[], str]]] = {
    "docs/parameters.md": {"parameters": render_parameters},
    "docs/cli.md": {"cli": render_cli},
    "docs/model.md": {"formulas": render_formulas, "results": render_results},
    "docs/data.md": {"register": render_register},
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
