"""A line goes straight to the collector only when every span of it reads on the fast path."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from workbook.core.measure.otlp import ReadStats, read_spans
from workbook.core.measure.stages import StageMatcher
from workbook.core.measure.traces import Collector


def test_a_line_the_fast_path_refuses_halfway_is_counted_once(tmp_path: Path) -> None:
    # The second span's id is base64 (the checked path reads it, the fast one does not): the first span
    # must not reach the collector twice, once from each path.
    trace = "ab" * 16
    spans = [{"traceId": trace, "spanId": "01" * 8, "name": "root", "startTimeUnixNano": "1", "endTimeUnixNano": "9"},
             {"traceId": trace, "spanId": base64.b64encode(bytes.fromhex("02" * 8)).decode(), "parentSpanId": "01" * 8,
              "name": "child", "startTimeUnixNano": "2", "endTimeUnixNano": "3"}]
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps({"resourceSpans": [{"scopeSpans": [{"spans": spans}]}]}) + "\n")
    collector, stats = Collector(StageMatcher()), ReadStats()
    for span in read_spans(path, stats, take=collector.add_all):
        collector.add(span)
    assert (stats.spans, collector.spans_kept, collector.duplicates) == (2, 2, 0)
    requests, counts = collector.finish()
    assert [r.trace_id for r in requests] == [trace] and counts.requests == 1
