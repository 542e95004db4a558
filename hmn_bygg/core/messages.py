"""Messages to the user in bokmål and English, kept as data and rendered in the reader's language.

A :class:`Msg` is a catalogue key and its fields, not a sentence: the sentence is made only when
the message is shown, in the language of the command, the dashboard or the workbook that shows
it. Errors (:class:`hmn_bygg.core.errors.Problem`) and warnings of every stage are made of
messages, so one bad cell reads "rad 4, kolonne 'Areal': forventet et tall, fant 'x'" in bokmål
and "row 4, column 'Areal': expected a number, found 'x'" in English.

**The catalogues.** A key names its stage package and an entry: ``"register.not_a_number"`` is
the entry ``not_a_number`` of ``hmn_bygg/register/messages.yaml``. Each entry has the same
fields in both languages::

    not_a_number:
      nb: "ikke et tall: {found}"
      en: "not a number: {found}"

``tests/test_messages.py`` fails on a key used in the code that has no entry, on an entry
missing a language, and on a field that one language names and the other does not.

**Fields** are rendered by type: a :class:`Msg` in the same language; an ``int`` or ``float``
with :func:`hmn_bygg.core.fmt.fmt_number` (``709 769``, ``1,35``; a float keeps the decimals
it has, at most three), except an int named ``year`` or ``*_year``, which is a year
(``2027``); a list or tuple as its items joined by ", "; a mapping ``{"nb": ..., "en": ...}``
(a name from a data file in both languages, such as a parameter's label) as its text in the
language; anything else with ``str()``.
Text from the user's files is a field, never part of the key, so it is shown as it is written.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hmn_bygg.core.fmt import Lang, fmt_number

__all__ = ["Msg", "Text", "catalogue_entry", "render"]

_PACKAGE = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Msg:
    """A message: a catalogue key and its fields, rendered in a language by :func:`render`.

    Parameters
    ----------
    key : str
        ``"<stage>.<entry>"``, an entry of ``hmn_bygg/<stage>/messages.yaml``.
    fields : Mapping
        The values of the entry's ``{name}`` fields (see the module docstring for how each type
        is shown).
    """

    key: str
    fields: Mapping[str, Any] = field(default_factory=dict)

    def __init__(self, key: str, /, **fields: Any) -> None:
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "fields", dict(fields))

    def render(self, lang: Lang = "en") -> str:
        """The message as a sentence in ``lang`` (``"nb"`` or ``"en"``)."""
        entry = catalogue_entry(self.key)
        shown = {
            name: str(value) if _is_year(name, value) else _field(value, lang)
            for name, value in self.fields.items()
        }
        return entry[lang].format_map(shown)

    def __str__(self) -> str:
        return self.render("en")

    def __hash__(self) -> int:
        return hash((self.key, tuple(sorted((k, repr(v)) for k, v in self.fields.items()))))


Text = str | Msg
"""What a message slot holds: a :class:`Msg`, or a plain string that is shown as it is (the
text of a library's own error, a file name)."""


def render(text: Text | None, lang: Lang = "en") -> str | None:
    """Render a :class:`Msg` in ``lang``; a plain string or ``None`` is returned as it is."""
    if text is None or isinstance(text, str):
        return text
    return text.render(lang)


def _is_year(name: str, value: Any) -> bool:
    """A year is shown as written (``2027``, never ``2 027``): an int field named ``year`` or
    ``*_year``."""
    return isinstance(value, int) and (name == "year" or name.endswith("_year"))


def _field(value: Any, lang: Lang) -> str:
    if isinstance(value, Msg):
        return value.render(lang)
    if isinstance(value, Mapping) and set(value) == {"nb", "en"}:
        return str(value[lang])
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return fmt_number(value, 0, lang)
    if isinstance(value, float):
        decimals = 0
        while decimals < 3 and round(value, decimals) != value:
            decimals += 1
        return fmt_number(value, decimals, lang)
    if isinstance(value, list | tuple):
        return ", ".join(_field(v, lang) for v in value)
    return str(value)


def catalogue_entry(key: str) -> Mapping[str, str]:
    """The entry ``{"nb": ..., "en": ...}`` of a key ``"<stage>.<entry>"``.

    Raises
    ------
    KeyError
        When the stage has no catalogue or the catalogue no such entry (a defect of the code,
        which ``tests/test_messages.py`` catches).
    """
    stage, _, name = key.partition(".")
    entries = catalogue(stage)
    if name not in entries:
        raise KeyError(f"no message '{name}' in hmn_bygg/{stage}/messages.yaml")
    return entries[name]


@functools.cache
def catalogue(stage: str) -> Mapping[str, Mapping[str, str]]:
    """The catalogue of one stage package, ``{entry: {"nb": ..., "en": ...}}`` (read once)."""
    import yaml

    path = _PACKAGE / stage / "messages.yaml"
    if not path.is_file():
        raise KeyError(f"no message catalogue hmn_bygg/{stage}/messages.yaml")
    text = path.read_text(encoding="utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return dict(data or {})
