"""The one owner of an open review: applies typed edits, keeps undo and redo, derives views once per revision.

The TUI holds one ReviewSession per open review and never changes the model any other way, so the
path of an answer is straight: a dialog returns a typed edit, ``apply`` changes the review and bumps
the revision, and whoever shows the review (or saves it) reads from here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, TypeVar

from pydantic import ValidationError

from workbook.core.constraints import Constraint, open_constraints
from workbook.core.judgement import Judgement, judge
from workbook.core.models import Section
from workbook.core.policy import answer_problems
from workbook.core.risk import Level
from workbook.core.sections import SectionStatus, review_sections, section_statuses
from workbook.core.store import ReviewFile
from workbook.core.text import one_line

if TYPE_CHECKING:
    from workbook.core.calc.results import CalcResults
    from workbook.core.editing import CalculatorKind, Change, ReviewChange
    from workbook.core.models import Review, Template
    from workbook.core.scoring import Assessment
    from workbook.core.threeway import Unit

Clock = Callable[[], dt.datetime]
T = TypeVar("T")

UNDO_LIMIT = 200  # changes kept for undo; the issue asks for at least 100


@dataclass(frozen=True)
class AnswerEdit:
    """A change to one question's answer."""

    question_id: str
    change: Change


# A string, so the edits' module loads when the first edit is applied, not before the first frame.
Edit: TypeAlias = "AnswerEdit | ReviewChange"


@dataclass(frozen=True)
class Applied:
    """The edit was applied (``changed`` False: it changed nothing, so nothing needs saving)."""

    revision: int
    label: str
    question_id: str | None = None
    changed: bool = True


@dataclass(frozen=True)
class Refused:
    """The edit was refused whole; the review is as it was."""

    message: str


Outcome = Applied | Refused

# What an edit touched, so its inverse can put it back.
Part = tuple[Literal["answer"], str] | Literal["calculators", "workshop", "parking_lot", "participants", "program"]
# The [program] keys SetProgram changes (participants are a part of their own).
PROGRAM_KEYS = ("name", "stage", "owner", "description", "metrics_cadence_days")


@dataclass(frozen=True)
class Step:
    """One undoable change: the part it touched, as it was before and after (deep copies)."""

    part: Part
    before: Any
    after: Any
    label: str
    question_id: str | None


def _part_of(edit: Edit) -> Part:
    from workbook.core.editing import LogTime, SetCalculator, SetParkingLot, SetProgram

    if isinstance(edit, AnswerEdit):
        return ("answer", edit.question_id)
    if isinstance(edit, SetCalculator):
        return "calculators"
    if isinstance(edit, LogTime):
        return "workshop"
    if isinstance(edit, SetParkingLot):
        return "parking_lot"
    if isinstance(edit, SetProgram):
        return "program"
    return "participants"


def part_of_unit(unit: Unit) -> Part | None:
    """The undoable part a three-way merge unit belongs to (None: a part nothing edits here)."""
    if unit[0] == "answers" and len(unit) == 2:
        return ("answer", unit[1])
    if unit == ("program", "participants"):
        return "participants"
    if len(unit) == 2 and unit[0] == "program" and unit[1] in PROGRAM_KEYS:
        return "program"
    if unit in (("calculators",), ("workshop",), ("parking_lot",)):
        return unit[0]
    return None


def _copy(value: Any) -> Any:
    from workbook.core.editing import SetProgram

    if value is None or isinstance(value, SetProgram):  # a frozen value: nothing to copy
        return value
    if isinstance(value, list):
        return [item.model_copy(deep=True) for item in value]
    return value.model_copy(deep=True)


def read_part(review: Review, part: Part) -> Any:
    """A deep copy of one part of the review (None: the part is absent)."""
    if isinstance(part, tuple):
        return _copy(review.answers.get(part[1]))
    if part == "participants":
        return _copy(review.program.participants)
    if part == "program":
        from workbook.core.editing import SetProgram

        p = review.program
        return SetProgram(p.name, p.stage, p.owner, p.description, p.metrics_cadence_days)
    return _copy(getattr(review, part))


def write_part(review: Review, part: Part, value: Any) -> None:
    value = _copy(value)
    if isinstance(part, tuple):
        if value is None:
            review.answers.pop(part[1], None)
        else:
            review.answers[part[1]] = value
    elif part == "participants":
        review.program.participants = value
    elif part == "program":
        from workbook.core.editing import apply_review_change

        apply_review_change(review, value)
    else:
        setattr(review, part, value)


def refusal(exc: ValueError) -> str:
    """One line a user can act on: pydantic's message for the first problem, not its summary line."""
    if isinstance(exc, ValidationError) and exc.errors():
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        message = str(first["msg"]).removeprefix("Value error, ")
        return f"{where}: {message}" if where else message
    return str(exc).splitlines()[0]


def _verb(change: Change) -> str:
    from workbook.core.editing import Clear, Defer, MarkNotApplicable, MarkUnknown, SetAnswer, Validate

    verbs: dict[type, str] = {SetAnswer: "answer", Defer: "deferral", Validate: "validation",
                              MarkUnknown: "'unknown'", MarkNotApplicable: "'not applicable'", Clear: "clearing"}
    return verbs.get(type(change), "change")


class ReviewSession:
    """An open review: its file, today, a revision counter, dirty state, undo/redo and derived views."""

    def __init__(self, rf: ReviewFile, *, today: dt.date | None = None, clock: Clock | None = None) -> None:
        self._file = rf
        self._today = today
        self.clock: Clock = clock or dt.datetime.now
        self.revision = 0
        self.saved_revision = 0
        self._undo: list[Step] = []
        self._redo: list[Step] = []
        self._cache: dict[str, tuple[tuple[int, dt.date], Any]] = {}

    # ------------------------------------------------------------------ the file

    @property
    def file(self) -> ReviewFile:
        return self._file

    @property
    def review(self) -> Review:
        return self._file.review

    @property
    def template(self) -> Template:
        return self._file.template

    @property
    def today(self) -> dt.date:
        return self._today or self.clock().date()

    @property
    def dirty(self) -> bool:
        return self.revision != self.saved_revision

    def mark_saved(self, revision: int) -> None:
        """The state at ``revision`` is on disk (a later edit keeps the session dirty)."""
        self.saved_revision = revision

    def replace_file(self, rf: ReviewFile, *, saved: bool = True) -> None:
        """Point the session at another file (reloaded from disk, or a copy saved elsewhere).

        A reload starts a new history: undoing into the discarded edits would bring them back silently.
        """
        if rf.review is not self._file.review:
            self._undo.clear()
            self._redo.clear()
        self._file = rf
        self.revision += 1
        if saved:
            self.saved_revision = self.revision

    def adopt_merge(self, rf: ReviewFile, changed: list[Unit]) -> int:
        """Take the review merged with the file on disk (now saved); returns the new revision.

        My own edits stay undoable; a step on a part the other side changed is dropped, since undoing
        it would silently overwrite their change.
        """
        self._file = rf
        self.revision += 1
        self.saved_revision = self.revision
        touched = {part_of_unit(unit) for unit in changed}
        self._undo = [s for s in self._undo if s.part not in touched]
        self._redo = [s for s in self._redo if s.part not in touched]
        return self.revision

    # ------------------------------------------------------------------ changing

    def apply(self, edit: Edit) -> Outcome:
        """Apply one edit whole, or refuse it with a message and change nothing."""
        from workbook.core.editing import apply_change, apply_review_change

        review = self.review
        part = _part_of(edit)
        question_id = edit.question_id if isinstance(edit, AnswerEdit) else None
        before = read_part(review, part)
        try:
            if isinstance(edit, AnswerEdit):
                question = self.template.question(edit.question_id)
                if question is None:
                    return Refused("This answer is kept as a record: the template no longer asks the question.")
                answer = apply_change(review, question, edit.change, self.today)
                found = answer_problems(question, answer)
                if found:  # the policy let through what loading would refuse: never save it
                    raise ValueError(f"{found[0][0]}: {found[0][1]}")
            else:
                apply_review_change(review, edit)
        except (ValidationError, ValueError) as exc:
            write_part(review, part, before)  # edits work on copies, but be sure nothing half-applied stays
            return Refused(refusal(exc))
        after = read_part(review, part)
        label = self._label(edit)
        if after == before:
            return Applied(self.revision, label, question_id, changed=False)
        self._undo.append(Step(part, before, after, label, question_id))
        del self._undo[:-UNDO_LIMIT]
        self._redo.clear()
        self.revision += 1
        return Applied(self.revision, label, question_id)

    def undo(self) -> Outcome:
        if not self._undo:
            return Refused("Nothing to undo.")
        step = self._undo.pop()
        write_part(self.review, step.part, step.before)
        self._redo.append(step)
        self.revision += 1
        return Applied(self.revision, f"undid the {step.label}", step.question_id)

    def redo(self) -> Outcome:
        if not self._redo:
            return Refused("Nothing to redo.")
        step = self._redo.pop()
        write_part(self.review, step.part, step.after)
        self._undo.append(step)
        self.revision += 1
        return Applied(self.revision, f"redid the {step.label}", step.question_id)

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def _label(self, edit: Edit) -> str:
        from workbook.core.editing import LogTime, SetCalculator, SetParkingLot, SetProgram

        if isinstance(edit, AnswerEdit):
            question = self.template.question(edit.question_id)
            prompt = one_line(question.prompt, 40) if question else edit.question_id
            return f"{_verb(edit.change)} of “{prompt}”"
        if isinstance(edit, SetCalculator):
            return f"{edit.kind} calculator inputs"
        if isinstance(edit, LogTime):
            return "time logged for a section"
        if isinstance(edit, SetParkingLot):
            return "parking-lot change"
        if isinstance(edit, SetProgram):
            return "program change"
        return "participants change"

    # ------------------------------------------------------------------ derived views (once per revision)

    def _derived(self, name: str, compute: Callable[[], T]) -> T:
        key = (self.revision, self.today)
        hit = self._cache.get(name)
        if hit is not None and hit[0] == key:
            return hit[1]  # type: ignore[no-any-return]  # stored by this method under this name
        value = compute()
        self._cache[name] = (key, value)
        return value

    @property
    def constraints(self) -> list[Constraint]:
        return self._derived("constraints",
                             lambda: open_constraints(self.review, self.template, self.today, self.levels))

    @property
    def sections(self) -> tuple[Section, ...]:
        """The template's sections, plus one for orphaned answers when there are any."""
        return self._derived("sections", lambda: review_sections(self.review, self.template))

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    @property
    def judgement(self) -> Judgement:
        """Every question judged in the review's context: levels, and the rule that set each where one did."""
        return self._derived("judgement", lambda: judge(self.review, self.template))

    @property
    def levels(self) -> dict[str, Level]:
        """Every question's level, judged in the review's context (own targets, exposure caps, rules)."""
        return self.judgement.levels

    @property
    def reasons(self) -> dict[str, str]:
        """The sentence of the rule in context that set a question's risk, where one did."""
        return self.judgement.reasons

    @property
    def section_statuses(self) -> list[SectionStatus]:
        return self._derived("statuses", lambda: section_statuses(self.sections, self.review, self.constraints))

    @property
    def orphans(self) -> list[str]:
        return self._derived("orphans", lambda: self.review.orphans(self.template))

    @property
    def results(self) -> CalcResults:
        from workbook.core.calc.results import calculate  # only sections with a calculator need it

        return self._derived("results", lambda: calculate(self.review, self.template, today=self.today))

    @property
    def assessment(self) -> Assessment:
        from workbook.core.scoring import assess

        return self._derived("assessment", lambda: assess(self.review, self.template, self.today))

    def calculator_kinds(self, section_id: str) -> tuple[CalculatorKind, ...]:
        config = self.template.calculators
        kinds: list[CalculatorKind] = []
        if config.cost is not None and config.cost.section == section_id:
            kinds.append("cost")
        if config.latency is not None and config.latency.section == section_id:
            kinds.append("latency")
        return tuple(kinds)

