"""The sources of the model's parameters in bokmål, from ``source_texts.yaml``.

The model files write their sources in English (``models/hmn.yaml``); the brief's appendix in
bokmål quotes them in the Norwegian form kept beside this module, found by the English text
(spaces normalised), or by a pattern for a generated source (``hmn-bygg solve budget
--as-override``). A source without a Norwegian form stays as written (the tests name it).
The field names and codes inside values (``kind: sale``) have their bokmål words there too.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Literal

import yaml

__all__ = ["bokmal_source", "source_text", "value_word"]

_FILE = Path(__file__).with_name("source_texts.yaml")
_FIELD = re.compile(r"\{(\w+)\}")


def _norm(text: str) -> str:
    return " ".join(str(text).split())


@functools.cache
def _catalogue() -> tuple[dict[str, str], tuple[tuple[re.Pattern[str], str], ...]]:
    """The texts ``{english: bokmål}`` and the patterns ``(regex, bokmål template)``."""
    with _FILE.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    texts = {_norm(e["en"]): _norm(e["nb"]) for e in data.get("texts", [])}
    patterns = []
    for e in data.get("patterns", []):
        parts = _FIELD.split(_norm(e["en"]))  # text, field, text, field, ...
        regex = "".join(
            re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
        )
        patterns.append((re.compile(f"^{regex}$"), _norm(e["nb"])))
    return texts, tuple(patterns)


@functools.cache
def _words() -> dict[str, str]:
    with _FILE.open(encoding="utf-8") as fh:
        return {str(k): str(v) for k, v in (yaml.safe_load(fh).get("words") or {}).items()}


def value_word(word: str, lang: Literal["nb", "en"] = "nb") -> str:
    """Return a field name or code inside a parameter value as a reader of ``lang`` reads it.

    Examples
    --------
    >>> value_word("sale"), value_word("sale", "en"), value_word("HMR")
    ('salg', 'sale', 'HMR')
    """
    return _words().get(word, word) if lang == "nb" else word


def bokmal_source(text: str) -> str | None:
    """Return the bokmål form of a source text, or ``None`` when none is kept.

    Examples
    --------
    >>> bokmal_source("assumption: ready the year after building")
    'forutsetning: klar året etter byggingen'
    >>> bokmal_source("")
    ''
    """
    key = _norm(text)
    if not key:
        return ""
    texts, patterns = _catalogue()
    if key in texts:
        return texts[key]
    for regex, template in patterns:
        found = regex.match(key)
        if found is not None:
            return template.format(**{k: texts.get(v, v) for k, v in found.groupdict().items()})
    return None


def source_text(text: str, lang: Literal["nb", "en"] = "nb") -> str:
    """Return a source as a reader of ``lang`` reads it (as written when no bokmål form is kept).

    Parameters
    ----------
    text : str
        The source as the model file writes it.
    lang : {"nb", "en"}
        Language of the reader.

    Returns
    -------
    str
        The text with its spaces normalised; in bokmål from ``source_texts.yaml``.
    """
    if lang == "nb":
        found = bokmal_source(text)
        if found is not None:
            return found
    return _norm(text)
