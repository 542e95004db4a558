"""hmn_bygg: plan a hospital building portfolio and the money behind it.

The toolkit reads a building register (buildings x NS 3451 building parts), simulates
condition grades, area and the long-term budget year by year for many scenarios at once,
and reports the results to the CLI, Excel, notebooks and a Panel dashboard.
"""

__version__ = "0.1.0"
