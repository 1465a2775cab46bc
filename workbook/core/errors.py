"""Errors the user sees: always one line per problem, naming the file and where in it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbook.core.text import terminal_safe


@dataclass(frozen=True)
class Problem:
    """One problem in one file: where (line:col or a key path) and what."""

    path: str
    where: str
    message: str

    def __str__(self) -> str:
        # File names, TOML keys and messages quoting them come from the file: shown, never obeyed.
        where = f"{terminal_safe(self.where)}: " if self.where else ""
        return f"{terminal_safe(self.path)}: {where}{terminal_safe(self.message)}"


class WorkbookError(Exception):
    """An input or environment problem to report to the user without a traceback."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem("", "", problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = problems
        super().__init__(self.lines()[0] if problems else "error")

    def lines(self) -> list[str]:
        return [str(p).lstrip(": ") for p in self.problems]

    def __str__(self) -> str:
        return "\n".join(self.lines())


class FileError(WorkbookError):
    """The file could not be read, parsed or validated."""

    @classmethod
    def at(cls, path: Path | str, where: str, message: str) -> FileError:
        return cls([Problem(str(path), where, message)])


class ConflictError(WorkbookError):
    """The file changed on disk since it was loaded; saving would overwrite someone's work."""


class SaveError(WorkbookError):
    """Writing the file failed; the original is untouched."""
