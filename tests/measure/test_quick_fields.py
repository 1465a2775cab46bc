"""The quick check of spans in the collector's usual shape refuses every malformed span as the detailed one does.

A line the quick check accepts goes straight to the collector, so a check it skipped would let a malformed
span be measured. Each span below is in the usual shape but for one field: reading it through the fused path
(take) must fail with the same one line as main's checked reading, naming the file, line and key path.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.measure.conftest import TELEMETRY
from workbook.core.errors import FileError
from workbook.core.measure.attributes import WANTED
from workbook.core.measure.otlp import _quick_fields, _well_formed_fields, read_spans
from workbook.core.measure.stages import StageMatcher
from workbook.core.measure.traces import Collector

TRACE, ROOT, CHILD = "ab" * 16, "01" * 8, "02" * 8
WHERE = "resourceSpans[0].scopeSpans[0].spans[1]"


def usual(**extra: Any) -> dict[str, Any]:
    span: dict[str, Any] = {
        "traceId": TRACE, "spanId": CHILD, "parentSpanId": ROOT, "flags": 256, "name": "chat m", "kind": 3,
        "startTimeUnixNano": "1796000000000000000", "endTimeUnixNano": "1796000000500000000",
        "attributes": [{"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}},
                       {"key": "server.port", "value": {"intValue": "443"}},
                       {"key": "gen_ai.usage.input_tokens", "value": {"intValue": "12"}}],
        "status": {}}
    span.update(extra)
    return span


def _attr(key: Any, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda s: s["attributes"].append({"key": key, "value": value})


BROKEN: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("trace id short", lambda s: s.update(traceId="abc"),
     f"{WHERE}.traceId 'abc' is neither 32 hex digits nor base64 of 16 bytes"),
    ("trace id a number", lambda s: s.update(traceId=5), f"{WHERE}.traceId is missing or not a string"),
    ("span id not hex", lambda s: s.update(spanId="zz" * 8),
     f"{WHERE}.spanId 'zzzzzzzzzzzzzzzz' is neither 16 hex digits nor base64 of 8 bytes"),
    ("parent id short", lambda s: s.update(parentSpanId="12345"),
     f"{WHERE}.parentSpanId '12345' is neither 16 hex digits nor base64 of 8 bytes"),
    ("parent id a number", lambda s: s.update(parentSpanId=0), f"{WHERE}.parentSpanId is missing or not a string"),
    ("parent id a list", lambda s: s.update(parentSpanId=[1]), f"{WHERE}.parentSpanId is missing or not a string"),
    ("name a number", lambda s: s.update(name=3), f"{WHERE}.name is not a string"),
    ("start missing", lambda s: s.pop("startTimeUnixNano"), f"{WHERE}.startTimeUnixNano is missing"),
    ("start signed", lambda s: s.update(startTimeUnixNano="-5"),
     f"{WHERE}.startTimeUnixNano '-5' is not a whole number of nanoseconds"),
    ("start with a superscript digit", lambda s: s.update(startTimeUnixNano="1²"),
     f"{WHERE}.startTimeUnixNano '1²' is not a whole number of nanoseconds"),
    ("end past a fixed64", lambda s: s.update(endTimeUnixNano=str(2**70)),
     f"{WHERE}.endTimeUnixNano '1180591620717411303424' is outside 0 to 2^64-1 nanoseconds (OTLP's fixed64)"),
    ("both past a fixed64, as numbers", lambda s: s.update(startTimeUnixNano=2**70, endTimeUnixNano=2**70 + 1),
     f"{WHERE}.startTimeUnixNano '1180591620717411303424' is outside 0 to 2^64-1 nanoseconds (OTLP's fixed64)"),
    ("start negative, as a number", lambda s: s.update(startTimeUnixNano=-5),
     f"{WHERE}.startTimeUnixNano '-5' is outside 0 to 2^64-1 nanoseconds (OTLP's fixed64)"),
    ("end before start", lambda s: s.update(endTimeUnixNano="1"),
     f"{WHERE}: ends before it starts (1 < 1796000000000000000)"),
    ("status a list", lambda s: s.update(status=[1]), f"{WHERE}.status is not an object"),
    ("status code a word", lambda s: s.update(status={"code": "bad"}),
     f"{WHERE}.status.code 'bad' is not a status code (0, 1, 2 or STATUS_CODE_…)"),
    ("status code a boolean", lambda s: s.update(status={"code": True}),
     f"{WHERE}.status.code 'True' is not a status code (0, 1, 2 or STATUS_CODE_…)"),
    ("attributes an object", lambda s: s.update(attributes={"a": 1}), f"{WHERE}.attributes is not a list"),
    ("an attribute not an object", lambda s: s["attributes"].append(3), f"{WHERE}.attributes[3] is not an object"),
    ("an attribute key a number", _attr(3, {}), f"{WHERE}.attributes[3].key is not a string"),
    ("an attribute key a list", _attr([1], {}), f"{WHERE}.attributes[3].key is not a string"),
    ("a token count not a number", _attr("gen_ai.usage.output_tokens", {"intValue": "x1"}),
     f"{WHERE}.attributes[3] (gen_ai.usage.output_tokens) intValue 'x1' is not an integer"),
    ("a token count a boolean", _attr("gen_ai.usage.output_tokens", {"intValue": True}),
     f"{WHERE}.attributes[3] (gen_ai.usage.output_tokens) intValue 'True' is not an integer"),
    ("a token count with a superscript digit", _attr("gen_ai.usage.output_tokens", {"intValue": "1²"}),
     f"{WHERE}.attributes[3] (gen_ai.usage.output_tokens) intValue '1²' is not an integer"),
    ("a bad value given twice, the good one last",
     lambda s: s["attributes"].insert(0, {"key": "gen_ai.usage.input_tokens", "value": {"intValue": "x"}}),
     f"{WHERE}.attributes[0] (gen_ai.usage.input_tokens) intValue 'x' is not an integer"),
]


def _write(tmp_path: Path, *spans: dict[str, Any]) -> Path:
    path = tmp_path / "t.jsonl"
    good = usual(spanId=ROOT, parentSpanId="", name="POST /draft", kind=2, attributes=[])
    line = json.dumps({"resourceSpans": [{"resource": {}, "scopeSpans": [{"scope": {}, "spans": [good, *spans]}]}]})
    path.write_text(line + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("what", "breaks", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_span_broken_in_one_field_is_refused_on_the_fused_path(
        tmp_path: Path, what: str, breaks: Callable[[dict[str, Any]], None], message: str) -> None:
    span = usual()
    breaks(span)
    path = _write(tmp_path, span)
    collector = Collector(StageMatcher())
    with pytest.raises(FileError) as caught:
        for s in read_spans(path, take=collector.add_all):
            collector.add(s)
    assert str(caught.value) == f"{path}: line 1: {message}"
    assert collector.spans_kept == 0  # the line's good span was not taken either


def test_the_usual_span_is_read_quickly(tmp_path: Path) -> None:
    # The broken spans above are refused only because the quick check declines them: this one it reads.
    assert _quick_fields(usual(), WANTED, {}, {""}, set()) is not None


def _spans() -> list[dict[str, Any]]:
    from bench.traces import pilot_lines

    lines = [line for path in TELEMETRY.glob("*.jsonl") for line in path.read_text().splitlines() if line.strip()]
    lines += list(pilot_lines(30, spans=8))
    return [span for line in lines for rs in json.loads(line)["resourceSpans"] for ss in rs["scopeSpans"]
            for span in ss["spans"]]


def _variants(span: dict[str, Any]) -> list[dict[str, Any]]:
    """The span, and in shapes the quick check may decline: each must then read as the detailed check reads it."""
    out = [span]
    for key, value in [("parentSpanId", None), ("kind", "SPAN_KIND_CLIENT"), ("kind", 9), ("status", {"code": 2}),
                       ("status", {"code": "STATUS_CODE_ERROR"}), ("startTimeUnixNano", 5), ("name", ""),
                       ("spanId", span["spanId"].upper()), ("traceId", span["traceId"].upper()), ("attributes", []),
                       ("attributes", [{"key": "gen_ai.usage.input_tokens", "value": {"intValue": 7}}]),
                       ("attributes", [{"key": "gen_ai.usage.input_tokens", "value": {"doubleValue": 7.0}}]),
                       ("attributes", [{"key": "error.type", "value": {"boolValue": True}}]),
                       ("attributes", [{"value": {"stringValue": "no key"}}])]:
        out.append({**span, key: value})
    out.append({k: v for k, v in span.items() if k not in ("status", "kind", "parentSpanId", "attributes")})
    return out


def test_what_the_quick_check_reads_it_reads_as_the_detailed_check() -> None:
    quick = 0
    for span in _spans():
        for variant in _variants(span):
            try:
                fields = _quick_fields(variant, WANTED, {}, {""}, set())
            except (KeyError, TypeError, AttributeError):
                fields = None
            checked = _well_formed_fields(variant, WANTED, {})
            if fields is None:
                continue
            quick += 1
            assert checked is not None
            # Span and parent ids are kept as written (the collector reads them without case).
            assert (fields[0], fields[1].lower(), fields[2].lower(), *fields[3:]) == checked
    assert quick > 300
