"""The latest measurement's cost, as the cost card shows it beside the estimate.

Cost per request always (when the traces were costed); cost per successful outcome only when success
came from real outcomes (--outcomes or the root's outcome attribute), never technical success, as
--write proposes it. Over the threshold is the scoring's own rule (CostResult.exceeds); the estimates
are the cost model at today's volume (1x), as `workbook measure` compares them.
"""

from __future__ import annotations

from workbook.core.calc.describe import money
from workbook.core.calc.results import CostResult
from workbook.core.measure.cost import estimated_cost
from workbook.core.measure.figures import real_outcomes as _real
from workbook.core.measure.latest import LatestMeasurement


def real_outcomes(m: LatestMeasurement) -> bool:
    return _real(m.measurement.success)


def measured_per_outcome(m: LatestMeasurement) -> float | None:
    figure = m.measurement.figure("cost-per-outcome") if real_outcomes(m) else None
    return figure.value if figure is not None else None


def over_threshold(m: LatestMeasurement, cost: CostResult) -> bool:
    return cost.exceeds(measured_per_outcome(m))


def cost_line(m: LatestMeasurement, cost: CostResult) -> str | None:
    """`Measured at 1x: $0.1440 a request (estimate $0.1440), $0.2880 per successful outcome (estimate
    $0.2618) from 2 requests, window …, 5 days ago, over the threshold of $0.25 [stale]`; None when the
    measurement has no cost figure."""
    rec = m.measurement
    per_request = rec.figure("cost-per-request")
    if per_request is None:
        return None
    estimate = estimated_cost(cost.inputs)
    parts = [f"{money(per_request.value)} a request (estimate {money(estimate.per_request)})"]
    per_outcome = measured_per_outcome(m)
    if per_outcome is not None:
        parts.append(f"{money(per_outcome)} per successful outcome (estimate {money(estimate.point.cost_per_success)})")
    elif not real_outcomes(m):
        parts.append("no cost per outcome (technical success only: measure with --outcomes or an outcome attribute)")
    over = f", over the threshold of {money(cost.threshold)}" if over_threshold(m, cost) else ""
    return (f"Measured at 1x: {', '.join(parts)} from {rec.requests:,} requests, window {m.window}, "
            f"{m.age}{over}{' [stale]' if m.stale else ''}")
