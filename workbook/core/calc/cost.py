"""Cost per successful outcome, and how it moves at 10x and 100x users.

    requests          = users x requests/user/day x days/month
    model $/call      = (input x (1 - cache) x price_in + input x cache x price_cached + output x price_out) / 1e6
    model $/request   = model calls/request x (1 + retries) x model $/call
    monthly $         = requests x (model $/request x (1 + observability) + review rate x review $) + fixed
    $ / success       = monthly $ / (requests x success rate)

A request is one unit of work (a question answered, a claim routed, a contract extracted); an agent
or a document pipeline makes several model calls for it, so tokens and model cost multiply by the
calls per request. Input and output tokens are per call; retries are extra attempts per call.

At 10x and 100x users the input tokens grow by the context-growth factor per 10x step (retrieved
context, history, longer prompts), so the curve shows where unit economics stop improving.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbook.core.models import CostInputs

SCALES = (1, 10, 100)


@dataclass(frozen=True)
class CostPoint:
    scale: int
    users: float
    input_tokens: float  # per model call, grown by the context-growth factor at this scale
    requests: float
    model_cost_per_request: float  # every model call of the request, retries included
    monthly_cost: float
    cost_per_success: float | None  # None when there are no successful requests
    model_calls: float = 1.0  # model calls per request
    output_tokens: float = 0.0  # per model call
    review_cost: float = 0.0  # human review, a month
    fixed_cost: float = 0.0  # a month
    successes: float = 0.0  # successful outcomes a month

    @property
    def tokens_per_request(self) -> float:
        """Input and output tokens of all the request's model calls (retries not counted)."""
        return self.model_calls * (self.input_tokens + self.output_tokens)


def model_cost_per_call(c: CostInputs, input_tokens: float) -> float:
    return (
        input_tokens * (1 - c.cache_hit_rate) * c.price_input_per_m
        + input_tokens * c.cache_hit_rate * c.price_cached_input_per_m
        + c.output_tokens * c.price_output_per_m
    ) / 1e6


def model_cost_per_request(c: CostInputs, input_tokens: float) -> float:
    return c.model_calls_per_request * (1 + c.retries_per_request) * model_cost_per_call(c, input_tokens)


def point(c: CostInputs, scale: int) -> CostPoint:
    steps = len(str(scale)) - 1  # 1 -> 0, 10 -> 1, 100 -> 2 tenfold steps
    users = c.users * scale
    input_tokens = c.input_tokens * c.context_growth_per_10x**steps
    requests = users * c.requests_per_user_per_day * c.days_per_month
    per_request = model_cost_per_request(c, input_tokens)
    review = requests * c.human_review_rate * c.review_cost_per_item
    monthly = requests * per_request * (1 + c.observability_overhead) + review + c.fixed_monthly_cost
    successes = requests * c.success_rate
    return CostPoint(scale, users, input_tokens, requests, per_request, monthly,
                     monthly / successes if successes > 0 else None,
                     model_calls=c.model_calls_per_request, output_tokens=c.output_tokens,
                     review_cost=review, fixed_cost=c.fixed_monthly_cost, successes=successes)


def cost_curve(c: CostInputs) -> list[CostPoint]:
    return [point(c, s) for s in SCALES]


def at_expected_scale(c: CostInputs) -> CostPoint:
    return point(c, c.expected_scale)
