"""The TUI under faults: a failed save is said and the edits kept; a file changed on disk asks
reload / keep mine / save a copy; a second workbook is warned; orphaned answers are shown."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.tui.conftest import card_text, settle
from workbook.core.lock import lock_file
from workbook.core.store import load_review
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
        await pilot.press("u")  # mark unknown: a change to save
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
        await pilot.press("u")
        app.action_save_copy()
        assert await settle(pilot, lambda: isinstance(app.screen, PathDialog))
        await pilot.press("enter")
        copy = mini.with_name("mini-review-copy.toml")
        assert await settle(pilot, lambda: copy.exists())
        assert app.session.file.path == copy
    assert tomllib.loads(copy.read_text())["answers"]["owner"]["status"] == "unknown"


async def _conflict(mini: Path, open_app, choice: str, done):
    app = open_app(mini, autosave_delay=0.01)
    async with app.run_test(size=(80, 24)) as pilot:
        text = mini.read_text().replace('name = "Mini program"', 'name = "Renamed in another editor"')
        mini.write_text(text)
        await pilot.press("u")
        assert await settle(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        await pilot.click(f"#{choice}")
        assert await settle(pilot, lambda: done(app))  # the choice has taken effect
        result = app.session.file
        await pilot.press("escape")
    return app, result


async def test_changed_on_disk_keep_mine(mini: Path, open_app) -> None:
    await _conflict(mini, open_app, "mine",
                    lambda app: tomllib.loads(mini.read_text())["program"]["name"] == "Mini program")
    data = tomllib.loads(mini.read_text())
    assert data["program"]["name"] == "Mini program" and data["answers"]["owner"]["status"] == "unknown"


async def test_changed_on_disk_reload_theirs(mini: Path, open_app) -> None:
    app, rf = await _conflict(mini, open_app, "reload",
                              lambda app: app.session.file.review.program.name == "Renamed in another editor")
    assert rf.review.program.name == "Renamed in another editor"
    assert tomllib.loads(mini.read_text())["program"]["name"] == "Renamed in another editor"


async def test_changed_on_disk_save_a_copy(mini: Path, open_app) -> None:
    app = open_app(mini, autosave_delay=0.01)
    async with app.run_test(size=(80, 24)) as pilot:
        mini.write_text(mini.read_text().replace('name = "Mini program"', 'name = "Theirs"'))
        await pilot.press("u")
        assert await settle(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        await pilot.click("#copy")
        assert await settle(pilot, lambda: isinstance(app.screen, PathDialog))
        await pilot.press("enter")
        copy = mini.with_name("mini-review-copy.toml")
        assert await settle(pilot, lambda: copy.exists())
    assert tomllib.loads(mini.read_text())["program"]["name"] == "Theirs"  # theirs untouched
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
        app.screen.query_one("#q-retired-question").focus()
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
        await pilot.press("u", "q")  # an edit, then quit while its autosave is failing
        assert await settle(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        assert "could not be saved" in str(app.screen.query_one(".body").render())
        assert app.is_running and app.session.dirty
        await pilot.click("#stay")
    assert mini.read_bytes() == before
