"""The words of the board brief in bokmål (``"nb"``) and English (``"en"``).

Every fixed text of the brief lives in ``texts.yaml`` beside this module, keyed by language;
numbers are never part of these strings: they are filled in with :func:`str.format` from the
results. Placeholders are named
(``{label}``, ``{v0}``, ...) so both languages may order them freely.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml

Lang = Literal["nb", "en"]
LANGS: tuple[Lang, ...] = ("nb", "en")

TEXTS_PATH = Path(__file__).resolve().parent / "texts.yaml"


def _load_texts() -> dict[str, dict[str, str]]:
    """Read :data:`TEXTS_PATH`: a mapping per language of text key to text, same keys in each."""
    data = yaml.safe_load(TEXTS_PATH.read_text(encoding="utf-8"))
    keys = {lang: set(data[lang]) for lang in LANGS}
    if keys["nb"] != keys["en"]:
        raise ValueError(f"{TEXTS_PATH.name}: the languages differ in {keys['nb'] ^ keys['en']}")
    return {lang: {str(k): str(v) for k, v in data[lang].items()} for lang in LANGS}


TEXTS: dict[str, dict[str, str]] = _load_texts()
"""Text key -> text, per language (from ``texts.yaml``)."""


def t(lang: Lang, key: str, **values: object) -> str:
    """Return the text ``key`` in ``lang`` with ``values`` filled in.

    Parameters
    ----------
    lang : {"nb", "en"}
        Language.
    key : str
        Text key of :data:`TEXTS`.
    **values
        Placeholder values (already formatted numbers).

    Returns
    -------
    str
        The text.
    """
    text = TEXTS[lang][key]
    return text.format(**values) if values else text


def quote(text: str, lang: Lang) -> str:
    """Return ``«text»`` in bokmål and ``“text”`` in English."""
    return f"«{text}»" if lang == "nb" else f"“{text}”"


def join_list(items: list[str], lang: Lang) -> str:
    """Return ``"a, b og c"`` (bokmål) or ``"a, b and c"`` (English)."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {t(lang, 'and')} " + items[-1]


def scenario_label(name: str, lang: Lang, labels: dict[str, str] | None = None) -> str:
    """Return a scenario's friendly name: ``labels``, then ``models/scenarios.yaml``, then
    ``name``."""
    from hmn_bygg.config.labels import bundled_labels, label

    if labels and name in labels:
        return labels[name]
    return label(bundled_labels(), name, lang)


def hf_name(code: str, lang: Lang) -> str:
    """Return ``"Helse Møre og Romsdal (HMR)"`` for ``"HMR"``: the region's name of the HF
    (``models/organisation.csv``) with its code; the code alone for one not in the region."""
    from hmn_bygg.config.region import load_region

    entity = load_region().hf(code)
    return f"{entity.name(lang)} ({code})" if entity is not None else code


def region_name(lang: Lang) -> str:
    """Return the region's name in running text (``"Helse Midt-Norge"``), from
    ``models/organisation.csv``."""
    from hmn_bygg.config.region import load_region

    return load_region().authority.name(lang)
