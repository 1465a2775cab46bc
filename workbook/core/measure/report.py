"""A measurement as text, Markdown (for a pull request) or JSON (schema in docs/measure.md)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from workbook.core.exports.mdtext import md_cell
from workbook.core.measure.figures import Measurement, Row
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


def value(v: float | None, unit: str) -> str:
    if v is None:
        return "—"
    if unit == "ms":
        return f"{v:,.1f} ms" if abs(v) < 10 else f"{v:,.0f} ms"
    if unit == "share":
        return f"{v:.1%}"
    if unit == "tokens":
        return f"{v:,.0f}"
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def _iso(ns: int | None) -> str | None:
    if ns is None:
        return None
    stamp = dt.datetime.fromtimestamp(ns / 1e9, tz=dt.UTC).replace(microsecond=(ns // 1000) % 1_000_000)
    return stamp.isoformat().replace("+00:00", "Z")


def cells(row: Row) -> tuple[str, str, str, str, str]:
    measured = f"{value(row.measured, row.unit)} ({row.n:,})"
    change = "" if row.change is None else f"{row.change:+.0%}"
    return (row.figure, value(row.estimate, row.unit), measured, change, ", ".join(row.flags))


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
        + (f"; {m.without_outcome:,} request(s) not in the outcomes file" if m.without_outcome else ""),
    ]
    if s.other_signal_lines:
        lines.append(f"Skipped: {s.other_signal_lines:,} line(s) of logs or metrics")
    return lines


def notes(m: Measurement) -> list[str]:
    out = [f"{r.figure}: {r.note}" for r in m.rows if r.note and r.id != "success-rate"]
    if m.stages_unmatched:
        out.append("No span maps to " + ", ".join(m.stages_unmatched)
                   + ": give --stage NAME=GLOB with a span name pattern, or it stays NOT IN TRACES")
    return out


def render_text(m: Measurement, s: Sources) -> str:
    table = [HEADERS, *(cells(r) for r in m.rows)]
    widths = [max(len(row[i]) for row in table) for i in range(len(HEADERS))]
    lines = header_lines(m, s) + [""]
    for row in table:
        lines.append("  ".join(cell.ljust(w) if i == 0 or i == 4 else cell.rjust(w)
                               for i, (cell, w) in enumerate(zip(row, widths))).rstrip())
    extra = notes(m)
    if extra:
        lines += [""] + extra
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
    return "\n".join(lines) + "\n"


def to_dict(m: Measurement, s: Sources) -> dict[str, Any]:
    c = m.counts
    return {
        "schema": SCHEMA,
        "review": s.review,
        "program": s.program,
        "traces": {
            "files": list(s.files), "lines": s.lines, "spans": s.spans, "traces": c.traces,
            "other_signal_lines": s.other_signal_lines,
            "window": {"start": _iso(c.first_ns), "end": _iso(c.last_ns)} if c.first_ns is not None else None,
        },
        "requests": {"requests": c.requests, "partial": c.partial, "several_roots": c.several_roots,
                     "other_root": c.other_root, "root": s.root},
        "success": {"source": "outcomes" if m.success_source.startswith("outcomes") else "technical",
                    "label": m.success_source, "without_outcome": m.without_outcome},
        "stages_not_in_traces": list(m.stages_unmatched),
        "rows": [
            {"id": r.id, "figure": r.figure, "unit": r.unit, "estimate": r.estimate,
             "estimate_source": r.estimate_source or None, "measured": r.measured, "n": r.n,
             "change": r.change, "target": r.target, "flags": list(r.flags), "note": r.note or None}
            for r in m.rows
        ],
    }


def render_json(m: Measurement, s: Sources) -> str:
    return json_safe(json.dumps(to_dict(m, s), indent=2, ensure_ascii=False, allow_nan=False)) + "\n"
