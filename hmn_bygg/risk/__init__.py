"""Questions under uncertainty: Monte Carlo draws of the whole pipeline.

**In:** scenarios whose parameters declare an ``uncertainty:`` distribution, a draw count and a
seed. **Out:** the results Dataset with a ``draw`` dimension (chunked with dask), and summaries:
quantile fans, probabilities (VTTG ≤ target, liquidity breach) and the drivers of the spread.

Start reading at :func:`~hmn_bygg.risk.ensemble.run_ensemble`.

- :mod:`.inputs`: the uncertain inputs and their draws; :mod:`.plan`: one chunk of draws
  through the stages; :mod:`.chunks`: how many draws a chunk takes, and their order;
  :mod:`.summary`: quantiles, probabilities, drivers.
"""

from hmn_bygg.core.lazy import lazy_exports

__getattr__, __dir__ = lazy_exports(__name__, {"run_ensemble": "ensemble"})
