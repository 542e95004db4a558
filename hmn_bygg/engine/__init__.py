"""The one place that runs the stages in order: inputs → stock → condition → money.

**In:** validated models (one per scenario) and a register. **Out:** the results Dataset
(dims ``scenario``, ``year``, ``hf``, ``building``, ``part``).

Start reading at :func:`~hmn_bygg.engine.run.run_models`.
"""

from hmn_bygg.core.lazy import lazy_exports

__getattr__, __dir__ = lazy_exports(
    __name__,
    {"run": "run", "run_models": "run", "register_for": "run", "model_years": "run"},
)
