"""Hostile text in every widget: shown literally, never acted on."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Static, TextArea

from tests.conftest import TODAY
from tests.hostile import MARKUP, make_hostile
from tests.tui.conftest import card_row, card_text, settle
from workbook.core import editing
from workbook.core.store import load_review, save_review
from workbook.tui.screens.board import ConstraintsBoard
from workbook.tui.screens.summary import SummaryScreen
from workbook.tui.widgets.section_view import SectionView


def hostile_file(mini: Path) -> Path:
    rf = load_review(mini)
    make_hostile(rf.review, TODAY, "notes", "boundary")
    editing.set_notes(rf.review, "owner", MARKUP)
    save_review(rf)
    return mini


def table_text(table: DataTable) -> str:
    return " ".join(str(c) for i in range(table.row_count) for c in table.get_row_at(i))


async def test_markup_in_answers_is_literal_everywhere_and_clicking_it_does_nothing(mini: Path, open_app) -> None:
    app = open_app(hostile_file(mini))
    async with app.run_test(size=(120, 40)) as pilot:
        title = str(app.screen.query_one("#title", Static).render())
        assert "[@click=app.quit]x[/]" in title and "<script>" in title
        await pilot.click("#title", offset=(30, 0))  # on the would-be link
        await pilot.click(SectionView, offset=(20, card_row(app, "owner") + 2))  # on the notes line
        await pilot.pause()
        assert app.is_running  # nothing was triggered
        assert MARKUP in card_text(app, "owner")  # the notes preview
        await app.screen.show_section("data")
        assert "[bold]b" in card_text(app, "notes")
        await pilot.press("c")
        assert isinstance(app.screen, ConstraintsBoard)
        assert "=cmd|' /C calc'!A0" in table_text(app.screen.query_one(DataTable))  # literal, whole
        await pilot.press("escape", "r")
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("escape", "o")
        assert "=cmd|' /C calc'!A0" in table_text(app.screen.query_one("#decisions DataTable", DataTable))
        await pilot.press("o")
        app.screen.query_one(SectionView).reveal("notes")
        await pilot.press("enter")
        assert app.screen.query_one("#value-text", TextArea).text.startswith(MARKUP)
        await pilot.press("escape", "f5")
        assert app.is_running


async def test_parking_lot_and_presentation_show_hostile_text(mini: Path, open_app) -> None:
    app = open_app(hostile_file(mini))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("p", "a", *"[@click=app.quit]boom[/]", "enter")
        assert await settle(pilot, lambda: len(app.session.review.parking_lot) == 1)
        assert "[@click=app.quit]boom[/]" in table_text(app.screen.query_one(DataTable))
        await pilot.press("escape")
        app.screen.query_one(SectionView).reveal("notes")
        await pilot.press("f5")
        answer = str(app.screen.query_one("#answer", Static).render())
        assert MARKUP.split()[0] in answer
        assert app.is_running


async def test_a_megabyte_of_text(mini: Path, open_app) -> None:
    rf = load_review(mini)
    big = ("All work and no play. " * 50 + "\n") * 950  # about 1 MB
    editing.set_notes(rf.review, "notes", big)
    save_review(rf)
    assert load_review(mini).review.answers["notes"].notes == big
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "All work and no play." in card_text(app, "notes")
        assert len(card_text(app, "notes")) < 2000  # a preview, not a megabyte on screen
        await pilot.press("q")


async def test_notifications_do_not_parse_markup(mini: Path, open_app) -> None:
    bad = mini.parent / "[bold]weird[b].toml"
    bad.write_text("x = [")
    app = open_app(None)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = app.screen
        screen._open(bad)
        await pilot.pause()
        assert any("[bold]weird[b].toml" in n.message for n in app._notifications)
