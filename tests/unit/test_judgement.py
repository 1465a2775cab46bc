"""The verdict's rules, each on a small review built for it: blockers, the team's own targets, exposure
capped while its controls hold, completeness, the order of priorities, and consistency."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.conftest import TODAY
from workbook.core import editing
from workbook.core.constraints import open_constraints
from workbook.core.models import CostInputs, Review, Template
from workbook.core.risk import Level
from workbook.core.scoring import DEMO_ONLY, PILOT, PRODUCTION, assess
from workbook.core.store import new_review
from workbook.core.summary import summary_dict
from workbook.core.templates import lint_template

CHOICES = [{"id": "good", "label": "Good", "risk": "none"}, {"id": "meh", "label": "Meh", "risk": "medium"},
           {"id": "bad", "label": "Bad", "risk": "high"}]


def template(**extra_questions: dict[str, Any]) -> Template:
    """Two sections: "a" with four plain choice questions (a1 critical) plus extras; "b" with two."""
    a = [{"id": f"a{i}", "prompt": f"A question {i}?", "kind": "single_choice", "choices": CHOICES,
          "critical": i == 1} for i in range(1, 5)]
    a += [{"id": qid, **q} for qid, q in extra_questions.items()]
    b = [{"id": f"b{i}", "prompt": f"B question {i}?", "kind": "single_choice", "choices": CHOICES} for i in (1, 2)]
    return Template.model_validate({
        "schema": 1, "id": "t", "version": "1.0.0", "title": "T",
        "sections": [{"id": "a", "title": "Section A", "questions": a},
                     {"id": "b", "title": "Section B", "questions": b}],
    })


def review(t: Template, **answers: Any) -> Review:
    r = new_review(t, "P", TODAY)
    for qid, value in answers.items():
        editing.set_value(r, qid, value, TODAY)
    return r


def all_good(t: Template) -> dict[str, Any]:
    return {q.id: "good" for _, q in t.questions() if q.kind.value == "single_choice"}


def test_a_blocker_makes_the_verdict_demo_only_and_leads_the_priorities() -> None:
    choices = [*CHOICES, {"id": "shared", "label": "One index for all customers", "risk": "high", "blocker": True}]
    t = template(index={"prompt": "How is retrieval scoped?", "kind": "single_choice", "choices": choices})
    assert lint_template(t, "t.toml") == []
    fine = assess(review(t, **all_good(t)), t, TODAY)
    assert fine.verdict == PRODUCTION
    a = assess(review(t, **{**all_good(t), "index": "shared"}), t, TODAY)
    assert a.verdict == DEMO_ONLY and [b.question.id for b in a.blockers] == ["index"]
    assert a.priorities[0].severity == "blocker" and a.priorities[0].question_id == "index"
    assert "1 blocker answered" in a.reason


def test_a_blocker_only_on_choices_is_checked_by_validate() -> None:
    t = template(n={"prompt": "N?", "kind": "number", "target_question": "missing"},
                 inv={"prompt": "I?", "kind": "single_choice", "choices": CHOICES, "controlled_by": ["a2"]})
    messages = [p.message for p in lint_template(t, "t.toml")]
    assert "no question 'missing' in this template" in messages
    assert "controlled_by only applies to exposure questions (exposure = true)" in messages


def test_a_number_is_judged_against_the_teams_own_target_when_answered() -> None:
    t = template(
        target={"prompt": "Your p95 target (ms)?", "kind": "number", "decision": True},
        measured={"prompt": "Measured p95 (ms)?", "kind": "number", "target_question": "target",
                  "thresholds": {"medium_above": 3000, "high_above": 10000}},
    )
    # An overnight batch: 71 s is high against the template's 10 s default, fine against its own 120 s.
    r = review(t, **all_good(t), measured=71000)
    assert assess(r, t, TODAY).sections[0].high == 1
    editing.set_value(r, "target", 120000, TODAY)
    a = assess(r, t, TODAY)
    assert a.sections[0].high == 0 and a.verdict == PRODUCTION
    editing.set_value(r, "measured", 130000, TODAY)
    a = assess(r, t, TODAY)
    assert a.priorities[0].question_id == "measured"
    assert a.priorities[0].why == "130,000 is over the team's own target of 120,000"


def test_a_catch_rate_below_its_go_no_go_threshold_is_high() -> None:
    t = template(
        threshold={"prompt": "Go/no-go catch rate (%)?", "kind": "number", "decision": True},
        catch={"prompt": "Human catch rate (%)?", "kind": "number", "target_question": "threshold",
               "target_direction": "at_least"},
    )
    r = review(t, **all_good(t), threshold=85, catch=81)
    a = assess(r, t, TODAY)
    assert a.sections[0].high == 1 and "under the team's own target of 85" in a.priorities[0].why
    editing.set_value(r, "catch", 90, TODAY)
    assert assess(r, t, TODAY).sections[0].high == 0


def test_exposure_is_capped_at_medium_while_its_control_holds() -> None:
    classes = [{"id": "public", "label": "Public", "risk": "none"}, {"id": "secrets", "label": "Secrets", "risk": "high"}]
    t = template(inventory={"prompt": "Which data reaches the model?", "kind": "multi_choice", "choices": classes,
                            "exposure": True, "controlled_by": ["a2"]})
    honest = review(t, **all_good(t), inventory=["public", "secrets"])
    a = assess(honest, t, TODAY)
    assert a.sections[0].high == 0 and a.sections[0].medium == 1  # an honest inventory is not a failure
    assert a.verdict == PRODUCTION
    editing.set_value(honest, "a2", "bad", TODAY)  # the control fails: the exposure is high again
    assert assess(honest, t, TODAY).sections[0].high == 2


def test_completeness_is_reported_and_a_partial_review_says_so() -> None:
    t = template()
    partial = review(t, a1="good", a2="good", a3="good", b1="good")  # 4 of 6
    a = assess(partial, t, TODAY)
    assert (a.answered, a.applicable) == (4, 6) and round(a.completeness, 2) == 0.67
    assert "Incomplete: 4 of 6 applicable questions answered." in a.reason
    # Unknown is not safe: a skipped question that could be a high risk scores as one, so leaving
    # the bad answers blank cannot lift the verdict. Section A: 3 good + a4 blank = 75; B: 1 + 1 blank = 50.
    assert [s.score for s in a.sections] == [75, 50] and a.verdict == PILOT
    assert summary_dict(partial, t, a)["readiness"]["completeness"] == 0.6667
    barely = review(t, a1="good", b1="good")
    assert assess(barely, t, TODAY).verdict == DEMO_ONLY  # under half answered: too little is known
    editing.mark_not_applicable(barely, "a2", "no such thing here")
    assert assess(barely, t, TODAY).applicable == 5


def test_priorities_order_blockers_overdue_critical_high_other_high_critical_unknown_medium() -> None:
    t = template()
    r = review(t, a2="bad", a3="meh", a4="good", b1="bad", b2="good")
    editing.mark_unknown(r, "a1", TODAY)  # critical, unknown
    a = assess(r, t, TODAY)
    assert [(p.question_id, p.severity) for p in a.priorities] == [
        ("a2", "high"), ("b1", "high"), ("a1", "unknown"), ("a3", "medium")]
    editing.set_value(r, "a1", "bad", TODAY)  # a critical high comes before other highs
    assert [p.question_id for p in assess(r, t, TODAY).priorities][:3] == ["a1", "a2", "b1"]


def test_highs_tie_on_the_weaker_section_first() -> None:
    t = template()
    r = review(t, a1="good", a2="good", a3="good", a4="bad", b1="bad", b2="meh")
    a = assess(r, t, TODAY)  # section B (25) is weaker than A (75): its high risk comes first
    assert [p.question_id for p in a.priorities][:2] == ["b1", "a4"]


def test_an_overdue_decision_is_a_priority_with_its_owner() -> None:
    t = template(choice={"prompt": "Which model?", "kind": "single_choice", "choices": CHOICES, "decision": True})
    r = review(t, **all_good(t))
    editing.defer(r, "choice", TODAY, owner="Priya", decide_by=TODAY - dt.timedelta(days=5))
    a = assess(r, t, TODAY)
    assert a.priorities[0].question_id == "choice" and a.priorities[0].severity == "overdue"
    assert a.priorities[0].why == "overdue by 5 days, Priya"


def test_a_calculator_high_risk_marks_its_sections_constraints_as_high_risk_area() -> None:
    t = Template.model_validate({
        "schema": 1, "id": "t", "version": "1.0.0", "title": "T",
        "calculators": {"cost": {"section": "cost", "threshold_question": "threshold"}},
        "sections": [{"id": "cost", "title": "Cost", "questions": [
            {"id": "threshold", "prompt": "Cost threshold?", "kind": "number", "decision": True},
            {"id": "model", "prompt": "Which model?", "kind": "single_choice", "choices": CHOICES,
             "decision": True}]}],
    })
    r = review(t, threshold=0.0001)
    editing.defer(r, "model", TODAY, owner="Sam", decide_by=TODAY + dt.timedelta(days=30))
    assert not open_constraints(r, t, TODAY)[0].high_risk_area
    editing.set_calculator(r, editing.SetCalculator("cost", CostInputs()))
    assert open_constraints(r, t, TODAY)[0].high_risk_area  # the cost is over the team's threshold
    a = assess(r, t, TODAY)
    assert any(p.question_id == "cost-calculator" and p.severity == "high" for p in a.priorities)


def test_levels_are_the_same_everywhere() -> None:
    from workbook.core.judgement import review_levels

    t = template(target={"prompt": "T?", "kind": "number"},
                 measured={"prompt": "M?", "kind": "number", "target_question": "target",
                           "thresholds": {"high_above": 10}})
    r = review(t, target=100, measured=50)
    assert review_levels(r, t)["measured"] is Level.NONE
    assert all(res.level is Level.NONE for res in assess(r, t, TODAY).sections[0].results if res.question.id == "measured")


def _two_sections(viability: bool) -> Template:
    questions = [{"id": f"{s}{i}", "prompt": f"{s} {i}?", "kind": "single_choice", "choices": CHOICES}
                 for s in "ab" for i in (1, 2)]
    return Template.model_validate({
        "schema": 1, "id": "t", "version": "1.0.0", "title": "T",
        "sections": [{"id": "a", "title": "Safety", "questions": questions[:2]},
                     {"id": "b", "title": "Evidence", "viability": viability, "questions": questions[2:]}],
    })


def test_a_section_a_pilot_bounds_holds_the_verdict_at_pilot_but_never_makes_it_demo_only() -> None:
    # Evidence, operations and the hard decisions are what a guarded pilot settles: weak there is
    # "not yet production", not "no real user" (that is for what a pilot cannot bound: data, safety).
    bounded = _two_sections(viability=True)
    weak_evidence = review(bounded, a1="good", a2="good", b1="bad", b2="bad")
    a = assess(weak_evidence, bounded, TODAY)
    assert a.verdict == PILOT and "Safety at 100/100" in a.reason
    assert "Evidence is weaker at 0/100, but a guarded pilot bounds it" in a.reason
    plain = _two_sections(viability=False)
    assert assess(review(plain, a1="good", a2="good", b1="bad", b2="bad"), plain, TODAY).verdict == DEMO_ONLY
    # Weak where a pilot bounds nothing is still demo only.
    assert assess(review(bounded, a1="bad", a2="bad", b1="good", b2="good"), bounded, TODAY).verdict == DEMO_ONLY


def test_the_built_in_review_bounds_in_a_pilot_cost_latency_evidence_operations_and_hard_decisions() -> None:
    from workbook.core.templates import builtin_dir, load_template
    t = load_template(builtin_dir() / "post-demo-review.toml")
    bounded = {s.id for s in t.sections if s.viability}
    assert bounded == {"latency", "cost", "hard-decisions", "integration", "metrics"}
