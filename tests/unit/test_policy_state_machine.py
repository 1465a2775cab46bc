"""Whatever the session accepts, the file stays valid: a stateful property test.

Hypothesis drives a ReviewSession with every kind of edit (valid and not), undo, redo, settling a
disagreement and another writer's edits merged from disk. After every step the review is saved as
the app saves it, and the bytes on disk must load and pass `workbook validate`. If `apply` let a
change through that core/policy.py forbids (a deferred single choice, a value outside the choices),
the file would stop loading and this test fails.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from tests.conftest import FIXTURES, TODAY
from workbook.core.disk_merge import DiskMerge, save_merged, save_merging
from workbook.core.editing import (
    Clear,
    Defer,
    MarkNotApplicable,
    MarkUnknown,
    SetAnswer,
    SetParticipants,
    TakeMerged,
    Validate,
)
from workbook.core.merge import settle_change
from workbook.core.models import Answer, Participant, Status
from workbook.core.policy import change_problem
from workbook.core.serialize import review_dict
from workbook.core.session import AnswerEdit, Applied, ReviewSession
from workbook.core.store import load_review, save_review
from workbook.core.validate import check_file

QIDS = ["owner", "boundary", "sources", "notes", "threshold", "good-enough", "launch", "retired-question"]

# Values of every type, so each question gets some that fit and some that do not.
values = st.one_of(
    st.sampled_from(["named", "team", "nobody", "no", "yes", "wiki", "tickets", "email", "bogus"]),
    st.lists(st.sampled_from(["wiki", "tickets", "email", "bogus"]), max_size=3, unique=True),
    st.booleans(),
    st.integers(min_value=-5, max_value=20),
    st.floats(min_value=-5, max_value=20, allow_nan=False),
    st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2027, 12, 31)),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20),
    st.none(),
)
names = st.sampled_from(["Ana", "Ben Okoro", "Cy", ""])
dates = st.one_of(st.none(), st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2027, 12, 31)))
answers = st.builds(
    lambda status, value, owner, reason: Answer.model_construct(
        status=status, value=value, owner=owner or None, reason=reason, notes="", responses={},
        decide_by=None, breaks_if_open="", opened_on=None, decide_by_history=[], resolved_by=None,
        resolved_on=None,
    ),
    st.sampled_from(list(Status)), values, names, st.sampled_from(["", "not ours"]),
)


def _valid(answer: Answer) -> Answer | None:
    """The answer as the model validates it, or None when it does not (a respondent's file would not load)."""
    try:
        return Answer.model_validate(answer.model_dump())
    except ValueError:
        return None


class SessionMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder: Path | None = None

    @initialize(data=st.data())
    def open_review(self, data: st.DataObject) -> None:
        import tempfile

        self.folder = Path(tempfile.mkdtemp(prefix="policy-sm-"))
        for name in ("mini-template.toml", "mini-review.toml"):
            shutil.copy(FIXTURES / name, self.folder / name)
        self.path = self.folder / "mini-review.toml"
        self.session = ReviewSession(load_review(self.path), today=TODAY)
        self.other = ReviewSession(load_review(self.path), today=TODAY)  # a second writer on the same file

    def teardown(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)

    # ------------------------------------------------------------------ edits, valid or not

    def _edit(self, qid: str, change: Any) -> None:
        question = self.session.template.question(qid)
        said = change_problem(question, self.session.review.answer(qid), change, self.session.review) if question else None
        outcome = self.session.apply(AnswerEdit(qid, change))
        # What the policy let through, the session applies: a refusal the policy did not foresee means
        # a screen offered a change the file check then caught (the session's last-resort check).
        assert question is None or said is not None or isinstance(outcome, Applied), (change, outcome)

    @rule(qid=st.sampled_from(QIDS), value=values, notes=st.sampled_from(["", "why"]), by=names)
    def answer(self, qid: str, value: Any, notes: str, by: str) -> None:
        self._edit(qid, SetAnswer(value, notes, decided_by=by or None))

    @rule(qid=st.sampled_from(QIDS), owner=names, when=dates)
    def defer(self, qid: str, owner: str, when: dt.date | None) -> None:
        self._edit(qid, Defer(owner or None, when, "it breaks"))

    @rule(qid=st.sampled_from(QIDS), by=names)
    def validate(self, qid: str, by: str) -> None:
        self._edit(qid, Validate(by or None))

    @rule(qid=st.sampled_from(QIDS))
    def unknown(self, qid: str) -> None:
        self._edit(qid, MarkUnknown())

    @rule(qid=st.sampled_from(QIDS), reason=st.sampled_from(["", "  ", "not ours"]))
    def not_applicable(self, qid: str, reason: str) -> None:
        self._edit(qid, MarkNotApplicable(reason))

    @rule(qid=st.sampled_from(QIDS))
    def clear(self, qid: str) -> None:
        self._edit(qid, Clear())

    @rule(qid=st.sampled_from(QIDS), given=st.lists(answers, min_size=1, max_size=3))
    def take_merged(self, qid: str, given: list[Answer]) -> None:
        """Live respondents' answers merged in: one is taken as is, several kept as a disagreement."""
        valid = [a for a in (_valid(a) for a in given) if a is not None]
        if not valid:
            return
        responses = {f"R{i}": a for i, a in enumerate(valid)}
        merged = valid[0].model_copy(update={"responses": responses}) if len(valid) == 1 else Answer(
            responses=responses)
        self._edit(qid, TakeMerged(merged))

    @rule(qid=st.sampled_from(QIDS), pick=st.integers(0, 4))
    def settle(self, qid: str, pick: int) -> None:
        """What the settle dialog offers: a respondent's answer, or leaving it open as the question allows."""
        answer = self.session.review.answer(qid)
        question = self.session.template.question(qid)
        if question is None or not answer.disagreement:
            return
        who = list(answer.responses)
        if pick < len(who):
            self._edit(qid, settle_change(answer.responses[who[pick]], who[pick], question.decision))
        else:
            self._edit(qid, Defer("Ana", TODAY, ""))

    @rule(people=st.lists(names.filter(bool), max_size=3, unique=True))
    def participants(self, people: list[str]) -> None:
        self.session.apply(SetParticipants(tuple(Participant(name=p) for p in people)))

    @rule()
    def undo(self) -> None:
        self.session.undo()

    @rule()
    def redo(self) -> None:
        self.session.redo()

    # ------------------------------------------------------------------ another writer, merged from disk

    @rule(qid=st.sampled_from(QIDS), value=values, defer_it=st.booleans())
    def other_writer(self, qid: str, value: Any, defer_it: bool) -> None:
        change = Defer("Cy", TODAY, "") if defer_it else SetAnswer(value, "theirs")
        if isinstance(self.other.apply(AnswerEdit(qid, change)), Applied):
            save_review(self.other.file)  # the other writer loaded what is on disk after the last step

    # ------------------------------------------------------------------ after every step

    @invariant()
    def saved_file_loads_and_validates(self) -> None:
        if self.folder is None:
            return
        outcome = save_merging(self.session.file)
        if isinstance(outcome, DiskMerge):  # both changed one question: keep mine, as the dialog's default
            merged = save_merged(self.session.file, outcome, {c.unit: "mine" for c in outcome.conflicts})
            self.session.adopt_merge(merged, outcome.from_theirs)
        elif outcome.merged:
            self.session.adopt_merge(outcome.file, outcome.merged)
        problems, _ = check_file(self.path)
        assert problems == [], [str(p) for p in problems]
        reloaded = load_review(self.path)
        template = self.session.template  # nothing the session holds is lost in the file (as written)
        assert review_dict(reloaded.review, template) == review_dict(self.session.review, template)
        self.other = ReviewSession(reloaded, today=TODAY)


SessionMachine.TestCase.settings = settings(
    max_examples=60, stateful_step_count=25, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestSessionKeepsFileValid = SessionMachine.TestCase
