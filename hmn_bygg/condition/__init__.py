"""Stage 3: condition, wear, maintenance and grades year by year.

**In:** the register Dataset and stacked scenario inputs
(:class:`~hmn_bygg.condition.inputs.ConditionInputs`: part lives, cost norms, budgets, policy,
the stock plan's open and disposal years). **Out:** one Dataset per run with condition grades,
VTTG per HF and region, area, upgrade need and maintenance spend per scenario and year.

Start reading at :func:`~hmn_bygg.condition.simulate.simulate` (the one year loop).

- :mod:`.wear`: deterministic and Markov wear, upgrade need;
- :mod:`.maintenance`: the policies that spend the budget; :mod:`.waterfill`: the compiled
  allocation; :mod:`.grade_sums`: compiled sums per HF.
"""
