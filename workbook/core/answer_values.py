"""Checking a review's answers against its template, by the rules in core/policy.py."""

from __future__ import annotations

from typing import Any

from workbook.core.errors import Problem
from workbook.core.models import Review, Status, Template
from workbook.core.per_template import ANSWERS_KEPT, few_valued, per_template
from workbook.core.policy import answer_problems

Verdicts = dict[tuple[str, Status, type, Any], list[tuple[str, str]]]


@per_template
def _verdicts(template: Template) -> Verdicts:
    """What ``answer_problems`` said of an answer with no responses, by question, status and value."""
    return {}


def check_review(review: Review, template: Template, path: str) -> list[Problem]:
    problems = []
    verdicts = _verdicts(template)
    for qid, answer in review.answers.items():
        question = template.question(qid)
        if question is None:
            continue  # an orphan: kept, shown and exported, never an error
        # Without responses, what is wrong depends only on the status and the value (its type too: True == 1).
        value, key = answer.value, None
        if not answer.responses and few_valued(question, value):
            key = (qid, answer.status, type(value), value)
        found = verdicts.get(key) if key is not None else None
        if found is None:
            found = answer_problems(question, answer)
            if key is not None and len(verdicts) < ANSWERS_KEPT:
                verdicts[key] = found
        problems += [Problem(path, f"answers.{qid}.{where}", why) for where, why in found]
    return problems
