"""The weekly trend (ISO weeks of the requests' root start, UTC): p95, cost per request, correction rate
and negative feedback. A rising correction rate or negative share is the trust-erosion signal: it
matters more than any one week's level."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from workbook.core.calc.latency import _quantile as quantile
from workbook.core.measure.cost import measured_cost, success_of, usage
from workbook.core.measure.feedback import Feedback, correction_rate
from workbook.core.measure.traces import Request
from workbook.core.models import CostInputs


@dataclass(frozen=True)
class Week:
    week: str  # ISO week, "2026-W49"
    requests: int
    p95_ms: float | None
    cost_per_request: float | None  # the review's cost model on this week's measured inputs
    correction_rate: float | None
    negative_share: float | None
    feedback_n: int  # labelled evaluation events this week


def iso_week(ns: int) -> str:
    year, week, _ = dt.datetime.fromtimestamp(ns // 1_000_000_000, tz=dt.UTC).isocalendar()
    return f"{year}-W{week:02d}"


def weekly(requests: Sequence[Request], outcomes: dict[str, bool] | None, cost: CostInputs | None,
           fb: Feedback | None) -> list[Week]:
    by_week: dict[str, list[Request]] = {}
    week_of: dict[int, str] = {}  # by day: a datetime a request was most of this loop
    for r in requests:
        day = r.start_ns // 86_400_000_000_000
        week = week_of.get(day)
        if week is None:
            week = week_of[day] = iso_week(r.start_ns)
        by_week.setdefault(week, []).append(r)
    evaluations: dict[str, list[bool]] = {}
    for time, negative in fb.evaluations if fb is not None else ():
        if time is not None:
            evaluations.setdefault(iso_week(time), []).append(negative)
    weeks = []
    for week in sorted(set(by_week) | set(evaluations)):
        rs = by_week.get(week, [])
        ends = sorted(r.end_ms for r in rs)
        per_request = (measured_cost(cost, usage(rs), success_of(rs, outcomes)).per_request
                       if cost is not None and rs else None)
        marks = evaluations.get(week, [])
        weeks.append(Week(week, len(rs), quantile(ends, 0.95) if ends else None, per_request,
                          correction_rate(fb, rs) if fb is not None else None,
                          sum(marks) / len(marks) if marks else None, len(marks)))
    return weeks
