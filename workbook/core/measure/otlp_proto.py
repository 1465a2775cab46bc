"""Read the OpenTelemetry Collector's protobuf trace files (the `file` exporter with `format: proto`).

Each ExportTraceServiceRequest is prefixed by its length, 4 bytes big-endian. Decoded with the
`opentelemetry-proto` package (the optional extra `workbook[otlp-proto]`), imported only when such a
file is read. Ids are bytes there: written as lower-case hex, as the JSON reader gives them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from workbook.core.errors import FileError, WorkbookError
from workbook.core.measure.attributes import WANTED
from workbook.core.measure.otlp import STATUS_ERROR, Malformed, ReadStats, Span

EXTRA = "genai-risk-workbook[otlp-proto]"
_PROGRESS_EVERY = 1 << 20  # bytes between two progress reports


def _request_class(path: Path) -> Any:
    # importlib, not an import statement: protobuf ships no type stubs, and the extra is optional.
    try:
        module = importlib.import_module("opentelemetry.proto.collector.trace.v1.trace_service_pb2")
    except ImportError:
        raise WorkbookError(f"{path}: a protobuf trace file: reading it needs `pip install '{EXTRA}'`") from None
    return module.ExportTraceServiceRequest


def read_proto_spans(path: Path, handle: BinaryIO, stats: ReadStats,
                     progress: Callable[[int], None] | None = None,
                     wanted: frozenset[str] = WANTED) -> Iterator[Span]:
    """Every span of the length-prefixed messages in handle (opened at its start), in file order."""
    request_class = _request_class(path)
    decode_error = importlib.import_module("google.protobuf.message").DecodeError
    offset = reported = 0
    number = 0
    while True:
        prefix = handle.read(4)
        if not prefix:
            break
        number += 1
        where = f"message {number} (byte {offset})"
        if len(prefix) < 4:
            raise FileError.at(path, where, "truncated: a length prefix of fewer than 4 bytes")
        size = int.from_bytes(prefix, "big")
        body = handle.read(size)
        if len(body) < size:
            raise FileError.at(path, where, f"truncated: {len(body)} of its {size} bytes")
        offset += 4 + size
        stats.lines += 1
        request = request_class()
        try:
            request.ParseFromString(body)
            spans = list(_spans(request, wanted))
        except decode_error as exc:
            raise FileError.at(path, where, f"not an OTLP ExportTraceServiceRequest: {exc}") from None
        except Malformed as exc:
            raise FileError.at(path, where, str(exc)) from None
        stats.spans += len(spans)
        yield from spans
        if progress is not None and offset - reported >= _PROGRESS_EVERY:
            progress(offset)
            reported = offset
    if progress is not None:
        progress(offset)


def _spans(request: Any, wanted: frozenset[str] = WANTED) -> Iterator[Span]:
    for i, rs in enumerate(request.resource_spans):
        for j, ss in enumerate(rs.scope_spans):
            for k, s in enumerate(ss.spans):
                where = f"resourceSpans[{i}].scopeSpans[{j}].spans[{k}]"
                trace_id, span_id = s.trace_id, s.span_id
                if len(trace_id) != 16:
                    raise Malformed(f"{where}.traceId has {len(trace_id)} bytes, not 16")
                if len(span_id) != 8:
                    raise Malformed(f"{where}.spanId has {len(span_id)} bytes, not 8")
                parent = s.parent_span_id
                if parent and len(parent) != 8:
                    raise Malformed(f"{where}.parentSpanId has {len(parent)} bytes, not 8")
                start, end = s.start_time_unix_nano, s.end_time_unix_nano
                if end < start:
                    raise Malformed(f"{where}: ends before it starts ({end} < {start})")
                attributes: dict[str, object] = {}
                for kv in s.attributes:
                    if kv.key in wanted:
                        attributes[kv.key] = _value(kv.value)
                yield Span(trace_id.hex(), span_id.hex(), parent.hex(), s.name, start, end,
                           s.status.code == STATUS_ERROR, attributes, int(s.kind))


def _value(value: Any) -> object:
    """An AnyValue: strings, integers, doubles and booleans, as the JSON reader keeps them; others None."""
    kind = value.WhichOneof("value")
    if kind in ("string_value", "int_value", "bool_value"):
        return getattr(value, kind)
    if kind == "double_value":
        d = float(value.double_value)
        return d if d == d and d not in (float("inf"), float("-inf")) else None
    return None
