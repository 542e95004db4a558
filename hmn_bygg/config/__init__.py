"""Model and scenario files -> validated, frozen configuration.

``models/hmn.yaml`` is the base model; ``models/scenarios.yaml`` holds named overrides and
scenarios (lists of override names). Every parameter is a leaf ``{value, unit, source}``.

Public API
----------
- :func:`load_model`, :func:`load_scenarios`: read and validate files;
- :func:`apply_overrides`: programmatic what-ifs by dotted key;
- :func:`resolve_key`, :func:`valid_keys`: look parameters up by dotted key;
- :func:`as_year_array`, :func:`as_hf_year_array`, :func:`as_part_array`: evaluate values;
- :func:`json_schema`: the schema of a model file;
- :func:`load_region`, :func:`hf_codes`, :func:`hf_name`: the region's health trusts (HF),
  their order and names, from ``models/organisation.csv`` (:mod:`hmn_bygg.config.region`);
  ``HFS`` is the region's codes at the moment it is looked up (prefer :func:`hf_codes`);
- :class:`Model` and its sections; :class:`Param`.

See :mod:`hmn_bygg.config.sections` for how to add a section, :mod:`hmn_bygg.config.overrides`
for the override rules and :mod:`hmn_bygg.config.params` for value shapes.
"""

from hmn_bygg.config.keys import KeyInfo, key_index, valid_keys
from hmn_bygg.config.loader import default_model_path, load_model, load_scenarios
from hmn_bygg.config.ltb_sections import (
    USES,
    DisposalAt,
    DisposalRule,
    Disposals,
    NewBuilding,
    Regional,
)
from hmn_bygg.config.overrides import Resolved, apply_overrides, resolve_key, start_from
from hmn_bygg.config.params import PARTS, FrozenDict, Param, is_year_path
from hmn_bygg.config.project_sections import ASSET_CLASSES, Project, Projects, StateLoan
from hmn_bygg.config.region import Region, hf_codes, hf_name, load_region
from hmn_bygg.config.schema import json_schema, schema_text
from hmn_bygg.config.sections import (
    Condition,
    Finance,
    Maintenance,
    Model,
    ModelSettings,
    Portfolio,
    Section,
    Targets,
    UpgradeCost,
    leaf,
)
from hmn_bygg.config.year_arrays import as_hf_year_array, as_part_array, as_year_array

__all__ = [
    "ASSET_CLASSES",
    "HFS",
    "PARTS",
    "USES",
    "Condition",
    "DisposalAt",
    "DisposalRule",
    "Disposals",
    "Finance",
    "FrozenDict",
    "KeyInfo",
    "Maintenance",
    "Model",
    "ModelSettings",
    "NewBuilding",
    "Param",
    "Portfolio",
    "Project",
    "Projects",
    "Region",
    "Regional",
    "Resolved",
    "Section",
    "StateLoan",
    "Targets",
    "UpgradeCost",
    "apply_overrides",
    "as_hf_year_array",
    "as_part_array",
    "as_year_array",
    "default_model_path",
    "hf_codes",
    "hf_name",
    "is_year_path",
    "json_schema",
    "key_index",
    "leaf",
    "load_model",
    "load_region",
    "load_scenarios",
    "resolve_key",
    "schema_text",
    "start_from",
    "valid_keys",
]


def __getattr__(name: str) -> object:
    """``HFS``: the region's HF codes when looked up (:func:`hf_codes`), for older imports."""
    if name == "HFS":
        return hf_codes()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
