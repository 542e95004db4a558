"""The package's import graph: imports flow one way through the stages, with no circles.

Each module belongs to a stage (its top-level subpackage). A module may import from its own
stage or from an earlier one, never from a later one, and two stages of the same rank (risk
and solve) do not import each other. Imports inside functions count too: a lazy import of a
later stage is still a dependency on it. The graph is read from the source with :mod:`ast`,
so the test sees what the code says, not what happened to be imported.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "hmn_bygg"
# stage -> rank, in the order the data flows (docs/architecture.md)
STAGES = {
    "core": 0,
    "config": 1,
    "register": 2,
    "excel": 3,
    "stock": 4,
    "condition": 5,
    "finance": 6,
    "engine": 7,
    "risk": 8,
    "solve": 8,
    "report": 9,
    "dashboard": 10,
    "cli": 11,
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULE_NAMES = {module_name(p) for p in PACKAGE.rglob("*.py")}


def imports_of(path: Path) -> set[str]:
    """Every ``hmn_bygg`` module or package that ``path`` imports, at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = module_name(path).split(".")
    if path.name != "__init__.py":
        here = here[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("hmn_bygg"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.startswith("hmn_bygg"):
                # ``from pkg import sub`` depends on the submodule; ``from mod import f`` on mod
                for a in node.names:
                    sub = f"{target}.{a.name}"
                    found.add(sub if sub in MODULE_NAMES else target)
    return found


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def graph() -> dict[str, set[str]]:
    """Module -> the package modules it imports (names that are not modules are dropped)."""
    return {m: {d for d in imports_of(p) if d in MODULES and d != m} for m, p in MODULES.items()}


def stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def test_every_module_belongs_to_a_stage():
    loose = [m for m in MODULES if m != "hmn_bygg" and stage(m) not in STAGES]
    assert loose == [], f"modules outside the stage packages {sorted(STAGES)}: {loose}"


def test_imports_flow_from_earlier_stages_only():
    wrong = []
    for m, deps in graph().items():
        if stage(m) is None:  # hmn_bygg/__init__.py imports nothing of its own
            assert deps == set(), deps
            continue
        for d in deps:
            s, t = stage(m), stage(d)
            if t is None or s == t:
                continue
            if STAGES[t] >= STAGES[s]:
                wrong.append(f"{m} ({s}) imports {d} ({t})")
    assert wrong == [], "imports against the flow:\n" + "\n".join(sorted(wrong))


def find_cycle(g: dict[str, set[str]]) -> list[str] | None:
    """Return one import circle in ``g`` as a list of modules, or None."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(u: str) -> list[str] | None:
        state[u] = 1
        path.append(u)
        for v in sorted(g.get(u, ())):
            if state.get(v) == 1:
                return [*path[path.index(v) :], v]
            if v not in state and (c := visit(v)):
                return c
        path.pop()
        state[u] = 2
        return None

    for u in sorted(g):
        if u not in state and (c := visit(u)):
            return c
    return None


def test_no_import_circles():
    cycle = find_cycle(graph())
    assert cycle is None, " -> ".join(cycle or [])


def test_the_cycle_finder_finds_a_planted_circle():
    g = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(g) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("name", sorted(n for n in STAGES))
def test_each_stage_says_what_comes_in_and_what_goes_out(name):
    init = PACKAGE / name / "__init__.py"
    doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
    assert len(doc) > 80, f"{init} needs a docstring: what comes in, what goes out"


MAX_LINES = 400
"""A module longer than this holds more than one idea: split it (issue "One pipeline")."""


def test_no_module_is_too_long():
    long = {m: n for m, p in MODULES.items() if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert long == {}, long
