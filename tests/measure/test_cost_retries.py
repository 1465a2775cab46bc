"""Cost per request and per successful outcome through the review's own cost model; retries from HTTP
client spans only; the end-to-end spread. Traces from the real SDK with known figures."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import SAMPLES, TODAY
from tests.measure.helpers import measure_files, row
from tests.measure.sdk import SpanSpec, Writer, chat, http
from workbook.cli import cli
from workbook.core.calc.latency import _quantile
from workbook.core.measure.figures import NOT_IN_TRACES, OVER_TARGET
from workbook.core.models import Answer, Status
from workbook.core.store import ReviewFile, load_review, save_review

# The copilot sample's cost inputs (sample_programs/customer-support-copilot.toml), written out.
PRICE_IN, PRICE_CACHED, PRICE_OUT = 1.25, 0.125, 10.0
REQUESTS_A_MONTH = 600 * 25 * 22
OBSERVABILITY, REVIEW_RATE, REVIEW_COST, FIXED = 0.15, 0.1, 1.2, 4000


def by_hand(calls: float, inp: float, out: float, cache: float, retries: float, success: float) -> tuple[float, float]:
    """The cost model's formula (docs/calculators) by hand: (cost per request, cost per successful outcome)."""
    per_call = (inp * (1 - cache) * PRICE_IN + inp * cache * PRICE_CACHED + out * PRICE_OUT) / 1e6
    monthly = REQUESTS_A_MONTH * (calls * (1 + retries) * per_call * (1 + OBSERVABILITY)
                                  + REVIEW_RATE * REVIEW_COST) + FIXED
    return monthly / REQUESTS_A_MONTH, monthly / (REQUESTS_A_MONTH * success)


def _four_requests(path: Path) -> Writer:
    """Four requests of two calls each: 1,000 input tokens (250 cached) and 100 output tokens a call."""
    w = Writer(path)
    for i in range(4):
        b = i * 10_000
        w.write(SpanSpec("POST /draft", b, b + 900, children=[chat(b, b + 400, 1000, 100, 250),
                                                              chat(b + 400, b + 800, 1000, 100, 250)]))
    w.close()
    return w


def _outcomes(path: Path, w: Writer, ok: list[bool]) -> Path:
    path.write_text("trace_id,success\n" + "".join(f"{t},{o}\n" for t, o in zip(w.trace_ids, ok)), encoding="utf-8")
    return path


def test_cost_per_request_and_outcome_are_the_review_model_on_measured_inputs(copilot: ReviewFile,
                                                                              tmp_path: Path) -> None:
    w = _four_requests(tmp_path / "t.jsonl")
    outcomes = _outcomes(tmp_path / "o.csv", w, [True, True, True, False])
    m, _ = measure_files(copilot, tmp_path / "t.jsonl", outcomes=outcomes)
    # Retries are not in these traces: the review's 0.15 stays, and the note says so.
    per_request, per_outcome = by_hand(2, 1000, 100, 0.25, 0.15, 0.75)
    assert row(m, "cost-per-request").measured == pytest.approx(per_request)
    assert row(m, "cost-per-outcome").measured == pytest.approx(per_outcome)
    assert row(m, "cost-per-outcome").n == 4
    est_request, est_outcome = by_hand(1, 6000, 350, 0.3, 0.15, 0.55)
    assert row(m, "cost-per-request").estimate == pytest.approx(est_request)
    assert row(m, "cost-per-outcome").estimate == pytest.approx(est_outcome)
    assert "the review's estimate for retries" in row(m, "cost-per-request").note
    assert row(m, "cost-per-outcome").note.startswith("success: outcomes file")
    # The sample's cost threshold is deferred: no target, no OVER TARGET.
    assert row(m, "cost-per-outcome").target is None


def test_cost_per_outcome_over_the_teams_threshold(copilot: ReviewFile, tmp_path: Path) -> None:
    w = _four_requests(tmp_path / "t.jsonl")
    outcomes = _outcomes(tmp_path / "o.csv", w, [True, False, False, False])
    copilot.review.answers["cost-threshold-per-outcome"] = Answer(status=Status.ANSWERED, value=0.5)
    m, _ = measure_files(copilot, tmp_path / "t.jsonl", outcomes=outcomes)
    r = row(m, "cost-per-outcome")
    assert r.target == 0.5 and r.measured == pytest.approx(by_hand(2, 1000, 100, 0.25, 0.15, 0.25)[1])
    assert r.measured > 0.5 and OVER_TARGET in r.flags
    copilot.review.answers["cost-threshold-per-outcome"] = Answer(status=Status.ANSWERED, value=1.0)
    m, _ = measure_files(copilot, tmp_path / "t.jsonl", outcomes=outcomes)
    assert OVER_TARGET not in row(m, "cost-per-outcome").flags


def test_write_proposes_cost_per_outcome_only_with_real_outcomes(tmp_path: Path) -> None:
    review = tmp_path / "review.toml"
    review.write_bytes((SAMPLES / "customer-support-copilot.toml").read_bytes())
    w = _four_requests(tmp_path / "t.jsonl")
    outcomes = _outcomes(tmp_path / "o.csv", w, [True, True, True, False])
    base = ["measure", str(review), "--traces", str(tmp_path / "t.jsonl"), "--write", "--today", TODAY.isoformat()]
    result = CliRunner().invoke(cli, base)
    assert result.exit_code == 0, result.stderr
    assert "cost-per-outcome-current: not written (technical success" in result.stderr
    before = load_review(review).review.answers.get("cost-per-outcome-current")
    result = CliRunner().invoke(cli, [*base, "--outcomes", str(outcomes)])
    assert result.exit_code == 0, result.stderr
    answer = load_review(review).review.answers["cost-per-outcome-current"]
    assert answer != before
    assert answer.value == round(by_hand(2, 1000, 100, 0.25, 0.15, 0.75)[1], 4)
    assert answer.notes.splitlines()[0].startswith(
        "Measured from 4 requests with real outcomes (outcomes file) through the review's cost model, window ")


def test_retries_come_only_from_http_client_spans(copilot: ReviewFile, tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    w = Writer(path)
    # One span per attempt (the resend its ordinal): 1 retry.
    w.write(SpanSpec("POST /draft", 0, 900, children=[
        SpanSpec("chat gpt-x", 0, 800, chat(0, 0).attributes, children=[http(0, 100), http(200, 700, resend=1)])]))
    # No resend: 0 retries.
    w.write(SpanSpec("POST /draft", 10_000, 10_900, children=[
        SpanSpec("chat gpt-x", 10_000, 10_800, chat(0, 0).attributes, children=[http(10_000, 10_700)])]))
    # One span carrying the count so far: 2 retries.
    w.write(SpanSpec("POST /draft", 20_000, 20_900, children=[
        SpanSpec("chat gpt-x", 20_000, 20_800, chat(0, 0).attributes, children=[http(20_000, 20_700, resend=2)])]))
    w.close()
    m, _ = measure_files(copilot, path)
    r = row(m, "retries-per-call")
    assert (r.measured, r.n, r.estimate) == (1.0, 3, 0.15)
    assert "retries" not in row(m, "cost-per-request").note  # measured, so fed to the model
    assert row(m, "cost-per-request").measured == pytest.approx(by_hand(1, 1000, 100, 0.3, 1.0, 1.0)[0])


def test_retries_without_http_spans_are_not_in_traces(copilot: ReviewFile, tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    w = Writer(path)
    w.write(SpanSpec("POST /draft", 0, 900, children=[chat(0, 800)]))
    w.close()
    m, _ = measure_files(copilot, path)
    r = row(m, "retries-per-call")
    assert r.measured is None and NOT_IN_TRACES in r.flags
    assert "no HTTP client span" in r.note


@pytest.mark.parametrize("n", [99, 120])
def test_spread_of_end_to_end(copilot: ReviewFile, tmp_path: Path, n: int) -> None:
    path = tmp_path / "t.jsonl"
    w = Writer(path)
    durations = [100.0 + (i * 37) % 900 for i in range(n)]
    for i, d in enumerate(durations):
        w.write(SpanSpec("POST /draft", i * 10_000, i * 10_000 + d))
    w.close()
    m, _ = measure_files(copilot, path)
    ends = sorted(durations)
    p50 = _quantile(ends, 0.5)
    assert row(m, "e2e-spread").measured == pytest.approx(_quantile(ends, 0.95) / p50)
    tail = row(m, "e2e-tail")
    if n < 100:
        assert tail.measured is None and tail.note == "needs 100 requests"
    else:
        assert tail.measured == pytest.approx(_quantile(ends, 0.99) - p50)
    assert row(m, "e2e-spread").estimate is not None and row(m, "e2e-spread").unit == "ratio"


def test_a_review_without_cost_inputs_says_so(copilot: ReviewFile, tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    w = Writer(path)
    w.write(SpanSpec("POST /draft", 0, 900, children=[chat(0, 800)]))
    w.close()
    assert copilot.review.calculators is not None
    copilot.review.calculators.cost = None
    m, _ = measure_files(copilot, path)
    r = row(m, "cost-per-outcome")
    assert r.measured is None and r.note == "the review has no cost model inputs (prices)"


def test_saving_keeps_a_cost_figure_in_the_record(tmp_path: Path) -> None:
    review = tmp_path / "review.toml"
    review.write_bytes((SAMPLES / "customer-support-copilot.toml").read_bytes())
    _four_requests(tmp_path / "t.jsonl")
    result = CliRunner().invoke(cli, ["measure", str(review), "--traces", str(tmp_path / "t.jsonl"), "--write",
                                      "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.stderr
    (rec,) = load_review(review).review.measurements
    figure = rec.figure("cost-per-request")
    assert figure is not None and figure.unit == "USD" and figure.n == 4
    save_review(load_review(review))  # a review with USD figures saves and reads back
    assert load_review(review).review.measurements[0].figure("cost-per-request") == figure
