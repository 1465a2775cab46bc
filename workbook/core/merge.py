"""Merging solo self-assessments: agreement is taken, disagreement is kept for the workshop.

Every respondent fills in the same template alone. For each question:
- nobody answered: it stays unanswered;
- everyone who answered gave the same answer (status, value, and for deferrals owner and date):
  that answer is taken, with each respondent's notes kept, attributed;
- only one respondent answered: that answer is taken, and who gave it is kept under `responses`
  (one entry; answered, so not a disagreement);
- they differ: every respondent's answer is kept under `responses` and the question stays
  unanswered until the facilitator settles it (a disagreement).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbook.core.editing import Change, Defer, MarkNotApplicable, MarkUnknown, SetAnswer
from workbook.core.errors import Problem, WorkbookError
from workbook.core.models import Answer, Participant, Review, Status, Workshop
from workbook.core.serialize import answer_dict
from workbook.core.store import ReviewFile
from workbook.core.text import terminal_safe


@dataclass(frozen=True)
class MergeReport:
    review: Review
    agreed: list[str]  # two or more respondents gave the same answer
    disagreed: list[str]
    notices: list[str]
    single: dict[str, str]  # question id -> the one respondent who answered it


def respondent_name(rf: ReviewFile, taken: set[str]) -> str:
    base = rf.review.respondent or terminal_safe(Path(rf.path).stem)  # a file's name may hold any bytes
    name, n = base, 2
    while name in taken:  # two files from the same person, or two with the same name
        name, n = f"{base} ({n})", n + 1
    return name


def _position(a: Answer) -> tuple[object, ...]:
    """What must match for two answers to agree (notes are commentary, not the answer)."""
    if a.status is Status.DEFERRED:
        return (a.status, a.owner, a.decide_by)
    if a.status is Status.NOT_APPLICABLE:
        return (a.status,)
    value = sorted(a.value) if isinstance(a.value, list) else a.value
    return (a.status, repr(value))


def _attributed_notes(given: list[tuple[str, Answer]]) -> str:
    notes = [(who, a.notes) for who, a in given if a.notes]
    if len(notes) == 1:
        return notes[0][1] if len(given) == 1 else f"{notes[0][0]}: {notes[0][1]}"
    return "\n".join(f"{who}: {text}" for who, text in notes)


def _strip(a: Answer) -> Answer:
    """A respondent's answer as kept under `responses` (without nested responses)."""
    return Answer.model_validate({k: v for k, v in answer_dict(a).items() if k != "responses"})


def _author(answer: Answer) -> str | None:
    """The one respondent an earlier merge recorded for this answer, when it is still their answer."""
    if len(answer.responses) != 1:
        return None
    who, response = next(iter(answer.responses.items()))
    return who if _position(response) == _position(answer) else None


def merge_reviews(files: list[ReviewFile]) -> MergeReport:
    if len(files) < 2:
        raise WorkbookError("merge needs at least two review files")
    first = files[0]
    problems = []
    for rf in files[1:]:
        if (rf.review.template, rf.review.template_version) != (first.review.template, first.review.template_version):
            problems.append(Problem(
                str(rf.path), "template",
                f"made with {rf.review.template} {rf.review.template_version}, but {first.path} was made with "
                f"{first.review.template} {first.review.template_version}: only reviews of the same template "
                "and version can be merged",
            ))
    if problems:
        raise WorkbookError(problems)

    names: list[str] = []
    for rf in files:
        names.append(respondent_name(rf, set(names)))
    merged = first.review.model_copy(deep=True)
    merged.respondent = None
    merged.answers = {}
    participants = {p.name: p for rf in files for p in rf.review.program.participants}
    for name in names:
        participants.setdefault(name, Participant(name=name, role="respondent"))
    merged.program.participants = list(participants.values())
    notices = []
    for rf in files[1:]:
        if rf.review.calculators != first.review.calculators and rf.review.calculators is not None:
            notices.append(f"{rf.path}: calculator inputs differ; the merged review keeps those of {first.path}")
        for key in ("name", "owner", "stage", "review_date", "description"):
            theirs, ours = getattr(rf.review.program, key), getattr(first.review.program, key)
            if theirs != ours and theirs not in (None, ""):
                notices.append(f"{rf.path}: program.{key} differs; the merged review keeps {first.path}'s")
        extra = set(rf.review.model_extra or {}) - set(first.review.model_extra or {})
        if extra:
            notices.append(f"{rf.path}: keys {', '.join(sorted(extra))} are only in this file and are not merged")
    # Topics raised and time spent by any respondent are kept: nothing anyone wrote is dropped.
    merged.parking_lot = [item for rf in files for item in rf.review.parking_lot]
    logs = [entry for rf in files if rf.review.workshop for entry in rf.review.workshop.log]
    if logs:
        merged.workshop = Workshop(log=logs)

    agreed, disagreed, single = [], [], {}
    qids = [q.id for _, q in first.template.questions()]
    qids += sorted({qid for rf in files for qid in rf.review.answers} - set(qids))  # orphans too
    for qid in qids:
        given = []
        for who, rf in zip(names, files):
            answer = rf.review.answers.get(qid)
            if answer is None:
                continue
            if answer.disagreement:  # an already merged file: its respondents take part again
                given += [(name if name not in names else f"{name} ({who})", a) for name, a in answer.responses.items()]
            elif answer.status is not Status.UNANSWERED:
                author = _author(answer)  # an already merged file's one respondent keeps their name
                name = who if author is None else author if author not in names else f"{author} ({who})"
                given.append((name, answer))
        if not given:
            notes_only = [(who, rf.review.answers[qid]) for who, rf in zip(names, files) if qid in rf.review.answers]
            if notes_only:
                merged.answers[qid] = Answer(notes=_attributed_notes(notes_only))
            continue
        if len(given) == 1:  # one respondent's answer: taken, and who gave it kept
            who, answer = given[0][0], given[0][1].model_copy(deep=True)
            answer.responses = {who: _strip(given[0][1])}
            merged.answers[qid] = answer
            single[qid] = who
        elif len({_position(a) for _, a in given}) == 1:
            answer = given[0][1].model_copy(deep=True)
            answer.responses = {}
            answer.notes = _attributed_notes(given)
            merged.answers[qid] = answer
            agreed.append(qid)
        else:
            merged.answers[qid] = Answer(responses={who: _strip(a) for who, a in given})
            disagreed.append(qid)
    return MergeReport(merged, agreed, disagreed, notices, single)


def attribution(answer: Answer) -> str:
    """Who an answer taken from respondents came from, as a card says it ("" when nobody is recorded).

    One respondent's answer: "from Ben"; several who gave this same answer: "agreed by Ana, Ben";
    otherwise the facilitator chose or wrote it (a disagreement settled): "settled from Ana, Ben".
    """
    if not answer.responses or answer.status is Status.UNANSWERED:
        return ""
    names = ", ".join(answer.responses)
    if all(_position(r) == _position(answer) for r in answer.responses.values()):
        return f"from {names}" if len(answer.responses) == 1 else f"agreed by {names}"
    if answer.status is Status.UNKNOWN:  # not settled in the room: marked unknown, the disagreement kept
        return f"not settled: {names} disagreed"
    return f"settled from {names}"


def settle_change(response: Answer, respondent: str, is_decision: bool) -> Change:
    """Settle a disagreement with one respondent's answer: the change that makes it the review's answer."""
    if response.status is Status.DEFERRED:
        return Defer(response.owner, response.decide_by, response.breaks_if_open)
    if response.status is Status.NOT_APPLICABLE:
        return MarkNotApplicable(response.reason)
    if response.status is Status.UNKNOWN:
        return MarkUnknown()
    return SetAnswer(response.value, "", decided_by=respondent if is_decision else None)
