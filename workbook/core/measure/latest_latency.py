"""The latest measurement's end-to-end latency, as the latency card shows it (with or without a stage budget).

The p95 always (p50 and p99 when recorded: p99 needs enough requests), over the p95's own n. Over the
target and stale are LatestMeasurement's rules (latest.py), the ones `check --fail-on over-target` and the
cost card use, never worked out again here.
"""

from __future__ import annotations

from workbook.core.calc.describe import ms
from workbook.core.measure.latest import P95, LatestMeasurement, measured_ms

P50, P99 = "e2e-p50", "e2e-p99"


def latency_line(m: LatestMeasurement) -> str:
    """`Measured end to end: p50 301.0 ms, p95 492.1 ms from 2 requests, window …, 55 days ago, over the
    p95 target of 400 ms [stale]` (p50 and p99 when recorded, as the estimate's line above it reads);
    without a p95 in the traces it says so, with the window and age still."""
    rec = m.measurement
    p95 = rec.figure(P95)
    if p95 is None or m.p95_ms is None:
        head, n = "Measured: no end-to-end p95 in the traces", rec.requests
    else:
        figures = [f"{label} {measured_ms(f.value)}" for label, f in
                   (("p50", rec.figure(P50)), ("p95", p95), ("p99", rec.figure(P99))) if f is not None]
        head, n = f"Measured end to end: {', '.join(figures)}", p95.n
    over = f", over the p95 target of {ms(m.target_ms)}" if m.over_target else ""
    return (f"{head} from {n:,} request{'s' * (n != 1)}, window {m.window}, {m.age}{over}"
            f"{' [stale]' if m.stale else ''}")
