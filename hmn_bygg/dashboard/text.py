"""User-facing words of the dashboard in bokmål (default) and English.

Variable names, units and descriptions come from the glossary (:mod:`hmn_bygg.core.variables`);
the words of the pages themselves (titles, buttons, notes) are data in ``words.yaml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import yaml

from hmn_bygg.core.fmt import Lang
from hmn_bygg.core.variables import glossary
from hmn_bygg.dashboard.text_inputs import input_label  # noqa: F401

WORDS_PATH = Path(__file__).resolve().parent / "words.yaml"


def _load_words() -> dict[str, tuple[str, str]]:
    """Read :data:`WORDS_PATH`: text key -> ``[bokmål, English]``."""
    data = yaml.safe_load(WORDS_PATH.read_text(encoding="utf-8"))
    bad = sorted(k for k, v in data.items() if not (isinstance(v, list) and len(v) == 2))
    if bad:
        raise ValueError(f"{WORDS_PATH.name}: give [bokmål, English] for {', '.join(bad)}")
    return {str(k): (str(v[0]), str(v[1])) for k, v in data.items()}


WORDS: dict[str, tuple[str, str]] = _load_words()
"""Text key -> (bokmål, English), from ``words.yaml``."""


STATUS_WORDS: dict[str, tuple[str, str]] = {
    "green": ("på mål", "on target"),
    "amber": ("nær mål", "close"),
    "red": ("ikke på mål", "off target"),
}

USE_NAMES: dict[str, tuple[str, str]] = {
    "somatic": ("Somatikk", "Somatic"),
    "mental_health": ("Psykisk helsevern", "Mental health"),
    "office": ("Kontor", "Office"),
    "housing": ("Bolig", "Housing"),
    "technical": ("Teknisk", "Technical"),
    "other": ("Annet", "Other"),
}


def t(key: str, lang: Lang = "nb", **kwargs: object) -> str:
    """Return the dashboard text ``key`` in ``lang``, formatted with ``kwargs``.

    Parameters
    ----------
    key : str
        A key of :data:`WORDS`.
    lang : {"nb", "en"}
        Bokmål or English.
    **kwargs
        Values for the ``{placeholders}`` of the text.

    Returns
    -------
    str
        The text.
    """
    nb, en = WORDS[key]
    text = nb if lang == "nb" else en
    return text.format(**kwargs) if kwargs else text


def var_label(name: str, lang: Lang = "nb", *, unit: bool = True) -> str:
    """Return a variable's glossary label, with its unit in brackets: ``Areal (m²)``.

    Parameters
    ----------
    name : str
        Glossary name, e.g. ``"vttg"``.
    lang : {"nb", "en"}
        Bokmål or English.
    unit : bool
        Append the unit (``TG 0–3`` is shown as ``TG``; ``fraction`` as ``%``).

    Returns
    -------
    str
        The label.
    """
    entry = glossary()[name]
    text = str(entry[f"label_{lang}"])
    if not unit:
        return text
    units = {"TG 0–3": "TG", "fraction": "%", "bool": "", "year": ""}.get(
        str(entry["units"]), str(entry["units"])
    )
    if not units:
        return text
    return f"{text}, {units}" if text.endswith(")") else f"{text} ({units})"


def hf_name(code: str, lang: Lang = "nb") -> str:
    """Return a health trust's name in running text, from the region's table
    (``models/organisation.csv``); the code itself for a code not in the region."""
    from hmn_bygg.config.region import hf_name as region_hf_name

    return region_hf_name(str(code), lang)


def region_name(lang: Lang = "nb") -> str:
    """Return the region's name in running text (``models/organisation.csv``)."""
    from hmn_bygg.config.region import load_region

    return load_region().authority.name(lang)


def use_name(code: str, lang: Lang = "nb") -> str:
    """Return the display name of a building use category."""
    nb, en = USE_NAMES.get(code, (code, code))
    return nb if lang == "nb" else en


def scenario_name(
    name: str, lang: Lang = "nb", labels: Mapping[str, Mapping[str, str]] | None = None
) -> str:
    """Return a scenario's display name from ``models/scenarios.yaml`` (else its name).

    Parameters
    ----------
    name : str
        Scenario name in the scenario file.
    lang : {"nb", "en"}
        Bokmål or English.
    labels : mapping, optional
        The labels of the session's scenario file (``{name: {"nb": .., "en": ..}}``, see
        :func:`hmn_bygg.config.labels.scenario_labels`); default: the bundled file's.
    """
    from hmn_bygg.config.labels import bundled_labels

    table = bundled_labels() if labels is None else labels
    return table.get(name, {}).get(lang, name)


def status_word(status: str, lang: Lang = "nb") -> str:
    """Return the words of a traffic light: ``på mål``, ``nær mål``, ``ikke på mål``."""
    nb, en = STATUS_WORDS[status]
    return nb if lang == "nb" else en
