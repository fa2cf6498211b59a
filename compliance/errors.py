"""User-facing errors.

Every error that a user can cause (a malformed term sheet, a broken pack, a bad flag) is a
:class:`UserError`. The CLI prints it as one line per problem and exits 2; it never shows a
traceback. Programming errors stay ordinary exceptions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one input, located as precisely as we can."""

    file: str | None
    line: int | None  # 1-based
    column: int | None  # 1-based
    field: str | None  # dotted path inside the record, e.g. "underlying.resource"
    message: str

    def __str__(self) -> str:
        if self.file is None and self.line is None:
            return f"{self.field}: {self.message}" if self.field else self.message
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        head = f"{where}: {self.field}: " if self.field else f"{where}: "
        return head + self.message


class UserError(Exception):
    """An error in the user's input; carries one or more located problems."""

    def __init__(self, problems: Problem | str | Iterable[Problem]) -> None:
        if isinstance(problems, str):
            problems = [Problem(None, None, None, None, problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class InputError(UserError):
    """Malformed instrument, counterparty, order or trade input."""


class PackError(UserError):
    """A rule pack that does not load: syntax, schema, type or safety error."""
