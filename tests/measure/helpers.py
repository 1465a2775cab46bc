from __future__ import annotations

from pathlib import Path

from workbook.core.measure.figures import Measurement
from workbook.core.measure.logs import DEFAULT_CORRECTION
from workbook.core.measure.outcomes import DEFAULT_OUTCOME_ATTRIBUTE
from workbook.core.measure.report import Sources
from workbook.core.measure.row import Row
from workbook.core.measure.run import Options, parse_when, run
from workbook.core.measure.stages import parse_stage
from workbook.core.store import ReviewFile


def measure_files(rf: ReviewFile, *paths: Path, stages: tuple[str, ...] = (), root: str | None = None,
                  outcomes: Path | None = None, since: str | None = None, until: str | None = None,
                  logs: tuple[Path, ...] = (), correction_event: str = DEFAULT_CORRECTION,
                  outcome_attribute: str = DEFAULT_OUTCOME_ATTRIBUTE) -> tuple[Measurement, Sources]:
    window = (parse_when(since) if since else None, parse_when(until, end=True) if until else None)
    return run(rf.review, rf.template, "review.toml",
               Options(tuple(paths), tuple(parse_stage(s) for s in stages), root, outcomes, *window, logs,
                       correction_event, outcome_attribute=outcome_attribute))


def row(m: Measurement, rid: str) -> Row:
    return next(r for r in m.rows if r.id == rid)
