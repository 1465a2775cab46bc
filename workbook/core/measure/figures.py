"""The measured figures beside the review's estimates, each with its flags (row.py).

Quantiles are the latency calculator's own (linear between closest ranks); p99 needs at least
P99_MIN requests.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workbook.core.calc.latency import LatencyResult, simulate
from workbook.core.calc.latency import _quantile as quantile  # the calculator's own quantile
from workbook.core.calc.results import latency_inputs_with_target
from workbook.core.measure.cost import cost_rows, success_of, usage
from workbook.core.measure.evidence import CORRECTION_QUESTION, Evidence, evidence
from workbook.core.measure.feedback import Feedback, feedback_rows
from workbook.core.measure.latency_model import LatencyModel, rerun
from workbook.core.measure.row import ESTIMATE_OFF as ESTIMATE_OFF
from workbook.core.measure.row import NOT_IN_TRACES as NOT_IN_TRACES
from workbook.core.measure.row import OVER_TARGET as OVER_TARGET
from workbook.core.measure.row import Row, make_row
from workbook.core.measure.traces import Counts, Request
from workbook.core.measure.trend import Week, weekly
from workbook.core.models import Review, Template

P99_MIN = 100
TECHNICAL = "technical success (root span not in error)"
OUTCOMES = "outcomes file"
ATTRIBUTE = "root attribute"  # "root attribute app.outcome": the outcome the application wrote on its root span


def real_outcomes(source: str) -> bool:
    """Whether success came from real outcomes (an outcomes file, or the application's own outcome on the
    root span), not technical success: only then is there a cost per successful outcome to propose."""
    return source == OUTCOMES or source.startswith(ATTRIBUTE)


@dataclass(frozen=True)
class Measurement:
    rows: tuple[Row, ...]
    counts: Counts
    success_source: str
    without_outcome: int = 0  # requests the outcomes file does not name
    stages_unmatched: tuple[str, ...] = field(default=())  # the review's stages no span maps to
    weeks: tuple[Week, ...] = ()
    evidence: tuple[Evidence, ...] = ()  # constraints the figures speak to (evidence.py)
    feedback: Feedback | None = None  # with --logs
    latency_model: LatencyModel | None = None  # the latency model re-run on the measured stages

    @property
    def sentences(self) -> tuple[str, ...]:
        return tuple(e.text for e in self.evidence)


_row = make_row


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


def _spread(ends: list[float], simulated: LatencyResult | None) -> list[Row]:
    """How wide the end-to-end tail is: p95 ÷ p50, and p99 − p50 from P99_MIN requests."""
    n = len(ends)
    p50 = quantile(ends, 0.5) if n else None
    ratio = quantile(ends, 0.95) / p50 if p50 else None
    tail = quantile(ends, 0.99) - p50 if p50 is not None and n >= P99_MIN else None
    est_ratio = simulated.p95_ms / simulated.p50_ms if simulated and simulated.p50_ms else None
    est_tail = simulated.p99_ms - simulated.p50_ms if simulated else None
    return [
        _row("e2e-spread", "End-to-end spread p95/p50", "ratio", est_ratio, "stage budget (simulated)", ratio, n,
             absent=n == 0),
        _row("e2e-tail", "End-to-end tail p99-p50", "ms", est_tail, "stage budget (simulated)", tail, n,
             absent=n == 0, note=f"needs {P99_MIN} requests" if 0 < n < P99_MIN else ""),
    ]


def _canonical(stage: str, names: list[str]) -> str:
    for name in names:
        if name.casefold() == stage.casefold():
            return name
    return stage


def measure(review: Review, template: Template, requests: list[Request], counts: Counts,
            outcomes: dict[str, bool] | None = None, known_stages: tuple[str, ...] = (),
            feedback: Feedback | None = None, outcome_source: str = OUTCOMES) -> Measurement:
    """outcome_source labels where outcomes (when given) come from: the outcomes file, or a root attribute."""
    rows: list[Row] = []
    inputs = latency_inputs_with_target(review, template)
    target = inputs.target_p95_ms if inputs is not None else None
    simulated = simulate(inputs) if inputs is not None and inputs.stages else None
    e2e_est: dict[str, float | None] = (
        {"p50": simulated.p50_ms, "p95": simulated.p95_ms, "p99": simulated.p99_ms} if simulated else {})
    rows += _quantiles([r.end_ms for r in requests], "e2e", "End-to-end", e2e_est,
                       "stage budget (simulated)", target)
    rows += _spread(sorted(r.end_ms for r in requests), simulated)

    review_stages = list(inputs.stages) if inputs is not None else []
    config = template.calculators.latency
    names = [s.name for s in review_stages] or list(config.stages if config else ())
    per_stage: dict[str, list[float]] = {}
    canonical: dict[str, str] = {}  # a few stage names, each met once a request
    for r in requests:
        for stage, ms in r.stage_ms.items():
            name = canonical.get(stage)
            if name is None:
                name = canonical[stage] = _canonical(stage, names)
            per_stage.setdefault(name, []).append(ms)
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
    spent = usage(requests)
    retries = spent.retries_per_call
    rows.append(_row("retries-per-call", "Retries per model call", "retries",
                     cost.retries_per_request if cost else None, "calculators.cost.retries_per_request",
                     retries, counts.calls, absent=retries is None,
                     note="" if spent.http_spans else "no HTTP client span (http.request.method) in the traces"))

    known = success_of(requests, outcomes)
    without = len(requests) - len(known)
    source = outcome_source if outcomes is not None else TECHNICAL
    rows.append(_row("success-rate", "Success rate", "share", cost.success_rate if cost else None,
                     "calculators.cost.success_rate", sum(known) / len(known) if known else None, len(known),
                     absent=not known, note=source))
    errors = sum(r.error for r in requests)
    rows.append(_row("request-error-rate", "Requests in error", "share", None, "",
                     errors / len(requests) if requests else None, len(requests), absent=not requests))
    rows.append(_row("call-error-rate", "Model calls in error", "share", None, "",
                     counts.calls_error / counts.calls if counts.calls else None, counts.calls, absent=no_calls))
    rows += cost_rows(review, template, requests, known, source)
    if feedback is not None:
        rows += feedback_rows(feedback, review, requests, CORRECTION_QUESTION)
    unmatched = tuple(s for s in names if s not in per_stage)
    weeks = weekly(requests, outcomes, cost, feedback)
    said = evidence(review, template, rows, weeks, outcomes is not None)
    model = rerun(review_stages, [*names, *extra], per_stage, [r.end_ms for r in requests],
                  [r.unattributed_ms for r in requests])
    return Measurement(tuple(rows), counts, source, without, unmatched, tuple(weeks), tuple(said), feedback, model)
