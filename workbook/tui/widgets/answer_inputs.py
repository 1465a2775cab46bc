"""The answer input for each question kind, as one object each: what it shows and how it reads back.

The editor dialog (screens/editor.py) asks the question's kind for its input; the value checks, risk
and display of a kind are in core/kinds.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual.app import ComposeResult
from textual.content import Content
from textual.events import Click
from textual.screen import Screen
from textual.strip import Strip
from textual.validation import Function, Number
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, OptionList, SelectionList, TextArea
from textual.widgets.option_list import Option

from workbook.core.kinds import format_number, is_number, kind_of
from workbook.core.models import Answer, Kind, Question, Risk
from workbook.core.text import clean_text, parse_date
from workbook.tui import bindings
from workbook.tui.widgets.field import Field

_RISK_STYLE = {Risk.HIGH: "$text-error", Risk.MEDIUM: "$text-warning", Risk.NONE: "$text-success"}


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


class AnswerInput:
    """One kind's input: the widgets it adds to the editor, and the value they hold (None: no answer)."""

    widget_id: str
    choosing = False  # a choice must be picked: saving only notes is asked about first

    def compose(self, screen: Screen[Any], question: Question, answer: Answer) -> ComposeResult:
        raise NotImplementedError

    def read(self, screen: Screen[Any], question: Question) -> Any:
        """The value in the input, or raise ValueError with a message for the user."""
        raise NotImplementedError

    def widget(self, screen: Screen[Any]) -> Widget:
        return screen.query_one(f"#{self.widget_id}")


class TextInput(AnswerInput):
    widget_id = "value-text"

    def compose(self, screen: Screen[Any], question: Question, answer: Answer) -> ComposeResult:
        yield Label("Answer", classes="field-label")
        value = answer.value
        yield TextArea(value if isinstance(value, str) else "", id=self.widget_id, soft_wrap=True,
                       tab_behavior="focus", compact=True)

    def read(self, screen: Screen[Any], question: Question) -> Any:
        return clean_text(screen.query_one(f"#{self.widget_id}", TextArea).text).strip("\n") or None


class ChoiceInput(AnswerInput):
    """One of a list: a single choice, or yes/no."""

    widget_id = "value-choice"
    choosing = True

    def options(self, question: Question) -> list[Option]:
        return [Option(risk_prompt(c.label, c.risk), id=c.id) for c in question.choices]

    def current(self, answer: Answer) -> Any:
        return answer.value

    def compose(self, screen: Screen[Any], question: Question, answer: Answer) -> ComposeResult:
        options = self.options(question)
        chooser = ChoiceList(*options, id=self.widget_id, compact=True)
        current = self.current(answer)
        ids = [o.id for o in options]
        if current in ids:
            chooser.highlighted = ids.index(current)
            chooser.touched = True  # it has an answer: saving keeps it
        yield chooser

    def picked(self, screen: Screen[Any]) -> str | None:
        chooser = screen.query_one(f"#{self.widget_id}", ChoiceList)
        if chooser.highlighted is None or not chooser.touched:
            return None
        return chooser.get_option_at_index(chooser.highlighted).id

    def read(self, screen: Screen[Any], question: Question) -> Any:
        return self.picked(screen)


class YesNoInput(ChoiceInput):
    def options(self, question: Question) -> list[Option]:
        return [Option(risk_prompt("Yes", question.risk_if_yes), id="yes"),
                Option(risk_prompt("No", question.risk_if_no), id="no")]

    def current(self, answer: Answer) -> Any:
        return ("yes" if answer.value else "no") if isinstance(answer.value, bool) else None

    def read(self, screen: Screen[Any], question: Question) -> Any:
        picked = self.picked(screen)
        return None if picked is None else picked == "yes"


class MultiInput(AnswerInput):
    widget_id = "value-multi"
    choosing = True

    def compose(self, screen: Screen[Any], question: Question, answer: Answer) -> ComposeResult:
        chosen = set(answer.value) if isinstance(answer.value, list) else set()
        yield Label(f"space: toggle · {bindings.key_for(screen.app, 'editor.selection_save')}: save",
                    classes="field-label")
        yield SubmittingSelectionList(
            *((risk_prompt(c.label, c.risk), c.id, c.id in chosen) for c in question.choices),
            id=self.widget_id,
            compact=True,
        )

    def read(self, screen: Screen[Any], question: Question) -> Any:
        return list(screen.query_one(f"#{self.widget_id}", SubmittingSelectionList).selected) or None


class NumberInput(AnswerInput):
    widget_id = "value-number"

    def compose(self, screen: Screen[Any], question: Question, answer: Answer) -> ComposeResult:
        yield Label(Content(f"Number ({question.unit})" if question.unit else "Number"), classes="field-label")
        value = answer.value
        text = format_number(value).replace(",", "") if is_number(value) else ""
        yield Field(compact=True, value=text, id=self.widget_id, placeholder=kind_of(question).placeholder(question),
                    validators=[Number(minimum=question.minimum, maximum=question.maximum)])

    def read(self, screen: Screen[Any], question: Question) -> Any:
        text = screen.query_one(f"#{self.widget_id}", Input).value.strip().replace(",", "")
        if not text:
            return None
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a number") from None
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError("enter a finite number")
        return int(number) if number.is_integer() and "." not in text and "e" not in text.lower() else number


class DateInput(AnswerInput):
    widget_id = "value-date"

    def compose(self, screen: Screen[Any], question: Question, answer: Answer) -> ComposeResult:
        yield Label("Date (YYYY-MM-DD)", classes="field-label")
        value = answer.value
        yield Field(compact=True, value=value.isoformat() if isinstance(value, dt.date) else "", id=self.widget_id,
                    placeholder=kind_of(question).placeholder(question),
                    validators=[Function(lambda s: not s.strip() or parse_date(s) is not None, "not a date")])

    def read(self, screen: Screen[Any], question: Question) -> Any:
        text = screen.query_one(f"#{self.widget_id}", Input).value.strip()
        if not text:
            return None
        parsed = parse_date(text)
        if parsed is None:
            raise ValueError(f"{text!r} is not a date (YYYY-MM-DD)")
        return parsed


INPUTS: dict[Kind, AnswerInput] = {Kind.TEXT: TextInput(), Kind.SINGLE: ChoiceInput(), Kind.YES_NO: YesNoInput(),
                                   Kind.MULTI: MultiInput(), Kind.NUMBER: NumberInput(), Kind.DATE: DateInput()}


def input_for(question: Question) -> AnswerInput:
    return INPUTS[question.kind]
