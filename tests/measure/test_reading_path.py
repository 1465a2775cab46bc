"""The reading path's shortcuts give what the plain way gives."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from workbook.core.measure.otlp import _line_spans, _span
from workbook.core.measure.stages import add, clipped_length, covered_length, merged

pairs = st.tuples(st.integers(-50, 150), st.integers(0, 80)).map(lambda p: (p[0], p[0] + p[1]))


@given(st.lists(st.lists(pairs, max_size=6), max_size=4), st.integers(-20, 60), st.integers(0, 120))
def test_one_sort_and_sweep_covers_what_merging_covers(spans: list[list[tuple[int, int]]], low: int,
                                                       length: int) -> None:
    unions = []
    for intervals in spans:
        union: list[tuple[int, int]] = []
        for start, end in intervals:
            add(union, start, end)
        unions.append(union)
    high = low + length
    assert covered_length(unions, low, high) == clipped_length(merged(*unions), low, high)


def test_trace_ids_checked_once_a_line_are_still_each_spans_own() -> None:
    # Two traces in one line, one id in upper case and the other in lower: each span keeps its own,
    # lower-cased, as the checked reading gives it.
    upper, lower = "AB" * 16, "cd" * 16
    spans = [{"traceId": t, "spanId": f"{i:016x}", "name": "s", "startTimeUnixNano": "1", "endTimeUnixNano": "2"}
             for i, t in enumerate([upper, lower, upper, lower], start=1)]
    line = json.dumps({"resourceSpans": [{"scopeSpans": [{"spans": spans}]}]}).encode()
    got = _line_spans(line)
    assert got is not None
    assert [s.trace_id for s in got] == [upper.lower(), lower, upper.lower(), lower]
    assert got == [_span(s, "span") for s in spans]
