"""Stage 1, inputs: the LTB assumptions workbook that finance staff fill in.

**In:** a model (its parameters) to write the workbook from, or an edited workbook to read.
**Out:** the workbook (``hmn-bygg template``), or dotted-key overrides that apply the staff's
numbers to every scenario (``hmn-bygg run --ltb``). The results workbook is an output and lives
in :mod:`hmn_bygg.report.excel_export`.

Public API
----------
- :func:`write_template`: a model's parameters -> the assumptions workbook;
- :func:`overrides_from_workbook`: an edited assumptions workbook -> dotted-key overrides.

Start reading at :func:`~hmn_bygg.excel.template.overrides_from_workbook`.
"""

from hmn_bygg.excel.template import (
    TEMPLATE_SHEETS,
    overrides_from_workbook,
    template_rows,
    write_template,
)

__all__ = [
    "TEMPLATE_SHEETS",
    "overrides_from_workbook",
    "template_rows",
    "write_template",
]
