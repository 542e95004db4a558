"""Stage 4: money, the long-term budget (LTB) per HF.

**In:** the condition results (area, maintenance spend), the stock plan and each scenario's
``portfolio`` and ``finance`` sections. **Out:** investments, loans, depreciation, operating
result, cash flow and liquidity per HF and year, added to the results Dataset.

Start reading at :func:`~hmn_bygg.finance.ltb.book`.

- :mod:`.loans`: loan tranches and depreciation; :mod:`.cash`: cash flow and liquidity;
- :mod:`.capacity`: carrying capacity, the largest extra investment an HF can carry;
- :mod:`.rows`: the rows booked (scenarios or Monte Carlo draws) and what is read of their
  models once (the results Dataset is built once from its variables by
  :mod:`hmn_bygg.core.assemble`).
"""
