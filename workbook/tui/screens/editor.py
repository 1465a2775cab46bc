"""The answer editor: the right input for the question's kind, the notes, and who decided."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, OptionList, Static, TextArea

from workbook.core.editing import SetAnswer
from workbook.core.models import Answer, Kind, Question, Status
from workbook.core.policy import value_problem
from workbook.core.text import clean_line, clean_text, complete_name
from workbook.tui import bindings
from workbook.tui.widgets.answer_inputs import ChoiceList, SubmittingSelectionList, input_for
from workbook.tui.widgets.field import Field

__all__ = ["AnswerEditor", "SubmittingSelectionList", "help_shown"]

HELP_SHOWN = 4000  # characters of help the editor shows; wrapping a megabyte would take seconds


def help_shown(text: str) -> str:
    if len(text) <= HELP_SHOWN:
        return text
    return f"{text[:HELP_SHOWN]}… ({len(text) - HELP_SHOWN:,} more characters in the template)"


class AnswerEditor(ModalScreen[SetAnswer | None]):
    """Edit one answer. Enter saves from any single-line field; tab moves on; escape cancels."""

    DEFAULT_CSS = """
    AnswerEditor { align: center middle; }
    AnswerEditor > VerticalScroll {
        width: 90%; max-width: 100; height: auto; max-height: 95%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    AnswerEditor #prompt { text-style: bold; margin-bottom: 1; }
    AnswerEditor #help { color: $text-muted; height: auto; max-height: 6; margin-top: 1; }
    AnswerEditor .field-label { margin-top: 1; color: $text-muted; }
    AnswerEditor OptionList, AnswerEditor SelectionList { height: auto; max-height: 10; }
    AnswerEditor SelectionList { text-wrap: wrap; text-overflow: fold; }
    AnswerEditor #value-text { height: 6; }
    AnswerEditor #notes { height: 4; }
    AnswerEditor #error { color: $text-error; height: auto; }
    AnswerEditor #buttons { height: auto; margin-top: 1; }
    AnswerEditor #buttons Button { margin-right: 2; }
    AnswerEditor #keys { color: $text-muted; dock: bottom; }
    """

    BINDINGS = bindings.EDITOR

    def __init__(
        self,
        question: Question,
        answer: Answer,
        participants: list[str] | None = None,
        require_participant: bool = False,
    ) -> None:
        super().__init__()
        self.question = question
        self.answer = answer
        self.participants = participants or []
        self.require_participant = require_participant
        self._notes_only_confirmed = False

    def compose(self) -> ComposeResult:
        q, a = self.question, self.answer
        with VerticalScroll():
            yield Static(Content(q.prompt), id="prompt")
            yield from input_for(q).compose(self, q, a)
            if q.help:
                # Below the prompt and the choices, in a box of its own: a long help scrolls there
                # instead of pushing what is being answered out of view.
                with VerticalScroll(id="help", can_focus=False):
                    yield Static(Content(help_shown(q.help)))
            if q.decision:
                yield Label("Decided by (who made this decision)", classes="field-label")
                suggester = SuggestFromList(self.participants, case_sensitive=False) if self.participants else None
                # Whoever owned the deferred decision, or who decided it last; never a guess.
                yield Field(value=a.resolved_by or a.owner or "", id="decided-by",
                            compact=True, suggester=suggester)
            yield Label("Notes", classes="field-label")
            notes = TextArea(a.notes, id="notes", soft_wrap=True, tab_behavior="focus", compact=True)
            yield notes
            yield Static("", id="error")
            with Horizontal(id="buttons"):
                yield Button("Save", variant="primary", id="save", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
            yield Static(self._keys_hint(q), id="keys", markup=False)

    def _keys_hint(self, q: Question) -> str:
        """Short enough for one line at 80 columns (a scrollbar included), and docked: never scrolled away."""
        save, cancel = bindings.key_for(self.app, "editor.save"), bindings.key_for(self.app, "editor.cancel")
        if q.kind is Kind.TEXT:
            return f"{save} save · enter new line · tab next field · {cancel} cancel"
        return f"enter save (in notes: {save}) · tab next field · {cancel} cancel"

    def on_mount(self) -> None:
        input_for(self.question).widget(self).focus()
        for chooser in self.query(ChoiceList):
            if not chooser.touched:
                # No answer yet: show no option as chosen (a highlight would look like the answer).
                chooser.highlighted = None

    def read_value(self) -> Any:
        """The value from the input, or raise ValueError with a message for the user."""
        return input_for(self.question).read(self, self.question)

    def action_save(self) -> None:
        try:
            value = self.read_value()
            if value is not None:
                problem = value_problem(self.question, value)
                if problem:
                    raise ValueError(problem)
        except ValueError as exc:
            self.error(str(exc))
            return
        notes = clean_text(self.query_one("#notes", TextArea).text).strip("\n")
        choosing = input_for(self.question).choosing
        if (choosing and value is None and self.answer.status is Status.UNANSWERED and notes
                and not self._notes_only_confirmed):
            self._notes_only_confirmed = True  # the next save keeps only the notes, as asked
            self.error(f"No choice is made. Pick one above (↑↓ then enter), or press "
                       f"{bindings.key_for(self.app, 'editor.save')} again to save only "
                       "the notes and leave the question unanswered.")
            return
        decided_by = None
        if self.question.decision:
            decided_by = complete_name(clean_line(self.query_one("#decided-by", Input).value), self.participants)
            if self.require_participant and value is not None and decided_by not in self.participants:
                self.error("In a workshop the decision is recorded against a participant: "
                           + ", ".join(self.participants)
                           + f" ({bindings.key_for(self.app, bindings.PALETTE)}: Workshop: participants to add one).")
                return
        self.dismiss(SetAnswer(value=value, notes=notes, decided_by=decided_by))

    def unsaved_notes(self) -> str | None:
        """The notes as typed, when they differ from the answer's (the app is closing: keep them)."""
        notes = clean_text(self.query_one("#notes", TextArea).text).strip("\n")
        return notes if notes != self.answer.notes else None

    def error(self, message: str) -> None:
        """Say what is wrong where it is seen: the dialog scrolls to the message at any size."""
        shown = self.query_one("#error", Static)
        shown.update(Content(message))
        self.call_after_refresh(shown.scroll_visible, animate=False)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    @on(OptionList.OptionSelected, "#value-choice")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_save()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()
