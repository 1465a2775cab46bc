"""The sections a review shows: the template's, plus one holding answers it no longer asks; progress per section."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbook.core.constraints import Constraint
from workbook.core.models import Kind, Question, Review, Section, Template
from workbook.core.risk import Level, answer_level
from workbook.core.text import terminal_safe

if TYPE_CHECKING:  # scoring (and priorities) are not needed before the first frame
    from workbook.core.scoring import Assessment, SectionScore

ORPHANS = "no-longer-asked"


@dataclass(frozen=True)
class SectionStatus:
    """A section's progress as the section list shows it."""

    section_id: str
    title: str
    answered: int
    total: int
    open: int
    overdue: int
    disagreements: int = 0


def review_sections(review: Review, template: Template) -> tuple[Section, ...]:
    """The template's sections, plus one for answers to questions it no longer asks (kept, shown)."""
    orphans = sorted(review.orphans(template))
    if not orphans:
        return template.sections
    # model_construct: an orphan's id is whatever the file holds; it need not be a valid new id
    # (so it is shown escaped: a TOML key may hold control characters).
    questions = tuple(
        Question.model_construct(id=qid, prompt=f"(no longer asked) {terminal_safe(qid)}", kind=Kind.TEXT,
                                 help="This question was renamed or removed in the template. The answer is "
                                      "kept in the file and in every export; it cannot be edited here.")
        for qid in orphans
    )
    extra = Section.model_construct(
        id=ORPHANS, title="No longer in the template", timebox_minutes=0, questions=questions, guidance="",
        intro="Answers to questions this version of the template no longer asks. Nothing is dropped.",
    )
    return (*template.sections, extra)


def section_statuses(sections: tuple[Section, ...], review: Review,
                     constraints: list[Constraint]) -> list[SectionStatus]:
    statuses = []
    for section in sections:
        answered = sum(1 for q in section.questions if answer_level(q, review.answer(q.id)) is not Level.UNANSWERED)
        mine = [c for c in constraints if c.section_id == section.id]
        statuses.append(SectionStatus(
            section.id, section.title, answered, len(section.questions), len(mine),
            sum(1 for c in mine if c.overdue),
            sum(1 for q in section.questions if review.answer(q.id).disagreement),
        ))
    return statuses


def score_text(s: SectionScore) -> str:
    """A section's score as a person reads it: the number, or why there is none ("n/a" said neither)."""
    if s.score is not None and s.started:
        return str(s.score)
    if s.total and all(r.level is Level.NOT_APPLICABLE for r in s.results[: s.total]):
        return "not applicable"
    if s.started:  # answered, but nothing in it carries a risk mark (a profile of the program)
        return "not scored"
    return "not started"


def readiness_caveat(a: Assessment) -> str:
    """What the readiness headline must add when its number rests on little: the weakest section
    barely answered (under half), or sections not started (their blanks count as the risks they could be)."""
    parts = []
    w = a.weakest
    if w is not None and w.answered * 2 < w.total:
        parts.append(f"weakest: {w.title} — only {w.answered} of {w.total} answered")
    idle = sum(1 for s in a.sections if score_text(s) == "not started")
    if idle:
        parts.append(f"{idle} section{'' if idle == 1 else 's'} not started")
    return "; ".join(parts)
