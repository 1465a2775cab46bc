"""Judgement in context (issue 23): rules, critical_when, applies_when, consistency checks, harms, and
unknown is not safe, on a small template written for the purpose."""

from __future__ import annotations

import datetime as dt
from typing import Any

from workbook.core import editing
from workbook.core.models import Template
from workbook.core.scoring import DEMO_ONLY, PILOT, PRODUCTION, assess
from workbook.core.session import AnswerEdit, Refused, ReviewSession
from workbook.core.store import ReviewFile, new_review

TODAY = dt.date(2026, 12, 6)
OK = {"id": "ok", "label": "Fine", "risk": "none"}


def q(qid: str, **kw: Any) -> dict[str, Any]:
    base = {"id": qid, "prompt": f"{qid}?", "kind": "single_choice", "choices": [OK, {"id": "bad", "label": "Bad",
                                                                                      "risk": "high"}]}
    return {**base, **kw}


TEMPLATE = Template.model_validate({
    "id": "ctx", "version": "1", "title": "Context",
    "sections": [
        {"id": "use", "title": "Use", "questions": [
            q("actions", prompt="What can the model do?", kind="multi_choice", choices=[
                {"id": "read", "label": "Read only", "risk": "none"},
                {"id": "pay", "label": "Pay refunds", "risk": "none"},
                {"id": "wipe", "label": "Delete records", "risk": "none", "blocker": True}]),
            q("input", prompt="What reaches the model?", choices=[
                {"id": "typed", "label": "Text users type", "risk": "none"},
                {"id": "audio", "label": "Audio only", "risk": "none"}]),
            q("stakes", prompt="How bad is a wrong answer?", choices=[
                {"id": "low", "label": "Low stakes", "risk": "none"},
                {"id": "high", "label": "It matters", "risk": "none"}]),
            q("batch", prompt="Interactive?", kind="yes_no", risk_if_yes="none", risk_if_no="none"),
        ]},
        {"id": "risk", "title": "Risk", "questions": [
            q("injection", prompt="Direct injection tested?", choices=[
                {"id": "tested", "label": "Red-teamed", "risk": "none"},
                {"id": "by-hand", "label": "A few tries by hand", "risk": "medium"},
                {"id": "never", "label": "Never", "risk": "high"}],
              rules=[{"when": "input:audio", "risk": "none", "why": "no user-typed text reaches the model"},
                     {"when": "by-hand && actions:pay", "risk": "high",
                      "why": "tried by hand only, and the model can pay"}]),
            q("latency", prompt="Latency measured?", applies_when="batch:yes"),
            q("approval", prompt="Approval before paying?", critical_when="actions:pay"),
            q("extra", prompt="Anything else?"),
        ]},
    ],
    "checks": [{"id": "low-stakes-pays", "when": "stakes:low && actions:pay", "questions": ["stakes"],
                "message": "Wrong answers are called low stakes, but the model pays out."}],
    "harms": [{"id": "money", "when": "actions:pay", "label": "money moved", "weight": 5,
               "questions": ["approval"]}],
})


def review(**answers: Any):
    r = new_review(TEMPLATE, "P", TODAY)
    for qid, value in answers.items():
        editing.set_value(r, qid, value, TODAY)
    return r


GOOD = dict(actions=["read"], input="typed", stakes="high", batch=True, injection="tested", latency="ok",
            approval="ok", extra="ok")


def test_a_sound_program_reaches_production() -> None:
    a = assess(review(**GOOD), TEMPLATE, TODAY)
    assert a.verdict == PRODUCTION and a.priorities == ()


def test_a_rule_lowers_a_risk_that_does_not_apply_and_raises_one_that_does() -> None:
    audio = assess(review(**{**GOOD, "input": "audio", "injection": "never"}), TEMPLATE, TODAY)
    assert audio.verdict == PRODUCTION  # never tested, but no typed text reaches the model
    by_hand = assess(review(**{**GOOD, "injection": "by-hand"}), TEMPLATE, TODAY)
    assert [p.severity for p in by_hand.priorities] == ["medium"]
    paying = assess(review(**{**GOOD, "actions": ["pay"], "injection": "by-hand"}), TEMPLATE, TODAY)
    first = paying.priorities[0]
    assert (first.question_id, first.severity, first.tier) == ("injection", "high", 3)
    assert first.why == "high risk: tried by hand only, and the model can pay"  # which rule raised it
    assert paying.reasons["injection"] == "tried by hand only, and the model can pay"


def test_a_contradiction_is_a_high_risk_with_its_own_sentence() -> None:
    a = assess(review(**{**GOOD, "actions": ["pay"], "stakes": "low"}), TEMPLATE, TODAY)
    assert a.verdict == PILOT
    assert a.priorities[0].why == "high risk: Wrong answers are called low stakes, but the model pays out."
    assert "Settle which answer is true" in a.priorities[0].next_step


def test_critical_when_and_not_applicable_follow_the_program() -> None:
    paying = review(**{**GOOD, "actions": ["pay"]})
    paying.answers.pop("approval")
    a = assess(paying, TEMPLATE, TODAY)
    assert a.verdict == PILOT  # its blank scores as a high: the Risk section is 75
    assert (a.priorities[0].question_id, a.priorities[0].critical) == ("approval", True)  # critical where it pays
    reading = review(**GOOD)
    reading.answers.pop("approval")
    assert not any(p.critical for p in assess(reading, TEMPLATE, TODAY).priorities)
    session = ReviewSession(ReviewFile("x.toml", paying, TEMPLATE), today=TODAY)  # type: ignore[arg-type]
    refused = session.apply(AnswerEdit("approval", editing.MarkNotApplicable("we trust it")))
    assert isinstance(refused, Refused) and "cannot be not applicable" in refused.message
    # Latency applies to interactive use; for a batch job it may be not applicable.
    assert isinstance(session.apply(AnswerEdit("latency", editing.MarkNotApplicable("batch"))), Refused)
    session.apply(AnswerEdit("batch", editing.SetAnswer(False, "")))
    assert not isinstance(session.apply(AnswerEdit("latency", editing.MarkNotApplicable("overnight batch"))),
                          Refused)


def test_not_applicable_where_it_applies_does_not_hide_the_question() -> None:
    r = review(**GOOD)
    editing.mark_not_applicable(r, "latency", "not relevant to us")  # written by hand into the file
    a = assess(r, TEMPLATE, TODAY)
    assert a.verdict != PRODUCTION
    assert "called not applicable" in a.reasons["latency"]


def test_unknown_is_not_safe_a_blank_blocker_question_blocks_and_leads() -> None:
    r = review(**GOOD)
    r.answers.pop("actions")
    a = assess(r, TEMPLATE, TODAY)
    assert a.verdict == DEMO_ONLY and "can block launch not answered" in a.reason
    assert (a.priorities[0].question_id, a.priorities[0].why) == ("actions", "answer this: it can block launch")


def test_a_critical_decision_deferred_without_an_owner_outranks_medium_risks() -> None:
    t = Template.model_validate({**TEMPLATE.model_dump(mode="json", by_alias=True), "sections": [
        {"id": "s", "title": "S", "questions": [
            q("model", prompt="Which model?", decision=True, critical=True),
            q("evals", prompt="Evals?", choices=[OK, {"id": "meh", "label": "Meh", "risk": "medium"}])]}],
        "checks": [], "harms": []})
    r = new_review(t, "P", TODAY)
    editing.defer(r, "model", TODAY, owner=None, decide_by=None)
    editing.set_value(r, "evals", "meh", TODAY)
    a = assess(r, t, TODAY)
    assert [(p.question_id, p.severity) for p in a.priorities] == [("model", "unowned"), ("evals", "medium")]
    assert a.priorities[0].why == "critical decision deferred with no owner and no date"


def test_within_a_band_the_harm_the_program_makes_possible_comes_first() -> None:
    paying = review(**{**GOOD, "actions": ["pay"], "latency": "bad", "approval": "bad"})
    assert [p.question_id for p in assess(paying, TEMPLATE, TODAY).priorities] == ["approval", "latency"]
    reading = review(**{**GOOD, "actions": ["read"], "latency": "bad", "approval": "bad"})
    assert [p.question_id for p in assess(reading, TEMPLATE, TODAY).priorities] == ["latency", "approval"]
    assert assess(review(**{**GOOD, "actions": ["pay"], "approval": "bad"}), TEMPLATE, TODAY).priorities[0].harm == 5


def test_each_priority_says_what_to_do_next_naming_the_programs_answer() -> None:
    a = assess(review(**{**GOOD, "extra": "bad"}), TEMPLATE, TODAY)
    assert a.priorities[0].next_step.startswith("Today the answer is “Bad”.")


def test_a_section_answered_whose_questions_carry_no_risk_marks_is_not_scored_not_unstarted() -> None:
    from workbook.core.sections import readiness_caveat, score_text

    t = Template.model_validate({"id": "p", "version": "1", "title": "P", "sections": [
        {"id": "about", "title": "About", "questions": [q("mode", choices=[OK, {**OK, "id": "batch"}])]},
        {"id": "risk", "title": "Risk", "questions": [q("r1")]}]})
    r = new_review(t, "P", TODAY)
    editing.set_value(r, "mode", "batch", TODAY)
    editing.set_value(r, "r1", "ok", TODAY)
    a = assess(r, t, TODAY)
    about = a.sections[0]
    assert about.score is None and score_text(about) == "not scored"
    assert "not started" not in readiness_caveat(a)
