"""Scoring, constraints and the verdict, against hand-worked values on the mini review."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from workbook.core import editing
from workbook.core.constraints import ConstraintKind, count_slips, open_constraints
from workbook.core.models import Answer, Review, Template
from workbook.core.scoring import DEMO_ONLY, PILOT, PRODUCTION, assess, band
from workbook.core.store import load_review
from workbook.core.summary import summary_dict

D = dt.date
TODAY = D(2026, 11, 26)


@pytest.fixture
def rf(mini: Path):
    return load_review(mini)


def test_hand_worked_section_scores_and_weakest_section(rf) -> None:
    a = assess(rf.review, rf.template, TODAY)
    data, cost = a.sections
    # Data: owner "team" = medium (0.7); boundary deferred (0); sources unanswered, but one of its
    # choices is a high risk, so its blank scores as one (0: unknown is not safe); notes (free text,
    # no risk marks) does not score: 0.7 / 3 = 23%.   Cost: threshold deferred (0), assumption yes =
    # medium (0.7), launch not applicable (left out): 0.7 / 2 = 35%.
    assert (data.score, cost.score) == (23, 35)
    assert (data.answered, data.total, cost.answered, cost.total) == (2, 4, 3, 3)
    assert (a.answered, a.applicable) == (4, 6)
    assert a.overall == 23 and a.weakest.id == "data" and a.verdict == DEMO_ONLY
    assert a.reason == ("Demo only: Incomplete: 4 of 6 applicable questions answered. The weakest section is "
                        "Data at 23/100 (1 deferred decision, 1 medium risk).")
    # Start with: the overdue decision (Priya, 6 days late), then the medium risks, weaker section first.
    assert [(p.question_id, p.severity) for p in a.start_with] == [
        ("boundary", "overdue"), ("owner", "medium"), ("good-enough", "medium")]


def test_overall_is_the_weakest_section_not_the_average(rf) -> None:
    for qid, value in (("owner", "named"), ("boundary", "no"), ("sources", ["wiki"]), ("notes", "x"),
                       ("good-enough", False), ("launch", D(2027, 1, 1))):
        editing.set_value(rf.review, qid, value, TODAY)
    editing.set_value(rf.review, "threshold", 9.0, TODAY)  # above high_above = 5
    a = assess(rf.review, rf.template, TODAY)
    # Free text and a date carry no risk marks: they do not score. Cost: threshold high (0), the
    # assumption not relied on (1): 50.
    assert [s.score for s in a.sections] == [100, 50]
    assert a.overall == 50 and a.verdict == PILOT  # the average would be 75


def test_production_candidate_is_capped_by_a_high_risk(rf) -> None:
    for qid, value in (("owner", "named"), ("boundary", "no"), ("notes", "x"), ("threshold", 0.5),
                       ("good-enough", False), ("launch", D(2027, 1, 1))):
        editing.set_value(rf.review, qid, value, TODAY)
    editing.set_value(rf.review, "sources", ["wiki"], TODAY)
    assert assess(rf.review, rf.template, TODAY).verdict == PRODUCTION
    rf.review.answers.pop("retired-question")
    editing.set_value(rf.review, "sources", ["wiki", "email"], TODAY)  # email = high risk
    a = assess(rf.review, rf.template, TODAY)
    assert a.sections[0].score == 67 and a.overall == 67 and a.verdict == PILOT


def _yes_no_template(n: int) -> tuple[Template, Review]:
    """One section of n yes/no questions ("no" is a high risk) and a decision: room for a score of 80+."""
    questions = [{"id": f"q{i}", "prompt": f"Question {i}?", "kind": "yes_no", "risk_if_no": "high",
                  "risk_if_yes": "none"} for i in range(n)]
    questions.append({"id": "call", "prompt": "Which way?", "kind": "single_choice", "decision": True,
                      "choices": [{"id": "a", "label": "A", "risk": "none"}, {"id": "b", "label": "B", "risk": "high"}]})
    template = Template.model_validate({"id": "t", "version": "1", "title": "T",
                                        "sections": [{"id": "s", "title": "S", "questions": questions}]})
    review = Review.model_validate({"template": "t", "template_version": "1", "program": {"name": "P"},
                                    "answers": {f"q{i}": {"value": True} for i in range(n)}})
    return template, review


def test_a_score_of_production_is_capped_by_an_overdue_constraint() -> None:
    template, review = _yes_no_template(9)
    editing.defer(review, "call", TODAY, owner="Sam", decide_by=D(2026, 11, 1))
    a = assess(review, template, TODAY)
    assert a.overall == 90 and a.verdict == PILOT  # 9 of 10: production, but one decision is overdue
    assert "Capped at pilot with guardrails: 1 overdue constraint (“Which way?”)" in a.reason
    editing.defer(review, "call", TODAY, owner="Sam", decide_by=D(2027, 1, 1))
    assert assess(review, template, TODAY).verdict == PRODUCTION


def test_bands() -> None:
    assert [band(s) for s in (0, 49, 50, 79, 80, 100)] == [DEMO_ONLY, DEMO_ONLY, PILOT, PILOT, PRODUCTION, PRODUCTION]


def test_overdue_starts_the_day_after_the_decide_by_date(rf) -> None:
    on_the_day = {c.question_id: c for c in open_constraints(rf.review, rf.template, D(2026, 11, 20))}
    assert on_the_day["boundary"].overdue is False and on_the_day["boundary"].days_left == 0
    next_day = {c.question_id: c for c in open_constraints(rf.review, rf.template, D(2026, 11, 21))}
    assert next_day["boundary"].overdue is True and next_day["boundary"].days_left == -1


def test_constraint_flags_on_the_mini_review(rf) -> None:
    found = {c.question_id: c for c in open_constraints(rf.review, rf.template, TODAY)}
    assert list(found) == ["boundary", "threshold", "good-enough"]
    boundary, threshold, assumption = found["boundary"], found["threshold"], found["good-enough"]
    assert (boundary.kind, boundary.owner, boundary.slips, boundary.age_days) == (ConstraintKind.DECISION, "Priya", 2, 56)
    assert boundary.overdue and not boundary.unowned and not boundary.undated
    assert boundary.breaks_if_open == "Vendor contract"
    assert threshold.unowned and threshold.undated and not threshold.overdue and threshold.age_days == 25
    assert assumption.kind is ConstraintKind.ASSUMPTION and assumption.age_days == 25  # from the review date
    assert boundary.high_risk_area is False  # no high risk in the data section yet
    editing.set_value(rf.review, "owner", "nobody", TODAY)
    assert {c.question_id: c for c in open_constraints(rf.review, rf.template, TODAY)}["boundary"].high_risk_area


def test_slips_count_only_moves_later() -> None:
    a = Answer(decide_by=D(2026, 12, 1), decide_by_history=[D(2026, 11, 1), D(2026, 10, 1), D(2026, 11, 15)])
    assert count_slips(a) == 2  # 11-01 -> 10-01 is earlier; 10-01 -> 11-15 and 11-15 -> 12-01 are later


def test_unknown_opens_a_constraint_only_on_critical_questions(rf) -> None:
    editing.mark_unknown(rf.review, "owner", TODAY)  # critical
    editing.mark_unknown(rf.review, "sources", TODAY)  # not critical
    kinds = {c.question_id: c.kind for c in open_constraints(rf.review, rf.template, TODAY)}
    assert kinds.get("owner") is ConstraintKind.UNKNOWN and "sources" not in kinds


def test_validated_or_rejected_assumptions_are_closed(rf) -> None:
    editing.validate_assumption(rf.review, "good-enough", TODAY, by="Lee")
    assert "good-enough" not in {c.question_id for c in open_constraints(rf.review, rf.template, TODAY)}
    editing.set_value(rf.review, "good-enough", False, TODAY)
    assert "good-enough" not in {c.question_id for c in open_constraints(rf.review, rf.template, TODAY)}


def test_answering_a_deferred_decision_closes_it(rf) -> None:
    editing.set_value(rf.review, "boundary", "no", TODAY, decided_by="Priya", is_decision=True)
    assert "boundary" not in {c.question_id for c in open_constraints(rf.review, rf.template, TODAY)}


def test_framework_coverage(rf) -> None:
    cov = {c.tag: c.status for c in assess(rf.review, rf.template, TODAY).coverage}
    assert cov["LLM02"] == "open"  # the boundary decision is deferred
    assert cov["LLM10"] == "open"
    assert cov["NIST-CONFABULATION"] == "addressed"
    assert cov["NIST-CBRN"] == "out-of-scope"
    assert cov["LLM01"] == "not-covered"
    editing.set_value(rf.review, "sources", ["email"], TODAY)
    cov = {c.tag: c.status for c in assess(rf.review, rf.template, TODAY).coverage}
    assert cov["LLM08"] == "high-risk"


def test_unanswered_and_unknown_are_never_no_risk(rf) -> None:
    a = assess(rf.review, rf.template, TODAY)
    levels = {r.question.id: r.level.value for s in a.sections for r in s.results}
    assert levels["sources"] == "unanswered" and levels["boundary"] == "deferred"


def test_summary_json_has_the_documented_fields(rf) -> None:
    d = summary_dict(rf.review, rf.template, assess(rf.review, rf.template, TODAY))
    assert d["program"]["name"] == "Mini program"
    assert d["template"] == {"id": "mini", "version": "2.0.0", "review_made_with": "2.0.0"}
    r = d["readiness"]
    assert (r["overall"], r["verdict"], r["weakest_section"]) == (23, "demo only", "data")
    assert (r["completeness"], r["answered"], r["applicable"], r["blockers"]) == (0.6667, 4, 6, [])
    assert d["priorities"][0] == {"question_id": "boundary", "section": "data", "severity": "overdue",
                                  "critical": False, "why": "overdue by 6 days, Priya",
                                  "next_step": "Decide it now, or re-date it with the owner and say what broke meanwhile.",
                                  "band": 2, "harm": 0, "question": "May the data leave the boundary?",
                                  "concern": None, "also": []}
    assert r["sections"][0] == {"id": "data", "title": "Data", "score": 23, "answered": 2, "total": 4,
                                "high": 0, "medium": 1, "open_constraints": 1}
    assert (d["risks"]["high"], d["risks"]["medium"]) == (0, 2)
    first = d["open_constraints"][0]
    assert {k: first[k] for k in ("question_id", "title", "kind", "owner", "decide_by", "overdue",
                                   "unowned", "slips", "age_days")} == {
        "question_id": "boundary", "title": "May the data leave the boundary?", "kind": "decision",
        "owner": "Priya", "decide_by": "2026-11-20", "overdue": True, "unowned": False, "slips": 2, "age_days": 56}
