"""Templates 1.2.0 (issue 23): answers judged in context, contradictions checked, and nothing lost on the way.

tests/fixtures/v1.1.0 holds every sample as made with the 1.1.0 templates, and those templates. Each
old review opens with the current templates and keeps every answer: under its own id unchanged, under
'<id>@1.1.0' when it no longer fits, or (a question merged into another that was answered too) under
its old id as an orphan; none is dropped. The rules, checks and harms are tested as the template data
they are, with the rule language (core/expr.py), not through scoring (which is changing separately).
"""

from __future__ import annotations

import datetime as dt
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, TEMPLATES, TODAY
from workbook.core.expr import holds
from workbook.core.models import Answer, Kind, Program, Review, Risk, Stage, Status, Template
from workbook.core.scoring import PRODUCTION, assess
from workbook.core.store import load_review, save_review
from workbook.core.templates import find_template, load_template, rule_problems

# The version each built-in template is at now (1.3.0 left the quick self-check as it was).
CURRENT = {"post-demo-review": "1.3.0", "agentic-addendum": "1.3.0", "quick-self-check": "1.2.0"}
OLD = FIXTURES / "v1.1.0"
OLD_REVIEWS = sorted(p for p in OLD.glob("*.toml") if not p.name.startswith("template-"))
OLD_TEMPLATES = sorted(OLD.glob("template-*.toml"))
IDS = ["post-demo-review", "quick-self-check", "agentic-addendum"]

# Choices whose label (their meaning) is unchanged but which 1.2.0 no longer counts as a risk of their
# own, because they describe a sound design; rules and checks say where other answers contradict them.
REVISED = {
    ("post-demo-review", "data-sensitivity-classes", "confidential"),
    ("post-demo-review", "data-sensitivity-classes", "customer-contract"),
    ("post-demo-review", "data-sensitivity-classes", "personal"),
    ("post-demo-review", "hallucination-decision-impact", "advisory"),
    ("post-demo-review", "model-actions-scope", "read-tools"),
    ("post-demo-review", "output-compliance-exposure", "contractual"),
    ("post-demo-review", "ai-disclosure", "human-sends-undisclosed"),
    ("agentic-addendum", "agent-action-types", "write-records"),
    ("agentic-addendum", "agent-autonomy-level", "autonomous-below-threshold"),
    ("quick-self-check", "hallucination-decision-impact", "advisory"),
    ("quick-self-check", "model-actions-scope", "read-tools"),
}


def current(template_id: str) -> Template:
    return find_template(template_id)[0]


def _raw_answers(path: Path) -> dict[str, dict[str, Any]]:
    with path.open("rb") as f:
        return tomllib.load(f).get("answers", {})


def _same_answer(qid: str, raw: dict[str, Any], loaded: Answer) -> None:
    status = raw.get("status", "answered" if raw.get("value") not in (None, "", []) else "unanswered")
    assert loaded.status is Status(status), qid
    for key, value in raw.items():
        if key == "status":
            continue
        got = getattr(loaded, key) if key in type(loaded).model_fields else (loaded.model_extra or {}).get(key)
        assert got == value, f"{qid}.{key}: {got!r} != {value!r}"


def assert_nothing_lost(raw: dict[str, dict[str, Any]], review: Review, template: Template, made_with: str) -> None:
    """Every old answer is somewhere, unchanged: under its id, under '<id>@<made_with>', under the id of the
    question it was renamed to, or as an orphan under its old id (a merged question whose target was answered)."""
    renamed = {old: q.id for _, q in template.questions() for old in q.renamed_from}
    for qid, old in raw.items():
        if qid in review.answers:
            _same_answer(qid, old, review.answers[qid])
            assert template.question(qid) is not None or qid in renamed, f"{qid} is an orphan of no merge"
        elif f"{qid}@{made_with}" in review.answers:
            _same_answer(qid, old, review.answers[f"{qid}@{made_with}"])
        else:
            target = renamed.get(qid)
            assert target is not None and target in review.answers and target not in raw, f"{qid} was dropped"
            _same_answer(qid, old, review.answers[target])


# --------------------------------------------------------------------------- migration from 1.1.0


def test_the_fixtures_are_the_1_1_0_reviews_and_templates() -> None:
    assert len(OLD_REVIEWS) >= 6 and len(OLD_TEMPLATES) == 3
    for path in OLD_REVIEWS:
        with path.open("rb") as f:
            assert tomllib.load(f)["template_version"] == "1.1.0", path.name
    for path in OLD_TEMPLATES:
        assert load_template(path).version == "1.1.0", path.name


@pytest.mark.parametrize("template_id", IDS)
def test_builtin_templates_are_the_current_version(template_id: str) -> None:
    template, path = find_template(template_id)
    assert path.read_bytes() == (TEMPLATES / path.name).read_bytes()
    assert template.version == CURRENT[template_id]


@pytest.mark.parametrize("path", OLD_REVIEWS, ids=lambda p: p.name)
def test_a_1_1_0_review_opens_with_the_current_templates_and_loses_nothing(path: Path) -> None:
    rf = load_review(path)
    now = CURRENT[rf.review.template]
    assert rf.template.version == now and rf.review.template_version == "1.1.0"
    assert rf.notices[0].startswith(f"made with {rf.review.template} 1.1.0; opened with {now}: ")
    blank = sum(1 for _, q in rf.template.questions() if q.id not in rf.review.answers)
    assert f": {blank} questions not answered yet, " in rf.notices[0]  # the added ones are blank: said
    raw = _raw_answers(path)
    assert len(rf.review.answers) == len(raw)  # moved or set aside, never dropped nor duplicated
    assert_nothing_lost(raw, rf.review, rf.template, "1.1.0")


@pytest.mark.parametrize("path", OLD_REVIEWS, ids=lambda p: p.name)
def test_a_1_1_0_review_saved_with_the_current_templates_keeps_every_answer(tmp_path: Path, path: Path) -> None:
    copy = tmp_path / path.name
    shutil.copyfile(path, copy)
    rf = load_review(copy)
    rf.review.program.description += " (saved once with the current templates)"
    save_review(rf)
    again = load_review(copy)
    assert len(again.review.answers) == len(_raw_answers(path))
    assert_nothing_lost(_raw_answers(path), again.review, again.template, "1.1.0")


def test_the_merged_latency_variance_question_takes_the_old_answer() -> None:
    # A review that answered only the merged-away question finds its answer under the surviving id.
    template = current("post-demo-review")
    q = template.question("latency-variance-monitored")
    assert q is not None and q.renamed_from == ("latency-variance-known",)
    assert template.question("latency-variance-known") is None


def _old_and_new() -> list[tuple[Template, Template]]:
    return [(old, current(old.id)) for old in (load_template(p) for p in OLD_TEMPLATES)]


@pytest.mark.parametrize("old,new", _old_and_new(), ids=lambda t: t.id if isinstance(t, Template) else "")
def test_every_1_1_0_question_and_choice_is_kept_with_its_meaning(old: Template, new: Template) -> None:
    merged = {o for _, q in new.questions() for o in q.renamed_from}
    for _, q in old.questions():
        now = new.question(q.id)
        if now is None:
            assert q.id in merged, f"{q.id} was removed without renamed_from"
            continue
        assert now.kind is q.kind and now.unit == q.unit and now.decision == q.decision, q.id
        assert (now.risk_if_yes, now.risk_if_no, now.assumption) == (q.risk_if_yes, q.risk_if_no, q.assumption), q.id
        for c in q.choices:
            kept = now.choice(c.id)
            assert kept is not None, f"{q.id}: choice {c.id} removed"
            assert kept.label == c.label, f"{q.id}: choice {c.id} changed its meaning"
            if (new.id, q.id, c.id) in REVISED:
                assert (c.risk, kept.risk) == (Risk.MEDIUM, Risk.NONE), (q.id, c.id)
            else:
                assert kept.risk == c.risk, f"{q.id}: choice {c.id} changed its risk"


def test_the_revised_choices_are_all_still_there() -> None:
    for template_id, qid, cid in REVISED:
        q = current(template_id).question(qid)
        assert q is not None and q.choice(cid) is not None and q.choice(cid).risk is Risk.NONE  # type: ignore[union-attr]


# --------------------------------------------------------------------------- a well-run program can pass


@pytest.mark.parametrize("template_id", IDS)
def test_every_question_has_an_answer_with_no_risk(template_id: str) -> None:
    for _, q in current(template_id).questions():
        if q.kind in (Kind.SINGLE, Kind.MULTI):
            assert any(c.risk is Risk.NONE and not c.blocker for c in q.choices), q.id
        elif q.kind is Kind.YES_NO:
            assert Risk.NONE in (q.risk_if_yes, q.risk_if_no), q.id


# How a well-run, internal, advisory program answers: the profile as it is, every other question with
# the evidenced answer, numbers within the defaults.
WELL_RUN = {"usage-mode": "interactive", "user-input-channels": ["typed-text"], "model-reads-content": ["own-vetted"],
            "output-reach": ["employees"], "data-sensitivity-classes": ["internal", "personal"],
            "model-actions-scope": "read-tools", "money-limits": "no-money", "action-rules-enforcement": "no-rules",
            "hallucination-decision-impact": "advisory", "eu-ai-act-role": "deployer", "eu-ai-act-category": ["minimal"],
            "vendor-assurance": ["all-committed"], "data-boundary-decision": "vendor-zero-retention",
            "ai-disclosure": "human-sends-undisclosed", "agent-action-types": ["read-only", "write-records"],
            "agent-autonomy-level": "autonomous-below-threshold"}
NUMBERS = {"latency-target-p95-ms": 5000, "latency-measured-p95-ms": 3000, "cost-per-outcome-current": 0.5,
           "cost-threshold-per-outcome": 2, "cost-tokens-per-user-day": 20000, "hitl-reviews-per-hour": 12,
           "hitl-catch-rate-threshold": 85, "hitl-catch-rate": 92, "human-correction-rate": 12, "eval-set-size": 600,
           "agent-max-steps": 12, "agent-spend-cap-per-run": 1}


def well_run(template: Template) -> Review:
    answers = {}
    for _, q in template.questions():
        value: Any
        if q.id in WELL_RUN:
            value = WELL_RUN[q.id]
        elif q.kind is Kind.NUMBER:
            value = NUMBERS[q.id]
        elif q.kind is Kind.TEXT:
            value = "Written down, with its evidence."
        elif q.kind is Kind.DATE:
            value = dt.date(2027, 1, 10)
        elif q.kind is Kind.YES_NO:
            value = q.risk_if_yes is Risk.NONE
        else:
            choice = next(c for c in q.choices if c.risk is Risk.NONE)
            value = [choice.id] if q.kind is Kind.MULTI else choice.id
        answers[q.id] = Answer(status=Status.ANSWERED, value=value)
    program = Program(name="Well run", stage=Stage.PILOT, review_date=TODAY)
    return Review(template=template.id, template_version=template.version, program=program, answers=answers)


@pytest.mark.parametrize("template_id", IDS)
def test_a_well_run_program_answering_honestly_is_a_production_candidate(template_id: str) -> None:
    # Advisory output, read-only tools, personal data among the classes, drafts sent as the sender's
    # own, writes below a threshold: sound designs, none of them a risk, and no check contradicts them.
    template = current(template_id)
    r = well_run(template)
    assert not {c.id for c in template.checks if holds(c.when, r)}
    a = assess(r, template, TODAY)
    assert a.verdict == PRODUCTION and a.high == a.medium == 0, a.reason


def test_time_boxes_still_make_a_two_hour_workshop() -> None:
    full = current("post-demo-review")
    assert sum(s.timebox_minutes for s in full.sections) == 120
    assert full.question_count() == 114 and "A hundred and fourteen questions" in full.description
    assert sum(s.timebox_minutes for s in current("agentic-addendum").sections) == 45
    assert current("agentic-addendum").question_count() == 26
    assert sum(s.timebox_minutes for s in current("quick-self-check").sections) == 20


NEW_IN_FULL = [
    "usage-mode", "user-input-channels", "model-reads-content", "output-reach", "data-subject-notice",
    "money-limits", "action-rules-enforcement", "eu-ai-act-role", "eu-ai-act-category", "eu-deployer-duties",
    "eu-fria", "gpai-downstream-docs", "product-regulation", "ai-inventory-entry", "vendor-assurance",
    "hitl-review-dwell", "unreviewed-output-controls", "ai-literacy", "success-threshold",
]
NEW_IN_ADDENDUM = ["agent-identity", "multi-agent-authority", "mcp-server-gaps", "agent-memory", "trajectory-evals"]


@pytest.mark.parametrize("template_id,qid", [("post-demo-review", q) for q in NEW_IN_FULL]
                         + [("agentic-addendum", q) for q in NEW_IN_ADDENDUM])
def test_each_new_question_explains_itself(template_id: str, qid: str) -> None:
    q = current(template_id).question(qid)
    assert q is not None and len(q.help) > 200, qid
    assert q.kind in (Kind.SINGLE, Kind.MULTI)


# --------------------------------------------------------------------------- rules in context


def review(template_id: str, **answers: Any) -> Review:
    """A review with these answers (keyword names use _ for -)."""
    made = {k.replace("_", "-"): Answer(status=Status.ANSWERED, value=v) for k, v in answers.items()}
    return Review(template=template_id, template_version=CURRENT[template_id], program=Program(name="P"), answers=made)


def rule_risk(template: Template, qid: str, r: Review) -> Risk | None:
    """The risk the question's first matching rule sets (None: its value's own risk stands)."""
    q = template.question(qid)
    assert q is not None
    rule = next((rule for rule in q.rules if holds(rule.when, r, qid)), None)
    return None if rule is None else rule.risk


def checks_holding(template: Template, r: Review) -> set[str]:
    return {c.id for c in template.checks if holds(c.when, r)}


FULL = "post-demo-review"


def test_injection_tests_by_hand_are_high_where_the_model_acts_or_the_public_reads_it() -> None:
    t = current(FULL)
    inside = review(FULL, prompt_injection_tested="manual-tries", user_input_channels=["typed-text"],
                    output_reach=["employees"], model_actions_scope="text-only")
    assert rule_risk(t, "prompt-injection-tested", inside) is None  # its own medium
    public = review(FULL, prompt_injection_tested="manual-tries", user_input_channels=["typed-text"],
                    output_reach=["public"], model_actions_scope="text-only")
    assert rule_risk(t, "prompt-injection-tested", public) is Risk.HIGH
    pays = review(FULL, prompt_injection_tested="manual-tries", user_input_channels=["typed-text"],
                  model_actions_scope="acts-unapproved")
    assert rule_risk(t, "prompt-injection-tested", pays) is Risk.HIGH


def test_direct_injection_falls_when_no_user_text_reaches_the_model() -> None:
    t = current(FULL)
    batch = review(FULL, prompt_injection_tested="not-tested", user_input_channels=["no-user-input"])
    assert rule_risk(t, "prompt-injection-tested", batch) is Risk.NONE
    speech = review(FULL, prompt_injection_tested="not-tested", user_input_channels=["speech"])
    assert rule_risk(t, "prompt-injection-tested", speech) is Risk.MEDIUM
    chat = review(FULL, prompt_injection_tested="not-tested", user_input_channels=["typed-text", "speech"])
    assert rule_risk(t, "prompt-injection-tested", chat) is None  # its own high
    unknown = review(FULL, prompt_injection_tested="not-tested")  # the profile not answered: no discount
    assert rule_risk(t, "prompt-injection-tested", unknown) is None
    q = t.question("prompt-injection-tested")
    assert q is not None and not holds(q.applies_when, batch) and holds(q.applies_when, chat)


def test_indirect_injection_matters_only_where_others_write_what_the_model_reads() -> None:
    t = current(FULL)
    vetted = review(FULL, indirect_injection_tested="not-considered", model_reads_content=["own-vetted", "records"])
    assert rule_risk(t, "indirect-injection-tested", vetted) is Risk.NONE
    email = review(FULL, indirect_injection_tested="not-considered", model_reads_content=["own-vetted", "others-write"])
    assert rule_risk(t, "indirect-injection-tested", email) is None
    got_through = review(FULL, indirect_injection_tested="attack-got-through", model_reads_content=["own-vetted"])
    assert rule_risk(t, "indirect-injection-tested", got_through) is None  # an attack that got in still counts
    partial_acting = review(FULL, indirect_injection_tested="partly-tested", model_reads_content=["web"],
                            model_actions_scope="acts-approved-in-code")
    assert rule_risk(t, "indirect-injection-tested", partial_acting) is Risk.HIGH


def test_low_stakes_is_not_low_stakes_beside_a_model_that_acts_without_approval() -> None:
    t = current(FULL)
    assert rule_risk(t, "hallucination-decision-impact",
                     review(FULL, hallucination_decision_impact="low-stakes", model_actions_scope="acts-unapproved")) is Risk.HIGH
    assert rule_risk(t, "hallucination-decision-impact",
                     review(FULL, hallucination_decision_impact="low-stakes", output_reach=["customers"])) is Risk.MEDIUM
    assert rule_risk(t, "hallucination-decision-impact",
                     review(FULL, hallucination_decision_impact="low-stakes", model_actions_scope="text-only",
                            output_reach=["employees"])) is None
    quick = current("quick-self-check")
    assert rule_risk(quick, "hallucination-decision-impact",
                     review("quick-self-check", hallucination_decision_impact="low-stakes",
                            model_actions_scope="acts-unapproved")) is Risk.HIGH


def test_latency_questions_may_be_not_applicable_for_batch_work_only() -> None:
    t = current(FULL)
    batch, chat = review(FULL, usage_mode="batch"), review(FULL, usage_mode="interactive")
    for qid in ("latency-measured-p95-ms", "latency-variance-monitored", "latency-budget-breakdown", "latency-user-tolerance"):
        q = t.question(qid)
        assert q is not None and q.applies_when, qid
        assert not holds(q.applies_when, batch), qid  # not applicable allowed
        assert holds(q.applies_when, chat), qid  # a person waits: it applies
    # The quick check has no profile: the measured p95 is not applicable only where the target is.
    quick = current("quick-self-check").question("latency-measured-p95-ms")
    target_na = Review(template="quick-self-check", template_version=CURRENT["quick-self-check"], program=Program(name="P"),
                       answers={"latency-target-p95-ms": Answer(status=Status.NOT_APPLICABLE, reason="batch")})
    assert quick is not None and not holds(quick.applies_when, target_na)
    assert holds(quick.applies_when, review("quick-self-check"))


def test_a_sound_design_is_lowered_where_its_controls_hold() -> None:
    t = current(FULL)
    governed = review(FULL, data_sensitivity_classes=["personal", "special-category"],
                      regulatory_classification="classified-assessed", data_subject_notice="all-told",
                      data_erasure="every-store-tried", data_boundary_decision="private-tenancy")
    assert rule_risk(t, "data-sensitivity-classes", governed) is Risk.NONE
    untold = review(FULL, data_sensitivity_classes=["special-category"], regulatory_classification="classified-assessed",
                    data_subject_notice="users-only", data_erasure="every-store-tried")
    assert rule_risk(t, "data-sensitivity-classes", untold) is None
    assert rule_risk(t, "demo-infra-parity", review(FULL, demo_infra_parity="partial", infra_untested=["all-tested"])) is Risk.NONE
    # Gaps judged by their own question are not counted twice; gaps nothing else asks about still count.
    assert rule_risk(t, "demo-gaps-not-shown", review(FULL, demo_gaps_not_shown=["concurrency", "messy-data"])) is Risk.NONE
    assert rule_risk(t, "demo-gaps-not-shown", review(FULL, demo_gaps_not_shown=["concurrency", "real-users"])) is None


def test_personal_data_makes_erasure_and_notice_applicable() -> None:
    t = current(FULL)
    personal, public = review(FULL, data_sensitivity_classes=["personal"]), review(FULL, data_sensitivity_classes=["public"])
    for qid in ("data-erasure", "data-subject-notice"):
        q = t.question(qid)
        assert q is not None and holds(q.applies_when, personal) and not holds(q.applies_when, public), qid


# --------------------------------------------------------------------------- checks and harms


def test_the_full_review_checks_at_least_eight_contradictions() -> None:
    t = current(FULL)
    assert len(t.checks) >= 8 and len({c.id for c in t.checks}) == len(t.checks)
    for c in t.checks:
        assert c.message.endswith(".") and len(c.message) > 40, c.id
    assert len(current("agentic-addendum").checks) >= 4


@pytest.mark.parametrize("check_id,contradiction,consistent", [
    ("rubber-stamping", {"human_correction_rate": 2, "hitl_reviews_per_hour": 90},
     {"human_correction_rate": 2, "hitl_reviews_per_hour": 20, "hitl_review_dwell": "measured-adequate"}),
    ("advisory-but-unchecked", {"hallucination_decision_impact": "advisory", "output_reach": ["customers"]},
     {"hallucination_decision_impact": "advisory", "output_reach": ["employees"]}),
    ("review-claimed-nobody-checks", {"hitl_review_design": "everything-undesigned", "output_reach": ["public"]},
     {"hitl_review_design": "everything-undesigned", "output_reach": ["nobody"]}),
    ("low-stakes-beside-money", {"hallucination_decision_impact": "low-stakes", "money_limits": "limits-in-code"},
     {"hallucination_decision_impact": "low-stakes", "money_limits": "no-money"}),
    ("success-without-measure", {"success_definition": "Drafts sent with light edits", "success_measured": "activity-proxy"},
     {"success_definition": "Drafts sent with at most 10% edited", "success_measured": "outcome-measured",
      "success_threshold": "agreed-threshold"}),
    ("zero-retention-but-full-logs", {"data_boundary_decision": "vendor-zero-retention", "data_logging_retention": "full-no-policy"},
     {"data_boundary_decision": "vendor-zero-retention", "data_logging_retention": "redacted-retention"}),
    ("date-before-signoff", {"launch_date_committed": "2027-01-15", "launch_signoffs_missing": ["security"]},
     {"launch_date_committed": "2027-01-15", "launch_signoffs_missing": ["none-missing"]}),
    ("unpinned-silent-change", {"model_choice": "demo-default", "vendor_assurance": ["change-notice"]},
     {"model_choice": "chosen-pinned", "model_update_policy": "pinned-eval-gate", "vendor_assurance": ["change-notice"]}),
])
def test_a_check_names_the_contradiction_and_only_that(check_id: str, contradiction: dict[str, Any],
                                                       consistent: dict[str, Any]) -> None:
    t = current(FULL)
    assert check_id in checks_holding(t, review(FULL, **contradiction))
    assert check_id not in checks_holding(t, review(FULL, **consistent))


def test_the_success_check_catches_a_definition_nobody_measures() -> None:
    # "Drafts sent with light edits", measured by hand, with no number: the definition cannot fail.
    r = review(FULL, success_definition="Drafts sent with light edits", success_measured="outcome-by-hand",
               success_threshold="no-number")
    assert "success-without-measure" in checks_holding(current(FULL), r)
    measured = review(FULL, success_definition="Drafts sent with light edits", success_measured="outcome-by-hand",
                      success_threshold="number-no-baseline")
    assert "success-without-measure" not in checks_holding(current(FULL), measured)
    q = current(FULL).question("success-threshold")
    assert q is not None and q.critical and q.choice("no-number").risk is Risk.HIGH  # type: ignore[union-attr]


def test_harms_name_what_the_program_can_do() -> None:
    t = current(FULL)
    assert {h.id for h in t.harms} >= {"money-moved", "irreversible-actions", "unchecked-to-people",
                                        "people-not-told", "regulated-decisions"}
    held = {h.id for h in t.harms if holds(h.when, review(FULL, money_limits="prompt-limit", output_reach=["public"]))}
    assert held == {"money-moved", "unchecked-to-people"}
    assert not {h.id for h in t.harms if holds(h.when, review(FULL, money_limits="no-money", output_reach=["employees"],
                                                                model_actions_scope="text-only"))}
    for h in t.harms:
        assert 1 <= h.weight <= 10 and len(h.questions) >= 3, h.id


def test_blockers_stay_few() -> None:
    def blockers(template_id: str) -> set[tuple[str, str]]:
        return {(q.id, c.id) for _, q in current(template_id).questions() for c in q.choices if c.blocker}

    assert blockers(FULL) == {("retrieval-access-control", "shared-index"), ("model-actions-scope", "acts-unapproved")}
    assert blockers("agentic-addendum") == {("approval-gates-irreversible", "none-gated"),
                                            ("approval-gates-irreversible", "prompt-gated"),
                                            ("lethal-combination", "all-three-unbroken")}


def test_an_unwatched_source_is_a_high_risk_for_a_batch_nobody_waits_on() -> None:
    t = current(FULL)
    batch = review(FULL, data_format_change="scheduled-unmonitored", usage_mode="batch")
    assert rule_risk(t, "data-format-change", batch) is Risk.HIGH
    chat = review(FULL, data_format_change="scheduled-unmonitored", usage_mode="interactive")
    assert rule_risk(t, "data-format-change", chat) is None  # its own medium: a user notices an empty answer
    watched = review(FULL, data_format_change="checked-alerting", usage_mode="batch")
    assert rule_risk(t, "data-format-change", watched) is None


def test_a_team_cannot_own_data_that_belongs_to_customers_or_the_people_in_it() -> None:
    t = current(FULL)
    clients = review(FULL, data_owner_named="team", data_sensitivity_classes=["customer-contract"])
    assert rule_risk(t, "data-owner-named", clients) is Risk.HIGH
    health = review(FULL, data_owner_named="team", data_sensitivity_classes=["personal", "special-category"])
    assert rule_risk(t, "data-owner-named", health) is Risk.HIGH
    internal = review(FULL, data_owner_named="team", data_sensitivity_classes=["internal"])
    assert rule_risk(t, "data-owner-named", internal) is None
    named = review(FULL, data_owner_named="named", data_sensitivity_classes=["customer-contract"])
    assert rule_risk(t, "data-owner-named", named) is None


def test_permissions_left_to_the_prompt_are_raised_by_context_where_the_documents_are_confidential() -> None:
    t = current(FULL)
    confidential = review(FULL, retrieval_access_control="prompt-instructions", data_sensitivity_classes=["confidential"])
    assert rule_risk(t, "retrieval-access-control", confidential) is Risk.HIGH
    public = review(FULL, retrieval_access_control="prompt-instructions", data_sensitivity_classes=["public"])
    assert rule_risk(t, "retrieval-access-control", public) is None  # its own high, not raised by context


def test_concerns_name_real_questions_each_in_one_concern_and_share_ids_across_the_two_reviews() -> None:
    full, addendum = current(FULL), current("agentic-addendum")
    assert len(full.concerns) >= 10
    for t in (full, addendum):
        assert not rule_problems(t, "t")
    assert {c.id for c in addendum.concerns} - {c.id for c in full.concerns} == {"runaway-agent"}


def test_how_the_app_authenticates_to_the_model_may_be_not_applicable_only_for_a_bought_product() -> None:
    t = current(FULL)
    q = t.question("model-access-auth")
    assert q is not None
    bought = review(FULL, build_vs_buy="buy")  # the vendor calls its own model; the buyer holds no key
    assert not holds(q.applies_when, bought)
    built = review(FULL, build_vs_buy="build")
    assert holds(q.applies_when, built)


def test_the_upgrade_notice_counts_the_blanks_that_score_as_high(tmp_path: Path) -> None:
    from workbook.core.judgement import high_capable
    rf = load_review(OLD_REVIEWS[0])
    blank = [q.id for _, q in rf.template.questions() if q.id not in rf.review.answers]
    risky = len(set(blank) & high_capable(rf.template))
    assert 0 < risky <= len(blank)
    assert rf.notices[0].endswith(f": {len(blank)} questions not answered yet, {risky} of them counted as a "
                                  "high risk until answered")


def test_a_program_that_decides_by_design_reaches_production_while_its_controls_hold() -> None:
    # An unattended batch that closes items on its own drives high-stakes decisions by design: medium,
    # not high, while its evaluation meets every threshold and what goes unreviewed is checked and
    # sampled; high again the moment either control fails or is not known.
    t = current(FULL)
    r = well_run(t)
    r.answers["hallucination-decision-impact"] = Answer(status=Status.ANSWERED, value="direct-high-stakes")
    r.answers["output-reach"] = Answer(status=Status.ANSWERED, value=["employees", "other-systems"])
    r.answers["unreviewed-output-controls"] = Answer(status=Status.ANSWERED, value="checks-and-sampling")
    r.answers["action-rules-enforcement"] = Answer(status=Status.ANSWERED, value="all-in-code")
    a = assess(r, t, TODAY)
    assert a.verdict == PRODUCTION and a.high == 0 and a.medium == 1, a.reason
    r.answers["eval-latest-run-meets-thresholds"] = Answer(status=Status.ANSWERED, value="misses-a-slice")
    assert rule_risk(t, "hallucination-decision-impact", r) is None  # the choice's own high stands
    r.answers["eval-latest-run-meets-thresholds"] = Answer(status=Status.ANSWERED, value="meets-all")
    r.answers["unreviewed-output-controls"] = Answer(status=Status.ANSWERED, value="sampling-after")
    assert rule_risk(t, "hallucination-decision-impact", r) is None
    del r.answers["unreviewed-output-controls"]
    assert rule_risk(t, "hallucination-decision-impact", r) is None  # not known is not a control


def test_a_missing_agent_stop_is_medium_only_for_an_agent_that_reads_and_suggests() -> None:
    t = current("agentic-addendum")
    reads = review("agentic-addendum", agent_kill_switch=False, agent_action_types=["read-only"],
                   agent_autonomy_level="suggest-only")
    assert rule_risk(t, "agent-kill-switch", reads) is Risk.MEDIUM
    writes = review("agentic-addendum", agent_kill_switch=False, agent_action_types=["read-only", "write-records"],
                    agent_autonomy_level="suggest-only")
    assert rule_risk(t, "agent-kill-switch", writes) is None  # the choice's own high stands
    acts = review("agentic-addendum", agent_kill_switch=False, agent_action_types=["read-only"],
                  agent_autonomy_level="approve-irreversible")
    assert rule_risk(t, "agent-kill-switch", acts) is None
    assert rule_risk(t, "agent-kill-switch", review("agentic-addendum", agent_kill_switch=False)) is None  # unknown scope
