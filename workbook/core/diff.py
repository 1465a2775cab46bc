"""What moved between two versions of a review: answers, constraints, slips, scores and verdict."""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

from workbook.core.constraints import Constraint
from workbook.core.display import STATUS_LABEL, answer_summary
from workbook.core.errors import FileError, WorkbookError
from workbook.core.models import Review, Template
from workbook.core.scoring import Assessment, assess
from workbook.core.store import ReviewFile, load_review_bytes


@dataclass(frozen=True)
class AnswerChange:
    question_id: str
    section_title: str
    prompt: str
    before: str
    after: str


@dataclass(frozen=True)
class Slip:
    constraint: Constraint
    before: dt.date | None
    after: dt.date  # a slip is a later date, so there is one


@dataclass(frozen=True)
class ReviewDiff:
    old_label: str
    new_label: str
    changed: list[AnswerChange]
    opened: list[Constraint]
    closed: list[Constraint]
    slips: list[Slip]
    old: Assessment
    new: Assessment
    scores: list[tuple[str, int | None, int | None]]  # sections whose score moved

    @property
    def empty(self) -> bool:
        return not (self.changed or self.opened or self.closed or self.slips or self.scores
                    or self.old.verdict != self.new.verdict)


def _describe(template: Template, review: Review, qid: str) -> str:
    answer = review.answers.get(qid)
    if answer is None:
        return "unanswered"
    text = answer_summary(template.question(qid), answer) or STATUS_LABEL[answer.status]
    if answer.disagreement:
        text = "disagreement: " + "; ".join(f"{who} → {answer_summary(template.question(qid), a)}"
                                            for who, a in answer.responses.items())
    return text


def diff_reviews(old: Review, new: Review, template: Template, today: dt.date,
                 old_label: str = "old", new_label: str = "new") -> ReviewDiff:
    a_old, a_new = assess(old, template, today), assess(new, template, today)
    changed = []
    order = [q.id for _, q in template.questions()]
    others = sorted((set(old.answers) | set(new.answers)) - set(order))
    for qid in order + others:
        a, b = old.answers.get(qid), new.answers.get(qid)
        if a == b:
            continue
        before, after = _describe(template, old, qid), _describe(template, new, qid)
        if before == after:  # the answer stands; something around it moved
            notes_moved = (a.notes if a else "") != (b.notes if b else "")
            after += " (notes changed)" if notes_moved else " (owner, dates or details changed)"
        section = template.section_of(qid)
        question = template.question(qid)
        changed.append(AnswerChange(qid, section.title if section else "(no longer in the template)",
                                    question.prompt if question else qid, before, after))
    old_c = {c.question_id: c for c in a_old.constraints}
    new_c = {c.question_id: c for c in a_new.constraints}
    opened = [c for qid, c in new_c.items() if qid not in old_c]
    closed = [c for qid, c in old_c.items() if qid not in new_c]
    slips = []
    for qid, c in new_c.items():
        prev = old_c.get(qid)
        if prev is not None and prev.decide_by != c.decide_by and c.decide_by is not None and (
                prev.decide_by is None or c.decide_by > prev.decide_by):
            slips.append(Slip(c, prev.decide_by, c.decide_by))
    scores = [(s_new.title, s_old.score, s_new.score) for s_old, s_new in zip(a_old.sections, a_new.sections)
              if s_old.score != s_new.score]
    return ReviewDiff(old_label, new_label, changed, opened, closed, slips, a_old, a_new, scores)


def _git(args: list[str], cwd: Path) -> bytes:
    try:
        out = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=60)
    except FileNotFoundError:
        raise WorkbookError("git is not installed; it is needed for --rev") from None
    if out.returncode != 0:
        message = out.stderr.decode("utf-8", "replace").strip().splitlines()
        raise WorkbookError(message[-1] if message else f"git {' '.join(args)} failed")
    return out.stdout


def review_at_rev(current: ReviewFile, rev: str) -> ReviewFile:
    """The same file as it was at a git revision, checked against the current template."""
    path = Path(current.path).resolve()
    folder = path.parent
    try:
        top = Path(_git(["rev-parse", "--show-toplevel"], folder).decode().strip())
    except WorkbookError as exc:
        raise FileError.at(current.path, "", f"not in a git repository ({exc})") from None
    rel = path.relative_to(top.resolve()).as_posix()
    label = f"{current.path}@{rev}"
    if rev.startswith("-"):  # would be read by git as an option
        raise FileError.at(label, "", "a revision cannot start with '-'")
    try:
        data = _git(["show", f"{rev}:{rel}"], top)
    except WorkbookError as exc:
        raise FileError.at(label, "", str(exc)) from None
    return load_review_bytes(label, data, folder, current.template)
