"""What every export shows, gathered once: decisions made, open constraints, risks, answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from workbook.core.calc.describe import money, ms
from workbook.core.calc.results import COST_CHECK, LATENCY_CHECK
from workbook.core.display import STATUS_LABEL, answer_summary
from workbook.core.judgement import review_levels
from workbook.core.models import Answer, Question, Review, Section, Status, Template
from workbook.core.risk import Level
from workbook.core.scoring import Assessment, QuestionResult, assess


@dataclass(frozen=True)
class Decision:
    section: Section
    question: Question
    answer: Answer

    @property
    def made(self) -> bool:
        return self.answer.status is Status.ANSWERED

    @property
    def outcome(self) -> str:
        return answer_summary(self.question, self.answer)


@dataclass(frozen=True)
class ExportData:
    review: Review
    template: Template
    assessment: Assessment

    @property
    def today(self) -> dt.date:
        return self.assessment.today

    def decisions(self) -> list[Decision]:
        """Every decision question that was made or deferred, in template order."""
        found = []
        for section, q in self.template.questions():
            a = self.review.answers.get(q.id)
            if q.decision and a is not None and a.status in (Status.ANSWERED, Status.DEFERRED):
                found.append(Decision(section, q, a))
        return found

    def made(self) -> list[Decision]:
        return [d for d in self.decisions() if d.made]

    def answers_by_section(self) -> list[tuple[Section, list[tuple[Question, Answer, Level]]]]:
        levels = review_levels(self.review, self.template)  # judged in context, as the verdict is
        return [(s, [(q, self.review.answer(q.id), levels[q.id]) for q in s.questions]) for s in self.template.sections]

    def section_title(self, section_id: str) -> str:
        """The title of one of the template's sections (what risks and constraints point at)."""
        section = self.template.section(section_id)
        if section is None:  # risks are scored per template section, so they always name one
            raise KeyError(f"template {self.template.id} has no section {section_id!r}")
        return section.title

    def risk_answer(self, risk: QuestionResult) -> str:
        """What raised a risk, shown as answers are; for a calculator's check (no answer of its own),
        the figure against the team's threshold or target."""
        calc = self.assessment.calc
        if risk.question is COST_CHECK and calc is not None and calc.cost is not None:
            return (f"{money(calc.cost.expected.cost_per_success)} per successful outcome, against the threshold of "
                    f"{money(calc.cost.threshold)}")
        if risk.question is LATENCY_CHECK:
            lat = calc.latency if calc is not None else None
            if lat is not None and lat.target_p95_ms is not None:
                return f"simulated p95 of {ms(lat.p95_ms)}, against the target of {ms(lat.target_p95_ms)}"
            return "the stage budget is over the p95 target"
        said = answer_text(risk.question, self.review.answer(risk.question.id))
        reason = self.assessment.reasons.get(risk.question.id, "")
        return f"{said} (in context: {reason})" if reason else said  # the rule that set the risk, said

    def orphans(self) -> list[tuple[str, Answer]]:
        """Answers to questions the template no longer has: exported so nothing is lost."""
        return [(qid, self.review.answers[qid]) for qid in self.review.orphans(self.template)]


def export_data(review: Review, template: Template, today: dt.date) -> ExportData:
    return ExportData(review, template, assess(review, template, today))


def answer_text(question: Question | None, answer: Answer) -> str:
    """An answer as every part of an export shows it: the value as typed (line breaks kept), or what
    its status says ("unknown", "deferred to …", "not applicable: …"); never both ("no (answered)")."""
    said = answer_summary(question, answer)
    if said:
        return said
    return "answered, with no value recorded" if answer.status is Status.ANSWERED else STATUS_LABEL[answer.status]


SEVERITY_ORDER = (Level.HIGH, Level.MEDIUM)


def by_severity(risks: Sequence[QuestionResult]) -> list[QuestionResult]:
    """High risks first, then medium; the template's order within each (a stable sort)."""
    last = len(SEVERITY_ORDER)
    return sorted(risks, key=lambda r: SEVERITY_ORDER.index(r.level) if r.level in SEVERITY_ORDER else last)


def iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def minutes(seconds: int) -> str:
    over = seconds % 60
    return f"{seconds // 60} min {over:02d} s" if over else f"{seconds // 60} min"


def same_person(a: str, b: str) -> bool:
    """The same person, written with or without a role: "Helen Marsh (COO, sponsor)" is "Helen Marsh"."""
    a, b = a.casefold().strip(), b.casefold().strip()
    return a == b or a.startswith(b + " (") or b.startswith(a + " (")


def reason_after_verdict(assessment: Assessment) -> str:
    """The verdict's reason without the verdict it starts with, for a page that has just shown it."""
    lead = f"{assessment.verdict.capitalize()}:"
    reason = assessment.reason
    return reason[len(lead):].lstrip() if reason.startswith(lead) else reason
