"""Templates 1.1.0 (issue 14): a review made with 1.0.0 opens with the current templates and loses nothing.

(1.2.0, issue 23, merges one question into another and re-rates a few choices that describe a sound
design: test_templates_v12 holds those, and the tests here allow exactly them.)

tests/fixtures/v1.0.0 holds every sample as made with the 1.0.0 templates, and those templates
(template-*.toml). Each old review is loaded with the current built-in templates: every answer is
still there under the same id with the same status, value and details, none is set aside as
'<id>@1.0.0', and saving it and loading it back keeps all of that. The old templates' question and
choice ids, kinds and choice meanings (label and risk) are all still in the current ones.
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.conftest import FIXTURES, TEMPLATES, TODAY
from tests.unit.test_templates_v12 import CURRENT, REVISED, assert_nothing_lost
from workbook.cli import cli
from workbook.core.models import Kind, Question, Status, Template
from workbook.core.scoring import DEMO_ONLY, assess
from workbook.core.store import load_review, save_review
from workbook.core.templates import find_template, load_template

OLD = FIXTURES / "v1.0.0"
OLD_REVIEWS = sorted(p for p in OLD.glob("*.toml") if not p.name.startswith("template-"))
OLD_TEMPLATES = sorted(OLD.glob("template-*.toml"))
IDS = ["post-demo-review", "quick-self-check", "agentic-addendum"]


def _raw_answers(path: Path) -> dict[str, dict[str, Any]]:
    with path.open("rb") as f:
        return tomllib.load(f).get("answers", {})


def _same_answer(qid: str, raw: dict[str, Any], loaded: Any) -> None:
    """Every key of the old answer, with the same value, in the loaded answer."""
    status = raw.get("status", "answered" if raw.get("value") not in (None, "", []) else "unanswered")
    assert loaded.status is Status(status), qid
    for key, value in raw.items():
        if key == "status":
            continue
        got = getattr(loaded, key) if key in type(loaded).model_fields else (loaded.model_extra or {}).get(key)
        assert got == value, f"{qid}.{key}: {got!r} != {value!r}"


def test_the_fixtures_are_the_1_0_0_reviews_and_templates() -> None:
    assert len(OLD_REVIEWS) >= 6 and len(OLD_TEMPLATES) == 3
    for path in OLD_REVIEWS:
        with path.open("rb") as f:
            assert tomllib.load(f)["template_version"] == "1.0.0", path.name
    for path in OLD_TEMPLATES:
        assert load_template(path).version == "1.0.0", path.name


@pytest.mark.parametrize("template_id", IDS)
def test_builtin_templates_are_the_current_version(template_id: str) -> None:
    template, path = find_template(template_id)
    # The built-in one is the repository's file: the installed package's copy, or the checkout's own.
    assert path.read_bytes() == (TEMPLATES / path.name).read_bytes()
    assert template.version == CURRENT[template_id]


@pytest.mark.parametrize("path", OLD_REVIEWS, ids=lambda p: p.name)
def test_a_1_0_0_review_opens_with_the_current_templates_and_loses_nothing(path: Path) -> None:
    rf = load_review(path)
    assert rf.template.version == CURRENT[rf.review.template]
    assert rf.review.template_version == "1.0.0"  # what it was made with is kept
    assert not any("@" in qid for qid in rf.review.answers), "an answer no longer fits its question"
    merged = {old for _, q in rf.template.questions() for old in q.renamed_from}
    assert set(rf.orphans) <= merged  # only a merged question answered beside its target is an orphan
    assert rf.notices[0].startswith(f"made with {rf.review.template} 1.0.0; opened with {CURRENT[rf.review.template]}: ")
    blank = sum(1 for _, q in rf.template.questions() if q.id not in rf.review.answers)
    assert f": {blank} questions not answered yet, " in rf.notices[0]  # the added ones are blank: said
    raw = _raw_answers(path)
    assert set(rf.review.answers) == set(raw)
    assert_nothing_lost(raw, rf.review, rf.template, "1.0.0")


@pytest.mark.parametrize("path", OLD_REVIEWS, ids=lambda p: p.name)
def test_a_1_0_0_review_saved_with_1_1_0_keeps_every_answer(tmp_path: Path, path: Path) -> None:
    copy = tmp_path / path.name
    shutil.copyfile(path, copy)
    rf = load_review(copy)
    rf.review.program.description += " (saved once with the current templates)"  # a real save
    save_review(rf)
    again = load_review(copy)
    assert not any("@" in qid for qid in again.review.answers)
    assert set(again.orphans) <= {old for _, q in again.template.questions() for old in q.renamed_from}
    raw = _raw_answers(path)
    assert set(again.review.answers) == set(raw)
    for qid, old in raw.items():
        _same_answer(qid, old, again.review.answers[qid])


def _old_and_new() -> list[tuple[Template, Template]]:
    pairs = []
    for path in OLD_TEMPLATES:
        old = load_template(path)
        pairs.append((old, find_template(old.id)[0]))
    return pairs


@pytest.mark.parametrize("old,new", _old_and_new(), ids=lambda t: t.id if isinstance(t, Template) else "")
def test_every_1_0_0_question_and_choice_keeps_its_id_kind_and_meaning(old: Template, new: Template) -> None:
    merged = {o for _, q in new.questions() for o in q.renamed_from}
    for _, q in old.questions():
        now = new.question(q.id)
        if now is None:
            assert q.id in merged, f"{q.id} was removed without renamed_from"
            continue
        assert now.kind is q.kind and now.unit == q.unit, q.id
        assert (now.minimum, now.maximum) == (q.minimum, q.maximum), q.id
        assert (now.risk_if_yes, now.risk_if_no, now.assumption) == (q.risk_if_yes, q.risk_if_no, q.assumption), q.id
        assert now.decision == q.decision, q.id  # a deferred decision stays a deferrable decision
        for c in q.choices:
            kept = now.choice(c.id)
            assert kept is not None, f"{q.id}: choice {c.id} removed"
            assert kept.label == c.label, f"{q.id}: choice {c.id} changed meaning"
            if (new.id, q.id, c.id) not in REVISED:  # 1.2.0: a sound design carries no risk of its own
                assert kept.risk == c.risk, f"{q.id}: choice {c.id} changed its risk"
    assert new.question_count() > old.question_count()


def test_validate_passes_on_every_template() -> None:
    paths = sorted(str(p) for p in TEMPLATES.glob("*.toml"))
    result = CliRunner().invoke(cli, ["validate", *paths], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.output.count("valid template") == len(paths) == 3


# --------------------------------------------------------------------------- what 1.1.0 adds


def _q(template_id: str, qid: str) -> Question:
    q = find_template(template_id)[0].question(qid)
    assert q is not None, f"{template_id}: {qid}"
    return q


def _blockers(template_id: str) -> set[tuple[str, str]]:
    template, _ = find_template(template_id)
    return {(q.id, c.id) for _, q in template.questions() for c in q.choices if c.blocker}


def test_blockers_are_the_ones_no_score_can_outweigh() -> None:
    assert _blockers("post-demo-review") == {("retrieval-access-control", "shared-index"),
                                             ("model-actions-scope", "acts-unapproved")}
    assert _blockers("quick-self-check") == {("retrieval-access-control", "shared-index"),
                                             ("model-actions-scope", "acts-unapproved")}
    assert _blockers("agentic-addendum") == {("approval-gates-irreversible", "none-gated"),
                                             ("approval-gates-irreversible", "prompt-gated"),
                                             ("lethal-combination", "all-three-unbroken")}
    for template_id in IDS:  # a blocker is always a high-risk choice
        template, _ = find_template(template_id)
        assert all(c.risk == "high" for _, q in template.questions() for c in q.choices if c.blocker)


@pytest.mark.parametrize("template_id", ["post-demo-review", "quick-self-check"])
def test_measured_numbers_are_judged_against_the_teams_own_targets(template_id: str) -> None:
    lat = _q(template_id, "latency-measured-p95-ms")
    assert (lat.target_question, lat.target_direction) == ("latency-target-p95-ms", "at_most")
    cost = _q(template_id, "cost-per-outcome-current")
    assert (cost.target_question, cost.target_direction) == ("cost-threshold-per-outcome", "at_most")


def test_the_catch_rate_is_judged_against_its_go_threshold() -> None:
    rate, threshold = _q("post-demo-review", "hitl-catch-rate"), _q("post-demo-review", "hitl-catch-rate-threshold")
    assert rate.kind is threshold.kind is Kind.NUMBER and rate.unit == threshold.unit == "%"
    assert (rate.target_question, rate.target_direction) == ("hitl-catch-rate-threshold", "at_least")
    assert threshold.decision


def test_exposure_questions_name_their_controls() -> None:
    expected = {
        ("post-demo-review", "data-sensitivity-classes"): {"data-boundary-decision", "retrieval-access-control"},
        ("post-demo-review", "output-compliance-exposure"): {"regulatory-classification", "security-legal-involvement"},
        ("quick-self-check", "personal-data-in-prompts"): {"data-boundary-decision"},
        ("agentic-addendum", "agent-action-types"): {"approval-gates-irreversible", "tool-permissions-least-privilege"},
    }
    for (template_id, qid), controls in expected.items():
        q = _q(template_id, qid)
        assert q.exposure and controls <= set(q.controlled_by), qid


NEW_IN_FULL = [
    "sponsor-accepted-unproven", "data-erasure", "retrieval-quality-measured", "regulatory-classification",
    "hitl-catch-rate-threshold", "hitl-catch-rate", "users-told-limits", "ai-incident-disclosure",
    "out-of-scope-requests", "model-access-auth", "success-measured", "eval-latest-run-meets-thresholds",
]


@pytest.mark.parametrize("qid", NEW_IN_FULL)
def test_each_new_question_explains_itself_and_is_judged(qid: str) -> None:
    q = _q("post-demo-review", qid)
    assert len(q.help) > 200 and q.tags, qid
    if q.kind in (Kind.SINGLE, Kind.MULTI):
        risks = {c.risk for c in q.choices}
        assert {"high", "none"} <= risks, qid  # a demo-only answer and an evidenced one


def test_answers_that_pass_on_paper_only_have_their_own_high_choice() -> None:
    for template_id, qid, cid, risk in [
        ("post-demo-review", "hallucination-decision-impact", "advisory-sent-unedited", "high"),
        ("quick-self-check", "hallucination-decision-impact", "advisory-sent-unedited", "high"),
        ("post-demo-review", "indirect-injection-tested", "attack-got-through", "high"),
        ("agentic-addendum", "tool-argument-validation", "type-checked-money", "high"),
        # 1.2.0: a draft a person edits and sends as their own carries no risk; a rule makes it high
        # where drafts go out mostly unedited.
        ("post-demo-review", "ai-disclosure", "human-sends-undisclosed", "none"),
        ("post-demo-review", "demo-gaps-not-shown", "real-users", "high"),
    ]:
        choice = _q(template_id, qid).choice(cid)
        assert choice is not None and choice.risk == risk, (template_id, qid, cid)


def test_time_boxes_are_the_workshop_after_a_solo_pre_fill() -> None:
    full, _ = find_template("post-demo-review")
    assert sum(s.timebox_minutes for s in full.sections) == 120
    assert "pre-fill" in full.description and "120 minutes" in full.description
    assert full.question_count() == 114 and "A hundred and fourteen questions" in full.description  # stays true
    addendum, _ = find_template("agentic-addendum")
    assert sum(s.timebox_minutes for s in addendum.sections) == 45
    quick, _ = find_template("quick-self-check")
    assert sum(s.timebox_minutes for s in quick.sections) == 20


def test_a_1_0_0_review_with_a_blocker_is_demo_only_with_1_1_0() -> None:
    rf = load_review(OLD / "customer-support-copilot.toml")  # answered 'shared-index' with 1.0.0
    a = assess(rf.review, rf.template, TODAY)
    assert a.verdict == DEMO_ONLY
    assert [b.question.id for b in a.blockers] == ["retrieval-access-control"]
    assert a.priorities[0].question_id == "retrieval-access-control"
