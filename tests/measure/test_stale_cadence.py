"""A measurement is stale by the program's own metrics cadence when the review gives one, else after 30 days;
the line says which rule made it stale."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from workbook.core.errors import FileError
from workbook.core.measure.latest import latest_measurement
from workbook.core.models import Measurement, Review
from workbook.core.store import ReviewFile, load_review

END = dt.datetime(2026, 12, 6, 6, 19, tzinfo=dt.UTC)


def _measured(copilot: ReviewFile, cadence: int | None) -> Review:
    review = copilot.review
    review.measurements = [Measurement(recorded_on=END.date(), window_start=END - dt.timedelta(days=1),
                                       window_end=END, requests=3)]
    review.program.metrics_cadence_days = cadence
    return review


@pytest.mark.parametrize(("cadence", "days", "stale", "rule"), [
    (None, 30, False, None),
    (None, 31, True, "older than 30 days (no metrics cadence in the review)"),
    (7, 7, False, None),
    (7, 8, True, "older than the program's 7-day metrics cadence"),
    (60, 45, False, None),  # a slower cadence than the default: not stale at 45 days
])
def test_stale_by_the_cadence_else_30_days(copilot: ReviewFile, cadence: int | None, days: int, stale: bool,
                                           rule: str | None) -> None:
    review = _measured(copilot, cadence)
    latest = latest_measurement(review, copilot.template, END.date() + dt.timedelta(days=days))
    assert latest is not None and latest.stale is stale
    line = latest.line()
    assert line.endswith(f"{days} days ago [stale] ({rule})" if stale else f"{days} days ago")


def test_the_cadence_round_trips_and_a_bad_one_names_its_key(tmp_path: Path) -> None:
    path = tmp_path / "review.toml"
    text = (SAMPLES / "customer-support-copilot.toml").read_text()
    path.write_text(text.replace("[program]\n", "[program]\nmetrics_cadence_days = 14\n", 1))
    assert load_review(path).review.program.metrics_cadence_days == 14
    path.write_text(text.replace("[program]\n", "[program]\nmetrics_cadence_days = 0\n", 1))
    with pytest.raises(FileError, match=r"program\.metrics_cadence_days"):
        load_review(path)
