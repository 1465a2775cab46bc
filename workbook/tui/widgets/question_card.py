"""One question in the section view: prompt, answer or status, notes, and help when focused.

A card is a single lightweight widget (no child inputs) so a 20-question section mounts fast;
editing happens in a dialog (screens/editor.py).
"""

from __future__ import annotations

import hashlib
import re

from textual.content import Content
from textual.events import Click
from textual.geometry import Size
from textual.widget import Widget

from workbook.core.constraints import Constraint
from workbook.core.display import answer_summary
from workbook.core.models import Answer, Question, Status
from workbook.core.risk import Level, answer_level
from workbook.core.text import one_line
from workbook.tui import bindings
from workbook.tui.messages import QuestionAction, QuestionVerb

_LEVEL_BADGE = {
    Level.HIGH: (" HIGH RISK ", "bold $text-error on $error-muted"),
    Level.MEDIUM: (" MEDIUM ", "bold $text-warning on $warning-muted"),
    Level.UNKNOWN: (" UNKNOWN ", "bold $text-warning on $warning-muted"),
}


def card_content(question: Question, answer: Answer, constraint: Constraint | None,
                 level: Level | None = None) -> Content:
    """The card's text: every piece of user text goes in as plain text, never as markup."""
    flags = []
    if question.decision:
        flags.append("decision")
    if question.assumption:
        flags.append("assumption")
    if question.critical:
        flags.append("critical")
    parts: list[str | Content | tuple[str, str]] = [(question.prompt, "bold")]
    if flags:
        parts.append((f"  [{', '.join(flags)}]", "$foreground-muted"))
    parts.append("\n")
    level = level if level is not None else answer_level(question, answer)  # judged in context when given
    summary = answer_summary(question, answer)
    if answer.disagreement:
        parts.append(("⚡ respondents disagree — enter to settle", "bold $text-warning"))
        for who, response in answer.responses.items():
            parts += ["\n", ("   ", ""), (f"{who}: ", "bold"),
                      one_line(answer_summary(question, response) or "unanswered", 120)]
    elif answer.status is Status.DEFERRED or constraint is not None:
        style = ("bold $text-error" if constraint and (constraint.overdue or constraint.unowned)
                 else "bold $text-warning")
        label = summary or "relied on, not yet validated"
        if constraint is not None and constraint.kind == "assumption":
            who = constraint.owner or "unowned"
            when = f"validate by {constraint.decide_by.isoformat()}" if constraint.decide_by else "undated"
            label = f"{summary} — relied on, not validated ({who}, {when})"
        parts.append(("◆ open: ", style))
        parts.append((label, style))
        if constraint is not None and constraint.overdue:
            parts.append(("  OVERDUE", "bold $text-error"))
        if constraint is not None and constraint.unowned:
            parts.append(("  UNOWNED", "bold $text-error"))
    elif answer.status is Status.UNANSWERED or not summary:
        parts.append(("○ unanswered — enter to answer", "$foreground-muted italic"))
    elif answer.status is Status.NOT_APPLICABLE:
        parts.append(("– ", "$foreground-muted"))
        parts.append((one_line(summary, 200), "$foreground-muted"))
    else:
        parts.append(("→ ", "$text-success"))
        parts.append(one_line(summary, 200))  # a preview: the editor shows everything
        if answer.responses:
            parts.append(("  (settled from " + ", ".join(answer.responses) + ")", "$foreground-muted"))
        if answer.resolved_on is not None and (question.decision or question.assumption):
            verb = "decided" if question.decision else "validated"
            who = f" by {answer.resolved_by}" if answer.resolved_by else ""
            parts.append((f"  ✓ {verb}{who} {answer.resolved_on.isoformat()}", "$foreground-muted"))
    badge = _LEVEL_BADGE.get(level)
    if badge:
        parts.append("  ")
        parts.append(badge)
    if answer.notes:
        parts.append("\n")
        parts.append(("✎ ", "$foreground-muted"))
        parts.append((one_line(answer.notes, 160), "italic"))
    return Content.assemble(*parts)


def card_id(question_id: str) -> str:
    """A widget id for a question: its own id when it is a valid one (an orphan's may not be)."""
    if re.fullmatch(r"[A-Za-z0-9_-]+", question_id):
        return f"q-{question_id}"
    return "q-x" + hashlib.sha1(question_id.encode()).hexdigest()[:12]


class QuestionCard(Widget, can_focus=True):
    """A focusable, read-only view of one question and its answer."""

    DEFAULT_CSS = """
    QuestionCard {
        height: auto;
        padding: 0 1 1 0;
        /* Every card keeps the same border width, so focusing one only recolours it (no reflow). */
        border-left: thick transparent;
    }
    QuestionCard:focus {
        background: $boost;
        border-left: thick $primary;
    }
    QuestionCard.-open { border-left: thick $warning; }
    QuestionCard.-overdue { border-left: thick $error; }
    QuestionCard:focus.-open, QuestionCard:focus.-overdue { border-left: thick $primary; }
    """

    BINDINGS = bindings.QUESTION

    def __init__(
        self,
        number: int,
        question: Question,
        answer: Answer,
        constraint: Constraint | None,
        level: Level | None = None,
    ) -> None:
        super().__init__(id=card_id(question.id))
        self.level = level
        self.number = number
        self.question = question
        self.answer = answer
        self.constraint = constraint
        self._version = 0
        self._rendered: tuple[tuple[int, int], Content] | None = None
        self._sync_classes()

    def update_answer(self, answer: Answer, constraint: Constraint | None, level: Level | None = None) -> None:
        self.answer = answer
        self.constraint = constraint
        self.level = level
        self._sync_classes()
        self._refresh_body()

    def _sync_classes(self) -> None:
        self.set_class(self.constraint is not None, "-open")
        self.set_class(self.constraint is not None and (self.constraint.overdue or self.constraint.unowned), "-overdue")

    def _wrapped(self, width: int) -> Content:
        # One widget a card (not a number column beside a body): a 20-question section stays light.
        # The body is wrapped here so its continuation lines hang under the text, not the number.
        width = max(width, 20)
        key = (width, self._version)
        if self._rendered is None or self._rendered[0] != key:
            body = card_content(self.question, self.answer, self.constraint, self.level)
            lines = body.wrap(width - 4)
            number = Content.styled(f"{self.number:>2}. ", "$foreground-muted")
            indent = Content("    ")
            out = Content("\n").join([(number if i == 0 else indent) + line for i, line in enumerate(lines)])
            self._rendered = (key, out)
        return self._rendered[1]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        # Measure at the width the layout asks about (the region may not have it yet).
        return len(self._wrapped(width).plain.split("\n"))

    def render(self) -> Content:
        return self._wrapped(self.content_region.width)

    def body_text(self) -> str:
        """The card's text without the number column (for tests and screen readers)."""
        return str(card_content(self.question, self.answer, self.constraint, self.level))

    def _refresh_body(self) -> None:
        self._version += 1
        if self.is_mounted:
            self.refresh(layout=True)

    def help_line(self) -> tuple[str, str]:
        """What the help line under the section says while this card has the focus. Cards keep their
        size when focused (no reflow); the line is three lines high: a preview of any help."""
        return "Why it matters: ", one_line(self.question.help, 400) or "—"

    def on_focus(self) -> None:
        self.scroll_visible(animate=False)

    def on_click(self, event: Click) -> None:
        if event.chain >= 2:  # double click edits; a single click just selects
            self.action_act("edit")

    def action_act(self, action: QuestionVerb) -> None:
        self.post_message(QuestionAction(self.question.id, action))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "act" and parameters and parameters[0] == "defer":
            q = self.question
            critical_unknown = q.critical and self.answer.status is Status.UNKNOWN
            return True if (q.decision or q.assumption or critical_unknown) else None
        if action == "act" and parameters and parameters[0] == "validate":
            # Hidden (False) unless it applies: an assumption relied on and not yet validated.
            return self.question.assumption and self.answer.value is True and self.answer.resolved_on is None
        return True
