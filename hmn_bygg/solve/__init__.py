"""Inverse questions: what budget reaches a grade target by a given year?

**In:** a scenario, a target and a year. **Out:** the smallest budget that meets it, with the
overrides that express it. The disposal planner lives in :mod:`hmn_bygg.stock.portfolio` and
carrying capacity in :mod:`hmn_bygg.finance.capacity`.

Start reading at :func:`~hmn_bygg.solve.budget.solve_budget`.
"""

from hmn_bygg.core.lazy import lazy_exports

__getattr__, __dir__ = lazy_exports(__name__, {"solve_budget": "budget"})
