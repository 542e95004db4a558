"""Reading model and scenario YAML safely, with the line of every key.

:func:`read_yaml` refuses what :mod:`hmn_bygg.core.limits` refuses (too large, too deep, too
many nodes through aliases, Python-object tags) and returns the data with a map from each
dotted key to its line (the line of its value when a plain value is written below its key), so
that every later problem can name the line it is written on.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from hmn_bygg.core.errors import Problem
from hmn_bygg.core.limits import (
    LIMITS,
    YAML_LOADER,
    Limits,
    file_size_problem,
    yaml_expansion_problem,
    yaml_too_deep,
)
from hmn_bygg.core.messages import Msg
from hmn_bygg.core.paths import models_dir, not_a_file

Lines = dict[tuple[str, ...], int]
PathLike = str | os.PathLike[str]


def default_model_path() -> Path:
    """Return the bundled base model, ``models/hmn.yaml``."""
    return models_dir() / "hmn.yaml"


def display_name(path: Path) -> str:
    """Return ``path`` as a user wrote it: relative to the working folder where possible."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


_MERGE_TAG = "tag:yaml.org,2002:merge"


def _merged_sources(node: Any) -> list[Any]:
    """The mappings a merge key (``<<: *base`` or ``<<: [*a, *b]``) brings in, first wins."""
    if isinstance(node, yaml.MappingNode):
        return [node]
    if isinstance(node, yaml.SequenceNode):
        return [n for n in node.value if isinstance(n, yaml.MappingNode)]
    return []


def _line(key_node: Any, value_node: Any) -> int:
    """Line (1-based) a problem of this key points at: a plain value's own line, else the key's.

    A value written on a later line than its key (``value:`` and the number below it) is
    where a wrong value is to be fixed; a mapping or list is found by its key, and its own
    entries carry their own lines.
    """
    node = value_node if isinstance(value_node, yaml.ScalarNode) else key_node
    return int(node.start_mark.line) + 1


def _key_lines(
    node: Any, prefix: tuple[str, ...], lines: Lines, dups: list, merged: bool = False
) -> None:
    """Record the line of every key path; collect keys written twice in one mapping.

    Merge keys work as YAML defines them: the keys written in the mapping come first and may
    override keys brought in by ``<<``; only a key written twice by hand is a duplicate.
    Keys brought in keep the line of the anchored mapping they are written in.
    """
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        sources = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                sources += _merged_sources(value_node)
                continue
            key = str(key_node.value)
            path = (*prefix, key)
            if key in seen and not merged:
                dups.append((path, key_node.start_mark.line + 1))
            seen.add(key)
            lines.setdefault(path, _line(key_node, value_node))
            _key_lines(value_node, path, lines, dups, merged)
        for source in sources:
            for key_node, value_node in source.value:
                key = str(key_node.value)
                if key_node.tag == _MERGE_TAG or key in seen:
                    continue
                seen.add(key)
                lines.setdefault((*prefix, key), _line(key_node, value_node))
                _key_lines(value_node, (*prefix, key), lines, dups, True)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[(*prefix, str(i))] = item.start_mark.line + 1
            _key_lines(item, (*prefix, str(i)), lines, dups, merged)


def line_of(lines: Lines, path: Sequence[str]) -> int | None:
    """Line (1-based) of the deepest key of ``path`` found in the file, or ``None``."""
    path = tuple(path)
    for end in range(len(path), 0, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


def _decode(data: bytes, name: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 (BOM optional) or UTF-16 with a BOM; else a Problem naming the line."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), []
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as err:
        row = data[: err.start].count(b"\n") + 1
        found = " ".join(f"0x{b:02X}" for b in data[err.start : err.start + 4])
        utf8 = Msg("config.utf8")
        return None, [Problem(name, Msg("config.not_utf8"), row=row, expected=utf8, found=found)]


def _parse(text: str, name: str, limits: Limits) -> tuple[Any, Lines, list[Problem]]:
    deep = yaml_too_deep(text, limits)
    if deep is not None:
        msg = Msg("config.too_deep", n=limits.max_yaml_depth)
        return None, {}, [Problem(name, msg, row=deep, expected=Msg("config.flatter_file"))]
    loader = YAML_LOADER(text)
    lines: Lines = {}
    dups: list[tuple[tuple[str, ...], int]] = []
    try:
        node = loader.get_single_node()
        why = yaml_expansion_problem(node, limits) if node is not None else None
        if why is not None:
            problem = Problem(
                name,
                Msg("config.refused", why=why),
                expected=Msg("config.no_alias_bombs"),
                found=why,
            )
            return None, {}, [problem]
        if node is not None:  # before construction, which flattens merge keys in place
            _key_lines(node, (), lines, dups)
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    twice = Msg("config.key_twice")
    problems = [Problem(name, twice, row=row, column=".".join(p)) for p, row in dups]
    return data, lines, problems


def read_yaml(path: Path, limits: Limits = LIMITS) -> tuple[Any, Lines, list[Problem]]:
    """Read a YAML file safely, with the line of every key.

    Parameters
    ----------
    path : pathlib.Path
        The file.
    limits : hmn_bygg.core.limits.Limits
        Size, nesting depth and alias-expansion limits.

    Returns
    -------
    (data, lines, problems)
        The parsed data (``None`` on problems), ``{key path: line}``, and problems: a missing
        or too large file, text that is not UTF-8, a syntax error (with its line), a tag
        that would build a Python object, an alias bomb or too deep nesting, or a key given
        twice in one mapping.
    """
    name = display_name(path)
    if not path.is_file():
        return None, {}, [not_a_file(path, name, Msg("config.what_a_yaml_file"))]
    too_large = file_size_problem(path, limits.max_yaml_bytes, Msg("config.what_a_model_file"))
    if too_large is not None:
        return None, {}, [replace(too_large, file=name)]
    with path.open("rb") as f:  # read-only
        text, problems = _decode(f.read(), name)
    if text is None:
        return None, {}, problems
    try:
        data, lines, problems = _parse(text, name, limits)
    except yaml.constructor.ConstructorError as err:
        mark = err.problem_mark
        what = (err.problem or str(err)).split(" for the tag ")[-1]
        return (
            None,
            {},
            [
                Problem(
                    name,
                    Msg("config.yaml_tag"),
                    row=mark.line + 1 if mark is not None else None,
                    expected=Msg("config.yaml_tag_expected"),
                    found=what,
                )
            ],
        )
    except yaml.reader.ReaderError as err:  # a control character such as NUL
        row = text[: err.position].count("\n") + 1
        found = f"0x{err.character:02X}" if isinstance(err.character, int) else None
        msg = Msg("config.control_character")
        plain = Msg("config.plain_text")
        return None, {}, [Problem(name, msg, row=row, expected=plain, found=found)]
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        what = getattr(err, "problem", None) or str(err)
        return None, {}, [Problem(name, Msg("config.yaml_syntax"), row=line, found=what)]
    if problems:
        return None, {}, problems
    return data, lines, []
