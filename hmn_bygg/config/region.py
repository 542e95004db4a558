"""The region as data: its health trusts (HF), their order and names, from ``organisation.csv``.

The health trusts are not written into the code: they are the rows of
``models/organisation.csv`` in the project root (:func:`hmn_bygg.core.paths.models_dir`, so
``HMN_BYGG_HOME`` switches the region). The table holds one row per entity::

    kind,code,name_nb,name_en,short_nb,short_en,aliases,source
    region,HMN,Helse Midt-Norge RHF,Central Norway ...,Helse Midt-Norge,Helse Midt-Norge,...
    hf,HMR,Helse Møre og Romsdal HF,Helse Møre og Romsdal,Helse Møre og Romsdal,...

- ``kind``: ``region`` (exactly one row: the regional health authority), ``hf`` (one row per
  health trust, in the order tables, charts and the results' ``hf`` dimension use) or ``use``
  (building use categories, read by the register checks);
- ``code``: the HF code used in model files (``maintenance.budget_mnok.HMR``), the register
  and the results; a letter first, then letters, digits, ``_`` or ``-``;
- ``name_nb``, ``name_en``: the formal names (required);
- ``short_nb``, ``short_en``: the names in running text, the board brief and the dashboard
  (optional columns; an empty cell means the formal name);
- ``aliases``: other spellings the register reader accepts (``|``-separated).

:func:`load_region` reads and checks the table once per file version (cached by path,
modification time and size); :func:`hf_codes` and :func:`hf_name` are the short ways in.
Model files meet the region through :data:`HfCode` (an HF code, checked against the table when
a model is validated) and :func:`every_hf` (a per-HF default over the region's codes).
A table without HF rows, with a code twice, or with an empty name is refused with an
:class:`~hmn_bygg.core.errors.InputError` naming the file, row and column.
"""

from __future__ import annotations

import csv
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from hmn_bygg.config.yaml_files import display_name
from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.fmt import Lang
from hmn_bygg.core.messages import Msg
from hmn_bygg.core.paths import models_dir, not_a_file

__all__ = [
    "ORGANISATION_FILE",
    "Entity",
    "HfCode",
    "Region",
    "every_hf",
    "hf_codes",
    "hf_name",
    "load_region",
    "organisation_path",
    "unknown_hf_text",
]

ORGANISATION_FILE = "organisation.csv"
"""The region's table, in the project's ``models/`` folder."""

REQUIRED_COLUMNS = ("kind", "code", "name_nb", "name_en")
CODE_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
RESERVED_CODES = frozenset({"region", "total"})
"""Words the results and tables use beside the HF codes (``liquidity_region``, a total row)."""
CODE_EXPECTED = Msg("config.code_expected")


@dataclass(frozen=True)
class Entity:
    """One row of the organisation table: the region itself or one of its health trusts.

    Parameters
    ----------
    code : str
        Its code (``HMR``).
    name_nb, name_en : str
        Formal names in bokmål and English (``Helse Møre og Romsdal HF``).
    short_nb, short_en : str
        Names in running text (``Helse Møre og Romsdal``); the formal name when not given.
    """

    code: str
    name_nb: str
    name_en: str
    short_nb: str
    short_en: str

    def name(self, lang: Lang = "nb", *, short: bool = True) -> str:
        """Return the name in ``lang``: the short one (default) or the formal one."""
        if short:
            return self.short_en if lang == "en" else self.short_nb
        return self.name_en if lang == "en" else self.name_nb


@dataclass(frozen=True)
class Region:
    """A health region: the regional authority and its health trusts, in table order.

    Parameters
    ----------
    path : pathlib.Path
        The organisation table it was read from.
    authority : Entity
        The region itself (the ``kind=region`` row).
    hfs : tuple of Entity
        The health trusts, in the table's order.
    """

    path: Path
    authority: Entity
    hfs: tuple[Entity, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        """The HF codes in the table's order."""
        return tuple(h.code for h in self.hfs)

    def hf(self, code: str) -> Entity | None:
        """Return the health trust with ``code``, or ``None`` when the region has none."""
        return next((h for h in self.hfs if h.code == code), None)

    def hf_name(self, code: str, lang: Lang = "nb", *, short: bool = True) -> str:
        """Return an HF's name in ``lang``; the code itself for a code not in the region."""
        entity = self.hf(code)
        return code if entity is None else entity.name(lang, short=short)


def organisation_path() -> Path:
    """Return the organisation table of the project root (``models/organisation.csv``)."""
    home = os.environ.get("HMN_BYGG_HOME")
    relative = bool(home) and not os.path.isabs(str(home))
    return _organisation_path(home, os.getcwd() if relative else None)


@lru_cache(maxsize=16)
def _organisation_path(home: str | None, cwd: str | None) -> Path:
    """The table's path for one ``HMN_BYGG_HOME`` (and working folder, when it is relative)."""
    return models_dir() / ORGANISATION_FILE


def load_region(path: str | os.PathLike[str] | None = None) -> Region:
    """Read and check the region's organisation table (cached per file version).

    Parameters
    ----------
    path : str or path-like, optional
        The table; default ``models/organisation.csv`` of the project root.

    Returns
    -------
    Region
        The regional authority and its health trusts, in the table's order.

    Raises
    ------
    InputError
        The file is missing or unreadable, a required column is missing, there is no
        ``region`` row or more than one, no ``hf`` row, a code is given twice or is not a
        valid code, or a name is empty; every problem names the file, row and column.
    """
    p = Path(path) if path is not None else organisation_path()
    try:  # one stat a call: the HF codes are asked for on every validation
        st = os.stat(p)
    except OSError:
        st = None
    if st is None or not stat.S_ISREG(st.st_mode):
        problem = not_a_file(p, display_name(p), Msg("config.what_organisation_table"))
        raise InputError([problem], title=Msg("config.region_unreadable"))
    return _read(os.path.abspath(p), st.st_mtime_ns, st.st_size, st.st_ino)


def hf_codes() -> tuple[str, ...]:
    """Return the HF codes of the project's region, in table order (``("HMR", "HNT", "STO")``)."""
    return load_region().codes


def hf_name(code: str, lang: Lang = "nb", *, short: bool = True) -> str:
    """Return the name of the project region's HF ``code`` (the code for an unknown one).

    Parameters
    ----------
    code : str
        An HF code.
    lang : {"nb", "en"}
        Language.
    short : bool
        The name in running text (default) or the formal name.

    Examples
    --------
    >>> hf_name("HMR"), hf_name("HMR", short=False), hf_name("XYZ")
    ('Helse Møre og Romsdal', 'Helse Møre og Romsdal HF', 'XYZ')
    """
    return load_region().hf_name(code, lang, short=short)


def unknown_hf_text(codes: tuple[str, ...] | None = None) -> str:
    """Return what a valid HF code is: ``"'HMR', 'HNT' or 'STO' (models/organisation.csv)"``."""
    ctx = hf_codes_ctx(hf_codes() if codes is None else codes)
    return f"{ctx['codes']} (the HFs in {ctx['table']})"


def hf_codes_ctx(codes: tuple[str, ...]) -> dict[str, str]:
    """The fields of an ``unknown_hf`` error: the codes (``'HMR', 'HNT' or 'STO'``), the table."""
    quoted = [f"'{c}'" for c in codes]
    listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return {"codes": listed, "table": display_name(organisation_path())}


def _known_hf(code: str) -> str:
    """Refuse a code that is not one of the region's HFs (``models/organisation.csv``)."""
    codes = hf_codes()
    if code not in codes:
        raise PydanticCustomError(
            "unknown_hf",
            "not an HF of the region",
            {"expected": unknown_hf_text(codes), **hf_codes_ctx(codes)},
        )
    return code


class _RegionCodesSchema:
    """JSON schema of an HF code: an ``enum`` of the region's codes when the schema is made."""

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"enum": list(hf_codes()), "type": "string"}


HfCode = Annotated[str, AfterValidator(_known_hf), _RegionCodesSchema()]
"""An HF code of the region (:func:`hmn_bygg.config.region.hf_codes`), checked when a model is
validated: a code not in ``models/organisation.csv`` is refused, naming the known ones."""


def every_hf(value: Any) -> Callable[[], dict[str, Any]]:
    """Return a default for a per-HF table: ``value`` for each of the region's HFs.

    The table is made when a model is validated, for the project's region, so a default never
    names an HF the region does not have (see :func:`hmn_bygg.config.section_base.leaf`).
    """

    def table() -> dict[str, Any]:
        return dict.fromkeys(hf_codes(), value)

    return table


@lru_cache(maxsize=16)
def _read(path: str, mtime_ns: int, size: int, inode: int) -> Region:
    """Read the table at ``path`` (cache key: the path and the file's version)."""
    name = display_name(Path(path))
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
    except (UnicodeDecodeError, csv.Error) as err:
        raise InputError(
            [Problem(name, Msg("config.not_csv"), expected=Msg("config.utf8_csv"), found=str(err))],
            title=Msg("config.region_unreadable"),
        ) from None
    header = [h.strip() for h in rows[0]] if rows else []
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        absent = [
            Problem(
                name,
                Msg("config.missing_column"),
                row=1,
                column=c,
                expected=", ".join(REQUIRED_COLUMNS),
            )
            for c in missing
        ]
        raise InputError(absent, title=Msg("config.region_has_problems", file=name))
    problems: list[Problem] = []
    authorities: list[tuple[int, Entity]] = []
    hfs: list[Entity] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(rows[1:], start=2):
        record = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}
        kind = record["kind"]
        if kind not in ("region", "hf"):
            continue
        entity, found = _entity(record, name, number)
        problems += found
        if kind == "region":
            authorities.append((number, entity))
            continue
        folded = entity.code.casefold()
        if folded and folded in seen:
            problems.append(
                Problem(name, Msg("config.hf_code_twice"), row=number, column="code",
                        expected=Msg("config.code_not_used", row=str(seen[folded])),
                        found=entity.code)
            )  # fmt: skip
        seen.setdefault(folded, number)
        hfs.append(entity)
    if not hfs:
        problems.append(
            Problem(name, Msg("config.no_hf"), column="kind", expected=Msg("config.one_hf_row"))
        )  # fmt: skip
    if len(authorities) != 1:
        where = ", ".join(str(n) for n, _ in authorities)
        problems.append(
            Problem(name, Msg("config.region_row_twice", rows=where) if authorities else
                    Msg("config.region_row_missing"), column="kind",
                    expected=Msg("config.one_region_row"))
        )  # fmt: skip
    if problems:
        raise InputError(problems, title=Msg("config.region_has_problems", file=name))
    return Region(Path(path), authorities[0][1], tuple(hfs))


def _entity(record: dict[str, str], name: str, number: int) -> tuple[Entity, list[Problem]]:
    """Build one :class:`Entity` from a table row; list what is wrong with it."""
    problems = []
    code = record["code"]
    if not CODE_PATTERN.fullmatch(code) or code.casefold() in RESERVED_CODES:
        problems.append(
            Problem(name, Msg("config.not_a_code"), row=number, column="code",
                    expected=CODE_EXPECTED, found=code)
        )  # fmt: skip
    for column in ("name_nb", "name_en"):
        if not record[column]:
            problems.append(
                Problem(name, Msg("config.empty_name"), row=number, column=column,
                        expected=Msg("config.name_nb_of", code=code or "-")
                        if column == "name_nb" else Msg("config.name_en_of", code=code or "-"))
            )  # fmt: skip
    short_nb = record.get("short_nb", "") or record["name_nb"]
    short_en = record.get("short_en", "") or record["name_en"]
    return Entity(code, record["name_nb"], record["name_en"], short_nb, short_en), problems
