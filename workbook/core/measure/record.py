"""`workbook measure --write`: the measurement recorded in the review, and the answers it supports.

The record ([[measurements]]) holds the window, the requests, the files read (name and sha256) and
every figure measured, each with its unit and n. Only answers the traces truly measure are proposed:
the end-to-end p95 (latency-measured-p95-ms). Cost per outcome needs real outcomes and the review's
cost model, a correction rate needs explicit correction events: neither is written from traces alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from workbook.core.calc.results import MEASURED_P95_QUESTION
from workbook.core.errors import FileError, WorkbookError
from workbook.core.measure.figures import Measurement
from workbook.core.models import Answer, MeasuredFigure, Review, SourceFile, Status, Template
from workbook.core.models import Measurement as Recorded

NOTE_PREFIX = "Measured from "  # the line --write puts in the answer's notes (replaced by the next one)


def utc(ns: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(ns // 1_000_000_000, tz=dt.UTC).replace(microsecond=(ns // 1000) % 1_000_000)


def window_text(start: dt.datetime, end: dt.datetime) -> str:
    """The window in UTC to the minute: `2026-12-06 06:16 to 2026-12-07 06:15 UTC`."""
    a, b = (t.astimezone(dt.UTC) if t.tzinfo else t for t in (start, end))
    return f"{a:%Y-%m-%d %H:%M} to {b:%Y-%m-%d %H:%M} UTC"


def sha256(path: Path) -> str:
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError as exc:
        raise FileError.at(path, "", f"cannot read: {exc.strerror or exc}") from None


def record(m: Measurement, files: tuple[Path, ...], today: dt.date) -> Recorded:
    """The measurement as the review keeps it. Raises WorkbookError when no request was measured."""
    c = m.counts
    if c.requests == 0 or c.first_ns is None or c.last_ns is None:
        raise WorkbookError(f"{', '.join(map(str, files))}: no request measured: nothing to record")
    return Recorded(
        recorded_on=today,
        window_start=utc(c.first_ns),
        window_end=utc(c.last_ns),
        requests=c.requests,
        success=m.success_source,
        files=[SourceFile(name=str(p), sha256=sha256(p)) for p in files],
        figures=[MeasuredFigure(id=r.id, unit=r.unit, value=round(r.measured, 6), n=r.n)
                 for r in m.rows if r.measured is not None],
    )


def measured_note(rec: Recorded) -> str:
    return (f"{NOTE_PREFIX}{rec.requests:,} requests in traces, window {window_text(rec.window_start, rec.window_end)} "
            f"(workbook measure, recorded {rec.recorded_on.isoformat()}).")


def propose(review: Review, template: Template, rec: Recorded) -> list[str]:
    """Put the measured answers in the review; returns one line per answer written or skipped."""
    said: list[str] = []
    p95 = rec.figure("e2e-p95")
    current = review.answers.get(MEASURED_P95_QUESTION)
    if template.question(MEASURED_P95_QUESTION) is None:
        said.append(f"{MEASURED_P95_QUESTION}: not in this template; not written")
    elif p95 is None:
        said.append(f"{MEASURED_P95_QUESTION}: no end-to-end p95 measured; not written")
    elif current is not None and current.status is Status.NOT_APPLICABLE:
        said.append(f"{MEASURED_P95_QUESTION}: answered not applicable; left as it is")
    else:
        base = current or Answer()
        kept = [line for line in base.notes.splitlines() if not line.startswith(NOTE_PREFIX)]
        notes = "\n".join([measured_note(rec), *kept]).strip()
        review.answers[MEASURED_P95_QUESTION] = base.model_copy(
            update={"status": Status.ANSWERED, "value": round(p95.value, 1), "notes": notes})
        said.append(f"{MEASURED_P95_QUESTION}: {round(p95.value, 1):,} ms")
    said.append("cost per successful outcome: not written (needs real outcomes through the review's cost model)")
    said.append("correction rate: not written (needs explicit correction events; logs are not read yet)")
    return said


def write(review: Review, template: Template, m: Measurement, files: tuple[Path, ...], today: dt.date) -> list[str]:
    """Record the measurement and propose its answers, in the review in memory (the caller saves)."""
    rec = record(m, files, today)
    review.measurements = [*review.measurements, rec]
    return [f"recorded: {rec.requests:,} requests, window {window_text(rec.window_start, rec.window_end)}",
            *propose(review, template, rec)]
