"""Editing the program itself (name, stage, owner, description): one undoable change that merges with
the file on disk key by key, as participants do."""

from __future__ import annotations

import tomllib
from pathlib import Path

from tests.conftest import NOW, TODAY
from workbook.core import editing
from workbook.core.disk_merge import Saved, save_merging
from workbook.core.editing import SetParticipants, SetProgram
from workbook.core.models import Participant, Stage
from workbook.core.session import Applied, Refused, ReviewSession, part_of_unit
from workbook.core.store import load_review, save_review


def session_for(path: Path) -> ReviewSession:
    return ReviewSession(load_review(path), today=TODAY, clock=lambda: NOW)


def program_of(s: ReviewSession) -> tuple[str, Stage, str | None, str]:
    p = s.review.program
    return p.name, p.stage, p.owner, p.description


def test_set_program_changes_the_four_fields_and_undoes_as_one(mini: Path) -> None:
    s = session_for(mini)
    before = program_of(s)
    participants = list(s.review.program.participants)
    outcome = s.apply(SetProgram("MedNotes", Stage.LIMITED, "Ana Ruiz", "Drafts clinic letters.\nSecond line."))
    assert isinstance(outcome, Applied) and outcome.changed and outcome.label == "program change"
    assert program_of(s) == ("MedNotes", Stage.LIMITED, "Ana Ruiz", "Drafts clinic letters.\nSecond line.")
    assert s.review.program.participants == participants  # a part of its own: untouched
    assert isinstance(s.undo(), Applied) and program_of(s) == before
    assert isinstance(s.redo(), Applied) and program_of(s)[0] == "MedNotes"


def test_an_empty_owner_is_no_owner_and_control_characters_are_cleaned(mini: Path) -> None:
    s = session_for(mini)
    assert isinstance(s.apply(SetProgram("Med\x1bNotes", Stage.PILOT, "", "")), Applied)
    assert s.review.program.owner is None
    assert "\x1b" not in s.review.program.name


def test_a_blank_name_is_refused_whole(mini: Path) -> None:
    s = session_for(mini)
    before = program_of(s)
    outcome = s.apply(SetProgram("   ", Stage.PRODUCTION, "Someone else", "new"))
    assert isinstance(outcome, Refused) and outcome.message.startswith("name:")
    assert program_of(s) == before and s.revision == 0 and not s.can_undo


def test_setting_what_is_there_is_not_a_change(mini: Path) -> None:
    s = session_for(mini)
    outcome = s.apply(SetProgram(*program_of(s)))
    assert isinstance(outcome, Applied) and not outcome.changed and s.revision == 0


def test_program_keys_are_the_program_part_for_a_disk_merge() -> None:
    for key in ("name", "stage", "owner", "description"):
        assert part_of_unit(("program", key)) == "program"
    assert part_of_unit(("program", "participants")) == "participants"
    assert part_of_unit(("program", "review_date")) is None  # nothing here edits it


def test_my_stage_merges_with_their_participants_and_name_on_disk(mini: Path) -> None:
    ana, ben = load_review(mini), load_review(mini)
    editing.apply_review_change(ana.review, SetParticipants((Participant(name="Ana"), Participant(name="Ben"))))
    save_review(ana)
    editing.apply_review_change(ben.review, SetProgram("Mini program", Stage.PRODUCTION, "Dana", ""))
    result = save_merging(ben)
    assert isinstance(result, Saved) and result.merged == [("program", "participants")]
    data = tomllib.loads(mini.read_text())["program"]
    assert data["stage"] == "production"
    assert [p["name"] for p in data["participants"]] == ["Ana", "Ben"]


def test_a_merge_that_changed_a_program_key_drops_my_program_undo_step(mini: Path) -> None:
    s = session_for(mini)
    s.apply(SetProgram("Renamed by me", Stage.PILOT, "Dana", ""))
    s.apply(SetParticipants((Participant(name="Dana"),)))
    s.adopt_merge(s.file, [("program", "owner")])  # the other side changed the owner
    assert [step.part for step in s._undo] == ["participants"]  # undoing mine would overwrite theirs
