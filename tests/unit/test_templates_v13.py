"""Templates 1.3.0 (issue 23, blind rounds 7-10): three sound designs that no choice described.

Teams with these designs picked the nearest high risk or answered not applicable, which applies_when
refuses, and a sound program was held at pilot. 1.3.0 adds one choice for each (risk none) and
changes nothing else a 1.2.0 review relies on: tests/fixtures/v1.2.0 holds every sample as made with
the 1.2.0 templates, and those templates; each opens with the current ones with every answer under
its own id, unchanged.
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, TEMPLATES, TODAY
from tests.unit.test_templates_v12 import CURRENT, _raw_answers, _same_answer, assert_nothing_lost, well_run
from workbook.core.expr import holds
from workbook.core.models import Answer, Program, Review, Risk, Status, Template
from workbook.core.scoring import PRODUCTION, assess
from workbook.core.store import load_review, save_review
from workbook.core.templates import find_template, load_template

OLD = FIXTURES / "v1.2.0"
OLD_REVIEWS = sorted(p for p in OLD.glob("*.toml") if not p.name.startswith("template-"))
OLD_TEMPLATES = sorted(OLD.glob("template-*.toml"))
FULL, ADDENDUM, QUICK = "post-demo-review", "agentic-addendum", "quick-self-check"

# The choices 1.3.0 adds, each after the question's 1.2.0 choices.
ADDED = {
    (FULL, "retrieval-access-control", "no-restricted-index"),
    (FULL, "eval-latest-run-meets-thresholds", "slice-kept-out"),
    (ADDENDUM, "approval-gates-irreversible", "drafts-only"),
}


def current(template_id: str) -> Template:
    return find_template(template_id)[0]


def answered(value: Any) -> Answer:
    return Answer(status=Status.ANSWERED, value=value)


# --------------------------------------------------------------------------- migration from 1.2.0


def test_the_fixtures_are_the_1_2_0_reviews_and_templates() -> None:
    assert len(OLD_REVIEWS) == 6 and len(OLD_TEMPLATES) == 3
    for path in OLD_REVIEWS:
        with path.open("rb") as f:
            assert tomllib.load(f)["template_version"] == "1.2.0", path.name
    for path in OLD_TEMPLATES:
        assert load_template(path).version == "1.2.0", path.name


def test_the_versions_now() -> None:
    assert {t: current(t).version for t in (FULL, ADDENDUM, QUICK)} == CURRENT
    assert CURRENT[FULL] == CURRENT[ADDENDUM] == "1.3.0"
    # The quick self-check asks none of the three in a way that refuses them: it is left as it was.
    assert (TEMPLATES / f"{QUICK}.toml").read_bytes() == (OLD / f"template-{QUICK}.toml").read_bytes()


@pytest.mark.parametrize("path", OLD_REVIEWS, ids=lambda p: p.name)
def test_a_1_2_0_review_opens_with_1_3_0_with_every_answer_unchanged(path: Path) -> None:
    rf = load_review(path)
    now = CURRENT[rf.review.template]
    assert rf.template.version == now and rf.review.template_version == "1.2.0"
    if now == "1.2.0":
        assert not any(n.startswith("made with") for n in rf.notices)
    else:
        assert rf.notices[0].startswith(f"made with {rf.review.template} 1.2.0; opened with 1.3.0")
    raw = _raw_answers(path)
    assert set(rf.review.answers) == set(raw)  # nothing set aside under '<id>@1.2.0', nothing moved
    for qid, old in raw.items():
        _same_answer(qid, old, rf.review.answers[qid])


@pytest.mark.parametrize("path", OLD_REVIEWS, ids=lambda p: p.name)
def test_a_1_2_0_review_saved_with_1_3_0_keeps_every_answer(tmp_path: Path, path: Path) -> None:
    copy = tmp_path / path.name
    shutil.copyfile(path, copy)
    rf = load_review(copy)
    rf.review.program.description += " (saved once with 1.3.0)"
    save_review(rf)
    again = load_review(copy)
    assert again.review.template_version == CURRENT[again.review.template]
    assert not any(n.startswith("made with") for n in again.notices)
    raw = _raw_answers(path)
    assert set(again.review.answers) == set(raw)
    assert_nothing_lost(raw, again.review, again.template, "1.2.0")


@pytest.mark.parametrize("path", OLD_TEMPLATES, ids=lambda p: p.name)
def test_every_1_2_0_question_and_choice_is_kept_and_only_the_three_choices_are_added(path: Path) -> None:
    old = load_template(path)
    new = current(old.id)
    assert [q.id for _, q in new.questions()] == [q.id for _, q in old.questions()]
    for _, q in old.questions():
        now = new.question(q.id)
        assert now is not None and now.kind is q.kind and now.critical == q.critical, q.id
        assert now.applies_when == q.applies_when and now.critical_when == q.critical_when, q.id
        kept = [(c.id, c.label, c.risk, c.blocker) for c in now.choices[:len(q.choices)]]
        assert kept == [(c.id, c.label, c.risk, c.blocker) for c in q.choices], q.id
        added = {(new.id, q.id, c.id) for c in now.choices[len(q.choices):]}
        assert added == {a for a in ADDED if a[:2] == (new.id, q.id)}, q.id
    assert {c.id for c in new.checks} - {c.id for c in old.checks} <= {"drafts-only-but-acts"}


@pytest.mark.parametrize("template_id,qid,cid", sorted(ADDED))
def test_each_new_choice_is_a_sound_design_with_no_risk(template_id: str, qid: str, cid: str) -> None:
    q = current(template_id).question(qid)
    assert q is not None
    choice = q.choice(cid)
    assert choice is not None and choice.risk is Risk.NONE and not choice.blocker
    assert len(choice.label) > 60  # says what the design is, not just "fine"
    assert cid in q.help or "its own choice" in q.help  # the help points a team with that design to it


# --------------------------------------------------------------------------- kept out is as good as met


def _expressions(template: Template) -> list[tuple[str, str]]:
    """Every rule in the template, with the question it is read in (its bare choices are that one's)."""
    found = [(q.id, r.when) for _, q in template.questions() for r in q.rules]
    found += [(q.id, e) for _, q in template.questions() for e in (q.applies_when, q.critical_when) if e]
    found += [("", c.when) for c in template.checks] + [("", h.when) for h in template.harms]
    return found


def test_every_rule_that_reads_meets_all_reads_slice_kept_out_the_same() -> None:
    t = current(FULL)
    reading = [(ctx, e) for ctx, e in _expressions(t) if "eval-latest-run-meets-thresholds:meets-all" in e]
    assert reading  # the hallucination-impact rule, at least
    base = well_run(t)
    contexts = []
    for impact in ("direct-high-stakes", "advisory", "low-stakes"):
        for controls in ("checks-and-sampling", "every-output-reviewed", "sampling-after"):
            r = base.model_copy(deep=True)
            r.answers["hallucination-decision-impact"] = answered(impact)
            r.answers["unreviewed-output-controls"] = answered(controls)
            contexts.append(r)
    for ctx, expr in reading:
        for r in contexts:
            met, kept_out = r.model_copy(deep=True), r.model_copy(deep=True)
            met.answers["eval-latest-run-meets-thresholds"] = answered("meets-all")
            kept_out.answers["eval-latest-run-meets-thresholds"] = answered("slice-kept-out")
            assert holds(expr, met, ctx) == holds(expr, kept_out, ctx), (ctx, expr)


def test_a_program_that_keeps_a_missing_slice_out_in_code_reaches_production_as_one_that_meets_all() -> None:
    # The shipping and SOC programs: high-stakes by design, controls in place, and the slice that
    # misses routed to people in code. It is held to medium exactly as 'meets-all' is.
    t = current(FULL)
    r = well_run(t)
    r.answers["hallucination-decision-impact"] = answered("direct-high-stakes")
    r.answers["output-reach"] = answered(["employees", "other-systems"])
    r.answers["unreviewed-output-controls"] = answered("checks-and-sampling")
    r.answers["action-rules-enforcement"] = answered("all-in-code")
    r.answers["eval-latest-run-meets-thresholds"] = answered("slice-kept-out")
    a = assess(r, t, TODAY)
    assert a.verdict == PRODUCTION and a.high == 0 and a.medium == 1, a.reason
    r.answers["eval-latest-run-meets-thresholds"] = answered("misses-a-slice")  # shipped with the miss
    assert assess(r, t, TODAY).high >= 1


# --------------------------------------------------------------------------- drafts only


def addendum(**answers: Any) -> Review:
    made = {k.replace("_", "-"): answered(v) for k, v in answers.items()}
    return Review(template=ADDENDUM, template_version=CURRENT[ADDENDUM], program=Program(name="P"), answers=made)


def test_drafts_only_is_a_contradiction_beside_an_agent_that_sends_pays_or_runs_code() -> None:
    t = current(ADDENDUM)
    check = next(c for c in t.checks if c.id == "drafts-only-but-acts")
    assert check.risk is Risk.HIGH and check.questions[0] == "approval-gates-irreversible"
    assert "drafts" in check.message and check.message.endswith(".")
    for acts in ("send-external", "move-money", "run-code"):
        r = addendum(approval_gates_irreversible="drafts-only", agent_action_types=["read-only", "write-records", acts])
        assert holds(check.when, r), acts
        gated = addendum(approval_gates_irreversible="all-gated-code", agent_action_types=["write-records", acts])
        assert not holds(check.when, gated), acts
    for writes in (["read-only"], ["read-only", "write-records"]):
        assert not holds(check.when, addendum(approval_gates_irreversible="drafts-only", agent_action_types=writes))


def test_the_drafts_only_contradiction_is_a_high_risk_in_the_assessment() -> None:
    t = current(ADDENDUM)
    r = well_run(t)
    r.answers["approval-gates-irreversible"] = answered("drafts-only")
    r.answers["agent-action-types"] = answered(["read-only", "write-records", "send-external"])
    a = assess(r, t, TODAY)
    assert "drafts-only-but-acts" in {f.check.id for f in a.findings}
    assert a.high >= 1 and a.verdict != PRODUCTION


# --------------------------------------------------------------------------- a well-run program can pass


@pytest.mark.parametrize("template_id", [FULL, ADDENDUM])
def test_a_well_run_program_answering_the_new_choices_is_a_production_candidate(template_id: str) -> None:
    # The archive's index of published documents, the SOC program's slice routed to analysts, the
    # copilot whose only write is a draft field: sound designs, answered as they are.
    t = current(template_id)
    r = well_run(t)
    for tid, qid, cid in ADDED:
        if tid == template_id:
            q = t.question(qid)
            assert q is not None and q.choice(cid) is not None, cid
            r.answers[qid] = answered(cid)
    assert not {c.id for c in t.checks if holds(c.when, r)}
    a = assess(r, t, TODAY)
    assert a.verdict == PRODUCTION and a.high == a.medium == 0, a.reason
