"""The samples read as a seasoned program lead would sign them (issue 14, "Samples a reviewer believes").

Each sample is held to its verdict and to its first three priorities (the 'Start with' list), in order,
with the reason an expert starts there; the two partial reviews also to their completeness. A change
to a sample's answers that moves any of these should be a deliberate change of judgement, made here too.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from workbook.core.risk import Level
from workbook.core.scoring import DEMO_ONLY, PILOT, Assessment, assess
from workbook.core.store import load_review

SAMPLES = Path(__file__).resolve().parent.parent.parent / "sample_programs"
TODAY = dt.date(2026, 11, 26)


def judged(name: str) -> Assessment:
    rf = load_review(SAMPLES / f"{name}.toml")
    return assess(rf.review, rf.template, TODAY)


def first_three(a: Assessment) -> list[str]:
    return [p.question_id for p in a.start_with]


def level_of(a: Assessment, qid: str) -> Level:
    return next(r.level for s in a.sections for r in s.results if r.question.id == qid)


def test_support_copilot_starts_with_its_data_not_with_latency() -> None:
    a = judged("customer-support-copilot")
    assert a.verdict == DEMO_ONLY
    assert [b.question.id for b in a.blockers] == ["retrieval-access-control"]
    assert a.weakest is not None and a.weakest.id == "data"
    assert first_three(a) == [
        # One shared index serves vulnerable customers' tickets (health notes included) to any of 600
        # agents: a leak on day one of a pilot, and no score outweighs it.
        "retrieval-access-control",
        # Nobody owns the CRM account data that feeds the drafts: nobody can approve its use, the DPIA
        # or the fix above, which is the first finding the data section looks for.
        "data-owner-named",
        # The data-boundary decision is 13 days overdue: no production key, no DPIA, no model choice, and
        # the demo's prompts (customer PII) stay in a tracing SaaS no decision covers until it is made.
        "data-boundary-decision",
    ]
    # No model is chosen yet: latency measured on the placeholder is provisional and not where to start.
    assert not any(p.section_id == "latency" for p in a.priorities[:10])
    assert a.completeness < 1  # a first review after the demo: a few questions still open


def test_contract_extractor_starts_with_silent_failures_and_the_catch_rate() -> None:
    a = judged("contract-clause-extractor")
    assert a.verdict == PILOT and a.completeness == 1
    assert first_three(a) == [
        # The overnight run has failed silently twice and the paralegals found out the next morning:
        # a register the regulator reads cannot depend on someone noticing a gap.
        "degradation-detection",
        # Every extraction is reviewed, so the review is the control, and its catch rate (81%) is under
        # the team's own go/no-go threshold (85%) and falling: the program cannot go to 9,000 contracts.
        "hitl-catch-rate",
        # The weak slices (8% non-English contracts, poor scans) go through the same extraction instead
        # of to the manual queue: that is where the wrong fields the reviewers miss come from.
        "out-of-scope-requests",
    ]
    # The overnight batch's 71 s p95 is judged against its own 120 s target, not the interactive default.
    assert level_of(a, "latency-measured-p95-ms") is Level.NONE
    hitl = next(s for s in a.sections if s.id == "human-in-the-loop")
    assert hitl.score is not None and hitl.score < 100


def test_claims_triage_starts_with_what_it_pays_and_the_injection_it_let_through() -> None:
    a = judged("claims-triage-agent")
    assert a.verdict == DEMO_ONLY
    assert [b.question.id for b in a.blockers] == ["model-actions-scope"]
    assert first_three(a) == [
        # The agent pays glass claims through the payments API with no person in between: a blocker.
        "model-actions-scope",
        # Its routing and fraud flags decide how fast a customer is paid and whether fraud investigates
        # them: the same autonomy seen from the decision side, on a critical question.
        "hallucination-decision-impact",
        # A planted estimate re-routed a claim and the only fix is a prompt change: nothing outside the
        # prompt stops the next wording, so the attack is not fixed.
        "indirect-injection-tested",
    ]
    # Special-category data (medical letters, police reports) kept in traces with no limit is a high risk,
    # though not a critical question: it follows the critical ones.
    assert level_of(a, "data-logging-retention") is Level.HIGH
    assert any(p.question_id == "data-logging-retention" for p in a.priorities)
    # Partial on purpose: a two-hour session on risk, humans in the loop and failure; the rest is left
    # unanswered for the follow-up, as real teams do.
    assert 0.5 <= a.completeness < 0.6
    assert (a.answered, a.applicable) == (49, 96)


def test_claims_agent_actions_start_with_its_two_blockers() -> None:
    a = judged("claims-triage-agent-actions")
    assert a.verdict == DEMO_ONLY and a.completeness == 1
    assert {b.question.id for b in a.blockers} == {"approval-gates-irreversible", "lethal-combination"}
    assert first_three(a) == [
        # Nothing the agent does waits for a person: under GBP 500 it pays, and it emails customers.
        "approval-gates-irreversible",
        # One run reads a claimant's email, can pull any customer's claims and can send them out (any
        # URL, an email, a note): the lethal combination, unbroken.
        "lethal-combination",
        # The per-run spend cap is six days overdue before the storm season, with 80-step runs allowed.
        "agent-spend-cap-per-run",
    ]
    # A payment tool that only type-checks its arguments is its own high risk.
    assert level_of(a, "tool-argument-validation") is Level.HIGH


def test_code_assistant_is_a_pilot_because_reviewers_may_rubber_stamp_not_because_of_secrets() -> None:
    a = judged("internal-code-assistant")
    # Pilot with guardrails, not production candidate: every section scores 80 or more and secrets in
    # code are exposure whose controls hold (secret scanning, redacted logs, query-time permissions), but
    # one high risk remains: nobody can see whether reviewers read Forge-assisted code, the only control
    # between generated code and production, and GA multiplies that code by 3.5.
    assert a.verdict == PILOT and a.completeness == 1
    assert a.overall >= 80 and a.high == 1
    assert level_of(a, "data-sensitivity-classes") is Level.MEDIUM
    assert first_three(a) == [
        # The one high risk: reviewers approving Forge-assisted code without reading it cannot be seen.
        "trust-erosion-signals",
        # Over-trust is tracked by acceptance rate only; seeded errors were rejected, so the catch rate is
        # unknown.
        "hitl-trust-calibration",
        # Chat answers about runbooks during incidents are the team's own named risk, advisory with
        # unverified citations.
        "hallucination-decision-impact",
    ]


def test_sales_email_generator_stays_a_partial_self_check() -> None:
    a = judged("sales-email-generator")
    assert a.verdict == DEMO_ONLY
    assert first_three(a) == [
        # Eight big-name prospects the model already knew; the real list is small firms with thin sites.
        "demo-data-source",
        # The VP of sales believes the demo proved it and wants it in every sequence this quarter.
        "sponsor-accepted-unproven",
        # At 200 emails a rep a day nobody checks each draft: made-up facts go out under the company's name.
        "hallucination-decision-impact",
    ]
    # Drafts are made in the morning batch: nobody waits on one, so latency is not judged as a wait.
    assert level_of(a, "latency-measured-p95-ms") is Level.NOT_APPLICABLE
    # A 20-minute self-check by one person: some questions are left for the full review.
    assert (a.answered, a.applicable) == (20, 23) and a.completeness < 1
