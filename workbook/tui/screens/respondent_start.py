"""A live respondent's first screen (``workbook serve REVIEW --respondents DIR``): their name, then their own file.

A browser that answered this review before finds its name already filled in: enter resumes its file.
"""

from __future__ import annotations

import datetime as dt

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Static

from workbook.core.errors import WorkbookError
from workbook.core.respondents import MAX_NAME, Invite, join, returning
from workbook.tui import bindings
from workbook.tui.messages import OpenReview
from workbook.tui.widgets.keybar import KeyBar


class RespondentStartScreen(Screen[None]):
    """Ask the visitor's name; create (or resume) their file; open it."""

    DEFAULT_CSS = """
    RespondentStartScreen { align: center middle; }
    RespondentStartScreen > Vertical {
        width: 90%; max-width: 76; height: auto; border: thick $primary; background: $surface; padding: 0 1;
    }
    RespondentStartScreen #respondent-title { text-style: bold; width: 1fr; }
    RespondentStartScreen #respondent-intro { margin: 1 0; width: 1fr; }
    RespondentStartScreen #respondent-back { margin: 0 0 1 0; width: 1fr; color: $text-success; }
    RespondentStartScreen #respondent-error { color: $text-error; width: 1fr; height: auto; }
    """

    BINDINGS = bindings.RESPONDENT_START

    def __init__(self, invite: Invite, today: dt.date) -> None:
        super().__init__()
        self.invite = invite
        self.today = today
        self.returning = returning(invite)  # this browser's name here before (None: a new visitor)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(f"Review of {self.invite.program_name}"), id="respondent-title")
            yield Static(Content(
                "You answer the review's questions on your own; your answers are saved in a file of your own "
                "as you go. The facilitator sees how many have answered each question and where answers "
                "differ, and settles the differences in the workshop. Nobody else can change your answers."
            ), id="respondent-intro")
            if self.returning:
                yield Static(Content.assemble(
                    "Welcome back, ", (self.returning, "bold"),
                    ". Press enter to go on with your answers, or type another name."), id="respondent-back")
            yield Label("Your name", classes="field-label")
            yield Input(self.returning or "", id="respondent-name", placeholder="e.g. Ana López",
                        max_length=MAX_NAME, compact=True)
            yield Static("", id="respondent-error")
            yield Button("Start", id="respondent-ok", variant="primary", compact=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#respondent-name", Input).focus()

    @on(Input.Submitted, "#respondent-name")
    @on(Button.Pressed, "#respondent-ok")
    def _start(self) -> None:
        name = self.query_one("#respondent-name", Input).value
        try:
            rf = join(self.invite, name, self.today)
        except WorkbookError as exc:
            self.query_one("#respondent-error", Static).update(Content(str(exc)))
            return
        except OSError as exc:
            self.query_one("#respondent-error", Static).update(
                Content(f"Cannot create your file: {exc.strerror or exc}. Tell the facilitator."))
            return
        self.post_message(OpenReview(rf))
