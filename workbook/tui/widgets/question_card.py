"""One question in the section view: prompt, answer or status, notes, and its help when selected.

A card is not a widget: the section view draws every card itself (one Line-API widget), so moving
between questions redraws two cards in one frame; editing happens in a dialog (screens/editor.py).
"""

from __future__ import annotations

from textual.content import Content

from workbook.core.constraints import Constraint
from workbook.core.display import answer_summary
from workbook.core.models import Answer, Question, Status
from workbook.core.policy import offered_actions
from workbook.core.risk import Level, answer_level
from workbook.core.text import one_line

_LEVEL_BADGE = {
    Level.HIGH: (" HIGH RISK ", "bold $text-error on $error-muted"),
    Level.MEDIUM: (" MEDIUM ", "bold $text-warning on $warning-muted"),
    Level.UNKNOWN: (" UNKNOWN ", "bold $text-warning on $warning-muted"),
}


def card_content(question: Question, answer: Answer, constraint: Constraint | None,
                 level: Level | None = None, edit_key: str = "enter", reason: str = "") -> Content:
    """The card's text: every piece of user text goes in as plain text, never as markup.

    ``edit_key``: the key that answers (the keymap may have moved it from enter)."""
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
        parts.append((f"⚡ respondents disagree — {edit_key} to settle", "bold $text-warning"))
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
        parts.append((f"○ unanswered — {edit_key} to answer", "$foreground-muted italic"))
    elif answer.status is Status.NOT_APPLICABLE:
        parts.append(("– ", "$foreground-muted"))
        parts.append((one_line(summary, 200), "$foreground-muted"))
    else:
        parts.append(("→ ", "$text-success"))
        parts.append(one_line(summary, 200))  # a preview: the editor shows everything
        if answer.responses:  # taken from respondents (workshops): merge is not loaded for the rest
            from workbook.core.merge import attribution

            if source := attribution(answer):
                parts.append((f"  ({source})", "$foreground-muted"))
        if answer.resolved_on is not None and (question.decision or question.assumption):
            verb = "decided" if question.decision else "validated"
            who = f" by {answer.resolved_by}" if answer.resolved_by else ""
            parts.append((f"  ✓ {verb}{who} {answer.resolved_on.isoformat()}", "$foreground-muted"))
    badge = _LEVEL_BADGE.get(level)
    if badge:
        parts.append("  ")
        parts.append(badge)
    if reason:  # which rule in context set the risk: the program's other answers, not this one alone
        parts += ["\n", ("▲ ", "$foreground-muted"), (one_line(reason, 240), "$foreground-muted italic")]
    if answer.notes:
        parts.append("\n")
        parts.append(("✎ ", "$foreground-muted"))
        parts.append((one_line(answer.notes, 160), "italic"))
    return Content.assemble(*parts)


class Card:
    """One question as the section view shows it: its number in the section and what it shows."""

    __slots__ = ("number", "question", "answer", "constraint", "level", "edit_key", "reason")

    def __init__(self, number: int, question: Question, answer: Answer, constraint: Constraint | None,
                 level: Level | None = None, edit_key: str = "enter", reason: str = "") -> None:
        self.reason = reason  # the rule in context that set the level, said on the card
        self.number = number
        self.question = question
        self.answer = answer
        self.constraint = constraint
        self.level = level
        self.edit_key = edit_key

    @property
    def signature(self) -> tuple[object, ...]:
        """What the card's text depends on: a cached rendering is reused while it is unchanged."""
        return self.number, self.question, self.answer, self.constraint, self.level, self.edit_key, self.reason

    def content(self) -> Content:
        return card_content(self.question, self.answer, self.constraint, self.level, self.edit_key, self.reason)

    def wrapped(self, width: int) -> list[Content]:
        """The card's lines at a width: the body hangs under its text, not under the number."""
        lines = self.content().wrap(max(width, 20) - 4)
        number = Content.styled(f"{self.number:>2}. ", "$foreground-muted")
        indent = Content("    ")
        return [(number if i == 0 else indent) + line for i, line in enumerate(lines)]

    def body_text(self) -> str:
        """The card's text without the number column (for tests and screen readers)."""
        return str(self.content())

    def help_line(self) -> tuple[str, str]:
        """What the help line under the section says while this card is selected. The line is three
        lines high: a preview of any help."""
        return "Why it matters: ", one_line(self.question.help, 400) or "—"

    def allows(self, action: str) -> bool | None:
        """Whether a key's action applies to this question (None: shown, but does nothing here)."""
        offered = offered_actions(self.question, self.answer)
        if action == "defer":
            return True if offered["defer"] else None  # shown, but says why not when pressed
        if action == "validate":
            return offered["validate"]  # hidden unless it applies
        return True
