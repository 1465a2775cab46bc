"""The measured figures beside the review's estimates, each with its flags.

Quantiles are the latency calculator's own (linear between closest ranks); p99 needs at least
P99_MIN requests. ESTIMATE OFF uses the calculator's measured-versus-simulated rule: the larger more
than MEASURED_MARGIN above the smaller. OVER TARGET is the scoring's rule: p95 above the team's target.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workbook.core.calc.latency import MEASURED_MARGIN, simulate
from workbook.core.calc.latency import _quantile as quantile  # the calculator's own quantile
from workbook.core.calc.results import latency_inputs_with_target
from workbook.core.measure.traces import Counts, Request
from workbook.core.models import Review, Template

P99_MIN = 100
OVER_TARGET = "OVER TARGET"
ESTIMATE_OFF = "ESTIMATE OFF"
NOT_IN_TRACES = "NOT IN TRACES"
TECHNICAL = "technical success (root span not in error)"
OUTCOMES = "outcomes file"


@dataclass(frozen=True)
class Row:
    id: str
    figure: str
    unit: str  # ms, calls, tokens, share
    estimate: float | None
    estimate_source: str  # where in the review the estimate comes from ("" when none)
    measured: float | None  # None: not in the traces, or too few requests (see note)
    n: int  # requests (or model calls, for per-call figures) the figure is measured over
    flags: tuple[str, ...] = ()
    note: str = ""
    target: float | None = None

    @property
    def change(self) -> float | None:
        """Measured against the estimate: 0.25 is 25% above it."""
        if self.estimate is None or self.measured is None or self.estimate == 0:
            return None
        return self.measured / self.estimate - 1


@dataclass(frozen=True)
class Measurement:
    rows: tuple[Row, ...]
    counts: Counts
    success_source: str
    without_outcome: int = 0  # requests the outcomes file does not name
    stages_unmatched: tuple[str, ...] = field(default=())  # the review's stages no span maps to


def estimate_off(estimate: float | None, measured: float | None) -> bool:
    if estimate is None or measured is None:
        return False
    low, high = sorted((estimate, measured))
    if low <= 0:
        return high > 0
    return high / low - 1 > MEASURED_MARGIN


def _row(id: str, figure: str, unit: str, estimate: float | None, source: str, measured: float | None, n: int,
         *, absent: bool = False, note: str = "", target: float | None = None) -> Row:
    flags = []
    if target is not None and measured is not None and measured > target:
        flags.append(OVER_TARGET)
    if estimate_off(estimate, measured):
        flags.append(ESTIMATE_OFF)
    if absent:
        flags.append(NOT_IN_TRACES)
    return Row(id, figure, unit, estimate, source, measured, n, tuple(flags), note, target)


def _quantiles(values: list[float], rid: str, figure: str, estimates: dict[str, float | None], source: str,
               target: float | None = None, p99: bool = True) -> list[Row]:
    values = sorted(values)
    n = len(values)
    rows = []
    for label, q in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99)):
        if label == "p99" and not p99:
            continue
        few = label == "p99" and 0 < n < P99_MIN
        measured = quantile(values, q) if n and not few else None
        rows.append(_row(f"{rid}-{label}", f"{figure} {label}", "ms", estimates.get(label),
                         source if estimates.get(label) is not None else "", measured, n,
                         absent=n == 0, note=f"needs {P99_MIN} requests" if few else "",
                         target=target if label == "p95" else None))
    return rows


def _canonical(stage: str, names: list[str]) -> str:
    for name in names:
        if name.casefold() == stage.casefold():
            return name
    return stage


def measure(review: Review, template: Template, requests: list[Request], counts: Counts,
            outcomes: dict[str, bool] | None = None, known_stages: tuple[str, ...] = ()) -> Measurement:
    rows: list[Row] = []
    inputs = latency_inputs_with_target(review, template)
    target = inputs.target_p95_ms if inputs is not None else None
    simulated = simulate(inputs) if inputs is not None and inputs.stages else None
    e2e_est: dict[str, float | None] = (
        {"p50": simulated.p50_ms, "p95": simulated.p95_ms, "p99": simulated.p99_ms} if simulated else {})
    rows += _quantiles([r.end_ms for r in requests], "e2e", "End-to-end", e2e_est,
                       "stage budget (simulated)", target)

    review_stages = list(inputs.stages) if inputs is not None else []
    config = template.calculators.latency
    names = [s.name for s in review_stages] or list(config.stages if config else ())
    per_stage: dict[str, list[float]] = {}
    for r in requests:
        for stage, ms in r.stage_ms.items():
            per_stage.setdefault(_canonical(stage, names), []).append(ms)
    extra = [s for s in dict.fromkeys(_canonical(s, names) for s in (*known_stages, *per_stage)) if s not in names]
    estimates = {s.name: {"p50": s.p50_ms, "p95": s.p95_ms} for s in review_stages}
    for stage in [*names, *extra]:
        values = per_stage.get(stage, [])
        rows += _quantiles(values, f"stage:{stage}", stage, dict(estimates.get(stage, {})),
                           "calculators.latency.stages", p99=len(values) >= P99_MIN)
    rows += _quantiles([r.unattributed_ms for r in requests], "unattributed", "Unattributed", {}, "",
                       p99=len(requests) >= P99_MIN)

    cost = review.calculators.cost if review.calculators else None
    no_calls = counts.calls == 0
    calls = sorted(float(r.calls) for r in requests)
    rows.append(_row("calls-per-request", "Model calls per request (mean)", "calls",
                     cost.model_calls_per_request if cost else None, "calculators.cost.model_calls_per_request",
                     sum(calls) / len(calls) if calls and not no_calls else None, len(calls), absent=no_calls))
    rows.append(_row("calls-per-request-p95", "Model calls per request p95", "calls", None, "",
                     quantile(calls, 0.95) if calls and not no_calls else None, len(calls), absent=no_calls))
    for key, label, total, n in (("input", "Input", counts.input_tokens, counts.input_n),
                                 ("output", "Output", counts.output_tokens, counts.output_n)):
        est = getattr(cost, f"{key}_tokens") if cost else None
        rows.append(_row(f"{key}-tokens-per-call", f"{label} tokens per call", "tokens", est,
                         f"calculators.cost.{key}_tokens", total / n if n else None, n, absent=n == 0,
                         note=f"{counts.calls - n} call(s) without usage" if n and n < counts.calls else ""))
    rows.append(_row("cache-hit-share", "Cache-hit share of input tokens", "share",
                     cost.cache_hit_rate if cost else None, "calculators.cost.cache_hit_rate",
                     counts.cache_read / counts.cache_input if counts.cache_input else None, counts.cache_n,
                     absent=counts.cache_n == 0))

    without = 0
    if outcomes is not None:
        known = [outcomes[r.trace_id] for r in requests if r.trace_id in outcomes]
        without = len(requests) - len(known)
        source = OUTCOMES
    else:
        known = [not r.error for r in requests]
        source = TECHNICAL
    rows.append(_row("success-rate", "Success rate", "share", cost.success_rate if cost else None,
                     "calculators.cost.success_rate", sum(known) / len(known) if known else None, len(known),
                     absent=not known, note=source))
    errors = sum(r.error for r in requests)
    rows.append(_row("request-error-rate", "Requests in error", "share", None, "",
                     errors / len(requests) if requests else None, len(requests), absent=not requests))
    rows.append(_row("call-error-rate", "Model calls in error", "share", None, "",
                     counts.calls_error / counts.calls if counts.calls else None, counts.calls, absent=no_calls))
    unmatched = tuple(s for s in names if s not in per_stage)
    return Measurement(tuple(rows), counts, source, without, unmatched)
