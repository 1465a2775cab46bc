"""The program dialog: its name, stage, owner, description and metrics cadence, each checked as it is
typed; the participants are one button away (their own dialog, their own undoable change)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from workbook.core.editing import SetParticipants, SetProgram
from workbook.core.measure.latest import STALE_DAYS
from workbook.core.models import Program, Stage
from workbook.core.session import ReviewSession, refusal
from workbook.core.text import clean_line, clean_text
from workbook.tui import bindings
from workbook.tui.messages import EditRequested, ReviewChanged
from workbook.tui.screens.dialogs import FormDialog
from workbook.tui.widgets.field import Field

STAGE_LABELS = {Stage.IDEA: "Idea", Stage.DEMO: "Demo", Stage.PILOT: "Pilot",
                Stage.LIMITED: "Limited production", Stage.PRODUCTION: "Production"}


def field_problem(program: Program, name: str, value: object) -> str | None:
    """What the model says about this one field's value (None: it fits), in words a user can act on."""
    if name == "name" and not clean_line(str(value)):
        return "The program needs a name."
    trial = program.model_copy(deep=True)
    try:
        setattr(trial, name, value)  # the model validates on assignment: the same rule as saving
    except ValueError as exc:
        # The model decides; for the cadence one sentence replaces pydantic's, which names neither the
        # unit nor the default.
        return CADENCE_PROBLEM if name == CADENCE else refusal(exc)
    return None


CADENCE = "metrics_cadence_days"
CADENCE_PROBLEM = f"The metrics cadence is a whole number of days from 1 to 366 (empty: {STALE_DAYS} days)."


def cadence_value(text: str) -> int | str | None:
    """The typed cadence: None when empty (the default), an int, or the text itself when it is no
    whole number (field_problem then refuses it)."""
    text = text.strip()
    if not text:
        return None
    return int(text) if text.isascii() and text.isdigit() else text


def participants_line(program: Program) -> Content:
    """One line (cut with an ellipsis where the row ends): the names, their roles in their own dialog."""
    people = program.participants
    names = ", ".join(p.name for p in people)
    return Content.assemble((f"{len(people)} participant{'s' * (len(people) != 1)}: ", "$text-muted"),
                            names or ("none yet", "$text-muted italic"))


class ProgramDialog(FormDialog[SetProgram]):
    """Edit the program itself; the review screen applies the change (undoable, autosaved)."""

    DEFAULT_CSS = """
    ProgramDialog .field-error { color: $text-error; height: auto; }
    ProgramDialog .field-error.-empty { display: none; }
    ProgramDialog #description { height: 3; }
    ProgramDialog #people-row { height: auto; margin-top: 1; }
    ProgramDialog #people { width: 1fr; height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    ProgramDialog #edit-people { margin-left: 1; }
    """

    ok_label = "Save"

    def __init__(self, session: ReviewSession) -> None:
        super().__init__("Program: name, stage, owner, description and who takes part")
        self.session = session

    @property
    def program(self) -> Program:
        return self.session.review.program

    def fields(self) -> ComposeResult:
        p = self.program
        yield Label("Name", classes="field-label")
        yield Field(p.name, id="name", compact=True)
        yield Static("", id="name-error", classes="field-error -empty")
        yield Label("Stage", classes="field-label")
        yield Select([(label, stage) for stage, label in STAGE_LABELS.items()], value=p.stage, allow_blank=False,
                     id="stage", compact=True)
        yield Label("Owner, accountable for the program (empty: none named)", classes="field-label")
        names = [person.name for person in p.participants]
        suggester = SuggestFromList(names, case_sensitive=False) if names else None
        yield Field(p.owner or "", id="owner", compact=True, suggester=suggester)
        yield Static("", id="owner-error", classes="field-error -empty")
        yield Label(f"Description ({bindings.key_for(self.app, 'dialog.save')} saves from here)",
                    classes="field-label")
        yield TextArea(p.description, id="description", soft_wrap=True, tab_behavior="focus", compact=True)
        yield Static("", id="description-error", classes="field-error -empty")
        # the default shows as the empty field's placeholder: the label stays one line at 80 columns
        yield Label("Metrics cadence: days until a measurement is stale", classes="field-label")
        cadence = p.metrics_cadence_days
        yield Field("" if cadence is None else str(cadence), id=CADENCE, compact=True, placeholder=str(STALE_DAYS))
        yield Static("", id=f"{CADENCE}-error", classes="field-error -empty")
        with Horizontal(id="people-row"):
            yield Static(participants_line(p), id="people")
            yield Button("Participants…", id="edit-people", compact=True)

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    # ------------------------------------------------------------------ reading and checking

    def _values(self) -> dict[str, object]:
        stage = self.query_one("#stage", Select).value
        return {
            "name": clean_line(self.query_one("#name", Input).value),
            "stage": stage if isinstance(stage, Stage) else self.program.stage,
            "owner": clean_line(self.query_one("#owner", Input).value) or None,
            "description": clean_text(self.query_one("#description", TextArea).text).strip("\n"),
            CADENCE: cadence_value(self.query_one(f"#{CADENCE}", Input).value),
        }

    def _check(self, name: str) -> str | None:
        """Check one field and show what is wrong under it (or nothing)."""
        problem = field_problem(self.program, name, self._values()[name])
        shown = self.query_one(f"#{name}-error", Static)
        shown.update(Content(problem or ""))
        shown.set_class(problem is None, "-empty")
        return problem

    @on(Input.Changed, "#name")
    def _name_changed(self) -> None:
        self._check("name")

    @on(Input.Changed, "#owner")
    def _owner_changed(self) -> None:
        self._check("owner")

    @on(Input.Changed, f"#{CADENCE}")
    def _cadence_changed(self) -> None:
        self._check(CADENCE)

    @on(TextArea.Changed, "#description")
    def _description_changed(self) -> None:
        self._check("description")

    def submit(self) -> SetProgram | None:
        problems = [p for p in (self._check(name) for name in ("name", "owner", "description", CADENCE)) if p]
        if problems:
            self.error("Fix the field marked above.")
            return None
        v = self._values()
        assert isinstance(v["name"], str) and isinstance(v["stage"], Stage)
        assert isinstance(v["description"], str) and (v["owner"] is None or isinstance(v["owner"], str))
        cadence = v[CADENCE]
        assert cadence is None or isinstance(cadence, int)  # _check refused anything else
        return SetProgram(v["name"], v["stage"], v["owner"], v["description"], cadence)

    # ------------------------------------------------------------------ participants

    @on(Button.Pressed, "#edit-people")
    def _edit_people(self, event: Button.Pressed) -> None:
        event.stop()
        from workbook.tui.screens.workshop import ParticipantsDialog

        def chosen(change: SetParticipants | None) -> None:
            if change is not None:
                self.app.post_message(EditRequested(change))  # its own change: applied now, undone alone

        self.app.push_screen(ParticipantsDialog(self.program.participants), chosen)

    def on_review_changed(self, message: ReviewChanged) -> None:
        self.query_one("#people", Static).update(participants_line(self.program))
