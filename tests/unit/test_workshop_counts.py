"""A remote workshop, step by step, in the core (issue 22): the counts the facilitator sees add up.

Three respondents answer a sample review's open questions in their own files (some agree, some
differ, one leaves blanks); a fourth joins and records nothing; a stray file lands in the folder.
The facilitator tallies, merges, settles, and merges again as late answers arrive. At every step:
the tally's totals match the files that count, a merge's kinds partition the questions it updated,
and the disagreements a merge says are left are the ones the review (and the tally) shows.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import TODAY
from workbook.core.editing import Change, MarkUnknown, SetAnswer, TakeMerged, apply_change
from workbook.core.merge import settle_change
from workbook.core.models import Review
from workbook.core.respondents import Folder, Merged, invite_for, join, merge_into, tally
from workbook.core.store import ReviewFile, load_review, save_review

OPEN = ["demo-data-source", "peak-concurrency-tested", "demo-infra-parity", "demo-gaps-not-shown",
        "assume-model-good-enough", "assume-data-access-later", "sponsor-accepted-unproven"]


def answer(rf: ReviewFile, qid: str, change: Change) -> None:
    question = rf.template.question(qid)
    assert question is not None
    apply_change(rf.review, question, change, TODAY)
    save_review(rf)


def take(review: Review, rf: ReviewFile, merged: Merged) -> None:
    """The facilitator's TUI applies each merged question as one TakeMerged change."""
    for qid, merged_answer in merged.answers.items():
        question = rf.template.question(qid)
        assert question is not None
        apply_change(review, question, TakeMerged(merged_answer), TODAY)


def check(merged: Merged, review: Review, folder: Folder) -> None:
    """What must hold after every merge."""
    assert merged.agreed + merged.single + merged.disagreed + merged.notes == len(merged.answers)
    assert not set(merged.answers) & set(merged.kept)
    left = [qid for qid, a in review.answers.items() if a.disagreement]
    assert merged.open_disagreements == len(left)
    counts = tally(folder.respondents, folder.template, review)
    assert sorted(qid for qid, t in counts.items() if t.open_disagreement) == sorted(left)
    summary = merged.summary(len(folder.respondents))
    assert f"{len(merged.answers)} question(s) updated" in summary
    assert f"{merged.open_disagreements} disagreement(s) left to settle" in summary


def test_a_workshop_from_first_answers_to_the_last_merge(sample_copy, tmp_path: Path) -> None:
    path = sample_copy("customer-support-copilot.toml")
    rf = load_review(path)
    for qid in OPEN:  # the questions the workshop is for; the rest the review already answers
        rf.review.answers.pop(qid, None)
    save_review(rf)
    review = rf.review
    folder_path = tmp_path / "answers"
    folder_path.mkdir()

    ana = join(invite_for(rf, folder_path, visitor="ana"), "Ana Lima", TODAY)
    ben = join(invite_for(rf, folder_path, visitor="ben"), "Ben Okoro", TODAY)
    cy = join(invite_for(rf, folder_path, visitor="cy"), "Cy Park", TODAY)
    join(invite_for(rf, folder_path, visitor="dee"), "Dee", TODAY)  # joins, records nothing
    (folder_path / "scratch.toml").write_bytes(b"")  # a stray empty file
    for who, qid, change in [
        (ana, "demo-data-source", SetAnswer("hand-picked", "")),
        (ben, "demo-data-source", SetAnswer("hand-picked", "")),
        (cy, "demo-data-source", SetAnswer("hand-picked", "")),  # all three agree
        (ana, "peak-concurrency-tested", SetAnswer("single-user", "")),
        (ben, "peak-concurrency-tested", SetAnswer("fraction", "")),
        (cy, "peak-concurrency-tested", SetAnswer("single-user", "")),  # 2 against 1
        (ana, "demo-infra-parity", SetAnswer("sandbox", "")),
        (ben, "demo-infra-parity", SetAnswer("sandbox", "")),  # Cy leaves it blank
        (ana, "assume-model-good-enough", SetAnswer(True, "")),
        (ben, "assume-model-good-enough", SetAnswer(False, "")),  # Cy blank
        (ben, "assume-data-access-later", SetAnswer(True, "")),  # Ben alone
        (ana, "launch-date-committed", MarkUnknown()),  # the review answers it: kept
    ]:
        answer(who, qid, change)

    # 1. The tally: four respondents count (Dee has nothing yet), the empty file does not.
    folder = Folder(folder_path, rf.template, review.program.name)
    folder.scan()
    assert {p.name: why for p, why in folder.stray.items()} == {"scratch.toml": "empty file"}
    assert [r.review.respondent for r in folder.unanswered] == ["Dee"]
    counts = tally(folder.respondents, rf.template, review)
    assert {t.respondents for t in counts.values()} == {4}
    folder.leave_out_unanswered = True  # x: Dee is left out
    counts = tally(folder.respondents, rf.template, review)
    assert {t.respondents for t in counts.values()} == {3}
    assert [counts[q].answered for q in OPEN] == [3, 3, 2, 0, 2, 1, 0]
    assert sorted(q for q, t in counts.items() if t.open_disagreement) == ["assume-model-good-enough",
                                                                          "peak-concurrency-tested"]

    # 2. The first merge: 5 updated = 2 agreed + 1 by one respondent + 2 disagreements; 2 left.
    first = merge_into(review, folder.respondents)
    assert sorted(first.answers) == sorted(["demo-data-source", "peak-concurrency-tested", "demo-infra-parity",
                                            "assume-model-good-enough", "assume-data-access-later"])
    assert (first.agreed, first.single, first.disagreed, first.notes) == (2, 1, 2, 0)
    assert first.kept == ["launch-date-committed"]
    take(review, rf, first)
    assert first.open_disagreements == 2
    check(first, review, folder)

    # 3. The facilitator settles one disagreement: the tally shows it settled, one is left.
    question = rf.template.question("peak-concurrency-tested")
    assert question is not None
    chosen = review.answers["peak-concurrency-tested"].responses["Ana Lima"]
    apply_change(review, question, settle_change(chosen, "Ana Lima", question.decision), TODAY)
    counts = tally(folder.respondents, rf.template, review)
    assert counts["peak-concurrency-tested"].disagree and counts["peak-concurrency-tested"].settled
    assert sum(t.open_disagreement for t in counts.values()) == 1

    # 4. Late answers: Cy fills two blanks (one differs from Ben's lone answer), Ana answers a new one.
    answer(cy, "assume-data-access-later", SetAnswer(False, ""))
    answer(cy, "demo-gaps-not-shown", SetAnswer(["concurrency", "messy-data"], ""))
    answer(ana, "demo-gaps-not-shown", SetAnswer(["messy-data", "concurrency"], ""))  # the same set
    answer(ana, "sponsor-accepted-unproven", SetAnswer("not-discussed", ""))
    folder.scan()
    second = merge_into(review, folder.respondents)
    # Ben's lone answer, untouched, becomes a disagreement; the settled one and the review's own are kept.
    assert sorted(second.answers) == ["assume-data-access-later", "demo-gaps-not-shown", "sponsor-accepted-unproven"]
    assert (second.agreed, second.single, second.disagreed) == (1, 1, 1)
    assert sorted(second.kept) == ["launch-date-committed", "peak-concurrency-tested"]
    take(review, rf, second)
    assert second.open_disagreements == 2  # assume-model-good-enough (still open) and assume-data-access-later
    check(second, review, folder)

    # 5. Nothing new: a third merge updates nothing and reports the same two left.
    third = merge_into(review, folder.respondents)
    assert (len(third.answers), third.open_disagreements) == (0, 2)
    check(third, review, folder)
