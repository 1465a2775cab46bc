"""Readiness: a score per section, the program's verdict from its weakest section, and why.

Rules (README, "How the verdict is reached"):
- each answered question scores 1 with no risk, 0.5 with a medium risk, and 0 when it carries a high
  risk or is unknown or deferred; a section's score is the average of its answered questions, as
  0-100. Risks are judged in context (core.judgement): against the team's own targets, and with
  exposure capped at medium while its controls hold.
- unanswered questions do not score: completeness (answered share of applicable questions) is
  reported apart, and a partial review says so in its verdict line instead of letting skipped
  questions decide the weakest section silently.
- the program's overall readiness is its weakest section (Google's ML Test Score rule: one unready
  area sinks the launch), not the average.
- bands: under 50 "demo only"; 50-79 "pilot with guardrails"; 80 and over "production candidate",
  but only with no high risk, no overdue constraint and every question answered (otherwise capped at
  pilot). Under half answered is "demo only": too little is known. Any blocker answered is "demo only".
- priorities: the order to fix things in, across the whole review (see ``priorities``).
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass, field

from workbook.core.calc.results import CalcResults, calculate, calculator_risks
from workbook.core.constraints import Constraint, open_constraints
from workbook.core.display import answer_summary, format_number
from workbook.core.frameworks import FRAMEWORKS
from workbook.core.judgement import Blocker, answered_blockers, number_answer, review_levels
from workbook.core.models import Question, Review, Section, Template
from workbook.core.risk import Level
from workbook.core.text import one_line

POINTS = {
    Level.NONE: 1.0,
    Level.MEDIUM: 0.5,
    Level.HIGH: 0.0,
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
class Priority:
    """One thing to fix, in the order an expert would take them (``priorities``)."""

    question_id: str
    section_id: str
    section_title: str
    prompt: str
    severity: str  # blocker | high | overdue | unknown | unanswered | medium
    critical: bool
    why: str
    tier: int  # 0 blockers, 1 overdue or critical high, 2 other high, 3 critical unknowns, 4 medium


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
    priorities: tuple[Priority, ...] = ()
    answered: int = 0
    applicable: int = 0
    blockers: tuple[Blocker, ...] = ()

    @property
    def completeness(self) -> float:
        """Answered share of the applicable questions (1.0 for a review with none applicable)."""
        return self.answered / self.applicable if self.applicable else 1.0

    @property
    def start_with(self) -> tuple[Priority, ...]:
        return self.priorities[:3]

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
    levels: dict[str, Level],
    constraints: list[Constraint],
    extra: tuple[QuestionResult, ...] = (),
) -> SectionScore:
    results = tuple(QuestionResult(section.id, q, levels[q.id]) for q in section.questions)
    results += extra  # calculator checks count like answers: over budget is a high risk
    applicable = [r for r in results if r.level in POINTS]  # answered (unknown and deferred count as 0)
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


def _reason(a_weakest: SectionScore | None, verdict: str, capped_by: list[str], answered: int, applicable: int,
            blockers: list[Blocker]) -> str:
    text = f"{verdict.capitalize()}:"
    if blockers:
        named = _named([b.question.prompt for b in blockers])
        text += f" {_count(len(blockers), 'blocker')} answered ({named}), whatever the scores."
    if answered < applicable:
        text += f" Incomplete: {answered} of {applicable} applicable questions answered."
        if applicable and answered / applicable < COMPLETE_FOR_PILOT:
            text += " Under half answered: too little is known to judge."
    if a_weakest is not None and a_weakest.score is not None:
        counts: dict[Level, int] = {}
        for d in a_weakest.drivers():
            counts[d.level] = counts.get(d.level, 0) + 1
        words = {Level.HIGH: "high risk", Level.UNKNOWN: "unknown answer", Level.DEFERRED: "deferred decision",
                 Level.MEDIUM: "medium risk"}
        parts = [_count(n, words[lv]) for lv, n in counts.items() if lv in words]
        text += f" The weakest section is {a_weakest.title} at {a_weakest.score}/100"
        text += f" ({', '.join(parts)})." if parts else "."
    elif not blockers:
        text += " Nothing is answered yet."
    if capped_by:
        text += f" Capped at {PILOT}: " + " and ".join(capped_by) + "."
    return text


def _named(items: list[str], limit: int = 3) -> str:
    shown = "; ".join(f"“{i}”" for i in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def coverage(review: Review, template: Template, judged: dict[str, Level] | None = None) -> list[Coverage]:
    judged = judged if judged is not None else review_levels(review, template)
    found = []
    for framework, tags in FRAMEWORKS.items():
        for tag, name in tags.items():
            questions = [q for _, q in template.questions() if tag in q.tags]
            levels = [judged[q.id] for q in questions]
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


COMPLETE_FOR_PILOT = 0.5  # under half the applicable questions answered: demo only, too little is known


def _phrase(text: str, width: int = 100) -> str:
    """An answer shortened for a priority's reason: whole words only (reports wrap it, never cut it)."""
    short = textwrap.shorten(text, width, placeholder=" …")
    return short if short.strip(" …") else one_line(text, width)  # one word longer than width: cut it


def _why(level: Level, question: Question, review: Review, overdue: Constraint | None) -> str:
    answer = review.answer(question.id)
    said = _phrase(answer_summary(question, answer))
    target = number_answer(review, question.target_question)
    if level is Level.HIGH and target is not None and isinstance(answer.value, (int, float)):
        worse = "over" if question.target_direction == "at_most" else "under"
        unit = f" {question.unit}" if question.unit else ""
        why = f"{format_number(answer.value)}{unit} is {worse} the team's own target of {format_number(target)}{unit}"
    elif level is Level.HIGH:
        why = f"high risk: {said}"
    elif level is Level.MEDIUM:
        why = f"medium risk: {said}" + (" (exposure; its controls hold)" if question.exposure else "")
    elif level is Level.UNKNOWN:
        why = "critical and unknown"
    elif level is Level.UNANSWERED:
        why = "critical and not answered"
    else:
        why = level.value
    if overdue is not None and overdue.days_left is not None:
        late = f"overdue by {-overdue.days_left} days, {overdue.owner or 'unowned'}"
        why = late if level in (Level.DEFERRED, Level.UNKNOWN) else f"{why}; {late}"
    return why


def priorities(review: Review, template: Template, levels: dict[str, Level], sections: tuple[SectionScore, ...],
               constraints: list[Constraint], blockers: list[Blocker],
               checks: dict[str, list[QuestionResult]]) -> list[Priority]:
    """What to fix first, across the whole review. Blockers; then overdue constraints and critical
    high risks; then other high risks; then critical questions unknown or unanswered; then medium
    risks. Ties: the weaker section first, then the template's order."""
    weakness = {s.id: (s.score if s.score is not None else 101) for s in sections}
    overdue = {c.question_id: c for c in constraints if c.overdue}
    blocked = {b.question.id: b for b in blockers}
    found: list[tuple[tuple[int, int, int], Priority]] = []
    order = 0
    for section, q in template.questions():
        order += 1
        level, late = levels[q.id], overdue.get(q.id)
        if q.id in blocked:
            labels = ", ".join(c.label for c in blocked[q.id].choices)
            tier, severity, why = 0, "blocker", f"blocker: {_phrase(labels)}"
        elif level is Level.HIGH or late is not None:
            tier = 1 if (q.critical or late is not None) else 2
            severity = "high" if level is Level.HIGH else "overdue"
            why = _why(level, q, review, late)
        elif q.critical and level in (Level.UNKNOWN, Level.UNANSWERED):
            tier, severity, why = 3, level.value, _why(level, q, review, None)
        elif level is Level.MEDIUM:
            tier, severity, why = 4, "medium", _why(level, q, review, None)
        else:
            continue
        found.append(((tier, weakness.get(section.id, 101), order),
                      Priority(q.id, section.id, section.title, q.prompt, severity, q.critical, why, tier)))
    for section_id, results in checks.items():
        title = next((s.title for s in template.sections if s.id == section_id), section_id)
        for r in results:
            if r.level is Level.HIGH:
                why = "the calculator's result is over the team's threshold or target"
                found.append(((2, weakness.get(section_id, 101), 0),
                              Priority(r.question.id, section_id, title, r.question.prompt, "high", False, why, 2)))
    found.sort(key=lambda pair: pair[0])
    return [p for _, p in found]


def assess(review: Review, template: Template, today: dt.date, detail: bool = True) -> Assessment:
    """detail=False skips what only reports show (the latency simulation when bounds decide, coverage)."""
    levels = review_levels(review, template)
    constraints = open_constraints(review, template, today, levels)
    calc = calculate(review, template, simulate_latency=detail)
    checks: dict[str, list[QuestionResult]] = {}
    for section_id, question, risk in calculator_risks(calc):
        checks.setdefault(section_id, []).append(QuestionResult(section_id, question, Level(risk.value)))
    sections = tuple(score_section(s, levels, constraints, tuple(checks.get(s.id, ()))) for s in template.sections)
    scored = [(s.score, s) for s in sections if s.score is not None]
    overall, weakest = min(scored, key=lambda p: p[0]) if scored else (0, None)  # first of equals: template order
    applicable = sum(1 for lv in levels.values() if lv is not Level.NOT_APPLICABLE)
    answered = sum(1 for lv in levels.values() if lv not in (Level.NOT_APPLICABLE, Level.UNANSWERED))
    verdict = band(overall) if scored else DEMO_ONLY
    risks = tuple(r for s in sections for r in s.results if r.level in (Level.HIGH, Level.MEDIUM))
    blockers = answered_blockers(review, template)
    capped_by = []
    if blockers or (applicable and answered / applicable < COMPLETE_FOR_PILOT):
        verdict = DEMO_ONLY
    elif verdict == PRODUCTION:
        highs = [r.question.prompt for r in risks if r.level is Level.HIGH]
        overdue = [c.title for c in constraints if c.overdue]
        if highs:
            capped_by.append(f"{_count(len(highs), 'high risk')} ({_named(highs)})")
        if overdue:
            capped_by.append(f"{_count(len(overdue), 'overdue constraint')} ({_named(overdue)})")
        if answered < applicable:
            capped_by.append(f"{applicable - answered} of {applicable} questions unanswered")
        if capped_by:
            verdict = PILOT
    ranked = tuple(priorities(review, template, levels, sections, constraints, blockers, checks))
    reason = _reason(weakest, verdict, capped_by, answered, applicable, blockers)
    return Assessment(
        today=today,
        sections=sections,
        overall=overall,
        verdict=verdict,
        reason=reason,
        weakest=weakest,
        constraints=tuple(constraints),
        risks=risks,
        coverage=tuple(coverage(review, template, levels)) if detail else (),
        calc=calc,
        priorities=ranked,
        answered=answered,
        applicable=applicable,
        blockers=tuple(blockers),
    )
