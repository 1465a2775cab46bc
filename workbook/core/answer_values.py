"""Checking a review's answers against its template: the right type of value for each question."""

from __future__ import annotations

import datetime as dt
from typing import Any

from workbook.core.errors import Problem
from workbook.core.models import Kind, Question, Review, Status, Template


def value_problem(question: Question, value: Any) -> str | None:
    """Why a value does not fit a question, or None when it does."""
    kind = question.kind
    if kind is Kind.TEXT:
        return None if isinstance(value, str) else "must be text"
    if kind is Kind.YES_NO:
        return None if isinstance(value, bool) else "must be true or false"
    if kind is Kind.DATE:
        return None if isinstance(value, dt.date) else "must be a date (YYYY-MM-DD)"
    if kind is Kind.NUMBER:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return "must be a number"
        if question.minimum is not None and value < question.minimum:
            return f"must be at least {question.minimum:g}"
        if question.maximum is not None and value > question.maximum:
            return f"must be at most {question.maximum:g}"
        return None
    ids = [c.id for c in question.choices]
    if kind is Kind.SINGLE:
        if not isinstance(value, str) or value not in ids:
            return f"must be one of: {', '.join(ids)}"
        return None
    if not isinstance(value, list):
        return f"must be a list of: {', '.join(ids)}"
    unknown = [v for v in value if v not in ids]
    if unknown:
        return f"unknown choice {unknown[0]!r} (choices: {', '.join(ids)})"
    return None


def check_review(review: Review, template: Template, path: str) -> list[Problem]:
    problems = []
    for qid, answer in review.answers.items():
        question = template.question(qid)
        if question is None:
            continue  # an orphan: kept, shown and exported, never an error
        if answer.has_value:
            why = value_problem(question, answer.value)
            if why:
                problems.append(Problem(path, f"answers.{qid}.value", why))
        if answer.status is Status.DEFERRED and not question.decision:
            problems.append(
                Problem(path, f"answers.{qid}.status", "only decision questions can be deferred")
            )
    return problems
