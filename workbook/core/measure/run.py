"""One measurement from files to figures: what `workbook measure` runs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbook.core.errors import WorkbookError
from workbook.core.measure.figures import Measurement, measure
from workbook.core.measure.otlp import ReadStats, read_spans
from workbook.core.measure.outcomes import read_outcomes
from workbook.core.measure.report import Sources
from workbook.core.measure.stages import StageMatcher, StageRule
from workbook.core.measure.traces import Collector
from workbook.core.models import Review, Template


@dataclass(frozen=True)
class Options:
    traces: tuple[Path, ...]
    stages: tuple[StageRule, ...] = ()
    root: str | None = None
    outcomes: Path | None = None


def run(review: Review, template: Template, review_label: str, options: Options) -> tuple[Measurement, Sources]:
    """Read every trace file (streamed), then measure. Raises WorkbookError on malformed input."""
    outcomes = read_outcomes(options.outcomes) if options.outcomes is not None else None
    matcher = StageMatcher(options.stages)
    collector = Collector(matcher, options.root)
    stats = ReadStats()
    for path in options.traces:
        for span in read_spans(path, stats):
            collector.add(span)
    if stats.spans == 0:  # a measurement of nothing must not look like one
        raise WorkbookError(f"{', '.join(map(str, options.traces))}: no spans to measure")
    requests, counts = collector.finish()
    m = measure(review, template, requests, counts, outcomes, tuple(r.stage for r in options.stages))
    sources = Sources(review_label, review.program.name, tuple(map(str, options.traces)), stats.lines,
                      stats.spans, stats.other_signal_lines, options.root)
    return m, sources
