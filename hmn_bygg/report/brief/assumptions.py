"""The appendix of the board brief: every parameter with value, unit and source; the register.

Parameters are read from the validated scenarios (:func:`hmn_bygg.config.load_scenarios`)
through the same dotted keys as ``hmn-bygg config show`` (:func:`hmn_bygg.config.valid_keys`,
:func:`hmn_bygg.config.resolve_key`), so a section added to the model appears here without a
change to the brief.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr
from pydantic import BaseModel

from hmn_bygg.config import Model, is_year_path, key_index, load_model, resolve_key
from hmn_bygg.config.param_labels import param_label, project_names, unit_label
from hmn_bygg.core.errors import InputError
from hmn_bygg.core.fmt import fmt_number
from hmn_bygg.core.paths import project_root
from hmn_bygg.report.brief.texts import Lang, t
from hmn_bygg.report.source_texts import source_text, value_word

PROVENANCE_FILE = "PROVENANCE.md"
#: Units whose numbers are years, printed without a thousands separator.
YEAR_UNITS = frozenset({"year"})


@dataclass(frozen=True)
class ParamRow:
    """One parameter of the appendix.

    Parameters
    ----------
    key : str
        Dotted key, e.g. ``maintenance.budget_mnok``.
    value : str
        Formatted value in the first scenario.
    unit : str
        Unit (empty for settings).
    source : str
        Source as written in the model file (empty for settings).
    variants : tuple of str
        ``"scenario: value"`` for each scenario whose value differs.
    """

    key: str
    value: str
    unit: str
    source: str
    label: str = ""
    variants: tuple[str, ...] = ()


def display_path(path: str | os.PathLike[str]) -> str:
    """Return ``path`` relative to the project folder when inside it, else as given."""
    p = Path(path)
    try:
        return p.resolve().relative_to(project_root().resolve()).as_posix()
    except ValueError:
        return str(p)


def _plain(value: float) -> str:
    """A number with as few decimals as it needs (at most 4), without grouping."""
    for d in range(5):
        if abs(round(value, d) - value) < 1e-9:
            return f"{value:.{d}f}"
    return f"{value:.4f}"


def format_value(value: Any, lang: Lang, *, setting: bool = False, plain: bool = False) -> str:
    """Format a parameter value: scalar, table ``{HMR: 100, ...}`` or year path ``{2019: 0}``.

    Parameters
    ----------
    value : Any
        The value from :func:`hmn_bygg.config.resolve_key`.
    lang : {"nb", "en"}
        Language of the number format.
    setting : bool
        A plain setting (names, seeds): printed as written.
    plain : bool
        Numbers without grouping (years).

    Returns
    -------
    str
        E.g. ``"HMR: 100 · HNT: 40 · STO: 140"`` or ``"0 fra 2019; 210 fra 2020"``.
    """
    if isinstance(value, BaseModel):
        value = value.model_dump(exclude_none=True)
    if isinstance(value, Mapping):
        if not value:
            return "–"
        if is_year_path(value):
            return "; ".join(
                f"{format_value(v, lang, plain=plain)} {t(lang, 'from_year', year=int(y))}"
                for y, v in value.items()
            )
        parts = []
        for k, v in value.items():
            is_year = isinstance(k, str) and k.endswith("year")
            text = (
                source_text(v, lang)  # a source inside a value (a new building's)
                if k == "source" and isinstance(v, str)
                else format_value(v, lang, setting=setting, plain=plain or is_year)
            )
            nested = isinstance(v, Mapping | BaseModel) and "; " in text
            name = value_word(str(k), lang)
            parts.append(f"{name}: ({text})" if nested else f"{name}: {text}")
        return " · ".join(parts)
    if value is None:
        return t(lang, "never")
    if isinstance(value, bool | np.bool_):
        return t(lang, "yes" if value else "no")
    if isinstance(value, int | float | np.number):
        if setting or plain:
            return _plain(float(value))
        decimals = len(_plain(float(value)).partition(".")[2])
        return fmt_number(float(value), decimals, lang, html=True)
    if isinstance(value, tuple | list):
        if not value:
            return "–"
        sep = "; " if any(isinstance(v, Mapping | BaseModel) for v in value) else ", "
        return sep.join(format_value(v, lang, setting=setting, plain=plain) for v in value)
    return value_word(str(value), lang)  # a code (``sale``) in the reader's words


def changed_part(value: Any, reference: Any) -> Any:
    """Return the entries of a table that differ from ``reference`` (the whole value otherwise).

    Only tables keyed by codes (HF, part, project) are cut down; year paths and scalars are
    returned whole.
    """
    if (
        isinstance(value, Mapping)
        and isinstance(reference, Mapping)
        and not is_year_path(value)
        and set(value) == set(reference)
    ):
        return {k: v for k, v in value.items() if v != reference[k]}
    return value


def _base_model(models: Mapping[str, Model]) -> Model | None:
    first = next(iter(models.values()))
    if first.file is None:
        return None
    try:
        return load_model(first.file)
    except InputError:
        return None


def parameter_rows(
    models: Mapping[str, Model], lang: Lang, names: Mapping[str, str] | None = None
) -> list[ParamRow]:
    """Return every parameter and setting of the first scenario, with the others' differences.

    Parameters
    ----------
    models : mapping of str to Model
        Chosen scenarios, validated.
    lang : {"nb", "en"}
        Language of the number formats and labels.
    names : mapping of str to str, optional
        Scenarios' display names (default their codes).

    Returns
    -------
    list of ParamRow
        In model-file order; table entries are shown inside their table, not as rows.
    """
    shown_as = dict(names or {})
    order = list(models)
    projects = project_names(models[order[0]])
    rows: list[ParamRow] = []
    for key, info in key_index().items():
        if info.kind == "entry":
            continue
        setting = info.kind == "setting"
        resolved = {s: resolve_key(models[s], key) for s in order}
        first = resolved[order[0]]
        plain = (first.unit or "").strip().lower() in YEAR_UNITS
        variants = tuple(
            f"{shown_as.get(s, s)}: "
            + format_value(changed_part(r.value, first.value), lang, setting=setting, plain=plain)
            for s, r in resolved.items()
            if s != order[0] and r.value != first.value
        )
        rows.append(
            ParamRow(
                key=key,
                value=format_value(first.value, lang, setting=setting, plain=plain),
                unit=unit_label(first.unit or "", lang),
                source=source_text(first.source or "", lang),
                variants=variants,
                label=param_label(key, lang, projects),
            )
        )
    return rows


def scenario_changes(models: Mapping[str, Model], lang: Lang) -> dict[str, list[str]]:
    """Return, per scenario, the parameters that differ from the base model file.

    Returns
    -------
    dict of str to list of str
        ``{scenario: ["maintenance.extra_budget_mnok = 0 fra 2019; 210 fra 2020 MNOK/year"]}``;
        an empty list for the base model; without a base model file, the differences from
        the first scenario.
    """
    base = _base_model(models) or next(iter(models.values()))
    projects = project_names(base)
    out: dict[str, list[str]] = {}
    for name, model in models.items():
        lines = []
        for key, info in key_index().items():
            if info.kind == "entry":
                continue
            mine, theirs = resolve_key(model, key), resolve_key(base, key)
            if mine.value != theirs.value:
                plain = (mine.unit or "").strip().lower() in YEAR_UNITS
                shown = changed_part(mine.value, theirs.value)
                value = format_value(shown, lang, setting=info.kind == "setting", plain=plain)
                unit = unit_label(mine.unit or "", lang)
                lines.append(f"{param_label(key, lang, projects)}: {value} {unit}".rstrip())
        out[name] = lines
    return out


def register_folder(ds: xr.Dataset) -> Path | None:
    """Return the folder of the register the results were computed from, when known."""
    sources = ds.attrs.get("register_sources")
    if sources is None:
        return None
    items = [sources] if isinstance(sources, str) else [str(s) for s in np.atleast_1d(sources)]
    if not items:
        return None
    first = Path(items[0])
    return first if first.is_dir() else first.parent


def provenance(ds: xr.Dataset, lang: Lang) -> tuple[str, bool]:
    """Return the register's provenance paragraph and whether the register is synthetic.

    The register is taken as synthetic when its folder holds a ``PROVENANCE.md`` that says so
    (the bundled register, calibrated to Tabell 1 of the utviklingsplan 2018).
    """
    folder = register_folder(ds)
    n = ds.sizes.get("building")
    if "in_service" in ds:  # the register's buildings in service at the start, not new ones
        n = int(ds["in_service"].isel(scenario=0, year=0).sum())
    if folder is not None:
        prov = folder / PROVENANCE_FILE
        if prov.is_file() and "synthetic" in prov.read_text(encoding="utf-8")[:2000].lower():
            text = t(
                lang,
                "provenance_synthetic",
                n=fmt_number(n, 0, lang, html=True) if n else "",
                file=display_path(prov),
            )
            return text, True
    sources = ds.attrs.get("register_sources", [])
    files = [sources] if isinstance(sources, str) else [str(s) for s in np.atleast_1d(sources)]
    return t(lang, "provenance_real", files=", ".join(display_path(f) for f in files) or "–"), False


def tabell1_note(ds: xr.Dataset, scenarios: Sequence[str], lang: Lang) -> str | None:
    """Return the note on Tabell 1's printed region row versus the HF rows, when it differs."""
    from hmn_bygg.register.summary import published_tabell1

    try:
        pub = published_tabell1()
    except (OSError, InputError, ValueError, KeyError):
        return None
    if "total" not in pub.index:
        return None
    total = pub.loc["total"]
    y0 = int(ds["year"].to_numpy()[0])
    area = float(ds["area_region"].sel(scenario=scenarios[0], year=y0))
    vttg = float(ds["vttg_region"].sel(scenario=scenarios[0], year=y0))
    pub_area, pub_vttg = float(total["floor_area_m2"]), float(total["grade"])
    if abs(pub_area - area) < 0.5 and abs(pub_vttg - vttg) < 0.005:
        return None
    return t(
        lang,
        "note_tabell1",
        pub_area=fmt_number(pub_area, 0, lang, html=True),
        pub_vttg=fmt_number(pub_vttg, 2, lang, html=True),
        area=fmt_number(area, 0, lang, html=True),
        vttg=fmt_number(vttg, 2, lang, html=True),
    )
