"""The one-line header: program name and stage, save state, open constraints and overdue counts."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static


class ReviewHeader(Horizontal):
    DEFAULT_CSS = """
    ReviewHeader { height: 1; dock: top; background: $panel; }
    ReviewHeader #title { width: 1fr; padding: 0 1; text-style: bold; }
    ReviewHeader #state { width: auto; padding: 0 1; }
    """

    program = reactive("", layout=True)
    stage = reactive("")  # as the file spells it (limited_production): shown in words
    save_state = reactive("")
    save_failed = reactive(False)
    open_count = reactive(0)
    overdue_count = reactive(0)

    def compose(self) -> ComposeResult:
        yield Static(id="title", markup=False)
        yield Static(id="state", markup=False)

    def _render_title(self) -> None:
        stage = ("  " + self.stage.replace("_", " "), "$foreground-muted") if self.stage else ""
        self.query_one("#title", Static).update(
            Content.assemble(("workbook", "$foreground-muted"), " · ", self.program, stage))

    def _render_state(self) -> None:
        parts: list[str | tuple[str, str]] = []
        if self.open_count:
            parts.append((f"◆ {self.open_count} open", "$text-warning"))
        if self.overdue_count:
            parts.append(("  ", ""))
            parts.append((f"{self.overdue_count} overdue", "bold $text-error"))
        if parts:
            parts.append("  ")
        parts.append((self.save_state, "bold $text-error" if self.save_failed else "$foreground-muted"))
        self.query_one("#state", Static).update(Content.assemble(*parts))

    def watch_program(self) -> None:
        if self.is_mounted:
            self._render_title()

    watch_stage = watch_program

    def on_mount(self) -> None:
        self._render_title()
        self._render_state()

    def watch_save_state(self) -> None:
        if self.is_mounted:
            self._render_state()

    watch_save_failed = watch_open_count = watch_overdue_count = watch_save_state
