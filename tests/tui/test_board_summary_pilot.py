"""The constraints board and the summary screen, driven from the keyboard."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.widgets import DataTable, Static

from tests.tui.conftest import focused_question, palette_offers, settle
from workbook.tui.screens.board import ConstraintsBoard
from workbook.tui.screens.dialogs import DeferDialog
from workbook.tui.screens.editor import AnswerEditor
from workbook.tui.screens.review import ReviewScreen
from workbook.tui.screens.summary import SummaryScreen
from workbook.tui.widgets.header import ReviewHeader


def rows(app) -> list[str]:
    return [str(k.value) for k in app.screen.query_one(DataTable).rows]


async def test_board_sorts_by_date_owner_risk_and_age(mini: Path, open_app) -> None:
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        assert isinstance(app.screen, ConstraintsBoard)
        assert rows(app) == ["boundary", "good-enough", "threshold"]  # dated first, then by id
        await pilot.press("s")  # owner: unowned first
        assert rows(app) == ["good-enough", "threshold", "boundary"]
        await pilot.press("s")  # risk area, then overdue first
        assert rows(app)[0] == "boundary"
        await pilot.press("s")  # age: oldest first
        assert rows(app) == ["boundary", "good-enough", "threshold"]
        title = str(app.screen.query_one("#board-title", Static).render())
        assert "3 · 1 overdue · sorted by age" in title


async def test_board_enter_jumps_to_the_question(mini: Path, open_app) -> None:
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c", "down", "down", "enter")  # the threshold, in the cost section
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert focused_question(app) == "threshold"


async def test_resolving_from_the_board_closes_the_constraint(mini: Path, open_app) -> None:
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c", "a")  # answer the overdue boundary decision
        assert isinstance(app.screen, AnswerEditor)
        await pilot.press("down", "enter")  # nothing is chosen yet: down picks "No", enter saves it
        assert await settle(pilot, lambda: isinstance(app.screen, ConstraintsBoard) and "boundary" not in rows(app))
        assert rows(app) == ["good-enough", "threshold"]
        answer = app.session.review.answers["boundary"]
        assert (answer.value, answer.resolved_by, answer.resolved_on) == ("no", "Priya", dt.date(2026, 11, 26))
        # Re-date the threshold from the board: give it an owner and a date.
        await pilot.press("down", "d")
        assert isinstance(app.screen, DeferDialog)
        await pilot.press(*"Sam", "tab", *"2026-12-20", "enter")
        assert await settle(pilot, lambda: isinstance(app.screen, ConstraintsBoard))
        await pilot.press("escape")
        assert app.screen.query_one(ReviewHeader).open_count == 2
        assert app.screen.query_one(ReviewHeader).overdue_count == 0


async def test_summary_screen_shows_verdict_reason_and_sections(mini: Path, open_app) -> None:
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        assert isinstance(app.screen, SummaryScreen)
        text = str(app.screen.query_one("#summary", Static).render())
        assert "Verdict: DEMO ONLY" in text
        assert "The weakest section is Data at 23/100" in text and "answered 4 of 6" in text
        assert "Start with" in text and "overdue by 6 days, Priya" in text
        assert "Risks 0 high, 2 medium" in text
        assert "2026-11-20 Priya" in text  # overdue: needs a decision this week
        assert "OWASP LLM Top 10 (2025)" in text and "NIST AI 600-1" in text
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen)


async def test_summary_at_80_columns_wraps_and_cuts_nothing(sample_copy, open_app) -> None:
    """Long "Start with" items and section titles wrap on their words under themselves, never cut."""
    app = open_app(sample_copy("claims-triage-agent-actions.toml"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        summary = app.screen.query_one("#summary", Static)
        lines = [strip.text.rstrip() for strip in summary.render_lines(summary.region.reset_offset)]
        assert "…" not in "\n".join(lines) and max(len(line) for line in lines) <= summary.size.width
        assert " 1. Which irreversible or external actions require a person's explicit" in lines
        assert "    approval, and where is the gate enforced?" in lines  # under its own text
        untrusted = next(line for line in lines if line.startswith("Untrusted content and credentials"))
        assert "50" in untrusted and "3 high" in untrusted


async def test_summary_says_not_started_and_that_the_weakest_is_barely_answered(mini: Path, open_app) -> None:
    from workbook.core.store import load_review, save_review

    rf = load_review(mini)
    rf.review.answers = {"owner": rf.review.answers["owner"]}  # Data: 1 of 4 answered; Cost: none
    save_review(rf, force=True)
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        text = " ".join(str(app.screen.query_one("#summary", Static).render()).split())
        # Cost's blank threshold could be high, so the section that nobody started scores 0 and is the weakest
        assert "readiness 0/100 = the weakest section (weakest: Cost — only 0 of 3 answered; 1 section not " \
               "started)" in text
        assert "Cost not started" in text and "n/a" not in text


async def test_export_from_the_command_palette(mini: Path, open_app) -> None:
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p", *"Export: Markdown")
        assert await settle(pilot, lambda: palette_offers(app, "Export: Markdown"))
        await pilot.press("enter")
        assert await settle(pilot, lambda: app.screen.__class__.__name__ == "PathDialog")
        await pilot.press("enter")  # the default: next to the review
        assert await settle(pilot, lambda: mini.with_suffix(".md").exists())
    assert mini.with_suffix(".md").read_text().startswith("# Decision log: Mini program")


async def test_export_adr_from_the_palette_into_a_folder(mini: Path, open_app) -> None:
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p", *"Export: ADR")
        assert await settle(pilot, lambda: palette_offers(app, "Export: ADR"))
        await pilot.press("enter")
        assert await settle(pilot, lambda: app.screen.__class__.__name__ == "PathDialog")
        await pilot.press("enter")
        folder = mini.parent / "mini-review-decisions"
        assert await settle(pilot, lambda: folder.is_dir() and len(list(folder.iterdir())) == 2)


async def test_export_asks_before_replacing_a_file(mini: Path, open_app) -> None:
    target = mini.with_suffix(".md")
    target.write_text("someone's notes")
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_export("md")
        assert await settle(pilot, lambda: app.screen.__class__.__name__ == "PathDialog")
        await pilot.press("enter")
        assert await settle(pilot, lambda: app.screen.__class__.__name__ == "ChoiceDialog")
        await pilot.click("#keep")
        await pilot.pause()
        assert target.read_text() == "someone's notes"
        app.action_export("md")
        assert await settle(pilot, lambda: app.screen.__class__.__name__ == "PathDialog")
        await pilot.press("enter")
        assert await settle(pilot, lambda: app.screen.__class__.__name__ == "ChoiceDialog")
        await pilot.click("#replace")
        assert await settle(pilot, lambda: target.read_text().startswith("# Decision log"))


async def test_decisions_panel_is_sorted_by_date_undated_last(sample_copy, open_app) -> None:
    app = open_app(sample_copy("customer-support-copilot.toml"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        table = app.screen.query_one("#decisions DataTable", DataTable)
        dues = [str(table.get_cell(k, "due")).split(" ")[0] for k in table.rows]
        dated = [d for d in dues if d != "no"]  # "no date"
        assert dated == sorted(dated) and len(dated) >= 5
        assert dues[len(dated):] == ["no"] * (len(dues) - len(dated)) and len(dues) > len(dated)
        assert dues[0] == "2026-11-13"  # the most overdue first


async def test_board_owners_are_whole_at_80_columns(sample_copy, open_app) -> None:
    """"Helen Marsh (COO, sponsor)" wraps in its row instead of being cut to "Helen Marsh…"."""
    app = open_app(sample_copy("customer-support-copilot.toml"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        table = app.screen.query_one(DataTable)
        width = table.columns[next(k for k in table.columns if k.value == "owner")].width
        for c in app.session.constraints:
            cell = str(table.get_cell(c.question_id, "owner"))
            assert " ".join(cell.split("\n")) == (c.owner or "UNOWNED")
            assert max(len(line) for line in cell.split("\n")) <= width
        helen = next(c.question_id for c in app.session.constraints if (c.owner or "").startswith("Helen"))
        assert next(row for key, row in table.rows.items() if key.value == helen).height == 2  # the row grew
