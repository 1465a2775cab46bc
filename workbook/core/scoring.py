"""Readiness: a score per section, the program's verdict from its weakest section, and why.

Rules (README, "How the verdict is reached"):
- each applicable question scores 1 when answered with no risk, 0.5 with a medium risk, and 0 when
  it carries a high risk or is unanswered, unknown or deferred; not-applicable questions are left
  out. A section's score is the average, as 0-100.
- the program's overall readiness is its weakest section (Google's ML Test Score rule: one unready
  area sinks the launch), not the average.
- bands: under 50 "demo only"; 50-79 "pilot with guardrails"; 80 and over "production candidate",
  but only with no high risk and no overdue constraint anywhere (otherwise capped at pilot).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from workbook.core.calc.results import CalcResults, calculate, calculator_risks
from workbook.core.constraints import Constraint, open_constraints
from workbook.core.frameworks import FRAMEWORKS
from workbook.core.models import Question, Review, Section, Template
from workbook.core.risk import Level, answer_level

POINTS = {
    Level.NONE: 1.0,
    Level.MEDIUM: 0.5,
    Level.HIGH: 0.0,
    Level.UNANSWERED: 0.0,
    Level.UNKNOWN: 0.0,
    Level.DEFERRED: 0.0,
}

DEMO_ONLY = "demo only"
PILOT = "pilot with guardrails"
PRODUCTION = "production candidate"
SHORT = {DEMO_ONLY: "demo only", PILOT: "pilot", PRODUCTION: "production"}  # for narrow tables
PILOT_FROM = 50
PRODUCTION_FROM = 80


def band(score: int) -> str:
    if score >= PRODUCTION_FROM:
        return PRODUCTION
    if score >= PILOT_FROM:
        return PILOT
    return DEMO_ONLY


@dataclass(frozen=True)
class QuestionResult:
    section_id: str
    question: Question
    level: Level


@dataclass(frozen=True)
class SectionScore:
    section: Section
    score: int | None  # None when every question is not applicable
    answered: int
    total: int
    high: int
    medium: int
    open_constraints: int
    results: tuple[QuestionResult, ...]

    @property
    def id(self) -> str:
        return self.section.id

    @property
    def title(self) -> str:
        return self.section.title

    def drivers(self) -> list[QuestionResult]:
        """What holds the section back: high risks first, then open, then medium."""
        order = [Level.HIGH, Level.UNKNOWN, Level.DEFERRED, Level.UNANSWERED, Level.MEDIUM]
        return sorted((r for r in self.results if r.level in order), key=lambda r: order.index(r.level))


@dataclass(frozen=True)
class Coverage:
    framework: str
    tag: str
    name: str
    status: str  # high-risk | open | addressed | out-of-scope | not-covered
    questions: tuple[str, ...]


@dataclass(frozen=True)
class Assessment:
    """Everything derived from a review on a given day: the one object reports are built from."""

    today: dt.date
    sections: tuple[SectionScore, ...]
    overall: int
    verdict: str
    reason: str
    weakest: SectionScore | None
    constraints: tuple[Constraint, ...]
    risks: tuple[QuestionResult, ...]
    coverage: tuple[Coverage, ...] = field(default=())
    calc: CalcResults | None = None

    @property
    def high(self) -> int:
        return sum(1 for r in self.risks if r.level is Level.HIGH)

    @property
    def medium(self) -> int:
        return sum(1 for r in self.risks if r.level is Level.MEDIUM)

    def due_this_week(self) -> list[Constraint]:
        """Overdue ones and those due in the next 7 days, earliest first."""
        soon = [c for c in self.constraints if c.days_left is not None and c.days_left <= 7]
        soon.sort(key=lambda c: (c.decide_by, c.question_id))
        return soon


def score_section(
    section: Section,
    review: Review,
    constraints: list[Constraint],
    extra: tuple[QuestionResult, ...] = (),
) -> SectionScore:
    results = tuple(QuestionResult(section.id, q, answer_level(q, review.answer(q.id))) for q in section.questions)
    results += extra  # calculator checks count like answers: over budget is a high risk
    applicable = [r for r in results if r.level is not Level.NOT_APPLICABLE]
    # Half up, not Python's half-to-even: 12.5 shows as 13 as a person would round it.
    score = int(100 * sum(POINTS[r.level] for r in applicable) / len(applicable) + 0.5) if applicable else None
    return SectionScore(
        section=section,
        score=score,
        answered=sum(1 for r in results[: len(section.questions)] if r.level is not Level.UNANSWERED),
        total=len(section.questions),
        high=sum(1 for r in results if r.level is Level.HIGH),
        medium=sum(1 for r in results if r.level is Level.MEDIUM),
        open_constraints=sum(1 for c in constraints if c.section_id == section.id),
        results=results,
    )


def _count(n: int, what: str) -> str:
    return f"{n} {what}" if n == 1 else f"{n} {what}s"


def _reason(weakest: SectionScore, verdict: str, capped_by: list[str]) -> str:
    drivers = weakest.drivers()
    by_level: dict[Level, list[QuestionResult]] = {}
    for d in drivers:
        by_level.setdefault(d.level, []).append(d)
    words = {
        Level.HIGH: "high risk",
        Level.UNKNOWN: "unknown answer",
        Level.DEFERRED: "deferred decision",
        Level.UNANSWERED: "unanswered question",
        Level.MEDIUM: "medium risk",
    }
    parts = [_count(len(v), words[k]) for k, v in by_level.items()]
    text = f"{verdict.capitalize()}: the weakest section is {weakest.title} at {weakest.score}/100"
    text += f" ({', '.join(parts)})." if parts else "."
    first = [d for d in drivers if d.level is not Level.MEDIUM][:3] or drivers[:3]
    if first:
        text += " Start with: " + "; ".join(f"“{d.question.prompt}” ({words[d.level]})" for d in first) + "."
    if capped_by:
        text += f" Capped at {PILOT}: " + " and ".join(capped_by) + "."
    return text


def _named(items: list[str], limit: int = 3) -> str:
    shown = "; ".join(f"“{i}”" for i in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def coverage(review: Review, template: Template) -> list[Coverage]:
    found = []
    for framework, tags in FRAMEWORKS.items():
        for tag, name in tags.items():
            questions = [q for _, q in template.questions() if tag in q.tags]
            levels = [answer_level(q, review.answer(q.id)) for q in questions]
            if tag in template.out_of_scope:
                status = "out-of-scope"
            elif not questions:
                status = "not-covered"
            elif Level.HIGH in levels:
                status = "high-risk"
            elif any(lv in (Level.UNANSWERED, Level.UNKNOWN, Level.DEFERRED) for lv in levels):
                status = "open"
            else:
                status = "addressed"
            found.append(Coverage(framework, tag, name, status, tuple(q.id for q in questions)))
    return found


def assess(review: Review, template: Template, today: dt.date, detail: bool = True) -> Assessment:
    """detail=False skips what only reports show (the latency simulation when bounds decide, coverage)."""
    constraints = open_constraints(review, template, today)
    calc = calculate(review, template, simulate_latency=detail)
    checks: dict[str, list[QuestionResult]] = {}
    for section_id, question, risk in calculator_risks(calc):
        checks.setdefault(section_id, []).append(QuestionResult(section_id, question, Level(risk.value)))
    sections = tuple(score_section(s, review, constraints, tuple(checks.get(s.id, ()))) for s in template.sections)
    scored = [(s.score, s) for s in sections if s.score is not None]
    overall, weakest = min(scored, key=lambda p: p[0]) if scored else (0, None)  # first of equals: template order
    verdict = band(overall)
    risks = tuple(
        r for s in sections for r in s.results if r.level in (Level.HIGH, Level.MEDIUM)
    )
    capped_by = []
    if verdict == PRODUCTION:
        highs = [r.question.prompt for r in risks if r.level is Level.HIGH]
        overdue = [c.title for c in constraints if c.overdue]
        if highs:
            capped_by.append(f"{_count(len(highs), 'high risk')} ({_named(highs)})")
        if overdue:
            capped_by.append(f"{_count(len(overdue), 'overdue constraint')} ({_named(overdue)})")
        if capped_by:
            verdict = PILOT
    if weakest is None:
        reason = "No section has an applicable question yet."
    else:
        reason = _reason(weakest, verdict, capped_by)
    return Assessment(
        today=today,
        sections=sections,
        overall=overall,
        verdict=verdict,
        reason=reason,
        weakest=weakest,
        constraints=tuple(constraints),
        risks=risks,
        coverage=tuple(coverage(review, template)) if detail else (),
        calc=calc,
    )
