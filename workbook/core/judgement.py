"""Each answer judged in the context of the whole review, not alone.

- The team's own target: a number question naming a ``target_question`` is judged against the
  team's answer to it (a 71 s p95 against the team's own 120 s overnight target is fine); the
  template's default thresholds apply only while the target is unanswered.
- Exposure is not failure: an inventory question (``exposure = true``: which data reaches the model,
  which actions it can take) is capped at medium unless one of its ``controlled_by`` questions is
  itself answered with a high risk. The high risk belongs to the control.
- Blockers: a choice marked ``blocker = true`` that is answered makes the verdict "demo only".

Scoring, constraints, the cards and the exports all read levels from ``review_levels``.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbook.core.kinds import kind_of
from workbook.core.models import Choice, Question, Review, Section, Status, Template
from workbook.core.risk import Level, answer_level


def number_answer(review: Review, qid: str | None) -> float | None:
    """The team's answered number to a question (a threshold, a target), or None."""
    if qid is None:
        return None
    a = review.answers.get(qid)
    if a is None or a.status is not Status.ANSWERED or isinstance(a.value, bool):
        return None
    return float(a.value) if isinstance(a.value, (int, float)) else None


def review_levels(review: Review, template: Template) -> dict[str, Level]:
    """The level of every question of the template, judged in context."""
    levels = {
        q.id: answer_level(q, review.answer(q.id), number_answer(review, q.target_question))
        for _, q in template.questions()
    }
    for _, q in template.questions():
        if q.exposure and levels[q.id] is Level.HIGH:
            failed_control = any(levels.get(c) is Level.HIGH for c in q.controlled_by)
            if not failed_control:
                levels[q.id] = Level.MEDIUM
    return levels


@dataclass(frozen=True)
class Blocker:
    section: Section
    question: Question
    choices: tuple[Choice, ...]


def answered_blockers(review: Review, template: Template) -> list[Blocker]:
    """Every question answered with a choice the template marks as a blocker."""
    found = []
    for section, q in template.questions():
        answer = review.answers.get(q.id)
        if answer is None or answer.status is not Status.ANSWERED:
            continue
        chosen = kind_of(q).chosen(answer.value)
        hits = tuple(c for c in q.choices if c.blocker and c.id in chosen)
        if hits:
            found.append(Blocker(section, q, hits))
    return found
