"""Cell-by-cell reading of one workbook for the assumptions template: :class:`SheetReader`
collects every problem of a workbook, named by sheet and cell (:class:`Where`), instead of
stopping at the first."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from hmn_bygg.core.errors import Problem
from hmn_bygg.core.limits import Limits
from hmn_bygg.core.messages import Msg, Text
from hmn_bygg.excel.workbook_read import EXCEL_ERRORS
from hmn_bygg.register.table import UncachedFormula

_TRUE = {"true", "ja", "yes", "sann", "1", "x"}


_FALSE = {"false", "nei", "no", "usann", "0"}


_DATES = (dt.datetime, dt.date, dt.time, dt.timedelta)


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _shown(found: Any) -> Msg | str | None:
    """A cell as a problem shows it: at most 100 characters."""
    if found is None or isinstance(found, Msg):
        return found
    text = str(found)
    return text if len(text) <= 100 else Msg("excel.text_and_length", start=text[:60], n=len(text))


@dataclass
class Where:
    """Where a key's value was read: its row, the cell (or cells) and each year's cell."""

    row: int
    cell: str
    years: dict[int, str] = field(default_factory=dict)
    key_cell: str = ""


@dataclass
class SheetReader:
    """Collects the problems of one workbook, each named by sheet and cell.

    Parameters
    ----------
    file : str
        The workbook's name as the user gave it.
    limits : hmn_bygg.core.limits.Limits
        Text length and number limits for the cells.
    problems : list of Problem
        The problems found so far.
    """

    file: str
    limits: Limits
    problems: list[Problem] = field(default_factory=list)

    def problem(self, message: Text, where: str, row: int | None,
                expected: Text | None = None, found: Any = None) -> None:  # fmt: skip
        """Add a problem at ``where`` (``Sheet!C7``), shortening what was found."""
        self.problems.append(Problem(self.file, message, row, where, expected, _shown(found)))

    def usable(self, cell: Any, where: str, row: int) -> bool:
        """Whether a cell can be read at all; if not, say why."""
        if isinstance(cell, UncachedFormula):
            self.problem(Msg("excel.formula_without_result"), where, row,
                         Msg("excel.a_saved_value"), cell)  # fmt: skip
            return False
        if isinstance(cell, str) and cell.strip() in EXCEL_ERRORS:
            self.problem(Msg("excel.excel_error_value"), where, row,
                         Msg("excel.correct_the_formula"), cell)  # fmt: skip
            return False
        if isinstance(cell, str) and len(cell) > self.limits.max_cell_chars:
            at_most = Msg("register.at_most_characters", n=self.limits.max_cell_chars)
            self.problem(Msg("excel.cell_too_long"), where, row, at_most, cell)
            return False
        return True

    def number(self, cell: Any, unit: str | None, where: str, row: int) -> float | None:
        """A number cell as a float; None (and a problem) when it holds anything else.

        Numbers as they are; text like ``1 234,5`` or ``-5`` parsed. Not finite and
        implausibly large numbers are refused, and so are yes/no, dates and times.
        """
        shown_unit = unit and unit not in ("-", "1")
        expected = Msg("excel.a_number_unit", unit=unit) if shown_unit else Msg("excel.a_number")
        number: float | None = None
        if isinstance(cell, int | float) and not isinstance(cell, bool):
            number = float(cell)
        elif isinstance(cell, str):
            text = cell.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
            text = text.replace("−", "-").replace(",", ".")
            try:
                number = float(text)
            except ValueError:
                number = None
        if number is None:
            if isinstance(cell, _DATES):
                expected = Msg("excel.holds_a_date", expected=expected)
            self.problem(Msg("register.not_a_number"), where, row, expected, cell)
            return None
        if not math.isfinite(number):
            self.problem(Msg("excel.not_finite"), where, row, expected, cell)
            return None
        if abs(number) > self.limits.max_abs_number:
            largest = f"{self.limits.max_abs_number:g}"
            at_most = Msg("register.value_at_most", value=expected, largest=largest)
            self.problem(Msg("register.implausibly_large"), where, row, at_most, cell)
            return None
        return number

    def scalar(self, cell: Any, current: Any, unit: str | None, where: str, row: int) -> Any:
        """Parse a 'Verdi' cell by the type of the current value."""
        if is_empty(cell):
            if current is None:
                return None
            shown_unit = unit and unit not in ("-", "1")
            value = Msg("excel.a_value_unit", unit=unit) if shown_unit else Msg("register.a_value")
            self.problem(Msg("excel.cell_is_empty"), where, row, value)
            return current
        if isinstance(current, bool):
            if isinstance(cell, bool):
                return cell
            if isinstance(cell, int | float) and cell in (0, 1):
                return bool(cell)
            text = str(cell).strip().lower()
            if text in _TRUE | _FALSE:
                return text in _TRUE
            self.problem(Msg("excel.not_yes_no"), where, row, Msg("excel.yes_no"), cell)
            return current
        if isinstance(current, str):
            return str(cell).strip()
        number = self.number(cell, unit, where, row)
        if number is None:
            return current
        if isinstance(current, int) and number.is_integer():
            return int(number)
        return number
