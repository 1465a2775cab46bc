"""A review with a recorded measurement (`workbook measure --write`): it opens in the TUI, survives a
TUI save, and the latency card shows the latest measurement beside the estimate."""

from __future__ import annotations

import tomllib
from pathlib import Path

from click.testing import CliRunner

from tests.conftest import FIXTURES, TODAY
from tests.measured import costed_copy
from workbook.cli import cli
from workbook.core.models import Status
from workbook.core.store import load_review

TELEMETRY = FIXTURES / "telemetry"


def measured_copy(sample_copy) -> Path:
    path = sample_copy("customer-support-copilot.toml")
    result = CliRunner().invoke(cli, ["measure", str(path), "--traces", str(TELEMETRY / "openai-v2-default.jsonl"),
                                      "--write", "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    return path


async def test_a_measurement_survives_a_tui_save(sample_copy, open_app) -> None:
    path = measured_copy(sample_copy)
    recorded = tomllib.loads(path.read_text())["measurements"]
    app = open_app(path, autosave_delay=3600)
    async with app.run_test(size=(80, 24)) as pilot:
        assert len(app.session.review.measurements) == 1
        first = app.screen.query_one("SectionView").selected_question
        await pilot.press("u", "enter")  # an edit, so quitting saves
        await pilot.press("q")
    assert load_review(path).review.answers[first].status is Status.UNKNOWN
    assert tomllib.loads(path.read_text())["measurements"] == recorded


async def test_the_latency_card_shows_the_latest_measurement(sample_copy, open_app) -> None:
    path = measured_copy(sample_copy)
    # a month and more before the app's today (TODAY): stale
    path.write_text(path.read_text().replace("window_start = 2026-12-06", "window_start = 2026-10-01")
                    .replace("window_end = 2026-12-06", "window_end = 2026-10-02"))
    app = open_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.screen.show_section("latency")
        await pilot.pause()
        text = " ".join(app.screen.query_one("SectionView").entry_text("calc:latency").split())
    assert ("Measured end to end: p50 264.4 ms, p95 492.1 ms from 2 requests, window 2026-10-01 06:16 to "
            "2026-10-02 06:16 UTC, 55 days ago [stale]") in text
    assert text.index("p95 target") < text.index("Measured end to end")  # beside the estimate


async def cost_card_text(app, pilot) -> str:
    await app.screen.show_section("cost")
    await pilot.pause()
    return " ".join(app.screen.query_one("SectionView").entry_text("calc:cost").split())


async def test_the_cost_card_shows_the_latest_measurement(sample_copy, open_app) -> None:
    app = open_app(costed_copy(sample_copy))
    async with app.run_test(size=(80, 24)) as pilot:
        text = await cost_card_text(app, pilot)
    assert ("Measured at 1x: $0.1440 a request (estimate $0.1440), $0.2880 per successful outcome (estimate "
            "$0.2618) from 2 requests, window 2026-10-01 06:16 to 2026-10-02 06:16 UTC, 55 days ago, over the "
            "threshold of $0.2500 [stale]") in text
    assert text.index("per successful outcome.") < text.index("Measured at 1x")  # beside the estimate


async def test_the_cost_card_within_the_threshold_and_technical_success(sample_copy, open_app) -> None:
    """Under the threshold: not flagged over it. Technical success is no outcome: no cost per outcome."""
    app = open_app(costed_copy(sample_copy, threshold=0.30))
    async with app.run_test(size=(80, 24)) as pilot:
        text = await cost_card_text(app, pilot)
    assert "$0.2880 per successful outcome" in text and "over the threshold" not in text
    app = open_app(costed_copy(sample_copy, threshold=0.01, outcomes=False))
    async with app.run_test(size=(80, 24)) as pilot:
        text = await cost_card_text(app, pilot)
    assert "Measured at 1x: $0.1440 a request (estimate $0.1440), no cost per outcome" in text
    assert "over the threshold" not in text.split("Measured at 1x")[1].split("[stale]")[0]


async def test_the_portfolio_screen_shows_a_reviews_measured_p95(sample_copy) -> None:
    from textual.widgets import Static

    from tests.conftest import NOW, TODAY
    from tests.measured import costed_copy
    from tests.tui.conftest import settle
    from workbook.core.discover import find_review_files
    from workbook.tui.app import make_app
    from workbook.tui.screens.portfolio import PortfolioScreen

    path = costed_copy(sample_copy)
    files = find_review_files([path.parent])
    app = make_app(None, today=TODAY, clock=lambda: NOW, autosave_delay=0.05, portfolio=(list(files), "name", ()))
    async with app.run_test(size=(100, 24)) as pilot:
        assert await settle(pilot, lambda: isinstance(app.screen, PortfolioScreen) and app.screen.rows)
        detail = str(app.screen.query_one("#pf-detail", Static).render())
        assert "measured p95 492 ms, stale" in detail, detail
