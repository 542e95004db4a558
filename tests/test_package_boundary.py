"""The installed package never reaches into the tests: the browser harness lives in tests/."""

from __future__ import annotations

import ast
from pathlib import Path

import hmn_bygg

PACKAGE = Path(hmn_bygg.__file__).resolve().parent


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_module_of_the_package_imports_the_tests_or_their_harness():
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(
            m for m in _imported_modules(path) if m.split(".")[0] == "tests" or "harness" in m
        )
        for path in sorted(PACKAGE.rglob("*.py"))
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_harness_is_not_in_the_package():
    assert not (PACKAGE / "dashboard" / "harness").exists()
    assert (Path(__file__).parent / "harness" / "__init__.py").is_file()
