"""`--sample RATE`: traces kept by a hash of their id (whole, across files), and the p95's interval."""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from bench.traces import pilot_lines
from tests.conftest import SAMPLES
from tests.measure.helpers import measure_files, row
from workbook.cli import cli
from workbook.core.measure.report import render_text, to_dict
from workbook.core.measure.run import Options, run
from workbook.core.measure.sampling import Sampler, Sampling, order_statistic_interval
from workbook.core.store import ReviewFile


def _ranks_by_comb(n: int, q: float = 0.95, tail: float = 0.025) -> tuple[int | None, int | None]:
    """The same ranks from the binomial's definition, summed exactly with math.comb."""
    cdf = []
    total = 0.0
    for k in range(n + 1):
        total += math.comb(n, k) * q**k * (1 - q) ** (n - k)
        cdf.append(total)
    low = max((k + 1 for k in range(n + 1) if cdf[k] <= tail), default=0)
    high = min((k + 1 for k in range(n + 1) if cdf[k] >= 1 - tail), default=n + 1)
    return (low or None), (high if high <= n else None)


@pytest.mark.parametrize("n", [1, 20, 59, 60, 73, 100, 250, 1000])
def test_the_ranks_are_the_binomials(n: int) -> None:
    assert order_statistic_interval(n) == _ranks_by_comb(n)


def test_a_small_sample_cannot_bound_the_p95_from_above() -> None:
    low, high = order_statistic_interval(20)
    assert high is None and low is not None and low < 19


def test_the_interval_covers_the_true_p95_at_least_as_often_as_stated() -> None:
    rng = random.Random(4)
    true_p95 = -math.log(0.05)  # of an exponential distribution with mean 1
    covered = 0
    trials = 400
    for _ in range(trials):
        values = sorted(rng.expovariate(1.0) for _ in range(300))
        low, high = order_statistic_interval(300)
        assert low is not None and high is not None
        covered += values[low - 1] <= true_p95 <= values[high - 1]
    assert covered / trials >= 0.93  # 95% stated; exact coverage is a little above it


def _split_pilot(tmp_path: Path, n: int) -> list[Path]:
    """n requests, each trace's spans split over two files (root in the second)."""
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    with a.open("w") as fa, b.open("w") as fb:
        for line in pilot_lines(n, seed=9):
            doc = json.loads(line)
            spans = doc["resourceSpans"][0]["scopeSpans"][0]["spans"]
            doc["resourceSpans"][0]["scopeSpans"][0]["spans"] = spans[:3]
            fa.write(json.dumps(doc) + "\n")
            doc["resourceSpans"][0]["scopeSpans"][0]["spans"] = spans[3:]
            fb.write(json.dumps(doc) + "\n")
    return [a, b]


def test_a_trace_split_across_files_is_kept_or_dropped_whole(copilot: ReviewFile, tmp_path: Path) -> None:
    files = _split_pilot(tmp_path, 400)
    m, s = run(copilot.review, copilot.template, "r", Options(tuple(files), sample=0.3))
    assert m.counts.partial == 0  # no trace lost its root to sampling and kept the rest
    assert 0.2 * 400 < m.counts.requests < 0.4 * 400
    assert s.sampling is not None and s.sampling.spans_kept == 6 * m.counts.requests


def test_sampling_measures_exactly_the_kept_traces(copilot: ReviewFile, tmp_path: Path) -> None:
    all_lines = list(pilot_lines(300, seed=2))
    sampler = Sampler(0.25)
    kept = [line for line in all_lines
            if sampler.keeps(json.loads(line)["resourceSpans"][0]["scopeSpans"][0]["spans"][0]["traceId"])]
    (tmp_path / "all.jsonl").write_text("\n".join(all_lines) + "\n")
    (tmp_path / "kept.jsonl").write_text("\n".join(kept) + "\n")
    sampled, s = run(copilot.review, copilot.template, "r", Options((tmp_path / "all.jsonl",), sample=0.25))
    by_hand, _ = measure_files(copilot, tmp_path / "kept.jsonl")
    assert sampled.rows == by_hand.rows and sampled.counts.requests == len(kept)
    again, _ = run(copilot.review, copilot.template, "r", Options((tmp_path / "all.jsonl",), sample=0.25))
    assert again.rows == sampled.rows  # the same traces every run
    assert s.sampling is not None and (s.sampling.spans_read, s.sampling.requests) == (1800, len(kept))


def test_the_header_and_json_state_the_p95_interval(copilot: ReviewFile, tmp_path: Path) -> None:
    (tmp_path / "t.jsonl").write_text("\n".join(pilot_lines(400, seed=3)) + "\n")
    m, s = run(copilot.review, copilot.template, "r", Options((tmp_path / "t.jsonl",), sample=0.5))
    assert s.sampling is not None
    low, high = s.sampling.p95_low, s.sampling.p95_high
    assert low is not None and high is not None
    assert low <= (row(m, "e2e-p95").measured or 0) <= high
    text = render_text(m, s)
    assert f"end-to-end p95 95% interval from {m.counts.requests:,} sampled requests: {low:,.0f} to {high:,.0f} ms" in text
    doc = to_dict(m, s)
    assert doc["sampling"]["rate"] == 0.5 and doc["sampling"]["p95_interval"]["low"] == low
    unsampled, u = run(copilot.review, copilot.template, "r", Options((tmp_path / "t.jsonl",)))
    assert to_dict(unsampled, u)["sampling"] is None and "Sampled" not in render_text(unsampled, u)


def test_too_few_sampled_requests_say_so() -> None:
    assert Sampling.of(0.01, 10, 2, [5.0, 6.0]).line().endswith(
        "from 2 sampled requests: at least 5 ms (too few requests to bound it above)")
    assert Sampling.of(0.01, 10, 0, []).line().endswith("from 0 sampled requests: too few requests to bound it")


@pytest.mark.parametrize("rate", ["0", "1.5", "-0.1", "x"])
def test_a_rate_outside_0_to_1_is_a_usage_error(rate: str, tmp_path: Path) -> None:
    (tmp_path / "t.jsonl").write_text("\n".join(pilot_lines(2)) + "\n")
    result = CliRunner().invoke(cli, ["measure", str(SAMPLES / "customer-support-copilot.toml"),
                                      "--traces", str(tmp_path / "t.jsonl"), "--sample", rate])
    assert result.exit_code == 2 and "--sample" in result.output


def test_the_cli_samples(tmp_path: Path) -> None:
    (tmp_path / "t.jsonl").write_text("\n".join(pilot_lines(200)) + "\n")
    result = CliRunner().invoke(cli, ["measure", str(SAMPLES / "customer-support-copilot.toml"),
                                      "--traces", str(tmp_path / "t.jsonl"), "--sample", "1", "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["sampling"]["spans_kept"] == doc["sampling"]["spans_read"] == 1200
    assert doc["requests"]["requests"] == 200
