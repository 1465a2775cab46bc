"""Cost per request and per successful outcome: the measured inputs through the review's own cost model.

The measured calls per request, tokens per call, cache-hit share, retries per call and success rate
replace the review's estimates in its cost inputs; everything else (prices, users and requests a month,
observability, human review, fixed cost) stays the review's. Both sides are the model at today's
volume (scale 1): the traces measure today. An input the traces do not measure keeps the review's
estimate, and the row's note says which.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter

from workbook.core.calc.cost import CostPoint, point
from workbook.core.calc.results import comparable_threshold, number_answer
from workbook.core.measure.row import Row, make_row
from workbook.core.measure.traces import USAGE, Request
from workbook.core.models import CostInputs, Review, Template


@dataclass(frozen=True)
class Usage:
    """What a set of requests measured, summed."""

    requests: int = 0
    calls: int = 0
    calls_error: int = 0
    input_tokens: int = 0
    input_n: int = 0
    output_tokens: int = 0
    output_n: int = 0
    cache_read: int = 0
    cache_input: int = 0
    cache_n: int = 0
    http_spans: int = 0
    retries: int = 0

    @property
    def retries_per_call(self) -> float | None:
        """None when no HTTP client span shows retries, or there is no model call to divide by."""
        return self.retries / self.calls if self.http_spans and self.calls else None


def usage(requests: Sequence[Request]) -> Usage:
    totals = {name: sum(map(attrgetter(name), requests)) for name in USAGE}
    return Usage(requests=len(requests), **totals)


def success_of(requests: Sequence[Request], outcomes: dict[str, bool] | None) -> list[bool]:
    """Real outcomes for the requests the file names; else technical success (root not in error)."""
    if outcomes is not None:
        return [outcomes[r.trace_id] for r in requests if r.trace_id in outcomes]
    return [not r.error for r in requests]


@dataclass(frozen=True)
class Costed:
    point: CostPoint
    kept: tuple[str, ...]  # the inputs the traces do not measure: the review's estimate is used

    @property
    def per_request(self) -> float | None:
        return self.point.monthly_cost / self.point.requests if self.point.requests > 0 else None


def measured_inputs(estimate: CostInputs, u: Usage, successes: Sequence[bool]) -> tuple[CostInputs, list[str]]:
    update: dict[str, float] = {}
    kept: list[str] = []

    def use(field: str, label: str, value: float | None) -> None:
        if value is None:
            kept.append(label)
        else:
            update[field] = value

    use("model_calls_per_request", "calls per request", u.calls / u.requests if u.calls and u.requests else None)
    use("input_tokens", "input tokens", u.input_tokens / u.input_n if u.input_n else None)
    use("output_tokens", "output tokens", u.output_tokens / u.output_n if u.output_n else None)
    use("cache_hit_rate", "cache-hit share", u.cache_read / u.cache_input if u.cache_n and u.cache_input else None)
    use("retries_per_request", "retries", u.retries_per_call)
    use("success_rate", "success rate", sum(successes) / len(successes) if successes else None)
    # model_copy does not validate: a measured success rate of 0 gives no cost per outcome, not an error.
    return estimate.model_copy(update=update), kept


def measured_cost(estimate: CostInputs, u: Usage, successes: Sequence[bool]) -> Costed:
    inputs, kept = measured_inputs(estimate, u, successes)
    return Costed(point(inputs, 1), tuple(kept))


def estimated_cost(estimate: CostInputs) -> Costed:
    return Costed(point(estimate, 1), ())


def threshold(review: Review, template: Template) -> float | None:
    config = template.calculators.cost
    return comparable_threshold(number_answer(review, config.threshold_question)) if config is not None else None


def cost_rows(review: Review, template: Template, requests: Sequence[Request], successes: Sequence[bool],
              success_label: str) -> list[Row]:
    """Cost per request and per successful outcome, measured (the review's model) against its estimate."""
    inputs = review.calculators.cost if review.calculators else None
    if inputs is None or not requests:
        note = "the review has no cost model inputs (prices)" if inputs is None else ""
        return [make_row("cost-per-request", "Cost per request", "USD", None, "", None, len(requests),
                         absent=not requests, note=note),
                make_row("cost-per-outcome", "Cost per successful outcome", "USD", None, "", None, len(successes),
                         absent=not requests, note=note, target=threshold(review, template))]
    est, got = estimated_cost(inputs), measured_cost(inputs, usage(requests), successes)
    kept = f"the review's estimate for {', '.join(got.kept)}" if got.kept else ""
    source = "cost model (review's inputs)"
    outcome_note = "; ".join(x for x in (f"success: {success_label}", kept) if x)
    if got.point.cost_per_success is None:
        outcome_note = "; ".join(x for x in ("no successful request", outcome_note) if x)
    return [
        make_row("cost-per-request", "Cost per request", "USD", est.per_request, source, got.per_request,
                 len(requests), note=kept),
        make_row("cost-per-outcome", "Cost per successful outcome", "USD", est.point.cost_per_success, source,
                 got.point.cost_per_success, len(successes), note=outcome_note, target=threshold(review, template)),
    ]
