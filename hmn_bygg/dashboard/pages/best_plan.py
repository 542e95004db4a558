"""Beste plan: the cheapest plan of maintenance, upgrades and disposals, checked by the engine.

The solve takes minutes (a MILP per round and an engine run to check it,
:func:`hmn_bygg.solve.plan_solve.solve_verified`), so it runs in the server's ``plan`` worker
thread, as the risk page runs its ensembles; finished plans are kept per choice.
"""

from __future__ import annotations

from collections import OrderedDict
from html import escape
from typing import Any

import pandas as pd
import panel as pn

from hmn_bygg.core.fmt import Lang, fmt_number
from hmn_bygg.dashboard.components import note
from hmn_bygg.dashboard.state import SessionState
from hmn_bygg.dashboard.text import scenario_name, t
from hmn_bygg.dashboard.workers import run_in_worker, worker_pool

CACHE_SIZE = 8
_CACHE: OrderedDict[tuple, tuple[Any, dict, list[float]]] = OrderedDict()


def compute(state_model, register, others, key: tuple) -> tuple[Any, dict, list[float]]:
    """Solve and check one plan (in the worker thread); ``key`` holds the targets."""
    from hmn_bygg.solve.plan_model import Targets
    from hmn_bygg.solve.plan_options import load_plan_options
    from hmn_bygg.solve.plan_verify import solve_verified

    _, target, by, area, area_by = key
    goal = Targets(target, by, area, area_by, float(state_model.finance.discount_rate.value))
    return solve_verified(state_model, goal, load_plan_options(), others=others, register=register)


class BestPlanPage:
    """The form, the worker run and the plan's tables for one session."""

    def __init__(self, state: SessionState) -> None:
        self.state = state
        tg = state.model.model.targets
        self.target = pn.widgets.FloatInput(value=float(tg.vttg_target.value), step=0.05, width=120)
        self.by = pn.widgets.IntInput(value=2035, width=120)
        self.area = pn.widgets.FloatInput(
            value=float(tg.area_target_m2.value), step=1000, width=140
        )
        self.area_by = pn.widgets.IntInput(value=2032, width=120)
        self.button = pn.widgets.Button(color="primary", width=200)
        self.button.on_click(self.run)
        self.status = pn.pane.HTML(sizing_mode="stretch_width")
        self.body = pn.Column(sizing_mode="stretch_width")
        self.running: tuple | None = None

    def key(self) -> tuple:
        """The current choice: scenario and targets."""
        return (
            self.state.scenario,
            float(self.target.value),
            int(self.by.value),
            float(self.area.value),
            int(self.area_by.value),
        )

    def build(self, state: SessionState | None = None) -> pn.Column:
        """Return the page in the session's language."""
        lang: Lang = self.state.lang
        self.target.name, self.by.name = t("plan_target", lang), t("plan_by", lang)
        self.area.name, self.area_by.name = t("plan_area", lang), t("plan_area_by", lang)
        self.button.name = t("plan_run", lang)
        done = _CACHE.get(self.key())
        if done is not None:
            self.show(*done)
        elif self.running is None:
            self.status.object = _status(t("plan_not_run", lang), "idle")
        return pn.Column(
            note(t("plan_intro", lang)),
            pn.Row(self.target, self.by, self.area, self.area_by, self.button),
            self.status,
            self.body,
            sizing_mode="stretch_width",
        )

    def run(self, *_: Any) -> None:
        """Solve the current choice in the worker thread (or show the kept plan)."""
        key = self.key()
        if key in _CACHE or self.running is not None:
            self.build()
            return
        s = self.state
        models = dict(s.models)
        args = (models[s.scenario], s.register, models, key)
        self.running = key
        self.button.disabled = True
        name = scenario_name(s.scenario, s.lang, s.labels)
        self.status.object = _status(t("plan_busy", s.lang, scenario=name), "busy")

        run_in_worker(
            worker_pool("plan"), lambda: compute(*args), lambda result: self.done(key, result)
        )

    def done(self, key: tuple, result: Any) -> None:
        """Keep a finished plan and show it if the form still asks for it."""
        self.running = None
        self.button.disabled = False
        if isinstance(result, Exception):
            self.status.object = _status(f"{t('plan_failed', self.state.lang)}: {result}", "error")
            return
        _CACHE[key] = result
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
        if key == self.key():
            self.show(*result)

    def show(self, sol: Any, check: dict, errors: list[float]) -> None:
        """Show a plan: status, shortfalls, actions, budgets and the engine's check."""
        lang: Lang = self.state.lang
        met = bool(check.get("targets_met"))
        head = t("plan_met" if met else "plan_not_met", lang)
        gap = fmt_number(100 * (sol.mip_gap or 0.0), 2, lang)
        cost = fmt_number(sol.cost_mnok or 0.0, 0, lang)
        err = fmt_number(errors[-1] if errors else 0.0, 3, lang)
        text = t("plan_summary", lang, status=sol.termination, gap=gap, cost=cost, error=err)
        self.status.object = _status(f"{head} {text}", "done")
        rows = [[s["constraint"], s["hf"], s["year"], fmt_number(s["by"], 2, lang), s["unit"]]
                for s in sol.shortfalls]  # fmt: skip
        acts = [[a["year"], a["hf"], t(f"plan_{a['action']}", lang), a["building"],
                 fmt_number(a["area_m2"], 0, lang), fmt_number(a["grade"], 2, lang),
                 fmt_number(a["cash_mnok"], 1, lang)] for a in sol.actions]  # fmt: skip
        budget = pd.DataFrame(
            [[fmt_number(v, 0, lang) for v in row] for row in sol.budget_mnok],
            index=sol.hfs,
            columns=[str(y) for y in sol.years],
        )
        costs = [[name, fmt_number(c["mnok"], 0, lang), t(f"plan_meets_{c['meets']}", lang)]
                 for name, c in check.get("present_cost", {}).items()]  # fmt: skip
        self.body.objects = [
            *(
                [pn.pane.Markdown(f"### {t('plan_shortfalls', lang)}"), _table(rows, "short", lang)]
                if rows
                else []
            ),
            pn.pane.Markdown(f"### {t('plan_actions', lang)}"),
            _table(acts, "actions", lang),
            pn.pane.Markdown(f"### {t('plan_budgets', lang)}"),
            pn.pane.DataFrame(budget, escape=True, sizing_mode="stretch_width"),
            pn.pane.Markdown(f"### {t('plan_costs', lang)}"),
            _table(costs, "costs", lang),
        ]


def _table(rows: list[list], kind: str, lang: Lang) -> pn.pane.DataFrame:
    cols = t(f"plan_cols_{kind}", lang).split("|")
    frame = pd.DataFrame(rows, columns=cols)
    return pn.pane.DataFrame(frame, escape=True, index=False, sizing_mode="stretch_width")


def _status(text: str, state: str) -> str:
    return f'<span data-testid="plan-status" data-state="{state}">{escape(text)}</span>'
