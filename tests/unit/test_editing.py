"""Edits a user makes, as plain functions: answer, defer (with slips), unknown, N/A, clear."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from workbook.core import editing
from workbook.core.editing import Clear, Defer, MarkNotApplicable, MarkUnknown, SetAnswer, Validate, apply_change
from workbook.core.models import Answer, Status
from workbook.core.store import load_review

D = dt.date


@pytest.fixture
def rf(mini: Path):
    return load_review(mini)


def test_answering_a_deferred_decision_closes_it_and_records_who_and_when(rf) -> None:
    q = rf.template.question("boundary")
    apply_change(rf.review, q, SetAnswer("no", "Legal said no.", decided_by="Priya"), D(2026, 11, 26))
    a = rf.review.answers["boundary"]
    assert (a.status, a.value, a.resolved_by, a.resolved_on) == (Status.ANSWERED, "no", "Priya", D(2026, 11, 26))
    assert a.notes == "Legal said no."
    assert a.owner == "Priya" and a.decide_by == D(2026, 11, 20)  # the record of the deferral stays


def test_moving_a_decide_by_date_keeps_the_history(rf) -> None:
    q = rf.template.question("boundary")
    apply_change(rf.review, q, Defer("Priya", D(2026, 12, 5), "Vendor contract"), D(2026, 11, 26))
    a = rf.review.answers["boundary"]
    assert a.decide_by_history == [D(2026, 11, 1), D(2026, 11, 10), D(2026, 11, 20)]
    assert a.opened_on == D(2026, 10, 1)  # still the day it was first deferred


def test_deferring_afresh_starts_a_new_history_and_drops_the_old_choice(rf) -> None:
    q = rf.template.question("threshold")
    apply_change(rf.review, q, SetAnswer(3, ""), D(2026, 11, 20))
    apply_change(rf.review, q, Defer(None, None), D(2026, 11, 26))
    a = rf.review.answers["threshold"]
    assert (a.status, a.opened_on, a.decide_by_history, a.owner, a.value) == (Status.DEFERRED, D(2026, 11, 26), [], None, None)


def test_clearing_a_value_in_the_editor_makes_it_unanswered(rf) -> None:
    q = rf.template.question("owner")
    apply_change(rf.review, q, SetAnswer(None, "kept notes"), D(2026, 11, 26))
    a = rf.review.answers["owner"]
    assert (a.status, a.value, a.notes) == (Status.UNANSWERED, None, "kept notes")


def test_editing_only_notes_keeps_deferred_unknown_and_not_applicable(rf) -> None:
    boundary = rf.template.question("boundary")
    apply_change(rf.review, boundary, SetAnswer(None, "waiting on legal", decided_by="Dana"), D(2026, 11, 26))
    a = rf.review.answers["boundary"]
    assert (a.status, a.owner, a.notes, a.resolved_on) == (Status.DEFERRED, "Priya", "waiting on legal", None)
    launch = rf.template.question("launch")
    apply_change(rf.review, launch, SetAnswer(None, "still none"), D(2026, 11, 26))
    assert (rf.review.answers["launch"].status, rf.review.answers["launch"].reason) == (Status.NOT_APPLICABLE, "No launch planned.")
    owner = rf.template.question("owner")
    apply_change(rf.review, owner, MarkUnknown(), D(2026, 11, 26))
    apply_change(rf.review, owner, SetAnswer(None, "asking finance"), D(2026, 11, 26))
    assert rf.review.answers["owner"].status is Status.UNKNOWN


def test_a_critical_unknown_can_be_given_an_owner_and_date(rf) -> None:
    owner = rf.template.question("owner")
    apply_change(rf.review, owner, MarkUnknown(), D(2026, 11, 26))
    apply_change(rf.review, owner, Defer("Dana", D(2026, 12, 3), "no DPIA"), D(2026, 11, 26))
    a = rf.review.answers["owner"]
    assert (a.status, a.owner, a.decide_by, a.breaks_if_open) == (Status.UNKNOWN, "Dana", D(2026, 12, 3), "no DPIA")


def test_unknown_and_not_applicable_and_clear(rf) -> None:
    q = rf.template.question("owner")
    apply_change(rf.review, q, MarkUnknown(), D(2026, 11, 26))
    assert rf.review.answers["owner"].status is Status.UNKNOWN
    assert rf.review.answers["owner"].value is None
    # owner is critical with no applies_when: it applies to every program, so N/A is refused, nothing changed.
    with pytest.raises(ValueError, match="cannot be not applicable"):
        apply_change(rf.review, q, MarkNotApplicable("No data at all."), D(2026, 11, 26))
    assert rf.review.answers["owner"].status is Status.UNKNOWN and rf.review.answers["owner"].reason == ""
    sources = rf.template.question("sources")
    apply_change(rf.review, sources, MarkNotApplicable("No data at all."), D(2026, 11, 26))
    assert rf.review.answers["sources"].status is Status.NOT_APPLICABLE
    assert rf.review.answers["sources"].reason == "No data at all."
    apply_change(rf.review, sources, Clear(), D(2026, 11, 26))
    assert "sources" not in rf.review.answers  # nothing else to keep
    apply_change(rf.review, q, Clear(), D(2026, 11, 26))
    a = rf.review.answers["owner"]
    assert a.status is Status.UNANSWERED and a.notes.startswith("Finance")  # notes survive a clear


def test_clearing_an_answer_without_notes_removes_the_entry(rf) -> None:
    editing.set_value(rf.review, "sources", ["wiki"], D(2026, 11, 26))
    editing.clear(rf.review, "sources")
    assert "sources" not in rf.review.answers


def test_answering_an_assumption_yes_does_not_validate_it(rf) -> None:
    q = rf.template.question("good-enough")
    apply_change(rf.review, q, SetAnswer(True, ""), D(2026, 11, 26))
    assert rf.review.answers["good-enough"].resolved_on is None


def test_control_characters_are_stripped_from_typed_text() -> None:
    a = Answer(value="ok\x1b[31m red\x07", notes="a\r\nb\x00")
    assert a.value == "ok[31m red" and a.notes == "a\nb"


def test_an_answered_status_without_a_value_is_an_error() -> None:
    with pytest.raises(ValueError, match="no value"):
        Answer(status=Status.ANSWERED)


def test_not_applicable_needs_a_reason() -> None:
    with pytest.raises(ValueError, match="no reason"):
        Answer(status=Status.NOT_APPLICABLE)


def test_editing_the_notes_of_a_made_decision_keeps_its_date(rf) -> None:
    q = rf.template.question("boundary")
    apply_change(rf.review, q, SetAnswer("no", "", decided_by="Priya"), D(2026, 11, 20))
    apply_change(rf.review, q, SetAnswer("no", "More context.", decided_by="Priya"), D(2026, 11, 26))
    assert rf.review.answers["boundary"].resolved_on == D(2026, 11, 20)


def test_assign_and_validate_an_assumption(rf) -> None:
    q = rf.template.question("good-enough")
    apply_change(rf.review, q, Defer("Lee", D(2026, 12, 1)), D(2026, 11, 26))
    a = rf.review.answers["good-enough"]
    assert (a.status, a.value, a.owner, a.decide_by) == (Status.ANSWERED, True, "Lee", D(2026, 12, 1))
    apply_change(rf.review, q, Defer("Lee", D(2026, 12, 9)), D(2026, 11, 27))
    assert rf.review.answers["good-enough"].decide_by_history == [D(2026, 12, 1)]
    apply_change(rf.review, q, Validate("Lee Chen"), D(2026, 11, 28))
    a = rf.review.answers["good-enough"]
    assert (a.resolved_by, a.resolved_on) == ("Lee Chen", D(2026, 11, 28))
