"""Stage 1, inputs: the building register.

**In:** CSV or Excel exports of a property system (a buildings table, optionally a parts
table), and an optional column mapping. **Out:** the register Dataset (dims ``building`` and
``part``; area, age, condition grades, values), plus problems a user can act on.

Start reading at :func:`~hmn_bygg.register.load.load_register`.

- :mod:`.read`, :mod:`.xlsx`, :mod:`.xlsx_stream`: read and decode files;
- :mod:`.checks`: check tables against ``columns.csv``, collecting every problem;
- :mod:`.model`: build the register Dataset;
- :mod:`.load`: the public entry points (load, check, describe);
- :mod:`.weighting`: the weighted grade (VTTG) from parts to buildings to portfolios;
- :mod:`.summary`: a Tabell-1 style summary; :mod:`.synth`, :mod:`.synth_report`: the
  synthetic register calibrated to Tabell 1.
"""

from hmn_bygg.core.lazy import lazy_exports

SYNTH_SEED = 2018
"""Seed of the bundled synthetic register (``hmn-bygg register synthesize``)."""

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "load_register": "load",
        "check_register": "load",
        "describe_register": "load",
        "load_mapping": "load",
        "register_summary": "summary",
        "synthesize": "synth",
    },
)
