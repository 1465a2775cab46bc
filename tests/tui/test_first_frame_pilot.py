"""A review opened from the command line is the app's first screen: built and drawn once, not drawn
behind an empty default screen and then again over it."""

from __future__ import annotations

from pathlib import Path

from workbook.tui.screens.review import ReviewScreen


async def test_the_review_is_the_first_screen_composed_once(mini: Path, open_app, monkeypatch) -> None:
    composed: list[ReviewScreen] = []
    real = ReviewScreen.compose

    def spy(self: ReviewScreen):  # type: ignore[no-untyped-def]
        composed.append(self)
        return real(self)

    monkeypatch.setattr(ReviewScreen, "compose", spy)
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert [type(s).__name__ for s in app.screen_stack] == ["ReviewScreen"]
        assert composed == [app.screen]


async def test_q_on_the_first_screen_quits(mini: Path, open_app) -> None:
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0
