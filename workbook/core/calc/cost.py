"""Cost per successful outcome, and how it moves at 10x and 100x users.

    requests          = users x requests/user/day x days/month
    model $/request   = (1 + retries) x (input x (1 - cache) x price_in
                                         + input x cache x price_cached
                                         + output x price_out) / 1e6
    monthly $         = requests x (model $/request x (1 + observability) + review rate x review $) + fixed
    $ / success       = monthly $ / (requests x success rate)

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
    input_tokens: float
    requests: float
    model_cost_per_request: float
    monthly_cost: float
    cost_per_success: float | None  # None when there are no successful requests


def model_cost_per_request(c: CostInputs, input_tokens: float) -> float:
    per_attempt = (
        input_tokens * (1 - c.cache_hit_rate) * c.price_input_per_m
        + input_tokens * c.cache_hit_rate * c.price_cached_input_per_m
        + c.output_tokens * c.price_output_per_m
    ) / 1e6
    return (1 + c.retries_per_request) * per_attempt


def point(c: CostInputs, scale: int) -> CostPoint:
    steps = len(str(scale)) - 1  # 1 -> 0, 10 -> 1, 100 -> 2 tenfold steps
    users = c.users * scale
    input_tokens = c.input_tokens * c.context_growth_per_10x**steps
    requests = users * c.requests_per_user_per_day * c.days_per_month
    per_request = model_cost_per_request(c, input_tokens)
    monthly = (requests * (per_request * (1 + c.observability_overhead) + c.human_review_rate * c.review_cost_per_item)
               + c.fixed_monthly_cost)
    successes = requests * c.success_rate
    return CostPoint(scale, users, input_tokens, requests, per_request, monthly,
                     monthly / successes if successes > 0 else None)


def cost_curve(c: CostInputs) -> list[CostPoint]:
    return [point(c, s) for s in SCALES]


def at_expected_scale(c: CostInputs) -> CostPoint:
    return point(c, c.expected_scale)
