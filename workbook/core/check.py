"""`workbook check`: which open constraints or answers fail a review, for CI and pre-commit."""

from __future__ import annotations

from dataclasses import dataclass

from workbook.core.constraints import Constraint, ConstraintKind
from workbook.core.models import Review, Template
from workbook.core.risk import Level
from workbook.core.scoring import Assessment
from workbook.core.text import one_line


@dataclass(frozen=True)
class Failure:
    rule: str
    question_id: str
    detail: str


def _describe(c: Constraint) -> str:
    who = c.owner or "unowned"
    verb = "validate by" if c.kind is ConstraintKind.ASSUMPTION else "decide by"
    when = f"{verb} {c.decide_by.isoformat()}" if c.decide_by else "undated"
    late = f", {-(c.days_left or 0)} days overdue" if c.overdue else ""
    slips = f", slipped {c.slips}x" if c.slips else ""
    return f"{c.kind.value} “{one_line(c.title, 80)}” ({who}, {when}{late}{slips})"


def failures(review: Review, template: Template, a: Assessment, rules: tuple[str, ...]) -> list[Failure]:
    found: list[Failure] = []
    for c in a.constraints:
        for rule, hit in (("overdue", c.overdue), ("unowned", c.unowned), ("undated", c.undated)):
            if rule in rules and hit:
                found.append(Failure(rule, c.question_id, _describe(c)))
    for s in a.sections:
        for r in s.results:
            if "high-risk" in rules and r.level is Level.HIGH:
                found.append(Failure("high-risk", r.question.id, f"high risk “{one_line(r.question.prompt, 80)}”"))
            if "unanswered" in rules and r.level is Level.UNANSWERED:
                found.append(Failure("unanswered", r.question.id, f"unanswered “{one_line(r.question.prompt, 80)}”"))
    return found
