"""Errors a user can act on: which file, row, column or key; what was expected; what was found.

Readers and validators collect every :class:`Problem` they find and raise one
:class:`InputError` holding them all, so a user fixes a file in one pass. The CLI prints the
problems and exits non-zero without a traceback.

A problem's message, its expected value and an error's title are
:class:`~hmn_bygg.core.messages.Msg` items (catalogue keys with fields), so that
:meth:`InputError.render` writes the whole error in the reader's language; the framing
("row", "expected", "found", "3 problems") is the catalogue ``hmn_bygg/core/messages.yaml``.
``str()`` gives the English text, for logs and tracebacks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hmn_bygg.core.fmt import Lang
from hmn_bygg.core.messages import Msg, Text, render


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input.

    Parameters
    ----------
    file : str
        File the problem is in (as the user named it); ``""`` when it is about no one file
        (nothing uploaded, no file given), and the line starts with the message.
    message : Msg or str
        What is wrong, in a short sentence (a plain string only for a library's own words).
    row : int or None
        1-based row as a spreadsheet shows it (the header is row 1), when it applies.
    column : str or None
        Column heading as written in the file, or a config key, when it applies.
    expected : Msg or str or None
        What a valid value looks like.
    found : str or Msg or None
        What the file holds, as it is written there (a :class:`Msg` when the reader
        describes it in words of its own, e.g. "0 bytes").
    """

    file: str
    message: Text
    row: int | None = None
    column: str | None = None
    expected: Text | None = None
    found: Text | None = None

    def render(self, lang: Lang = "en") -> str:
        """The problem as one line in ``lang``: where, what, expected and found."""
        where = self.file
        if self.row is not None:
            where += Msg("core.at_row", row=str(self.row)).render(lang)
        if self.column is not None:
            where += Msg("core.at_column", column=self.column).render(lang)
        message = render(self.message, lang) or ""
        text = f"{where}: {message}" if where else message  # no file: the message alone
        if self.expected is not None:
            text += Msg("core.expected", expected=render(self.expected, lang)).render(lang)
        if self.found is not None:
            shown = repr(render(self.found, lang))
            after = Msg("core.found_after", found=shown) if self.expected is not None else None
            text += (after or Msg("core.found", found=shown)).render(lang)
        return text

    def __str__(self) -> str:
        return self.render("en")


@dataclass
class InputError(Exception):
    """One or more problems with the user's inputs; ``str()`` lists them all."""

    problems: list[Problem] = field(default_factory=list)
    title: Text = field(default_factory=lambda: Msg("core.input_has_problems"))

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def render(self, lang: Lang = "en") -> str:
        """The title, the number of problems and one line per problem, in ``lang``."""
        count = Msg("core.problem_count", n=len(self.problems))
        if len(self.problems) == 1:
            count = Msg("core.one_problem")
        lines = [f"{render(self.title, lang)} ({count.render(lang)}):"]
        lines += [f"  - {p.render(lang)}" for p in self.problems]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.render("en")
