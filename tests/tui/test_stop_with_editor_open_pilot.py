"""The server stops (or the tab closes) while an answer editor is open with notes typed and not saved
(f2): the notes are applied to the answer, notes only, and saved with everything else."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from textual.widgets import TextArea

from tests.tui.conftest import settle
from workbook.tui.screens.editor import AnswerEditor


async def type_notes(pilot, question: str, text: str) -> None:
    app = pilot.app
    await pilot.pause()
    await app.screen.jump_to(question)
    await pilot.pause()
    await pilot.press("enter")
    assert await settle(pilot, lambda: isinstance(app.screen, AnswerEditor))
    notes = app.screen.query_one("#notes", TextArea)
    notes.focus()
    notes.move_cursor(notes.document.end)
    await pilot.pause()
    await pilot.press(*text)
    assert await settle(pilot, lambda: notes.text.endswith(text))


# owner: answered (its value stays); boundary: deferred (stays deferred); launch: not answered yet.
@pytest.mark.parametrize("question", ["owner", "boundary", "launch"])
async def test_notes_typed_in_an_open_editor_are_saved_when_the_app_closes(mini: Path, open_app,
                                                                           question: str) -> None:
    before = tomllib.loads(mini.read_text())["answers"].get(question, {})
    app = open_app(mini, autosave_delay=3600)  # nothing is saved before leaving
    async with app.run_test(size=(80, 24)) as pilot:
        await type_notes(pilot, question, " typed")
        app.exit()  # a browser tab closing, the server stopping, SIGTERM: nobody presses f2
    after = tomllib.loads(mini.read_text())["answers"][question]
    assert after["notes"] == before.get("notes", "") + " typed"
    assert {k: v for k, v in after.items() if k != "notes"} == \
        {k: v for k, v in before.items() if k != "notes"} | ({"status": "unanswered"} if not before else {})


async def test_an_editor_left_as_it_was_changes_nothing(mini: Path, open_app) -> None:
    before = mini.read_bytes()
    app = open_app(mini, autosave_delay=3600)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.screen.jump_to("owner")
        await pilot.pause()
        await pilot.press("enter")
        assert await settle(pilot, lambda: isinstance(app.screen, AnswerEditor))
        app.exit()
    assert mini.read_bytes() == before
