"""The latest recorded measurement of a review, as check, the summary, diff and the TUI show it.

Latest is the one whose window ends last (a later run over an older window does not replace it). It is
stale when its window ended longer ago than the program's metrics cadence (`[program]
metrics_cadence_days`), else than STALE_DAYS (the templates ask no cadence question). Over target is
the scoring's rule: the measured end-to-end p95 above the team's target (its answer, else the calculator's
target_p95_ms).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from workbook.core.calc.results import latency_inputs_with_target, number_answer
from workbook.core.models import Measurement, Review, Template

STALE_DAYS = 30
P95 = "e2e-p95"


def latest(review: Review) -> Measurement | None:
    if not review.measurements:
        return None
    # max keeps the first of equals: reversed, so of two with the same window the later recorded wins
    return max(reversed(review.measurements), key=lambda m: _utc(m.window_end))


def _utc(t: dt.datetime) -> dt.datetime:
    return t if t.tzinfo is not None else t.replace(tzinfo=dt.UTC)  # a hand-written local time: read as UTC


def target_p95(review: Review, template: Template) -> float | None:
    inputs = latency_inputs_with_target(review, template)
    if inputs is not None and inputs.target_p95_ms is not None:
        return inputs.target_p95_ms
    config = template.calculators.latency
    target = number_answer(review, config.target_question) if config is not None else None
    return target if target is not None and target > 0 else None


@dataclass(frozen=True)
class LatestMeasurement:
    measurement: Measurement
    p95_ms: float | None
    age_days: int
    stale: bool
    target_ms: float | None
    stale_after_days: int = STALE_DAYS
    by_cadence: bool = False  # the program's own metrics cadence set stale_after_days

    @property
    def stale_rule(self) -> str:
        if self.by_cadence:
            return f"older than the program's {self.stale_after_days}-day metrics cadence"
        return f"older than {self.stale_after_days} days (no metrics cadence in the review)"

    @property
    def over_target(self) -> bool:
        return self.p95_ms is not None and self.target_ms is not None and self.p95_ms > self.target_ms

    @property
    def window(self) -> str:
        a, b = (_utc(t).astimezone(dt.UTC) for t in (self.measurement.window_start, self.measurement.window_end))
        return f"{a:%Y-%m-%d %H:%M} to {b:%Y-%m-%d %H:%M} UTC"

    @property
    def age(self) -> str:
        """`today`, `1 day ago`, `5 days ago`."""
        return "today" if self.age_days == 0 else f"{self.age_days} day{'s' if self.age_days != 1 else ''} ago"

    def refuted(self) -> list[str]:
        """The recorded evidence sentences refuting an assumption (verdict "refuted", evidence.REFUTED)."""
        return [e.text for e in self.measurement.evidence if e.verdict == "refuted"]

    def line(self) -> str:
        """One line: `measured p95 470.9 ms from 3 requests, window …, 5 days ago [stale]`."""
        p95 = "no p95" if self.p95_ms is None else f"p95 {measured_ms(self.p95_ms)}"
        over = f", over the target of {self.target_ms:,.0f} ms" if self.over_target and self.target_ms else ""
        return (f"measured {p95} from {self.measurement.requests:,} requests, window {self.window}, "
                f"{self.age}{over}{f' [stale] ({self.stale_rule})' if self.stale else ''}")


def measured_ms(value: float) -> str:
    """A measured latency keeps its tenth of a millisecond (an estimate is shown whole)."""
    return f"{value:,.1f} ms"


def latest_measurement(review: Review, template: Template, today: dt.date) -> LatestMeasurement | None:
    m = latest(review)
    if m is None:
        return None
    figure = m.figure(P95)
    age = (today - _utc(m.window_end).date()).days
    cadence = review.program.metrics_cadence_days
    after = cadence or STALE_DAYS
    return LatestMeasurement(m, figure.value if figure is not None else None, max(age, 0), age > after,
                             target_p95(review, template), after, cadence is not None)
