"""Memory holds one small summary per trace, not its spans: peak memory per request is bounded and
does not grow with the spans a trace has. (100,000 requests, ~300 MB of traces, is the bench's:
`python -m bench.run --only measure`.)"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from bench.traces import write_pilot
from tests.conftest import FIXTURES
from workbook.core.measure.otlp import read_spans
from workbook.core.measure.stages import StageMatcher, parse_stage
from workbook.core.measure.traces import Collector

PER_REQUEST_LIMIT = 4096  # bytes; about 2 KB measured (a trace summary while reading, then a Request)


def _peak_per_request(path: Path, n: int) -> float:
    """Peak traced memory while reading the file and finishing, over the requests it holds."""
    matcher = StageMatcher((parse_stage("Prompt construction=build_prompt"), parse_stage("Post-processing=format_*")))
    tracemalloc.start()
    try:
        collector = Collector(matcher)
        for span in read_spans(path):
            collector.add(span)
        requests, counts = collector.finish()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert counts.requests == len(requests) == n
    return peak / n


def test_peak_memory_per_request_is_bounded(tmp_path: Path) -> None:
    per_request = _peak_per_request(write_pilot(tmp_path / "p.jsonl", 5000), 5000)
    assert per_request < PER_REQUEST_LIMIT


def test_peak_memory_does_not_grow_with_spans_per_trace(tmp_path: Path) -> None:
    few = _peak_per_request(write_pilot(tmp_path / "few.jsonl", 1000, spans=6), 1000)
    many = _peak_per_request(write_pilot(tmp_path / "many.jsonl", 1000, spans=24), 1000)  # 4x the spans
    assert many < 1.2 * few


def test_the_fast_reading_of_a_well_formed_span_is_the_checked_one() -> None:
    # Spans as the collector writes them are read without the checked path's error messages; both must
    # give the same Span for every span of the real files and of a generated pilot.
    import json

    from bench.traces import pilot_lines
    from workbook.core.measure.otlp import _span, _well_formed_span

    lines = [*(FIXTURES / "telemetry").glob("*.jsonl")]
    docs = [json.loads(line) for path in lines for line in path.read_text().splitlines() if line.strip()]
    docs += [json.loads(line) for line in pilot_lines(50)]
    seen = 0
    for doc in docs:
        for rs in doc.get("resourceSpans", []):
            for ss in rs.get("scopeSpans", []):
                for span in ss.get("spans", []):
                    fast = _well_formed_span(span)
                    assert fast is not None and fast == _span(span, "span")
                    seen += 1
    assert seen > 300
