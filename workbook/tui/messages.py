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


class OpenCalculator(Message):
    """Open the cost or latency calculator."""

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind
