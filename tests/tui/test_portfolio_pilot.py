"""The portfolio in the TUI: rows, sorting, enter opens a review, q comes back with the row updated."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.widgets import DataTable

from tests.conftest import NOW, TODAY, sample_paths
from tests.tui.conftest import settle
from workbook.core.discover import find_review_files
from workbook.tui.app import make_app
from workbook.tui.screens.portfolio import PortfolioScreen
from workbook.tui.screens.review import ReviewScreen


def names(app) -> list[str]:
    """The programs in the order the table shows them (full names: a cell may end in … at 80 columns)."""
    table = app.screen.query_one(DataTable)
    by_path = {r.path: r.name for r in app.screen.rows}
    return [by_path[table.coordinate_to_cell_key((i, 0)).row_key.value] for i in range(table.row_count)]


async def test_portfolio_open_a_review_and_come_back(tmp_path: Path) -> None:
    for path in sample_paths():
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "broken.toml").write_text("[program]\nname = \n")
    files = find_review_files([tmp_path])
    app = make_app(None, today=TODAY, clock=lambda: NOW, autosave_delay=0.05, portfolio=(files, "verdict", ()))
    async with app.run_test(size=(80, 24)) as pilot:
        assert await settle(pilot, lambda: isinstance(app.screen, PortfolioScreen) and app.screen.rows)
        listed = names(app)
        # weakest first (three samples at 0 under the 1.2.0 scoring, then by name),
        # errors last
        assert listed[0] == "Claims triage agent" and listed[-1] == "broken.toml"
        await pilot.press("s")  # readiness
        await pilot.press("s")  # open constraints
        assert names(app)[0] == "Support reply copilot"
        before = next(r for r in app.screen.rows if r.name == "Support reply copilot").open_constraints
        await pilot.press("enter")
        assert await settle(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert app.session.review.program.name == "Support reply copilot"
        await app.screen.jump_to("demo-data-source")  # the demo section's first question (the profile comes first)
        await pilot.press("u", "enter")  # (enter: yes, replace the answer) mark it unknown: a change to save
        await pilot.press("q")  # saves, back to the portfolio
        assert await settle(pilot, lambda: isinstance(app.screen, PortfolioScreen))
        row = next(r for r in app.screen.rows if r.name == "Support reply copilot")
        assert row.open_constraints == before + 1  # the critical question marked unknown opened one more
        await pilot.press("f")  # filter: overdue only
        assert set(names(app)) == {"Support reply copilot", "Claims triage agent: actions"}
        await pilot.press("q")
    assert app.return_code == 0  # q on the portfolio quits the app


async def test_q_on_a_screen_over_the_review_goes_back_to_the_portfolio(tmp_path: Path) -> None:
    for path in sample_paths():
        shutil.copy(path, tmp_path / path.name)
    files = find_review_files([tmp_path])
    app = make_app(None, today=TODAY, clock=lambda: NOW, autosave_delay=0.05, portfolio=(files, "name", ()))
    async with app.run_test(size=(80, 24)) as pilot:
        assert await settle(pilot, lambda: isinstance(app.screen, PortfolioScreen) and app.screen.rows)
        await pilot.press("enter")
        assert await settle(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await pilot.press("c", "q")  # quit from the constraints board
        assert await settle(pilot, lambda: isinstance(app.screen, PortfolioScreen))
        assert app.is_running
