"""The Panel dashboard: pages for condition, area, finance, scenarios, what-ifs and risk.

Public API: :func:`create_app` (one call per browser session) and :func:`serve`.
Run it with ``hmn-bygg serve`` or ``panel serve dashboards/app.py``.
"""

from hmn_bygg.dashboard.app import create_app
from hmn_bygg.dashboard.server import serve

__all__ = ["create_app", "serve"]
