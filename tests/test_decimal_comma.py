"""A number written the Norwegian way is read wherever a person types one."""

from __future__ import annotations

import shutil

import pytest

from hmn_bygg.cli.arguments import decimal
from hmn_bygg.config import load_scenarios
from hmn_bygg.core.errors import InputError
from hmn_bygg.core.numbers import typed_numbers
from hmn_bygg.core.paths import models_dir


def test_typed_numbers_on_the_command_line():
    assert decimal("1,2") == decimal("1.2") == 1.2
    assert decimal("650 000") == 650000.0
    for bad in ("1x2", "12 %", ""):
        with pytest.raises(ValueError, match="expected a number"):
            decimal(bad)


def test_a_yaml_value_with_a_decimal_comma(tmp_path):
    folder = tmp_path / "models"
    shutil.copytree(models_dir(), folder)
    scen = folder / "scenarios.yaml"
    text = scen.read_text(encoding="utf-8")
    assert "      value: 210\n" in text
    scen.write_text(text.replace("      value: 210\n", '      value: "210,5"\n', 1), "utf-8")
    model = folder / "hmn.yaml"
    chosen = load_scenarios(model, None, ["catch_up"])["catch_up"]
    assert chosen.maintenance.extra_budget_mnok.value[2027] == 210.5
    scen.write_text(text.replace("      value: 210\n", '      value: "210;5"\n', 1), "utf-8")
    with pytest.raises(InputError, match="210;5"):
        load_scenarios(model, None, ["catch_up"])


def test_texts_that_are_no_numbers_stay_text():
    assert typed_numbers({"kind": "serial", "year": "2019"}) == {"kind": "serial", "year": "2019"}
