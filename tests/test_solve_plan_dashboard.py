"""The dashboard page "Beste plan": form in both languages, a plan shown with escaped text."""

from __future__ import annotations

from types import SimpleNamespace

import panel as pn
import pytest

from hmn_bygg.dashboard.pages.best_plan import BestPlanPage
from hmn_bygg.dashboard.state import SessionState


def _html(obj) -> str:
    return " ".join(str(getattr(o, "object", "")) for o in obj.select()) + str(
        getattr(obj, "object", "")
    )


@pytest.fixture(scope="module")
def state() -> SessionState:
    return SessionState()


def test_form_in_both_languages_without_solving(state) -> None:
    page = BestPlanPage(state)
    col = page.build()
    assert page.button.name == "Finn beste plan"
    assert 'data-state="idle"' in page.status.object
    state.lang = "en"
    try:
        page.build()
        assert page.button.name == "Find the best plan"
    finally:
        state.lang = "nb"
    assert col is not None


def test_plan_text_is_escaped_and_shortfalls_shown(state) -> None:
    page = BestPlanPage(state)
    sol = SimpleNamespace(
        mip_gap=0.001, cost_mnok=8123.4, termination="optimal", hfs=["HMR"], years=[2027],
        budget_mnok=[[123.0]],
        shortfalls=[{"constraint": "credit line", "hf": "HMR", "year": 2027, "by": 397.3,
                     "unit": "MNOK"}],
        actions=[{"year": 2027, "hf": "HMR", "action": "dispose", "building": "<b>x</b>",
                  "area_m2": 500.0, "grade": 2.1, "cash_mnok": 7.4}],
    )  # fmt: skip
    check = {"targets_met": False, "present_cost": {"plan": {"mnok": 1.0, "meets": False}}}
    page.show(sol, check, [0.01])
    frames = [o for o in page.body.select(pn.pane.DataFrame)]
    assert frames and all(f.escape for f in frames)  # user text (building ids) escaped in HTML
    html = frames[1].object.to_html(escape=frames[1].escape)
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
    text = _html(page.body)
    assert "397,30" in text and "avhending" in text
    assert 'data-state="done"' in page.status.object and "IKKE" in page.status.object
