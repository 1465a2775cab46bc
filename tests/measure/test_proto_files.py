"""The collector's protobuf files (`format: proto`): encoded with OpenTelemetry's own protobuf encoder,
they read and measure the same as the JSON lines of the same spans."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from tests.measure.helpers import measure_files
from tests.measure.sdk import SpanSpec, Writer, chat, embeddings, retrieval
from workbook.core.errors import FileError, WorkbookError
from workbook.core.measure.otlp import read_spans
from workbook.core.measure.report import to_dict
from workbook.core.store import ReviewFile


def _both(tmp_path: Path, n: int = 30, batch: int = 4) -> tuple[Path, Path]:
    """n requests written by the SDK as JSON lines, and the same spans as length-prefixed protobuf."""
    jsonl, proto = tmp_path / "t.jsonl", tmp_path / "t.pb"
    w = Writer(jsonl, seed=5)
    memory = InMemorySpanExporter()
    w.provider.add_span_processor(SimpleSpanProcessor(memory))
    for i in range(n):
        base = i * 5000.0
        w.write(SpanSpec("POST /draft", base, base + 900 + 7 * i, error=i % 7 == 0, children=[
            SpanSpec("build_prompt", base + 1, base + 9),
            retrieval(base + 10, base + 200 + i, embeddings(base + 20, base + 60)),
            chat(base + 210, base + 880 + 3 * i, inp=5000 + i, out=300, cache=2000 if i % 2 else None,
                 error=i % 5 == 0)]))
    w.close()
    spans = list(memory.get_finished_spans())
    with proto.open("wb") as fh:  # several spans a message, as the collector batches them
        for k in range(0, len(spans), batch):
            body = encode_spans(spans[k:k + batch]).SerializeToString()
            fh.write(len(body).to_bytes(4, "big") + body)
    return jsonl, proto


def test_protobuf_spans_read_as_the_json_ones(tmp_path: Path) -> None:
    jsonl, proto = _both(tmp_path, n=5)
    from_json = sorted(read_spans(jsonl), key=lambda s: s.span_id)
    from_proto = sorted(read_spans(proto), key=lambda s: s.span_id)
    assert len(from_proto) == 5 * 5
    assert from_proto == from_json  # ids in hex, times, status, the attributes read
    assert all(len(s.trace_id) == 32 and len(s.span_id) == 16 for s in from_proto)


def test_a_protobuf_file_measures_the_same_as_its_json_lines(copilot: ReviewFile, tmp_path: Path) -> None:
    jsonl, proto = _both(tmp_path)
    stages = ("Prompt construction=build_prompt",)
    by_json, s_json = measure_files(copilot, jsonl, stages=stages)
    by_proto, s_proto = measure_files(copilot, proto, stages=stages)
    assert by_proto.counts.requests == 30
    assert by_proto == by_json
    doc_json, doc_proto = to_dict(by_json, s_json), to_dict(by_proto, s_proto)
    assert doc_proto["rows"] == doc_json["rows"]
    assert doc_proto["traces"]["spans"] == doc_json["traces"]["spans"] == 150


def test_a_trace_split_over_a_protobuf_and_a_json_file_is_one_request(copilot: ReviewFile, tmp_path: Path) -> None:
    jsonl, proto = _both(tmp_path, n=3)
    lines = jsonl.read_text().splitlines()
    data = proto.read_bytes()
    size = int.from_bytes(data[:4], "big")
    (tmp_path / "first.pb").write_bytes(data[:4 + size])  # the first message only: 4 spans of request 1
    (tmp_path / "rest.jsonl").write_text("\n".join(lines[4:]) + "\n")
    m, _ = measure_files(copilot, tmp_path / "first.pb", tmp_path / "rest.jsonl")
    assert (m.counts.requests, m.counts.partial) == (3, 0)


def test_a_truncated_protobuf_file_names_the_message(tmp_path: Path) -> None:
    _, proto = _both(tmp_path, n=2)
    cut = tmp_path / "cut.pb"
    cut.write_bytes(proto.read_bytes()[:-3])
    with pytest.raises(FileError) as err:
        list(read_spans(cut))
    text = str(err.value)
    assert "cut.pb" in text and "message 3" in text and "truncated" in text


def test_garbage_after_a_length_prefix_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pb"
    bad.write_bytes((5).to_bytes(4, "big") + b"\xff\xff\xff\xff\xff")
    with pytest.raises(FileError) as err:
        list(read_spans(bad))
    assert "bad.pb" in str(err.value) and "message 1" in str(err.value)


def test_without_the_extra_a_protobuf_file_says_what_to_install(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    _, proto = _both(tmp_path, n=1)
    monkeypatch.setitem(sys.modules, "opentelemetry.proto.collector.trace.v1.trace_service_pb2", None)
    with pytest.raises(WorkbookError) as err:
        list(read_spans(proto))
    assert str(err.value).count("\n") == 0
    assert "pip install 'genai-risk-workbook[otlp-proto]'" in str(err.value)
