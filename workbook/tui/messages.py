"""Messages between the TUI's parts: edits flow up to the app, ReviewChanged flows down to the screens."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from textual.message import Message

from workbook.core.session import Edit
from workbook.core.store import ReviewFile

if TYPE_CHECKING:  # the edits' module loads with the first edit, not before the first frame
    from workbook.core.editing import CalculatorKind as CalculatorKind  # re-exported for widgets' annotations

QuestionVerb = Literal["edit", "defer", "validate", "unknown", "not_applicable", "clear"]


@dataclass
class QuestionAction(Message):
    """A user asked to act on a question; the screen showing it opens the right dialog."""

    question_id: str
    action: QuestionVerb


@dataclass
class EditRequested(Message):
    """A finished edit to apply to the review (only the app applies it, through the session)."""

    edit: Edit


@dataclass
class ReviewChanged(Message, bubble=False):
    """The review is at a new revision: whoever shows it refreshes from the session."""

    revision: int
    question_id: str | None = None


@dataclass
class JumpTo(Message):
    """Show a question (from the decisions panel, the board or the palette)."""

    question_id: str


@dataclass
class OpenCalculator(Message):
    """Open the cost or latency calculator."""

    kind: CalculatorKind


@dataclass
class OpenReview(Message):
    """Open this review (from the start screen or the portfolio)."""

    review_file: ReviewFile
