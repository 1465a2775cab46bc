"""The facilitator's live tally of respondents answering in their own files (``--respondents DIR``).

Per question: how many answered, and whether they disagree, re-read every second as the files change;
a question the review has settled shows as settled (one it deferred or left unknown, as that). Files
that are not a respondent's review (empty, stray, unreadable, another program's) are listed and never
counted; ``x`` leaves out respondents who have recorded nothing yet.
``m`` merges them into the review with the existing merge (agreement taken, a lone answer taken with
its author, a disagreement kept for settling on the review screen); nothing here writes their files.
"""

from __future__ import annotations

from pathlib import Path
from weakref import WeakKeyDictionary

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Static

from workbook.core.display import answer_summary
from workbook.core.editing import TakeMerged
from workbook.core.errors import WorkbookError
from workbook.core.models import Status
from workbook.core.respondents import Folder, QuestionTally, merge_into, tally
from workbook.core.session import AnswerEdit, ReviewSession
from workbook.core.store import ReviewFile
from workbook.core.text import one_line, terminal_safe
from workbook.tui import bindings
from workbook.tui.messages import EditRequested, JumpTo
from workbook.tui.widgets.keybar import KeyBar

FILTERS = ("all", "answered", "disagreements")
POLL_SECONDS = 1.0
# The facilitator's x, per open review: it holds when the tally is closed and opened again.
_LEAVE_OUT: WeakKeyDictionary[ReviewSession, bool] = WeakKeyDictionary()


def who(rf: ReviewFile) -> str:
    """A respondent as the tally names them: their name, else their file's (escaped: any bytes may be in it)."""
    return rf.review.respondent or terminal_safe(rf.path.stem)


def count_cell(t: QuestionTally) -> Content:
    text = f"{t.answered}/{t.respondents}"
    if t.respondents and t.answered == t.respondents:
        return Content.styled(text, "$text-success")
    return Content(text) if t.answered else Content.styled(text, "$foreground-muted")


def state_cell(t: QuestionTally) -> Content:
    if t.disagree and t.kept is Status.DEFERRED:  # "not settled today": the card says so too
        return Content.styled("◆ deferred", "$text-warning")
    if t.disagree and t.kept is Status.UNKNOWN:
        return Content.styled("? unknown", "$text-warning")
    if t.disagree and t.settled:
        return Content.styled("✓ settled", "$text-success")
    if t.disagree:
        return Content.styled("⚡ disagree", "bold $text-warning")
    if t.answered >= 2:
        return Content.styled("agree", "$text-success")
    return Content.styled("one answer" if t.answered == 1 else "", "$foreground-muted")


class RespondentsScreen(Screen[None]):
    """Every question with its count of answers and disagreements; enter shows it in the review."""

    DEFAULT_CSS = """
    RespondentsScreen #respondents-title { height: auto; padding: 0 1; background: $panel; }
    RespondentsScreen DataTable { height: 1fr; }
    RespondentsScreen #respondents-detail {
        height: auto; max-height: 8; padding: 0 1; border-top: solid $foreground 20%;
    }
    """

    BINDINGS = bindings.RESPONDENTS

    def __init__(self, session: ReviewSession, folder: Path) -> None:
        super().__init__()
        self.session = session
        self.folder = Folder(Path(folder), session.template, session.review.program.name,
                             leave_out_unanswered=_LEAVE_OUT.get(session, False))
        self.filter = "all"
        self.tallies: dict[str, QuestionTally] = {}
        self._revision = -1  # the review's revision the tally last saw (settling changes the tally)

    def compose(self) -> ComposeResult:
        yield Static(id="respondents-title")
        table: DataTable[Content] = DataTable(cursor_type="row", zebra_stripes=True, id="respondents-table")
        yield table
        yield Static(id="respondents-detail")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        width = max(20, self.app.size.width - 12 - 13 - 6 * 2)
        table.add_column("Answered", key="count", width=8)
        table.add_column("", key="state", width=11)  # "⚡ disagree": the sign is two cells wide
        table.add_column("Question", key="title", width=width)
        self.poll(force=True)
        self.set_interval(POLL_SECONDS, self.poll)
        table.focus()

    def poll(self, force: bool = False) -> None:
        """Re-read the folder; refresh only when a file came, went or changed, or the review changed."""
        if self.folder.scan() or force or self._revision != self.session.revision:
            self._revision = self.session.revision
            self.tallies = tally(self.folder.respondents, self.session.template, self.session.review)
            self.fill()

    def fill(self) -> None:
        table = self.query_one(DataTable)
        keep = self.current()
        table.clear()
        width = table.columns[next(k for k in table.columns if k.value == "title")].width
        for _, question in self.session.template.questions():
            t = self.tallies.get(question.id)
            if t is None or (self.filter == "answered" and not t.answered) or (
                    self.filter == "disagreements" and not t.open_disagreement):
                continue
            table.add_row(count_cell(t), state_cell(t), Content(one_line(question.prompt, width)), key=question.id)
        counted = self.folder.respondents
        names = [who(rf) for rf in counted]
        disagreements = sum(1 for t in self.tallies.values() if t.open_disagreement)
        answered = sum(1 for t in self.tallies.values() if t.answered)
        parts: list[str | tuple[str, str]] = [
            ("Respondents ", "bold"), f"{len(names)}",
            (f" ({', '.join(names)})" if names else " (nobody has joined yet)", "$foreground-muted"),
            f" · {answered} question(s) answered",
            (f" · ⚡ {disagreements} to settle" if disagreements else "", "bold $text-warning"),
            (f" · showing {self.filter}", "$foreground-muted"),
        ]
        empty = [who(rf) for rf in self.folder.unanswered]
        if empty:
            key = bindings.key_for(self.app, "respondents.leave_out")
            verb = (f"left out ({key} counts them)" if self.folder.leave_out_unanswered
                    else f"counted ({key} leaves them out)")
            parts += ["\n", (f"Nothing recorded yet: {', '.join(empty)}: {verb}", "$foreground-muted")]
        if self.folder.stray:
            # The file's name and why come from the file (a key in it): shown, never obeyed.
            strays = "; ".join(terminal_safe(f"{path.name}: {why}") for path, why in sorted(self.folder.stray.items()))
            parts += ["\n", (f"Not counted: {strays}", "$text-error")]
        self.query_one("#respondents-title", Static).update(Content.assemble(*parts))
        if keep is not None and keep in {str(k.value) for k in table.rows}:
            table.move_cursor(row=table.get_row_index(keep))
        self._show_detail()

    def current(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    @on(DataTable.RowHighlighted)
    def _show_detail(self) -> None:
        detail = self.query_one("#respondents-detail", Static)
        qid = self.current()
        t = self.tallies.get(qid) if qid else None
        question = self.session.template.question(qid) if qid else None
        if t is None or question is None:
            detail.update(Content.styled("No question to show.", "$foreground-muted"))
            return
        parts: list[str | tuple[str, str]] = [(one_line(question.prompt, 200), "bold")]
        for name, answer in t.answers.items():
            parts += ["\n", (f"{terminal_safe(name)}: ", "bold"), one_line(answer_summary(question, answer), 200)]
        if not t.answers:
            parts += ["\n", ("Nobody has answered this yet.", "$foreground-muted")]
        detail.update(Content.assemble(*parts))

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_go()

    def action_go(self) -> None:
        qid = self.current()
        if qid is not None:
            self.dismiss()
            self.app.post_message(JumpTo(qid))

    def action_cycle_filter(self) -> None:
        self.filter = FILTERS[(FILTERS.index(self.filter) + 1) % len(FILTERS)]
        self.fill()

    def action_toggle_unanswered(self) -> None:
        self.folder.leave_out_unanswered = _LEAVE_OUT[self.session] = not self.folder.leave_out_unanswered
        self.poll(force=True)

    def action_merge(self) -> None:
        """Merge the respondents into the review: each question one change (undoable), then saved."""
        self.folder.scan()
        try:
            merged = merge_into(self.session.review, self.folder.respondents)
        except WorkbookError as exc:
            self.notify(str(exc), title="Nothing merged", severity="warning", markup=False)
            return
        for qid, answer in merged.answers.items():
            self.post_message(EditRequested(AnswerEdit(qid, TakeMerged(answer))))
        next_key = bindings.key_for(self.app, "review.next_disagreement")
        hint = f" {next_key} on the review goes to the next disagreement." if merged.open_disagreements else ""
        self.notify(merged.summary(len(self.folder.respondents)) + hint, title="Merged", markup=False, timeout=10)

    def action_close(self) -> None:
        self.dismiss()
