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
    # Re-read after the concerns (one problem is one high risk in a section's score): the data section,
    # with the shared index, the overdue boundary and full logs of customer PII, is the weakest; the
    # blocker decides the verdict anyway.
    assert a.weakest is not None and a.weakest.id == "data"
    assert first_three(a) == [
        # One shared index serves vulnerable customers' tickets (health notes included) to any of 600
        # agents: a leak on day one of a pilot, and no score outweighs it.
        "retrieval-access-control",
        # The data-boundary decision is 13 days overdue: no production key, no DPIA, no model choice, and
        # the demo's prompts (customer PII) stay in a tracing SaaS no decision covers until it is made.
        "data-boundary-decision",
        # The launch scope is 12 days overdue: nobody has said which customers the pilot may reach.
        "launch-scope",
    ]
    # Nobody owns the CRM data that holds health notes: a high risk, after the late decisions and the
    # data risks whose harm reaches more people (logging, erasure, notice).
    owner = next(p for p in a.priorities if p.question_id == "data-owner-named")
    assert owner.severity == "high" and owner.harm > 0
    # No model is chosen yet: latency measured on the placeholder is provisional and not where to start.
    assert not any(p.section_id == "latency" for p in a.priorities[:10])
    assert a.completeness < 1  # a first review after the demo: a few questions still open


def test_contract_extractor_starts_with_silent_failures_and_the_catch_rate() -> None:
    a = judged("contract-clause-extractor")
    assert a.verdict == PILOT and a.completeness == 1
    assert first_three(a) == [
        # Every extraction is reviewed, so the review is the control, and its catch rate (81%) is under
        # the team's own go/no-go threshold (85%) and falling: a failed go/no-go of the team's own leads.
        "hitl-catch-rate",
        # The overnight run has failed silently twice and the paralegals found out the next morning:
        # a register the regulator reads cannot depend on someone noticing a gap.
        "degradation-detection",
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
        # Its own go/no-go fails: a 410 s p95 against the team's 300 s target, measured and simulated
        # (one priority, both reasons).
        "latency-measured-p95-ms",
        # Jailbreaks tried by hand on a model that pays: raised to high by the rule in context.
        "prompt-injection-tested",
    ]
    # The planted estimate that re-routed a claim, fixed only in the prompt, is the same problem
    # (instructions injected into what the model reads): folded into the third priority.
    assert "indirect-injection-tested" in a.priorities[2].also
    # Special-category data (medical letters, police reports) kept in traces with no limit is a high risk,
    # though not a critical question: it is the same problem as the data boundary (where the data goes
    # and how long it stays), folded into that priority.
    assert level_of(a, "data-logging-retention") is Level.HIGH
    assert any("data-logging-retention" in p.also for p in a.priorities if p.question_id == "data-boundary-decision")
    # Partial on purpose: a two-hour session on risk, humans in the loop and failure; the rest is left
    # unanswered for the follow-up, as real teams do.
    assert 0.45 <= a.completeness < 0.5  # 1.2.0 asks more, so less of it is answered
    assert (a.answered, a.applicable) == (53, 114)


def test_claims_agent_actions_start_with_its_two_blockers() -> None:
    a = judged("claims-triage-agent-actions")
    # The five questions 1.2.0 added are answered from the program's own facts: no MCP servers and no
    # other agents (not applicable), claim notes as the agent's memory (not erasable per person), one
    # service identity for every run, and evaluations that score only the outcome.
    assert a.verdict == DEMO_ONLY and (a.answered, a.applicable) == (24, 24)
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
    assert level_of(a, "data-sensitivity-classes") in (Level.MEDIUM, Level.NONE)
    assert first_three(a) == [
        # The one high risk: reviewers approving Forge-assisted code without reading it cannot be seen.
        "trust-erosion-signals",
        # How long a reviewer spends on each change is not measured, and over-trust is tracked by
        # acceptance rate only (seeded errors were rejected): one problem, one priority.
        "hitl-review-dwell",
        # The hosting contract does not commit to returning and deleting data on exit with a transition
        # period: the next thing to settle, before the 1 March renewal.
        "vendor-assurance",
    ]
    assert a.priorities[1].also == ("hitl-trust-calibration",)


def test_sales_email_generator_stays_a_partial_self_check() -> None:
    a = judged("sales-email-generator")
    assert a.verdict == DEMO_ONLY
    assert first_three(a) == [
        # Left blank, and one of its answers blocks launch: unknown is not safe, answer it first.
        "retrieval-access-control",
        # Nobody has assessed which regulations apply to emails sent in the company's name.
        "regulatory-classification",
        # Where the prospects' data may be sent is unknown, on a critical question.
        "data-boundary-decision",
    ]
    # Drafts are made in the morning batch: nobody waits on one, so latency is not judged as a wait.
    assert level_of(a, "latency-measured-p95-ms") is Level.NOT_APPLICABLE
    # A 20-minute self-check by one person: some questions are left for the full review.
    assert (a.answered, a.applicable) == (20, 23) and a.completeness < 1
