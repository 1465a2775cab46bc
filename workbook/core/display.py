"""Plain-text rendering of answers, shared by the TUI and the exports (no markup here)."""

from __future__ import annotations

import datetime as dt

from workbook.core.models import Answer, Kind, Question, Status

STATUS_LABEL = {
    Status.UNANSWERED: "unanswered",
    Status.ANSWERED: "answered",
    Status.DEFERRED: "deferred",
    Status.UNKNOWN: "unknown",
    Status.NOT_APPLICABLE: "not applicable",
}


def format_number(value: float) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.6g}" if abs(value) >= 1e6 else f"{value:g}"


def format_value(question: Question | None, value: object) -> str:
    """A value as a person reads it: choice labels, yes/no, numbers with their unit, ISO dates."""
    if value is None or value == "" or value == []:
        return ""
    if question is not None:
        if question.kind is Kind.SINGLE and isinstance(value, str):
            choice = question.choice(value)
            return choice.label if choice else value
        if question.kind is Kind.MULTI and isinstance(value, list):
            return "; ".join((c.label if (c := question.choice(v)) else v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        unit = f" {question.unit}" if question is not None and question.unit else ""
        return format_number(value) + unit
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


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
