"""Unknown is not safe, as properties over generated reviews of the built-in full review (issue 23):
- clearing an answer that carries a high risk, or marking it unknown, never improves the verdict (nor the
  readiness score);
- answering a blank question with an answer that is a high risk never hides it: it is a priority.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import hypothesis.strategies as st
from hypothesis import HealthCheck, given, settings

from workbook.core import editing
from workbook.core.models import Answer, Kind, Question, Review, Template
from workbook.core.risk import Level
from workbook.core.scoring import DEMO_ONLY, PILOT, PRODUCTION, assess
from workbook.core.store import new_review
from workbook.core.templates import builtin_dir, load_template

TODAY = dt.date(2026, 12, 6)
RANK = {DEMO_ONLY: 0, PILOT: 1, PRODUCTION: 2}
TEMPLATE = load_template(builtin_dir() / "post-demo-review.toml")
QUESTIONS = [q for _, q in TEMPLATE.questions()]


def values(q: Question) -> st.SearchStrategy[Any]:
    if q.kind is Kind.SINGLE:
        return st.sampled_from([c.id for c in q.choices])
    if q.kind is Kind.MULTI:
        return st.lists(st.sampled_from([c.id for c in q.choices]), min_size=1, unique=True)
    if q.kind is Kind.YES_NO:
        return st.booleans()
    if q.kind is Kind.NUMBER:
        low = q.minimum if q.minimum is not None else 0
        high = q.maximum if q.maximum is not None else 100_000
        return st.integers(int(low), int(high))
    if q.kind is Kind.DATE:
        return st.dates(dt.date(2026, 1, 1), dt.date(2027, 12, 31))
    return st.just("An answer in the team's words.")


@st.composite
def reviews(draw: st.DrawFn) -> Review:
    """Reviews near the verdict's edges: mostly good answers, a few of anything (bad, blank, unknown,
    deferred), in a proportion drawn per review."""
    review = new_review(TEMPLATE, "Generated", TODAY)
    good = draw(st.integers(8, 60))
    for q in QUESTIONS:
        what = draw(st.sampled_from(["answer", "blank", "unknown", "defer"] + ["good"] * good))
        if what == "blank":
            continue
        if what == "unknown":
            editing.mark_unknown(review, q.id, TODAY)
        elif what == "defer" and q.decision:
            editing.defer(review, q.id, TODAY, owner=draw(st.sampled_from([None, "Ana"])),
                          decide_by=draw(st.sampled_from([None, dt.date(2027, 1, 1), dt.date(2026, 11, 1)])))
        elif what == "good" and q.choices and any(c.risk in (None, "none") and not c.blocker for c in q.choices):
            safe = [c.id for c in q.choices if (c.risk is None or c.risk.value == "none") and not c.blocker]
            value = draw(st.sampled_from(safe))
            editing.set_value(review, q.id, [value] if q.kind is Kind.MULTI else value, TODAY)
        else:
            editing.set_value(review, q.id, draw(values(q)), TODAY)
    return review


@st.composite
def nearly_sound(draw: st.DrawFn) -> Review:
    """A well-run program with one to six answers changed to anything: where a production candidate's
    launch conditions and what holds it at pilot meet."""
    from tests.unit.test_templates_v12 import well_run

    review = well_run(TEMPLATE)
    for q in draw(st.lists(st.sampled_from(QUESTIONS), min_size=1, max_size=6, unique_by=lambda q: q.id)):
        high = [c.id for c in q.choices if c.risk is not None and c.risk.value == "high"]
        if high and draw(st.booleans()):  # half the time the answer that is a high risk
            editing.set_value(review, q.id, [high[0]] if q.kind is Kind.MULTI else high[0], TODAY)
        else:
            editing.set_value(review, q.id, draw(values(q)), TODAY)
    return review


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                          HealthCheck.data_too_large])


def _highs(review: Review, template: Template) -> list[str]:
    from workbook.core.judgement import review_levels

    levels = review_levels(review, template)
    return [qid for qid, level in levels.items() if level is Level.HIGH and review.answer(qid).has_value]


@SETTINGS
@given(st.one_of(reviews(), nearly_sound()), st.data())
def test_clearing_a_high_risk_answer_never_improves_the_verdict(review: Review, data: st.DataObject) -> None:
    highs = _highs(review, TEMPLATE)
    if not highs:
        return
    judged = assess(review, TEMPLATE, TODAY, detail=False)
    before = judged.verdict
    # The weakest section decides the verdict: clearing one of its answers is where a gain would show.
    weakest = [qid for qid in highs if judged.weakest is not None
               and any(q.id == qid for q in judged.weakest.section.questions)]
    qid = data.draw(st.sampled_from(weakest or highs))
    review.answers[qid] = Answer()  # cleared: blank
    cleared = assess(review, TEMPLATE, TODAY, detail=False)
    assert RANK[cleared.verdict] <= RANK[before], f"clearing {qid} lifted {before} to {cleared.verdict}"
    assert cleared.overall <= judged.overall, f"clearing {qid} lifted readiness {judged.overall} to {cleared.overall}"


@SETTINGS
@given(st.one_of(reviews(), nearly_sound()), st.data())
def test_marking_a_high_risk_answer_unknown_never_improves_the_verdict(review: Review, data: st.DataObject) -> None:
    highs = _highs(review, TEMPLATE)
    if not highs:
        return
    before = assess(review, TEMPLATE, TODAY, detail=False).verdict
    qid = data.draw(st.sampled_from(highs))
    editing.mark_unknown(review, qid, TODAY)
    after = assess(review, TEMPLATE, TODAY, detail=False).verdict
    assert RANK[after] <= RANK[before], f"marking {qid} unknown lifted {before} to {after}"


@SETTINGS
@given(reviews(), st.data())
def test_an_answer_that_is_a_high_risk_is_always_a_priority(review: Review, data: st.DataObject) -> None:
    a = assess(review, TEMPLATE, TODAY, detail=False)
    listed = {qid for p in a.priorities for qid in (p.question_id, *p.also)}  # folded: same problem
    for qid in _highs(review, TEMPLATE):
        assert qid in listed, f"{qid} is a high risk but no priority"
    blank = [q for q in QUESTIONS if q.id not in review.answers and q.choices]
    if not blank:
        return
    q = data.draw(st.sampled_from(blank))
    worst = [c.id for c in q.choices if c.risk is not None and c.risk.value == "high"]
    if not worst:
        return
    editing.set_value(review, q.id, [worst[0]] if q.kind is Kind.MULTI else worst[0], TODAY)
    if q.id in _highs(review, TEMPLATE):
        after = assess(review, TEMPLATE, TODAY, detail=False).priorities
        assert q.id in {qid for p in after for qid in (p.question_id, *p.also)}
