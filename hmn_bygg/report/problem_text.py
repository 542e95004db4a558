"""Register-reading problems in the user's language: English as written, or bokmål.

The register reader writes every :class:`~hmn_bygg.core.errors.Problem` in English, often with
values inside (``"missing required column 'site' (buildings table)"``, ``"a year from 1800
to 2025"``). The dashboard speaks bokmål, so this module translates a problem when it is shown,
without touching the reader: the English texts stay what the CLI prints and tests check.

The approach
------------
All words live as data in ``hmn_bygg/report/problem_texts.yaml``: groups of entries, each an English
template and its bokmål template (the file's header explains the format). Each English template
is compiled into an anchored regular expression: the literal text is escaped and each
placeholder becomes a named group. ``{name}`` matches any text and is carried over unchanged
(a column name, a building id, what the file holds); ``{name:group}`` matches only what an
entry of ``group`` matches (the group's templates, joined as alternatives, are the
placeholder's pattern) and the captured text is translated through that group, so that
fragments such as the range in ``"a number from 0 to 3 [TG 0–3]"`` or the table name in
``"(buildings table)"`` are translated recursively. A group marked ``open`` (file names)
matches any text and translates only the texts its entries match.

A problem is rendered with the structure of :meth:`Problem.__str__ <hmn_bygg.core.errors.Problem>`
("file, rad 3, kolonne 'x': melding; forventet ..., fant '...'"). The message and the expected
text go through the catalogue; ``found`` is kept as the file holds it, except for the few texts
the reader writes there itself for a given message (``"0 bytes"``), which the message's entry
lists. A text no entry matches stays English, so nothing is ever lost;
:func:`untranslated` lists such texts, and the tests use it to require an entry for every
message the reader can produce.

Public API: :func:`problem_text`, :func:`title_text`, :func:`untranslated`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from hmn_bygg.core.errors import Problem

__all__ = ["CATALOGUE_PATH", "problem_text", "title_text", "untranslated"]

CATALOGUE_PATH = Path(__file__).resolve().parent / "problem_texts.yaml"
"""The English → bokmål catalogue of problem texts."""

_PLACEHOLDER = re.compile(r"\{(\w+)(?::(\w+))?\}")
_ANY = ".+?"
_LOOKED_UP = ("messages", "expected", "titles", "file")


@dataclass(frozen=True)
class _Entry:
    """One English template compiled to a pattern, with its bokmål template."""

    en: str
    nb: str
    pattern: re.Pattern[str]
    groups: dict[str, str | None]
    """Placeholder -> the group its text is translated through (None: kept as it is)."""
    found: tuple[_Entry, ...] = ()
    """Texts the reader writes in ``Problem.found`` with this message."""


@dataclass
class _Group:
    """A set of entries, or a pattern whose values are kept as they are."""

    entries: list[_Entry] = field(default_factory=list)
    open: bool = False
    pattern: str | None = None


def _literal_length(template: str) -> int:
    return len(_PLACEHOLDER.sub("", template))


class _Catalogue:
    """The catalogue compiled: groups of entries, each entry with its anchored pattern.

    Parameters
    ----------
    data : dict
        The catalogue file as loaded (group name -> list of entries, or a mapping with
        ``open`` and ``entries``, or a mapping with ``pattern``).
    source : str
        The file's name, for error messages.

    Raises
    ------
    ValueError
        For a malformed entry, a bokmål text that drops or adds a placeholder, a placeholder
        naming an unknown group, or groups whose patterns refer to each other in a circle.
    """

    def __init__(self, data: dict[str, Any], source: str) -> None:
        self.source = source
        self.groups: dict[str, _Group] = {}
        self._items: dict[str, list[dict[str, Any]]] = {}
        self._shapes: dict[str, str] = {}
        self._building: list[str] = []
        for name, spec in data.items():
            if isinstance(spec, dict) and "pattern" in spec:
                self.groups[name] = _Group(pattern=str(spec["pattern"]))
            elif isinstance(spec, dict | list):
                is_open = isinstance(spec, dict) and bool(spec.get("open", False))
                self.groups[name] = _Group(open=is_open)
            else:
                raise ValueError(f"{source}: group {name!r} must be a list or a mapping")
            items = (spec.get("entries") if isinstance(spec, dict) else spec) or []
            for item in items:
                if not isinstance(item, dict) or not {"en", "nb"} <= set(item):
                    raise ValueError(
                        f"{source}: group {name!r}: each entry needs 'en' and 'nb' texts, "
                        f"found {item!r}"
                    )
            self._items[name] = items
        for name, items in self._items.items():
            entries = [self._entry(name, item) for item in items]
            # the most literal text first: "at most {n} characters" before "at most {limit}"
            entries.sort(key=lambda e: -_literal_length(e.en))
            self.groups[name].entries = entries

    def _entry(self, group: str, item: Any) -> _Entry:
        where = f"{self.source}: group {group!r}"
        en, nb = str(item["en"]), str(item["nb"])
        kinds: dict[str, str | None] = {}
        for m in _PLACEHOLDER.finditer(en):
            name, kind = m.group(1), m.group(2)
            if name in kinds:
                raise ValueError(f"{where}: placeholder {{{name}}} twice in {en!r}")
            if kind is not None and kind not in self.groups:
                raise ValueError(f"{where}: {en!r} names an unknown group {kind!r}")
            kinds[name] = kind
        in_nb = [m.group(1) for m in _PLACEHOLDER.finditer(nb)]
        if any(m.group(2) for m in _PLACEHOLDER.finditer(nb)) or sorted(in_nb) != sorted(kinds):
            raise ValueError(
                f"{where}: {nb!r} must hold the placeholders of {en!r} once each, without groups"
            )
        found_items = item.get("found") or []
        if not all(isinstance(f, dict) and {"en", "nb"} <= set(f) for f in found_items):
            raise ValueError(f"{where}: each 'found' of {en!r} needs 'en' and 'nb' texts")
        found = tuple(self._entry(f"{group}.found", f) for f in found_items)
        pattern = re.compile(self._regex(en, named=True), re.DOTALL)
        return _Entry(en=en, nb=nb, pattern=pattern, groups=kinds, found=found)

    def _regex(self, template: str, *, named: bool) -> str:
        """Return the regular expression of a template (named groups for the top level)."""
        parts, at = [], 0
        for m in _PLACEHOLDER.finditer(template):
            parts.append(re.escape(template[at : m.start()]))
            shape = self.shape(m.group(2)) if m.group(2) else _ANY
            parts.append(f"(?P<{m.group(1)}>{shape})" if named else f"(?:{shape})")
            at = m.end()
        parts.append(re.escape(template[at:]))
        return "".join(parts)

    def shape(self, name: str) -> str:
        """Return the regular expression (no named groups) of the texts a group matches."""
        if name in self._shapes:
            return self._shapes[name]
        group = self.groups[name]
        if group.pattern is not None:
            shape = group.pattern
        elif group.open:
            shape = _ANY
        else:
            if name in self._building:
                cycle = " -> ".join([*self._building, name])
                raise ValueError(f"{self.source}: groups refer to each other: {cycle}")
            self._building.append(name)
            items = self._items[name]
            shape = "|".join(self._regex(str(i["en"]), named=False) for i in items)
            self._building.pop()
        self._shapes[name] = shape
        return shape

    def match(self, text: str, group: str) -> tuple[str, _Entry] | None:
        """Return a text translated through a group, with the entry used; None if none fits."""
        for entry in self.groups[group].entries:
            hit = entry.pattern.fullmatch(text)
            if hit is not None:
                return _fill(self, entry, hit), entry
        return None

    def translate(self, text: str, group: str) -> str:
        """Return a text translated through a group, or the text itself when nothing fits."""
        if self.groups[group].pattern is not None:
            return text
        hit = self.match(text, group)
        return text if hit is None else hit[0]


def _fill(catalogue: _Catalogue, entry: _Entry, hit: re.Match[str]) -> str:
    """Render an entry's bokmål template with the captured values (translated where typed)."""
    values = {
        name: value if kind is None else catalogue.translate(value, kind)
        for name, kind in entry.groups.items()
        for value in [hit.group(name)]
    }
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], entry.nb)


@cache
def _catalogue() -> _Catalogue:
    data = yaml.safe_load(CATALOGUE_PATH.read_text(encoding="utf-8"))
    missing = [g for g in _LOOKED_UP if not isinstance(data, dict) or g not in data]
    if missing:
        raise ValueError(f"{CATALOGUE_PATH.name}: no group {', '.join(missing)}")
    return _Catalogue(data, CATALOGUE_PATH.name)


def _check_lang(lang: str) -> None:
    if lang not in ("nb", "en"):
        raise ValueError(f"lang must be 'nb' or 'en', found {lang!r}")


def problem_text(problem: Problem, lang: str) -> str:
    """Return a problem as one line of text in English or bokmål.

    Parameters
    ----------
    problem : hmn_bygg.core.errors.Problem
        A problem from the register reader (or any other).
    lang : {"nb", "en"}
        Bokmål or English.

    Returns
    -------
    str
        For ``"en"`` exactly ``str(problem)``. For ``"nb"`` the same structure in bokmål,
        e.g. ``"bygg.csv, rad 2, kolonne 'floor_area': ikke positivt; forventet et tall > 0
        [m²], fant '-5'"``: message and expected text translated through the catalogue
        (English where it has no entry), column names and what the file holds as they are.

    Raises
    ------
    ValueError
        When ``lang`` is neither ``"nb"`` nor ``"en"``.
    """
    _check_lang(lang)
    if lang == "en":
        return str(problem)
    catalogue = _catalogue()
    where = catalogue.translate(problem.file, "file")
    if problem.row is not None:
        where += f", rad {problem.row}"
    if problem.column is not None:
        where += f", kolonne '{problem.column}'"
    hit = catalogue.match(str(problem.message), "messages")
    message, entry = (str(problem.message), None) if hit is None else hit
    text = f"{where}: {message}"
    if problem.expected is not None:
        text += f"; forventet {catalogue.translate(str(problem.expected), 'expected')}"
    if problem.found is not None:
        found = problem.found
        for known in entry.found if entry is not None else ():
            hit_found = known.pattern.fullmatch(found)
            if hit_found is not None:
                found = _fill(catalogue, known, hit_found)
                break
        text += f", fant {found!r}" if problem.expected else f"; fant {found!r}"
    return text


def title_text(title: str, lang: str) -> str:
    """Return the title of an :class:`~hmn_bygg.core.errors.InputError` in English or bokmål.

    Parameters
    ----------
    title : str
        The title the reader raised, e.g. ``"The building register has problems"``.
    lang : {"nb", "en"}
        Bokmål or English.

    Returns
    -------
    str
        The title as given for ``"en"``, or its bokmål text (the English one when the
        catalogue has none).

    Raises
    ------
    ValueError
        When ``lang`` is neither ``"nb"`` nor ``"en"``.
    """
    _check_lang(lang)
    return title if lang == "en" else _catalogue().translate(title, "titles")


def untranslated(problem: Problem) -> list[str]:
    """Return the English texts of a problem that the catalogue cannot translate.

    Parameters
    ----------
    problem : hmn_bygg.core.errors.Problem
        Any problem.

    Returns
    -------
    list of str
        The message and the expected text, each when no catalogue entry matches it (they
        would show in English on a bokmål page); empty when both are translated. File names,
        columns and what the file holds are not translated, so never listed.
    """
    catalogue = _catalogue()
    expected = None if problem.expected is None else str(problem.expected)
    texts = [(str(problem.message), "messages"), (expected, "expected")]
    return [t for t, group in texts if t is not None and catalogue.match(t, group) is None]
