"""Spans delivered twice (a collector's retry, a file given twice, exports that overlap) count once, and say so."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from tests.conftest import SAMPLES
from tests.measure.helpers import measure_files, row
from tests.measure.sdk import SpanSpec, Writer, chat, retrieval
from workbook.cli import cli
from workbook.core.measure.report import render_json, render_md, render_text
from workbook.core.store import ReviewFile


def _two_requests(path: Path) -> Path:
    w = Writer(path, seed=5)
    w.write(SpanSpec("POST /draft", 0, 1000, children=[retrieval(10, 200), chat(210, 900, inp=4000, out=200)]))
    w.write(SpanSpec("POST /draft", 5000, 5600, children=[retrieval(5010, 5100), chat(5110, 5500, inp=2000, out=100)]))
    w.close()
    return path


def test_the_sdks_output_given_twice_measures_as_once(copilot: ReviewFile, tmp_path: Path) -> None:
    path = _two_requests(tmp_path / "t.jsonl")
    once, _ = measure_files(copilot, path)
    twice, sources = measure_files(copilot, path, path)
    assert twice.counts.duplicates == 6 and sources.spans == 12
    assert (twice.counts.requests, twice.counts.several_roots) == (2, 0)  # the root twice is not two roots
    for rid in ("e2e-p50", "e2e-p95", "calls-per-request", "input-tokens-per-call", "stage:Retrieval-p50",
                "cost-per-request"):
        assert row(twice, rid).measured == row(once, rid).measured and row(twice, rid).n == row(once, rid).n, rid
    assert "Duplicates: 6 span(s) delivered more than once (same trace and span id), each counted once" in (
        render_text(twice, sources))
    assert "Duplicates: 6 span(s)" in render_md(twice, sources)
    assert json.loads(render_json(twice, sources))["traces"]["duplicate_spans"] == 6
    assert json.loads(render_json(once, sources))["traces"]["duplicate_spans"] == 0
    assert "Duplicates" not in render_text(once, sources)


def test_a_span_repeated_across_two_files_counts_once(copilot: ReviewFile, tmp_path: Path) -> None:
    # Overlapping exports: the second file repeats the first request's model call (as a retried export
    # would) and holds the second request whole.
    lines = _two_requests(tmp_path / "all.jsonl").read_text().splitlines()
    docs = [json.loads(line) for line in lines]
    spans = [(d, s) for d in docs for rs in d["resourceSpans"] for ss in rs["scopeSpans"] for s in ss["spans"]]
    first_trace = spans[0][1]["traceId"]
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    chat_span = next(s for _, s in spans if s["traceId"] == first_trace and s["name"].startswith("chat"))

    def line(items: list[dict[str, object]]) -> str:
        return json.dumps({"resourceSpans": [{"resource": {}, "scopeSpans": [{"scope": {}, "spans": items}]}]})

    a.write_text(line([s for _, s in spans if s["traceId"] == first_trace]) + "\n")
    b.write_text(line([chat_span]) + "\n" + line([s for _, s in spans if s["traceId"] != first_trace]) + "\n")
    m, _ = measure_files(copilot, a, b)
    assert m.counts.duplicates == 1
    assert row(m, "calls-per-request").measured == 1.0  # not 1.5: the repeated call is one call
    assert row(m, "input-tokens-per-call").measured == 3000.0  # (4000 + 2000) / 2, not (4000 * 2 + 2000) / 3
    result = CliRunner().invoke(cli, ["measure", str(SAMPLES / "customer-support-copilot.toml"), "--traces", str(a),
                                      str(b)])
    assert result.exit_code == 0, result.output
    assert "Duplicates: 1 span(s) delivered more than once" in result.output


def test_many_spans_in_one_trace_are_told_apart(copilot: ReviewFile, tmp_path: Path) -> None:
    # Past a few dozen span ids a trace keeps them in a set: every distinct span still counts.
    path = tmp_path / "t.jsonl"
    w = Writer(path, seed=9)
    w.write(SpanSpec("POST /draft", 0, 10_000, children=[chat(i * 100, i * 100 + 50) for i in range(80)]))
    w.close()
    m, _ = measure_files(copilot, path, path)
    assert (m.counts.duplicates, row(m, "calls-per-request").measured) == (81, 80.0)
