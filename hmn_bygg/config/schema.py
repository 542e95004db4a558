"""The JSON schema of a model file, for editors (``models/schema.json``).

Pydantic writes the schema of :class:`~hmn_bygg.config.sections.Model`; its ``$defs`` are
renamed after their titles so that an editor's hints read ``Param_per_HF_number_ge_0`` rather
than a generated name. HF codes and per-HF defaults are the region's
(``models/organisation.csv``) when the schema is made.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic.json_schema import GenerateJsonSchema
from pydantic_core import core_schema

from hmn_bygg.config.section_base import LeafDefault
from hmn_bygg.config.sections import Model


class _LeafDefaults(GenerateJsonSchema):
    """Show the defaults that :func:`~hmn_bygg.config.section_base.leaf` makes on validation."""

    def get_default_value(self, schema: core_schema.WithDefaultSchema) -> Any:
        factory = schema.get("default_factory")
        return factory() if isinstance(factory, LeafDefault) else super().get_default_value(schema)


def json_schema() -> dict[str, Any]:
    """Return the JSON schema of a model file (pydantic ``model_json_schema`` of :class:`Model`).

    Returns
    -------
    dict
        JSON schema (draft 2020-12); every field has its description and, for parameters,
        ``unit``.
    """
    schema = _readable_refs(Model.model_json_schema(schema_generator=_LeafDefaults))
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "hmn_bygg model file",
        **{k: v for k, v in schema.items() if k != "title"},
    }


_SYMBOLS = {">=": "_ge_", "<=": "_le_", ">": "_gt_", "<": "_lt_", "|": "_or_"}


def _readable_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """Name ``$defs`` after their titles (``Param_per_HF_number_ge_0_or_year_path``)."""
    defs = schema.get("$defs", {})
    renames: dict[str, str] = {}
    for old, body in defs.items():
        title = str(body.get("title", old))
        for symbol, word in _SYMBOLS.items():
            title = title.replace(symbol, word)
        title = re.sub(r"-(?=\d)", "minus_", title)  # a negative bound: ge_minus_10
        new = re.sub(r"_+", "_", re.sub(r"[^A-Za-z0-9]+", "_", title)).strip("_")
        if new not in renames.values():
            renames[old] = new

    def fix(node: Any) -> Any:
        if isinstance(node, dict):
            out = {k: fix(v) for k, v in node.items()}
            ref = out.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                name = ref.removeprefix("#/$defs/")
                out["$ref"] = "#/$defs/" + renames.get(name, name)
            return out
        if isinstance(node, list):
            return [fix(v) for v in node]
        return node

    fixed = fix(schema)
    if defs:
        fixed["$defs"] = {renames.get(k, k): v for k, v in fixed["$defs"].items()}
    return fixed


def schema_text() -> str:
    """Return :func:`json_schema` as the text of ``models/schema.json``."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
