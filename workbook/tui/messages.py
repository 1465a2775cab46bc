"""Messages widgets post upward; the app applies them to the model and saves."""

from __future__ import annotations

from textual.message import Message

from workbook.core.editing import Change


class QuestionAction(Message):
    """A user asked to act on a question (edit, defer, mark unknown or not applicable, clear)."""

    def __init__(self, question_id: str, action: str) -> None:
        super().__init__()
        self.question_id = question_id
        self.action = action


class ChangeRequested(Message):
    """A finished edit (from a dialog) to apply to the review."""

    def __init__(self, question_id: str, change: Change) -> None:
        super().__init__()
        self.question_id = question_id
        self.change = change


class JumpTo(Message):
    """Show a question (from the decisions panel, the board or the palette)."""

    def __init__(self, question_id: str) -> None:
        super().__init__()
        self.question_id = question_id


class CardFocused(Message):
    """A card got focus: the help line under the section shows what it is about."""

    def __init__(self, label: str, help_text: str) -> None:
        super().__init__()
        self.label = label
        self.help_text = help_text


class OpenCalculator(Message):
    """Open the cost or latency calculator."""

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind
