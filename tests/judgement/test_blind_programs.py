"""Programs written blind (six in a first round, three in a second, four in a third, six in a fourth, four in a
fifth, six in a sixth, six in a seventh, six in an eighth, six in a ninth, six in a tenth, six in an eleventh) (tests/judgement/programs/): a reviewer who had not read the rules wrote each
team's answers, the verdict and the first three priorities before anything was run. These tests hold the
tool to those written expectations.

Where the tool does not yet agree, the test is marked xfail (strict: it fails the day it starts to agree,
so this list is updated). Fixing a miss means a general rule or question, never one that names a
program's answers. The table of the last run is in the closing note of issue 23.
"""

from __future__ import annotations

import pytest

from tests.judgement.programs import TODAY, BlindProgram, all_programs, reviews
from workbook.core.priorities import Priority, one_per_concern, standing
from workbook.core.scoring import DEMO_ONLY, PILOT, PRODUCTION, assess

RANK = {DEMO_ONLY: 0, PILOT: 1, PRODUCTION: 2}
PROGRAMS = {p.slug: p for p in all_programs()}

# Misses of the last run, each with why (the expert's reading against the tool's).
VERDICT_MISSES = {
    "municipal-benefits-letter-drafting": "tool: demo only; expert: pilot (round 3, run once)",
    # Round 7 (run once): the one slice under its threshold is routed to manual keying in code (the
    # profile); the team answers the evaluation misses a critical slice: a critical high holds it.
    "nordhavn-si-to-bl-draft-extraction": "tool: pilot (a critical slice misses its threshold); expert: production",
    # Round 8 (run once): a critical slice missing its threshold again; and 'not applicable' answers the
    # question's applies_when refuses (a draft field written is a write; open records read by id are records),
    # which count as unknown: the expert accepted the team's reasons.
    "mssp-soc-alert-triage-copilot": "tool: pilot (a critical slice misses; approval gates called n/a beside a "
                                     "write); expert: production",
    "national-archive-catalogue-description-drafting": "tool: pilot (retrieval permissions called n/a beside "
                                                       "records read); expert: production",
    # Round 10 (run once): the same refused 'not applicable' (an index of published documents only,
    # member records fetched by id for the case): the template lacks the sound answer.
    "pension-member-correspondence-drafting": "tool: pilot (retrieval permissions called n/a beside records "
                                              "read); expert: production",
    # Round 11 (run once, the 1.3.0 bank): a bought scribe whose failure design scores 44 (no deprecation
    # plan, out-of-scope requests not known: the vendor's, the team says); expert: a guarded pilot.
    "vet-consult-scribe-saas": "tool: demo only (failure design at 44/100); expert: pilot",
}
# Fewer than two of the expert's three in the tool's top three, counting the questions a priority folds
# in (one concern): the first round's six were tuned against after they were seen; rounds two and three
# were written after the rules and run once.
PRIORITY_MISSES = {slug: "fewer than 2 of the expert's 3 in the tool's top three" for slug in (
    "claims-triage-batch",
    "energy-meter-anomaly-letters", "municipal-benefits-letter-drafting",
    # round 4, run once: 2 of 18 in the tool's top three
    "media-local-news-agent",
    "pharma-literature-safety-screening", "property-repairs-triage-copilot", "university-student-services-assistant",
    # round 5, run once: 1 of 12
    "agri-residue-certificate-triage", "logistics-inbox-copilot-saas",
    "netops-noc-incident-assistant",
    # round 6, run once after the launch conditions and gate: 8 of 18 (12 of 18 after three fixes)
    "albaran-hotels-nightly-guest-feedback-batch",
    # round 7, run once: 4 of 18
    "consulting-engagement-ops-agent", "nordhavn-si-to-bl-draft-extraction", "north-sea-well-lessons-assistant",
    "rtv-overnight-complaint-triage", "water-utility-contact-copilot",
    # round 8, run once: 7 of 18 (9 of the 18 answered well by the team while its profile says otherwise)
    "dental-chain-ambient-scribe-saas", "mssp-soc-alert-triage-copilot",
    "national-archive-catalogue-description-drafting", "postal-overnight-customs-classification",
    "semiconductor-fab-engineering-assistant",
    # round 9, run once (6 of 6 verdicts): 7 of 18
    "brokerage-enquiry-assistant-saas", "grape-intake-docket-batch", "meridian-tm-aware-pretranslation-drafts",
    "tax-enquiry-reply-drafting",
    # round 10, run once (5 of 6 verdicts): 7 of 18
    "corrib-aero-defect-ata-coding", "dating-app-wingman-suggestions", "kestrel-exchange-support-resolution-agent",
    "payroll-employee-portal-assistant-saas",
    # round 11, run once (5 of 6 verdicts; the 1.3.0 bank): 5 of 18, ten of them answered well by the team
    "court-office-enquiry-reply-drafting", "rheinfeld-airport-passenger-assistant", "solar-grid-obligations-batch",
    "union-member-rights-chat-assistant", "vet-consult-scribe-saas")}


def judged(program: BlindProgram) -> tuple[str, list[Priority]]:
    """The program's verdict (the worse of its review and its agentic addendum) and its priorities,
    both reviews' together in the order of their bands."""
    pairs = reviews(program)
    results = [assess(review, template, TODAY) for review, template in pairs]
    verdict = min((a.verdict for a in results), key=RANK.__getitem__)
    merged = sorted((p for a in results for p in a.priorities), key=standing)
    # The two reviews name one problem by one concern id: a reader of both summaries sees it once.
    return verdict, one_per_concern(merged, [c for _, t in pairs for c in t.concerns])


def covered(priority: Priority) -> set[str]:
    """The questions a priority is about: its own and those folded into it (the same concern)."""
    return {priority.question_id, *priority.also}


def test_there_are_fifty_nine_programs_across_every_verdict() -> None:
    assert len(PROGRAMS) == 59
    assert {p.verdict for p in PROGRAMS.values()} == {DEMO_ONLY, PILOT, PRODUCTION}


@pytest.mark.parametrize("slug", sorted(PROGRAMS))
def test_the_verdict_is_the_one_written_before_the_run(slug: str, request: pytest.FixtureRequest) -> None:
    if slug in VERDICT_MISSES:
        request.applymarker(pytest.mark.xfail(reason=VERDICT_MISSES[slug], strict=True))
    program = PROGRAMS[slug]
    assert judged(program)[0] == program.verdict


@pytest.mark.parametrize("slug", sorted(PROGRAMS))
def test_two_of_the_three_first_priorities_are_the_ones_written_before_the_run(
        slug: str, request: pytest.FixtureRequest) -> None:
    if slug in PRIORITY_MISSES:
        request.applymarker(pytest.mark.xfail(reason=PRIORITY_MISSES[slug], strict=True))
    program = PROGRAMS[slug]
    top = judged(program)[1][:3]
    about = set().union(*(covered(p) for p in top))
    assert len(about & set(program.priorities)) >= 2, [(p.question_id, *p.also) for p in top]
