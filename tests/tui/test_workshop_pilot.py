"""Facilitator mode: the countdown (with an injected clock), the parking lot, settling disagreements."""

from __future__ import annotations

import datetime as dt
import shutil
import tomllib
from pathlib import Path

from textual.widgets import Input, Static

from tests.conftest import FIXTURES, TODAY
from tests.tui.conftest import card_text, settle
from workbook.core import editing
from workbook.core.merge import merge_reviews
from workbook.core.store import create_review_file, load_review, save_review
from workbook.tui.app import make_app
from workbook.tui.screens.editor import AnswerEditor
from workbook.tui.screens.settle import SettleDialog
from workbook.tui.screens.workshop import ParkingLotScreen, PresentationScreen
from workbook.tui.widgets.timer_bar import TimerBar


class FakeClock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 26, 9, 0, 0)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += dt.timedelta(**delta)


def workshop_app(path: Path, clock: FakeClock):
    return make_app(load_review(path), today=TODAY, clock=clock, autosave_delay=0.05, workshop=True)


def bar_text(app) -> str:
    return str(app.screen.query_one(TimerBar).render())


async def test_countdown_shows_time_left_overrun_and_logs_time_spent(mini: Path) -> None:
    clock = FakeClock()
    app = workshop_app(mini, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert "t starts the countdown for Data (time box 10 min)" in bar_text(app)
        await pilot.press("t")
        assert "10:00 left of 10:00" in bar_text(app)
        clock.advance(minutes=4)
        screen.query_one(TimerBar).tick()
        assert "06:00 left of 10:00" in bar_text(app)
        clock.advance(minutes=8, seconds=30)
        screen.query_one(TimerBar).tick()
        assert "OVERRUN +02:30" in bar_text(app)  # shown, not enforced: the review goes on
        await pilot.press("t")  # stop: 12:30 goes into the session log
        assert await settle(pilot, lambda: app.session.review.workshop is not None)
        assert "spent so far 12:30" in bar_text(app)
        await pilot.press("q")
    log = tomllib.loads(mini.read_text())["workshop"]["log"]
    assert log == [{"section": "data", "started": dt.datetime(2026, 11, 26, 9, 0), "seconds": 750}]


async def test_quitting_with_a_running_countdown_logs_it(mini: Path) -> None:
    clock = FakeClock()
    app = workshop_app(mini, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        clock.advance(minutes=3)
        await pilot.press("q")
    assert tomllib.loads(mini.read_text())["workshop"]["log"][0]["seconds"] == 180


async def test_parking_lot_add_close_and_save(mini: Path) -> None:
    app = workshop_app(mini, FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        assert isinstance(app.screen, ParkingLotScreen)
        await pilot.press("a", *"Who pays for the pilot?", "tab", *"Dana", "enter")
        await pilot.press("a", *"[bold]Legal[/] wants a second look", "enter")
        assert await settle(pilot, lambda: len(app.session.review.parking_lot) == 2)
        await pilot.press("up", "x")  # close the first
        assert await settle(pilot, lambda: app.session.review.parking_lot[0].closed_on == TODAY)
        title = str(app.screen.query_one("#lot-title", Static).render())
        assert "1 open · 2 in all" in title
        await pilot.press("escape", "q")
    lot = tomllib.loads(mini.read_text())["parking_lot"]
    assert lot[0] == {"topic": "Who pays for the pilot?", "owner": "Dana", "raised_on": TODAY, "section": "data",
                      "closed_on": TODAY}
    assert lot[1]["topic"] == "[bold]Legal[/] wants a second look" and "owner" not in lot[1]


def merged_file(tmp_path: Path, qid: str, answers: dict) -> Path:
    """Two respondents who answered `qid` differently, merged."""
    shutil.copy(FIXTURES / "mini-template.toml", tmp_path)
    files = []
    for name, value in answers.items():
        path = tmp_path / f"{name}.toml"
        shutil.copy(FIXTURES / "mini-review.toml", path)
        rf = load_review(path)
        rf.review.answers = {}
        rf.review.respondent = name
        editing.set_value(rf.review, qid, value, TODAY)
        save_review(rf, force=True)
        files.append(load_review(path))
    merged = tmp_path / "merged.toml"
    create_review_file(merged, merge_reviews(files).review, files[0].template)
    return merged


async def test_settling_a_disagreement(tmp_path: Path) -> None:
    merged = merged_file(tmp_path, "threshold", {"Ana": 2, "Ben": 5})
    app = workshop_app(merged, FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert "⚡ respondents disagree" in card_text(app, "threshold")
        assert "Ana: 2 USD" in card_text(app, "threshold") and "Ben: 5 USD" in card_text(app, "threshold")
        await pilot.press("enter")
        assert isinstance(app.screen, SettleDialog)
        await pilot.press("down", "enter")  # Ben's answer
        assert await settle(pilot, lambda: app.session.review.answers["threshold"].value == 5)
        answer = app.session.review.answers["threshold"]
        assert not answer.disagreement and answer.resolved_by == "Ben"
        assert "(settled from Ana, Ben)" in card_text(app, "threshold")
        await pilot.press("q")
    saved = tomllib.loads(merged.read_text())["answers"]["threshold"]
    assert saved["value"] == 5 and set(saved["responses"]) == {"Ana", "Ben"}


async def test_settling_by_writing_the_answer(tmp_path: Path) -> None:
    merged = merged_file(tmp_path, "owner", {"Ana": "named", "Ben": "nobody"})
    app = workshop_app(merged, FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "up", "up", "enter")  # "Write the settled answer…" (above "defer it")
        assert await settle(pilot, lambda: isinstance(app.screen, AnswerEditor))
        await pilot.press("down", "down", "enter")  # "A team": neither respondent's answer
        assert await settle(pilot, lambda: app.session.review.answers["owner"].value == "team")


async def test_workshop_decisions_are_recorded_against_a_participant(mini: Path) -> None:
    app = workshop_app(mini, FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "enter", "down")  # the boundary decision: choose "Yes"
        decided = app.screen.query_one("#decided-by", Input)
        decided.value = "Somebody Else"
        await pilot.press("f2")
        assert isinstance(app.screen, AnswerEditor)  # refused: not a participant
        assert "recorded against a participant: Dana" in str(app.screen.query_one("#error", Static).render())
        decided.value = "Dana"
        await pilot.press("f2")
        assert await settle(pilot, lambda: app.session.review.answers["boundary"].resolved_by == "Dana")


async def test_facilitator_guidance_is_collapsed_until_g(mini: Path) -> None:
    app = workshop_app(mini, FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        intro = lambda: app.screen.query_one("SectionView").entry_text("intro")  # noqa: E731
        assert "Push on ownership." not in intro()  # more than one question fits at 80x24
        await pilot.press("g")
        assert "Push on ownership." in intro()


async def test_presentation_view(mini: Path) -> None:
    app = workshop_app(mini, FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        assert isinstance(app.screen, PresentationScreen)
        text = lambda sel: str(app.screen.query_one(sel, Static).render())  # noqa: E731
        assert text("#prompt") == "Who owns the data?"
        assert text("#where") == "Data · question 1 of 4"
        assert "t starts the countdown for Data" in text("#countdown")  # the room sees the time box too
        assert not app.screen.query_one("#guidance").display  # hidden unless asked for
        await pilot.press("g")
        assert app.screen.query_one("#guidance").display and "Push on ownership." in text("#guidance")
        await pilot.press("right", "right", "right", "right")
        assert text("#where") == "Cost · question 1 of 3"
        await pilot.press("escape")
        assert not isinstance(app.screen, PresentationScreen)


async def test_a_disagreement_can_be_deferred_instead_of_settled(tmp_path: Path) -> None:
    merged = merged_file(tmp_path, "threshold", {"Ana": 2, "Ben": 5})
    app = workshop_app(merged, FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right_square_bracket", "enter")
        assert isinstance(app.screen, SettleDialog)
        await pilot.press("end", "enter")  # "Not settled today: defer it…"
        await pilot.press(*"Priya", "tab", *"2026-12-10", "enter")
        assert await settle(pilot, lambda: app.session.review.answers["threshold"].status.value == "deferred")
        answer = app.session.review.answers["threshold"]
        assert answer.owner == "Priya" and set(answer.responses) == {"Ana", "Ben"}  # the record stays
