"""A hostile review: escape sequences in every key and value, its file name and its respondents' files.

Each screen is captured as the terminal would be sent it (``export_screenshot``): nothing a terminal
acts on (ESC, OSC, BEL, the one-byte C1 CSI/OSC, bidi controls) may be in it, only Textual's own
styling, which the SVG capture holds as attributes, never as bytes in the text.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from tests.conftest import FIXTURES, NOW, TODAY
from tests.tui.conftest import settle
from workbook.core.store import load_review
from workbook.tui.app import WorkbookApp, make_app
from workbook.tui.screens.board import ConstraintsBoard
from workbook.tui.screens.portfolio import PortfolioScreen
from workbook.tui.screens.program import ProgramDialog
from workbook.tui.screens.respondents import RespondentsScreen
from workbook.tui.screens.review import ReviewScreen
from workbook.tui.screens.search import SearchScreen
from workbook.tui.screens.settle import SettleDialog
from workbook.tui.screens.summary import SummaryScreen
from workbook.tui.screens.workshop import ParkingLotScreen, PresentationScreen
from workbook.tui.widgets.section_view import SectionView

CLEAR = "\x1b[2J\x1b[H"
TITLE = "\x1b]0;pwned\x07"
CLIPBOARD = "\x1b]52;c;cHduZWQ=\x07"
C1 = "\x9b2J\x9d0;t\x9c"
BIDI = "\u202egnp.exe\u2066x\u2069"
EVIL = CLEAR + TITLE + CLIPBOARD + C1 + BIDI
# What a terminal would act on rather than show (newline and tab aside).
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def s(text: str) -> str:
    return json.dumps(text)  # an ASCII JSON string is a valid TOML basic string (\uXXXX escapes)


def hostile_review(folder: Path) -> Path:
    """The mini review with control sequences in every key and value it may hold, under a hostile name."""
    shutil.copy(FIXTURES / "mini-template.toml", folder / "mini-template.toml")
    text = f"""schema = 1
template = "mini"
template_version = "2.0.0"
template_file = "mini-template.toml"
{s("key" + EVIL)} = {s("kept" + EVIL)}

[program]
name = {s("Prog" + EVIL)}
owner = {s("Dana" + EVIL)}
stage = "pilot"
description = {s("Desc" + EVIL)}
participants = [{{ name = {s("Part" + EVIL)}, role = {s("Role" + EVIL)}, {s("x" + EVIL)} = {s("y" + EVIL)} }}]

[[parking_lot]]
topic = {s("Topic" + EVIL)}
owner = {s("Parker" + EVIL)}
raised_on = 2026-11-01

[answers.owner]
status = "answered"
value = "team"
notes = {s("Note" + EVIL)}

[answers.owner.responses.{s("bob" + EVIL)}]
status = "answered"
value = "team"

[answers.boundary]
status = "deferred"
owner = {s("Priya" + EVIL)}
decide_by = 2026-11-20
breaks_if_open = {s("Breaks" + EVIL)}

[answers.notes.responses.{s("eve" + EVIL)}]
status = "answered"
value = {s("one" + EVIL)}
notes = {s("why" + EVIL)}

[answers.notes.responses.{s("ann" + TITLE)}]
status = "answered"
value = "two"

[answers.{s("gone" + EVIL)}]
status = "answered"
value = {s("orphan" + EVIL)}
"""
    path = folder / ("review" + TITLE + C1 + ".toml")
    path.write_text(text, encoding="utf-8")
    return path


def respondents(review: Path, folder: Path) -> Path:
    """A respondents' folder: a file named with escapes and no name in it, one with a hostile name."""
    answers = folder / "answers"
    answers.mkdir()
    base = review.read_text(encoding="utf-8").split("[answers.owner]")[0]
    (answers / ("zed" + CLIPBOARD + C1 + ".toml")).write_text(
        base + f'[answers.sources]\nstatus = "answered"\nvalue = ["wiki"]\nnotes = {s("n" + EVIL)}\n',
        encoding="utf-8")
    (answers / "yan.toml").write_text(
        f"respondent = {s('Yan' + EVIL)}\n" + base + '[answers.sources]\nstatus = "answered"\nvalue = ["email"]\n',
        encoding="utf-8")
    (answers / ("stray" + TITLE + ".toml")).write_text("x = [", encoding="utf-8")
    return answers


def captured(app: WorkbookApp, where: str, shots: dict[str, str]) -> None:
    shots[where] = app.export_screenshot()  # every character the terminal would be sent, as text


def assert_clean(shots: dict[str, str]) -> None:
    bad = []
    for where, shown in shots.items():
        found = sorted({repr(c) for c in RAW.findall(shown)})
        raw = [r for r in (CLEAR, TITLE, CLIPBOARD, "\x1b]", "\x07", "\x9b", "\x9d") if r in shown]
        if found or raw:
            bad.append(f"{where}: {', '.join(found)}")
    assert not bad, "raw control characters reach the terminal: " + "; ".join(bad)


async def test_a_hostile_review_drives_no_screen_of_the_terminal(tmp_path: Path) -> None:
    review = hostile_review(tmp_path)
    folder = respondents(review, tmp_path)
    shots: dict[str, str] = {}
    app = make_app(load_review(review), today=TODAY, clock=lambda: NOW, workshop=True, respondents=folder,
                   autosave_delay=0.05)
    async with app.run_test(size=(160, 50)) as pilot:
        assert await settle(pilot, lambda: isinstance(app.screen, RespondentsScreen) and app.screen.folder.stray)
        screen = app.screen
        assert isinstance(screen, RespondentsScreen)
        screen.query_one("DataTable").move_cursor(row=2)  # sources: both respondents' answers below
        await pilot.pause()
        captured(app, "tally", shots)
        await pilot.press("m")  # merge: the respondent named by its file name becomes a key in the review
        assert await settle(pilot, lambda: app.session is not None
                            and app.session.review.answer("sources").disagreement)
        await pilot.press("escape")
        assert await settle(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await pilot.pause()
        captured(app, "card", shots)
        view = app.screen.query_one(SectionView)
        view.reveal("notes")
        await pilot.pause()
        captured(app, "card (disagreement)", shots)
        await pilot.press("enter")
        assert await settle(pilot, lambda: isinstance(app.screen, SettleDialog))
        await pilot.pause()
        captured(app, "settle", shots)
        await pilot.press("escape")
        assert await settle(pilot, lambda: isinstance(app.screen, ReviewScreen))
        view.reveal("sources")
        await pilot.pause()
        captured(app, "card (merged)", shots)
        await pilot.press("f5")
        assert await settle(pilot, lambda: isinstance(app.screen, PresentationScreen))
        await pilot.pause()
        captured(app, "presentation", shots)
        await pilot.press("escape", "c")
        assert await settle(pilot, lambda: isinstance(app.screen, ConstraintsBoard))
        await pilot.pause()
        captured(app, "board", shots)
        await pilot.press("escape", "r")
        assert await settle(pilot, lambda: isinstance(app.screen, SummaryScreen))
        await pilot.pause()
        captured(app, "summary", shots)
        await pilot.press("escape", "p")
        assert await settle(pilot, lambda: isinstance(app.screen, ParkingLotScreen))
        await pilot.pause()
        captured(app, "parking lot", shots)
        await pilot.press("escape", "slash", *"one")
        assert await settle(pilot, lambda: isinstance(app.screen, SearchScreen))
        await pilot.pause()
        captured(app, "search", shots)
        await pilot.press("escape")
        view.reveal("owner")
        await pilot.pause()
        captured(app, "card (owner)", shots)
        await pilot.press("P")
        assert await settle(pilot, lambda: isinstance(app.screen, ProgramDialog))
        await pilot.pause()
        captured(app, "program and participants", shots)
    assert_clean(shots)
    assert "zed\\x1b]52" in shots["tally"]  # the file's name, shown escaped
    assert "eve\\x1b[2J" in shots["card (disagreement)"].replace("&#160;", " ")  # a key, shown escaped


async def test_a_hostile_review_in_the_portfolio(tmp_path: Path) -> None:
    review = hostile_review(tmp_path)
    broken = tmp_path / ("broken" + CLIPBOARD + ".toml")
    broken.write_text("[program]\nname = \n")
    shots: dict[str, str] = {}
    app = make_app(None, today=TODAY, clock=lambda: NOW, autosave_delay=0.05,
                   portfolio=([review, broken], "verdict", ()))
    async with app.run_test(size=(160, 40)) as pilot:
        assert await settle(pilot, lambda: isinstance(app.screen, PortfolioScreen) and app.screen.rows)
        await pilot.pause()
        captured(app, "portfolio", shots)
        await pilot.press("down")
        await pilot.pause()
        captured(app, "portfolio (broken)", shots)
        await pilot.press("up", "enter")  # open the hostile review from the portfolio
        assert await settle(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await pilot.pause()
        captured(app, "opened from the portfolio", shots)
    assert_clean(shots)
