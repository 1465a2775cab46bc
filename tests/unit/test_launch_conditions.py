"""A sound program is a production candidate with a few launch conditions, and its launch gate leads
(issue 23, after blind rounds 4 and 5: reviewers signed production for sound programs whose only highs
were a missing sign-off or a cost driver left out of the model, and led them with the sign-offs).

Also the general rules added with it: an unreviewed gate list on an agent that pays or sends alone, an
outbound allow-list that still joins the lethal three, rubber-stamping unseen twice, retrieval
permissions with no requesting user, and the hostile-users gap where no user text reaches the model.
"""

from __future__ import annotations

from typing import Any

from tests.conftest import TODAY
from tests.unit.test_templates_v12 import FULL, current, review, rule_risk, well_run
from workbook.core.judgement import na_allowed
from workbook.core.models import Answer, Review, Risk, Status
from workbook.core.priorities import standing
from workbook.core.scoring import PILOT, PRODUCTION, assess
from workbook.core.templates import rule_problems

ADDENDUM = "agentic-addendum"


def answered(r: Review, **answers: Any) -> Review:
    for key, value in answers.items():
        r.answers[key.replace("_", "-")] = Answer(status=Status.ANSWERED, value=value)
    return r


def sound(**answers: Any) -> Review:
    return answered(well_run(current(FULL)), **answers)


def test_a_sound_program_with_a_missing_sign_off_is_a_production_candidate_that_names_it() -> None:
    t = current(FULL)
    a = assess(sound(launch_signoffs_missing=["security"]), t, TODAY)
    assert a.verdict == PRODUCTION and a.high == 1, a.reason
    assert "To close before launch: 1 launch condition (“Which launch sign-offs are still missing?”)" in a.reason
    assert "holds the verdict at pilot" not in a.reason
    assert a.priorities[0].question_id == "launch-signoffs-missing"


def test_three_launch_conditions_are_a_checklist_four_are_not() -> None:
    t = current(FULL)
    three = sound(launch_signoffs_missing=["security"], cost_hidden_drivers=["human-review"],
                  trust_erosion_signals=["rising-edits"])
    a = assess(three, t, TODAY)
    assert a.verdict == PRODUCTION and "holds the verdict at pilot" not in a.reason, a.reason
    four = answered(three, infra_untested=["quotas"])
    a = assess(four, t, TODAY)
    assert a.verdict == PILOT and "4 high risks" in a.reason, a.reason


def test_a_high_on_a_critical_question_holds_a_sound_program_at_pilot() -> None:
    t = current(FULL)
    q = t.question("eval-latest-run-meets-thresholds")
    assert q is not None and q.critical
    a = assess(sound(eval_latest_run_meets_thresholds="misses-a-slice"), t, TODAY)
    assert a.verdict == PILOT and "launch condition" not in a.reason, a.reason


def test_a_high_raised_by_context_holds_a_sound_program_at_pilot() -> None:
    t = current(FULL)
    # Rubber-stamping unseen, and the review's own time per item not measured: raised by a rule.
    r = sound(trust_erosion_signals=["rubber-stamping"], hitl_review_dwell="not-measured")
    assert rule_risk(t, "trust-erosion-signals", r) is Risk.HIGH
    assert assess(r, t, TODAY).verdict == PILOT
    # The same gap alone, with dwell measured and over-trust seeded: a launch condition.
    r = sound(trust_erosion_signals=["rubber-stamping"])
    assert rule_risk(t, "trust-erosion-signals", r) is None
    assert assess(r, t, TODAY).verdict == PRODUCTION


def test_marking_a_launch_condition_unknown_never_lifts_the_verdict() -> None:
    t = current(FULL)
    r = sound(launch_signoffs_missing=["security"], cost_hidden_drivers=["human-review"],
              trust_erosion_signals=["rising-edits"], infra_untested=["quotas"])
    assert assess(r, t, TODAY).verdict == PILOT
    r.answers["infra-untested"] = Answer(status=Status.UNKNOWN)
    assert assess(r, t, TODAY).verdict == PILOT  # unknown where a high is possible counts like one
    critical = sound()
    critical.answers["eval-latest-run-meets-thresholds"] = Answer(status=Status.UNKNOWN)
    a = assess(critical, t, TODAY)
    assert a.verdict == PILOT and "1 unknown answer where a high risk is possible" in a.reason, a.reason


def test_the_launch_gate_leads_only_a_production_candidate() -> None:
    t = current(FULL)
    assert t.launch_gate == ("launch-signoffs-missing", "ai-incident-disclosure")
    r = sound(ai_incident_disclosure="general-process", vendor_exit_plan="abstraction-only")
    a = assess(r, t, TODAY)
    assert a.verdict == PRODUCTION
    assert [p.question_id for p in a.priorities[:2]] == ["ai-incident-disclosure", "vendor-exit-plan"]
    assert a.priorities[0].gate and standing(a.priorities[0]) < standing(a.priorities[1])
    # The same two mediums in a pilot (a critical high holds it): template order and harm, no gate.
    answered(r, eval_latest_run_meets_thresholds="misses-a-slice")
    pilot = assess(r, t, TODAY)
    assert pilot.verdict == PILOT and not any(p.gate for p in pilot.priorities)
    assert [p.question_id for p in pilot.priorities if p.severity == "medium"][:2] == [
        "vendor-exit-plan", "ai-incident-disclosure"]


def test_validate_refuses_a_launch_gate_naming_a_missing_question() -> None:
    t = current(FULL).model_copy(update={"launch_gate": ("launch-signoffs-missing", "no-such-question")})
    problems = rule_problems(t, "t.toml")
    assert any(p.where == "launch_gate[1]" and "no-such-question" in p.message for p in problems), problems


# --------------------------------------------------------------------------- the rules added with it


def test_an_unreviewed_gate_list_is_high_on_an_agent_that_pays_or_sends_alone() -> None:
    t = current(ADDENDUM)
    alone = review(ADDENDUM, approval_gates_irreversible="some-gated-code",
                   agent_autonomy_level="autonomous-below-threshold", agent_action_types=["read-only", "move-money"])
    assert rule_risk(t, "approval-gates-irreversible", alone) is Risk.HIGH
    approves = review(ADDENDUM, approval_gates_irreversible="some-gated-code",
                      agent_autonomy_level="approve-irreversible", agent_action_types=["read-only", "move-money"])
    assert rule_risk(t, "approval-gates-irreversible", approves) is None  # a person approves: medium stands
    writes = review(ADDENDUM, approval_gates_irreversible="some-gated-code",
                    agent_autonomy_level="autonomous-below-threshold", agent_action_types=["write-records"])
    assert rule_risk(t, "approval-gates-irreversible", writes) is None


def test_an_outbound_allow_list_still_joins_the_three_while_injection_is_untested_and_tools_stay() -> None:
    t = current(ADDENDUM)
    joined = review(ADDENDUM, lethal_combination="outbound-filtered", tool_output_injection_tested="some-sources",
                    untrusted_content_isolation="filtered")
    assert rule_risk(t, "lethal-combination", joined) is Risk.HIGH
    tested = review(ADDENDUM, lethal_combination="outbound-filtered", tool_output_injection_tested="suite-all-sources",
                    untrusted_content_isolation="filtered")
    assert rule_risk(t, "lethal-combination", tested) is None
    drops = review(ADDENDUM, lethal_combination="outbound-filtered", tool_output_injection_tested="not-tested",
                   untrusted_content_isolation="privileges-drop")
    assert rule_risk(t, "lethal-combination", drops) is None


def test_retrieval_permissions_may_be_not_applicable_where_no_user_makes_the_request() -> None:
    t = current(FULL)
    q = t.question("retrieval-access-control")
    assert q is not None
    batch = review(FULL, model_reads_content=["records"], user_input_channels=["no-user-input"])
    assert na_allowed(q, batch)
    asked = review(FULL, model_reads_content=["records"], user_input_channels=["typed-text"])
    assert not na_allowed(q, asked)
    unsaid = review(FULL, model_reads_content=["records"])
    assert not na_allowed(q, unsaid)  # who asks is not answered yet: it may apply


def test_the_hostile_users_gap_is_judged_by_the_injection_questions_that_apply() -> None:
    t = current(FULL)
    r = review(FULL, demo_gaps_not_shown=["hostile-users"], indirect_injection_tested="tested-mitigated")
    r.answers["prompt-injection-tested"] = Answer(status=Status.NOT_APPLICABLE, reason="no user text")
    assert rule_risk(t, "demo-gaps-not-shown", r) is Risk.NONE
    del r.answers["prompt-injection-tested"]
    assert rule_risk(t, "demo-gaps-not-shown", r) is None  # not answered: the gap's own high stands


def test_the_eu_ai_act_category_is_not_applicable_where_legal_put_the_act_out_of_scope() -> None:
    # Found by blind round 6 (a US school district): its role is out of scope, so is its category.
    t = current(FULL)
    q = t.question("eu-ai-act-category")
    assert q is not None
    assert na_allowed(q, review(FULL, eu_ai_act_role="out-of-scope"))
    assert not na_allowed(q, review(FULL, eu_ai_act_role="deployer"))
    assert not na_allowed(q, review(FULL))  # the role not answered yet: it may apply


def test_advisory_output_feeding_systems_is_no_contradiction_where_checks_block_and_sample_it() -> None:
    # Found by blind round 6 (tags to a data mart, checked and sampled; people decide every reply).
    t = current(FULL)
    check = next(c for c in t.checks if c.id == "advisory-but-unchecked")
    from workbook.core.expr import holds

    systems = review(FULL, hallucination_decision_impact="advisory", output_reach=["employees", "other-systems"])
    assert holds(check.when, systems)  # the controls not answered: unknown is not a control
    answered(systems, unreviewed_output_controls="checks-and-sampling")
    assert not holds(check.when, systems)
    public = review(FULL, hallucination_decision_impact="advisory", output_reach=["public"],
                    unreviewed_output_controls="checks-and-sampling")
    assert holds(check.when, public)  # what the public reads unchecked is not advisory, whatever the checks


def test_marking_a_rule_raised_high_unknown_does_not_make_it_a_launch_condition() -> None:
    # Found by the property test: 'no rules needed' beside a model that acts is raised to high by a
    # rule; marked unknown, no rule holds any more, yet it must not become a launch condition.
    t = current(FULL)
    r = sound(action_rules_enforcement="no-rules", model_actions_scope="acts-approved-in-code")
    assert assess(r, t, TODAY).verdict == PILOT
    r.answers["action-rules-enforcement"] = Answer(status=Status.UNKNOWN)
    a = assess(r, t, TODAY)
    assert a.verdict == PILOT and "unknown answer where a high risk is possible" in a.reason, a.reason


def test_a_required_dpia_not_done_is_high_once_real_personal_data_is_processed() -> None:
    # After round 8 (not blind): eight reviewers led with the legal classification; where legal says a
    # DPIA is required and it is not done while the pilot already processes real personal data, the
    # assessment is late, not booked (GDPR Art. 35: before the processing).
    t = current(FULL)
    live = review(FULL, regulatory_classification="classified-assessment-pending",
                  data_sensitivity_classes=["internal", "personal"], demo_gaps_not_shown=["concurrency"])
    assert rule_risk(t, "regulatory-classification", live) is Risk.HIGH
    not_yet = review(FULL, regulatory_classification="classified-assessment-pending",
                     data_sensitivity_classes=["personal"], demo_gaps_not_shown=["regulated-data"])
    assert rule_risk(t, "regulatory-classification", not_yet) is None  # booked before real data: medium
    no_people = review(FULL, regulatory_classification="classified-assessment-pending",
                       data_sensitivity_classes=["internal"], demo_gaps_not_shown=["concurrency"])
    assert rule_risk(t, "regulatory-classification", no_people) is None
    unsaid = review(FULL, regulatory_classification="classified-assessment-pending",
                    data_sensitivity_classes=["personal"])
    assert rule_risk(t, "regulatory-classification", unsaid) is None  # what the pilot exercised not answered
