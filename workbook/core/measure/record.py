"""`workbook measure --write`: the measurement recorded in the review, and the answers it supports.

The record ([[measurements]]) holds the window, the requests, the files read (name and sha256),
every figure measured (each with its unit and n), the weekly trend and the evidence sentences with
the question each touches. Only answers the evidence truly measures are proposed:
the end-to-end p95 (latency-measured-p95-ms); the cost per successful outcome (the template's cost
result question) only when success comes from real outcomes (--outcomes or the root's outcome
attribute), never technical success; the correction rate (human-correction-rate, in %) only when
the logs hold explicit correction events.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from workbook.core.calc.results import MEASURED_P95_QUESTION
from workbook.core.errors import FileError, WorkbookError
from workbook.core.measure.evidence import CORRECTION_QUESTION
from workbook.core.measure.figures import Measurement, real_outcomes
from workbook.core.models import (
    Answer,
    MeasuredEvidence,
    MeasuredFigure,
    MeasuredWeek,
    Review,
    SourceFile,
    Status,
    Template,
)
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
        weeks=[MeasuredWeek(week=w.week, requests=w.requests, p95_ms=_round(w.p95_ms),
                            cost_per_request=_round(w.cost_per_request), correction_rate=_round(w.correction_rate),
                            negative_feedback_share=_round(w.negative_share), feedback_n=w.feedback_n)
               for w in m.weeks],
        evidence=[MeasuredEvidence(question=e.question, verdict=e.verdict, text=e.text) for e in m.evidence],
    )


def _round(v: float | None) -> float | None:
    return None if v is None else round(v, 6)


def measured_note(rec: Recorded) -> str:
    return (f"{NOTE_PREFIX}{rec.requests:,} requests in traces, window {window_text(rec.window_start, rec.window_end)} "
            f"(workbook measure, recorded {rec.recorded_on.isoformat()}).")


def _answer(review: Review, template: Template, qid: str, value: float | None, missing: str, note: str,
            shown: str) -> str:
    """Write one measured answer (its note line replacing the previous --write's); the line said."""
    current = review.answers.get(qid)
    if template.question(qid) is None:
        return f"{qid}: not in this template; not written"
    if value is None:
        return f"{qid}: {missing}; not written"
    if current is not None and current.status is Status.NOT_APPLICABLE:
        return f"{qid}: answered not applicable; left as it is"
    base = current or Answer()
    kept = [line for line in base.notes.splitlines() if not line.startswith(NOTE_PREFIX)]
    notes = "\n".join([note, *kept]).strip()
    review.answers[qid] = base.model_copy(update={"status": Status.ANSWERED, "value": value, "notes": notes})
    return f"{qid}: {shown}"


def propose(review: Review, template: Template, rec: Recorded, m: Measurement | None = None) -> list[str]:
    """Put the measured answers in the review; returns one line per answer written or skipped."""
    window = window_text(rec.window_start, rec.window_end)
    said: list[str] = []
    p95 = rec.figure("e2e-p95")
    value = round(p95.value, 1) if p95 is not None else None
    said.append(_answer(review, template, MEASURED_P95_QUESTION, value, "no end-to-end p95 measured",
                        measured_note(rec), f"{value:,} ms" if value is not None else ""))
    cost_q = template.calculators.cost.result_question if template.calculators.cost else None
    per_outcome = rec.figure("cost-per-outcome")
    if cost_q is None:
        said.append("cost per successful outcome: the template has no cost calculator; not written")
    elif m is None or not real_outcomes(m.success_source):
        said.append(f"{cost_q}: not written (technical success is not an outcome; give --outcomes or an outcome "
                    "attribute on the root span)")
    else:
        usd = round(per_outcome.value, 4) if per_outcome is not None else None
        n = per_outcome.n if per_outcome else 0
        note = (f"{NOTE_PREFIX}{n:,} requests with real outcomes ({m.success_source}) "
                f"through the review's cost model, window {window} (workbook measure, recorded "
                f"{rec.recorded_on.isoformat()}).")
        said.append(_answer(review, template, cost_q, usd, "no cost per successful outcome measured", note,
                            f"${usd}" if usd is not None else ""))
    rate = rec.figure("correction-rate")
    fb = m.feedback if m is not None else None
    if fb is None:
        said.append(f"{CORRECTION_QUESTION}: not written (needs correction events: give --logs)")
    else:
        pct = round(rate.value * 100, 1) if rate is not None else None
        note = (f"{NOTE_PREFIX}{fb.corrections:,} {fb.correction_event} event(s) over {rate.n if rate else 0:,} "
                f"requests in traces, window {window} (workbook measure, recorded {rec.recorded_on.isoformat()}).")
        said.append(_answer(review, template, CORRECTION_QUESTION, pct,
                            f"no {fb.correction_event} event in the logs", note, f"{pct}%" if pct is not None else ""))
    return said


def write(review: Review, template: Template, m: Measurement, files: tuple[Path, ...], today: dt.date) -> list[str]:
    """Record the measurement and propose its answers, in the review in memory (the caller saves)."""
    rec = record(m, files, today)
    review.measurements = [*review.measurements, rec]
    return [f"recorded: {rec.requests:,} requests, window {window_text(rec.window_start, rec.window_end)}",
            *propose(review, template, rec, m)]
