"""The latency card's line for the latest measurement (core.measure.latest_latency): the recorded
end-to-end quantiles, n, window and age, over the target and stale by LatestMeasurement's own rules."""

from __future__ import annotations

import datetime as dt

from workbook.core.measure.latest import latest_measurement
from workbook.core.measure.latest_latency import latency_line
from workbook.core.models import Answer, MeasuredFigure, Measurement, Status
from workbook.core.store import ReviewFile

END = dt.datetime(2026, 11, 16, 6, 16, tzinfo=dt.UTC)
WINDOW = "window 2026-11-15 06:16 to 2026-11-16 06:16 UTC"


def line(copilot: ReviewFile, figures: dict[str, float], days: int = 10, stages: bool = True,
         target: float | None = None, cadence: int | None = None, requests: int = 150) -> str:
    review = copilot.review
    review.measurements = [Measurement(
        recorded_on=END.date(), window_start=END - dt.timedelta(days=1), window_end=END, requests=requests,
        figures=[MeasuredFigure(id=fid, unit="ms", value=v, n=requests - 10) for fid, v in figures.items()])]
    if not stages:
        assert review.calculators is not None
        review.calculators.latency = None
    if target is not None:
        review.answers["latency-target-p95-ms"] = Answer(status=Status.ANSWERED, value=target)
    review.program.metrics_cadence_days = cadence
    m = latest_measurement(review, copilot.template, END.date() + dt.timedelta(days=days))
    assert m is not None
    return latency_line(m)


def test_the_recorded_quantiles_from_the_p95s_own_n(copilot: ReviewFile) -> None:
    assert line(copilot, {"e2e-p50": 301.04, "e2e-p95": 4920.06, "e2e-p99": 8000}) == (
        f"Measured end to end: p50 301.0 ms, p95 4,920.1 ms, p99 8,000.0 ms from 140 requests, {WINDOW}, "
        "10 days ago")


def test_p50_and_p99_only_when_recorded(copilot: ReviewFile) -> None:
    assert line(copilot, {"e2e-p95": 492.1}, days=1, requests=11).startswith(
        f"Measured end to end: p95 492.1 ms from 1 request, {WINDOW}, 1 day ago")


def test_over_the_target_by_the_stage_budgets_target_and_by_the_teams_answer(copilot: ReviewFile) -> None:
    assert line(copilot, {"e2e-p95": 5000.5}).endswith("10 days ago, over the p95 target of 5,000 ms")
    assert line(copilot, {"e2e-p95": 5000.0}).endswith("10 days ago")  # at the target is not over it
    assert line(copilot, {"e2e-p95": 492.1}, stages=False, target=400).endswith(", over the p95 target of 400 ms")


def test_no_target_without_a_stage_budget_or_an_answer(copilot: ReviewFile) -> None:
    assert line(copilot, {"e2e-p95": 99_999}, stages=False).endswith("10 days ago")  # the sample defers it


def test_stale_by_the_programs_cadence_else_30_days(copilot: ReviewFile) -> None:
    assert line(copilot, {"e2e-p95": 492.1}, days=31).endswith("31 days ago [stale]")
    assert line(copilot, {"e2e-p95": 492.1}, days=30).endswith("30 days ago")
    assert line(copilot, {"e2e-p95": 492.1}, days=8, cadence=7).endswith("8 days ago [stale]")
    assert line(copilot, {"e2e-p95": 6000}, days=8, cadence=7).endswith(
        "8 days ago, over the p95 target of 5,000 ms [stale]")


def test_no_p95_in_the_traces_still_gives_the_window_and_age(copilot: ReviewFile) -> None:
    assert line(copilot, {}, requests=0) == f"Measured: no end-to-end p95 in the traces from 0 requests, {WINDOW}, 10 days ago"
