"""Open constraints: decisions deferred, assumptions relied on but not validated, critical unknowns.

Computed from the review every time (never stored twice), with the flags a program lead acts on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from workbook.core.judgement import is_critical, review_levels
from workbook.core.models import Answer, Question, Review, Risk, Section, Status, Template
from workbook.core.per_template import per_template
from workbook.core.risk import Level

if TYPE_CHECKING:  # the calculators load when a section that matters has one, not before the first frame
    from workbook.core.calc.results import CalcResults


class ConstraintKind(StrEnum):
    DECISION = "decision"
    ASSUMPTION = "assumption"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Constraint:
    """One open constraint on a question, with the flags a program lead acts on."""

    question_id: str
    section_id: str
    section_title: str
    title: str
    kind: ConstraintKind
    owner: str | None
    decide_by: dt.date | None
    breaks_if_open: str
    opened_on: dt.date | None
    age_days: int | None
    overdue: bool
    unowned: bool
    undated: bool
    slips: int
    high_risk_area: bool
    days_left: int | None  # negative once overdue


def count_slips(answer: Answer) -> int:
    """How many times the decide-by date was moved later."""
    dates = [*answer.decide_by_history, *([answer.decide_by] if answer.decide_by else [])]
    return sum(1 for a, b in zip(dates, dates[1:]) if b > a)


def constraint_kind(question: Question, answer: Answer, critical: bool | None = None) -> ConstraintKind | None:
    """``critical``: whether the question is critical in this program (its critical_when judged)."""
    if answer.status is Status.DEFERRED:
        return ConstraintKind.DECISION
    if question.assumption and answer.status is Status.ANSWERED and answer.value is True and answer.resolved_on is None:
        return ConstraintKind.ASSUMPTION
    if (question.critical if critical is None else critical) and answer.status is Status.UNKNOWN:
        return ConstraintKind.UNKNOWN
    return None


def high_risk_sections(review: Review, template: Template, among: set[str] | None = None,
                       levels: dict[str, Level] | None = None, calc: CalcResults | None = None) -> set[str]:
    """Sections with a high risk, the calculators' (cost over threshold, latency over target) included.

    ``among``: only these sections matter (those holding an open constraint); the calculators are
    run only for a section that matters and has no high-risk answer already (a latency simulation
    costs ~90 ms, on every edit). ``calc``: the calculators' results without the simulation, when the
    caller has them (then none is run twice)."""
    levels = levels if levels is not None else review_levels(review, template)
    risky = {section.id for section in template.sections
             if any(levels[q.id] is Level.HIGH for q in section.questions)}
    config = template.calculators
    calculator_sections = {c.section for c in (config.cost, config.latency) if c is not None}
    undecided = calculator_sections - risky
    if among is not None:
        undecided &= among
    if undecided:
        from workbook.core.calc.results import calculate, calculator_risks

        if calc is None:
            calc = calculate(review, template, simulate_latency=False)
        risky |= {sid for sid, _, risk in calculator_risks(calc) if risk is Risk.HIGH}
    return risky


@per_template
def _questions(template: Template) -> tuple[tuple[Section, Question], ...]:
    return tuple(template.questions())


def open_constraints(review: Review, template: Template, today: dt.date,
                     levels: dict[str, Level] | None = None,
                     critical: frozenset[str] | None = None, calc: CalcResults | None = None) -> list[Constraint]:
    """Every open constraint, in template order (``levels``, ``critical``: the review's, when already judged;
    ``calc``: as ``high_risk_sections`` takes it)."""
    answers = review.answers
    open_ones = []
    for section, question in _questions(template):
        answer = answers.get(question.id)
        if answer is None:
            continue
        crit = question.id in critical if critical is not None else is_critical(question, review)
        kind = constraint_kind(question, answer, crit)
        if kind is not None:
            open_ones.append((section, question, answer, kind))
    if not open_ones:
        return []
    risky = high_risk_sections(review, template, among={s.id for s, _, _, _ in open_ones}, levels=levels, calc=calc)
    found = []
    for section, question, answer, kind in open_ones:
        opened = answer.opened_on or review.program.review_date
        found.append(
            Constraint(
                question_id=question.id,
                section_id=section.id,
                section_title=section.title,
                title=question.prompt,
                kind=kind,
                owner=answer.owner,
                decide_by=answer.decide_by,
                breaks_if_open=answer.breaks_if_open,
                opened_on=opened,
                # Opened after the as-of date (a typo, or --today set back): no age rather than
                # a negative one. Not refused on load: a file's validity must not depend on the day.
                age_days=(today - opened).days if opened and opened <= today else None,
                overdue=answer.decide_by is not None and answer.decide_by < today,
                unowned=answer.owner is None,
                undated=answer.decide_by is None,
                slips=count_slips(answer),
                high_risk_area=section.id in risky,
                days_left=(answer.decide_by - today).days if answer.decide_by else None,
            )
        )
    return found
