"""Traces written by the real SDK and its OTLP JSON file exporter: figures known from the generator."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from tests.measure.helpers import measure_files, row
from tests.measure.sdk import MS, T0, SpanSpec, Writer, chat, embeddings, retrieval
from workbook.core.calc.latency import _quantile
from workbook.core.measure.figures import OUTCOMES, OVER_TARGET
from workbook.core.measure.otlp import read_spans
from workbook.core.store import ReviewFile


def test_the_reader_agrees_with_the_sdks_own_spans(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    w = Writer(path, seed=3)
    memory = InMemorySpanExporter()
    w.provider.add_span_processor(SimpleSpanProcessor(memory))
    w.write(SpanSpec("POST /draft", 0, 900, {"http.route": "/draft"}, children=[
        retrieval(10, 200, embeddings(20, 60)), chat(210, 880, inp=5000, out=300, cache=2000, error=True)]))
    w.close()
    read = {s.span_id: s for s in read_spans(path)}
    sdk = memory.get_finished_spans()
    assert len(read) == len(sdk) == 4
    for s in sdk:
        ctx = s.get_span_context()
        assert ctx is not None
        got = read[f"{ctx.span_id:016x}"]
        assert got.trace_id == f"{ctx.trace_id:032x}"
        assert got.parent_id == (f"{s.parent.span_id:016x}" if s.parent else "")
        assert (got.name, got.start_ns, got.end_ns) == (s.name, s.start_time, s.end_time)
        assert got.error == (s.status.status_code.value == 2)
        for key in ("gen_ai.operation.name", "gen_ai.usage.input_tokens", "gen_ai.usage.cache_read.input_tokens"):
            assert got.attributes.get(key) == (s.attributes or {}).get(key)


def _pilot(path: Path, n: int, seed: int = 11) -> tuple[Writer, list[dict[str, float]]]:
    """n requests: build_prompt, retrieval (embeddings nested), two parallel chat calls, then format."""
    rng = random.Random(seed)
    w = Writer(path, seed=seed)
    truth = []
    for i in range(n):
        base = i * 10_000.0
        prompt = rng.uniform(5, 50)
        retr = rng.uniform(50, 400)
        chat_a, chat_b = rng.uniform(500, 3000), rng.uniform(500, 3000)
        post = rng.uniform(10, 80)
        gap = rng.uniform(1, 20)
        t = base
        spans = [SpanSpec("build_prompt", t, t + prompt)]
        t += prompt
        spans.append(retrieval(t, t + retr, embeddings(t + 1, t + retr / 2)))
        t += retr
        # Two calls at once: the stage is the longer of them, not their sum.
        spans += [chat(t, t + chat_a, inp=4000, out=300, cache=1000 * (i % 2)), chat(t, t + chat_b, inp=2000, out=100)]
        t += max(chat_a, chat_b)
        spans.append(SpanSpec("format_reply", t, t + post))
        t += post + gap
        w.write(SpanSpec("POST /draft", base, t, children=spans, error=i % 10 == 0))
        truth.append({"e2e": t - base, "prompt": prompt, "retrieval": retr, "model": max(chat_a, chat_b),
                      "post": post, "unattributed": gap})
    w.close()
    return w, truth


STAGES = ("Prompt construction=build_prompt", "Post-processing=format_*")


def test_a_pilot_measures_back_to_the_generators_figures(copilot: ReviewFile, tmp_path: Path) -> None:
    path = tmp_path / "pilot.jsonl"
    _, truth = _pilot(path, 500)
    m, _ = measure_files(copilot, path, stages=STAGES)
    assert m.counts.requests == 500

    def q(key: str, p: float) -> float:
        return _quantile(sorted(t[key] for t in truth), p)

    for key, rid in (("e2e", "e2e"), ("prompt", "stage:Prompt construction"), ("retrieval", "stage:Retrieval"),
                     ("model", "stage:Model inference"), ("post", "stage:Post-processing"),
                     ("unattributed", "unattributed")):
        for label, p in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99)):
            assert row(m, f"{rid}-{label}").measured == pytest.approx(q(key, p), abs=1e-5), (rid, label)
    assert row(m, "calls-per-request").measured == 2
    assert row(m, "input-tokens-per-call").measured == 3000 and row(m, "input-tokens-per-call").n == 1000
    assert row(m, "output-tokens-per-call").measured == 200
    # Only the 4,000-token calls carry a cache-read count (half of them 1,000, half 0): the share is
    # over those calls, and the 2,000-token calls without it are not counted as uncached.
    assert row(m, "cache-hit-share").measured == pytest.approx(250 * 1000 / (500 * 4000))
    assert row(m, "cache-hit-share").n == 500
    assert row(m, "request-error-rate").measured == pytest.approx(0.1)
    assert row(m, "success-rate").measured == pytest.approx(0.9)
    # Two 500-3,000 ms calls in parallel: the p95 is well under the sample's 5,000 ms target.
    assert OVER_TARGET not in row(m, "e2e-p95").flags
    assert m.stages_unmatched == ("UI rendering",)


def test_over_target_and_outcomes(copilot: ReviewFile, tmp_path: Path) -> None:
    path = tmp_path / "slow.jsonl"
    w = Writer(path)
    for i in range(4):
        w.write(SpanSpec("POST /draft", i * 10_000, i * 10_000 + 6000, children=[chat(i * 10_000, i * 10_000 + 5900)]))
    w.close()
    outcomes = tmp_path / "outcomes.csv"
    outcomes.write_text("trace_id,success\n" + "".join(f"{t.upper()},{'yes' if k else 'no'}\n"
                                                      for k, t in enumerate(w.trace_ids[:3])), encoding="utf-8")
    m, _ = measure_files(copilot, path, outcomes=outcomes)
    assert OVER_TARGET in row(m, "e2e-p95").flags and row(m, "e2e-p95").measured == 6000
    assert row(m, "success-rate").measured == pytest.approx(2 / 3) and row(m, "success-rate").n == 3
    assert m.success_source == OUTCOMES and m.without_outcome == 1


def test_spans_outside_the_root_are_clipped(copilot: ReviewFile, tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    w = Writer(path)
    # A chat span that outlives its root (an async call finished after the response): clipped to the root.
    w.write(SpanSpec("POST /draft", 0, 1000, children=[chat(400, 1500)]))
    w.close()
    m, _ = measure_files(copilot, path)
    assert row(m, "stage:Model inference-p50").measured == pytest.approx(600)
    assert row(m, "unattributed-p50").measured == pytest.approx(400)
    assert T0 + 1000 * MS == m.counts.last_ns
