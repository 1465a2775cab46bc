"""What each question accepts: the one place that says whether an answer, a deferral, a validation or
'not applicable' fits a question.

Every key, card, dialog and the settle screen asks here before offering an action; ``apply_change``
refuses what this forbids, and loading a file checks the same rules (``answer_problems``). So the
screen can never accept a change that the file check would then refuse to load.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from workbook.core.models import Answer, Question, Review, Status

if TYPE_CHECKING:
    from workbook.core.editing import Change

DeferKind = Literal["decision", "assumption", "finding_out"]
"""What 'defer' means for a question: a decision put off to an owner and a date; an assumption given an
owner and a validate-by date; a critical question nobody can answer yet, marked unknown with someone
owning finding out by a date."""


def value_problem(question: Question, value: Any) -> str | None:
    """Why a value does not fit a question, or None when it does (the question's kind decides)."""
    from workbook.core.kinds import kind_of

    return kind_of(question).value_problem(question, value)


def defer_kind(question: Question, answer: Answer) -> DeferKind | None:
    """What deferring this question does now, or None when it cannot be deferred."""
    if question.decision:
        return "decision"
    if question.assumption:
        return "assumption"
    if question.critical and answer.status in (Status.UNKNOWN, Status.UNANSWERED):
        return "finding_out"
    return None


def defer_problem(question: Question, answer: Answer) -> str | None:
    if defer_kind(question, answer) is not None:
        return None
    if question.critical:
        return ("This critical question is answered, so there is nothing to defer; clear the answer or mark it "
                "unknown to give finding out an owner and a date.")
    return ("Only decisions can be deferred, and this question is not one; mark it unknown to leave it open, "
            "or answer it.")


def validate_problem(question: Question, answer: Answer) -> str | None:
    if not question.assumption:
        return "Only assumptions are validated, and this question is not one."
    if not (answer.status is Status.ANSWERED and answer.value is True):
        return "Nothing to validate: the team does not rely on this assumption (it is not answered yes)."
    if answer.resolved_on is not None:
        who = f" by {answer.resolved_by}" if answer.resolved_by else ""
        return f"Already validated{who} on {answer.resolved_on.isoformat()}."
    return None


def not_applicable_problem(question: Question, reason: str, review: Review | None = None) -> str | None:
    if not reason.strip():
        return "Say why the question does not apply: a reason is required."
    if review is not None:
        from workbook.core.judgement import na_allowed

        if not na_allowed(question, review):
            return ("This question applies to this program, so it cannot be not applicable: answer it, or mark it "
                    "unknown until someone finds out.")
    return None


def answer_problems(question: Question, answer: Answer) -> list[tuple[str, str]]:
    """What in a stored answer the question does not accept, as (key under the answer, message)."""
    problems: list[tuple[str, str]] = []
    if answer.has_value:
        why = value_problem(question, answer.value)
        if why:
            problems.append(("value", why))
    if answer.status is Status.DEFERRED and not question.decision:
        problems.append(("status", "only decision questions can be deferred"))
    for who, response in answer.responses.items():
        problems += [(f"responses.{who}.{key}", message) for key, message in answer_problems(question, response)]
    return problems


def change_problem(question: Question, answer: Answer, change: Change, review: Review | None = None) -> str | None:
    """Why ``change`` cannot be made to ``answer`` (a sentence for the user), or None when it can.
    ``review``: the program's other answers, for the rules in context (not applicable)."""
    from workbook.core.editing import Defer, MarkNotApplicable, SetAnswer, TakeMerged, Validate

    if isinstance(change, SetAnswer):
        if change.value in (None, "", []):
            return None
        why = value_problem(question, change.value)
        return f"The answer does not fit the question: {why}." if why else None
    if isinstance(change, Defer):
        return defer_problem(question, answer)
    if isinstance(change, Validate):
        return validate_problem(question, answer)
    if isinstance(change, MarkNotApplicable):
        return not_applicable_problem(question, change.reason, review)
    if isinstance(change, TakeMerged):
        found = answer_problems(question, change.answer)
        return f"The merged answer does not fit the question: {found[0][0]} {found[0][1]}." if found else None
    return None  # marking unknown and clearing fit every question


def offered_actions(question: Question, answer: Answer) -> dict[str, bool]:
    """Which of the keys that depend on the question apply now (the card's key bar and the board's)."""
    return {"defer": defer_kind(question, answer) is not None,
            "validate": validate_problem(question, answer) is None}


# How each kind of deferral is worded, in one place: the defer dialog's title, who owns it and the
# date's label, and the settle dialog's "not settled today" option.
DEFER_WORDS: dict[DeferKind, tuple[str, str, str, str]] = {
    "decision": ("Defer the decision", "will decide", "Decide by, the last responsible moment",
                 "Not settled today: defer the decision to an owner and a date…"),
    "assumption": ("Who validates this assumption, by when", "validates the assumption", "Validate by",
                   "Not settled today: give the assumption an owner and a validate-by date…"),
    "finding_out": ("Unknown for now: who finds out, by when", "finds out", "Find out by",
                    "Not settled today: mark it unknown, with an owner and a date to find out…"),
}


def settle_later_label(question: Question, answer: Answer) -> str:
    """The settle dialog's 'not settled today' option, worded for what the question accepts."""
    kind = defer_kind(question, answer)
    return DEFER_WORDS[kind][3] if kind is not None else "Not settled today: mark it unknown (it stays open)"

