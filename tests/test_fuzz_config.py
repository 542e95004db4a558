"""Fuzzing the model and scenario readers: a valid model, or an InputError naming the file.

Model files are made from the tiny fixture model, changed at a random place (wrong types,
unknown and non-string keys, deleted keys, ``.nan``/``.inf``, huge numbers, deep nesting) and
then perhaps damaged as text (cut short, tabs, NUL, Latin-1, ``!!python`` tags, alias bombs).
Scenario files set random valid dotted keys to random values. The properties: every file loads
to a model whose numbers are all finite and whose register lies inside the project, or is
refused with :class:`~hmn_bygg.core.errors.InputError` whose problems name the file; never another
exception, never a hang.

The nastiest cases are kept in ``tests/corpus/config`` with their outcomes in ``CONFIG_CASES``.
Also here: safety of the package source (no pickle, no unsafe YAML loaders).
"""

from __future__ import annotations

import math
import os
import random
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hmn_bygg.config import Model, load_model, load_scenarios, valid_keys
from hmn_bygg.config.register_roots import DATA_ROOTS_ENV, allowed_roots, checked_register_paths
from hmn_bygg.core.errors import InputError

HERE = Path(__file__).parent
CORPUS = HERE / "corpus" / "config"
FIXTURE = HERE / "fixtures" / "config" / "model.yaml"
PACKAGE = HERE.parent / "hmn_bygg"
SCALE = float(os.environ.get("HMN_BYGG_FUZZ_SCALE", "1"))
"""Multiplies the number of examples, e.g. ``HMN_BYGG_FUZZ_SCALE=50`` for a long hunt."""
# An example reads one file in milliseconds; the deadline (hypothesis: per example, once it
# has finished) only catches a pathological one (an alias bomb), so it is generous: a loaded
# machine that makes an ordinary example a hundred times slower must not fail the test.
FUZZ = settings(
    max_examples=int(80 * SCALE), deadline=20_000, suppress_health_check=[HealthCheck.too_slow]
)

values = st.one_of(
    st.integers(-(10**30), 10**30),
    st.just(10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([float("nan"), float("inf"), -float("inf"), "nan", "inf", "1e309", ".nan"]),
    st.text(max_size=12),
    st.booleans(),
    st.none(),
    st.lists(st.integers(0, 5), max_size=3),
    st.dictionaries(st.sampled_from(["value", "unit", "source", "x", 2, 2020]), st.integers()),
)


def leaves(node: Any, path: tuple = ()) -> list[tuple]:
    """Every path into nested mappings (mappings themselves included)."""
    out = [path]
    if isinstance(node, dict):
        for k, v in node.items():
            out += leaves(v, (*path, k))
    return out


def mutate(data: dict, path: tuple, how: str, value: Any) -> dict:
    """Change the data at ``path``: set a value, delete, add an unknown or non-string key."""
    if not path:
        return data
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    if how == "set":
        parent[last] = value
    elif how == "delete":
        del parent[last]
    elif how == "unknown_key":
        parent[f"{last}_x"] = value
    elif how == "int_key":
        parent[len(str(last))] = parent.pop(last)
    elif how == "nest":
        deep: Any = value
        for _ in range(60):
            deep = [deep]
        parent[last] = deep
    return data


BOMB = "a: &a [x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [{', '.join(['*' + p] * 8)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)


def damage(text: str, how: str, rnd: random.Random) -> bytes:
    """Damage YAML text in one of several ways (or leave it)."""
    at = rnd.randrange(len(text) + 1)
    if how == "none":
        return text.encode()
    if how == "truncate":
        return text.encode()[:at]
    if how == "tab":
        return (text[:at] + "\t" + text[at:]).encode()
    if how == "nul":
        return (text[:at] + "\x00" + text[at:]).encode()
    if how == "latin1":
        return (text[:at] + "Ø" + text[at:]).encode("latin-1", "replace")
    if how == "python_tag":
        return text.replace(": ", ": !!python/object/apply:os.system ['true'] #", 1).encode()
    if how == "bomb":
        return (BOMB + "model: *i\n").encode()
    if how == "alias":
        return ("x: &x {a: *x}\n" + text).encode()
    raise ValueError(how)


def check_model(model: Model) -> None:
    """What holds for every model that loads: finite numbers, a register inside the project."""
    stack: list[Any] = [model.model_dump()]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            stack += list(node.values())
        elif isinstance(node, list | tuple):
            stack += list(node)
        elif isinstance(node, float):
            assert math.isfinite(node)
    checked_register_paths(model)


def refused_naming(err: InputError, *files: Path) -> None:
    """Every problem names one of ``files``."""
    assert err.problems
    wanted = {f.resolve() for f in files}
    for problem in err.problems:
        assert Path(problem.file).resolve() in wanted, problem


@FUZZ
@given(
    where=st.integers(0, 10_000),
    how=st.sampled_from(["set", "set", "delete", "unknown_key", "int_key", "nest"]),
    value=values,
    text_damage=st.sampled_from(
        ["none"] * 4 + ["truncate", "tab", "nul", "latin1", "python_tag", "bomb", "alias"]
    ),
    seed=st.integers(0, 10_000),
)
def test_model_files_load_or_are_refused(where, how, value, text_damage, seed):
    data = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    paths = leaves(data)
    data = mutate(data, paths[where % len(paths)], how, value)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "models" / "model.yaml"
        path.parent.mkdir()
        path.write_bytes(damage(text, text_damage, random.Random(seed)))
        try:
            model = load_model(path)
        except InputError as err:
            refused_naming(err, path)
            return
    check_model(model)


override_values = st.one_of(
    values,
    st.fixed_dictionaries({"from": st.integers(1800, 2300), "value": values}),
    st.fixed_dictionaries({"value": values, "source": st.text(max_size=10)}),
)


@FUZZ
@given(
    overrides=st.dictionaries(
        st.sampled_from(valid_keys()) | st.text(max_size=8), override_values, max_size=3
    ),
    scenarios=st.lists(st.sampled_from(["o0", "o1", "zz"]), max_size=3),
)
def test_scenario_files_load_or_are_refused(overrides, scenarios):
    named = {f"o{i}": {k: v} for i, (k, v) in enumerate(overrides.items())}
    text = yaml.safe_dump({"overrides": named, "scenarios": {"s": scenarios, "base": []}})
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "models"
        folder.mkdir()
        model = folder / "model.yaml"
        model.write_bytes(FIXTURE.read_bytes())
        path = folder / "scenarios.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            result = load_scenarios(model, path)
        except InputError as err:
            refused_naming(err, path, model)
            return
    for m in result.values():
        check_model(m)


CONFIG_CASES = {
    "valid.yaml": None,
    "utf16_bom.yaml": None,
    "python_object.yaml": "YAML tag not allowed",
    "python_name.yaml": "YAML tag not allowed",
    "billion_laughs.yaml": "aliases expand to more than",
    "recursive_alias.yaml": "an alias refers to a mapping or list that contains it",
    "deep_nesting.yaml": "nested more than 50 levels deep",
    "nan_value.yaml": "not a finite number",
    "inf_value.yaml": "not a finite number",
    "nan_text.yaml": "value out of range",
    "huge_float.yaml": "not a finite number",
    "huge_int.yaml": "number too large",
    "tab_indent.yaml": "YAML syntax error",
    "latin1.yaml": "not UTF-8 text",
    "nul_byte.yaml": "a control character YAML does not allow",
    "non_string_key.yaml": "a key must be text",
    "unknown_key.yaml": "unknown key; did you mean 'model'?",
    "register_escape.yaml": "the register path leads outside the project",
    "register_absolute.yaml": "the register path leads outside the project",
    "empty.yaml": "a model file must be a mapping of sections",
    "truncated.yaml": "YAML syntax error",
    "list_not_mapping.yaml": "a model file must be a mapping of sections",
    "merge_key.yaml": None,
    "duplicate_key.yaml": "key given twice",
    "merge_key_duplicate.yaml": "key given twice",
}
"""Corpus file -> None (loads) or a text of the first problem."""


def test_corpus_is_complete():
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(CONFIG_CASES)


@pytest.mark.parametrize("case", sorted(CONFIG_CASES))
def test_corpus_case(case):
    path = CORPUS / case
    expected = CONFIG_CASES[case]
    if expected is None:
        check_model(load_model(path))
        return
    with pytest.raises(InputError) as caught:
        load_model(path)
    assert expected in str(caught.value.problems[0].message)
    refused_naming(caught.value, path)


def test_python_object_payload_is_refused_and_not_run(tmp_path):
    marker = tmp_path / "ran"
    path = tmp_path / "models" / "model.yaml"
    path.parent.mkdir()
    path.write_text(f"model: !!python/object/apply:os.system ['touch {marker}']\n")
    with pytest.raises(InputError) as caught:
        load_model(path)
    problem = caught.value.problems[0]
    assert "YAML tag not allowed" in str(problem.message) and problem.row == 1
    assert "python/object/apply:os.system" in (problem.found or "")
    assert not marker.exists()


def test_register_path_roots(tmp_path, monkeypatch):
    project = tmp_path / "project"
    (project / "models").mkdir(parents=True)
    data = tmp_path / "shared" / "register"
    data.mkdir(parents=True)
    path = project / "models" / "model.yaml"
    text = FIXTURE.read_text(encoding="utf-8")
    path.write_text(text.replace("  name: tiny", f"  name: tiny\n  register: {data}"))
    monkeypatch.delenv(DATA_ROOTS_ENV, raising=False)
    with pytest.raises(InputError) as caught:
        load_model(path)
    assert caught.value.problems[0].column == "model.register"
    assert load_model(path, allowed_roots=[data.parent]).register_paths() == [data]
    monkeypatch.setenv(DATA_ROOTS_ENV, str(data))
    model = load_model(path)
    assert allowed_roots(path) == [project, data]
    assert checked_register_paths(model) == [data]


def test_scenario_override_cannot_move_the_register_out(tmp_path):
    folder = tmp_path / "models"
    folder.mkdir()
    (folder / "model.yaml").write_bytes(FIXTURE.read_bytes())
    (folder / "scenarios.yaml").write_text(
        "overrides:\n  away: {model.register: /etc}\nscenarios:\n  s: [away]\n"
    )
    with pytest.raises(InputError) as caught:
        load_scenarios(folder / "model.yaml")
    problem = caught.value.problems[0]
    assert problem.column == "model.register" and problem.row == 2
    assert "override 'away'" in str(problem.message)


def _sources() -> list[tuple[Path, str]]:
    return [(p, p.read_text(encoding="utf-8")) for p in sorted(PACKAGE.rglob("*.py"))]


def test_no_pickle_in_the_package():
    pattern = re.compile(r"^\s*(import\s+(c?pickle|dill|shelve)|from\s+(c?pickle|dill|shelve)\s)")
    calls = re.compile(r"\b(c?pickle|dill|shelve)\.(loads?|open|Unpickler)\b")
    for path, text in _sources():
        for line in text.splitlines():
            assert not pattern.search(line), f"{path}: {line}"
            assert not calls.search(line), f"{path}: {line}"


def test_yaml_is_only_loaded_safely():
    unsafe = re.compile(
        r"yaml\.(unsafe_load|full_load|load_all)\(|yaml\.load\((?![^)]*Loader=[^)]*Safe)"
        r"|Loader=yaml\.(Unsafe|Full)?Loader\b|yaml\.(Unsafe|Full)?Loader\("
    )
    for path, text in _sources():
        for number, line in enumerate(text.splitlines(), start=1):
            assert not unsafe.search(line), f"{path}:{number}: {line}"
