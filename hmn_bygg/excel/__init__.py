"""Excel workbooks for finance staff: results out (:mod:`.export`), LTB assumptions in and out
(:mod:`.template`).

Public API
----------
- :func:`export_results`: a results Dataset -> a workbook with one sheet per topic;
- :func:`read_sheet`: a result sheet back as a pandas table (for checks and notebooks);
- :func:`write_template`: a model's parameters -> the assumptions workbook;
- :func:`overrides_from_workbook`: an edited assumptions workbook -> dotted-key overrides.
"""

from hmn_bygg.excel.export import SHEETS, SheetSpec, export_results, number_format, read_sheet
from hmn_bygg.excel.template import (
    TEMPLATE_SHEETS,
    overrides_from_workbook,
    template_rows,
    write_template,
)

__all__ = [
    "SHEETS",
    "TEMPLATE_SHEETS",
    "SheetSpec",
    "export_results",
    "number_format",
    "overrides_from_workbook",
    "read_sheet",
    "template_rows",
    "write_template",
]
