"""A panel listing every deferred decision; enter jumps to the question."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static

from workbook.core.constraints import Constraint, ConstraintKind
from workbook.core.text import one_line
from workbook.tui import bindings
from workbook.tui.messages import JumpTo


def due_cell(c: Constraint) -> Content:
    if c.decide_by is None:
        return Content.styled("no date", "bold $text-error")
    text = c.decide_by.isoformat()
    if c.overdue:
        return Content.assemble((text, "bold $text-error"), (f" overdue {-(c.days_left or 0)}d", "bold $text-error"))
    if c.days_left is not None and c.days_left <= 7:
        return Content.assemble((text, "$text-warning"), (f" in {c.days_left}d", "$text-warning"))
    return Content(text)


def owner_cell(c: Constraint) -> Content:
    return Content.styled("UNOWNED", "bold $text-error") if c.owner is None else Content(c.owner)


class DecisionsPanel(Vertical):
    """Deferred decisions in the review, docked at the bottom of the review screen."""

    DEFAULT_CSS = """
    DecisionsPanel { dock: bottom; height: 9; border-top: solid $accent; }
    DecisionsPanel > Static { height: 1; padding: 0 1; color: $text-muted; }
    DecisionsPanel > DataTable { height: 1fr; }
    """

    BINDINGS = bindings.DECISIONS_PANEL

    def compose(self) -> ComposeResult:
        yield Static("Deferred decisions — enter: go to the question · o: close", markup=False)
        table: DataTable[Content] = DataTable(cursor_type="row", zebra_stripes=True)
        table.add_column("Decision", key="title", width=36)
        table.add_column("Owner", key="owner", width=14)
        table.add_column("Decide by", key="due", width=20)
        yield table

    def show(self, constraints: list[Constraint]) -> None:
        table = self.query_one(DataTable)
        table.clear()
        decisions = [c for c in constraints if c.kind is ConstraintKind.DECISION]
        for c in decisions:
            table.add_row(Content(one_line(c.title, 36)), owner_cell(c), due_cell(c), key=c.question_id)
        if not decisions:
            table.add_row(Content.styled("No deferred decisions.", "$foreground-muted"), Content(""), Content(""),
                          key="")

    def focus_table(self) -> None:
        self.query_one(DataTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value:
            self.post_message(JumpTo(event.row_key.value))

    def action_close(self) -> None:
        self.display = False
