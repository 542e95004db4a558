"""Every model parameter has a reader's name in both languages (brief appendix, Excel, risk)."""

from __future__ import annotations

import re

from hmn_bygg.config import key_index, load_scenarios
from hmn_bygg.config.param_labels import param_label, project_names, unit_label
from hmn_bygg.report.scenario_style import bokeh_dash, scenario_colour


def test_every_parameter_has_a_label_in_both_languages():
    model = load_scenarios(names=["today"])["today"]
    projects = project_names(model)
    assert projects["snr"]
    for key in key_index():
        for lang in ("nb", "en"):
            label = param_label(key, lang, projects)  # type: ignore[arg-type]
            assert label != key and not re.search(r"\w\.\w", label), (key, lang, label)


def test_entries_and_units():
    assert (
        param_label("maintenance.budget_mnok.HMR") == "Vedlikeholdsbudsjett per helseforetak – HMR"
    )
    assert (
        param_label("finance.projects.snr.cost_mnok", "nb", {"snr": "SNR"}) == "SNR: kostnadsramme"
    )
    assert unit_label("MNOK/year") == "MNOK/år" and unit_label("years") == "år"
    assert unit_label("MNOK/year", "en") == "MNOK/year" and unit_label("-") == ""


def test_a_scenario_has_one_colour_wherever_it_is_shown():
    assert scenario_colour("catch_up", ["catch_up"]) == scenario_colour(
        "catch_up", ["today", "plan_2018", "catch_up"]
    )
    assert scenario_colour("today") != scenario_colour("catch_up")
    assert bokeh_dash(()) == "solid" and bokeh_dash((6.0, 2.0)) == "9 3"
