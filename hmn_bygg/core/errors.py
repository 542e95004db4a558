"""Errors a user can act on: which file, row, column or key; what was expected; what was found.

Readers and validators collect every :class:`Problem` they find and raise one
:class:`InputError` holding them all, so a user fixes a file in one pass. The CLI prints the
problems and exits non-zero without a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input.

    Parameters
    ----------
    file : str
        File the problem is in (as the user named it).
    message : str
        What is wrong, in a short sentence.
    row : int or None
        1-based row as a spreadsheet shows it (the header is row 1), when it applies.
    column : str or None
        Column heading as written in the file, or a config key, when it applies.
    expected : str or None
        What a valid value looks like.
    found : str or None
        What the file holds.
    """

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    expected: str | None = None
    found: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column '{self.column}'"
        text = f"{where}: {self.message}"
        if self.expected is not None:
            text += f"; expected {self.expected}"
        if self.found is not None:
            text += f", found {self.found!r}" if self.expected else f"; found {self.found!r}"
        return text


@dataclass
class InputError(Exception):
    """One or more problems with the user's inputs; ``str()`` lists them all."""

    problems: list[Problem] = field(default_factory=list)
    title: str = "The input has problems"

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        n = len(self.problems)
        lines = [f"{self.title} ({n} problem{'s' if n != 1 else ''}):"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)
