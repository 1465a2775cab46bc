"""core/policy.py: what each question accepts, asked by every screen and enforced by the session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import TODAY
from workbook.core.display import format_value
from workbook.core.editing import Defer, MarkNotApplicable, SetAnswer, TakeMerged, Validate
from workbook.core.kinds import kind_of
from workbook.core.models import Answer, Kind, Question, Status
from workbook.core.policy import defer_kind, offered_actions, settle_later_label
from workbook.core.session import AnswerEdit, Applied, Refused, ReviewSession
from workbook.core.store import load_review


@pytest.fixture
def session(mini: Path) -> ReviewSession:
    return ReviewSession(load_review(mini), today=TODAY)


def refused(session: ReviewSession, qid: str, change: object) -> str:
    before, revision = session.review.model_dump(), session.revision
    outcome = session.apply(AnswerEdit(qid, change))  # type: ignore[arg-type]
    assert isinstance(outcome, Refused), outcome
    assert session.review.model_dump() == before and session.revision == revision  # refused whole
    return outcome.message


def test_only_decisions_are_deferred(session: ReviewSession) -> None:
    message = refused(session, "sources", Defer("Priya", TODAY, ""))
    assert message.startswith("Only decisions can be deferred")
    assert isinstance(session.apply(AnswerEdit("boundary", Defer("Priya", TODAY, ""))), Applied)


def test_a_critical_question_nobody_can_answer_gets_an_owner_to_find_out(session: ReviewSession) -> None:
    session.apply(AnswerEdit("owner", SetAnswer(None, "")))
    assert defer_kind(session.template.question("owner"), session.review.answer("owner")) == "finding_out"
    assert isinstance(session.apply(AnswerEdit("owner", Defer("Priya", TODAY, "launch"))), Applied)
    answer = session.review.answer("owner")
    assert (answer.status, answer.owner, answer.decide_by) == (Status.UNKNOWN, "Priya", TODAY)


def test_a_critical_question_that_is_answered_has_nothing_to_defer(session: ReviewSession) -> None:
    assert session.review.answer("owner").status is Status.ANSWERED
    assert "nothing to defer" in refused(session, "owner", Defer("Priya", TODAY, ""))


def test_a_value_outside_the_question_is_refused(session: ReviewSession) -> None:
    assert refused(session, "owner", SetAnswer("bogus", "")) == (
        "The answer does not fit the question: must be one of: named, team, nobody.")
    assert "at least 0" in refused(session, "threshold", SetAnswer(-1, ""))
    assert "must be a number" in refused(session, "threshold", SetAnswer("12", ""))
    # Control characters are stripped from what is stored: text of nothing else is refused up front, in
    # the policy's sentence, not by the stored answer's own check (the state machine found '\x08').
    assert refused(session, "notes", SetAnswer("\x08\x1b", "")) == (
        "The answer does not fit the question: holds nothing but control characters.")


def test_only_an_assumption_relied_on_is_validated(session: ReviewSession) -> None:
    assert refused(session, "owner", Validate("Ana")) == "Only assumptions are validated, and this question is not one."
    assert isinstance(session.apply(AnswerEdit("good-enough", Validate("Ana"))), Applied)
    assert refused(session, "good-enough", Validate("Ben")).startswith("Already validated by Ana on")


def test_not_applicable_needs_a_reason(session: ReviewSession) -> None:
    assert "reason is required" in refused(session, "sources", MarkNotApplicable("  "))


def test_a_merged_answer_that_does_not_fit_is_refused(session: ReviewSession) -> None:
    deferred = Answer(status=Status.DEFERRED, owner="Ana")
    assert "only decision questions can be deferred" in refused(session, "sources", TakeMerged(deferred))
    disagreement = Answer(responses={"Ana": Answer(value="named"), "Ben": Answer(value="bogus")})
    assert "responses.Ben.value" in refused(session, "owner", TakeMerged(disagreement))


def test_keys_offered_follow_the_policy(session: ReviewSession) -> None:
    q = session.template.question
    a = session.review.answer
    assert offered_actions(q("sources"), a("sources"))["defer"] is False
    assert offered_actions(q("boundary"), a("boundary"))["defer"] is True
    assert offered_actions(q("good-enough"), a("good-enough"))["validate"] is True
    assert offered_actions(q("owner"), a("owner"))["validate"] is False


def test_the_settle_dialogs_later_option_names_what_happens(session: ReviewSession) -> None:
    q = session.template.question
    blank = Answer()
    assert settle_later_label(q("boundary"), blank).startswith("Not settled today: defer the decision")
    assert "validate-by" in settle_later_label(q("good-enough"), blank)
    assert "owner and a date to find out" in settle_later_label(q("owner"), blank)
    assert settle_later_label(q("sources"), blank) == "Not settled today: mark it unknown (it stays open)"


def _number(**kw: object) -> Question:
    return Question.model_validate({"id": "n", "prompt": "How many?", "kind": "number", **kw})


def test_a_number_input_hints_what_the_question_takes() -> None:
    assert kind_of(_number(unit="%", minimum=0, maximum=100)).placeholder(_number(unit="%", minimum=0,
                                                                                maximum=100)) == "0–100 %"
    q = _number(unit="ms", minimum=0)
    assert kind_of(q).placeholder(q) == "at least 0 ms"
    q = _number(example="e.g. 1,200 reviews a day")
    assert kind_of(q).placeholder(q) == "e.g. 1,200 reviews a day"
    q = _number()
    assert kind_of(q).placeholder(q) == "a number"


def test_each_kind_formats_its_values() -> None:
    single = Question.model_validate({"id": "s", "prompt": "p", "kind": "single_choice",
                                      "choices": [{"id": "a", "label": "Option A"}]})
    assert format_value(single, "a") == "Option A"
    assert format_value(_number(unit="USD"), 1200.0) == "1,200 USD"
    yes_no = Question.model_validate({"id": "y", "prompt": "p", "kind": "yes_no"})
    assert format_value(yes_no, False) == "no"
    # An orphan is shown as a text question: whatever it holds reads plainly, never as a Python list.
    orphan = Question.model_construct(id="o", prompt="p", kind=Kind.TEXT)
    assert format_value(orphan, ["a", "b"]) == "a; b"


def test_every_kind_is_one_object_in_the_core_and_one_input_in_the_tui() -> None:
    from workbook.core.kinds import KINDS
    from workbook.tui.widgets.answer_inputs import INPUTS

    assert set(KINDS) == set(Kind) == set(INPUTS)
    assert all(k.kind is kind for kind, k in KINDS.items())
