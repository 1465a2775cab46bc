from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import NOW, TODAY
from workbook.core.store import load_review
from workbook.tui.app import WorkbookApp, make_app


@pytest.fixture
def open_app():
    """Build the app exactly as the CLI does, with a fixed today and clock, for a review file."""

    def build(path: Path | None, autosave_delay: float = 0.05) -> WorkbookApp:
        rf = load_review(path) if path is not None else None
        return make_app(rf, today=TODAY, clock=lambda: NOW, autosave_delay=autosave_delay)

    return build


def card_text(app: WorkbookApp, qid: str) -> str:
    """The text of a question's card as the section view shows it now."""
    from workbook.tui.widgets.section_view import SectionView

    card = app.screen.query_one(SectionView).card(qid)
    assert card is not None, f"no card for {qid} on screen"
    return card.body_text()


def focused_question(app: WorkbookApp) -> str | None:
    """The question the keys act on: the one selected in the section view, while it has the focus."""
    from workbook.tui.widgets.section_view import SectionView

    views = app.screen.query(SectionView)
    if not views or app.focused is not views.first():
        return None
    return views.first().selected_question


def card_row(app: WorkbookApp, qid: str) -> int:
    """The row, in the section view as it is scrolled now, of a question card's first line."""
    from workbook.tui.widgets.section_view import SectionView

    view = app.screen.query_one(SectionView)
    line = view.line_of(f"q:{qid}")
    assert line is not None, f"no card for {qid} on screen"
    return line - int(view.scroll_offset.y)


async def open_calculator(pilot, kind: str) -> None:
    """Show the cost or latency section and open its calculator, as enter on its card does."""
    await pilot.app.screen.show_section(kind)
    await pilot.pause()
    pilot.app.screen.query_one("SectionView").action_move_to(0)  # its calculator card comes first
    await pilot.press("enter")
    await pilot.pause()


async def settle(pilot, condition, tries: int = 100) -> bool:
    """Let the app run until condition() holds (timers fire on their own schedule under load)."""
    for _ in range(tries):
        if condition():
            return True
        await pilot.pause(0.05)
    return condition()


def palette_offers(app, title: str) -> bool:
    """The command palette has searched and highlights a command with this title: enter runs it."""
    from textual.command import CommandList, CommandPalette

    if not isinstance(app.screen, CommandPalette):
        return False
    hits = app.screen.query_one(CommandList)
    return hits.highlighted is not None and title in str(hits.get_option_at_index(hits.highlighted).prompt)
