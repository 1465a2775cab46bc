"""Workshop screens: the parking lot, the participants, the shared-screen view, settling disagreements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Center, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.suggester import SuggestFromList
from textual.widgets import DataTable, Input, Label, Static, TextArea

from workbook.core.display import answer_summary
from workbook.core.editing import SetParkingLot, SetParticipants
from workbook.core.models import ParkingItem, Participant, Question, Section
from workbook.core.session import ReviewSession
from workbook.core.text import clean_line, clean_text, complete_name, one_line
from workbook.tui import bindings
from workbook.tui.messages import EditRequested, ReviewChanged
from workbook.tui.question_actions import act_on_question
from workbook.tui.screens.dialogs import FormDialog
from workbook.tui.widgets.field import Field
from workbook.tui.widgets.keybar import KeyBar

# ------------------------------------------------------------------ parking lot


class ParkingItemDialog(FormDialog[ParkingItem]):
    ok_label = "Save"

    def __init__(self, item: ParkingItem | None, today: dt.date, section: str | None,
                 participants: list[str] | None = None) -> None:
        super().__init__("Parking lot: a topic raised but not settled here")
        self.item = item
        self.today = today
        self.section = section
        self.participants = participants or []

    def fields(self) -> ComposeResult:
        item = self.item
        yield Label("Topic", classes="field-label")
        yield Field(item.topic if item else "", id="topic", compact=True)
        yield Label("Owner: who takes it forward (empty: unowned)", classes="field-label")
        suggester = SuggestFromList(self.participants, case_sensitive=False) if self.participants else None
        yield Field(item.owner or "" if item else "", id="owner", compact=True, suggester=suggester)
        yield Label("Resolution (when it is settled)", classes="field-label")
        yield Field(item.resolution if item else "", id="resolution", compact=True)

    def on_mount(self) -> None:
        self.query_one("#topic", Input).focus()

    def submit(self) -> ParkingItem | None:
        topic = clean_text(self.query_one("#topic", Input).value).strip()
        if not topic:
            self.error("Write the topic.")
            return None
        base = self.item.model_dump() if self.item else {"raised_on": self.today, "section": self.section}
        owner = complete_name(clean_line(self.query_one("#owner", Input).value), self.participants)
        base.update(topic=topic, owner=owner,
                    resolution=clean_text(self.query_one("#resolution", Input).value).strip())
        return ParkingItem.model_validate(base)


class ParkingLotScreen(Screen[None]):
    """Topics raised but not settled: add, edit, close; each change is saved with the review."""

    DEFAULT_CSS = """
    ParkingLotScreen #lot-title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    ParkingLotScreen DataTable { height: 1fr; }
    """

    BINDINGS = bindings.PARKING_LOT

    def __init__(self, session: ReviewSession, section: str | None) -> None:
        super().__init__()
        self.session = session
        self.section = section
        self._to_last = False

    @property
    def items(self) -> list[ParkingItem]:
        return self.session.review.parking_lot

    @property
    def today(self) -> dt.date:
        return self.session.today

    def _names(self) -> list[str]:
        return [p.name for p in self.session.review.program.participants]

    def compose(self) -> ComposeResult:
        yield Static(id="lot-title")
        table: DataTable[Content] = DataTable(cursor_type="row", zebra_stripes=True)
        for label, key, width in (("Topic", "topic", max(20, self.app.size.width - 46)), ("Owner", "owner", 14),
                                  ("Raised", "raised", 10), ("State", "state", 8)):
            table.add_column(label, key=key, width=width)
        yield table
        yield KeyBar()

    def on_mount(self) -> None:
        self.fill()
        self.query_one(DataTable).focus()

    def fill(self) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        topic_width = table.columns[next(k for k in table.columns if k.value == "topic")].width
        owner_width = table.columns[next(k for k in table.columns if k.value == "owner")].width
        for i, item in enumerate(self.items):
            state = (Content.styled("closed", "$text-success") if item.closed_on
                     else Content.styled("open", "bold $text-warning"))
            owner = (Content(one_line(item.owner, owner_width)) if item.owner
                     else Content.styled("UNOWNED", "bold $text-error"))
            table.add_row(Content(one_line(item.topic, topic_width)), owner,
                          Content(item.raised_on.isoformat() if item.raised_on else ""), state, key=str(i))
        if self.items:
            table.move_cursor(row=len(self.items) - 1 if self._to_last else min(row, len(self.items) - 1))
        self._to_last = False
        open_items = sum(1 for i in self.items if not i.closed_on)
        self.query_one("#lot-title", Static).update(
            Content.assemble("Parking lot ", (f"{open_items} open", "$text-warning"), f" · {len(self.items)} in all",
                             ("   a add · e edit · x close/reopen", "$foreground-muted")))

    def _save(self, items: list[ParkingItem]) -> None:
        self.post_message(EditRequested(SetParkingLot(tuple(items))))

    def on_review_changed(self, message: ReviewChanged) -> None:
        self.fill()

    def _current(self) -> int | None:
        table = self.query_one(DataTable)
        return table.cursor_row if self.items and table.row_count else None

    def action_add(self) -> None:
        def added(item: ParkingItem | None) -> None:
            if item is not None:
                self._to_last = True  # the new topic is highlighted once the review has it
                self._save([*self.items, item])

        self.app.push_screen(ParkingItemDialog(None, self.today, self.section, self._names()), added)

    def action_edit(self) -> None:
        index = self._current()
        if index is None:
            return self.action_add()

        def edited(item: ParkingItem | None) -> None:
            if item is not None:
                items = list(self.items)
                items[index] = item
                self._save(items)

        self.app.push_screen(ParkingItemDialog(self.items[index], self.today, self.section, self._names()),
                             edited)

    def action_toggle_closed(self) -> None:
        index = self._current()
        if index is not None:
            items = list(self.items)
            item = items[index]
            items[index] = item.model_copy(update={"closed_on": None if item.closed_on else self.today})
            self._save(items)

    def action_delete(self) -> None:
        index = self._current()
        if index is not None:
            self._save([item for i, item in enumerate(self.items) if i != index])

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def action_close(self) -> None:
        self.dismiss()


# ------------------------------------------------------------------ participants


def parse_participants(text: str) -> list[Participant]:
    """One participant a line: `Name, role` (the role is optional)."""
    people = []
    for line in clean_text(text).splitlines():
        name, _, role = line.partition(",")
        if clean_line(name):
            people.append(Participant(name=clean_line(name), role=clean_line(role)))
    return people


class ParticipantsDialog(FormDialog[SetParticipants]):
    ok_label = "Save"

    def __init__(self, participants: list[Participant]) -> None:
        super().__init__("Participants: one a line, `Name, role` "
                         "(e.g. TPM, engineering, security, legal, ops, data owner)")
        self.participants = participants

    def fields(self) -> ComposeResult:
        text = "\n".join(f"{p.name}, {p.role}" if p.role else p.name for p in self.participants)
        yield TextArea(text, id="people", compact=True, tab_behavior="focus")

    def on_mount(self) -> None:
        self.query_one("#people", TextArea).focus()

    def submit(self) -> SetParticipants | None:
        people = parse_participants(self.query_one("#people", TextArea).text)
        kept = {p.name: p for p in self.participants}
        # Keep unknown keys a participant had (e.g. pronouns) when the name is unchanged.
        merged = [kept[p.name].model_copy(update={"role": p.role}) if p.name in kept else p for p in people]
        return SetParticipants(tuple(merged))


# ------------------------------------------------------------------ presentation


class PresentationScreen(Screen[None]):
    """For a shared screen: one question, large and readable; guidance only when asked for."""

    DEFAULT_CSS = """
    PresentationScreen { align: center middle; }
    PresentationScreen #frame { width: 100%; max-width: 110; height: auto; max-height: 100%; padding: 1 4; }
    PresentationScreen #where { color: $text-muted; text-align: center; }
    PresentationScreen #countdown { text-align: center; height: 1; }
    PresentationScreen #prompt {
        text-style: bold; margin: 1 0; padding: 1 2; border: tall $accent; text-align: center;
    }
    PresentationScreen #answer { margin: 0 0 1 0; padding: 0 2; text-align: center; }
    PresentationScreen #options { padding: 0 2; color: $text-muted; }
    PresentationScreen #guidance { margin-top: 1; padding: 0 2; color: $text-primary; }
    """

    BINDINGS = bindings.PRESENTATION

    def __init__(self, session: ReviewSession, index: int, *, workshop: bool,
                 countdown: Callable[[], Content | None] | None = None) -> None:
        super().__init__()
        self.session = session
        self.workshop = workshop
        self.countdown = countdown  # the review screen's countdown line, shown here too
        self.questions: list[tuple[Section, Question]] = session.template.questions()
        self.index = index
        self.show_guidance = False

    def compose(self) -> ComposeResult:
        with Center():
            with VerticalScroll(id="frame"):
                yield Static(id="countdown")
                yield Static(id="where")
                yield Static(id="prompt")
                yield Static(id="answer")
                yield Static(id="options")
                yield Static(id="guidance")
        yield KeyBar()

    def on_mount(self) -> None:
        self.render_question()
        self.query_one("#countdown", Static).display = self.countdown is not None
        if self.countdown is not None:
            self._tick()
            self.set_interval(1, self._tick)

    def _tick(self) -> None:
        line = self.countdown() if self.countdown is not None else None
        if line is not None:
            self.query_one("#countdown", Static).update(line, layout=False)

    def render_question(self) -> None:
        section, q = self.questions[self.index]
        answer = self.session.review.answer(q.id)
        in_section = [x for s, x in self.questions if s.id == section.id]
        self.query_one("#where", Static).update(
            Content(f"{section.title} · question {in_section.index(q) + 1} of {len(in_section)}"))
        self.query_one("#prompt", Static).update(Content(q.prompt))
        summary = answer_summary(q, answer)
        if answer.disagreement:
            shown = Content.assemble(("Respondents disagree: ", "bold $text-warning"),
                                     " · ".join(f"{who}: {answer_summary(q, a)}"
                                                for who, a in answer.responses.items()))
        elif summary:
            shown = Content.assemble(("→ ", "$text-success"), (summary, "bold"))
        else:
            shown = Content.styled("not answered yet", "$foreground-muted italic")
        self.query_one("#answer", Static).update(shown)
        options = [c.label for c in q.choices] if q.choices else []
        self.query_one("#options", Static).update(Content("\n".join(f"• {o}" for o in options)))
        guidance = self.query_one("#guidance", Static)
        guidance.display = self.show_guidance and bool(section.guidance)
        guidance.update(Content.assemble(("Facilitator: ", "bold"), section.guidance))

    def action_step(self, step: int) -> None:
        self.index = max(0, min(len(self.questions) - 1, self.index + step))
        self.render_question()

    def action_toggle_guidance(self) -> None:
        self.show_guidance = not self.show_guidance
        self.render_question()

    def action_edit(self) -> None:
        act_on_question(self, self.session, self.questions[self.index][1].id, "edit", workshop=self.workshop)

    def on_review_changed(self, message: ReviewChanged) -> None:
        self.render_question()

    def action_close(self) -> None:
        self.dismiss()
