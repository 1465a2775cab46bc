"""The calculators applied to a review: results, and the risks they raise for scoring and reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from workbook.core.calc.cost import CostPoint, at_expected_scale, cost_curve
from workbook.core.judgement import number_answer as number_answer  # re-exported: the calculators' callers
from workbook.core.models import MAX_MS, CostInputs, Kind, LatencyInputs, Question, Review, Risk, Template

if TYPE_CHECKING:  # the latency simulation loads when a review has stages to simulate, not at start-up
    from workbook.core.calc.latency import LatencyResult, MeasuredCheck
    from workbook.core.measure.latest import LatestMeasurement

# A cost per outcome that moves by less than this share from one scale to the next has not moved.
FLAT = 0.005

# The review's answer compared with the latency budget's simulated p95 (a data-quality flag only).
MEASURED_P95_QUESTION = "latency-measured-p95-ms"

Change = Literal["falls", "flat", "rises"]


def change(before: float, after: float) -> Change:
    if after < before * (1 - FLAT):
        return "falls"
    if after > before * (1 + FLAT):
        return "rises"
    return "flat"


@dataclass(frozen=True)
class ScaleStep:
    """From one scale to the next: how cost per outcome moves, and what moves it."""

    before: CostPoint
    after: CostPoint
    change: Change
    fixed_delta: float  # change in fixed cost per outcome: spreading it over more outcomes (<= 0)
    variable_delta: float  # change in model, observability and review cost per outcome (context growth)


def _per_success(amount: float, p: CostPoint) -> float:
    return amount / p.successes if p.successes > 0 else 0.0


@dataclass(frozen=True)
class CostResult:
    inputs: CostInputs
    curve: tuple[CostPoint, ...]
    expected: CostPoint
    threshold: float | None  # the team's cost-per-outcome threshold, from the template's decision

    @property
    def over_threshold(self) -> bool:
        return self.exceeds(self.expected.cost_per_success)

    def exceeds(self, cost_per_success: float | None) -> bool:
        """The scoring's rule: a cost per outcome above the team's threshold (a measured one too)."""
        return self.threshold is not None and cost_per_success is not None and cost_per_success > self.threshold

    @property
    def steps(self) -> tuple[ScaleStep, ...]:
        """Each tenfold step of the curve; empty when there are no successful outcomes to divide by."""
        if any(p.cost_per_success is None for p in self.curve):
            return ()
        out = []
        for a, b in zip(self.curve, self.curve[1:]):
            assert a.cost_per_success is not None and b.cost_per_success is not None
            fixed = _per_success(b.fixed_cost, b) - _per_success(a.fixed_cost, a)
            variable = (_per_success(b.monthly_cost - b.fixed_cost, b)
                        - _per_success(a.monthly_cost - a.fixed_cost, a))
            out.append(ScaleStep(a, b, change(a.cost_per_success, b.cost_per_success), fixed, variable))
        return tuple(out)

    @property
    def improves_until(self) -> int:
        """The last scale at which cost per success still fell (by more than FLAT): where unit
        economics stop improving. The last scale when it falls all the way; the first when it never falls."""
        last = self.curve[0].scale
        for step in self.steps:
            if step.change != "falls":
                break
            last = step.after.scale
        return last


@dataclass(frozen=True)
class CalcResults:
    cost: CostResult | None
    cost_section: str | None
    latency: LatencyResult | None
    latency_section: str | None
    latency_over_target: bool | None = None  # decided even when the simulation was skipped
    measurement: LatestMeasurement | None = None  # the latest `workbook measure --write`, given a today

    @property
    def latency_measured(self) -> MeasuredCheck | None:
        """The measured p95 answer against the simulated one: a data-quality flag, never a risk."""
        return self.latency.measured if self.latency is not None else None


# The answers the calculators compare against are answers, not calculator inputs (the template may
# leave them unbounded): a threshold or target beyond these counts as these, so the charts and the
# gaps computed from them stay finite.
MAX_THRESHOLD = 1e12  # dollars per outcome


def comparable_threshold(value: float | None) -> float | None:
    return None if value is None else min(value, MAX_THRESHOLD)


def comparable_target(value: float | None) -> float | None:
    """A p95 target the calculator can compare: positive, and a day at most (MAX_MS)."""
    return min(value, MAX_MS) if value is not None and value > 0 else None


def latency_inputs_with_target(review: Review, template: Template) -> LatencyInputs | None:
    """The saved latency inputs, with the target taken from the team's answer when there is one."""
    config = template.calculators.latency
    inputs = review.calculators.latency if review.calculators else None
    if config is None or inputs is None:
        return None
    target = comparable_target(number_answer(review, config.target_question))
    if target is not None:
        inputs = inputs.model_copy(update={"target_p95_ms": target})
    return inputs


def measured_check(review: Review, latency: LatencyResult) -> MeasuredCheck | None:
    """The team's measured end-to-end p95 (its answer) against the stage budget's simulated p95."""
    measured = number_answer(review, MEASURED_P95_QUESTION)
    if measured is None or measured <= 0:
        return None
    from workbook.core.calc.latency import MeasuredCheck

    return MeasuredCheck(measured, latency.p95_ms)


def calculate(review: Review, template: Template, simulate_latency: bool = True,
              today: dt.date | None = None) -> CalcResults:
    """Every calculator's result. simulate_latency=False (the portfolio, thousands of files) decides
    over-target from bounds and simulates only when the bounds cannot tell. With today, the latest
    recorded measurement too (its age needs a today)."""
    measurement = None
    if today is not None and review.measurements:
        from workbook.core.measure.latest import latest_measurement

        measurement = latest_measurement(review, template, today)
    cost = None
    cost_cfg = template.calculators.cost
    if cost_cfg is not None and review.calculators is not None and review.calculators.cost is not None:
        inputs = review.calculators.cost
        cost = CostResult(inputs, tuple(cost_curve(inputs)), at_expected_scale(inputs),
                          comparable_threshold(number_answer(review, cost_cfg.threshold_question)))
    latency_inputs = latency_inputs_with_target(review, template)
    latency, over = None, None
    if latency_inputs is not None and latency_inputs.stages:
        from workbook.core.calc.latency import over_target_by_bounds, simulate

        over = None if simulate_latency else over_target_by_bounds(latency_inputs)
        if over is None:
            latency = simulate(latency_inputs)
            over = latency.over_target if latency and latency.target_p95_ms is not None else None
            if latency is not None:
                latency = replace(latency, measured=measured_check(review, latency),
                                  recorded=measurement.line() if measurement else None)
    lat_cfg = template.calculators.latency
    return CalcResults(cost, cost_cfg.section if cost_cfg else None,
                       latency, lat_cfg.section if lat_cfg else None, over, measurement)


COST_CHECK = Question(
    id="cost-calculator",
    prompt="Cost per successful outcome at the expected scale, against the team's threshold (calculator)",
    help="From the cost calculator's inputs and the cost threshold decision.",
    kind=Kind.NUMBER,
    unit="USD",
)
LATENCY_CHECK = Question(
    id="latency-calculator",
    prompt="End-to-end p95 latency from the stage budget, against the target (calculator)",
    help="From the latency calculator's stage p50/p95 inputs and the p95 target.",
    kind=Kind.NUMBER,
    unit="ms",
)


def calculator_risks(results: CalcResults) -> list[tuple[str, Question, Risk]]:
    """(section id, synthetic question, risk) for each calculator with something to compare."""
    found = []
    if results.cost is not None and results.cost.threshold is not None and results.cost_section:
        found.append((results.cost_section, COST_CHECK, Risk.HIGH if results.cost.over_threshold else Risk.NONE))
    if results.latency_over_target is not None and results.latency_section:
        found.append((results.latency_section, LATENCY_CHECK, Risk.HIGH if results.latency_over_target else Risk.NONE))
    return found
