"""Issue 25 in the TUI: the latency card shows the latest measurement without a stage budget, and the
program dialog edits the metrics cadence that makes a measurement stale."""

from __future__ import annotations

import tomllib
from pathlib import Path

from click.testing import CliRunner
from textual.widgets import Input, Static

from tests.conftest import FIXTURES, TODAY
from tests.tui.conftest import settle
from workbook.cli import cli
from workbook.core.models import Status
from workbook.core.store import load_review, save_review
from workbook.tui.screens.program import ProgramDialog
from workbook.tui.screens.review import ReviewScreen

CADENCE_PROBLEM = "The metrics cadence is a whole number of days from 1 to 366 (empty: 30 days)."
TRACES = FIXTURES / "telemetry" / "openai-v2-default.jsonl"
WINDOW = "window 2026-11-15 06:16 to 2026-11-16 06:16 UTC, 10 days ago"  # ten days before TODAY


def measured(sample_copy, stages: bool = True, target: float | None = None) -> Path:
    """The sample measured (`measure --write`) over a window ten days before TODAY: fresh by the default
    30 days, stale by a 7-day cadence."""
    path = sample_copy("customer-support-copilot.toml")
    result = CliRunner().invoke(cli, ["measure", str(path), "--traces", str(TRACES), "--write",
                                      "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    path.write_text(path.read_text().replace("window_start = 2026-12-06", "window_start = 2026-11-15")
                    .replace("window_end = 2026-12-06", "window_end = 2026-11-16"))
    rf = load_review(path)
    if not stages:
        assert rf.review.calculators is not None
        rf.review.calculators.latency = None  # measured, but the stage budget never filled in
    if target is not None:
        answer = rf.review.answers["latency-target-p95-ms"]
        rf.review.answers["latency-target-p95-ms"] = answer.model_copy(
            update={"status": Status.ANSWERED, "value": target})
    save_review(rf)
    return path


async def latency_card(app, pilot) -> str:
    await app.screen.show_section("latency")
    await pilot.pause()
    return " ".join(app.screen.query_one("SectionView").entry_text("calc:latency").split())


async def test_the_latency_card_shows_the_measurement_without_a_stage_budget(sample_copy, open_app) -> None:
    app = open_app(measured(sample_copy, stages=False))
    async with app.run_test(size=(80, 24)) as pilot:
        text = await latency_card(app, pilot)
    assert f"Measured end to end: p50 264.4 ms, p95 492.1 ms from 2 requests, {WINDOW}" in text, text
    assert "Not filled in yet" not in text and "No stage budget yet" in text
    assert "over the p95 target" not in text and "[stale]" not in text  # 5,000 ms target; 10 days < 30


async def test_over_the_p95_target_by_the_scorings_rule_with_and_without_stages(sample_copy, open_app) -> None:
    for stages in (False, True):
        app = open_app(measured(sample_copy, stages=stages, target=400))
        async with app.run_test(size=(80, 24)) as pilot:
            text = await latency_card(app, pilot)
        assert f"p95 492.1 ms from 2 requests, {WINDOW}, over the p95 target of 400 ms" in text, (stages, text)


async def open_program(app, pilot) -> ProgramDialog:
    await pilot.press("P")
    assert await settle(pilot, lambda: isinstance(app.screen, ProgramDialog))
    dialog = app.screen
    assert isinstance(dialog, ProgramDialog)
    return dialog


async def test_a_cadence_set_in_the_program_dialog_makes_the_measurement_stale_at_once(sample_copy,
                                                                                       open_app) -> None:
    path = measured(sample_copy, stages=False)
    app = open_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "[stale]" not in await latency_card(app, pilot)  # 10 days: within the default 30
        dialog = await open_program(app, pilot)
        dialog.query_one("#metrics_cadence_days", Input).focus()
        await pilot.press("ctrl+u", "7", "f2")
        assert await settle(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert app.session.review.program.metrics_cadence_days == 7
        assert await settle(pilot, lambda: "10 days ago [stale]" in app.screen.query_one("SectionView")
                            .entry_text("calc:latency"))
        await pilot.press("q")
    assert tomllib.loads(path.read_text())["program"]["metrics_cadence_days"] == 7


async def test_a_bad_cadence_is_refused_under_the_field_and_blank_is_the_default(sample_copy, open_app) -> None:
    path = measured(sample_copy, stages=False)
    path.write_text(path.read_text().replace("[program]\n", "[program]\nmetrics_cadence_days = 7\n", 1))
    app = open_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_program(app, pilot)
        field = dialog.query_one("#metrics_cadence_days", Input)
        assert field.value == "7"
        field.focus()
        error = dialog.query_one("#metrics_cadence_days-error", Static)
        for bad in ("0", "367", "two weeks", "1.5"):
            await pilot.press("ctrl+u", *bad, "f2")
            await pilot.pause()
            assert app.screen is dialog, bad  # not saved
            assert error.display and str(error.render()) == CADENCE_PROBLEM, bad
        assert app.session.review.program.metrics_cadence_days == 7 and not app.session.dirty
        await pilot.press("ctrl+u", "f2")  # empty: back to the default
        assert await settle(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert app.session.review.program.metrics_cadence_days is None
        await pilot.press("q")
    assert "metrics_cadence_days" not in tomllib.loads(path.read_text())["program"]
