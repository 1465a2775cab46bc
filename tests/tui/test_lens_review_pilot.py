"""A review of an imported AWS Well-Architected lens, driven as a user would: ticking a lens question's
choices gives the risk the lens's rules give and the card names the rule; a lens question is a decision
a team can defer; the board and the summary show it like any review."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner
from textual.widgets import DataTable, Static

from tests.conftest import FIXTURES, TODAY
from tests.tui.conftest import card_text, settle
from workbook.cli import cli
from workbook.tui.screens.board import ConstraintsBoard
from workbook.tui.screens.dialogs import DeferDialog
from workbook.tui.screens.editor import AnswerEditor
from workbook.tui.screens.summary import SummaryScreen

PERSONALIZE = FIXTURES / "wa-lenses" / "Personalize__custom-lens-personalize-v1.0.json"


def lens_review(folder: Path, lens: Path = PERSONALIZE) -> Path:
    """`templates import-lens` then `new`, as the README says."""
    runner = CliRunner()
    template, review = folder / "lens.toml", folder / "review.toml"
    assert runner.invoke(cli, ["templates", "import-lens", str(lens), "-o", str(template)]).exit_code == 0
    result = runner.invoke(cli, ["new", str(review), "--template", str(template), "--program", "Recs",
                                 "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    return review


async def test_ticking_a_lens_question_gives_the_lens_risk_and_names_its_rule(tmp_path: Path, open_app) -> None:
    app = open_app(lens_review(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await app.screen.jump_to("ops1")
        await pilot.pause()
        await pilot.press("enter")
        assert isinstance(app.screen, AnswerEditor)
        await pilot.press("space", "enter")  # the first practice only: the lens's default rule, medium
        assert await settle(pilot, lambda: "MEDIUM" in card_text(app, "ops1"))
        assert "▲ The lens's default rule." in card_text(app, "ops1")
        await pilot.press("enter", "space", "down", "space", "enter")  # the second practice only: high
        assert await settle(pilot, lambda: "HIGH" in card_text(app, "ops1"))
        assert "▲ The lens rates this high risk where (!OPS1_1)." in card_text(app, "ops1")
        assert app.session.review.answers["ops1"].value == ["ops1_2"]


async def test_a_lens_question_is_deferred_and_shown_on_the_board_and_summary(tmp_path: Path, open_app) -> None:
    app = open_app(lens_review(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await app.screen.jump_to("sec2")
        await pilot.pause()
        await pilot.press("d")
        assert isinstance(app.screen, DeferDialog)
        await pilot.press(*"Ana Lopez", "tab", *"2026-12-15", "enter")
        assert await settle(pilot, lambda: "deferred to Ana Lopez" in card_text(app, "sec2"))
        await pilot.press("c")
        assert isinstance(app.screen, ConstraintsBoard)
        assert [str(k.value) for k in app.screen.query_one(DataTable).rows] == ["sec2"]
        await pilot.press("escape", "r")
        assert isinstance(app.screen, SummaryScreen)
        text = str(app.screen.query_one("#summary", Static).render())
        assert "Recs · demo · as of 2026-11-26" in text and "Open constraints 1" in text
    answer = app.session.review.answers["sec2"]
    assert (answer.status.value, answer.owner, answer.decide_by) == ("deferred", "Ana Lopez", dt.date(2026, 12, 15))
