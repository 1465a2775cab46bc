"""ReviewSession: the one owner of an open review (typed edits, refusals, undo/redo, derived views)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.conftest import NOW, TODAY
from workbook.core.editing import (
    Clear,
    Defer,
    LogTime,
    MarkNotApplicable,
    MarkUnknown,
    SetAnswer,
    SetCalculator,
    SetParkingLot,
    SetParticipants,
)
from workbook.core.models import CostInputs, ParkingItem, Participant, Status
from workbook.core.session import UNDO_LIMIT, AnswerEdit, Applied, Refused, ReviewSession
from workbook.core.store import load_review, save_review


def session_for(path: Path) -> ReviewSession:
    return ReviewSession(load_review(path), today=TODAY, clock=lambda: NOW)


def test_apply_answers_and_bumps_the_revision(mini: Path) -> None:
    s = session_for(mini)
    assert not s.dirty and s.revision == 0
    outcome = s.apply(AnswerEdit("owner", SetAnswer("named", "")))
    assert isinstance(outcome, Applied) and outcome.changed and outcome.revision == 1
    assert outcome.question_id == "owner" and "Who owns the data?" in outcome.label
    assert s.review.answers["owner"].value == "named"
    assert s.dirty


def test_an_edit_that_changes_nothing_is_not_a_revision(mini: Path) -> None:
    s = session_for(mini)
    notes = s.review.answers["owner"].notes
    outcome = s.apply(AnswerEdit("owner", SetAnswer("team", notes)))
    assert isinstance(outcome, Applied) and not outcome.changed
    assert s.revision == 0 and not s.dirty and not s.can_undo


def test_a_refused_edit_changes_nothing(mini: Path) -> None:
    s = session_for(mini)
    before = s.review.model_dump()
    outcome = s.apply(AnswerEdit("owner", MarkNotApplicable("   ")))  # N/A needs a reason
    assert isinstance(outcome, Refused) and "reason" in outcome.message
    assert s.review.model_dump() == before and s.revision == 0
    assert isinstance(s.apply(AnswerEdit("retired-question", Clear())), Refused)  # an orphan is a record


def test_undo_and_redo_every_kind_of_edit(mini: Path) -> None:
    s = session_for(mini)
    original = s.review.model_dump()
    edits = [
        AnswerEdit("owner", SetAnswer("nobody", "changed")),
        AnswerEdit("boundary", Defer("Sam", dt.date(2027, 1, 5), "the contract")),
        AnswerEdit("sources", MarkNotApplicable("no sources")),
        AnswerEdit("owner", Clear()),
        AnswerEdit("notes", MarkUnknown()),
        SetCalculator("cost", CostInputs(users=5)),
        LogTime("data", dt.datetime(2026, 11, 26, 9), 300),
        SetParkingLot((ParkingItem(topic="Who pays?"),)),
        SetParticipants((Participant(name="Ana"),)),
    ]
    states = [original]
    for edit in edits:
        assert isinstance(s.apply(edit), Applied)
        states.append(s.review.model_dump())
    for expected in reversed(states[:-1]):
        assert isinstance(s.undo(), Applied)
        assert s.review.model_dump() == expected
    assert isinstance(s.undo(), Refused)
    for expected in states[1:]:
        assert isinstance(s.redo(), Applied)
        assert s.review.model_dump() == expected
    assert isinstance(s.redo(), Refused)


def test_a_new_edit_drops_the_redo_history(mini: Path) -> None:
    s = session_for(mini)
    s.apply(AnswerEdit("owner", SetAnswer("named", "")))
    s.undo()
    assert s.can_redo
    s.apply(AnswerEdit("owner", SetAnswer("nobody", "")))
    assert not s.can_redo


def test_undo_keeps_at_least_a_hundred_changes(mini: Path) -> None:
    s = session_for(mini)
    for i in range(UNDO_LIMIT + 20):
        s.apply(AnswerEdit("notes", SetAnswer(f"note {i}", "")))
    undone = 0
    while isinstance(s.undo(), Applied):
        undone += 1
    assert undone == UNDO_LIMIT >= 100
    assert s.review.answers["notes"].value == "note 19"


def test_undo_after_a_save_is_a_change_to_save(mini: Path) -> None:
    s = session_for(mini)
    s.apply(AnswerEdit("owner", SetAnswer("named", "")))
    save_review(s.file)
    s.mark_saved(s.revision)
    assert not s.dirty
    s.undo()
    assert s.dirty  # the file holds "named"; the session holds "team" again
    save_review(s.file)
    assert load_review(mini).review.answers["owner"].value == "team"


def test_derived_views_are_computed_once_per_revision(mini: Path) -> None:
    s = session_for(mini)
    first = s.constraints
    assert s.constraints is first  # same revision: the same list
    assert {c.question_id for c in first} >= {"boundary", "threshold"}
    s.apply(AnswerEdit("boundary", SetAnswer("no", "")))
    assert s.constraints is not first
    assert "boundary" not in {c.question_id for c in s.constraints}
    statuses = {st.section_id: st for st in s.section_statuses}
    assert statuses["data"].open == 0
    assert s.orphans == ["retired-question"]
    assert s.sections[-1].id == "no-longer-asked"
    assert s.assessment.verdict


def test_a_reloaded_file_starts_a_new_history(mini: Path) -> None:
    s = session_for(mini)
    s.apply(AnswerEdit("owner", SetAnswer("named", "")))
    s.replace_file(load_review(mini))
    assert not s.can_undo and not s.dirty
    assert s.review.answers["owner"].value == "team"


def test_save_a_copy_keeps_the_history(mini: Path, tmp_path: Path) -> None:
    s = session_for(mini)
    s.apply(AnswerEdit("owner", SetAnswer("named", "")))
    rf = s.file
    copy = type(rf)(tmp_path / "copy.toml", rf.review, rf.template, None, [])
    save_review(copy)
    s.replace_file(copy)
    assert s.can_undo and not s.dirty and s.file.path.name == "copy.toml"
    s.undo()
    assert s.review.answers["owner"].status is Status.ANSWERED and s.review.answers["owner"].value == "team"


def test_user_config_keymap_and_theme(tmp_path: Path) -> None:
    from workbook.core.userconfig import load_config

    path = tmp_path / "config.toml"
    path.write_text('theme = "textual-light"\n[keymap]\n"review.next_section" = "n"\n"no.such" = "x"\n'
                    '"review.board" = 3\n')
    config = load_config(path, known_ids={"review.next_section", "review.board"})
    assert config.keymap == {"review.next_section": "n"} and config.theme == "textual-light"
    assert [n.split(": ", 1)[1] for n in config.notices] == [
        'keymap.no.such: no binding has this id (see the help screen, ?)',
        'keymap.review.board: must be keys as text, e.g. "n" or "ctrl+n,f6"',
    ]
    path.write_text("[keymap\n")
    broken = load_config(path)
    assert broken.keymap == {} and broken.notices[0].startswith(f"{path}: ignored, ")
    assert load_config(tmp_path / "missing.toml").notices == []
