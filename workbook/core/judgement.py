"""Each answer judged in the context of the whole review, not alone.

- The team's own target: a number question naming a ``target_question`` is judged against the
  team's answer to it (a 71 s p95 against the team's own 120 s overnight target is fine); the
  template's default thresholds apply only while the target is unanswered.
- Exposure is not failure: an inventory question (``exposure = true``: which data reaches the model,
  which actions it can take) is capped at medium unless one of its ``controlled_by`` questions is
  itself answered with a high risk. The high risk belongs to the control.
- Blockers: a choice marked ``blocker = true`` that is answered makes the verdict "demo only".
- Rules in context (template data, core/expr.py): a question's ``rules`` set its risk where they
  hold (first match wins), ``critical_when`` makes it critical where it holds, the template's
  ``checks`` raise a risk of their own when two answers contradict each other, and its ``harms``
  say what the program's answers make possible (priorities rank by them).

Scoring, constraints, the cards and the exports all read levels from ``review_levels``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from workbook.core.expr import BLANK, evaluate, holds, may_hold
from workbook.core.kinds import kind_of
from workbook.core.models import Answer, Check, Choice, Harm, Question, Review, Risk, Section, Status, Template
from workbook.core.per_template import ANSWERS_KEPT, few_valued, per_template
from workbook.core.risk import Level, answer_level


def number_answer(review: Review, qid: str | None) -> float | None:
    """The team's answered number to a question (a threshold, a target), or None."""
    if qid is None:
        return None
    a = review.answers.get(qid)
    if a is None or a.status is not Status.ANSWERED or isinstance(a.value, bool):
        return None
    return float(a.value) if isinstance(a.value, (int, float)) else None


@dataclass(frozen=True)
class Finding:
    """A consistency check that holds: a risk of its own, shown with its sentence."""

    check: Check
    section_id: str
    # False: it depends on answers not given yet. It still scores (unknown is not safe), but nothing
    # says the contradiction until both answers are there.
    certain: bool = True

    @property
    def question_id(self) -> str:
        return self.check.questions[0]


@dataclass(frozen=True)
class Judgement:
    """Every question's level in the program's context, and why where a rule decided it."""

    levels: dict[str, Level]
    reasons: dict[str, str] = field(default_factory=dict)  # question id -> the rule's sentence
    critical: frozenset[str] = frozenset()  # critical in this program (always, or where critical_when holds)
    findings: tuple[Finding, ...] = ()
    contradictions: frozenset[str] = frozenset()  # questions whose level a consistency check set
    harms: tuple[Harm, ...] = ()  # what this program's answers make possible

    def harm_of(self, question_id: str) -> int:
        """How much harm a risk on this question can lead to here (the weights of the harms that hold)."""
        return sum(h.weight for h in self.harms if question_id in h.questions)


def is_critical(question: Question, review: Review) -> bool:
    """Critical always, or where its critical_when holds or may (what it depends on is not answered yet)."""
    return question.critical or bool(question.critical_when and may_hold(question.critical_when, review, question.id))


def na_allowed(question: Question, review: Review) -> bool:
    """Whether this program may answer the question "not applicable": where its ``applies_when`` does
    not hold; without one, unless the question is critical here."""
    if question.applies_when:
        return evaluate(question.applies_when, review, question.id) is False
    return not is_critical(question, review)


NOT_APPLICABLE_REFUSED = "called not applicable, but it applies to this program: unknown until answered"


@dataclass(frozen=True)
class _Plan:
    """What judging needs of a template, whatever the answers (worked out once per template)."""

    questions: tuple[Question, ...]
    exposure: tuple[Question, ...]
    always_critical: frozenset[str]
    critical_when: tuple[Question, ...]  # critical where their rule holds or may
    checks: tuple[tuple[Check, Section], ...]  # that can raise a risk, with the section they are about


@per_template
def _plan(template: Template) -> _Plan:
    questions = tuple(q for _, q in template.questions())
    checks = []
    for check in template.checks:
        section = template.section_of(check.questions[0])
        if section is not None and check.risk is not Risk.NONE:
            checks.append((check, section))
    return _Plan(questions, tuple(q for q in questions if q.exposure),
                 frozenset(q.id for q in questions if q.critical),
                 tuple(q for q in questions if not q.critical and q.critical_when), tuple(checks))


def judge(review: Review, template: Template) -> Judgement:
    """The whole review judged in context: levels, the rules that set them, checks and harms."""
    plan = _plan(template)
    known = _levels_seen(template)
    answers = review.answers
    levels: dict[str, Level] = {}
    reasons: dict[str, str] = {}
    for q in plan.questions:
        answer = answers.get(q.id)
        if answer is None:  # no entry: blank, whatever the question (no rule judges a blank's level)
            levels[q.id] = Level.UNANSWERED
            continue
        level = _level(q, answer, number_answer(review, q.target_question), known)
        if answer.status is Status.NOT_APPLICABLE and not na_allowed(q, review):
            level, reasons[q.id] = Level.UNKNOWN, NOT_APPLICABLE_REFUSED  # a way out of the question, refused
        elif answer.status is Status.ANSWERED and q.rules:
            found = _first_rule(q, review, level)
            if found is not None:
                level, reasons[q.id] = found
        levels[q.id] = level
    for q in plan.exposure:
        if levels[q.id] is Level.HIGH and q.id not in reasons:
            failed_control = any(levels.get(c) is Level.HIGH for c in q.controlled_by)
            if not failed_control:
                levels[q.id] = Level.MEDIUM
    critical = plan.always_critical.union(
        q.id for q in plan.critical_when if may_hold(q.critical_when, review, q.id))
    findings = []
    contradicted: set[str] = set()
    for check, section in plan.checks:
        truth = evaluate(check.when, review)
        if truth is False:
            continue
        findings.append(Finding(check, section.id, certain=truth is True))
        # One problem, one risk: the contradiction is judged on the answer it is about (its first
        # question), raising it, not counted again beside it.
        qid, ruled = check.questions[0], Level(check.risk.value)
        if (answers.get(qid) or BLANK).status is Status.ANSWERED and _RANK[ruled] > _RANK.get(levels[qid], -1):
            levels[qid] = ruled
            reasons[qid] = check.message if truth else f"{check.message} (assumed until both are answered)"
            contradicted.add(qid)
    harms = tuple(h for h in template.harms if holds(h.when, review))  # ranking only: what is known
    return Judgement(levels, reasons, critical, tuple(findings), frozenset(contradicted), harms)


LevelsSeen = dict[tuple[str, Status, type, Any, float | None, bool], Level]


@per_template
def _levels_seen(template: Template) -> LevelsSeen:
    """``answer_level`` of answers already judged, by question, status, value, target and validation."""
    return {}


def _level(q: Question, answer: Answer, target: float | None, known: LevelsSeen) -> Level:
    """``answer_level``, looked up where an answer of the same status and value was judged before: it reads
    nothing else of the answer but whether it is validated (an assumption's yes). The value's type is in
    the key (True == 1)."""
    value = answer.value
    if not few_valued(q, value):
        return answer_level(q, answer, target)
    key = (q.id, answer.status, type(value), value, target, answer.resolved_on is None)
    level = known.get(key)
    if level is None:
        level = answer_level(q, answer, target)
        if len(known) < ANSWERS_KEPT:
            known[key] = level
    return level


@per_template
def high_capable(template: Template) -> frozenset[str]:
    """Questions some answer to which is a high risk (by their marks, a rule, or a check they open):
    left blank, they score as one."""
    from workbook.core.scoring import can_carry_high

    checked = {c.questions[0] for c in template.checks if c.risk is Risk.HIGH}
    return frozenset(q.id for _, q in template.questions() if q.id in checked or can_carry_high(q))


_RANK = {Level.NONE: 0, Level.MEDIUM: 1, Level.HIGH: 2}


def _first_rule(q: Question, review: Review, level: Level) -> tuple[Level, str] | None:
    """The first of a question's rules that holds. One that depends on an answer not given yet counts
    only when it raises the risk (it is assumed until the answer says otherwise)."""
    for rule in q.rules:
        truth = evaluate(rule.when, review, q.id)
        ruled = Level(rule.risk.value)
        if truth is True:
            return ruled, rule.why
        if truth is None and _RANK[ruled] > _RANK.get(level, 0):
            return ruled, f"{rule.why} (assumed until the answers it depends on are given)"
    return None


def review_levels(review: Review, template: Template) -> dict[str, Level]:
    """The level of every question of the template, judged in context."""
    return judge(review, template).levels


@dataclass(frozen=True)
class Blocker:
    """A question answered with choices marked as blockers, and those choices."""

    section: Section
    question: Question
    choices: tuple[Choice, ...]


@per_template
def blocking_questions(template: Template) -> tuple[tuple[Section, Question], ...]:
    """The questions with a choice marked as a blocker, in template order."""
    return tuple((s, q) for s, q in template.questions() if any(c.blocker for c in q.choices))


def answered_blockers(review: Review, template: Template) -> list[Blocker]:
    """Every question answered with a choice the template marks as a blocker."""
    found = []
    for section, q in blocking_questions(template):
        answer = review.answers.get(q.id)
        if answer is None or answer.status is not Status.ANSWERED:
            continue
        chosen = kind_of(q).chosen(answer.value)
        hits = tuple(c for c in q.choices if c.blocker and c.id in chosen)
        if hits:
            found.append(Blocker(section, q, hits))
    return found
