"""Checking a review's answers against its template, by the rules in core/policy.py."""

from __future__ import annotations

from workbook.core.errors import Problem
from workbook.core.models import Review, Template
from workbook.core.policy import answer_problems


def check_review(review: Review, template: Template, path: str) -> list[Problem]:
    problems = []
    for qid, answer in review.answers.items():
        question = template.question(qid)
        if question is None:
            continue  # an orphan: kept, shown and exported, never an error
        problems += [Problem(path, f"answers.{qid}.{key}", why) for key, why in answer_problems(question, answer)]
    return problems
