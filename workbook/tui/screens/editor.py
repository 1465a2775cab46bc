"""The answer editor: the right input for the question's kind, the notes, and who decided."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.events import Click
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.suggester import SuggestFromList
from textual.validation import Function, Number
from textual.widgets import Button, Checkbox, Input, Label, OptionList, SelectionList, Static, TextArea
from textual.widgets.option_list import Option

from workbook.core.display import format_number
from workbook.core.editing import SetAnswer
from workbook.core.kinds import kind_of
from workbook.core.models import Answer, Kind, Question, Risk, Status
from workbook.core.policy import value_problem
from workbook.core.text import clean_line, clean_text, complete_name, parse_date
from workbook.tui import bindings
from workbook.tui.widgets.field import Field

_RISK_STYLE = {Risk.HIGH: "$text-error", Risk.MEDIUM: "$text-warning", Risk.NONE: "$text-success"}


HELP_SHOWN = 4000  # characters of help the editor shows; wrapping a megabyte would take seconds


def help_shown(text: str) -> str:
    if len(text) <= HELP_SHOWN:
        return text
    return f"{text[:HELP_SHOWN]}… ({len(text) - HELP_SHOWN:,} more characters in the template)"


def risk_prompt(label: str, risk: Risk | None) -> Content:
    if risk is None:
        return Content(label)
    return Content.assemble(label, ("  ", ""),
                            (f"{risk.value} risk" if risk is not Risk.NONE else "ok", _RISK_STYLE[risk]))


class ChoiceList(OptionList):
    """The options of a single choice. It knows whether the user picked one: opening the editor on
    an unanswered or deferred question and saving only the notes must not answer it with the
    option that happens to be highlighted first."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.touched = False  # OptionList highlights its first option while it is built: not a choice

    def _touch(self) -> None:
        self.touched = True

    def action_cursor_down(self) -> None:
        self._touch()
        super().action_cursor_down()

    def action_cursor_up(self) -> None:
        self._touch()
        super().action_cursor_up()

    def action_first(self) -> None:
        self._touch()
        super().action_first()

    def action_last(self) -> None:
        self._touch()
        super().action_last()

    def action_select(self) -> None:
        self._touch()
        super().action_select()

    async def _on_click(self, event: Click) -> None:
        self._touch()
        await super()._on_click(event)


def _option_at(strip: Strip) -> int | None:
    """The option a rendered line belongs to (OptionList tags every line of an option with it)."""
    for segment in strip:
        if segment.style is not None and "option" in segment.style.meta:
            return int(segment.style.meta["option"])
    return None


class SubmittingSelectionList(SelectionList[str]):
    """Space toggles a choice; enter saves the whole answer.

    A long choice wraps (the editor's CSS turns wrapping on) with its risk after the label in view:
    SelectionList puts a check box on every line, as if each choice were one line, so here the box
    goes on a choice's first line and its other lines are indented under the label."""

    BINDINGS = bindings.EDITOR_SELECTION

    def render_line(self, y: int) -> Strip:
        line = OptionList.render_line(self, y)
        index = _option_at(line)
        if index is None:
            return line
        base = next(iter(line)).style or self.rich_style
        gutter = len(Checkbox.BUTTON_LEFT + Checkbox.BUTTON_INNER + Checkbox.BUTTON_RIGHT + " ")
        if self.scroll_offset.y + y > 0 and _option_at(OptionList.render_line(self, y - 1)) == index:
            return Strip([Segment(" " * gutter, base), *line])
        selection = self.get_option_at_index(index)
        component = "selection-list--button"
        if selection.value in self.selected:
            component += "-selected"
        if self.highlighted == index:
            component += "-highlighted"
        button = self.get_component_rich_style(component) + Style(meta={"option": index})
        side = Style.from_color(button.bgcolor, base.bgcolor) + Style(meta={"option": index})
        return Strip([Segment(Checkbox.BUTTON_LEFT, side), Segment(Checkbox.BUTTON_INNER, button),
                      Segment(Checkbox.BUTTON_RIGHT, side), Segment(" ", base), *line])


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
    AnswerEditor #keys { color: $text-muted; }
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
            yield from self._value_input(q, a)
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
            save, cancel = bindings.key_for(self.app, "editor.save"), bindings.key_for(self.app, "editor.cancel")
            yield Static(f"enter save (text: tab to Save) · tab next field · {save} save · {cancel} cancel",
                         id="keys", markup=False)

    def _value_input(self, q: Question, a: Answer) -> ComposeResult:
        value = a.value
        if q.kind is Kind.TEXT:
            yield Label("Answer", classes="field-label")
            yield TextArea(value if isinstance(value, str) else "", id="value-text", soft_wrap=True,
                           tab_behavior="focus", compact=True)
        elif q.kind in (Kind.SINGLE, Kind.YES_NO):
            if q.kind is Kind.SINGLE:
                options = [Option(risk_prompt(c.label, c.risk), id=c.id) for c in q.choices]
            else:
                options = [
                    Option(risk_prompt("Yes", q.risk_if_yes), id="yes"),
                    Option(risk_prompt("No", q.risk_if_no), id="no"),
                ]
            chooser = ChoiceList(*options, id="value-choice", compact=True)
            current = ("yes" if value else "no") if isinstance(value, bool) else value
            ids = [o.id for o in options]
            if current in ids:
                chooser.highlighted = ids.index(current)
                chooser.touched = True  # it has an answer: saving keeps it
            yield chooser
        elif q.kind is Kind.MULTI:
            chosen = set(value) if isinstance(value, list) else set()
            yield Label(f"space: toggle · {bindings.key_for(self.app, 'editor.selection_save')}: save",
                        classes="field-label", markup=False)
            yield SubmittingSelectionList(
                *((risk_prompt(c.label, c.risk), c.id, c.id in chosen) for c in q.choices),
                id="value-multi",
                compact=True,
            )
        elif q.kind is Kind.NUMBER:
            yield Label(Content(f"Number ({q.unit})" if q.unit else "Number"), classes="field-label")
            text = (format_number(value).replace(",", "")
                    if isinstance(value, (int, float)) and not isinstance(value, bool) else "")
            yield Field(
                compact=True,
                value=text,
                id="value-number",
                placeholder=kind_of(q).placeholder(q),
                validators=[Number(minimum=q.minimum, maximum=q.maximum)],
            )
        else:
            yield Label("Date (YYYY-MM-DD)", classes="field-label")
            yield Field(
                compact=True,
                value=value.isoformat() if isinstance(value, dt.date) else "",
                id="value-date",
                placeholder=kind_of(q).placeholder(q),
                validators=[Function(lambda s: not s.strip() or parse_date(s) is not None, "not a date")],
            )

    def on_mount(self) -> None:
        first = self.query("#value-text, #value-choice, #value-multi, #value-number, #value-date").first()
        first.focus()
        for chooser in self.query(ChoiceList):
            if not chooser.touched:
                # No answer yet: show no option as chosen (a highlight would look like the answer).
                chooser.highlighted = None

    def read_value(self) -> Any:
        """The value from the input, or raise ValueError with a message for the user."""
        q = self.question
        if q.kind is Kind.TEXT:
            return clean_text(self.query_one("#value-text", TextArea).text).strip("\n") or None
        if q.kind in (Kind.SINGLE, Kind.YES_NO):
            chooser = self.query_one("#value-choice", ChoiceList)
            if chooser.highlighted is None or not chooser.touched:
                return None
            option_id = chooser.get_option_at_index(chooser.highlighted).id
            return option_id == "yes" if q.kind is Kind.YES_NO else option_id
        if q.kind is Kind.MULTI:
            return list(self.query_one("#value-multi", SubmittingSelectionList).selected) or None
        if q.kind is Kind.NUMBER:
            text = self.query_one("#value-number", Input).value.strip().replace(",", "")
            if not text:
                return None
            try:
                number = float(text)
            except ValueError:
                raise ValueError(f"{text!r} is not a number") from None
            if number != number or number in (float("inf"), float("-inf")):
                raise ValueError("enter a finite number")
            return int(number) if number.is_integer() and "." not in text and "e" not in text.lower() else number
        text = self.query_one("#value-date", Input).value.strip()
        if not text:
            return None
        parsed = parse_date(text)
        if parsed is None:
            raise ValueError(f"{text!r} is not a date (YYYY-MM-DD)")
        return parsed

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
        choosing = self.question.kind in (Kind.SINGLE, Kind.YES_NO, Kind.MULTI)
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
