"""The answer editor's key hint at 80x24 (issue 22): one whole line, in view, for every kind of question,
a long one with a scrollbar included."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from tests.tui.conftest import settle
from workbook.tui.screens.editor import AnswerEditor

SIZE = (80, 24)


async def open_editor(pilot, question: str) -> Static:
    app = pilot.app
    await pilot.pause()
    app.clear_notifications()
    await app.screen.jump_to(question)
    await pilot.pause()
    await pilot.press("enter")
    assert await settle(pilot, lambda: isinstance(app.screen, AnswerEditor))
    await pilot.pause()
    return app.screen.query_one("#keys", Static)


def assert_whole_and_in_view(app, keys: Static) -> None:
    frame = app.screen.query_one("AnswerEditor > VerticalScroll")
    text = str(keys.render())
    assert keys.region.height == 1, f"{text!r} wraps onto {keys.region.height} lines"
    assert frame.content_region.contains_region(keys.region), "the hint is scrolled or cut out of view"
    assert keys.region.width >= len(text)


@pytest.mark.parametrize("question", ["owner", "sources", "notes", "threshold", "good-enough", "launch"])
async def test_the_hint_is_one_whole_line_for_every_kind(mini: Path, open_app, question: str) -> None:
    app = open_app(mini)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_editor(pilot, question)
        assert_whole_and_in_view(app, keys)
        expected = "enter new line" if question == "notes" else "enter save"
        assert expected in str(keys.render())


async def test_the_hint_stays_in_view_when_the_question_scrolls(sample_copy, open_app) -> None:
    app = open_app(sample_copy("customer-support-copilot.toml"))  # long choices and help: it scrolls
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_editor(pilot, "data-boundary-decision")
        frame = app.screen.query_one("AnswerEditor > VerticalScroll")
        assert frame.max_scroll_y > 0
        assert_whole_and_in_view(app, keys)
