from __future__ import annotations

from pathlib import Path

from workbook.core.measure.figures import Measurement
from workbook.core.measure.report import Sources
from workbook.core.measure.row import Row
from workbook.core.measure.run import Options, run
from workbook.core.measure.stages import parse_stage
from workbook.core.store import ReviewFile


def measure_files(rf: ReviewFile, *paths: Path, stages: tuple[str, ...] = (), root: str | None = None,
                  outcomes: Path | None = None) -> tuple[Measurement, Sources]:
    return run(rf.review, rf.template, "review.toml",
               Options(tuple(paths), tuple(parse_stage(s) for s in stages), root, outcomes))


def row(m: Measurement, rid: str) -> Row:
    return next(r for r in m.rows if r.id == rid)
