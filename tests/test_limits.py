"""The stated limits (``hmn_bygg.core.limits``): refused up front, quickly, with what to do."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import openpyxl
import pytest

from hmn_bygg.config import load_model
from hmn_bygg.core.errors import InputError
from hmn_bygg.core.limits import (
    LIMITS,
    Limits,
    estimate_result_bytes,
    result_size_problem,
)
from hmn_bygg.register.load import load_register

FIXTURES = Path(__file__).parent / "fixtures"
BASIC = FIXTURES / "register" / "basic"
MODEL = FIXTURES / "config" / "model.yaml"
CORPUS = Path(__file__).parent / "corpus" / "config"


def refused(call, *args, **kwargs) -> str:
    """Run ``call``; return the text of the InputError it must raise."""
    with pytest.raises(InputError) as caught:
        call(*args, **kwargs)
    return str(caught.value)


def test_limits_are_frozen_data_with_the_stated_values():
    assert LIMITS.max_register_file_bytes == 200 * 2**20
    assert (LIMITS.max_buildings, LIMITS.max_part_rows) == (200_000, 2_000_000)
    with pytest.raises(dataclasses.FrozenInstanceError):
        LIMITS.max_buildings = 1  # type: ignore[misc]


def test_a_huge_register_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "buildings.csv"
    with path.open("wb") as f:  # a sparse file: 201 MB on paper, nothing on disk
        f.truncate(201 * 2**20)
    start = time.perf_counter()
    text = refused(load_register, path)
    assert time.perf_counter() - start < 1.0
    assert "too large to be a register file" in text and "split it" in text


def test_too_many_lines_rows_and_buildings(tmp_path):
    small = Limits(max_part_rows=5, max_buildings=2)
    text = refused(load_register, BASIC, limits=small)
    assert "too many" in text and "drop rows" in text
    few = Limits(max_buildings=2)
    assert "too many buildings" in refused(load_register, BASIC, limits=few)


def test_too_many_workbook_rows_stop_the_reading(tmp_path):
    path = tmp_path / "buildings.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["building_id", "name", "hf", "site", "floor_area", "built_year", "TG"])
    for i in range(50):
        sheet.append([f"B{i}", "x", "HMR", "Molde", 100, 1990, 1])
    book.save(path)
    assert load_register(path).sizes["building"] == 50
    assert "more than 30" in refused(load_register, path, limits=Limits(max_part_rows=20))
    text = refused(load_register, path, limits=Limits(max_xlsx_unpacked_bytes=1000))
    assert "unpacks to more data" in text


def test_cell_length_and_number_size(tmp_path):
    path = tmp_path / "buildings.csv"
    path.write_text(
        "building_id;name;hf;site;floor_area;built_year;TG\n"
        f"B1;{'x' * 50};HMR;Molde;5000000;1990;1\n",
        encoding="utf-8",
    )
    assert load_register(path)["floor_area"].item() == 5e6
    assert "far too long" in refused(load_register, path, limits=Limits(max_cell_chars=20))
    assert "implausibly large" in refused(load_register, path, limits=Limits(max_abs_number=1e6))


def test_yaml_limits(tmp_path):
    assert load_model(MODEL).model.name == "tiny"
    assert "too large" in refused(load_model, MODEL, limits=Limits(max_yaml_bytes=100))
    assert "expand to more than 10" in refused(load_model, MODEL, limits=Limits(max_yaml_nodes=10))
    assert "nested more than 2" in refused(load_model, MODEL, limits=Limits(max_yaml_depth=2))


def test_alias_bomb_is_refused_quickly():
    start = time.perf_counter()
    assert "aliases expand" in refused(load_model, CORPUS / "billion_laughs.yaml")
    assert time.perf_counter() - start < 1.0


def test_estimate_result_bytes_and_its_limit():
    one = estimate_result_bytes(1, 28, 1000, 6)
    assert estimate_result_bytes(100, 28, 1000, 6) == 100 * one
    assert estimate_result_bytes(1, 56, 1000, 6) == 2 * one
    assert result_size_problem(1, 28, 1000, 6) is None
    problem = result_size_problem(10_000, 28, 1000, 6, file="models/hmn.yaml")
    assert problem is not None and problem.file == "models/hmn.yaml"
    assert "run at most" in str(problem.expected)
    nb = problem.render("nb")
    assert "kjør høyst 1 062 scenarioer" in nb and "omtrent 37,7 GB for 10 000 scenarioer" in nb


def test_a_run_too_large_for_memory_is_refused_up_front(monkeypatch):
    from hmn_bygg.config import load_scenarios
    from hmn_bygg.core.errors import InputError
    from hmn_bygg.core.limits import Limits, result_size_problem
    from hmn_bygg.engine import run as run_module

    small = Limits(max_result_bytes=1000)
    monkeypatch.setattr(
        run_module,
        "result_size_problem",
        lambda *a, **k: result_size_problem(*a, **{**k, "limits": small}),
    )
    with pytest.raises(InputError) as caught:
        run_module.run_models(load_scenarios(None, None, ["today"]))
    assert "would not fit in memory" in str(caught.value.problems[0].message)
