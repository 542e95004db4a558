"""Display names of the uncertain inputs (risk page): the parameters' labels of the reports.

One place holds every parameter's name for readers (:mod:`hmn_bygg.config.param_labels`);
the risk page's drivers use it as the brief's appendix and the Excel sheet do.
"""

from __future__ import annotations

from collections.abc import Mapping

from hmn_bygg.config.param_labels import param_label
from hmn_bygg.core.fmt import Lang

__all__ = ["input_label"]


def input_label(key: str, lang: Lang = "nb", projects: Mapping[str, str] | None = None) -> str:
    """Return the display name of an uncertain input, or its dotted key when it has none.

    Examples
    --------
    >>> input_label("finance.projects.snr.cost_mnok", "nb", {"snr": "SNR"})
    'SNR: kostnadsramme'
    >>> input_label("some.other.key")
    'some.other.key'
    """
    return param_label(key, lang, projects)
