"""Readiness: a score per section, the program's verdict from its weakest section, and why.

Rules (README, "How the verdict is reached"):
- each answered question scores 1 with no risk, 0.7 with a medium risk, and 0 when it carries a high
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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from workbook.core.calc.results import CalcResults, calculate, calculator_risks
from workbook.core.constraints import Constraint, open_constraints
from workbook.core.expr import BLANK
from workbook.core.frameworks import FRAMEWORKS
from workbook.core.judgement import (
    Blocker,
    Finding,
    answered_blockers,
    blocking_questions,
    high_capable,
    judge,
    review_levels,
)
from workbook.core.models import Question, Review, Risk, Section, Status, Template
from workbook.core.per_template import per_template
from workbook.core.priorities import Priority, priorities
from workbook.core.risk import Level

POINTS = {
    Level.NONE: 1.0,
    Level.MEDIUM: 0.7,
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
    extra: bool = False  # a calculator's check or a consistency check, not a question of the template


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
    started: bool = True  # any question answered (a section not started still scores its blanks)

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
    priorities: tuple[Priority, ...] = ()
    answered: int = 0
    applicable: int = 0
    blockers: tuple[Blocker, ...] = ()
    reasons: dict[str, str] = field(default_factory=dict)  # question id -> the rule in context that set its risk
    findings: tuple[Finding, ...] = ()  # consistency checks that hold

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


def can_carry_risk(question: Question) -> bool:
    """Whether any answer to the question can carry a risk by the template's own marks."""
    risks = [c.risk for c in question.choices] + [question.risk_if_yes, question.risk_if_no]
    return (any(r in (Risk.MEDIUM, Risk.HIGH) for r in risks) or question.thresholds is not None
            or question.target_question is not None or bool(question.rules))


def can_carry_high(question: Question) -> bool:
    """Whether some answer to the question is a high risk or a blocker: then a blank is not safe."""
    t = question.thresholds
    return (any(c.risk is Risk.HIGH or c.blocker for c in question.choices)
            or Risk.HIGH in (question.risk_if_yes, question.risk_if_no)
            or (t is not None and (t.high_above is not None or t.high_below is not None))
            or question.target_question is not None or any(r.risk is Risk.HIGH for r in question.rules))


def points(result: QuestionResult, by_rule: frozenset[str] = frozenset(),
           capable: frozenset[str] | None = None, carriers: frozenset[str] | None = None) -> float | None:
    """What an answer scores (None: it does not score). Unknown is not safe: a blank where a high
    risk is possible scores as a high; an answer that can carry no risk scores nothing, unless a
    rule in context judged it (free points would lift a section on text alone). ``capable`` and
    ``carriers``: the template's questions that can carry a high risk, and any risk, when known."""
    level, question = result.level, result.question
    if level in POINTS and level is not Level.NONE:
        return POINTS[level]
    if level is Level.NONE:  # calculator checks always score
        carries = question.id in carriers if carriers is not None else can_carry_risk(question)
        return 1.0 if (result.extra or question.id in by_rule or carries) else None
    if level is Level.UNANSWERED and (question.id in capable if capable is not None else can_carry_high(question)):
        return 0.0
    return None


@per_template
def risk_carriers(template: Template) -> frozenset[str]:
    """The questions some answer to which can carry a risk by the template's own marks."""
    return frozenset(q.id for _, q in template.questions() if can_carry_risk(q))


def score_section(
    section: Section,
    levels: dict[str, Level],
    constraints: list[Constraint],
    extra: tuple[QuestionResult, ...] = (),
    by_rule: frozenset[str] = frozenset(),
    capable: frozenset[str] | None = None,
    concern_of: Mapping[str, str] | None = None,
    carriers: frozenset[str] | None = None,
) -> SectionScore:
    results = tuple(QuestionResult(section.id, q, levels[q.id]) for q in section.questions)
    results += extra  # calculator checks and consistency checks count like answers
    total = len(section.questions)
    concern_of = concern_of or {}
    scored: list[float] = []
    high_in: set[str] = set()
    given = started = high = medium = 0  # one pass: thousands of reviews are scored section by section
    for i, r in enumerate(results):
        level = r.level
        if i < total and level is not Level.UNANSWERED:
            given += 1
            started += level is not Level.NOT_APPLICABLE
        high += level is Level.HIGH
        medium += level is Level.MEDIUM
        if (p := points(r, by_rule, capable, carriers)) is None:
            continue
        concern = None if r.extra else concern_of.get(r.question.id)
        if concern is not None and level is Level.HIGH:
            # One problem is one high risk: its other high symptoms in the section (the dwell time, the
            # approval rate) still count, as mediums, so nothing is free and nothing sinks it thrice.
            p = POINTS[Level.MEDIUM] if concern in high_in else p
            high_in.add(concern)
        scored.append(p)
    # Half up, not Python's half-to-even: 12.5 shows as 13 as a person would round it. A section
    # nobody has started still counts (its blanks as highs) when it asks anything that can be high.
    score = int(100 * sum(scored) / len(scored) + 0.5) if scored else None
    return SectionScore(
        section=section,
        score=score,
        answered=given,
        total=total,
        high=high,
        medium=medium,
        open_constraints=sum(1 for c in constraints if c.section_id == section.id),
        results=results,
        started=started > 0,
    )


def _count(n: int, what: str) -> str:
    return f"{n} {what}" if n == 1 else f"{n} {what}s"


def _reason(a_weakest: SectionScore | None, verdict: str, capped_by: list[str], answered: int, applicable: int,
            blockers: list[Blocker], open_blockers: Sequence[Question] = (),
            bounded: SectionScore | None = None) -> str:
    """``a_weakest``: the section that decided the band; ``bounded``: a weaker one a guarded pilot bounds."""
    text = f"{verdict.capitalize()}:"
    if blockers:
        named = _named([b.question.prompt for b in blockers])
        text += f" {_count(len(blockers), 'blocker')} answered ({named}), whatever the scores."
    if open_blockers:
        named = _named([q.prompt for q in open_blockers])
        text += (f" {_count(len(open_blockers), 'question')} that can block launch not answered ({named}):"
                 " unknown is not safe.")
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
        if bounded is not None and bounded.score is not None and bounded.score < a_weakest.score:
            if bounded.score < PRODUCTION_FROM:
                text += (f" {bounded.title} is weaker at {bounded.score}/100, but a guarded pilot bounds it: weak"
                         f" there holds the verdict at pilot, not below.")
            else:  # at 80 or more it holds nothing back; the readiness shown is still its score
                text += f" {bounded.title} is lower at {bounded.score}/100, still sound."
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
LAUNCH_CONDITIONS = 3  # a sound program may carry this many highs that a launch checklist closes


def _launch_conditions(sections: Sequence[SectionScore], critical: frozenset[str] | set[str], by_rule: frozenset[str],
                       capable: frozenset[str]) -> tuple[list[QuestionResult], list[QuestionResult]]:
    """What holds a program whose every section is sound at pilot, and what it may carry as launch
    conditions instead. A high holds it at pilot when the question is critical here, a rule in
    context or a consistency check raised it, or a calculator found it; so does an unknown where a
    high is possible (unknown is not safe, and a rule the answer would meet cannot be told apart). A
    few other highs (a missing sign-off, a cost driver not in the model) are what a launch checklist
    closes, so they do not make a sound program a pilot. More than LAUNCH_CONDITIONS of them all hold
    it: that many gaps is not a checklist."""
    found = [r for s in sections for r in s.results
             if r.level is Level.HIGH or (r.level is Level.UNKNOWN and r.question.id in capable)]
    gating = [r for r in found if r.extra or r.level is Level.UNKNOWN or r.question.id in critical
              or r.question.id in by_rule]
    rest = [r for r in found if r not in gating]
    if gating or len(rest) > LAUNCH_CONDITIONS:
        return found, []
    return [], rest


def _judged_alone(s: SectionScore) -> bool:
    """A section mostly not applicable to this program is not its weakest on a handful of answers."""
    na = sum(1 for r in s.results[: s.total] if r.level is Level.NOT_APPLICABLE)
    return s.score is not None and na * 2 <= s.total


@per_template
def _concern_of(template: Template) -> dict[str, str]:
    return {qid: c.id for c in template.concerns for qid in c.questions}


def assess(review: Review, template: Template, today: dt.date, detail: bool = True,
           ranked: bool = True) -> Assessment:
    """detail=False skips what only reports show (the latency simulation when bounds decide, coverage);
    ranked=False skips the priorities (check and portfolio never print them: a sixth of their time)."""
    judged = judge(review, template)
    levels = judged.levels
    calc = calculate(review, template, simulate_latency=detail, today=today)
    # Without the simulation, the constraints' high-risk areas read the same results (today only adds the
    # latest measurement, which no risk reads) instead of working them out again.
    constraints = open_constraints(review, template, today, levels, judged.critical, None if detail else calc)
    checks: dict[str, list[QuestionResult]] = {}
    calculator_highs: dict[str, list[Question]] = {}
    for section_id, question, risk in calculator_risks(calc):
        checks.setdefault(section_id, []).append(QuestionResult(section_id, question, Level(risk.value), extra=True))
        if risk is Risk.HIGH:
            calculator_highs.setdefault(section_id, []).append(question)
    by_rule = frozenset(judged.reasons)
    capable = high_capable(template)
    concern_of = _concern_of(template)
    carriers = risk_carriers(template)
    sections = tuple(score_section(s, levels, constraints, tuple(checks.get(s.id, ())), by_rule, capable, concern_of,
                                   carriers) for s in template.sections)
    alone = [s for s in sections if _judged_alone(s)] or [s for s in sections if s.score is not None]
    scored = [(s.score, s) for s in alone if s.score is not None]
    overall, weakest = min(scored, key=lambda p: p[0]) if scored else (0, None)  # first of equals: template order
    safety = [score for score, s in scored if not s.section.viability]
    dear = [s for score, s in scored if s.section.viability and score < PRODUCTION_FROM]
    applicable = sum(1 for lv in levels.values() if lv is not Level.NOT_APPLICABLE)
    answered = sum(1 for lv in levels.values() if lv not in (Level.NOT_APPLICABLE, Level.UNANSWERED))
    verdict = band(min(safety)) if safety else band(overall) if scored else DEMO_ONLY
    risks = tuple(r for s in sections for r in s.results if r.level in (Level.HIGH, Level.MEDIUM))
    blockers = answered_blockers(review, template)
    # Unknown is not safe: a question that can block launch, left blank or unknown, blocks like an answer.
    open_blockers = [q for _, q in blocking_questions(template)
                     if (review.answers.get(q.id) or BLANK).status in (Status.UNANSWERED, Status.UNKNOWN)]
    blank_critical = [q.prompt for _, q in template.questions()
                      if q.id in judged.critical and (review.answers.get(q.id) or BLANK).status is Status.UNANSWERED]
    capped_by = []
    launch: list[QuestionResult] = []
    if blockers or open_blockers or (applicable and answered / applicable < COMPLETE_FOR_PILOT):
        verdict = DEMO_ONLY
    elif verdict == PRODUCTION:
        gating, launch = _launch_conditions(sections, judged.critical, by_rule, capable)
        overdue = [c.title for c in constraints if c.overdue]
        highs = [r.question.prompt for r in gating if r.level is Level.HIGH]
        unknown = [r.question.prompt for r in gating if r.level is Level.UNKNOWN]
        if highs:
            capped_by.append(f"{_count(len(highs), 'high risk')} ({_named(highs)})")
        if unknown:
            capped_by.append(f"{_count(len(unknown), 'unknown answer')} where a high risk is possible "
                             f"({_named(unknown)})")
        if overdue:
            capped_by.append(f"{_count(len(overdue), 'overdue constraint')} ({_named(overdue)})")
        if dear:
            capped_by.append(" and ".join(f"{s.title} at {s.score}/100" for s in dear))
        if blank_critical:
            capped_by.append(f"{_count(len(blank_critical), 'critical question')} not answered "
                             f"({_named(blank_critical)})")
        elif answered < applicable:
            capped_by.append(f"{applicable - answered} of {applicable} questions unanswered")
        if capped_by:
            verdict = PILOT
    weakness = {s.id: (s.score if s.score is not None else 101) for s in sections}
    order = (tuple(priorities(review, template, judged, weakness, constraints, blockers, calculator_highs,
                              production=verdict == PRODUCTION))
             if ranked else ())
    # The reason names the section that decided the band: the weakest of those a pilot cannot bound.
    deciding = min(((score, s) for score, s in scored if not s.section.viability), key=lambda p: p[0],
                   default=(overall, weakest))[1]
    if deciding is None or deciding.score is None or deciding.score <= overall:
        deciding = weakest  # a tie names the weakest in template order, as before
    bounded = weakest if deciding is not weakest else None
    reason = _reason(deciding, verdict, capped_by, answered, applicable, blockers, open_blockers, bounded)
    if verdict == PRODUCTION and launch:
        reason += (f" To close before launch: {_count(len(launch), 'launch condition')} "
                   f"({_named([r.question.prompt for r in launch])}): a high risk on a question not critical "
                   "here is what a launch checklist closes, not what holds a sound program at pilot.")
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
        priorities=order,
        answered=answered,
        applicable=applicable,
        blockers=tuple(blockers),
        reasons=judged.reasons,
        findings=judged.findings,
    )
