"""Programs written blind (six in a first round, three in a second) (tests/judgement/programs/): a reviewer who had not read the rules wrote each
team's answers, the verdict and the first three priorities before anything was run. These tests hold the
tool to those written expectations.

Where the tool does not yet agree, the test is marked xfail (strict: it fails the day it starts to agree,
so this list is updated). Fixing a miss means a general rule or question, never one that names a
program's answers. The table of the last run is in the closing note of issue 23.
"""

from __future__ import annotations

import pytest

from tests.judgement.programs import TODAY, BlindProgram, all_programs, reviews
from workbook.core.priorities import Priority, rank
from workbook.core.scoring import DEMO_ONLY, PILOT, PRODUCTION, assess

RANK = {DEMO_ONLY: 0, PILOT: 1, PRODUCTION: 2}
PROGRAMS = {p.slug: p for p in all_programs()}

# Misses of the last run, each with why (the expert's reading against the tool's).
VERDICT_MISSES = {
    "ambient-scribe-hospital": "tool: demo only (blank vendor-controlled questions count as unknown); expert: pilot",
    "claims-triage-batch": "tool: demo only (humans in the loop 43: rubber-stamping); expert: pilot",
}
# The first six (the first blind round) all missed; of the second round, written after the rules and
# run once, two of three meet the goal.
PRIORITY_MISSES = {slug: "fewer than 2 of the expert's 3 in the tool's top three" for slug in PROGRAMS
                   if slug not in ("hospital-discharge-letter-drafts", "pump-service-manual-assistant")}


def judged(program: BlindProgram) -> tuple[str, list[Priority]]:
    """The program's verdict (the worse of its review and its agentic addendum) and its priorities,
    both reviews' together in the order of their bands."""
    results = [assess(review, template, TODAY) for review, template in reviews(program)]
    verdict = min((a.verdict for a in results), key=RANK.__getitem__)
    merged = sorted((p for a in results for p in a.priorities), key=lambda p: rank(p.tier, p.harm))
    return verdict, merged


def test_there_are_nine_programs_across_every_verdict() -> None:
    assert len(PROGRAMS) == 9
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
    top = [p.question_id for p in judged(program)[1][:3]]
    assert len(set(top) & set(program.priorities)) >= 2, top
