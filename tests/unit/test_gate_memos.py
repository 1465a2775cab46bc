"""What check and portfolio remember across thousands of reviews of one template never changes a verdict:
each review is judged and checked as if it were the only one (issue 27)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from tests.conftest import SAMPLES, TODAY
from workbook.core.answer_values import check_review
from workbook.core.constraints import open_constraints
from workbook.core.discover import find_review_files
from workbook.core.judgement import judge
from workbook.core.models import Answer, Review, Status, Template
from workbook.core.risk import Level
from workbook.core.store import TemplateMemo, load_review


def _sample(name: str = "customer-support-copilot.toml") -> tuple[Review, Template]:
    memo: TemplateMemo = {}
    rf = load_review(SAMPLES / name, memo=memo)
    return rf.review, rf.template


def test_a_yes_no_answer_of_1_is_refused_after_one_of_true_was_accepted() -> None:
    review, template = _sample()
    review.answers["data-contracts-explicit"] = Answer(status=Status.ANSWERED, value=True)
    assert check_review(review, template, "a.toml") == []
    review.answers["data-contracts-explicit"] = Answer(status=Status.ANSWERED, value=1)  # True == 1 in a dict key
    problems = check_review(review, template, "b.toml")
    assert [(p.where, p.message) for p in problems] == [("answers.data-contracts-explicit.value",
                                                         "must be true or false")]


def test_a_validated_assumption_is_not_judged_like_the_same_yes_unvalidated() -> None:
    review, template = _sample()
    qid = "assume-model-good-enough"
    review.answers[qid] = Answer(status=Status.ANSWERED, value=True)
    assert judge(review, template).levels[qid] is Level.HIGH
    review.answers[qid] = Answer(status=Status.ANSWERED, value=True, resolved_on=dt.date(2026, 11, 1),
                                 resolved_by="Dana")
    assert judge(review, template).levels[qid] is Level.NONE


def test_constraints_from_the_judged_critical_set_are_the_ones_worked_out_alone() -> None:
    for path in sorted(SAMPLES.glob("*.toml")):
        review, template = _sample(path.name)
        judged = judge(review, template)
        alone = open_constraints(review, template, TODAY)
        assert alone  # every sample has open constraints: the comparison says something
        assert open_constraints(review, template, TODAY, judged.levels, judged.critical) == alone


def test_a_file_reached_through_a_linked_folder_and_by_its_own_path_is_listed_once(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    review = real / "r.toml"
    review.write_bytes((SAMPLES / "customer-support-copilot.toml").read_bytes())
    os.symlink(real, tmp_path / "via")
    os.symlink(review, real / "link.toml")  # a link to a review beside it: the same file
    files = find_review_files([tmp_path / "via" / "r.toml", real, tmp_path / "via"])
    assert files == [tmp_path / "via" / "r.toml"]
