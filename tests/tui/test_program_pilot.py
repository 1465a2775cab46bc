"""The program itself edited in the TUI (issue 22): name, stage, owner, description, participants."""

from __future__ import annotations

import tomllib
from pathlib import Path

from textual.widgets import Input, Select, Static, TextArea

from tests.tui.conftest import palette_offers, settle
from workbook.core.models import Stage
from workbook.tui.screens.program import ProgramDialog
from workbook.tui.screens.review import ReviewScreen
from workbook.tui.screens.workshop import ParticipantsDialog
from workbook.tui.widgets.header import ReviewHeader


def header_title(app) -> str:
    return str(app.screen.query_one(ReviewHeader).query_one("#title", Static).render())


async def test_p_edits_the_program_and_the_header_follows_at_once(mini: Path, open_app) -> None:
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        assert header_title(app) == "workbook · Mini program  pilot"
        await pilot.press("P")
        assert await settle(pilot, lambda: isinstance(app.screen, ProgramDialog))
        await pilot.press("ctrl+u", *"MedNotes")
        app.screen.query_one("#stage", Select).value = Stage.LIMITED
        await pilot.press("tab", "tab", "ctrl+u", *"Ana Ruiz", "tab", *"Drafts clinic letters.")
        await pilot.press("f2")
        assert await settle(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert await settle(pilot, lambda: header_title(app) == "workbook · MedNotes  limited production")
        program = app.session.review.program
        assert (program.name, program.stage, program.owner) == ("MedNotes", Stage.LIMITED, "Ana Ruiz")
        assert program.description == "Drafts clinic letters."
        await pilot.press("ctrl+z")  # one change, one undo
        assert await settle(pilot, lambda: header_title(app) == "workbook · Mini program  pilot")
        await pilot.press("ctrl+y", "q")
    data = tomllib.loads(mini.read_text())
    assert data["program"]["name"] == "MedNotes" and data["program"]["stage"] == "limited_production"
    assert data["program"]["participants"][0]["pronouns"] == "she/her"  # untouched, unknown keys kept


async def test_the_palette_opens_it_and_a_blank_name_is_refused_under_the_field(mini: Path, open_app) -> None:
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p", *"Program: edit")
        assert await settle(pilot, lambda: palette_offers(app, "Program: edit name, stage, owner"))
        await pilot.press("enter")
        assert await settle(pilot, lambda: isinstance(app.screen, ProgramDialog))
        dialog = app.screen
        assert dialog.query_one("#name", Input).value == "Mini program"
        assert dialog.query_one("#stage", Select).value is Stage.PILOT
        await pilot.press("ctrl+u", " ")
        await pilot.pause()
        name_error = dialog.query_one("#name-error", Static)
        assert name_error.display and str(name_error.render()) == "The program needs a name."  # as typed
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog  # not saved
        await pilot.press("ctrl+u", *"Mini", "enter")
        assert await settle(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert app.session.review.program.name == "Mini"


async def test_escape_changes_nothing(mini: Path, open_app) -> None:
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("P")
        assert await settle(pilot, lambda: isinstance(app.screen, ProgramDialog))
        await pilot.press("ctrl+u", *"Other", "escape")
        assert await settle(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert app.session.review.program.name == "Mini program" and not app.session.dirty


async def test_participants_are_one_button_away_and_the_line_follows(mini: Path, open_app) -> None:
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("P")
        assert await settle(pilot, lambda: isinstance(app.screen, ProgramDialog))
        dialog = app.screen
        await pilot.click("#edit-people")
        assert await settle(pilot, lambda: isinstance(app.screen, ParticipantsDialog))
        app.screen.query_one("#people", TextArea).load_text("Dana, TPM\nBen Osei, security")
        await pilot.press("f2")
        assert await settle(pilot, lambda: app.screen is dialog)
        assert await settle(pilot, lambda: "Dana, Ben Osei" in str(dialog.query_one("#people", Static).render()))
        assert [p.name for p in app.session.review.program.participants] == ["Dana", "Ben Osei"]
        assert dialog.query_one("#name", Input).value == "Mini program"  # the dialog's own fields kept
