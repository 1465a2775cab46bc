"""Concerns (issue 23, "one priority per problem"): questions a template groups as one underlying
problem become one priority, led by the most urgent, and one high risk in a section's score."""

from __future__ import annotations

import datetime as dt
from typing import Any

from workbook.core import editing
from workbook.core.models import Template
from workbook.core.priorities import Priority, one_per_concern
from workbook.core.scoring import assess
from workbook.core.store import new_review
from workbook.core.templates import rule_problems

TODAY = dt.date(2026, 12, 6)


def q(qid: str) -> dict[str, Any]:
    return {"id": qid, "prompt": f"What about {qid}?", "kind": "single_choice",
            "choices": [{"id": "ok", "label": "Fine", "risk": "none"}, {"id": "bad", "label": f"Bad {qid}", "risk": "high"},
                        {"id": "meh", "label": f"Meh {qid}", "risk": "medium"}]}


def template(concerns: list[dict[str, Any]]) -> Template:
    return Template.model_validate({
        "id": "c", "version": "1", "title": "Concerns",
        "sections": [{"id": "review", "title": "Review", "questions": [q("dwell"), q("rate"), q("design"), q("other")]}],
        "concerns": concerns,
    })


STAMP = {"id": "rubber-stamp", "label": "review that has become a rubber stamp", "questions": ["dwell", "rate", "design"]}


def answered(t: Template, **values: str) -> Any:
    review = new_review(t, "P", TODAY)
    for qid, value in values.items():
        editing.set_value(review, qid, value, TODAY)
    return assess(review, t, TODAY)


def test_three_symptoms_of_one_problem_are_one_priority_with_their_reasons() -> None:
    a = answered(template([STAMP]), dwell="bad", rate="meh", design="bad", other="meh")
    ids = [(p.question_id, p.also) for p in a.priorities]
    assert ids == [("dwell", ("design", "rate")), ("other", ())]  # the highs first, then the medium
    lead = a.priorities[0]
    assert lead.concern == "review that has become a rubber stamp"
    assert "Bad dwell" in lead.why and "Bad design" in lead.why and "Meh rate" in lead.why
    # Without the concern each symptom is its own priority and crowds the top.
    plain = answered(template([]), dwell="bad", rate="meh", design="bad", other="meh")
    assert [p.question_id for p in plain.priorities] == ["dwell", "design", "rate", "other"]


def test_one_problem_is_one_high_risk_in_the_section_score() -> None:
    with_concern = answered(template([STAMP]), dwell="bad", rate="ok", design="bad", other="ok")
    without = answered(template([]), dwell="bad", rate="ok", design="bad", other="ok")
    # The second high of the same problem counts as a medium (0.7): (0 + 1 + 0.7 + 1) / 4, not (0 + 1 + 0 + 1) / 4.
    assert (with_concern.overall, without.overall) == (68, 50)
    # Two highs on different problems still count as two.
    split = answered(template([{**STAMP, "questions": ["dwell", "rate"]}]), dwell="bad", rate="ok", design="bad", other="ok")
    assert split.overall == 50


def test_folding_keeps_the_order_and_only_spells_out_two_reasons() -> None:
    def p(qid: str, tier: int) -> Priority:
        return Priority(qid, "s", "S", f"{qid}?", "high", False, f"why {qid}", tier)
    concern = template([{"id": "x", "label": "x", "questions": ["a", "b", "c", "d"]}]).concerns
    folded = one_per_concern([p("a", 1), p("z", 2), p("b", 3), p("c", 4), p("d", 5)], concern)
    assert [(f.question_id, f.also) for f in folded] == [("a", ("b", "c", "d")), ("z", ())]
    assert folded[0].why == "why a; also “b?”: why b; also “c?”: why c"


def test_a_priority_folded_again_keeps_what_it_had_folded_in() -> None:
    # Two reviews' lists merged (the full review and its agentic addendum share concern ids): the
    # addendum's lead, with its own folded questions, folds into the main review's lead with all of them.
    from dataclasses import replace

    def p(qid: str, tier: int) -> Priority:
        return Priority(qid, "s", "S", f"{qid}?", "high", False, f"why {qid}", tier)
    concern = template([{"id": "x", "label": "x", "questions": ["a", "b", "c", "d"]}]).concerns
    already = replace(p("c", 3), also=("d",))
    folded = one_per_concern([replace(p("a", 1), also=("b",)), already], concern)
    assert [(f.question_id, f.also) for f in folded] == [("a", ("b", "c", "d"))]


def test_validate_refuses_a_concern_naming_a_missing_question_or_sharing_one() -> None:
    bad = template([STAMP, {"id": "rubber-stamp", "label": "again", "questions": ["dwell", "nope"]}])
    found = [(p.where, p.message) for p in rule_problems(bad, "t.toml")]
    assert ("concerns[1].questions", "question 'dwell' is already in concern 'rubber-stamp'") in found
    assert ("concerns[1].questions", "no question 'nope' in this template") in found
    assert ("concerns", "duplicate concern id 'rubber-stamp'") in found


def test_an_assessment_without_priorities_differs_only_in_them() -> None:
    # check and portfolio ask for no priorities (they never print them); everything they do print is
    # the same either way.
    from tests.conftest import SAMPLES
    from workbook.core.store import load_review as load

    for path in sorted(SAMPLES.glob("*.toml")):
        rf = load(path)
        full = assess(rf.review, rf.template, TODAY, detail=False)
        bare = assess(rf.review, rf.template, TODAY, detail=False, ranked=False)
        assert bare.priorities == () and full.priorities
        assert (bare.verdict, bare.overall, bare.reason, bare.sections, bare.constraints, bare.risks, bare.blockers) == (
            full.verdict, full.overall, full.reason, full.sections, full.constraints, full.risks, full.blockers)
