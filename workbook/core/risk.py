"""The risk an answer carries, from the template: chosen choices, yes/no and number thresholds.

Unanswered, unknown and deferred answers are their own levels, never "no risk".
"""

from __future__ import annotations

from enum import StrEnum

from workbook.core.kinds import is_number, kind_of
from workbook.core.models import Answer, Kind, Question, Risk, Status


class Level(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    NONE = "none"
    UNANSWERED = "unanswered"
    UNKNOWN = "unknown"
    DEFERRED = "deferred"
    NOT_APPLICABLE = "not_applicable"


def value_risk(question: Question, answer: Answer, target: float | None = None) -> Risk:
    """The risk the answered value carries (NONE when the question has no risk rules).

    ``target``: the team's own target for a number question (answered elsewhere in the review). When
    given, the value is judged against it (worse than the target is high risk) instead of the
    template's default thresholds.
    """
    value = answer.value
    if question.kind is Kind.NUMBER and target is not None and is_number(value):
        worse = value > target if question.target_direction == "at_most" else value < target
        return Risk.HIGH if worse else Risk.NONE
    return kind_of(question).risk(question, answer)


def answer_level(question: Question, answer: Answer, target: float | None = None) -> Level:
    status = answer.status
    if status is Status.NOT_APPLICABLE:
        return Level.NOT_APPLICABLE
    if status is Status.UNKNOWN:
        return Level.UNKNOWN
    if status is Status.DEFERRED:
        return Level.DEFERRED
    if status is Status.UNANSWERED or not answer.has_value:
        return Level.UNANSWERED
    return Level(value_risk(question, answer, target).value)
