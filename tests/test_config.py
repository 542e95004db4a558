"""Model files -> validated, frozen config: bundled files, errors, values, schema."""

from __future__ import annotations

import doctest
import json
import pickle
import shutil
from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError

from hmn_bygg.config import (
    HFS,
    PARTS,
    as_hf_year_array,
    as_part_array,
    as_year_array,
    json_schema,
    keys,
    load_model,
    load_scenarios,
    loader,
    overrides,
    params,
    sections,
    valid_keys,
)
from hmn_bygg.core.errors import InputError
from hmn_bygg.core.paths import models_dir, register_dir

FIXTURES = Path(__file__).parent / "fixtures" / "config"


def problems_of(path: Path) -> list:
    with pytest.raises(InputError) as info:
        load_model(path)
    return info.value.problems


def test_bundled_model_carries_the_documented_values():
    m = load_model()
    assert (m.model.start_year, m.model.end_year) == (2018, 2045)
    assert m.model.targets.vttg_target.value == 1.2
    assert m.model.targets.area_target_m2.value == 650_000
    assert "5.6.2" in m.model.targets.vttg_target.source
    assert dict(m.condition.part_life_years.value) == {
        "2": 60, "3": 35, "4": 35, "5": 20, "6": 30, "7": 35
    }  # fmt: skip
    must, should = m.upgrade_cost.must_nok_per_m2.value, m.upgrade_cost.should_nok_per_m2.value
    # the measure price must rise at least as fast from TG2 to TG3 as from TG1 to TG2 (convex)
    assert all(0 < should[p] <= 0.5 * must[p] for p in PARTS)
    assert set(m.maintenance.budget_mnok.value) == {"HMR", "HNT", "STO"}
    assert all(v > 0 for v in m.maintenance.budget_mnok.value.values())
    assert m.maintenance.extra_budget_mnok.value == 0
    assert m.file == (models_dir() / "hmn.yaml").resolve()
    assert m.register_paths() == [register_dir().resolve()]


def test_every_parameter_has_a_source():
    m = load_model()
    from hmn_bygg.config import resolve_key

    for key in valid_keys():
        r = resolve_key(m, key)
        assert r.source is None or r.source.strip(), key


def test_bundled_scenarios_load_in_file_order():
    scenarios = load_scenarios()
    import yaml

    from hmn_bygg.core.paths import models_dir

    in_file = yaml.safe_load((models_dir() / "scenarios.yaml").read_text(encoding="utf-8"))
    assert list(scenarios) == list(in_file["scenarios"])
    assert list(scenarios)[:2] == ["today", "catch_up"]
    assert scenarios["today"] == load_model()
    extra = scenarios["catch_up"].maintenance.extra_budget_mnok
    assert dict(extra.value) == {2026: 0.0, 2027: 210.0}
    assert "2.11" in extra.source
    assert as_year_array(extra, [2018, 2026, 2027, 2045]).tolist() == [0, 0, 210, 210]


def test_load_scenarios_by_name_keeps_the_order_asked():
    scenarios = load_scenarios(FIXTURES / "model.yaml", names=["both", "base"])
    assert list(scenarios) == ["both", "base"]
    both = scenarios["both"]
    assert both.condition.wear_shape.value == 2.0
    assert both.condition.wear_shape.source == "assumption: slower wear at first"
    assert both.maintenance.budget_mnok.value["HMR"] == 80
    assert both.maintenance.budget_mnok.unit == "MNOK/year"


def test_models_are_frozen():
    m = load_model(FIXTURES / "model.yaml")
    with pytest.raises(ValidationError):
        m.condition = None
    with pytest.raises(ValidationError):
        m.maintenance.budget_mnok.value = 5
    with pytest.raises(TypeError):
        m.maintenance.budget_mnok.value["HMR"] = 5
    with pytest.raises(TypeError):
        m.maintenance.budget_mnok.value["HNT"][2030] = 5
    assert hash(m) == hash(load_model(FIXTURES / "model.yaml"))
    assert pickle.loads(pickle.dumps(m)) == m


def test_placeholder_source_is_refused(tmp_path):
    text = (FIXTURES / "model.yaml").read_text(encoding="utf-8")
    text = text.replace('source: "assumption: test"}', 'source: "TODO"}', 1)
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    (p,) = problems_of(tmp_path / "m.yaml")
    assert p.column == "model.weighting.source"
    assert "placeholder" in str(p.message)


@pytest.mark.parametrize("module", [params, overrides, loader, keys, sections])
def test_doctests(module):
    failed, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert failed == 0


def test_fixture_defaults_and_key_forms():
    m = load_model(FIXTURES / "model.yaml")
    assert m.condition.wear_shape.value == 1.0
    assert m.condition.wear_shape.source.startswith("assumption")
    # part codes written without quotes are read as codes; units m2 = m², yr = years
    assert list(m.condition.part_life_years.value) == list(PARTS)
    assert m.model.targets.area_target_m2.unit == "m2"


@pytest.mark.parametrize(
    ("fixture", "column", "row", "fragments"),
    [
        ("model_unknown_key", "condition.wear_shap", 9, ["unknown key", "'condition.wear_shape'"]),
        ("model_wrong_type", "condition.wear_shape", 9, ["wrong type", "valid number", "steep"]),
        ("model_out_of_range", "maintenance.budget_mnok.HMR", 21, ["out of range", ">= 0"]),
        ("model_missing_source", "model.targets.vttg_target.source", 6, ["no source"]),
        ("model_empty_source", "model.weighting.source", 4, ["empty source", "assumption"]),
        ("model_wrong_unit", "maintenance.budget_mnok.unit", 22, ["wrong unit", "MNOK/year"]),
        ("model_bad_enum", "model.weighting", 4, ["allowed values", "'area' or 'value'"]),
        ("model_missing_part", "condition.part_life_years", 10, ["lacks '7'"]),
        ("model_duplicate_key", "model.name", 4, ["given twice"]),
    ],
)
def test_model_file_errors_name_file_key_line_and_hint(fixture, column, row, fragments):
    problems = problems_of(FIXTURES / f"{fixture}.yaml")
    assert len(problems) == 1, problems
    p = problems[0]
    text = str(p)
    assert p.file.endswith(f"{fixture}.yaml")
    assert (p.column, p.row) == (column, row)
    for fragment in fragments:
        assert fragment in text


def test_yaml_syntax_error_has_line():
    (p,) = problems_of(FIXTURES / "model_syntax.yaml")
    assert "YAML syntax error" in str(p.message)
    assert p.row == 23


def test_missing_file():
    (p,) = problems_of(FIXTURES / "no_such_model.yaml")
    assert str(p.message) == "file not found"
    assert p.file.endswith("no_such_model.yaml")


def test_all_problems_are_collected(tmp_path):
    text = (FIXTURES / "model.yaml").read_text(encoding="utf-8")
    text = text.replace("HMR: 60,", "HMR: -1,").replace("name: tiny", "name: tiny\n  nmae: x")
    text = text.replace('unit: TG, source: "utviklingsplan 2018 section 5.6.2"', "unit: TG")
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    columns = {p.column for p in problems_of(tmp_path / "m.yaml")}
    assert columns == {
        "model.nmae",
        "model.targets.vttg_target.source",
        "maintenance.budget_mnok.HMR",
    }


def test_bare_value_where_a_parameter_belongs(tmp_path):
    text = (FIXTURES / "model.yaml").read_text(encoding="utf-8")
    text = text.replace("condition:\n", "condition:\n  wear_shape: 1.5\n")
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    (p,) = problems_of(tmp_path / "m.yaml")
    assert p.column == "condition.wear_shape"
    assert "{value: ..., unit: ..., source: ...}" in str(p.message)


def test_missing_section_is_named(tmp_path):
    text = (FIXTURES / "model.yaml").read_text(encoding="utf-8")
    text = text[: text.index("maintenance:")]
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    (p,) = problems_of(tmp_path / "m.yaml")
    assert (p.column, str(p.message)) == ("maintenance", "required key is missing")


def test_register_path_is_relative_to_the_model_file(tmp_path):
    shutil.copy(FIXTURES / "model.yaml", tmp_path / "model.yaml")
    m = load_model(tmp_path / "model.yaml")
    assert m.register_paths() == [(tmp_path / "../data/building_register").resolve()]


def test_as_year_array_holds_values_from_their_year():
    years = np.arange(2016, 2031)
    out = as_year_array({2018: 40, 2025: 60}, years)
    assert out[years < 2025].tolist() == [40.0] * 9
    assert out[years >= 2025].tolist() == [60.0] * 6
    assert as_year_array(3, years).shape == years.shape


def test_as_hf_year_array_mixes_scalars_and_paths():
    m = load_model(FIXTURES / "model.yaml")
    a = as_hf_year_array(m.maintenance.budget_mnok, HFS, [2018, 2024, 2025])
    assert a.dims == ("hf", "year")
    assert a.sel(hf="HNT").values.tolist() == [25, 25, 30]
    assert a.sel(hf="STO").values.tolist() == [90, 90, 90]
    b = as_hf_year_array(m.maintenance.extra_budget_mnok, ["HMR", "STO"], [2018])
    assert b.shape == (2, 1)


def test_as_part_array():
    m = load_model(FIXTURES / "model.yaml")
    a = as_part_array(m.condition.part_life_years)
    assert a.dims == ("part",)
    assert a.sel(part="5").item() == 20


def test_schema_file_is_up_to_date():
    committed = json.loads((models_dir() / "schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(), "run: hmn-bygg config schema -o models/schema.json"


def test_schema_documents_units_and_forbids_unknown_keys():
    schema = json_schema()
    maintenance = schema["$defs"]["Maintenance"]
    assert maintenance["additionalProperties"] is False
    assert maintenance["properties"]["budget_mnok"]["unit"] == "MNOK/year"
    assert "register" in schema["$defs"]["ModelSettings"]["properties"]


def test_scenario_labels_and_brief_list_are_checked(tmp_path):
    from hmn_bygg.config.labels import brief_scenarios, scenario_labels
    from hmn_bygg.core.paths import models_dir

    model = tmp_path / "hmn.yaml"
    model.write_text((models_dir() / "hmn.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    scen = tmp_path / "scenarios.yaml"
    scen.write_text(
        "overrides: {}\nscenarios:\n  base: []\n"
        "labels:\n  base: {nb: Grunnlag, en: Base}\n  nope: {nb: X}\n"
        "brief: [base, gone]\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_scenarios(model)
    messages = [str(p.message) for p in caught.value.problems]
    assert "label for an unknown scenario 'nope'" in messages
    assert "'brief' names an unknown scenario 'gone'" in messages
    assert all(p.row is not None for p in caught.value.problems)
    scen.write_text(
        "overrides: {}\nscenarios:\n  base: []\nlabels:\n  base: {nb: Grunnlag}\nbrief: [base]\n",
        encoding="utf-8",
    )
    assert scenario_labels(model) == {"base": {"nb": "Grunnlag", "en": "Grunnlag"}}
    assert brief_scenarios(model) == ["base"]
    assert list(load_scenarios(model)) == ["base"]


def test_a_bad_value_below_its_key_is_pointed_at_on_its_own_line(tmp_path):
    """The line of the wrong value, not of its key (issue 18): a value written below its key,
    a year of a flow mapping spread over two lines, and a nested table entry."""
    text = (FIXTURES / "model.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "    value: {HMR: 60, HNT: {2018: 25, 2025: 30}, STO: 90}",
        "    value: {HMR: 60,\n            HNT: {2018: 25,\n"
        "                  2025: lots}, STO: 90}",
    )
    text = text.replace("  weighting: {value: area,", "  weighting: {value:\n     arae,")
    model = tmp_path / "model.yaml"
    model.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    found = {p.column: p.row for p in problems_of(model)}
    arae = next(i for i, line in enumerate(lines) if line.startswith("     arae,")) + 1
    assert found["model.weighting"] == arae
    hnt_line = lines.index("                  2025: lots}, STO: 90}") + 1
    assert found["maintenance.budget_mnok.HNT.2025"] == hnt_line
    scenarios = tmp_path / "scenarios.yaml"
    scenarios.write_text(
        "overrides:\n"
        "  later:\n"
        "    maintenance.budget_mnok.HMR:\n"
        "      from: 2020\n"
        "      value:\n"
        "        plenty\n"
        "      source: 'assumption: test'\n"
        "  spread:\n"
        "    maintenance.budget_mnok:\n"
        "      value: {HMR: 60, HNT: 25,\n"
        "              STO: many}\n"
        "scenarios:\n"
        "  a: [later]\n"
        "  b: [spread]\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_scenarios(FIXTURES / "model.yaml", scenarios)
    rows = sorted(p.row for p in caught.value.problems)
    assert rows == [6, 11], caught.value.problems
