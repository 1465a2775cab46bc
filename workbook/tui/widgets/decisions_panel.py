"""A panel listing every deferred decision; enter jumps to the question."""

from __future__ import annotations

import datetime as dt

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


def owner_cell(c: Constraint, width: int | None = None) -> Content:
    """The owner, cut with an ellipsis to the column (a table cuts mid-word without one)."""
    return Content.styled("UNOWNED", "bold $text-error") if c.owner is None else Content(one_line(c.owner, width))


class DecisionsPanel(Vertical):
    """Deferred decisions in the review, docked at the bottom of the review screen."""

    DEFAULT_CSS = """
    DecisionsPanel { dock: bottom; height: 9; border-top: solid $accent; }
    DecisionsPanel > Static { height: 1; padding: 0 1; color: $text-muted; }
    DecisionsPanel > DataTable { height: 1fr; }
    """

    BINDINGS = bindings.DECISIONS_PANEL

    _constraints: list[Constraint] | None = None
    _width = 0  # the terminal width the columns were sized for

    def compose(self) -> ComposeResult:
        close = bindings.key_for(self.app, "review.decisions")
        yield Static(f"Deferred decisions — enter: go to the question · {close}: close", markup=False)
        yield DataTable[Content](cursor_type="row", zebra_stripes=True)

    def show(self, constraints: list[Constraint]) -> None:
        self._constraints = constraints
        self._width = self.app.size.width
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        # By date, the soonest (most overdue) first; undated last, where a date is still to be set.
        decisions = sorted((c for c in constraints if c.kind is ConstraintKind.DECISION),
                           key=lambda c: (c.decide_by is None, c.decide_by or dt.date.max, c.question_id))
        # Columns sized from the terminal: the date and how overdue it is always show in full
        # ("2026-06-11 overdue 165d"), the owner up to 18 cells, the decision gets the rest.
        dues = [due_cell(c) for c in decisions]
        due_width = max([len("Decide by"), *(d.cell_length for d in dues)])
        owner_width = min(18, max([len("UNOWNED"), *(len(c.owner or "") for c in decisions)]))
        title_width = max(20, self._width - 2 - 6 - due_width - owner_width)  # scrollbar, cell padding
        table.add_column("Decision", key="title", width=title_width)
        table.add_column("Owner", key="owner", width=owner_width)
        table.add_column("Decide by", key="due", width=due_width)
        for c, due in zip(decisions, dues, strict=True):
            owner = owner_cell(c) if c.owner is None else Content(one_line(c.owner, owner_width))
            table.add_row(Content(one_line(c.title, title_width)), owner, due, key=c.question_id)
        if not decisions:
            table.add_row(Content.styled("No deferred decisions.", "$foreground-muted"), Content(""), Content(""),
                          key="")
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1), animate=False)

    def on_resize(self) -> None:
        if self._constraints is not None and self.app.size.width != self._width:
            self.show(self._constraints)

    def focus_table(self) -> None:
        self.screen.set_focus(self.query_one(DataTable))  # now: "o enter" opens the first decision

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value:
            self.post_message(JumpTo(event.row_key.value))

    def action_close(self) -> None:
        self.display = False
