"""Pydantic's validation errors as messages of the catalogue (``config/messages.yaml``).

Pydantic describes every error by a ``type`` (``missing``, ``float_parsing``,
``greater_than_equal``, ``literal_error``, ...) and its ``ctx`` (the bound, the allowed
values); its ``msg`` is an English sentence. :func:`translate` turns the type and ctx into a
:class:`~hmn_bygg.core.messages.Msg` (what is wrong), what was expected and what was found, so
the error reads in the user's language. The model's own validators raise
:class:`pydantic_core.PydanticCustomError` with a type of ours (``unit_mismatch``,
``unknown_hf``, ``end_before_start``, ...) and its fields as ctx; :data:`OWN` maps each such type
to its entry. Only an error of a kind neither knows falls back to "invalid value", with
pydantic's English text in ``found``.

:func:`hmn_bygg.config.keys.describe_errors` adds what a model file knows (dotted keys,
did-you-mean hints, the shape of a parameter); :func:`hmn_bygg.config.data_files.load_data_file`
uses :func:`translate` as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from hmn_bygg.core.messages import Msg, Text

__all__ = ["OWN", "SOURCE_EXPECTED", "one_of", "show", "translate"]

SOURCE_EXPECTED = Msg("config.source_expected")
"""What a parameter's source looks like (a seed document and section, a report, or an
assumption with its reason)."""

_TYPES: dict[str, Msg] = {
    "int": Msg("config.type_int"),
    "float": Msg("config.type_float"),
    "decimal": Msg("config.type_float"),
    "finite": Msg("config.type_finite"),
    "bool": Msg("config.type_bool"),
    "string": Msg("config.type_string"),
    "str": Msg("config.type_string"),
    "dict": Msg("config.type_mapping"),
    "model": Msg("config.type_mapping"),
    "model_attributes": Msg("config.type_mapping"),
    "dataclass": Msg("config.type_mapping"),
    "list": Msg("config.type_list"),
    "tuple": Msg("config.type_list"),
    "set": Msg("config.type_list"),
    "frozen_set": Msg("config.type_list"),
    "iterable": Msg("config.type_list"),
    "date": Msg("config.type_date"),
    "date_from_datetime": Msg("config.type_date"),
    "datetime": Msg("config.type_date"),
    "none": Msg("config.type_none"),
}
"""The first word of a pydantic ``*_type`` or ``*_parsing`` error and what it expected."""

_SYMBOLS = {"greater_than_equal": ">=", "greater_than": ">", "less_than_equal": "<=",
            "less_than": "<"}  # fmt: skip


def show(value: Any, limit: int = 80) -> str:
    """``value`` as text, cut to ``limit`` characters (``…`` marks the cut)."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def one_of(listed: str) -> Text:
    """Pydantic's list of allowed values (``"'a', 'b' or 'c'"``) with "or" in the language."""
    items, sep, last = str(listed).rpartition(" or ")
    return Msg("config.one_of", items=items, last=last) if sep else str(listed)


def _hf_codes(ctx: Mapping[str, Any]) -> Msg:
    return Msg("config.hf_codes", codes=one_of(ctx.get("codes", "")), table=ctx.get("table", ""))


OWN: dict[str, Callable[[Mapping[str, Any]], tuple[Msg, Text | None]]] = {
    "unit_mismatch": lambda c: (Msg("config.wrong_unit"), f"'{c['expected']}'"),
    "price_year_missing": lambda c: (Msg("config.price_year_missing", unit=c["unit"]), None),
    "price_year_not_money": lambda c: (Msg("config.price_year_not_money", unit=c["unit"]), None),
    "end_before_start": lambda c: (Msg("config.end_before_start", start=str(c["start"])), None),
    "plan_start_outside": lambda c: (
        Msg(
            "config.plan_start_outside",
            start=str(c["start"]),
            end=str(c["end"]),
            found=str(c["found"]),
        ),
        None,
    ),
    "opens_with_unknown": lambda c: (
        Msg("config.opens_with_unknown", bid=c["bid"], found=c["found"], known=c["known"]),
        None,
    ),
    "disposal_after_unknown": lambda c: (
        Msg(
            "config.disposal_after_unknown",
            where=c["where"],
            which=c["which"],
            found=c["found"],
            known=c["known"],
        ),
        None,
    ),
    "duplicate_id": lambda c: (Msg("config.duplicate_id", ids=c["ids"]), None),
    "unknown_hf": lambda c: (Msg("config.unknown_hf"), _hf_codes(c)),
    "unknown_hf_or_region": lambda c: (
        Msg("config.unknown_hf"),
        Msg("config.region_or_hf", codes=_hf_codes(c)),
    ),
    "placeholder_source": lambda c: (
        Msg("config.placeholder_source", source=c["source"]),
        SOURCE_EXPECTED,
    ),
    "rho_needs_group": lambda c: (Msg("config.rho_needs_group"), None),
    "triangular_order": lambda c: (Msg("config.triangular_order"), None),
    "uniform_order": lambda c: (Msg("config.uniform_order"), None),
    "delay_p_sum": lambda c: (Msg("config.delay_p_sum", total=c["total"]), None),
    "year_path_empty": lambda c: (Msg("config.year_path_empty"), None),
    "table_lacks": lambda c: (Msg("config.table_lacks", missing=c["missing"]), None),
    "spend_shares_sum": lambda c: (Msg("config.spend_shares_sum", total=c["total"]), None),
    "hf_share_sum": lambda c: (Msg("config.hf_share_sum", total=c["total"]), None),
    "open_year_xor": lambda c: (Msg("config.open_year_xor"), None),
    "disposal_time_xor": lambda c: (Msg("config.disposal_time_xor"), None),
    "actual_unit": lambda c: (
        Msg("config.actual_unit", what=c["what"], expected=c["expected"], found=c["found"]),
        None,
    ),
    "actual_price_year": lambda c: (Msg("config.actual_price_year"), None),
    "actual_project": lambda c: (Msg("config.actual_project", what=c["what"]), None),
    "actual_ids_twice": lambda c: (Msg("config.actual_ids_twice", ids=c["ids"]), None),
    "actual_two_results": lambda c: (
        Msg("config.actual_two_results", hf=c["hf"], year=str(c["year"])),
        None,
    ),
}
"""Our own error types (raised by the validators of the config stage) and their entries (a
year is a field as text: numbers are shown with a thousands separator)."""


def _bound(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def translate(
    e: Mapping[str, Any], unit: str | None = None
) -> tuple[Text, Text | None, str | None]:
    """One pydantic error as (message, expected, found).

    Parameters
    ----------
    e : mapping
        An item of :meth:`pydantic.ValidationError.errors` (``type``, ``msg``, ``ctx``,
        ``input``).
    unit : str, optional
        The unit of the value, named with a range (``a value >= 0 [MNOK/year]``).

    Returns
    -------
    (Msg, Msg or str or None, str or None)
        What is wrong, what a valid value looks like, and the value found (``None`` for a
        missing or unknown key).
    """
    kind, ctx = str(e["type"]), dict(e.get("ctx") or {})
    found: str | None = show(e.get("input"))
    if kind in OWN:
        message, expected = OWN[kind](ctx)
        return message, expected, (show(ctx["found"]) if kind == "unit_mismatch" else found)
    if kind == "missing":
        return Msg("config.missing_key"), None, None
    if kind == "extra_forbidden":
        return Msg("config.unknown_key", hint=""), None, None
    if kind == "invalid_key":
        return Msg("config.key_not_text"), Msg("config.type_string"), found
    if kind in _SYMBOLS:
        bound = _bound(next(iter(ctx.values())))
        where = f" [{unit}]" if unit else ""
        return (
            Msg("config.out_of_range"),
            Msg("config.a_value", symbol=_SYMBOLS[kind], bound=bound, unit=where),
            found,
        )
    if kind == "multiple_of":
        return Msg("config.out_of_range"), Msg("config.multiple_of", n=ctx["multiple_of"]), found
    if kind in ("string_too_short", "too_short"):
        return Msg("config.too_short"), Msg("config.at_least", n=ctx["min_length"]), found
    if kind in ("string_too_long", "too_long"):
        return Msg("config.too_long"), Msg("config.at_most", n=ctx["max_length"]), found
    if kind in ("literal_error", "enum"):
        return Msg("config.not_allowed"), one_of(ctx.get("expected", "")), found
    if kind == "union_tag_invalid":
        return Msg("config.not_allowed"), one_of(ctx.get("expected_tags", "")), found
    if kind == "string_pattern_mismatch":
        return Msg("config.pattern_mismatch"), str(ctx.get("pattern")), found
    word = kind.removesuffix("_type").removesuffix("_parsing").removesuffix("_number")
    if kind == "int_from_float":
        word = "int"
    if word in _TYPES and kind != word:
        return Msg("config.wrong_type"), _TYPES[word], found
    english = str(e.get("msg", "")).removeprefix("Value error, ")
    shown = english if found is None else f"{found} ({english})"
    return Msg("config.invalid_value"), None, shown
