"""What to fix first, across the whole review: bands by consequence, harm within a band, one per problem.

Bands, in order:
0. blockers: a choice that makes the program unfit for real use, or a question that can block
   launch and is not answered ("answer this: it can block launch");
1. a go/no-go of the team's own that fails: a measurement worse than the team's own target or
   threshold (a calculator's estimate over it is a high risk, band 4, or joins the measurement);
2. decisions late or nobody's: overdue constraints, and critical decisions deferred without an
   owner or a date (the decision nobody owns is worse than the one that is late);
3. high risks raised by the program's context (a rule or a consistency check);
4. other high risks;
5. critical questions unknown or not answered;
6. medium risks.
After the first three bands, what the program's own answers make possible comes first (core.judgement's
harms: money moved, output reaching the public unchecked…): a medium on the question that decides
a harm outranks a generic high elsewhere. Then the band, the harm's weight, the weaker section and
the template's order. Two findings about one problem (the measured p95 over the team's target and the
simulated one) are one priority with both reasons.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, replace

from workbook.core.constraints import Constraint
from workbook.core.display import answer_summary, format_number
from workbook.core.judgement import Blocker, Judgement, number_answer
from workbook.core.models import Concern, Question, Review, Status, Template
from workbook.core.risk import Level
from workbook.core.text import one_line


@dataclass(frozen=True)
class Priority:
    """One thing to fix, in the order an expert would take them."""

    question_id: str
    section_id: str
    section_title: str
    prompt: str
    severity: str  # blocker | high | overdue | unowned | unknown | unanswered | medium
    critical: bool
    why: str
    tier: int  # the band (module docstring)
    next_step: str = ""  # what to do, in a sentence that names the program's own answer
    harm: int = 0
    concern: str = ""  # the template's name for the problem this priority is about, if it names one
    also: tuple[str, ...] = ()  # the other questions about the same problem, folded into this one
    gate: bool = False  # what the launch gate checks, in a production candidate: it leads what is left


def standing(p: Priority) -> tuple[int, ...]:
    """Where a priority stands among others, from any review: the fixed bands (0-2), then, in a
    production candidate, what its launch gate checks, then the rest by ``rank``."""
    return (0 if p.tier <= 2 else 1 if p.gate else 2, *rank(p.tier, p.harm))


def rank(tier: int, harm: int) -> tuple[int, ...]:
    """Where a priority stands: the fixed bands (0-2) first; past them, what the program's harms make
    possible comes first (a medium on the question that decides a harm outranks a generic high
    elsewhere), then the band, then the harm's weight."""
    return (tier, 0, 0, -harm) if tier <= 2 else (3, 0 if harm else 1, tier, -harm)


def phrase(text: str, width: int = 100) -> str:
    """An answer shortened for a priority's reason: whole words only (reports wrap it, never cut it)."""
    joined = " ".join(text.split())
    if len(joined) <= width:  # what shorten returns when it fits, without wrapping every reason again
        return joined
    short = textwrap.shorten(text, width, placeholder=" …")
    return short if short.strip(" …") else one_line(text, width)  # one word longer than width: cut it


_GOOD = re.compile(r"A good answer is ([^.]+(?:\.\d[^.]*)*)\.", re.IGNORECASE)


def good_answer(question: Question) -> str:
    """The template's own "A good answer is …" for a question, or ""."""
    match = _GOOD.search(question.help)
    return match.group(1).strip() if match else ""


_SETTLE = "Settle which answer is true; both cannot be."


def can_block(question: Question) -> bool:
    return any(c.blocker for c in question.choices)


def _next_step(question: Question, review: Review, severity: str) -> str:
    said = phrase(answer_summary(question, review.answer(question.id)), 80)
    good = good_answer(question)
    aim = f" A good answer is {good}." if good else ""
    if severity in ("unanswered", "unknown"):
        return f"Find out and answer it.{aim}"
    if severity == "unowned":
        return "Name who decides it and by when: a deferred decision nobody owns never gets made."
    if severity == "overdue":
        return "Decide it now, or re-date it with the owner and say what broke meanwhile."
    today = f"Today the answer is “{said}”." if said else "It has no answer yet."
    return f"{today}{aim or ' Decide what would make it acceptable, and who owns that.'}"


def _why(level: Level, question: Question, review: Review, reason: str) -> str:
    answer = review.answer(question.id)
    said = phrase(answer_summary(question, answer))
    target = number_answer(review, question.target_question)
    if reason:
        return f"{level.value} risk: {reason}" if level in (Level.HIGH, Level.MEDIUM) else reason
    if level is Level.HIGH and target is not None and isinstance(answer.value, (int, float)):
        worse = "over" if question.target_direction == "at_most" else "under"
        unit = f" {question.unit}" if question.unit else ""
        return f"{format_number(answer.value)}{unit} is {worse} the team's own target of {format_number(target)}{unit}"
    if level is Level.HIGH:
        return f"high risk: {said}"
    if level is Level.MEDIUM:
        return f"medium risk: {said}" + (" (exposure; its controls hold)" if question.exposure else "")
    if level is Level.UNKNOWN:
        return "critical and unknown"
    if level is Level.UNANSWERED:
        return "critical and not answered"
    return level.value


def _own_target_failed(question: Question, review: Review, level: Level) -> bool:
    return level is Level.HIGH and number_answer(review, question.target_question) is not None


def priorities(review: Review, template: Template, judged: Judgement, weakness: dict[str, int],
               constraints: list[Constraint], blockers: list[Blocker],
               calculator_highs: dict[str, list[Question]], production: bool = False) -> list[Priority]:
    """``production``: the program is a production candidate, so its launch gate leads what is left."""
    levels, reasons = judged.levels, judged.reasons
    late = {c.question_id: c for c in constraints if c.overdue}
    nobody = {c.question_id: c for c in constraints if (c.unowned or c.undated) and c.question_id in judged.critical
              and c.kind == "decision"}
    blocked = {b.question.id: b for b in blockers}
    gate = frozenset(template.launch_gate)
    found: list[tuple[tuple[int, ...], Priority]] = []
    order = 0

    def add(tier: int, section_id: str, q: Question, severity: str, why: str, next_step: str = "") -> None:
        title = next((s.title for s in template.sections if s.id == section_id), section_id)
        harm = judged.harm_of(q.id)
        p = Priority(q.id, section_id, title, q.prompt, severity, q.id in judged.critical, why, tier,
                     next_step or _next_step(q, review, severity), harm, gate=production and q.id in gate)
        found.append(((*standing(p), weakness.get(section_id, 101), order), p))

    for section, q in template.questions():
        order += 1
        level, answer = levels[q.id], review.answer(q.id)
        critical = q.id in judged.critical
        if q.id in blocked:
            labels = ", ".join(c.label for c in blocked[q.id].choices)
            add(0, section.id, q, "blocker", f"blocker: {phrase(labels)}",
                f"Today the answer is “{phrase(labels, 80)}”: no real user before that changes.")
        elif can_block(q) and answer.status in (Status.UNANSWERED, Status.UNKNOWN):
            add(0, section.id, q, "unknown" if answer.status is Status.UNKNOWN else "unanswered",
                "answer this: it can block launch", "Answer it before anything else: one of its answers blocks launch.")
        elif _own_target_failed(q, review, level):
            add(1, section.id, q, "high", _why(level, q, review, reasons.get(q.id, "")))
        elif q.id in late:
            c = late[q.id]
            why = f"overdue by {-(c.days_left or 0)} days, {c.owner or 'unowned'}"
            if level is Level.HIGH:
                why = f"{_why(level, q, review, reasons.get(q.id, ''))}; {why}"
            add(2, section.id, q, "overdue", why)
        elif q.id in nobody:
            c = nobody[q.id]
            missing = " and ".join(w for w, gone in (("no owner", c.unowned), ("no date", c.undated)) if gone)
            add(2, section.id, q, "unowned", f"critical decision deferred with {missing}")
        elif level is Level.HIGH:
            add(3 if q.id in reasons else 4, section.id, q, "high", _why(level, q, review, reasons.get(q.id, "")),
                _SETTLE if q.id in judged.contradictions else "")
        elif critical and level in (Level.UNKNOWN, Level.UNANSWERED):
            add(5, section.id, q, level.value, _why(level, q, review, ""))
        elif level is Level.MEDIUM:
            add(6, section.id, q, "medium", _why(level, q, review, reasons.get(q.id, "")),
                _SETTLE if q.id in judged.contradictions else "")
    for section_id, questions in calculator_highs.items():
        for calc in questions:
            merged = _same_problem(found, calc, template)
            if merged is None:  # an estimate from the team's inputs, not a measurement: a high, not a failed go/no-go
                add(4, section_id, calc, "high", "the calculator's estimate is over the team's threshold or target",
                    "Change what drives the estimate (the stage or token figures), measure it, or revisit the target.")
    found.sort(key=lambda pair: pair[0])
    return one_per_concern([p for _, p in found], template.concerns)


_FOLDED_REASONS = 2  # reasons of folded priorities spelled out in the lead's; the rest are named in ``also``


def one_per_concern(ranked: Iterable[Priority], concerns: Iterable[Concern]) -> list[Priority]:
    """Priorities about one underlying problem (the template's concerns) are one: the most urgent leads,
    keeps its place and says the others' reasons. ``ranked`` is in order; so is what comes back."""
    concern_of = {qid: c for c in concerns for qid in c.questions}
    out: list[Priority] = []
    lead: dict[str, int] = {}
    for p in ranked:
        concern = concern_of.get(p.question_id)
        if concern is None:
            out.append(p)
        elif concern.id not in lead:
            lead[concern.id] = len(out)
            out.append(replace(p, concern=concern.label))
        else:
            first = out[lead[concern.id]]
            why = first.why
            if len(first.also) < _FOLDED_REASONS:
                why = f"{why}; also “{one_line(p.prompt)}”: {p.why}"
            # A priority folded again keeps what it had folded in (two reviews' lists merged into one).
            also = tuple(dict.fromkeys((*first.also, p.question_id, *p.also)))
            out[lead[concern.id]] = replace(first, why=why, also=also)
    return out


def _same_problem(found: list[tuple[tuple[int, ...], Priority]], calc: Question,
                  template: Template) -> Priority | None:
    """The measured figure judged against the same target as the calculator: one problem, both reasons."""
    from workbook.core.calc.results import LATENCY_CHECK

    latency, cost = template.calculators.latency, template.calculators.cost
    if calc is LATENCY_CHECK:
        target = latency.target_question if latency is not None else None
    else:
        target = cost.threshold_question if cost is not None else None
    if target is None:
        return None
    for i, (key, p) in enumerate(found):
        q = template.question(p.question_id)
        if q is not None and q.target_question == target and p.severity == "high":
            both = f"{p.why}; the calculator's simulation is over it too"
            found[i] = (key, replace(p, why=both, concern="", also=()))
            return found[i][1]
    return None
