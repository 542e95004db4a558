"""Stage 2: the stock plan, which buildings are in service each year.

**In:** the register Dataset and each scenario's ``portfolio`` section (new buildings,
planned and chosen disposals, delays). **Out:** per scenario, the open year and disposal year
of every building (arrays the condition stage takes), the area path, and disposal proposals
toward an area target.

Start reading at :func:`~hmn_bygg.stock.plan.disposal_plan` and
:func:`~hmn_bygg.stock.plan.open_years` (scenario config → arrays),
then :mod:`.portfolio` (in service, area path, the disposal planner).
"""
