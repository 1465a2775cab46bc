"""Negative feedback and the correction rate, from the events `--logs` read.

An event whose trace id is a measured request belongs to that request (its week is the request's, and
--since/--until apply through it). Another event is placed by its own time, and dropped when outside
the window. The correction rate is the share of measured requests with at least one correction event:
a correction not linked to a measured request is counted apart and said, never guessed onto one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from workbook.core.measure.logs import Event
from workbook.core.measure.row import Row, make_row
from workbook.core.measure.traces import Request
from workbook.core.models import Review


@dataclass(frozen=True)
class Feedback:
    correction_event: str
    evaluations: tuple[tuple[int | None, bool], ...]  # (time, negative) of each labelled evaluation event
    unlabelled: int  # evaluation events without a score label: not in the share
    corrections: int  # correction events read, in the window or linked to a measured request
    corrected: frozenset[str]  # the measured requests with a correction event
    unlinked: int  # correction events with no measured request to belong to

    @property
    def negative_share(self) -> float | None:
        return sum(n for _, n in self.evaluations) / len(self.evaluations) if self.evaluations else None


def _inside(time: int | None, since: int | None, until: int | None) -> bool:
    if time is None:
        return since is None and until is None
    return (since is None or time >= since) and (until is None or time < until)


def gather(events: Iterable[Event], requests: Sequence[Request], correction_event: str,
           since_ns: int | None = None, until_ns: int | None = None) -> Feedback:
    starts = {r.trace_id: r.start_ns for r in requests}
    evaluations: list[tuple[int | None, bool]] = []
    unlabelled = corrections = unlinked = 0
    corrected: set[str] = set()
    for e in events:
        linked = e.trace_id in starts
        if not linked and not _inside(e.time_ns, since_ns, until_ns):
            continue
        if e.kind == "evaluation":
            if e.labelled:
                evaluations.append((starts[e.trace_id] if linked else e.time_ns, e.negative))
            else:
                unlabelled += 1
        else:
            corrections += 1
            if linked:
                corrected.add(e.trace_id)
            else:
                unlinked += 1
    return Feedback(correction_event, tuple(evaluations), unlabelled, corrections, frozenset(corrected), unlinked)


def correction_rate(fb: Feedback, requests: Sequence[Request]) -> float | None:
    """Share of the requests corrected; None when no correction event was read (absence proves nothing)."""
    if not fb.corrections or not requests:
        return None
    ids = {r.trace_id for r in requests}
    return len(fb.corrected & ids) / len(requests)


def feedback_rows(fb: Feedback, review: Review, requests: Sequence[Request], question: str) -> list[Row]:
    answer = review.answers.get(question)
    estimate = None
    if answer is not None and isinstance(answer.value, (int, float)) and not isinstance(answer.value, bool):
        estimate = answer.value / 100  # the question is in %
    rate = correction_rate(fb, requests)
    notes = []
    if not fb.corrections:
        notes.append(f"no {fb.correction_event} event in the logs")
    if fb.unlinked:
        notes.append(f"{fb.unlinked} correction event(s) not linked to a measured request")
    share = fb.negative_share
    return [
        make_row("correction-rate", "Correction rate", "share", estimate, f"answers.{question}", rate,
                 len(requests), absent=rate is None, note="; ".join(notes)),
        make_row("negative-feedback-share", "Negative feedback share", "share", None, "", share,
                 len(fb.evaluations), absent=share is None,
                 note=f"{fb.unlabelled} evaluation event(s) without a label" if fb.unlabelled else ""),
    ]
