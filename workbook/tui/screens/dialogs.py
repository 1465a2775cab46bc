"""Small typed dialogs: defer a decision, give a reason, resolve a save conflict, pick a path."""

from __future__ import annotations

import datetime as dt
from typing import Generic, TypeVar

from rich.cells import cell_len
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Resize
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from workbook.core.editing import Defer
from workbook.core.models import Answer
from workbook.core.policy import DEFER_WORDS, DeferKind
from workbook.core.text import clean_line, clean_text, parse_date
from workbook.tui import bindings
from workbook.tui.widgets.field import Field

T = TypeVar("T")


class FormDialog(ModalScreen[T], Generic[T]):
    """A titled form with inputs; enter in any field or the OK button submits."""

    DEFAULT_CSS = """
    FormDialog { align: center middle; }
    FormDialog > Vertical {
        width: 80%; max-width: 80; height: auto; max-height: 95%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    FormDialog .title { text-style: bold; margin-bottom: 1; width: 1fr; }
    FormDialog .field-label { color: $text-muted; width: 1fr; }
    FormDialog #error { color: $text-error; height: auto; }
    FormDialog #buttons { height: auto; margin-top: 1; }
    FormDialog #buttons Button { margin-right: 2; }
    """

    BINDINGS = bindings.FORM_DIALOG
    ok_label = "OK"

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.title_text), classes="title")
            yield from self.fields()
            yield Static("", id="error")
            with Horizontal(id="buttons"):
                yield Button(self.ok_label, variant="primary", id="ok", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def fields(self) -> ComposeResult:
        yield from ()

    def submit(self) -> T | None:
        """Return the result, or None after calling self.error(...)."""
        raise NotImplementedError

    def error(self, message: str) -> None:
        shown = self.query_one("#error", Static)
        shown.update(Content(message))
        self.call_after_refresh(shown.scroll_visible, animate=False)  # seen at 80x24 too

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        """f2, as in the answer editor: submit from anywhere, a multi-line field included."""
        self._try_submit()

    def _try_submit(self) -> None:
        result = self.submit()
        if result is not None:
            self.dismiss(result)

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        self._try_submit()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._try_submit()  # enter submits from any field; tab moves between them


class DeferDialog(FormDialog[Defer]):
    """Defer a decision (or give an assumption or a critical unknown an owner): who, by when, and what
    breaks meanwhile. Worded for what the question is."""

    ok_label = "Defer"

    def __init__(self, prompt: str, answer: Answer, today: dt.date, *, kind: DeferKind = "decision") -> None:
        title, self._who, self._date_label, _ = DEFER_WORDS[kind]
        super().__init__(f"{title}: {prompt}")
        self.answer = answer
        self.today = today
        self.kind = kind
        self._past_accepted: dt.date | None = None  # a past date the user was warned about and kept
        if kind != "decision":
            self.ok_label = "Save"

    def fields(self) -> ComposeResult:
        a = self.answer
        yield Label(f"Owner: who {self._who} (leave empty: unowned)", classes="field-label")
        yield Field(a.owner or "", id="owner", placeholder="name", compact=True)
        yield Label(f"{self._date_label} (YYYY-MM-DD; empty: undated)", classes="field-label")
        yield Field(a.decide_by.isoformat() if a.decide_by else "", id="decide-by", placeholder="YYYY-MM-DD",
                    compact=True)
        yield Label("What breaks if it stays open", classes="field-label")
        yield Field(a.breaks_if_open, id="breaks", compact=True)

    def on_mount(self) -> None:
        self.query_one("#owner", Input).focus()

    def submit(self) -> Defer | None:
        owner = clean_line(self.query_one("#owner", Input).value) or None
        text = self.query_one("#decide-by", Input).value.strip()
        decide_by = parse_date(text) if text else None
        if text and decide_by is None:
            self.error(f"{text!r} is not a date (YYYY-MM-DD)")
            return None
        if (decide_by is not None and decide_by < self.today and decide_by != self.answer.decide_by
                and decide_by != self._past_accepted):
            # A typo in the year makes a constraint months overdue the moment it is saved: ask once.
            self._past_accepted = decide_by
            days = (self.today - decide_by).days
            self.error(f"{decide_by.isoformat()} is {days} day{'s' * (days != 1)} ago: the constraint will be "
                       "overdue at once. Enter again to keep it, or fix the date.")
            return None
        breaks = clean_text(self.query_one("#breaks", Input).value).strip()
        return Defer(owner=owner, decide_by=decide_by, breaks_if_open=breaks)


class ReasonDialog(FormDialog[str]):
    """Why a question does not apply to this program (required)."""

    ok_label = "Not applicable"

    def __init__(self, prompt: str, reason: str = "", replaces: str = "") -> None:
        super().__init__(f"Not applicable: {prompt}")
        self.reason = reason
        self.replaces = replaces

    def fields(self) -> ComposeResult:
        if self.replaces:
            undo = bindings.key_for(self.app, "app.undo")
            yield Label(Content.assemble(("This replaces the answer: ", "bold $text-warning"), self.replaces,
                                         (f" ({undo} undoes it)", "$foreground-muted")), classes="field-label")
        yield Label("Why it does not apply (required)", classes="field-label")
        yield Field(self.reason, id="reason", compact=True)

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    def submit(self) -> str | None:
        reason = clean_text(self.query_one("#reason", Input).value).strip()
        if not reason:
            self.error("Give a reason, so readers of the log know why it does not apply.")
            return None
        return reason


class ValidateDialog(FormDialog[str]):
    """Who validated an assumption (today is recorded as the date)."""

    ok_label = "Validated"

    def __init__(self, prompt: str, default: str = "") -> None:
        super().__init__(f"Validated: {prompt}")
        self.default = default

    def fields(self) -> ComposeResult:
        yield Label("Who validated it (today's date is recorded; put the evidence in the answer's notes)",
                    classes="field-label")
        yield Field(self.default, id="by", compact=True)

    def on_mount(self) -> None:
        self.query_one("#by", Input).focus()

    def submit(self) -> str | None:
        by = clean_line(self.query_one("#by", Input).value)
        if not by:
            self.error("Name who validated it.")
            return None
        return by


class PathDialog(FormDialog[str]):
    """Ask for a file path (save a copy, export)."""

    def __init__(self, title: str, default: str, ok_label: str = "Save") -> None:
        super().__init__(title)
        self.default = default
        self.ok_label = ok_label

    def fields(self) -> ComposeResult:
        yield Label("Path", classes="field-label")
        yield Field(self.default, id="path", compact=True)

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    def submit(self) -> str | None:
        path = self.query_one("#path", Input).value.strip()
        if not path:
            self.error("Enter a path.")
            return None
        return path


class ButtonRow(Horizontal):
    """Compact buttons side by side, or in as many columns as fit when the row is too narrow for
    them all (four choices at 80 columns, or a narrower terminal): no button is ever cut off."""

    DEFAULT_CSS = """
    ButtonRow { height: auto; }
    ButtonRow > Button { min-width: 0; margin-right: 1; }
    ButtonRow.-wrapped { layout: grid; grid-columns: auto; grid-rows: 1; grid-gutter: 0 1; }
    ButtonRow.-wrapped > Button { margin-right: 0; }
    """

    def on_resize(self, event: Resize) -> None:
        # A compact button is its label and a cell either side; widths do not change with the row's.
        widths = [cell_len(str(button.label)) + 2 for button in self.query_children(Button)]
        room = event.size.width
        fits = sum(widths) + len(widths) - 1 <= room
        self.set_class(not fits, "-wrapped")
        if not fits:
            widest = max(widths, default=1)
            self.styles.grid_size_columns = max(1, min(len(widths), (room + 1) // (widest + 1)))


class ChoiceDialog(ModalScreen[str]):
    """A question with a few labelled answers (buttons); escape gives the cancel id."""

    DEFAULT_CSS = """
    ChoiceDialog { align: center middle; }
    ChoiceDialog > Vertical {
        width: 90%; max-width: 76; height: auto; max-height: 95%;
        border: thick $warning; background: $surface; padding: 0 1;
    }
    ChoiceDialog .title { text-style: bold; width: 1fr; }
    ChoiceDialog .body { margin: 1 0; width: 1fr; }
    """

    BINDINGS = bindings.CHOICE_DIALOG

    def __init__(self, title: str, body: str, choices: list[tuple[str, str]], cancel: str) -> None:
        super().__init__()
        self.title_text = title
        self.body = body
        self.choices = choices
        self.cancel_id = cancel

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.title_text), classes="title")
            yield Static(Content(self.body), classes="body", id="body")
            with ButtonRow():
                for choice_id, label in self.choices:
                    yield Button(label, id=choice_id,
                                 variant="primary" if choice_id == self.choices[0][0] else "default", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or self.cancel_id)

    def action_choose_cancel(self) -> None:
        self.dismiss(self.cancel_id)


def not_saved_dialog(reason: str, *, quitting: bool) -> ChoiceDialog:
    """The one answer to any failed save (a full disk, the file made unreadable or replaced by a folder,
    a pipe or a link): say why, and offer to retry, save a copy elsewhere, or quit knowingly."""
    body = ("The last changes could not be saved." + (f"\n{reason}" if reason else "")
            + "\n\nYour edits are kept in memory: retry once the cause is fixed, or save a copy elsewhere."
            + (" Quitting now loses them." if quitting else ""))
    choices = [("retry", "Retry"), ("copy", "Save a copy…"), ("stay", "Stay")]
    if quitting:
        choices.append(("discard", "Quit and lose them"))
    return ChoiceDialog("Quit without saving?" if quitting else "Not saved", body, choices, cancel="stay")
