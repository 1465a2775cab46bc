"""The TUI under faults: a failed save is said and the edits kept; a file changed on disk is merged
(asking only about a question both changed); a second workbook is warned; orphaned answers are shown."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import TODAY
from tests.tui.conftest import card_text, settle
from workbook.core import editing
from workbook.core.lock import lock_file
from workbook.core.store import load_review, save_review
from workbook.tui.screens.dialogs import ChoiceDialog, PathDialog
from workbook.tui.widgets.header import ReviewHeader


def notes(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_a_failed_save_is_said_and_the_edit_kept_then_retried(mini: Path, open_app, monkeypatch) -> None:
    before = mini.read_bytes()
    app = open_app(mini, autosave_delay=0.01)
    async with app.run_test(size=(80, 24)) as pilot:
        real_replace = os.replace

        def full(*args, **kwargs):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, "replace", full)
        await pilot.press("u", "enter")  # (enter: yes, replace the answer) mark unknown: a change to save
        header = app.screen.query_one(ReviewHeader)
        assert await settle(pilot, lambda: header.save_state == "NOT SAVED")
        assert any("No space left on device" in m and "kept in memory" in m for m in notes(app))
        assert mini.read_bytes() == before
        assert app.session.review.answers["owner"].status.value == "unknown"  # the edit is still here
        monkeypatch.setattr(os, "replace", real_replace)
        await pilot.press("j", "j", "u")  # the next change retries: the whole review is written
        assert await settle(pilot, lambda: header.save_state.startswith("saved"))
    saved = tomllib.loads(mini.read_text())["answers"]
    assert saved["owner"]["status"] == "unknown" and saved["sources"]["status"] == "unknown"


async def test_save_a_copy_after_a_failure(mini: Path, open_app, monkeypatch) -> None:
    app = open_app(mini, autosave_delay=3600)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("u", "enter")
        app.action_save_copy()
        assert await settle(pilot, lambda: isinstance(app.screen, PathDialog))
        await pilot.press("enter")
        copy = mini.with_name("mini-review-copy.toml")
        assert await settle(pilot, lambda: copy.exists())
        assert app.session.file.path == copy
    assert tomllib.loads(copy.read_text())["answers"]["owner"]["status"] == "unknown"


def edit_on_disk(path: Path, change) -> None:
    """Another editor (a second workbook, a git pull) changes the file."""
    other = load_review(path)
    change(other.review)
    save_review(other)


async def test_changed_on_disk_edits_to_other_questions_merge_silently(mini: Path, open_app) -> None:
    app = open_app(mini, autosave_delay=0.01)
    async with app.run_test(size=(80, 24)) as pilot:
        def theirs(review) -> None:
            review.program.name = "Renamed in another editor"
            editing.set_value(review, "notes", "their note", TODAY)

        edit_on_disk(mini, theirs)
        await pilot.press("u", "enter")  # (enter: yes, replace the answer) mine: the owner question is unknown
        header = app.screen.query_one(ReviewHeader)
        assert await settle(pilot, lambda: header.save_state.endswith("(merged)"))
        assert "merged 1 answer, 1 other change from it" in " ".join(notes(app))
        assert "their note" in card_text(app, "notes")  # shown here without a reload
        assert header.program == "Renamed in another editor"
        assert not isinstance(app.screen, ChoiceDialog)  # nothing to ask
    data = tomllib.loads(mini.read_text())
    assert data["program"]["name"] == "Renamed in another editor"
    assert data["answers"]["notes"]["value"] == "their note" and data["answers"]["owner"]["status"] == "unknown"


async def _same_question(mini: Path, open_app, choice: str) -> dict:
    app = open_app(mini, autosave_delay=0.01)
    async with app.run_test(size=(80, 24)) as pilot:
        def theirs(review) -> None:
            editing.set_value(review, "owner", "nobody", TODAY)
            editing.set_value(review, "notes", "their note", TODAY)

        edit_on_disk(mini, theirs)
        on_disk = mini.read_bytes()
        await pilot.press("u", "enter")
        assert await settle(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        body = str(app.screen.query_one("#body").render())
        assert "Who owns the data?" in body and "Yours:   unknown" in body and "On disk: Nobody" in body
        assert mini.read_bytes() == on_disk  # nothing written until the user chooses
        await pilot.click(f"#{choice}")
        if choice == "later":
            header = app.screen.query_one(ReviewHeader)
            assert await settle(pilot, lambda: header.save_state == "NOT SAVED (changed on disk too)")
            assert mini.read_bytes() == on_disk
        else:
            # Taking theirs for the one question both changed leaves the file as it is: nothing is written.
            assert await settle(pilot, lambda: not app.session.dirty and not isinstance(app.screen, ChoiceDialog))
            assert (mini.read_bytes() == on_disk) == (choice == "theirs")
            assert "their note" in card_text(app, "notes")
        await pilot.pause()
    return tomllib.loads(mini.read_text())["answers"]


async def test_changed_on_disk_same_question_keep_mine_keeps_their_other_answers(mini: Path, open_app) -> None:
    answers = await _same_question(mini, open_app, "mine")
    assert answers["owner"]["status"] == "unknown"
    assert answers["notes"]["value"] == "their note"  # "keep mine" never removes what it did not change


async def test_changed_on_disk_same_question_take_theirs(mini: Path, open_app) -> None:
    answers = await _same_question(mini, open_app, "theirs")
    assert answers["owner"]["value"] == "nobody" and answers["notes"]["value"] == "their note"


async def test_changed_on_disk_same_question_decide_later_writes_nothing(mini: Path, open_app) -> None:
    answers = await _same_question(mini, open_app, "later")
    assert answers["owner"]["value"] == "nobody"


async def test_changed_on_disk_and_unreadable_asks_and_saves_a_copy(mini: Path, open_app) -> None:
    app = open_app(mini, autosave_delay=0.01)
    async with app.run_test(size=(80, 24)) as pilot:
        mini.write_text("this is = = not toml")  # broken by hand: nothing to merge with
        await pilot.press("u", "enter")
        assert await settle(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        await pilot.click("#copy")
        assert await settle(pilot, lambda: isinstance(app.screen, PathDialog))
        await pilot.press("enter")
        copy = mini.with_name("mini-review-copy.toml")
        assert await settle(pilot, lambda: copy.exists())
    assert mini.read_text() == "this is = = not toml"  # theirs untouched
    assert tomllib.loads(copy.read_text())["answers"]["owner"]["status"] == "unknown"


@pytest.mark.subprocess
async def test_a_second_workbook_on_the_same_file_is_warned(mini: Path, open_app) -> None:
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        lock_file(mini).parent.mkdir(parents=True, exist_ok=True)
        lock_file(mini).write_text(json.dumps({"pid": other.pid, "host": socket.gethostname()}))
        app = open_app(mini)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert any(f"Another workbook (process {other.pid}" in m for m in notes(app))
    finally:
        other.kill()
        other.wait()


async def test_orphaned_answers_are_shown_not_editable(mini: Path, open_app) -> None:
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        sections = app.screen.query_one("#sections")
        titles = [str(sections.get_option_at_index(i).prompt).split("\n")[0] for i in range(sections.option_count)]
        assert titles[-1] == "No longer in the template"
        await app.screen.show_section("no-longer-asked")
        await pilot.pause()
        assert "an answer to a question the template no longer has" in card_text(app, "retired-question")
        app.screen.query_one("SectionView").reveal("retired-question")
        await pilot.press("enter")
        assert any("kept as a record" in m for m in notes(app))
        await pilot.press("q")
    assert "retired-question" in tomllib.loads(mini.read_text())["answers"]
    assert load_review(mini).orphans == ["retired-question"]


async def test_an_orphan_with_an_odd_id_shows(mini: Path, open_app) -> None:
    text = mini.read_text().replace('template_version = "2.0.0"', 'template_version = "1.0.0"')
    mini.write_text(text.replace('value = "team"', 'value = "since-removed"'))
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.screen.show_section("no-longer-asked")
        await pilot.pause()
        cards = app.screen.query_one("SectionView").cards()
        assert [c.question.id for c in cards] == ["owner@1.0.0", "retired-question"]
        assert "since-removed" in cards[0].body_text()
        await pilot.press("f5")  # the presentation view needs a template question: it says so
        assert app.is_running


async def test_quitting_while_a_save_fails_does_not_lose_the_edit(mini: Path, open_app, monkeypatch) -> None:
    before = mini.read_bytes()
    app = open_app(mini, autosave_delay=0.01)
    async with app.run_test(size=(80, 24)) as pilot:
        def full(*args, **kwargs):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, "replace", full)
        await pilot.press("u", "enter", "q")  # (enter: yes, replace the answer) an edit, then quit while its autosave is failing
        assert await settle(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        assert "could not be saved" in str(app.screen.query_one(".body").render())
        assert app.is_running and app.session.dirty
        await pilot.click("#stay")
    assert mini.read_bytes() == before


async def test_quitting_while_a_merge_question_is_open_does_not_offer_to_lose_everything(mini: Path, open_app) -> None:
    app = open_app(mini, autosave_delay=3600)
    async with app.run_test(size=(80, 24)) as pilot:
        edit_on_disk(mini, lambda review: editing.set_value(review, "owner", "nobody", TODAY))
        await pilot.press("u", "enter")  # mine: owner unknown (the same question: a conflict)
        await pilot.press("q")
        assert await settle(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        assert "Changed here and on disk" in str(app.screen.query_one(".title").render())
        assert not any("Quit without saving" in str(s.query_one(".title").render())
                       for s in app.screen_stack if isinstance(s, ChoiceDialog))


async def test_closing_without_q_during_a_conflict_keeps_mine_and_theirs(mini: Path, open_app) -> None:
    app = open_app(mini, autosave_delay=3600)
    async with app.run_test(size=(80, 24)) as pilot:
        def theirs(review) -> None:
            editing.set_value(review, "owner", "nobody", TODAY)
            editing.set_value(review, "notes", "their note", TODAY)

        edit_on_disk(mini, theirs)
        await pilot.press("u", "enter")
        await pilot.pause()
        app.exit()  # a browser tab closing, SIGTERM: nobody is left to answer the merge question
    answers = tomllib.loads(mini.read_text())["answers"]
    assert answers["owner"]["status"] == "unknown"  # mine, where both changed
    assert answers["notes"]["value"] == "their note"  # theirs, elsewhere
