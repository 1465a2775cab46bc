"""Calculator inputs are bounded to what a program can have, and every figure computed from inputs
inside the bounds is finite: no report, export or check can overflow (issue 24, points 10 and 15)."""

from __future__ import annotations

import functools
import io
import json
import re
from pathlib import Path

import hypothesis.strategies as st
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from pydantic import ValidationError
from rich.console import Console

from tests.conftest import SAMPLES, TODAY
from workbook.cli import cli
from workbook.core.check import failures
from workbook.core.exports.common import ExportData
from workbook.core.exports.write import render
from workbook.core.models import Answer, Calculators, CostInputs, LatencyInputs, Review, Status, Template
from workbook.core.report_text import summary_renderable
from workbook.core.rules import RULES
from workbook.core.scoring import assess
from workbook.core.store import ReviewFile, load_review
from workbook.core.summary import summary_dict

SAMPLE = SAMPLES / "customer-support-copilot.toml"
DAY_MS = 86_400_000.0

# The documented bounds (docs/verdict.md): (low, high, 0 also allowed).
COST_BOUNDS: dict[str, tuple[float, float, bool]] = {
    "users": (0.001, 1e10, True),
    "requests_per_user_per_day": (0.001, 1e6, True),
    "days_per_month": (1, 31, False),
    "model_calls_per_request": (1, 1000, False),
    "input_tokens": (0, 1e8, False),
    "output_tokens": (0, 1e8, False),
    "price_input_per_m": (0, 1e6, False),
    "price_cached_input_per_m": (0, 1e6, False),
    "price_output_per_m": (0, 1e6, False),
    "cache_hit_rate": (0, 1, False),
    "retries_per_request": (0, 10, False),
    "observability_overhead": (0, 1, False),
    "human_review_rate": (0, 1, False),
    "review_cost_per_item": (0, 1e6, False),
    "fixed_monthly_cost": (0, 1e10, False),
    "success_rate": (1e-6, 1, False),
    "context_growth_per_10x": (1, 10, False),
}


def within(low: float, high: float, zero: bool = False) -> st.SearchStrategy[float]:
    # The edges, where overflow lives, as often as the values between them.
    edges = [low, high] + ([0.0] if zero else [])
    return st.one_of(st.sampled_from(edges), st.floats(low, high, allow_nan=False, allow_infinity=False))


cost_inputs = st.fixed_dictionaries(
    {name: within(*bounds) for name, bounds in COST_BOUNDS.items()}
    | {"expected_scale": st.sampled_from([1, 10, 100])}
).map(CostInputs.model_validate)

stage_ms = within(0.001, DAY_MS, zero=True)
latency_inputs = st.builds(
    lambda target, pairs: LatencyInputs.model_validate({
        "target_p95_ms": target,
        "stages": [{"name": f"stage {i}", "p50_ms": min(a, b), "p95_ms": max(a, b)} for i, (a, b) in enumerate(pairs)],
    }),
    st.none() | within(0.001, DAY_MS),
    st.lists(st.tuples(stage_ms, stage_ms), min_size=1, max_size=6),
)
# The answers the calculators read: the cost threshold, the latency target and the measured p95.
answer_number = st.sampled_from([0.0, 1e-300, 0.001, 1.0, 5000.0, 1e12, 1e300, 1.7e308]) | st.floats(0, 1e308)

NOT_FINITE = re.compile(r"\b(?:nan|inf|infinity)\b", re.IGNORECASE)


@functools.cache
def sample() -> ReviewFile:
    return load_review(SAMPLE)


def assert_total(review: Review, template: Template) -> None:
    a = assess(review, template, TODAY)
    console = Console(file=io.StringIO(), width=100, highlight=False)
    console.print(summary_renderable(review, template, a))
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert not NOT_FINITE.search(text), text
    json.dumps(summary_dict(review, template, a), allow_nan=False)
    data = ExportData(review, template, a)
    for fmt in ("md", "html", "csv", "json"):
        out = render(fmt, data)
        if fmt == "json":
            json.dumps(json.loads(out), allow_nan=False)
        assert not NOT_FINITE.search(out), (fmt, NOT_FINITE.search(out))
    failures(review, template, a, tuple(RULES))


@settings(max_examples=60, deadline=None)
@given(cost=cost_inputs, latency=latency_inputs, threshold=answer_number, target=answer_number,
       measured=answer_number)
def test_any_input_within_the_bounds_gives_finite_reports(cost: CostInputs, latency: LatencyInputs,
                                                          threshold: float, target: float, measured: float) -> None:
    review = sample().review.model_copy(deep=True)
    review.calculators = Calculators(cost=cost, latency=latency)
    for qid, value in (("cost-threshold-per-outcome", threshold), ("latency-target-p95-ms", target),
                       ("latency-measured-p95-ms", measured)):
        review.answers[qid] = Answer(status=Status.ANSWERED, value=value)
    assert_total(review, sample().template)


def test_the_largest_budget_at_its_extremes_is_finite() -> None:
    # Fifty stages alternating the tightest and the widest spread a stage may have.
    stages = [{"name": f"s{i}", "p50_ms": 0.001 if i % 2 else DAY_MS, "p95_ms": DAY_MS} for i in range(50)]
    review = sample().review.model_copy(deep=True)
    review.calculators = Calculators(
        cost=CostInputs.model_validate({name: high for name, (_, high, _) in COST_BOUNDS.items()}),
        latency=LatencyInputs.model_validate({"target_p95_ms": 0.001, "stages": stages}))
    assert_total(review, sample().template)


@pytest.mark.parametrize("field", sorted(COST_BOUNDS))
def test_cost_inputs_outside_the_bounds_are_refused(field: str) -> None:
    low, high, zero = COST_BOUNDS[field]
    for value in (high * 1.01 + 1, low / 2 if low > 0 else -1.0):
        if zero and value == 0:
            continue
        with pytest.raises(ValidationError, match=f"{field}\n.*must be (0 or )?from"):
            CostInputs.model_validate({field: value})


def write_variant(tmp_path: Path, old: str, new: str) -> Path:
    text = SAMPLE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "review.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


# The extreme files of issue 24: each crashed summary, the exports and check.
EXTREMES = [
    ("users = 600", "users = 1e308", ("calculators.cost.users",)),
    ("success_rate = 0.55", "success_rate = 5e-324", ("calculators.cost.success_rate",)),
    # Both out of bounds: one line for each.
    ("p50_ms = 250, p95_ms = 700", "p50_ms = 1e300, p95_ms = 1e300",
     ("calculators.latency.stages[0].p50_ms", "calculators.latency.stages[0].p95_ms")),
    ("p50_ms = 250, p95_ms = 700", "p50_ms = 1, p95_ms = 1e20", ("calculators.latency.stages[0].p95_ms",)),
    ("target_p95_ms = 5000", "target_p95_ms = 1e300", ("calculators.latency.target_p95_ms",)),
]


@pytest.mark.parametrize("old, new, where", EXTREMES, ids=[e[1] for e in EXTREMES])
@pytest.mark.parametrize("command", [["summary"], ["summary", "--format", "json"], ["check"],
                                     ["export", "--format", "json", "-o", "OUT"]])
def test_extreme_files_are_refused_with_one_line(tmp_path: Path, old: str, new: str, where: tuple[str, ...],
                                                 command: list[str]) -> None:
    path = write_variant(tmp_path, old, new)
    out = tmp_path / "out.json"
    args = [str(out) if arg == "OUT" else arg for arg in command]
    result = CliRunner().invoke(cli, ["--today", TODAY.isoformat(), *args, str(path)])
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == len(where), lines  # one line a problem
    for line, key in zip(lines, where):
        assert line.startswith(f"workbook: {path}: {key}: must be "), line
    assert not out.exists()


def test_too_many_stages_are_refused_with_one_line(tmp_path: Path) -> None:
    # 5,000 stages made every command take about 50 s; a budget holds at most 50.
    many = ", ".join(f'{{ name = "s{i}", p50_ms = 10, p95_ms = 20 }}' for i in range(5000))
    path = write_variant(tmp_path, '{ name = "Retrieval", p50_ms = 250, p95_ms = 700 },', many + ",")
    result = CliRunner().invoke(cli, ["--today", TODAY.isoformat(), "summary", str(path)])
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [
        f"workbook: {path}: calculators.latency.stages: 5,004 stages; a latency budget holds at most 50"]


def test_fifty_stages_are_a_budget() -> None:
    stages = [{"name": f"s{i}", "p50_ms": 10, "p95_ms": 20} for i in range(50)]
    assert len(LatencyInputs.model_validate({"stages": stages}).stages) == 50
