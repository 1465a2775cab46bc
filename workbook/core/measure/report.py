"""A measurement as text, Markdown (for a pull request) or JSON (schema in docs/measure.md)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from workbook.core.exports.mdtext import md_cell
from workbook.core.measure.figures import ATTRIBUTE, Measurement
from workbook.core.measure.row import Row, value
from workbook.core.measure.sampling import Sampling
from workbook.core.measure.trend import Week
from workbook.core.text import json_safe, terminal_safe

SCHEMA = "workbook-measure/1"
HEADERS = ("Figure", "Estimate", "Measured (n)", "Change", "Flag")


@dataclass(frozen=True)
class Sources:
    review: str
    program: str
    files: tuple[str, ...]
    lines: int
    spans: int
    other_signal_lines: int = 0
    root: str | None = None
    since: dt.datetime | None = None  # --since / --until, UTC
    until: dt.datetime | None = None
    logs: tuple[str, ...] = ()
    log_records: int = 0
    sampling: Sampling | None = None  # with --sample


WEEK_HEADERS = ("Week", "Requests", "p95", "Cost/request", "Corrected", "Negative feedback")


def _iso(ns: int | None) -> str | None:
    if ns is None:
        return None
    stamp = dt.datetime.fromtimestamp(ns / 1e9, tz=dt.UTC).replace(microsecond=(ns // 1000) % 1_000_000)
    return stamp.isoformat().replace("+00:00", "Z")


def cells(row: Row) -> tuple[str, str, str, str, str]:
    measured = f"{value(row.measured, row.unit)} ({row.n:,})"
    change = "" if row.change is None else f"{row.change:+.0%}"
    return (row.figure, value(row.estimate, row.unit), measured, change, ", ".join(row.flags))


def _without(m: Measurement) -> str:
    if m.success_source.startswith(ATTRIBUTE):
        return f"whose root span carries no outcome ({m.success_source.removeprefix(ATTRIBUTE).strip()})"
    return "not in the outcomes file"


def header_lines(m: Measurement, s: Sources) -> list[str]:
    c = m.counts
    window = (f", {_iso(c.first_ns)} to {_iso(c.last_ns)}" if c.first_ns is not None else "")
    not_requests = [f"{c.partial} partial (no root span: not measured)"]
    if c.several_roots:
        not_requests.append(f"{c.several_roots} with several roots")
    if s.root is not None:
        not_requests.append(f"{c.other_root} with another root than --root {s.root}")
    lines = [
        f"Measured: {s.program} ({s.review})",
        f"Traces: {len(s.files)} file(s), {s.spans:,} span(s) in {c.traces:,} trace(s){window}",
        f"Requests: {c.requests:,}; " + "; ".join(not_requests),
        f"Success: {m.success_source}"
        + (f"; {m.without_outcome:,} request(s) {_without(m)}" if m.without_outcome else ""),
    ]
    if c.duplicates:  # a collector's retry, a file given twice: each span counted once, and said so
        lines.append(f"Duplicates: {c.duplicates:,} span(s) delivered more than once (same trace and span id), "
                     "each counted once")
    if s.since is not None or s.until is not None:
        bounds = [f"since {_stamp(s.since)}" if s.since else "", f"until {_stamp(s.until)}" if s.until else ""]
        lines.append(f"Window: requests whose root starts {' '.join(b for b in bounds if b)} (UTC); "
                     f"{c.outside_window:,} outside it, not measured")
    if s.other_signal_lines:
        lines.append(f"Skipped: {s.other_signal_lines:,} line(s) of logs or metrics")
    fb = m.feedback
    if fb is not None:
        lines.append(f"Logs: {len(s.logs)} file(s), {s.log_records:,} record(s); {len(fb.evaluations):,} "
                     f"evaluation event(s) with a label; {fb.corrections:,} {fb.correction_event} event(s)")
    if s.sampling is not None:
        lines.append(s.sampling.line())
    return lines


def _stamp(t: dt.datetime | None) -> str | None:
    return None if t is None else t.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def week_cells(w: Week) -> tuple[str, ...]:
    return (w.week, f"{w.requests:,}", value(w.p95_ms, "ms"), value(w.cost_per_request, "USD"),
            value(w.correction_rate, "share"),
            value(w.negative_share, "share") + (f" ({w.feedback_n:,})" if w.feedback_n else ""))


def _aligned(table: list[tuple[str, ...]], left: tuple[int, ...]) -> list[str]:
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    return ["  ".join(cell.ljust(w) if i in left else cell.rjust(w)
                      for i, (cell, w) in enumerate(zip(row, widths))).rstrip() for row in table]


def notes(m: Measurement) -> list[str]:
    out = [f"{r.figure}: {r.note}" for r in m.rows if r.note and r.id != "success-rate"]
    if m.stages_unmatched:
        out.append("No span maps to " + ", ".join(m.stages_unmatched)
                   + ": give --stage NAME=GLOB with a span name pattern, or it stays NOT IN TRACES")
    return out


MODEL_HEADERS = ("Stage", "From", "p50", "p95", "n")
MODEL_TITLE = "Latency model on the measured stages (the review's calculator; estimates where not in traces)"


def model_cells(m: Measurement) -> list[tuple[str, ...]]:
    model = m.latency_model
    if model is None:
        return []
    return [(st.name, st.source, value(st.p50_ms, "ms"), value(st.p95_ms, "ms"), f"{st.n:,}" if st.n else "—")
            for st in model.stages]


def render_text(m: Measurement, s: Sources) -> str:
    lines = header_lines(m, s) + [""]
    lines += _aligned([HEADERS, *(cells(r) for r in m.rows)], (0, 4))
    extra = notes(m)
    if extra:
        lines += [""] + extra
    if m.latency_model is not None:
        lines += ["", MODEL_TITLE + ":"]
        lines += _aligned([MODEL_HEADERS, *model_cells(m)], (0, 1))
        lines += [m.latency_model.verdict(), m.latency_model.unattributed_line()]
    if m.evidence:
        lines += ["", "What the evidence touches:"] + [f"- {line}" for line in m.sentences]
    if m.weeks:
        lines += ["", "Weekly trend (ISO weeks of the root start, UTC):"]
        lines += _aligned([WEEK_HEADERS, *(week_cells(w) for w in m.weeks)], (0,))
    return terminal_safe("\n".join(lines), multiline=True) + "\n"


def render_md(m: Measurement, s: Sources) -> str:
    lines = [f"## Measured against the review: {md_cell(s.program)}", ""]
    lines += [f"- {md_cell(line)}" for line in header_lines(m, s)[1:]]
    lines += ["", "| " + " | ".join(HEADERS) + " |", "|---|---:|---:|---:|---|"]
    for row in m.rows:
        # Only the figure's name is text from the review or the command line; the rest are our numbers.
        figure, *rest = cells(row)
        lines.append("| " + " | ".join([md_cell(figure), *(c or " " for c in rest)]) + " |")
    extra = notes(m)
    if extra:
        lines += [""] + [f"- {md_cell(n)}" for n in extra]
    if m.latency_model is not None:
        lines += ["", f"### {MODEL_TITLE}", "", "| " + " | ".join(MODEL_HEADERS) + " |", "|---|---|---:|---:|---:|"]
        lines += ["| " + " | ".join([md_cell(name), *rest]) + " |" for name, *rest in model_cells(m)]
        lines += ["", md_cell(m.latency_model.verdict()), "", md_cell(m.latency_model.unattributed_line())]
    if m.evidence:
        lines += ["", "### What the evidence touches", ""] + [f"- {md_cell(line)}" for line in m.sentences]
    if m.weeks:
        lines += ["", "### Weekly trend", "", "| " + " | ".join(WEEK_HEADERS) + " |", "|---|---:|---:|---:|---:|---:|"]
        lines += ["| " + " | ".join(week_cells(w)) + " |" for w in m.weeks]
    return "\n".join(lines) + "\n"


def to_dict(m: Measurement, s: Sources) -> dict[str, Any]:
    c = m.counts
    return {
        "schema": SCHEMA,
        "review": s.review,
        "program": s.program,
        "traces": {
            "files": list(s.files), "lines": s.lines, "spans": s.spans, "traces": c.traces,
            "other_signal_lines": s.other_signal_lines, "duplicate_spans": c.duplicates,
            "window": {"start": _iso(c.first_ns), "end": _iso(c.last_ns)} if c.first_ns is not None else None,
        },
        "requests": {"requests": c.requests, "partial": c.partial, "several_roots": c.several_roots,
                     "other_root": c.other_root, "root": s.root, "outside_window": c.outside_window},
        "filter": {"since": _stamp(s.since), "until": _stamp(s.until)},
        "logs": None if m.feedback is None else {
            "files": list(s.logs), "records": s.log_records, "correction_event": m.feedback.correction_event,
            "evaluations": len(m.feedback.evaluations), "unlabelled_evaluations": m.feedback.unlabelled,
            "corrections": m.feedback.corrections, "unlinked_corrections": m.feedback.unlinked},
        "success": {"source": "outcomes" if m.success_source.startswith("outcomes") else
                    "attribute" if m.success_source.startswith(ATTRIBUTE) else "technical",
                    "label": m.success_source, "without_outcome": m.without_outcome},
        "stages_not_in_traces": list(m.stages_unmatched),
        "sampling": s.sampling.to_dict() if s.sampling is not None else None,
        "rows": [
            {"id": r.id, "figure": r.figure, "unit": r.unit, "estimate": r.estimate,
             "estimate_source": r.estimate_source or None, "measured": r.measured, "n": r.n,
             "change": r.change, "target": r.target, "flags": list(r.flags), "note": r.note or None}
            for r in m.rows
        ],
        "latency_model": m.latency_model.to_dict() if m.latency_model is not None else None,
        "evidence": list(m.sentences),
        "evidence_touches": [{"question": e.question, "verdict": e.verdict} for e in m.evidence],
        "weeks": [
            {"week": w.week, "requests": w.requests, "p95_ms": w.p95_ms, "cost_per_request": w.cost_per_request,
             "correction_rate": w.correction_rate, "negative_feedback_share": w.negative_share,
             "feedback_n": w.feedback_n}
            for w in m.weeks
        ],
    }


def render_json(m: Measurement, s: Sources) -> str:
    return json_safe(json.dumps(to_dict(m, s), indent=2, ensure_ascii=False, allow_nan=False)) + "\n"
