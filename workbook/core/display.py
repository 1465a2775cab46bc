"""Plain-text rendering of answers, shared by the TUI and the exports (no markup here)."""

from __future__ import annotations

from workbook.core.kinds import format_number, kind_of, plain
from workbook.core.models import Answer, Question, Status

__all__ = ["STATUS_LABEL", "answer_summary", "format_number", "format_value"]

STATUS_LABEL = {
    Status.UNANSWERED: "unanswered",
    Status.ANSWERED: "answered",
    Status.DEFERRED: "deferred",
    Status.UNKNOWN: "unknown",
    Status.NOT_APPLICABLE: "not applicable",
}


def format_value(question: Question | None, value: object) -> str:
    """A value as a person reads it: choice labels, yes/no, numbers with their unit, ISO dates."""
    if value is None or value == "" or value == []:
        return ""
    return kind_of(question).format(question, value) if question is not None else plain(value)


def answer_summary(question: Question | None, answer: Answer) -> str:
    """One phrase for an answer of any status."""
    if answer.status is Status.NOT_APPLICABLE:
        return f"not applicable: {answer.reason}"
    if answer.status is Status.UNKNOWN:
        return "unknown"
    if answer.status is Status.DEFERRED:
        who = f"deferred to {answer.owner}" if answer.owner else "deferred, unowned"
        when = f"decide by {answer.decide_by.isoformat()}" if answer.decide_by else "undated"
        return f"{who}, {when}"
    if not answer.has_value:
        return ""
    return format_value(question, answer.value)
