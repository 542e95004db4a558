"""The hmn_bygg dashboard as a Panel app script: ``panel serve dashboards/app.py``.

Panel runs this script once per browser session, so each session gets its own state.
``hmn-bygg serve`` starts the same app, with the session clean-up settings of
:mod:`hmn_bygg.dashboard.server` and a ``/sessions`` count; with ``panel serve`` give them as
``--unused-session-lifetime 30000 --check-unused-sessions 5000``.
"""

import panel as pn

from hmn_bygg.dashboard import create_app

pn.config.inline = True
create_app().servable(title="HMN bygg")
