"""What a browser tab shows when the review cannot be loaded: the one-line reason, not a spinner.

A tab's process loads the review when it starts; the file may have gone bad since ``workbook serve``
checked it (someone edited it by hand). The page then shows why, in the terminal it would have
drawn the review in, and the tab's process waits there until the tab is closed.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.content import Content
from textual.widgets import Static

from workbook.core.errors import Problem, WorkbookError


def reasons(exc: WorkbookError) -> list[str]:
    """The problems, each naming the file by its name only (the server's folders are not the visitor's business)."""
    return [str(Problem(Path(p.path).name if p.path else "", p.where, p.message)).lstrip(": ")
            for p in exc.problems]


class FailedApp(App[None]):
    """One screen: the review cannot be opened, and why."""

    CSS = """
    Screen { align: center middle; }
    #failed { width: 90%; max-width: 90; height: auto; border: thick $error; padding: 1 2; }
    """

    def __init__(self, lines: list[str]) -> None:
        super().__init__()
        self.lines = lines

    def compose(self) -> ComposeResult:
        parts: list[str | tuple[str, str]] = [("This review cannot be opened", "bold $text-error")]
        for line in self.lines:
            parts += ["\n", line]
        parts += ["\n\n", ("Tell the facilitator. Reload this page once the file is fixed.", "$foreground-muted")]
        yield Static(Content.assemble(*parts), id="failed")
