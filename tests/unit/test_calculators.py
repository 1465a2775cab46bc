"""Cost curves and latency budgets against hand-worked numbers and known answers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError

from workbook.core.calc.cost import cost_curve, model_cost_per_request
from workbook.core.calc.latency import simulate
from workbook.core.calc.results import calculate
from workbook.core.errors import FileError
from workbook.core.models import CostInputs, LatencyInputs, LatencyStage, Review
from workbook.core.risk import Level
from workbook.core.scoring import assess
from workbook.core.store import load_review
from workbook.core.summary import summary_dict

SAMPLES = Path(__file__).resolve().parent.parent.parent / "sample_programs"
TODAY = dt.date(2026, 11, 26)

WORKED = CostInputs(
    users=1000, requests_per_user_per_day=5, days_per_month=20, input_tokens=3000, output_tokens=500,
    price_input_per_m=3, price_cached_input_per_m=0.3, price_output_per_m=15, cache_hit_rate=0.5,
    retries_per_request=0.2, observability_overhead=0.1, human_review_rate=0.1, review_cost_per_item=0.5,
    fixed_monthly_cost=2000, success_rate=0.8, context_growth_per_10x=1.5,
)


def test_hand_worked_cost_at_1x() -> None:
    # Per attempt: 1500 x $3 + 1500 x $0.30 + 500 x $15 = 12,450 / 1e6 = $0.01245; x 1.2 retries = $0.01494.
    assert model_cost_per_request(WORKED, 3000) == pytest.approx(0.01494)
    one = cost_curve(WORKED)[0]
    # 100,000 requests x ($0.01494 x 1.1 + 0.1 x $0.50) + $2,000 = $8,643.40
    assert one.requests == 100_000
    assert one.monthly_cost == pytest.approx(8643.40)
    # $8,643.40 / (100,000 x 0.8) = $0.1080425
    assert one.cost_per_success == pytest.approx(0.1080425)


def test_context_grows_per_tenfold_step_and_the_curve_turns() -> None:
    one, ten, hundred = cost_curve(WORKED)
    assert (one.input_tokens, ten.input_tokens, hundred.input_tokens) == (3000, 4500, 6750)
    assert (ten.users, hundred.users) == (10_000, 100_000)
    # 10x: per attempt 2250 x 3 + 2250 x 0.3 + 7500 = 14,925 -> x1.2 = $0.01791 a request
    assert ten.model_cost_per_request == pytest.approx(0.01791)
    assert ten.monthly_cost == pytest.approx(1_000_000 * (0.01791 * 1.1 + 0.05) + 2000)
    # Cheaper per outcome at 10x (fixed cost spread), dearer again at 100x (context growth wins).
    assert ten.cost_per_success < one.cost_per_success
    assert hundred.cost_per_success > ten.cost_per_success


@pytest.mark.parametrize("field, value, message", [
    ("input_tokens", -1, "must be from 0 to 100,000,000 tokens"),
    ("cache_hit_rate", 1.2, "must be from 0 to 1"),
    ("success_rate", 0, "must be from 0.000001 to 1"),
    ("expected_scale", 5, "1, 10 or 100"),
    ("context_growth_per_10x", 0.5, "must be from 1 to 10"),
])
def test_invalid_cost_inputs_are_refused(field: str, value: float, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        CostInputs(**{field: value})


def test_invalid_inputs_in_a_file_name_their_key_path(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    text = (SAMPLES / "customer-support-copilot.toml").read_text()
    text = text.replace("cache_hit_rate = 0.3", "cache_hit_rate = 1.3").replace(
        '{ name = "Retrieval", p50_ms = 250, p95_ms = 700 }', '{ name = "Retrieval", p50_ms = 250, p95_ms = 100 }')
    path.write_text(text)
    with pytest.raises(FileError) as info:
        load_review(path)
    lines = info.value.lines()
    assert any("calculators.cost.cache_hit_rate: must be from 0 to 1" in line for line in lines)
    assert any("calculators.latency.stages[0]: p95_ms (100) must not be below p50_ms (250)" in line for line in lines)


def stages(*pairs: tuple[float, float]) -> LatencyInputs:
    return LatencyInputs(stages=[LatencyStage(name=f"s{i}", p50_ms=a, p95_ms=b) for i, (a, b) in enumerate(pairs)])


def test_one_stage_end_to_end_equals_that_stage() -> None:
    r = simulate(stages((200, 800)))
    assert r.p50_ms == pytest.approx(200, rel=0.01)
    assert r.p95_ms == pytest.approx(800, rel=0.01)
    assert r.dominant_stage == "s0"


def test_independent_stages_p95_is_below_the_sum_of_p95s_and_p50_above_the_sum_of_p50s() -> None:
    r = simulate(stages((100, 400), (1000, 3000), (50, 200), (80, 300)))
    assert r.sum_p95_ms == 3900 and r.sum_p50_ms == 1230
    assert r.p95_ms < r.sum_p95_ms
    assert r.p50_ms > r.sum_p50_ms
    assert r.dominant_stage == "s1"
    assert sum(f.variance_share for f in r.stages) == pytest.approx(1.0)
    assert "more than the end-to-end p95" in r.explanation() and "less than the end-to-end median" in r.explanation()


def test_constant_stages_add_exactly() -> None:
    r = simulate(stages((100, 100), (50, 50)))
    assert (r.p50_ms, r.p95_ms, r.p99_ms) == pytest.approx((150, 150, 150))


def test_fixed_seed_reproduces_and_p99_is_stable_across_seeds() -> None:
    inputs = stages((120, 400), (1400, 3200), (80, 200))
    assert simulate(inputs) == simulate(inputs)
    p99s = [simulate(inputs, seed=s).p99_ms for s in (1, 2, 3, 4)]
    assert max(p99s) / min(p99s) < 1.015


def test_gap_to_target() -> None:
    r = simulate(LatencyInputs(target_p95_ms=500, stages=[LatencyStage(name="a", p50_ms=200, p95_ms=800)]))
    assert r.over_target and r.gap_ms == pytest.approx(300, rel=0.05)


def test_p95_below_p50_is_refused() -> None:
    with pytest.raises(ValidationError, match="must not be below p50_ms"):
        LatencyStage(name="x", p50_ms=10, p95_ms=5)


def test_latency_over_target_is_a_high_risk_in_its_section() -> None:
    rf = load_review(SAMPLES / "customer-support-copilot.toml")
    a = assess(rf.review, rf.template, TODAY)
    latency = next(s for s in a.sections if s.id == "latency")
    check = [r for r in latency.results if r.question.id == "latency-calculator"]
    assert [r.level for r in check] == [Level.HIGH]
    assert any(r.question.id == "latency-calculator" for r in a.risks)


def test_the_target_comes_from_the_teams_answer_when_there_is_one() -> None:
    rf = load_review(SAMPLES / "internal-code-assistant.toml")
    calc = calculate(rf.review, rf.template)
    assert calc.latency.target_p95_ms == 450  # the answered target, not an input
    assert not calc.latency.over_target


def test_cost_over_the_threshold_is_a_high_risk() -> None:
    rf = load_review(SAMPLES / "internal-code-assistant.toml")
    from workbook.core import editing

    editing.set_value(rf.review, "cost-threshold-per-outcome", 0.01, TODAY)  # below $0.53
    a = assess(rf.review, rf.template, TODAY)
    cost = next(s for s in a.sections if s.id == "cost")
    assert [r.level for r in cost.results if r.question.id == "cost-calculator"] == [Level.HIGH]


def test_summary_has_cost_and_latency() -> None:
    rf = load_review(SAMPLES / "customer-support-copilot.toml")
    d = summary_dict(rf.review, rf.template, assess(rf.review, rf.template, TODAY))
    assert d["cost"]["monthly_cost"] == pytest.approx(47516.91, abs=0.01)
    assert d["cost"]["cost_per_successful_outcome"] == pytest.approx(0.2618, abs=1e-4)
    assert [p["scale"] for p in d["cost"]["scale_points"]] == [1, 10, 100]
    assert d["latency"]["target_p95_ms"] == 5000 and d["latency"]["over_target"] is True
    assert d["latency"]["dominant_stage"] == "Model inference"
    assert d["latency"]["p50_ms"] < d["latency"]["p95_ms"] < d["latency"]["p99_ms"]


def test_a_review_without_calculators_has_none() -> None:
    rf = load_review(SAMPLES / "claims-triage-agent-actions.toml")
    d = summary_dict(rf.review, rf.template, assess(rf.review, rf.template, TODAY))
    assert d["cost"] is None and d["latency"] is None
    assert isinstance(rf.review, Review)


def test_bounds_and_approximation_agree_with_the_simulation() -> None:
    # The portfolio decides over/under target without simulating when it can: it must never
    # disagree with the simulation the summary shows.
    import random

    from workbook.core.calc.latency import over_target_by_bounds

    rng = random.Random(11)
    decided = 0
    for _ in range(150):
        stages = [LatencyStage(name=f"s{i}", p50_ms=(p := rng.uniform(5, 3000)), p95_ms=p * rng.uniform(1.05, 5))
                  for i in range(rng.randint(1, 6))]
        inputs = LatencyInputs(target_p95_ms=rng.uniform(200, 15000), stages=stages)
        quick = over_target_by_bounds(inputs)
        if quick is not None:
            decided += 1
            assert quick == simulate(inputs).over_target, inputs
    assert decided > 100  # most cases need no simulation
