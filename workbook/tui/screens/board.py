"""The constraints board: every open constraint in one sortable table, resolvable from here."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Static

from workbook.core.constraints import Constraint, ConstraintKind
from workbook.core.policy import offered_actions
from workbook.core.session import ReviewSession
from workbook.core.text import one_line
from workbook.tui import bindings
from workbook.tui.messages import JumpTo, QuestionVerb, ReviewChanged
from workbook.tui.question_actions import act_on_question
from workbook.tui.widgets.decisions_panel import owner_cell
from workbook.tui.widgets.keybar import KeyBar

SORTS = ("date", "owner", "risk", "age")
_FAR = 10**6


def sort_key(order: str) -> Callable[[Constraint], tuple[Any, ...]]:
    """Sort keys for the board; each puts the most urgent first."""
    if order == "owner":
        return lambda c: (c.owner is not None, (c.owner or "").lower(), c.decide_by or dt.date.max, c.question_id)
    if order == "risk":
        return lambda c: (not c.high_risk_area, not c.overdue, c.days_left if c.days_left is not None else _FAR,
                          c.question_id)
    if order == "age":
        return lambda c: (-(c.age_days or 0), c.question_id)
    return lambda c: (c.decide_by is None, c.decide_by or dt.date.max, c.question_id)



KIND_LABEL = {ConstraintKind.DECISION: "decision", ConstraintKind.ASSUMPTION: "assume",
              ConstraintKind.UNKNOWN: "unknown"}


def flags_cell(c: Constraint) -> Content:
    parts: list[str | tuple[str, str]] = []
    if c.high_risk_area:
        parts.append(("▲ ", "bold $text-error"))  # sits in a section with high risks
    if c.overdue:
        parts.append(("OVERDUE ", "bold $text-error"))
    if c.unowned:
        parts.append(("UNOWNED ", "bold $text-error"))
    if c.undated:
        parts.append(("UNDATED ", "bold $text-warning"))
    if c.slips:
        parts.append((f"↻{c.slips}", "bold $text-warning"))  # times the date slipped
    return Content.assemble(*parts)


class ConstraintsBoard(Screen[None]):
    """Open constraints: sort with s (date, owner, risk, age); act on the highlighted row."""

    DEFAULT_CSS = """
    ConstraintsBoard #board-title { height: auto; padding: 0 1; background: $panel; }
    ConstraintsBoard DataTable { height: 1fr; }
    ConstraintsBoard #detail { height: auto; max-height: 6; padding: 0 1; border-top: solid $foreground 20%; }
    """

    BINDINGS = bindings.BOARD

    def __init__(self, session: ReviewSession, *, workshop: bool = False) -> None:
        super().__init__()
        self.session = session
        self.workshop = workshop
        self.order = "date"

    @property
    def constraints(self) -> list[Constraint]:
        return self.session.constraints

    def compose(self) -> ComposeResult:
        yield Static(id="board-title")
        table: DataTable[Content] = DataTable(cursor_type="row", zebra_stripes=True, id="board-table")
        yield table
        yield Static(id="detail")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        wide = self.app.size.width >= 110
        # The owner column as wide as the longest owner, up to a cap; a longer one wraps onto a second
        # line of its row (never cut: an owner is who to chase).
        owners = [len(one_line(c.owner)) for c in self.constraints if c.owner]
        owner_width = max(len("UNOWNED"), min(24 if wide else 18, max(owners, default=0)))
        columns = [("Due", "due", 10), ("Owner", "owner", owner_width)]
        columns += [("Kind", "kind", 8)] if wide else []  # at 80 columns the kind is in the detail line
        fixed = sum(w for _, _, w in columns) + 4 + 18 + 2 * (len(columns) + 3) + 2
        columns += [("Question", "title", max(14, self.app.size.width - fixed)), ("Age", "age", 4),
                    ("Flags", "flags", 18)]
        for label, key, width in columns:
            table.add_column(label, key=key, width=width)
        self.fill()
        table.focus()

    def on_review_changed(self, message: ReviewChanged) -> None:
        self.fill()

    def fill(self) -> None:
        table = self.query_one(DataTable)
        keep = self.current()
        table.clear()
        rows = sorted(self.constraints, key=sort_key(self.order))
        width = table.columns[next(k for k in table.columns if k.value == "title")].width
        owner_width = table.columns[next(k for k in table.columns if k.value == "owner")].width
        for c in rows:
            due = c.decide_by.isoformat() if c.decide_by else "undated"
            cells = {
                "due": Content.styled(due, "bold $text-error" if c.overdue or c.undated else ""),
                "owner": owner_cell(c) if c.owner is None else Content("\n".join(
                    textwrap.wrap(one_line(c.owner), owner_width, break_on_hyphens=False))),  # whole, on its words
                "kind": Content(KIND_LABEL[c.kind]),
                "title": Content(one_line(c.title, width)),
                "age": Content(f"{c.age_days}d" if c.age_days is not None else ""),
                "flags": flags_cell(c),
            }
            table.add_row(*(cells[str(k.value)] for k in table.columns), key=c.question_id, height=None)
        overdue = sum(1 for c in self.constraints if c.overdue)
        title = Content.assemble(
            ("Open constraints ", "bold"), f"{len(self.constraints)}",
            (f" · {overdue} overdue" if overdue else "", "bold $text-error"),
            (f" · sorted by {self.order}", "$foreground-muted"),
        )
        self.query_one("#board-title", Static).update(title)
        if keep is not None and keep.question_id in {c.question_id for c in rows}:
            table.move_cursor(row=table.get_row_index(keep.question_id))
        self._show_detail()

    def current(self) -> Constraint | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((c for c in self.constraints if c.question_id == key), None)

    @on(DataTable.RowHighlighted)
    def _show_detail(self) -> None:
        c = self.current()
        detail = self.query_one("#detail", Static)
        if c is None:
            detail.update(Content.styled("No open constraints: every decision is made and every assumption validated.",
                                         "$text-success"))
            return
        parts: list[str | tuple[str, str]] = [
            (c.title, "bold"), "\n", (f"{c.section_title} · {c.kind.value}", "$foreground-muted")]
        if c.opened_on:
            parts.append((f" · open since {c.opened_on.isoformat()}", "$foreground-muted"))
        if c.slips:
            parts.append((f" · date moved later {c.slips}×", "$text-warning"))
        if c.high_risk_area:
            parts.append((" · ▲ in a section with high risks", "$text-error"))
        if c.breaks_if_open:
            parts += ["\n", ("Breaks if open: ", "bold"), c.breaks_if_open]
        detail.update(Content.assemble(*parts))

    def action_cycle_sort(self) -> None:
        self.order = SORTS[(SORTS.index(self.order) + 1) % len(SORTS)]
        self.fill()

    @on(DataTable.HeaderSelected)
    def _header(self, event: DataTable.HeaderSelected) -> None:
        by_column = {"due": "date", "owner": "owner", "flags": "risk", "age": "age"}
        if event.column_key.value in by_column:
            self.order = by_column[event.column_key.value]
            self.fill()

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_go()

    def action_go(self) -> None:
        c = self.current()
        if c is not None:
            self.dismiss()
            self.app.post_message(JumpTo(c.question_id))

    def action_act(self, action: QuestionVerb) -> None:
        c = self.current()
        if c is not None:
            # The dialog's edit goes up to the app, which applies it; ReviewChanged refreshes us.
            act_on_question(self, self.session, c.question_id, action, workshop=self.workshop)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "act" and parameters and parameters[0] in ("validate", "defer"):
            c = self.current() if self.is_mounted else None
            question = self.session.template.question(c.question_id) if c is not None else None
            if question is None:
                return False
            offered = offered_actions(question, self.session.review.answer(question.id))
            return offered[str(parameters[0])] or (None if parameters[0] == "defer" else False)
        return True

    def action_close(self) -> None:
        self.dismiss()
