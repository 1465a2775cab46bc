"""Changes a user makes to a review, as plain functions on the model (the TUI and tests call these)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from workbook.core.models import (
    Answer,
    Calculators,
    CostInputs,
    LatencyInputs,
    ParkingItem,
    Participant,
    Question,
    Review,
    Stage,
    Status,
    TimeLog,
    Workshop,
)
from workbook.core.policy import change_problem, defer_kind


def _store(review: Review, qid: str, answer: Answer) -> Answer:
    if answer.is_empty:
        review.answers.pop(qid, None)
    else:
        review.answers[qid] = answer
    return answer


def _copy(review: Review, qid: str) -> Answer:
    current = review.answers.get(qid)
    return current.model_copy(deep=True) if current is not None else Answer()


def set_value(
    review: Review,
    qid: str,
    value: Any,
    today: dt.date,
    *,
    decided_by: str | None = None,
    is_decision: bool = False,
) -> Answer:
    """Answer a question (an empty value clears it). Answering a decision closes it and records who
    decided and when."""
    answer = _copy(review, qid)
    was_open = answer.status is not Status.ANSWERED
    changed = was_open or answer.value != value or (decided_by or None) != answer.resolved_by
    if value in (None, "", []):
        # Status first: an 'answered' status with no value is never valid, not even for a moment.
        answer.status = Status.UNANSWERED
        answer.value = None
    else:
        answer.value = value
        answer.status = Status.ANSWERED
    answer.reason = ""
    if is_decision and answer.status is Status.ANSWERED and changed:
        # Editing only the notes of a decision made earlier must not move its date.
        answer.resolved_on = today
        answer.resolved_by = decided_by or answer.resolved_by
    return _store(review, qid, answer)


def set_notes(review: Review, qid: str, notes: str) -> Answer:
    answer = _copy(review, qid)
    answer.notes = notes
    return _store(review, qid, answer)


def _set_owner_and_date(answer: Answer, owner: str | None, decide_by: dt.date | None, breaks_if_open: str) -> None:
    """Owner, date and what breaks; a moved date goes into the history, where slips are counted."""
    if answer.decide_by is not None and decide_by != answer.decide_by:
        answer.decide_by_history = [*answer.decide_by_history, answer.decide_by]
    answer.owner = owner or None
    answer.decide_by = decide_by
    answer.breaks_if_open = breaks_if_open


def defer(
    review: Review,
    qid: str,
    today: dt.date,
    *,
    owner: str | None,
    decide_by: dt.date | None,
    breaks_if_open: str = "",
) -> Answer:
    """Defer a decision to an owner and a decide-by date. Moving the date keeps its history (slips)."""
    answer = _copy(review, qid)
    fresh = answer.status is not Status.DEFERRED
    answer.status = Status.DEFERRED  # first: every field below is valid with it
    if fresh:  # deferred afresh: a new history
        answer.opened_on = today
        answer.decide_by_history = []
        answer.decide_by = None
        answer.value = None  # not decided: an earlier choice would read as the decision
    _set_owner_and_date(answer, owner, decide_by, breaks_if_open)
    answer.resolved_by = None
    answer.resolved_on = None
    return _store(review, qid, answer)


def assign(
    review: Review,
    qid: str,
    today: dt.date,
    *,
    owner: str | None,
    decide_by: dt.date | None,
    breaks_if_open: str = "",
) -> Answer:
    """Give an assumption (or critical unknown) an owner and a validate-by date; moves count as slips."""
    answer = _copy(review, qid)
    answer.opened_on = answer.opened_on or today
    _set_owner_and_date(answer, owner, decide_by, breaks_if_open)
    return _store(review, qid, answer)


def validate_assumption(review: Review, qid: str, today: dt.date, *, by: str | None) -> Answer:
    """Record that someone validated the assumption: it stops being an open constraint."""
    answer = _copy(review, qid)
    answer.resolved_by = by or None
    answer.resolved_on = today
    return _store(review, qid, answer)


def mark_unknown(review: Review, qid: str, today: dt.date) -> Answer:
    answer = _copy(review, qid)
    if answer.status is not Status.UNKNOWN:
        answer.opened_on = today
    answer.status = Status.UNKNOWN
    answer.value = None
    return _store(review, qid, answer)


def mark_not_applicable(review: Review, qid: str, reason: str) -> Answer:
    answer = _copy(review, qid)
    answer.reason = reason
    answer.status = Status.NOT_APPLICABLE
    answer.value = None
    return _store(review, qid, answer)


def clear(review: Review, qid: str) -> Answer:
    """Back to unanswered; notes are kept (they are the team's words)."""
    answer = Answer(notes=_copy(review, qid).notes)
    return _store(review, qid, answer)


# --------------------------------------------------------------------------- changes as values
# The TUI's dialogs return one of these; the app applies it with apply_change(). Tests use them too.


@dataclass(frozen=True)
class SetAnswer:
    value: Any
    notes: str
    decided_by: str | None = None


@dataclass(frozen=True)
class Defer:
    owner: str | None
    decide_by: dt.date | None
    breaks_if_open: str = ""


@dataclass(frozen=True)
class Validate:
    by: str | None


@dataclass(frozen=True)
class MarkUnknown:
    pass


@dataclass(frozen=True)
class MarkNotApplicable:
    reason: str


@dataclass(frozen=True)
class Clear:
    pass


@dataclass(frozen=True)
class TakeMerged:
    """The answer merged from live respondents' files (core/respondents.py), taken whole."""

    answer: Answer


CalculatorKind = Literal["cost", "latency"]

Change = SetAnswer | Defer | Validate | MarkUnknown | MarkNotApplicable | Clear | TakeMerged
"""A change to one question's answer."""


@dataclass(frozen=True)
class SetCalculator:
    """New inputs for the cost or latency calculator (None removes them)."""

    kind: CalculatorKind
    inputs: CostInputs | LatencyInputs | None


@dataclass(frozen=True)
class LogTime:
    """A facilitator stopped a section's countdown: the time spent goes into the session log."""

    section: str
    started: dt.datetime
    seconds: int


@dataclass(frozen=True)
class SetParkingLot:
    items: tuple[ParkingItem, ...]


@dataclass(frozen=True)
class SetParticipants:
    participants: tuple[Participant, ...]


@dataclass(frozen=True)
class SetProgram:
    """The program's name, stage, owner, description and metrics cadence (its participants: SetParticipants)."""

    name: str
    stage: Stage
    owner: str | None
    description: str
    metrics_cadence_days: int | None = None  # None: the default (a measurement is stale after 30 days)


ReviewChange = SetCalculator | LogTime | SetParkingLot | SetParticipants | SetProgram
"""A change to the review that is not an answer to one question."""


def apply_review_change(review: Review, change: ReviewChange) -> None:
    """Changes to the review that are not an answer to one question."""
    if isinstance(change, SetCalculator):
        set_calculator(review, change)
    elif isinstance(change, LogTime):
        workshop = review.workshop.model_copy(deep=True) if review.workshop else Workshop()
        workshop.log.append(TimeLog(section=change.section, started=change.started.replace(microsecond=0),
                                    seconds=max(0, change.seconds)))
        review.workshop = workshop
    elif isinstance(change, SetParkingLot):
        review.parking_lot = list(change.items)
    elif isinstance(change, SetParticipants):
        review.program.participants = list(change.participants)
    elif isinstance(change, SetProgram):
        set_program(review, change)


def set_program(review: Review, change: SetProgram) -> None:
    """All the fields or none: each is checked on a copy (a blank name raises) before the review changes."""
    program = review.program.model_copy(deep=True)
    program.name = change.name
    program.stage = change.stage
    program.owner = change.owner or None
    program.description = change.description
    program.metrics_cadence_days = change.metrics_cadence_days
    review.program = program


def set_calculator(review: Review, change: SetCalculator) -> None:
    calculators = review.calculators.model_copy(deep=True) if review.calculators else Calculators()
    setattr(calculators, change.kind, change.inputs)
    review.calculators = calculators if (calculators.cost or calculators.latency or calculators.model_extra) else None


def apply_change(review: Review, question: Question, change: Change, today: dt.date) -> Answer:
    """Make one change to a question's answer, or raise ValueError with a sentence when the question
    does not accept it (core/policy.py decides; nothing is changed then)."""
    qid = question.id
    current = review.answer(qid)
    problem = change_problem(question, current, change, review)
    if problem:
        raise ValueError(problem)
    if isinstance(change, SetAnswer) and change.value in (None, "", [], current.value) and current.status in (
        Status.DEFERRED, Status.UNKNOWN, Status.NOT_APPLICABLE
    ):
        # Only the notes changed: a deferred, unknown or not-applicable question stays so.
        return set_notes(review, qid, change.notes)
    if isinstance(change, SetAnswer):
        answer = set_value(review, qid, change.value, today, decided_by=change.decided_by,
                           is_decision=question.decision)
        if question.assumption and answer.value is True and answer.opened_on is None:
            answer.opened_on = today  # the day the team said it relies on this
        return set_notes(review, qid, change.notes)
    if isinstance(change, Defer):
        kind = defer_kind(question, current)
        if kind == "decision":
            return defer(review, qid, today, owner=change.owner, decide_by=change.decide_by,
                         breaks_if_open=change.breaks_if_open)
        if kind == "finding_out":  # nobody can answer it yet: unknown, and someone owns finding out
            mark_unknown(review, qid, today)
        # An assumption, or a critical unknown: someone owns finding out, by a date.
        return assign(review, qid, today, owner=change.owner, decide_by=change.decide_by,
                      breaks_if_open=change.breaks_if_open)
    if isinstance(change, Validate):
        return validate_assumption(review, qid, today, by=change.by)
    if isinstance(change, MarkUnknown):
        return mark_unknown(review, qid, today)
    if isinstance(change, MarkNotApplicable):
        return mark_not_applicable(review, qid, change.reason)
    if isinstance(change, TakeMerged):
        return _store(review, qid, change.answer.model_copy(deep=True))
    return clear(review, qid)
