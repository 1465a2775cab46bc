"""One measurement from files to figures: what `workbook measure` runs."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from workbook.core.errors import WorkbookError
from workbook.core.measure.attributes import WANTED
from workbook.core.measure.feedback import Feedback, gather
from workbook.core.measure.figures import ATTRIBUTE, OUTCOMES, Measurement, measure
from workbook.core.measure.logs import DEFAULT_CORRECTION, LogStats, read_events
from workbook.core.measure.otlp import ReadStats, read_spans
from workbook.core.measure.outcomes import DEFAULT_OUTCOME_ATTRIBUTE, read_outcomes
from workbook.core.measure.report import Sources
from workbook.core.measure.sampling import Sampler, Sampling
from workbook.core.measure.stages import StageMatcher, StageRule
from workbook.core.measure.traces import Collector
from workbook.core.models import Review, Template


@dataclass(frozen=True)
class Options:
    traces: tuple[Path, ...]
    stages: tuple[StageRule, ...] = ()
    root: str | None = None
    outcomes: Path | None = None
    since: dt.datetime | None = None  # UTC; requests whose root starts at or after it
    until: dt.datetime | None = None  # UTC; ... and before it
    logs: tuple[Path, ...] = ()
    correction_event: str = DEFAULT_CORRECTION
    sample: float | None = None  # keep this share of the traces (by trace-id hash); None keeps all
    progress: Callable[[Path, int], None] | None = None  # (file, bytes read so far in it)
    outcome_attribute: str = DEFAULT_OUTCOME_ATTRIBUTE  # the root span's attribute saying success (outcomes.py)


def parse_when(text: str, end: bool = False) -> dt.datetime:
    """An ISO date or date-time, read as UTC. A date --until is the end of that day (the day included).
    ValueError saying what is expected."""
    try:
        if len(text.strip()) == 10:
            day = dt.date.fromisoformat(text.strip())
            stamp = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
            return stamp + dt.timedelta(days=1) if end else stamp
        stamp = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO date or date-time (2026-12-01 or 2026-12-01T06:00:00Z)") from None
    return stamp.replace(tzinfo=dt.UTC) if stamp.tzinfo is None else stamp.astimezone(dt.UTC)


def _ns(when: dt.datetime | None) -> int | None:
    if when is None:
        return None
    delta = when - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000_000 + delta.microseconds * 1000


@contextmanager
def _cycles_not_collected() -> Iterator[None]:
    """Reading allocates dicts a span and keeps a summary a trace, none in a cycle: the cycle collector's
    passes over the growing summaries were a fifth of the reading time, for nothing to free."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run(review: Review, template: Template, review_label: str, options: Options) -> tuple[Measurement, Sources]:
    """Read every trace file (streamed), then measure. Raises WorkbookError on malformed input."""
    if options.since is not None and options.until is not None and options.until <= options.since:
        raise WorkbookError(f"--until {options.until.isoformat()} is not after --since {options.since.isoformat()}")
    outcomes = read_outcomes(options.outcomes) if options.outcomes is not None else None
    matcher = StageMatcher(options.stages)
    key = options.outcome_attribute
    collector = Collector(matcher, options.root, Sampler(options.sample) if options.sample is not None else None,
                          outcome_attribute=key)
    stats = ReadStats()
    wanted = WANTED | {key}
    since, until = _ns(options.since), _ns(options.until)
    with _cycles_not_collected():
        for path in options.traces:
            report = partial(options.progress, path) if options.progress is not None else None
            for span in read_spans(path, stats, report, wanted, collector.add_all):  # most lines: add_all
                collector.add(span)
        if stats.spans == 0:  # a measurement of nothing must not look like one
            raise WorkbookError(f"{', '.join(map(str, options.traces))}: no spans to measure")
        requests, counts = collector.finish(since, until)
    feedback: Feedback | None = None
    log_stats = LogStats()
    if options.logs:
        events = [e for path in options.logs for e in read_events(path, options.correction_event, log_stats)]
        feedback = gather(events, requests, options.correction_event, since, until)
    source = OUTCOMES
    if outcomes is None:  # no outcomes file: the roots' outcome attribute, when any root carries one
        said = {r.trace_id: r.outcome for r in requests if r.outcome is not None}
        if said:
            outcomes, source = said, f"{ATTRIBUTE} {key}"
    m = measure(review, template, requests, counts, outcomes, tuple(r.stage for r in options.stages), feedback,
                source)
    sampling = (Sampling.of(options.sample, stats.spans, collector.spans_kept, [r.end_ms for r in requests])
                if options.sample is not None else None)
    sources = Sources(review_label, review.program.name, tuple(map(str, options.traces)), stats.lines,
                      stats.spans, stats.other_signal_lines, options.root, options.since, options.until,
                      tuple(map(str, options.logs)), log_stats.records, sampling=sampling)
    return m, sources
