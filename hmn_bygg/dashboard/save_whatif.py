"""'Lagre som scenario': keep the what-if page's current settings as a named scenario.

The scenario is the what-if's scenario with the controls' overrides on top
(:func:`hmn_bygg.config.user_scenarios.whatif_overrides`), saved in the user scenarios file
(:func:`hmn_bygg.config.user_scenarios.save_scenario`: never in the bundled ``models/``,
validated, never over an existing name, locked against other sessions). It runs at once with
``hmn-bygg run --scenarios FILE -s NAME``. A disposal shift is kept as
``portfolio.disposals.delay_years``. An uploaded register cannot be kept in a scenario file (the
scenario names the model's register) and is refused with a message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

import panel as pn

from hmn_bygg.core.errors import InputError
from hmn_bygg.core.messages import render
from hmn_bygg.dashboard.saved_watch import saved_here
from hmn_bygg.dashboard.state import SessionState
from hmn_bygg.dashboard.text import t


class SaveWhatIf:
    """The name field, button and message of 'Lagre som scenario' on the what-if page.

    Parameters
    ----------
    state : SessionState
        The session (its scenario, model, language and register).
    overrides : callable
        Returns the what-if's overrides (:meth:`WhatIfPage.overrides`).
    """

    def __init__(self, state: SessionState, overrides: Callable[[], dict[str, Any]]) -> None:
        self.state, self._overrides = state, overrides
        self.name = pn.widgets.TextInput(width=300, css_classes=["whatif-save-name"])
        self.button = pn.widgets.Button(color="primary", width=300,
                                        css_classes=["whatif-save"])  # fmt: skip
        self.message = pn.pane.HTML("", width=300, css_classes=["whatif-save-message"])
        self.button.on_click(self.save)
        self.saved: Path | None = None

    def widgets(self) -> list[Any]:
        """Return the widgets in the session's language (for the controls column)."""
        lang = self.state.lang
        self.name.placeholder = t("save_name", lang)
        self.button.name = t("save_scenario", lang)
        return [self.name, self.button, self.message]

    def save(self, *_: Any) -> Path | None:
        """Save the current what-if under the typed name; show where, or why not."""
        from hmn_bygg.config.user_scenarios import save_scenario, whatif_overrides

        lang, state = self.state.lang, self.state
        name = self.name.value.strip()
        try:
            if state.register_origin != "bundled":
                raise ValueError(t("save_no_upload", lang))
            model_file = state.model.file
            scenarios = state.scenarios_path or (
                model_file.parent / "scenarios.yaml" if model_file else None
            )
            merged = whatif_overrides(state.scenario, self._overrides(), scenarios)
            source = (f"what-if saved on the dashboard from scenario {state.scenario}, "
                      f"{dt.date.today().isoformat()}")  # fmt: skip
            path = save_scenario(name, merged, source=source, model_path=model_file)
        except InputError as err:
            text = "; ".join(
                f"{render(p.message, lang)}" + (f" ({render(p.found, lang)})" if p.found else "")
                for p in err.problems
            )
            self.message.object = f'<span style="color:#b00020">{escape(text)}</span>'
            return None
        except ValueError as err:
            self.message.object = f'<span style="color:#b00020">{escape(str(err))}</span>'
            return None
        self.saved = path
        self.message.object = escape(t("save_done", lang, name=name, path=str(path)))
        saved_here()  # every open session of this server lists it now
        return path
